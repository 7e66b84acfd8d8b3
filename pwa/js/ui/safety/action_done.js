/**
 * Marking a corrective action done asks for the evidence an inspector wants: an "after" photo
 * (required) and a note of what was done (kept as a comment on the action). Before and after
 * are then shown side by side (`RectificationEvidence`).
 */
import { enqueue } from '../../sync/outbox.js';
import { h } from '../dom.js';
import { t } from '../i18n.js';
import { PhotoField, photosSettled } from '../components/photo_field.js';
import { PhotoStrip } from '../components/photo_strip.js';
import { stateLabel } from '../components/record_text.js';
import { ConfirmPanel, commentOn } from '../components/status_actions.js';
import { dropDecision, keepDecision, readDecision } from '../components/decision_draft.js';

const NOTE_MAX = 2000;
/** Actions whose "done" form is open, by id: `{note, shas, field}`; kept across redraws. */
const OPEN = new Map();

function close(app, view) {
  OPEN.get(view.id)?.field?.destroy();
  OPEN.delete(view.id);
  dropDecision(app, view);
}

/** Keeps the open form's note and photos as a draft (see decision_draft.js). */
function keep(app, view, state) {
  keepDecision(app, view, { heading: 'actions.doneDraft', summary: state.note, state: { target: 'done', note: state.note, shas: state.shas } });
}

/**
 * The control `StatusActions` shows for an action's move to done. `redraw()` asks the screen
 * to draw again. testids: `status-to-done`, `action-done-note`, `action-done-photo`,
 * `action-done-photo-missing`, `action-done-confirm`, `action-done-cancel`.
 */
export function ActionDoneControl(app, view, redraw) {
  const state = OPEN.get(view.id);
  if (!state) {
    // A note or photo left before a reload (a crash, an expired login) opens the form again.
    readDecision(app, view).then((saved) => {
      if (saved?.target !== 'done' || OPEN.has(view.id)) return;
      OPEN.set(view.id, { note: saved.note ?? '', shas: [...(saved.shas ?? [])], field: null });
      redraw();
    });
    return h('button', {
      type: 'button', class: 'button', testid: 'status-to-done',
      onclick: () => {
        OPEN.set(view.id, { note: '', shas: [], field: null });
        redraw();
      },
    }, t('record.moveTo', { state: stateLabel('done') }));
  }
  // Kept across redraws like the photo field: a redraw between "a photo is needed" and the
  // photo must not leave the photo field hiding a message no longer on the screen.
  state.missing ??= h('p', { class: 'form-error', role: 'alert', testid: 'action-done-photo-missing', hidden: true }, t('actions.afterPhotoNeeded'));
  const { missing } = state;
  state.field ??= new PhotoField(app, {
    id: 'action-done-photo', label: t('actions.afterPhoto'), shas: state.shas,
    onAdd: (sha) => {
      state.shas.push(sha);
      state.field.set(state.shas);
      missing.hidden = true;
      keep(app, view, state);
    },
  });
  const note = h('textarea', {
    id: 'action-done-note', name: 'action-done-note', testid: 'action-done-note', rows: 3, maxlength: NOTE_MAX, value: state.note,
    oninput: () => {
      state.note = note.value;
      keep(app, view, state);
    },
  });
  return ConfirmPanel({
    question: t('actions.doneQuestion'), className: 'action-done',
    testid: 'action-done-panel', confirmTestid: 'action-done-confirm', cancelTestid: 'action-done-cancel',
    body: [h('div', { class: 'field' }, h('label', { for: 'action-done-note' }, t('actions.doneNote')), note), state.field.element, missing],
    confirmLabel: t('record.moveTo', { state: stateLabel('done') }),
    onConfirm: async (event) => {
      await photosSettled(event.currentTarget);
      if (state.shas.length === 0) {
        missing.hidden = false;
        return;
      }
      const text = state.note.trim();
      const mutations = [{ op: 'put', type: 'action', id: view.id, fields: { photos: { add: [...state.shas] }, status: 'done' } }];
      if (text) mutations.push(commentOn(view, text));
      close(app, view);
      await enqueue(mutations);
      app.notify(t('record.statusQueued', { state: stateLabel('done') }));
      redraw();
    },
    onCancel: () => {
      close(app, view);
      redraw();
    },
  });
}

/**
 * Before (the failed item's photos on its check) and after (the action's photos) side by side.
 * `strips` keeps the two PhotoStrips across redraws: `{before, after}`; the caller destroys them.
 */
export function RectificationEvidence(app, action, check, strips) {
  const before = check?.fields.item_photos?.[action.fields.item] ?? [];
  const after = action.fields.photos ?? [];
  if (before.length === 0 && after.length === 0) return null;
  strips.before ??= new PhotoStrip(app, { testid: 'evidence-before' });
  strips.after ??= new PhotoStrip(app, { testid: 'evidence-after' });
  strips.before.set(before);
  strips.after.set(after);
  const side = (key, strip, shas) => h('div', { class: 'evidence-side', testid: `evidence-${key}-side` },
    h('h3', {}, t(`actions.${key}`)),
    shas.length ? strip.element : h('p', { class: 'empty' }, t('actions.noPhoto')));
  return h('section', { class: 'stack', testid: 'rectification-evidence', 'aria-labelledby': 'evidence-heading' },
    h('h2', { id: 'evidence-heading' }, t('actions.evidence')),
    h('div', { class: 'evidence' }, side('before', strips.before, before), side('after', strips.after, after)));
}
