/** Buttons for the state changes a record can make next and the user's role may make (the server checks again). */
import { randomUuid } from '../../db/random_uuid.js';
import { enqueue, withdrawHeld } from '../../sync/outbox.js';
import { isAuthorOf, may, mayDecide, rolesIn } from '../../sync/permissions.js';
import { initialState, nextStates, stateStamps } from '../../sync/record_types.js';
import { fill, h } from '../dom.js';
import { t } from '../i18n.js';
import { dropDecision, keepDecision, readDecision } from './decision_draft.js';
import { stateLabel } from './record_text.js';

/** The states `view` may move to next for this user (role in the record's project). */
export function allowedTargets(app, view) {
  const current = view.fields.status ?? initialState(view.type);
  if (!current) return [];
  const roles = rolesIn(app.session, view.fields.project_id);
  const isAuthor = isAuthorOf(app.session, view);
  return nextStates(view.type, current).filter((state) => (
    // An approval's approve and reject are its kind's deciders' (decide:<kind>), as on the server.
    view.type === 'approval' && ['approved', 'rejected'].includes(state)
      ? mayDecide(roles, view.fields.kind)
      : may(roles, view.type, `status:${current}->${state}`, { isAuthor })));
}

/** How long a complaint's step can be taken back before it is sent. */
export const UNDO_MS = 8_000;

/**
 * Queues `drafts` held back for UNDO_MS and says `message` with an undo button: a tap within
 * that time takes them back out of the outbox, as if never made; then they go out as usual.
 */
export async function enqueueUndoable(app, drafts, message) {
  const stamped = await enqueue(drafts, { holdMs: UNDO_MS });
  app.notify(message, {
    ms: UNDO_MS,
    action: {
      label: t('record.undo'), testid: 'undo',
      run: async () => {
        const undone = await withdrawHeld(stamped.map((mutation) => mutation.mid));
        app.notify(undone ? t('record.undone') : t('record.tooLateToUndo'));
      },
    },
  });
  setTimeout(() => app.engine?.soon(), UNDO_MS + 100); // sent as soon as it may be
}

/**
 * Decisions that close a loop or send work back ask once more before they are queued, so a
 * gloved tap cannot decide by mistake; `reason` ones also ask why (an approval's decision
 * comment, or a comment on the record), and the work's owner reads it.
 */
const DECISIONS = {
  task: { accepted: {}, doing: { from: 'done', reason: true } },
  approval: { approved: {}, rejected: { reason: true }, withdrawn: {} },
  safety_check: { verified: {}, closed: {}, rectifying: { from: 'verified', reason: true } },
  action: { verified: {}, open: { from: 'done', reason: true } },
};

/** The decision being confirmed, `{key, state, reason}`: one at a time, as one screen shows. */
let asking = null;

function decisionOf(view, state) {
  const decision = DECISIONS[view.type]?.[state];
  if (!decision) return null;
  const current = view.fields.status ?? initialState(view.type);
  return decision.from && decision.from !== current ? null : decision;
}

/** A new comment on the record `view` saying `body`, as a mutation draft. */
export function commentOn(view, body) {
  return { op: 'put', type: 'comment', id: randomUuid(), fields: {
    project_id: view.fields.project_id, subject_type: view.type, subject_id: view.id, body } };
}

/** The mutations a move queues: the state, and with a reason, where the reason is kept. */
function moveMutations(view, state, reason) {
  const move = { status: state, ...stateStamps(view, state) };
  if (!reason) return [{ op: 'put', type: view.type, id: view.id, fields: move }];
  if (view.type === 'approval') {
    return [{ op: 'put', type: view.type, id: view.id, fields: { ...move, decision_comment: reason } }];
  }
  return [{ op: 'put', type: view.type, id: view.id, fields: move }, commentOn(view, reason)];
}

/**
 * The question a decision asks before it is queued: `question`, what else it needs (`body`),
 * then confirm (labelled `confirmLabel`) and cancel; testids `status-confirm-panel`,
 * `status-confirm` and `status-cancel` unless given.
 */
export function ConfirmPanel({
  question, body = [], confirmLabel, onConfirm, onCancel, className = '', dataset,
  testid = 'status-confirm-panel', confirmTestid = 'status-confirm', cancelTestid = 'status-cancel',
}) {
  return h('div', { class: `status-confirm stack ${className}`, testid, dataset },
    h('p', { class: 'status-confirm-question' }, question),
    body,
    h('div', { class: 'form-actions' },
      h('button', { type: 'button', class: 'button button-primary', testid: confirmTestid, onclick: onConfirm }, confirmLabel),
      h('button', { type: 'button', class: 'button', testid: cancelTestid, onclick: onCancel }, t('common.cancel'))));
}

/**
 * Returns the buttons' container, or null when the record has no state to move to.
 * `custom[state](view)` may give its own control for a target (e.g. closing feedback asks for a score).
 * A decision (see DECISIONS) first opens a confirmation in place of the buttons: testids
 * `status-confirm`, `status-cancel` and, where a reason is asked, `status-reason`.
 */
export function StatusActions(app, view, { custom = {}, onMoved, undoable = false } = {}) {
  const targets = allowedTargets(app, view);
  if (targets.length === 0) return null;
  const group = h('div', { class: 'status-actions', role: 'group', 'aria-label': t('record.changeStatus') });
  const key = `${view.type}/${view.id}/${view.fields.status ?? ''}`;
  const move = async (state, reason = '') => {
    asking = null;
    dropDecision(app, view);
    if (undoable) await enqueueUndoable(app, moveMutations(view, state, reason), t('record.statusQueued', { state: stateLabel(state) }));
    else {
      await enqueue(moveMutations(view, state, reason));
      app.notify(t('record.statusQueued', { state: stateLabel(state) }));
    }
    onMoved?.(state);
  };
  const buttons = () => fill(group, targets.map((state) => custom[state]?.(view) ?? h('button', {
    type: 'button', class: 'button', testid: `status-to-${state}`,
    onclick: () => {
      const decision = decisionOf(view, state);
      if (decision) confirm(state, decision, true);
      else move(state);
    },
  }, t('record.moveTo', { state: stateLabel(state) }))));
  const confirm = (state, decision, focus = false) => {
    asking = { key, state, reason: asking?.key === key && asking.state === state ? asking.reason : '' };
    const reason = decision.reason
      ? h('textarea', {
        id: 'status-reason', name: 'status-reason', testid: 'status-reason', rows: 3, maxlength: 2000, required: true,
        value: asking.reason,
        oninput: () => {
          asking.reason = reason.value;
          problem.hidden = true;
          keepDecision(app, view, { heading: 'record.reasonDraft', summary: reason.value, state: { target: state, reason: reason.value } });
        },
      })
      : null;
    const problem = h('p', { class: 'form-error', role: 'alert', testid: 'status-reason-missing', hidden: true }, t('record.reasonNeeded'));
    fill(group, ConfirmPanel({
      question: t('record.confirmMove', { state: stateLabel(state) }),
      dataset: { state },
      body: [reason ? h('div', { class: 'field' }, h('label', { for: 'status-reason' }, t('record.reason')), reason) : null, problem],
      confirmLabel: t('record.moveTo', { state: stateLabel(state) }),
      onConfirm: () => {
        const why = reason?.value.trim() ?? '';
        if (reason && !why) {
          problem.hidden = false;
          reason.focus();
          return;
        }
        move(state, why);
      },
      onCancel: () => {
        asking = null;
        dropDecision(app, view);
        buttons();
      },
    }));
    // A redraw gives the focus and caret of a box being typed in to its twin (Screen.show).
    if (focus) (reason ?? group.querySelector('[data-testid="status-confirm"]')).focus();
  };
  // A screen redrawn while the question is open (a sync, the history arriving) keeps it open.
  const open = asking?.key === key && targets.includes(asking.state) ? decisionOf(view, asking.state) : null;
  if (open) confirm(asking.state, open);
  else {
    buttons();
    // A reason left half-typed (a reload, a crash) opens its question again, with the typing.
    readDecision(app, view).then((saved) => {
      if (!saved?.target || !group.isConnected || asking) return;
      const decision = targets.includes(saved.target) ? decisionOf(view, saved.target) : null;
      if (!decision) {
        dropDecision(app, view); // the record has moved on: the question no longer stands
        return;
      }
      asking = { key, state: saved.target, reason: saved.reason ?? '' };
      confirm(saved.target, decision);
    });
  }
  return group;
}
