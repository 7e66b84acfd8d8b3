/** Home: the user's role decides what comes first (today's tasks, feedback, safety, approvals). */
import { loadViews } from '../sync/local_view.js';
import { h } from './dom.js';
import { t } from './i18n.js';
import { localToday, sectionsForRoles } from './home_sections.js';
import { loadNameDirectory } from './name_directory.js';
import { RecordListItem } from './record_list_item.js';
import { Screen } from './screen.js';

const SECTION_LIMIT = 8;

export class HomeScreen extends Screen {
  constructor(...args) {
    super(...args);
    this.refreshOn('records');
  }

  async render() {
    const { user, roles, memberships } = this.app.session;
    const sections = sectionsForRoles(roles);
    const today = localToday();
    const types = [...new Set(sections.map((section) => section.type))];
    const [nameOf, ...viewLists] = await Promise.all([loadNameDirectory(this.app), ...types.map((type) => loadViews(type))]);
    const viewsByType = Object.fromEntries(types.map((type, i) => [type, viewLists[i]]));

    const canCreateTasks = roles.some((role) => ['foreman', 'supervisor', 'admin'].includes(role));
    this.show(
      h('header', { class: 'screen-header' },
        h('h1', { tabindex: '-1' }, t('home.greeting', { name: user.name || user.username })),
        h('p', { class: 'muted' }, memberships.map((m) => m.project_name || m.project_code).join(' · '))),
      canCreateTasks ? h('a', { class: 'button button-primary button-block', href: '/tasks/new', testid: 'new-task' }, t('task.new')) : null,
      sections.length === 0 ? h('p', { class: 'empty' }, t('home.noRole')) : null,
      sections.map((section) => {
        const views = viewsByType[section.type].filter((view) => section.filter(view, today));
        if (section.sort) views.sort(section.sort);
        return h('section', { class: 'home-section', testid: `home-${section.id}`, 'aria-labelledby': `heading-${section.id}` },
          h('h2', { id: `heading-${section.id}` }, t(section.titleKey), h('span', { class: 'count' }, ` (${views.length})`)),
          views.length === 0
            ? h('p', { class: 'empty' }, t('home.nothing'))
            : h('ul', { class: 'record-list' }, views.slice(0, SECTION_LIMIT).map((view) => RecordListItem(view, nameOf))),
          h('a', { class: 'see-all', href: section.listPath ?? `/records/${section.type}` }, t('home.seeAll')));
      }));
  }
}
