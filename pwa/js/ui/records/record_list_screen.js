/**
 * A list of every record of one type, with a text filter; rows are drawn a page at a time. On a
 * fresh start the rows it showed first last time are drawn at once, under "loading", and the
 * exact list replaces them as soon as the whole type is read.
 */
import { firstPageRanges } from '../../db/order_keys.js';
import { ascending, loadFirstViewsThrough, loadViewList, sortedViews } from '../../sync/local_view.js';
import { RECORD_TYPES } from '../../sync/record_types.js';
import { h } from '../dom.js';
import { t } from '../i18n.js';
import { earlyViews, keepFirstRows } from '../components/early_rows.js';
import { loadNameDirectory } from '../components/name_directory.js';
import { PAGE_ROWS, PagedList } from '../components/paged_list.js';
import { RecordListItem } from '../components/record_list_item.js';
import { recordTitle, typeLabel } from '../components/record_text.js';
import { Screen } from '../screen.js';

/**
 * Sort order: by a date field when the type has one, else newest change first; then by id, so
 * that the order does not hang on the order the records were read in.
 */
const collate = new Intl.Collator().compare; // localeCompare's order, without its per-call cost
const SORT_FIELD = { task: 'due_date', feedback: 'response_due', action: 'deadline', briefing: 'date', safety_check: 'date' };
// The types whose order key (db/order_keys.js) is this list's order: their first page is read
// through the records' `by_order` index.
const KEYED = new Set(['action', 'work_step']);

export class RecordListScreen extends Screen {
  constructor(...args) {
    super(...args);
    this.filterText = '';
    this.refreshOn('records');
    this.onDestroy(() => this.rows?.destroy());
  }

  /** Builds the header and filter once, then (on every data change) reloads the list only, keeping the filter's focus. */
  async render() {
    const { type } = this.params;
    if (!RECORD_TYPES[type]) {
      this.show(h('h1', { tabindex: '-1' }, t('notFound.title')));
      return;
    }
    if (!this.list) this.buildFrame(type);
    if (!this.views) await this.showFirstRows(type);
    const [views, nameOf] = await Promise.all([loadViewList(type), loadNameDirectory(this.app)]);
    this.views = sortedList(views, type);
    this.nameOf = nameOf;
    this.partial = false;
    this.fillList({ fromTop: false });
  }

  /**
   * Before the whole type is read: the rows this address showed first when last drawn whole, as
   * those records are now (local changes included), filtered and sorted as the list is.
   */
  async showFirstRows(type) {
    const views = await earlyViews(type, this.address(), () => this.firstViews(type));
    if (!views) return;
    const nameOf = await loadNameDirectory(this.app, { wait: false });
    if (this.views) return;
    this.views = sortedList(views, type);
    this.nameOf = nameOf;
    this.partial = true;
    this.fillList({ fromTop: false });
  }

  /**
   * With no first rows kept, the first page at the list's own address without reading the rest
   * of the type: the first records of the `by_order` index with every record changed on the phone
   * (unordered, a superset of the page); null for a type without it.
   */
  async firstViews(type) {
    if (!KEYED.has(type)) return null;
    return loadFirstViewsThrough(type, 'by_order', firstPageRanges(type), PAGE_ROWS);
  }

  /** Where this list is, with its filters: the key of the rows it shows first. */
  address() {
    return `/records/${this.params.type}`;
  }

  /**
   * Draws the filtered, sorted list (`partial` while the whole list loads) and, once it is whole
   * and not searched, remembers its first rows for the next start.
   */
  showRows(shown, { fromTop, searched }) {
    this.rows.show(shown, { fromTop, partial: this.partial });
    if (!this.partial && !searched) keepFirstRows(this.address(), shown);
  }

  /** The list's rows, drawn a page at a time (`PagedList`); `drawRow(view)` draws one. */
  pagedRows(type, drawRow, empty) {
    this.rows = new PagedList({ drawRow, empty, attributes: { dataset: { type } } });
    return this.rows.element;
  }

  buildFrame(type) {
    this.list = this.pagedRows(type, (view) => RecordListItem(view, this.nameOf),
      () => h('li', { class: 'empty' }, t('list.empty', { type: typeLabel(type) })));
    const filterId = 'record-filter';
    this.show(
      h('header', { class: 'screen-header' }, h('h1', { tabindex: '-1' }, t(`types.${type}`))),
      type === 'task' ? h('a', { class: 'button button-primary button-block', href: '/tasks/new', testid: 'new-task' }, t('task.new')) : null,
      h('div', { class: 'field' },
        h('label', { for: filterId }, t('list.filter')),
        h('input', {
          id: filterId, type: 'search', testid: 'record-filter', value: this.filterText,
          oninput: (event) => {
            this.filterText = event.target.value;
            this.fillList({ fromTop: true });
          },
        })),
      this.list);
  }

  fillList({ fromTop }) {
    const needle = this.filterText.trim().toLowerCase();
    const shown = needle ? this.views.filter((view) => recordTitle(view).toLowerCase().includes(needle)) : this.views;
    this.showRows(shown, { fromTop, searched: Boolean(needle) });
  }
}

/**
 * The list sorted, once per list of views (a new one comes only when the type's records or the
 * outbox change): not per keystroke in the search, nor again when the screen is opened again;
 * after a change to a few records, those alone are put in their places.
 */
export function sortedList(views, type) {
  return sortedViews(views, `sorted ${type}`, { compare: compareFor(type) });
}

function compareFor(type) {
  const field = SORT_FIELD[type];
  return (a, b) => {
    if (field) {
      const byDate = collate(String(a.fields[field] ?? '9999'), String(b.fields[field] ?? '9999'));
      if (byDate !== 0) return byDate;
    }
    return collate(String(b.updatedAt ?? '~'), String(a.updatedAt ?? '~')) || ascending(a.id, b.id);
  };
}
