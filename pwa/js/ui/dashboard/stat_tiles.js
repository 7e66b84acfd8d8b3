/** A row of big numbers with what they count (actions open, median days, satisfaction …). */
import { h } from '../dom.js';

/** `items` are `{label, value, testid, warn}`. */
export function StatTiles(items) {
  return h('dl', { class: 'stat-tiles' }, items.map(({ label, value, testid, warn }) => h('div', { class: `stat-tile${warn ? ' stat-warn' : ''}`, testid, dataset: { value: String(value) } },
    h('dt', {}, label),
    h('dd', {}, value))));
}
