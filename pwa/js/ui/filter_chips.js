/** A row of toggle chips that filter a list (one pick per row); it scrolls sideways on narrow phones. */
import { h } from './dom.js';

/**
 * `options`: `[[value, label], …]`; the chip of `value` is pressed. testids `<testid>-<value>`.
 * `onPick(value)` hears taps.
 */
export function FilterChips({ label, options, value, testid, onPick }) {
  return h('div', { class: 'filter-row', role: 'group', 'aria-label': label, testid },
    options.map(([optionValue, text]) => h('button', {
      type: 'button', class: 'filter-chip', testid: `${testid}-${optionValue}`,
      'aria-pressed': String(optionValue === value),
      onclick: () => onPick(optionValue),
    }, text)));
}
