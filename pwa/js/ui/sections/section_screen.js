/**
 * One grid section (also where its site-sign QR code leads): who answers for it, its open work,
 * every task, check, action, complaint and briefing in it, and the QR code to print.
 */
import { loadView } from '../../sync/local_view.js';
import { checkTitle, loadChecklists } from '../safety/checklist_text.js';
import { may, rolesIn } from '../../sync/permissions.js';
import { h, userText } from '../dom.js';
import { t, tNodes } from '../i18n.js';
import { localToday } from '../home/home_sections.js';
import { loadNameDirectory } from '../components/name_directory.js';
import { RecordHistory } from '../records/record_history.js';
import { RecordListItem } from '../components/record_list_item.js';
import { typeLabel } from '../components/record_text.js';
import { Screen } from '../screen.js';
import { SectionStatsLine } from './section_stats_line.js';
import { isOpenAction, isOpenFeedback, isOpenTask, loadSite, sectionLabel, sectionStats } from './site_facts.js';
import { loadSectionSteps } from '../worksteps/work_step_facts.js';
import { SectionLabels } from './section_labels.js';
import { printedCode, shortCode } from '../../sync/short_code.js';

export class SectionScreen extends Screen {
  constructor(...args) {
    super(...args);
    this.qr = null; // {url} | {loading} | {offline} | {missing} (not synced yet) | {failed}, fetched once per visit
    this.history = new RecordHistory(this.app, 'section', this.params.id, () => this.scheduleRender());
    this.refreshOn('records');
    this.onDestroy(() => this.qr?.url && URL.revokeObjectURL(this.qr.url));
  }

  async render() {
    const { id } = this.params;
    const [section, site, nameOf, steps] = await Promise.all([loadView('section', id), loadSite(), loadNameDirectory(this.app), loadSectionSteps(id)]);
    this.templates = section ? await loadChecklists(section.fields.project_id, { all: true }) : [];
    if (!section) {
      this.show(h('h1', { tabindex: '-1' }, typeLabel('section')), h('p', { class: 'empty', testid: 'record-missing' }, t('record.missing')));
      return;
    }
    const today = localToday();
    const roles = rolesIn(this.app.session, section.fields.project_id);
    const own = (view) => view.fields.section_id === id;
    const checkIds = new Set(site.checks.filter(own).map((check) => check.id));
    const tasks = site.tasks.filter(own).sort((a, b) => Number(isOpenTask(b)) - Number(isOpenTask(a))
      || String(a.fields.due_date ?? '9999').localeCompare(String(b.fields.due_date ?? '9999')));
    const checks = site.checks.filter(own).sort((a, b) => String(b.fields.date ?? '').localeCompare(String(a.fields.date ?? '')));
    const actions = site.actions.filter((action) => checkIds.has(action.fields.check_id))
      .sort((a, b) => Number(isOpenAction(b)) - Number(isOpenAction(a)));
    const feedback = site.feedback.filter(own).sort((a, b) => Number(isOpenFeedback(b)) - Number(isOpenFeedback(a)));
    const briefings = site.briefings.filter((briefing) => (briefing.fields.section_ids ?? []).includes(id))
      .sort((a, b) => String(b.fields.date ?? '').localeCompare(String(a.fields.date ?? '')));
    const owner = section.fields.owner_id ? nameOf(section.fields.owner_id) ?? t('sections.unknownPerson') : t('sections.noOwner');
    const create = (type) => may(roles, type, 'create');
    if (section.serverSeq == null) this.qr = { missing: true }; // made here: the server cannot draw its code yet
    else if (this.qr?.missing) this.qr = null;

    this.show(
      h('header', { class: 'screen-header', testid: 'section-page', dataset: { id } },
        h('p', { class: 'eyebrow' }, typeLabel('section')),
        h('h1', { tabindex: '-1' }, sectionLabel(section)),
        h('p', { class: 'section-owner', testid: 'section-owner' }, tNodes('sections.responsible', { name: userText(owner) })),
        section.fields.description ? h('p', { class: 'muted' }, userText(section.fields.description)) : null,
        section.pending ? h('p', { class: 'record-tags' }, h('span', { class: 'chip chip-pending', testid: 'record-pending' }, t('record.notSynced'))) : null),
      SectionStatsLine(sectionStats(id, site, today)),
      h('div', { class: 'card-actions' },
        create('task') ? h('a', { class: 'button', href: `/tasks/new?section=${id}`, testid: 'section-new-task' }, t('task.new')) : null,
        create('safety_check') ? h('a', { class: 'button', href: `/checks/new?section=${id}`, testid: 'section-new-check' }, t('checks.new')) : null,
        create('feedback') ? h('a', { class: 'button', href: `/feedback/new?section=${id}`, testid: 'section-new-feedback' }, t('feedback.new')) : null,
        create('work_step') ? h('a', { class: 'button', href: `/work-steps/new?section=${id}`, testid: 'section-new-work-step' }, t('worksteps.new')) : null,
        h('a', { class: 'button', href: `/r/section/${id}/trace`, testid: 'section-trace-link' }, t('trace.title')),
        may(roles, 'section', 'edit') ? h('a', { class: 'button', href: `/r/section/${id}/edit`, testid: 'edit-section' }, t('sections.edit')) : null),
      this.group('section-work-steps', t('types.work_step'), steps, nameOf),
      this.group('section-tasks', t('types.task'), tasks, nameOf),
      this.group('section-checks', t('types.safety_check'), checks, nameOf),
      this.group('section-actions', t('types.action'), actions, nameOf),
      this.group('section-feedback', t('types.feedback'), feedback, nameOf),
      this.group('section-briefings', t('types.briefing'), briefings, nameOf),
      this.qrSection(section),
      section.serverSeq != null ? SectionLabels(this.app, section) : null,
      this.history.element(nameOf));
    this.loadQr(section);
    this.history.load(section.serverSeq);
  }

  /** One kind of record in this section, with its count in the heading. */
  group(testid, title, views, nameOf) {
    const headingId = `${testid}-heading`;
    return h('section', { class: 'home-section', testid, 'aria-labelledby': headingId },
      h('h2', { id: headingId }, title, h('span', { class: 'count' }, ` (${views.length})`)),
      views.length
        ? h('ul', { class: 'record-list' }, views.map((view) => RecordListItem(view, nameOf,
          view.type === 'safety_check' ? { title: checkTitle(view, this.templates) } : {})))
        : null); // an empty kind is its heading with (0): the page stays short
  }

  qrSection(section) {
    const label = sectionLabel(section);
    // The code printed under the QR on the label: typed into the app where no camera reads it.
    const code = h('p', { class: 'short-code-line', testid: 'section-short-code' }, `${t('worksteps.code')} `,
      h('span', { class: 'short-code', dataset: { shortCode: '' } }, printedCode(shortCode(section.id))));
    let body;
    if (this.qr?.url) {
      body = [
        h('img', { class: 'qr-code', src: this.qr.url, alt: t('sections.qrAlt', { section: label }), testid: 'section-qr-image', width: 240, height: 240 }),
        code,
        h('p', { class: 'hint' }, t('sections.qrHint')),
      ];
    } else if (this.qr?.missing) body = [h('p', { class: 'notice', testid: 'section-qr-unsynced' }, t('sections.qrUnsynced')), code];
    else if (this.qr?.offline || !navigator.onLine) body = [h('p', { class: 'notice', testid: 'section-qr-offline' }, t('sections.qrOffline')), code];
    else body = [h('p', { class: 'muted' }, t('sections.qrLoading')), code];
    return h('section', { class: 'stack qr', testid: 'section-qr', 'aria-labelledby': 'qr-heading' },
      h('h2', { id: 'qr-heading' }, t('sections.qrTitle')), body);
  }

  /** The QR code as an SVG from the server (it needs the token, hence fetch and a blob URL). */
  async loadQr(section) {
    if (this.qr?.url || this.qr?.loading || this.qr?.failed || this.qr?.missing) return;
    if (!navigator.onLine) {
      this.qr = { offline: true };
      return;
    }
    this.qr = { loading: true };
    try {
      const response = await this.app.api.fetchRaw('GET', `/api/records/section/${encodeURIComponent(section.id)}/qr?format=svg`);
      this.qr = { url: URL.createObjectURL(await response.blob()) };
    } catch (error) {
      this.qr = error.status ? { offline: true, failed: true } : { offline: true };
    }
    this.scheduleRender();
  }
}

