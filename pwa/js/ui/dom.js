/** Building DOM nodes without innerHTML (text is never parsed as markup). */

/** Properties set after children, so a <select>'s value can pick one of its options. */
const LATE_PROPERTIES = new Set(['value', 'checked', 'selected', 'disabled', 'indeterminate']);

/**
 * `h('button', {class: 'primary', testid: 'sync-now', onclick}, 'Sync')` builds an element.
 * `on*` props add listeners, `testid` sets data-testid, `dataset` sets data-*, null/false props are skipped.
 */
export function h(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  const late = [];
  for (const [name, value] of Object.entries(props ?? {})) {
    if (value == null || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') node.addEventListener(name.slice(2), value);
    else if (name === 'class') node.className = value;
    else if (name === 'testid') node.dataset.testid = value;
    else if (name === 'dataset') Object.assign(node.dataset, value);
    else if (LATE_PROPERTIES.has(name)) late.push([name, value]);
    else node.setAttribute(name, value === true ? '' : value);
  }
  node.append(...children.flat(Infinity).filter((child) => child != null && child !== false));
  for (const [name, value] of late) node[name] = value;
  return node;
}

/**
 * Text people typed (a name, a title, a place), in whatever language they wrote it, marked as
 * theirs: <bdi> keeps its writing direction apart from the sentence around it, and tells the
 * interface's own words from what was typed.
 */
export function userText(value) {
  return value == null || value === '' ? null : h('bdi', {}, String(value));
}

/** Typed values (names, codes) as one line, each marked as typed, `separator` between them. */
export function userList(values, separator = ' · ') {
  return values.filter((value) => value != null && value !== '').flatMap((value, index) => [index ? separator : null, userText(value)]);
}

/**
 * The items of a summary line with " · " between them. Each item breaks onto the next line as
 * a whole ("Progress: 0%", a person's name), never in its middle, unless it is wider than a line.
 */
export function summaryParts(items) {
  return items.flatMap((item, index) => [index ? ' · ' : null, h('span', { class: 'summary-part' }, item)]);
}

/** A small inline SVG icon from a 24×24 path, hidden from screen readers. */
export function icon(pathData) {
  const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('class', 'icon');
  const path = document.createElementNS('http://www.w3.org/2000/svg', 'path');
  path.setAttribute('d', pathData);
  svg.append(path);
  return svg;
}

/** Replaces a node's children; arrays are flattened and null/false children skipped, as in h(). */
export function fill(node, ...children) {
  node.replaceChildren(...children.flat(Infinity).filter((child) => child != null && child !== false));
  return node;
}
