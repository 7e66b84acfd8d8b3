/** A labelled form control with room for a hint and an error message. */
import { h } from './dom.js';

/**
 * `control` must carry the `id` given here; the label points at it and the error, when shown,
 * is announced through aria-describedby.
 */
export function FormField({ id, label, control, hint }) {
  const errorId = `${id}-error`;
  const hintId = hint ? `${id}-hint` : null;
  control.setAttribute('aria-describedby', [hintId, errorId].filter(Boolean).join(' '));
  return h('div', { class: 'field' },
    h('label', { for: id }, label),
    hint ? h('p', { class: 'hint', id: hintId }, hint) : null,
    control,
    h('p', { class: 'field-error', id: errorId, hidden: true }));
}

/** Shows (or with an empty message clears) the error of the field whose control has `id`. */
export function setFieldError(form, id, message) {
  const control = form.querySelector(`#${CSS.escape(id)}`);
  const error = form.querySelector(`#${CSS.escape(`${id}-error`)}`);
  if (!control || !error) return;
  error.textContent = message ?? '';
  error.hidden = !message;
  if (message) control.setAttribute('aria-invalid', 'true');
  else control.removeAttribute('aria-invalid');
}
