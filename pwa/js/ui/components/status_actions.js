/** Buttons for the state changes a record can make next and the user's role may make (the server checks again). */
import { enqueue } from '../../sync/outbox.js';
import { isAuthorOf, may, rolesIn } from '../../sync/permissions.js';
import { initialState, nextStates } from '../../sync/record_types.js';
import { h } from '../dom.js';
import { t } from '../i18n.js';
import { stateLabel } from './record_text.js';

/** The states `view` may move to next for this user (role in the record's project). */
export function allowedTargets(app, view) {
  const current = view.fields.status ?? initialState(view.type);
  if (!current) return [];
  const roles = rolesIn(app.session, view.fields.project_id);
  const isAuthor = isAuthorOf(app.session, view);
  return nextStates(view.type, current)
    .filter((state) => may(roles, view.type, `status:${current}->${state}`, { isAuthor }));
}

/**
 * Returns the buttons' container, or null when the record has no state to move to.
 * `custom[state](view)` may give its own control for a target (e.g. closing feedback asks for a score).
 */
export function StatusActions(app, view, { custom = {}, onMoved } = {}) {
  const targets = allowedTargets(app, view);
  if (targets.length === 0) return null;
  return h('div', { class: 'status-actions', role: 'group', 'aria-label': t('record.changeStatus') },
    targets.map((state) => custom[state]?.(view) ?? h('button', {
      type: 'button', class: 'button', testid: `status-to-${state}`,
      onclick: async () => {
        await enqueue([{ op: 'put', type: view.type, id: view.id, fields: { status: state } }]);
        app.notify(t('record.statusQueued', { state: stateLabel(state) }));
        onMoved?.(state);
      },
    }, t('record.moveTo', { state: stateLabel(state) }))));
}
