/**
 * One safety check: its items with their results, notes and photos, the risk grade, the
 * corrective actions it raised (each movable open → done → verified by who may), and the
 * check's own state.
 */
import { loadView, loadViews } from '../../sync/local_view.js';
import { may, rolesIn } from '../../sync/permissions.js';
import { itemText, loadChecklists, templateName, templateOf } from './checklist_text.js';
import { enqueue } from '../../sync/outbox.js';
import { nextStates } from '../../sync/record_types.js';
import { h, userText } from '../dom.js';
import { formatDate, t, tNodes } from '../i18n.js';
import { loadNameDirectory } from '../components/name_directory.js';
import { PhotoStrip } from '../components/photo_strip.js';
import { RecordHistory, lastChange } from '../records/record_history.js';
import { stateLabel, typeLabel } from '../components/record_text.js';
import { RiskBadge, parseItemRisk } from './risk_grade.js';
import { Screen } from '../screen.js';
import { failedItems } from '../sections/site_facts.js';
import { ConfirmPanel, StatusActions } from '../components/status_actions.js';
import { ActionDoneControl } from './action_done.js';

const RESULT_MARK = { pass: '✓', fail: '✗', na: '—' };

export class SafetyCheckScreen extends Screen {
  constructor(...args) {
    super(...args);
    this.history = new RecordHistory(this.app, 'safety_check', this.params.id, () => this.scheduleRender(), {
      format: { item_photos: (shas) => t('record.photoCount', { count: shas.length }) },
    });
    this.photos = new PhotoStrip(this.app, { testid: 'check-photo-list' });
    this.itemPhotos = new Map(); // item code -> PhotoStrip, kept across redraws
    this.refreshOn('records');
    this.onDestroy(() => {
      this.photos.destroy();
      for (const strip of this.itemPhotos.values()) strip.destroy();
    });
  }

  async render() {
    const { id } = this.params;
    const [check, actions, nameOf] = await Promise.all([loadView('safety_check', id), loadViews('action'), loadNameDirectory(this.app)]);
    if (!check) {
      this.show(h('h1', { tabindex: '-1' }, typeLabel('safety_check')), h('p', { class: 'empty', testid: 'record-missing' }, t('record.missing')));
      return;
    }
    const templates = await loadChecklists(check.fields.project_id, { all: true });
    const template = templateOf(check, templates);
    this.history.format.template = (code) => templateName(templates.find((candidate) => candidate.fields.code === code)) || code;
    const results = check.fields.results ?? {};
    const items = template?.fields.items ?? Object.keys(results).map((code) => ({ code }));
    const raised = actions.filter((action) => action.fields.check_id === id);
    const status = check.fields.status ?? 'open';
    const roles = rolesIn(this.app.session, check.fields.project_id);
    const failed = failedItems(check);
    this.photos.set(check.fields.photos ?? []);

    this.show(
      h('header', { class: 'screen-header', testid: 'check-page', dataset: { id, status } },
        h('p', { class: 'eyebrow' }, typeLabel('safety_check'), ' · ', formatDate(check.fields.date)),
        h('h1', { tabindex: '-1' }, template ? templateName(template) : (check.fields.template ?? typeLabel('safety_check'))),
        h('p', { class: 'muted' }, userText(nameOf(check.fields.section_id)) ?? t('task.noSection')),
        h('p', { class: 'record-tags' },
          h('span', { class: `chip chip-${status}`, testid: 'record-status' }, stateLabel(status)),
          RiskBadge(check.fields.likelihood, check.fields.severity),
          check.pending ? h('span', { class: 'chip chip-pending', testid: 'record-pending' }, t('record.notSynced')) : null)),
      this.closeLoop(check, raised, roles) ?? StatusActions(this.app, check, { custom: { verified: () => this.verifyGuard(raised) } }),
      status === 'open' && may(roles, 'safety_check', 'edit')
        ? h('a', { class: 'button button-block', href: `/r/safety_check/${id}/edit`, testid: 'edit-record' }, t('checks.edit')) : null,
      check.fields.likelihood && check.fields.severity
        ? h('p', { class: 'muted', testid: 'check-risk-detail' }, t('checks.riskLine', {
          likelihood: t(`checks.likelihood.${check.fields.likelihood}`), severity: t(`checks.severity.${check.fields.severity}`),
        })) : null,
      h('section', { class: 'stack', 'aria-labelledby': 'results-heading' },
        h('h2', { id: 'results-heading' }, t('checks.resultsTitle', { failed: failed.length, total: items.length })),
        h('ul', { class: 'result-list', testid: 'check-results' }, items.map((item) => this.resultRow(item, check.fields)))),
      h('section', { class: 'stack', testid: 'check-actions', 'aria-labelledby': 'actions-heading' },
        h('h2', { id: 'actions-heading' }, t('checks.actionsTitle'), h('span', { class: 'count' }, ` (${raised.length})`)),
        raised.length ? h('ul', { class: 'card-list' }, raised.map((action) => this.actionCard(action, items, nameOf)))
          : h('p', { class: 'empty' }, failed.length ? t('checks.noActionsYet') : t('checks.noActionsNeeded'))),
      check.fields.notes ? h('section', { class: 'stack' }, h('h2', {}, t('field.notes')), h('p', { class: 'pre-line', testid: 'check-notes' }, userText(check.fields.notes))) : null,
      (check.fields.photos ?? []).length ? h('section', { class: 'stack' }, h('h2', {}, t('checks.photos')), this.photos.element) : null,
      check.updatedAt ? h('p', { class: 'muted' }, lastChange(check, nameOf)) : null,
      this.history.element(nameOf));
    this.history.load(check.serverSeq);
  }

  /** One checklist item: its result, and under it the item's note and photos. */
  resultRow(item, fields) {
    const result = fields.results?.[item.code];
    const note = fields.item_notes?.[item.code];
    const photos = fields.item_photos?.[item.code] ?? [];
    const grade = parseItemRisk(fields.item_risk?.[item.code]); // [likelihood, severity] or null
    return h('li', { class: `result-row result-${result ?? 'none'}`, testid: 'check-result', dataset: { code: item.code, result: result ?? '' } },
      h('span', { class: 'result-mark', 'aria-hidden': 'true' }, RESULT_MARK[result] ?? '?'),
      h('span', { class: 'result-text' }, itemText(item)),
      h('span', { class: 'result-word' }, result ? t(`result.${result}`) : t('checks.notAnswered')),
      grade ? h('span', { class: 'result-risk' }, RiskBadge(...grade, { testid: 'check-result-risk' })) : null,
      note || photos.length ? h('div', { class: 'result-extra' },
        note ? h('p', { class: 'result-note' }, h('strong', {}, t('checks.noteLabel')), ' ', h('span', { testid: 'check-result-note' }, userText(note))) : null,
        photos.length ? this.itemPhotoStrip(item.code, photos).element : null) : null);
  }

  itemPhotoStrip(code, shas) {
    if (!this.itemPhotos.has(code)) {
      this.itemPhotos.set(code, new PhotoStrip(this.app, { testid: 'check-result-photos', label: t('checks.itemPhotos', { code }) }));
    }
    const strip = this.itemPhotos.get(code);
    strip.set(shas);
    return strip;
  }

  /**
   * Verifying a check while its corrective actions are still open would close a risk nobody
   * fixed: instead of the button, a note says what is still open until every action is verified.
   */
  verifyGuard(actions) {
    const open = actions.filter((action) => (action.fields.status ?? 'open') !== 'verified').length;
    if (open === 0) return null; // the ordinary button
    return h('p', { class: 'notice', testid: 'verify-blocked' }, t('checks.verifyBlocked', { count: open }));
  }

  /**
   * Every corrective action verified and the check not yet closed: one button (confirmed once)
   * takes it the rest of the way, 整改中 → 已复核 → 已关闭, instead of a tap per state.
   * Null when there is nothing to close this way or the user may not make every move.
   */
  closeLoop(check, actions, roles) {
    const steps = [];
    for (let state = check.fields.status ?? 'open'; state !== 'closed';) {
      const next = nextStates('safety_check', state)[0];
      if (!next || !may(roles, 'safety_check', `status:${state}->${next}`)) return null;
      steps.push(next);
      state = next;
    }
    const allVerified = actions.length > 0 && actions.every((action) => action.fields.status === 'verified');
    if (!allVerified || steps.length < 2) return null;
    const close = async () => {
      this.closeAsked = false;
      await enqueue(steps.map((state) => ({ op: 'put', type: 'safety_check', id: check.id, fields: { status: state } })));
      this.app.notify(t('record.statusQueued', { state: stateLabel('closed') }));
    };
    if (!this.closeAsked) {
      return h('div', { class: 'status-actions' },
        h('p', { class: 'notice notice-ok', testid: 'check-all-verified' }, t('checks.allVerified', { count: actions.length })),
        h('button', {
          type: 'button', class: 'button button-primary button-block', testid: 'check-close-all',
          onclick: () => {
            this.closeAsked = true;
            this.scheduleRender();
          },
        }, t('checks.closeAll')));
    }
    return ConfirmPanel({
      question: t('checks.closeAllConfirm', { steps: steps.map(stateLabel).join(' → ') }),
      confirmLabel: t('checks.closeAll'), onConfirm: close,
      onCancel: () => {
        this.closeAsked = false;
        this.scheduleRender();
      },
    });
  }

  /** One corrective action: the failed item, what to fix, who and by when, and its next states. */
  actionCard(action, items, nameOf) {
    const status = action.fields.status ?? 'open';
    const item = items.find((candidate) => candidate.code === action.fields.item);
    return h('li', { class: 'card', testid: 'check-action', dataset: { id: action.id, status } },
      item ? h('p', { class: 'muted' }, `${item.code} ${itemText(item)}`) : null,
      h('h3', {}, h('a', { href: `/r/action/${action.id}` }, userText(action.fields.description))),
      h('p', {}, [
        action.fields.owner_id ? tNodes('checks.actionBy', { name: userText(nameOf(action.fields.owner_id) ?? '?') }) : t('task.unassigned'),
        action.fields.deadline ? [' · ', t('checks.actionDeadline', { date: formatDate(action.fields.deadline) })] : null,
      ]),
      h('p', { class: 'record-tags' },
        h('span', { class: `chip chip-${status}` }, stateLabel(status)),
        action.pending ? h('span', { class: 'chip chip-pending', testid: 'record-pending' }, t('record.notSynced')) : null),
      StatusActions(this.app, action, { custom: { done: () => ActionDoneControl(this.app, action, () => this.scheduleRender()) } }));
  }
}
