/** Home: the user's role decides what comes first (today's briefing, complaints, safety, approvals). */
import { countedViews, derivedFrom, loadViewList, sortedViews } from '../../sync/local_view.js';
import { loadProjectSettings } from '../../sync/project_settings.js';
import { checkTitle, loadChecklists } from '../safety/checklist_text.js';
import { h, userList } from '../dom.js';
import { DraftList } from './home_drafts.js';
import { MyDayPanel } from './my_day_panel.js';
import { loadDecisions } from '../approvals/approval_subjects.js';
import { t } from '../i18n.js';
import { linksForRoles, localToday, ownSections, sectionsForRoles } from './home_sections.js';
import { loadNameDirectory } from '../components/name_directory.js';
import { RecordListItem } from '../components/record_list_item.js';
import { Screen } from '../screen.js';
import { STATUS_EVENT } from '../../sync/sync_engine.js';
import { OverdueChip } from '../tasks/task_overdue.js';

const SECTION_LIMIT = 8;

export class HomeScreen extends Screen {
  constructor(...args) {
    super(...args);
    this.refreshOn('records');
    this.refreshOn('drafts');
    this.strips = new Map(); // photo strips of work sent back, kept across redraws
    this.onDestroy(() => { for (const strip of this.strips.values()) strip.destroy(); });
    // Until the first sync has finished, what is not on the phone yet may still be due today
    // (`arriving`); drawn again once it has.
    const { engine } = this.app;
    if (this.arriving()) {
      const arrived = () => {
        if (this.arriving()) return;
        engine.removeEventListener(STATUS_EVENT, arrived);
        this.scheduleRender();
      };
      engine.addEventListener(STATUS_EVENT, arrived);
      this.onDestroy(() => engine.removeEventListener(STATUS_EVENT, arrived));
    }
  }

  /** Whether this phone has yet to finish its first sync. */
  arriving() {
    const { engine } = this.app;
    return Boolean(engine) && !engine.status.lastSyncAt;
  }

  async render() {
    const { user, roles, memberships } = this.app.session;
    const sections = sectionsForRoles(roles);
    const links = linksForRoles(roles);
    const today = localToday();
    const types = [...new Set(['section', ...sections.map((section) => section.type),
      ...links.flatMap((link) => [link.countType, link.alsoLoad]).filter(Boolean)])];
    const [nameOf, drafts, decisions, ...viewLists] = await Promise.all([
      loadNameDirectory(this.app), DraftList(this.app.session), loadDecisions(this.app), ...types.map((type) => loadViewList(type))]);
    const viewsByType = Object.fromEntries(types.map((type, i) => [type, viewLists[i]]));
    const own = derivedFrom(viewsByType.section, `own ${user?.id}`, () => ownSections(viewsByType.section, user));
    const context = `${today} ${user?.id} ${[...own].sort().join(',')}`;
    const templates = types.includes('safety_check') && memberships[0] ? await loadChecklists(memberships[0].project_id, { all: true }) : [];
    const itemOptions = (view) => {
      if (view.type === 'safety_check') return { title: checkTitle(view, templates) };
      if (view.type === 'task') return { tags: [OverdueChip(view, today)] };
      return {};
    };
    /** A task past its due date gets the red edge of the task list as well as the chip's words. */
    const item = (view) => {
      const li = RecordListItem(view, nameOf, itemOptions(view));
      if (view.type === 'task' && li.querySelector('[data-testid="task-overdue"]')) li.firstChild.classList.add('is-overdue');
      return li;
    };
    // Cache what intake needs offline (response hours) while the network is here.
    for (const membership of memberships) loadProjectSettings(this.app.api, membership.project_id);

    this.show(
      h('header', { class: 'screen-header' },
        h('h1', { tabindex: '-1' }, t('home.greeting', { name: user.name || user.username })),
        h('p', { class: 'muted' }, userList(memberships.map((m) => m.project_name || m.project_code)))),
      // What needs me today comes before the ways in to the field screens.
      MyDayPanel(this.app, decisions, this.strips, { arriving: this.arriving() }),
      links.length ? h('nav', { class: 'home-links', 'aria-label': t('home.quickLinks') }, links.map((link) => {
        const views = viewsByType[link.countType] ?? [];
        const count = link.counts ? countedViews(views, `count ${link.id}`, link.counts) : null;
        const note = link.note ? link.note(views, today, user, viewsByType[link.alsoLoad] ?? []) : null;
        return h('a', {
          class: `home-link ${link.primary ? 'home-link-primary' : ''}`, href: link.href, testid: link.testid ?? `home-link-${link.id}`,
        }, h('span', {}, t(link.labelKey)),
        count ? h('span', { class: 'home-link-count', dataset: { count: String(count) } }, String(count)) : null,
        note ? h('span', { class: 'home-link-note', testid: `home-link-${link.id}-note` }, t(note)) : null);
      })) : null,
      drafts,
      sections.length === 0 ? h('p', { class: 'empty' }, t('home.noRole')) : null,
      sections.map((section) => {
        // Worked out once per list, and after a change to a few records for those alone.
        const views = sortedViews(viewsByType[section.type], `section ${section.id} ${context}`,
          { filter: (view) => section.filter(view, today, user, own), sortKey: section.sortKey });
        return h('section', { class: 'home-section', testid: `home-${section.id}`, 'aria-labelledby': `heading-${section.id}` },
          h('h2', { id: `heading-${section.id}` }, t(section.titleKey), h('span', { class: 'count' }, ` (${views.length})`)),
          views.length === 0
            ? h('p', { class: 'empty' }, t('home.nothing'))
            : h('ul', { class: 'record-list' }, views.slice(0, SECTION_LIMIT).map(item)),
          h('a', { class: 'see-all', href: section.listPath ?? `/records/${section.type}` }, t('home.seeAll')));
      }));
  }
}
