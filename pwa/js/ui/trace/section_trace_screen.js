/**
 * A section's trace (/r/section/<id>/trace): the section's own story (created, its field changes,
 * comments about it) and the timelines of all its work steps in one, newest first, each step's
 * entry naming its step — what an inspector reads after scanning the section's label. Offline it
 * shows the histories as last fetched and the moves made on this phone not yet sent.
 */
import { loadView } from '../../sync/local_view.js';
import { h, userText } from '../dom.js';
import { t } from '../i18n.js';
import { loadNameDirectory } from '../components/name_directory.js';
import { typeLabel } from '../components/record_text.js';
import { itemText, loadChecklists } from '../safety/checklist_text.js';
import { sectionLabel } from '../sections/site_facts.js';
import { Screen } from '../screen.js';
import { loadInspections, loadSectionSteps } from '../worksteps/work_step_facts.js';
import { TraceTimeline, keptHistory, loadHistory, pendingMoves, recordEntries, stepEntries } from './trace_timeline.js';

export class SectionTraceScreen extends Screen {
  constructor(...args) {
    super(...args);
    this.refreshOn('records');
  }

  async render() {
    const section = await loadView('section', this.params.id);
    if (!section) {
      this.show(h('h1', { tabindex: '-1' }, t('trace.title')), h('p', { class: 'empty', testid: 'record-missing' }, t('record.missing')));
      return;
    }
    const [steps, nameOf, templates] = await Promise.all([loadSectionSteps(section.id), loadNameDirectory(this.app),
      loadChecklists(section.fields.project_id, { all: true })]);
    const items = new Map(templates.flatMap((template) => (template.fields.items ?? []).map((item) => [item.code, itemText(item)])));
    if (this.sectionHistory === undefined) {
      this.sectionHistory = null;
      loadHistory(this.app, 'section', section.id).then((history) => {
        this.sectionHistory = history;
        if (history) this.scheduleRender();
      });
    }
    const userId = this.app.session.user?.id;
    const entries = (await recordEntries(section, this.sectionHistory, nameOf, { skip: ['project_id'] }))
      .map((entry) => ({ ...entry, title: [typeLabel('section'), ' · ', entry.title] }));
    for (const step of steps) {
      const own = await stepEntries(step, await loadInspections(step.id), await keptHistory('work_step', step.id), nameOf,
        await pendingMoves('work_step', step.id, userId));
      entries.push(...own.map((entry) => ({ ...entry, title: [userText(step.fields.step), ' · ', entry.title] })));
    }
    this.show(
      h('header', { class: 'screen-header', testid: 'section-trace' },
        h('p', { class: 'eyebrow' }, h('a', { href: `/r/section/${section.id}` }, `${typeLabel('section')} · `, userText(sectionLabel(section)))),
        h('h1', { tabindex: '-1' }, t('trace.title'))),
      TraceTimeline(this.app, entries, nameOf, { itemName: (code) => items.get(code) ?? code }));
  }
}
