/**
 * A list that draws only its first rows, and the next page of them when the user scrolls near
 * its end (or taps "Show more"): the page holds a bounded number of elements whatever the size
 * of the project, and the first screen costs the same for 50 records as for 50,000.
 *
 * The screen keeps the whole, filtered and sorted, array (cheap) and hands it over with
 * `show(items)`; only `drawRow(item)` builds DOM, and only for the rows drawn. While the whole
 * list is still being read, `show(firstRows, {partial: true})` draws the rows known so far
 * under a "loading" row, and counts nothing.
 */
import { h } from '../dom.js';
import { t } from '../i18n.js';

export const PAGE_ROWS = 40;
// Start drawing the next page this far before its "more" row scrolls into sight.
const AHEAD = '800px';

export class PagedList {
  /**
   * `drawRow(item)` → an `<li>`; `empty()` → what an empty list shows (an `<li>`);
   * `attributes` go on the `<ul>` (class `record-list` and testid `record-list` by default).
   * `drawOnScroll: false` draws the next page only on a tap of "Show more", for a list with
   * more below it on the screen that scrolling must reach.
   */
  constructor({ drawRow, empty, attributes = {}, pageRows = PAGE_ROWS, drawOnScroll = true }) {
    this.drawRow = drawRow;
    this.empty = empty;
    this.pageRows = pageRows;
    this.items = [];
    this.limit = pageRows;
    this.element = h('ul', { class: 'record-list', testid: 'record-list', ...attributes });
    this.moreButton = h('button', { type: 'button', class: 'button button-block', testid: 'list-more', onclick: () => this.more() });
    this.moreRow = h('li', { class: 'list-more' }, this.moreButton);
    this.loadingRow = h('li', { class: 'list-more muted', testid: 'list-loading' });
    this.watcher = drawOnScroll && 'IntersectionObserver' in globalThis
      ? new IntersectionObserver((entries) => {
        if (entries.some((entry) => entry.isIntersecting)) this.more();
      }, { rootMargin: `0px 0px ${AHEAD} 0px` })
      : null;
  }

  /**
   * Shows `items`. `fromTop` (a new filter or search) starts again at the first page; otherwise
   * (the data changed under the user) as many rows as were drawn stay drawn. `partial`: the
   * first rows only, drawn while the whole list loads (no count, nothing more to draw yet).
   */
  show(items, { fromTop = false, partial = false } = {}) {
    this.items = items;
    if (fromTop) this.limit = this.pageRows;
    this.watcher?.disconnect();
    this.element.setAttribute('aria-busy', String(partial));
    if (partial) {
      delete this.element.dataset.total;
      this.loadingRow.textContent = t('list.loading');
      this.element.replaceChildren(...items.slice(0, this.limit).map(this.drawRow), this.loadingRow);
      return;
    }
    this.element.dataset.total = String(items.length); // how many match, drawn or not
    if (items.length === 0) {
      this.element.replaceChildren(this.empty());
      return;
    }
    const rows = items.slice(0, this.limit).map(this.drawRow);
    this.element.replaceChildren(...rows, ...this.moreRowIfAny());
  }

  /** Draws the next page below the rows already drawn. */
  more() {
    const drawn = Math.min(this.limit, this.items.length);
    if (drawn >= this.items.length) return;
    this.limit = drawn + this.pageRows;
    this.watcher?.disconnect();
    this.moreRow.remove();
    this.element.append(...this.items.slice(drawn, this.limit).map(this.drawRow), ...this.moreRowIfAny());
  }

  /** The "more" row while rows are left to draw, watched so that scrolling near it draws them. */
  moreRowIfAny() {
    const left = this.items.length - Math.min(this.limit, this.items.length);
    if (left <= 0) return [];
    this.moreButton.textContent = t('list.more', { left });
    this.watcher?.observe(this.moreRow);
    return [this.moreRow];
  }

  /** Stops watching the scroll (the screen is left). */
  destroy() {
    this.watcher?.disconnect();
  }
}
