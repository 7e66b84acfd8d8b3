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

/** A labelled <select> from `[[value, text], …]`; the control's id is also its data-testid. */
export function SelectField({ id, label, options, value = '', hint, onchange, name = id }) {
  const control = h('select', { id, name, testid: id, value, onchange },
    options.map(([optionValue, text]) => h('option', { value: optionValue }, text)));
  return FormField({ id, label, control, hint });
}

/** A labelled input; `attributes` go on the <input> (type, value, min, …). */
export function InputField({ id, label, hint, name = id, ...attributes }) {
  return FormField({ id, label, hint, control: h('input', { id, name, testid: id, ...attributes }) });
}

/** A labelled <textarea>. */
export function TextareaField({ id, label, hint, name = id, value = '', rows = 3, ...attributes }) {
  return FormField({ id, label, hint, control: h('textarea', { id, name, testid: id, rows, value, ...attributes }) });
}
