/** A labelled form control with room for a hint and an error message. */
import { h } from '../dom.js';
import { formatDate } from '../i18n.js';

const COUNT_FROM = 0.8; // a length counter shows from this share of `maxlength` on

/**
 * `control` must carry the `id` given here; the label points at it and the error, when shown,
 * is announced through aria-describedby. A text control with `maxlength` (the server's limit)
 * gets a counter near that limit (testid `<id>-count`); a date input gets the date written out
 * in the UI's language (testid `<id>-text`), since the phone's own picker may show another
 * language's order (mm/dd/yyyy in a Chinese UI).
 */
export function FormField({ id, label, control, hint }) {
  const errorId = `${id}-error`;
  const hintId = hint ? `${id}-hint` : null;
  const extra = control.type === 'date' ? dateText(id, control) : control.maxLength > 0 ? lengthCounter(id, control) : null;
  control.setAttribute('aria-describedby', [hintId, extra?.id, errorId].filter(Boolean).join(' '));
  return h('div', { class: 'field' },
    h('label', { for: id }, label),
    hint ? h('p', { class: 'hint', id: hintId }, hint) : null,
    control,
    extra,
    h('p', { class: 'field-error', id: errorId, hidden: true }));
}

/** "1 234 / 4 000" under a text control once its text nears `maxlength`. */
function lengthCounter(id, control) {
  const max = control.maxLength;
  const counter = h('p', { class: 'hint char-count', id: `${id}-count`, testid: `${id}-count`, hidden: true });
  const update = () => {
    const length = control.value.length;
    counter.hidden = length < max * COUNT_FROM;
    counter.textContent = `${length} / ${max}`;
    counter.classList.toggle('at-limit', length >= max);
  };
  control.addEventListener('input', update);
  control.addEventListener('change', update);
  update();
  return counter;
}

/** The chosen date in words ("2026年11月22日星期日"), beside the native date input. */
function dateText(id, control) {
  const text = h('p', { class: 'hint date-text', id: `${id}-text`, testid: `${id}-text` });
  const update = () => {
    text.textContent = control.value ? formatDate(control.value, 'full') : '';
    text.hidden = !control.value;
  };
  control.addEventListener('input', update);
  control.addEventListener('change', update);
  update();
  return text;
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
