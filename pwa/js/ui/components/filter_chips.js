/** A row of toggle chips that filter a list (one pick per row). */
import { h } from '../dom.js';

/**
 * `options`: `[[value, label], …]`; the chip of `value` is pressed. testids `<testid>-<value>`.
 * `onPick(value)` hears taps. With `scroll`, the row stays one line and scrolls sideways
 * (a long set of chips that must not push the list down); otherwise it wraps.
 */
export function FilterChips({ label, options, value, testid, onPick, scroll = false }) {
  const row = h('div', { class: `filter-row ${scroll ? 'filter-row-scroll' : ''}`, role: 'group', 'aria-label': label, testid },
    options.map(([optionValue, text]) => h('button', {
      type: 'button', class: 'filter-chip', testid: `${testid}-${optionValue}`,
      'aria-pressed': String(optionValue === value),
      onclick: () => onPick(optionValue),
    }, text)));
  if (scroll) markHiddenChips(row);
  return row;
}

/**
 * A row that scrolls sideways says where chips are out of sight: `data-more-start` and
 * `data-more-end` fade that edge (app.css), kept true as the row scrolls or the screen turns.
 */
function markHiddenChips(row) {
  const mark = () => {
    if (!row.isConnected) {
      removeEventListener('resize', mark);
      return;
    }
    row.dataset.moreStart = String(row.scrollLeft > 1);
    row.dataset.moreEnd = String(row.scrollLeft + row.clientWidth < row.scrollWidth - 1);
  };
  row.addEventListener('scroll', mark, { passive: true });
  addEventListener('resize', mark);
  requestAnimationFrame(mark);
}
