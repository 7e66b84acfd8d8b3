/** Buttons for the state changes a record can make next (the server checks the role and the state). */
import { enqueue } from '../sync/outbox.js';
import { initialState, nextStates } from '../sync/record_types.js';
import { h } from './dom.js';
import { t } from './i18n.js';
import { stateLabel } from './record_text.js';

/** Returns the buttons' container, or null when the record has no state to move to. */
export function StatusActions(app, view) {
  const current = view.fields.status ?? initialState(view.type);
  const targets = nextStates(view.type, current, app.session.roles);
  if (!current || targets.length === 0) return null;
  return h('div', { class: 'status-actions', role: 'group', 'aria-label': t('record.changeStatus') },
    targets.map((state) => h('button', {
      type: 'button', class: 'button', testid: `status-to-${state}`,
      onclick: async () => {
        await enqueue([{ op: 'put', type: view.type, id: view.id, fields: { status: state } }]);
        app.notify(t('record.statusQueued', { state: stateLabel(state) }));
      },
    }, t('record.moveTo', { state: stateLabel(state) }))));
}
