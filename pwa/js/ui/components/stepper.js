/** A number with big − and + buttons (head count, likelihood, severity): one thumb, no keyboard needed. */
import { h } from '../dom.js';
import { t } from '../i18n.js';

/**
 * A labelled number input between two ≥56 px buttons. testids: `<testid>` (the input),
 * `<testid>-minus`, `<testid>-plus`. `onChange(value)` hears every change; `after` goes below.
 */
export function Stepper({ id, label, value, min = 0, max = 9999, step = 1, testid = id, onChange, hint, describedBy, after }) {
  const hintId = hint ? `${id}-hint` : null;
  const input = h('input', {
    id, name: id, testid, type: 'number', inputmode: 'numeric', min, max, step, value: value ?? '',
    class: 'stepper-value', 'aria-describedby': [hintId, describedBy].filter(Boolean).join(' ') || null,
    onchange: () => set(input.value === '' ? NaN : Number(input.value)),
  });
  function set(next) {
    if (!Number.isFinite(next)) next = value ?? min;
    next = Math.min(max, Math.max(min, Math.round(next)));
    input.value = String(next);
    value = next;
    onChange?.(next);
  }
  // From empty (not set yet) either button sets the lowest value first.
  const nextValue = (direction) => (input.value === '' && value == null ? min : Number(input.value) + direction * step);
  return h('div', { class: 'field' },
    h('label', { for: id }, label),
    hint ? h('p', { class: 'hint', id: hintId }, hint) : null,
    h('div', { class: 'stepper' },
      h('button', {
        type: 'button', class: 'button stepper-button', testid: `${testid}-minus`, 'aria-label': t('stepper.decrease', { label }),
        onclick: () => set(nextValue(-1)),
      }, '−'),
      input,
      h('button', {
        type: 'button', class: 'button stepper-button', testid: `${testid}-plus`, 'aria-label': t('stepper.increase', { label }),
        onclick: () => set(nextValue(1)),
      }, '+')),
    after);
}
