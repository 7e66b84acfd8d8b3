/**
 * The supervisor's inbox: approvals waiting for a decision, grouped by kind, and what is
 * escalated. Approving is one tap with an undo window (the decision is held back in the outbox
 * meanwhile); rejecting asks why (RejectForm); several can be approved at once after a look.
 * Everything is read from the phone, so the inbox works offline; it reads the approvals waiting
 * and what is open, not the rest of the project (loadInbox).
 */
import { enqueueUndoable } from '../components/status_actions.js';
import { ConfirmPanel } from '../components/status_actions.js';
import { h } from '../dom.js';
import { t } from '../i18n.js';
import { Screen } from '../screen.js';
import { NotificationPrompt } from '../components/notification_prompt.js';
import { PagedList } from '../components/paged_list.js';
import { ApprovalCard } from './approval_card.js';
import { kindLabel, loadInbox, recordOf, subjectOf, subjectTitle } from './approval_subjects.js';
import { EscalatedItem, EscalatedList } from './escalated_list.js';
import { RejectForm, rejectRoute } from './reject_form.js';
import { requesterOf } from '../../sync/my_day.js';

const KIND_ORDER = ['task_acceptance', 'rectification', 'closure_review', 'check_closure', 'change_order',
  'signoff'];
// Cards drawn per kind before "Show more": a backlog of one kind never hides the kinds below it.
export const CARDS_PER_KIND = 20;

export class ApprovalsScreen extends Screen {
  constructor(...args) {
    super(...args);
    this.selected = new Set(); // approvals ticked for a batch approval
    this.batchAsking = false; // the batch confirmation is open
    this.rejecting = null; // {id, form}: the approval being sent back
    this.strips = new Map(); // approval id → its photo strips
    this.lists = new Map(); // kind → its PagedList of cards
    this.escalated = new PagedList({ // what is escalated, a page at a time above the approvals
      drawRow: (entry) => EscalatedItem(this.data, entry),
      empty: () => h('li', {}),
      attributes: { testid: 'escalated-list' },
      pageRows: CARDS_PER_KIND,
      drawOnScroll: false,
    });
    this.refreshOn('records');
    this.onDestroy(() => {
      this.closeStrips();
      for (const list of [...this.lists.values(), this.escalated]) list.destroy();
    });
  }

  isDirty() {
    return this.rejecting !== null || this.dirty;
  }

  async render() {
    if (this.rejecting) return; // never redraw under the user's fingers
    const data = await loadInbox(this.app);
    this.data = data;
    const pending = data.day.to_decide.map((entry) => recordOf(data, 'approval', entry.id)).filter(Boolean);
    const ids = new Set(pending.map((approval) => approval.id));
    for (const id of this.selected) if (!ids.has(id)) this.selected.delete(id);
    const asked = this.query.get('reject');
    if (asked && ids.has(asked) && !this.openedFromQuery) {
      this.openedFromQuery = true;
      this.startReject(recordOf(data, 'approval', asked));
      return;
    }
    const groups = KIND_ORDER.concat([...new Set(pending.map((a) => a.fields.kind))].filter((kind) => !KIND_ORDER.includes(kind)))
      .map((kind) => [kind, pending.filter((approval) => approval.fields.kind === kind)])
      .filter(([, approvals]) => approvals.length > 0);
    this.show(
      h('header', { class: 'screen-header' },
        h('h1', { tabindex: '-1' }, t('approvals.title')),
        h('p', { class: 'muted', testid: 'approvals-count', dataset: { count: String(pending.length) } }, t('approvals.waiting', { count: pending.length }))),
      EscalatedList(data, this.escalated),
      pending.length === 0 ? h('p', { class: 'empty', testid: 'approvals-empty' }, t('approvals.empty')) : null,
      groups.map(([kind, approvals]) => h('section', { class: 'stack approval-group', testid: `approvals-${kind}`, 'aria-labelledby': `heading-${kind}` },
        h('h2', { id: `heading-${kind}` }, kindLabel(kind), h('span', { class: 'count' }, ` (${approvals.length})`)),
        this.cards(kind, approvals))),
      this.selected.size ? this.batchBar() : null,
      NotificationPrompt(this.app));
  }

  /** The kind's cards, a page at a time; a redraw keeps as many drawn as were. */
  cards(kind, approvals) {
    if (!this.lists.has(kind)) {
      this.lists.set(kind, new PagedList({
        drawRow: (approval) => this.card(approval),
        empty: () => h('li', {}),
        attributes: { class: 'card-list', testid: `approvals-list-${kind}` },
        pageRows: CARDS_PER_KIND,
        drawOnScroll: false,
      }));
    }
    const list = this.lists.get(kind);
    list.show(approvals);
    return list.element;
  }

  card(approval, rejectForm = null) {
    if (!this.strips.has(approval.id)) this.strips.set(approval.id, {});
    return ApprovalCard(this.app, this.data, approval, {
      strips: this.strips.get(approval.id),
      selected: this.selected.has(approval.id),
      onSelect: (checked) => {
        if (checked) this.selected.add(approval.id);
        else this.selected.delete(approval.id);
        this.batchAsking = false;
        this.render();
      },
      onApprove: () => this.approve([approval]),
      onReject: () => this.startReject(approval),
      rejectForm,
    });
  }

  /** Approves `approvals`, held back for the undo window; the toast offers to take it back. */
  async approve(approvals) {
    for (const approval of approvals) this.selected.delete(approval.id);
    this.batchAsking = false;
    const drafts = approvals.map((approval) => ({ op: 'put', type: 'approval', id: approval.id, fields: { status: 'approved' } }));
    const message = approvals.length === 1
      ? t('approvals.approvedOne', { title: subjectTitle(this.data, subjectOf(this.data, approvals[0])) })
      : t('approvals.approvedMany', { count: approvals.length });
    await enqueueUndoable(this.app, drafts, message);
  }

  /** Opens the reason form in place of the card's buttons; no redraw while it is open. */
  startReject(approval) {
    const asker = requesterOf(approval);
    const close = () => {
      this.rejecting?.form.destroy();
      this.rejecting = null;
      this.dirty = false;
      if (location.search) history.replaceState(history.state, '', '/approvals');
      this.render();
    };
    const form = new RejectForm(this, approval, {
      asker: asker ? this.data.nameOf(asker) : null,
      onReject: async ({ reason, shas }) => {
        const fields = { status: 'rejected', decision_comment: reason };
        if (shas.length) fields.photos = { add: shas };
        close();
        await enqueueUndoable(this.app, [{ op: 'put', type: 'approval', id: approval.id, fields }],
          t('approvals.rejectedOne', { title: subjectTitle(this.data, subjectOf(this.data, approval)) }));
      },
      onCancel: close,
    });
    this.rejecting = { id: approval.id, form };
    // The address names the open form, so a reload comes back to it with its draft.
    if (`${location.pathname}${location.search}` !== rejectRoute(approval.id)) history.replaceState(history.state, '', rejectRoute(approval.id));
    this.show(
      h('header', { class: 'screen-header' }, h('h1', { tabindex: '-1' }, t('approvals.rejectTitle'))),
      h('ul', { class: 'card-list' }, this.card(approval, form.element)));
    form.attach();
    form.reason.focus();
  }

  /** "Approve N selected": a look at the count, then one confirmation for all. */
  batchBar() {
    const approvals = [...this.selected].map((id) => recordOf(this.data, 'approval', id)).filter(Boolean);
    if (this.batchAsking) {
      return h('div', { class: 'batch-bar' }, ConfirmPanel({
        question: t('approvals.batchQuestion', { count: approvals.length }),
        testid: 'batch-panel', confirmTestid: 'batch-confirm', cancelTestid: 'batch-cancel',
        confirmLabel: t('approvals.batchApprove', { count: approvals.length }),
        onConfirm: () => this.approve(approvals),
        onCancel: () => {
          this.batchAsking = false;
          this.render();
        },
      }));
    }
    return h('div', { class: 'batch-bar' }, h('button', {
      type: 'button', class: 'button button-primary button-block', testid: 'batch-approve',
      onclick: () => {
        this.batchAsking = true;
        this.render();
      },
    }, t('approvals.batchApprove', { count: approvals.length })));
  }

  closeStrips() {
    for (const strips of this.strips.values()) for (const strip of Object.values(strips)) strip?.destroy();
    this.rejecting?.form.destroy();
  }
}
