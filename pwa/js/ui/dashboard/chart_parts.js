/** What every dashboard chart shares: SVG nodes, a caption a tap fills in, and its numbers as a table. */
import { h } from '../dom.js';
import { t } from '../i18n.js';

const SVG = 'http://www.w3.org/2000/svg';

/** `s('rect', {x, y, …}, …children)`: an SVG element (attributes set as given; null skipped). */
export function s(tag, attributes = {}, ...children) {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value == null || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') node.addEventListener(name.slice(2), value);
    else if (name === 'testid') node.setAttribute('data-testid', value);
    else node.setAttribute(name, String(value));
  }
  node.append(...children.flat(Infinity).filter((child) => child != null && child !== false));
  return node;
}

/**
 * A chart figure: the SVG (drawn for sight, hidden from screen readers, which read the table),
 * a caption line that says the numbers of the part last tapped, and the numbers as a table.
 * `draw(say)` returns the SVG; calling `say(text)` puts `text` in the caption (a string, or
 * nodes so that names people typed stay marked as theirs). `more` (an element) goes under the
 * SVG: a button that draws more of a chart drawn in part.
 */
export function ChartFigure({ testid, label, draw, table, more = null }) {
  const caption = h('p', { class: 'chart-caption', 'aria-live': 'polite', testid: `${testid}-caption` });
  const say = (text) => { caption.replaceChildren(...[text].flat(Infinity).filter((part) => part != null && part !== false)); };
  const svg = draw(say);
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('class', 'chart');
  return h('figure', { class: 'chart-figure', testid },
    h('figcaption', { class: 'muted' }, label),
    svg,
    more,
    caption,
    h('details', { class: 'chart-numbers' },
      h('summary', {}, t('dashboard.numbers')),
      table));
}

/** A tappable SVG part: the pointer shows it can be tapped, and a tap says `text`. */
export function tappable(node, say, text) {
  node.setAttribute('class', `${node.getAttribute('class') ?? ''} tappable`.trim());
  node.addEventListener('click', () => say(text));
  node.append(s('title', {}, [text].flat(Infinity).map((part) => (part instanceof Node ? part.textContent : part ?? '')).join('')));
  return node;
}

/**
 * `text` cut to fit `width` units of an SVG at `size` px, with an ellipsis when cut. Widths are
 * estimated (an SVG not yet on the page cannot be measured): a CJK or full-width character is
 * 1 em, any other 0.72 em (bold DejaVu digits are 0.7 em), so what is estimated to fit does.
 */
export function fitText(text, width, size) {
  const chars = [...String(text ?? '')];
  const em = (char) => (char.codePointAt(0) >= 0x2e80 ? 1 : 0.72) * size;
  const total = chars.reduce((sum, char) => sum + em(char), 0);
  if (total <= width) return { text: chars.join(''), cut: false };
  let used = size; // the ellipsis
  let kept = 0;
  while (kept < chars.length && used + em(chars[kept]) <= width) used += em(chars[kept++]);
  return { text: `${chars.slice(0, kept).join('').trimEnd()}…`, cut: true };
}

/** A table of `rows` (arrays of cells) under `headers`, testid `testid`. */
export function NumbersTable(headers, rows, testid) {
  return h('table', { class: 'numbers', testid },
    h('thead', {}, h('tr', {}, headers.map((text) => h('th', { scope: 'col' }, text)))),
    h('tbody', {}, rows.map((cells) => h('tr', {}, cells.map((cell, index) => (index === 0
      ? h('th', { scope: 'row' }, cell) : h('td', {}, cell)))))));
}

/** `47%`, or a dash for a figure there is no data for. */
export function percent(value) {
  return value == null ? t('dashboard.none') : `${value}%`;
}

/** A number, or a dash for none. */
export function number(value) {
  return value == null ? t('dashboard.none') : String(value);
}

/** "滞后 2 天" / "提前 3 天" / "按计划" for a deviation in days. */
export function deviationText(days) {
  if (days == null) return t('dashboard.none');
  if (days > 0) return t('dashboard.late', { days });
  if (days < 0) return t('dashboard.early', { days: -days });
  return t('dashboard.onTime');
}
