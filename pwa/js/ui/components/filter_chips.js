/** A row of toggle chips that filter a list (one pick per row). */
import { h } from '../dom.js';

/**
 * `options`: `[[value, label], …]`; the chip of `value` is pressed. testids `<testid>-<value>`.
 * `onPick(value)` hears taps. With `scroll`, the row stays one line and scrolls sideways
 * (a long set of chips that must not push the list down); otherwise it wraps.
 */
export function FilterChips({ label, options, value, testid, onPick, scroll = false }) {
  return h('div', { class: `filter-row ${scroll ? 'filter-row-scroll' : ''}`, role: 'group', 'aria-label': label, testid },
    options.map(([optionValue, text]) => h('button', {
      type: 'button', class: 'filter-chip', testid: `${testid}-${optionValue}`,
      'aria-pressed': String(optionValue === value),
      onclick: () => onPick(optionValue),
    }, text)));
}
