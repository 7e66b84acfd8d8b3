/**
 * One work step (where its QR label leads): its crew and dates, where it stands in the
 * three-level inspection, what the user may do next (start, inspect, report rectified), and its
 * trace — every event newest first, offline from what the phone holds.
 */
import { enqueue } from '../../sync/outbox.js';
import { loadView } from '../../sync/local_view.js';
import { may, rolesIn } from '../../sync/permissions.js';
import { printedCode, shortCode } from '../../sync/short_code.js';
import { h, userText } from '../dom.js';
import { formatDate, t } from '../i18n.js';
import { ConfirmPanel } from '../components/status_actions.js';
import { loadNameDirectory } from '../components/name_directory.js';
import { stateLabel, typeLabel } from '../components/record_text.js';
import { localToday } from '../home/home_sections.js';
import { itemText, loadChecklists } from '../safety/checklist_text.js';
import { sectionLabel } from '../sections/site_facts.js';
import { Screen } from '../screen.js';
import { TraceTimeline, loadHistory, pendingMoves, stepEntries } from '../trace/trace_timeline.js';
import {
  LEVELS, PASSED, RECTIFIED, awaitedLevel, loadInspections, loadSectionSteps, mayMove, mayRecord, predecessorOpen, rectifyingLevel,
} from './work_step_facts.js';

export class WorkStepScreen extends Screen {
  constructor(...args) {
    super(...args);
    this.asking = null; // 'start' | 'rectified' while a confirmation is open
    this.history = null; // the server's field history, when online
    this.refreshOn('records');
  }

  async render() {
    const { id } = this.params;
    const step = await loadView('work_step', id);
    if (!step || step.deleted) {
      this.show(h('h1', { tabindex: '-1' }, typeLabel('work_step')), h('p', { class: 'empty', testid: 'record-missing' }, t('record.missing')));
      return;
    }
    const [section, steps, inspections, nameOf, templates] = await Promise.all([
      loadView('section', step.fields.section_id), loadSectionSteps(step.fields.section_id), loadInspections(id),
      loadNameDirectory(this.app), loadChecklists(step.fields.project_id, { all: true })]);
    this.loadHistory(step);
    const items = new Map(templates.flatMap((template) => (template.fields.items ?? []).map((item) => [item.code, itemText(item)])));
    const entries = await stepEntries(step, inspections, this.history, nameOf, await pendingMoves('work_step', id, this.app.session.user?.id));
    const person = (userId) => (userId ? userText(nameOf(userId)) ?? t('trace.someone') : t('worksteps.nobody'));
    const dates = (start, end) => [start, end].filter(Boolean).map((day) => formatDate(day)).join(' – ') || '—';
    const roles = rolesIn(this.app.session, step.fields.project_id);
    this.show(
      h('header', { class: 'screen-header', testid: 'work-step-page', dataset: { id, status: step.fields.status } },
        h('p', { class: 'eyebrow' }, typeLabel('work_step'), ' · ',
          section ? h('a', { href: `/r/section/${section.id}` }, userText(sectionLabel(section))) : null),
        h('h1', { tabindex: '-1' }, step.fields.step ?? ''),
        h('p', { class: 'record-tags' },
          h('span', { class: `chip chip-state state-${step.fields.status}`, testid: 'work-step-status' }, stateLabel(step.fields.status)),
          h('span', { class: 'chip', testid: 'work-step-code' }, `${t('worksteps.code')} `,
            h('span', { class: 'short-code', dataset: { shortCode: '' } }, printedCode(shortCode(id)))),
          step.pending ? h('span', { class: 'chip chip-pending' }, t('record.notSynced')) : null)),
      step.fields.early_start || (step.fields.status === 'planned' && predecessorOpen(step, steps))
        ? h('p', { class: 'notice', testid: 'work-step-early' }, t(step.fields.early_start ? 'worksteps.earlyStart' : 'worksteps.predecessorOpen')) : null,
      h('dl', { class: 'field-list' },
        h('dt', {}, t('field.crew')), h('dd', {}, userText(step.fields.crew) ?? '—'),
        h('dt', {}, t('field.foreman_id')), h('dd', {}, person(step.fields.foreman_id)),
        h('dt', {}, t('field.next_foreman_id')), h('dd', {}, person(step.fields.next_foreman_id)),
        h('dt', {}, t('worksteps.planned')), h('dd', {}, dates(step.fields.planned_start, step.fields.planned_end)),
        h('dt', {}, t('worksteps.actual')), h('dd', {}, dates(step.fields.actual_start, step.fields.actual_end))),
      this.levels(step, inspections),
      this.actions(step, steps),
      may(roles, 'work_step', 'edit') ? h('a', { class: 'button', href: `/r/work_step/${id}/edit`, testid: 'work-step-edit' }, t('worksteps.edit')) : null,
      h('section', { class: 'stack', 'aria-labelledby': 'trace-heading' },
        h('h2', { id: 'trace-heading' }, t('trace.title')),
        navigator.onLine ? null : h('p', { class: 'hint', testid: 'trace-offline' }, t('trace.offline')),
        TraceTimeline(this.app, entries, nameOf, { itemName: (code) => items.get(code) ?? code })));
  }

  /** The three levels as a row: passed, awaited, being rectified, or still ahead. */
  levels(step, inspections) {
    const order = ['planned', 'in_progress', 'self_passed', 'mutual_passed', 'passed'];
    const reached = order.indexOf(step.fields.status);
    return h('ol', { class: 'level-row', testid: 'work-step-levels' }, LEVELS.map((level, index) => {
      const rounds = inspections.filter((view) => view.fields.level === level);
      let state = 'ahead';
      if (reached >= order.indexOf(PASSED[level])) state = 'passed';
      else if (rectifyingLevel(step) === level) state = 'rectifying';
      else if (awaitedLevel(step) === level) state = 'awaited';
      else if (rectifyingLevel(step) && LEVELS.indexOf(rectifyingLevel(step)) > index) state = 'passed';
      return h('li', { class: `level level-${state}`, testid: 'work-step-level', dataset: { level, state } },
        h('strong', {}, t(`level.${level}`)), h('span', {}, t(`levelState.${state}`)),
        rounds.length ? h('span', { class: 'muted' }, t('worksteps.rounds', { count: rounds.length })) : null);
    }));
  }

  actions(step, steps) {
    const { session } = this.app;
    const level = awaitedLevel(step);
    const fixing = rectifyingLevel(step);
    const buttons = [];
    if (this.asking === 'start') return this.confirmStart(step, steps);
    if (this.asking === 'rectified') return this.confirmRectified(step);
    if (step.fields.status === 'planned' && mayMove(session, step, 'in_progress')) {
      buttons.push(h('button', { type: 'button', class: 'button button-primary', testid: 'work-step-start',
        onclick: () => { this.asking = 'start'; this.render(); } }, t('worksteps.start')));
    }
    if (level && mayRecord(session, step, level)) {
      buttons.push(h('a', { class: 'button button-primary', href: `/r/work_step/${step.id}/inspect?level=${level}`, testid: 'work-step-inspect' },
        t('worksteps.record', { level: t(`level.${level}`) })));
    } else if (level) buttons.push(h('p', { class: 'hint', testid: 'work-step-waiting' }, t('worksteps.waiting', { level: t(`level.${level}`) })));
    if (fixing && mayMove(session, step, RECTIFIED[step.fields.status])) {
      buttons.push(h('button', { type: 'button', class: 'button button-primary', testid: 'work-step-rectified',
        onclick: () => { this.asking = 'rectified'; this.render(); } }, t('worksteps.rectified')));
    }
    return buttons.length ? h('div', { class: 'card-actions', testid: 'work-step-actions' }, buttons) : null;
  }

  confirmStart(step, steps) {
    const early = predecessorOpen(step, steps);
    return ConfirmPanel({
      question: t(early ? 'worksteps.startEarlyQuestion' : 'worksteps.startQuestion'), confirmLabel: t('worksteps.start'),
      testid: 'work-step-confirm', confirmTestid: 'work-step-confirm-yes', cancelTestid: 'work-step-confirm-no',
      onCancel: () => { this.asking = null; this.render(); },
      onConfirm: async () => {
        this.asking = null;
        await enqueue([{ op: 'put', type: 'work_step', id: step.id, fields: {
          status: 'in_progress', actual_start: step.fields.actual_start ?? localToday(), ...(early ? { early_start: true } : {}) } }]);
        this.app.notify(t('record.statusQueued', { state: stateLabel('in_progress') }));
      },
    });
  }

  confirmRectified(step) {
    const level = rectifyingLevel(step);
    return ConfirmPanel({
      question: t('worksteps.rectifiedQuestion', { level: t(`level.${level}`) }), confirmLabel: t('worksteps.rectified'),
      testid: 'work-step-confirm', confirmTestid: 'work-step-confirm-yes', cancelTestid: 'work-step-confirm-no',
      onCancel: () => { this.asking = null; this.render(); },
      onConfirm: async () => {
        this.asking = null;
        await enqueue([{ op: 'put', type: 'work_step', id: step.id, fields: { status: RECTIFIED[step.fields.status] } }]);
        this.app.notify(t('record.statusQueued', { state: stateLabel(RECTIFIED[step.fields.status]) }));
      },
    });
  }

  /**
   * The server's history of the step: online, fetched again when a sync brings a newer version;
   * offline, as it was last fetched (loadHistory keeps it on the phone).
   */
  async loadHistory(step) {
    const online = navigator.onLine && step.serverSeq != null;
    if (online ? this.historySeq === step.serverSeq : this.historySeq !== undefined) return;
    this.historySeq = online ? step.serverSeq : null;
    const history = await loadHistory(this.app, 'work_step', step.id);
    if (history === null) return;
    this.history = history;
    this.scheduleRender();
  }
}
