/** A list of every record of one type, with a text filter; rows are drawn a page at a time. */
import { loadViewList } from '../../sync/local_view.js';
import { RECORD_TYPES } from '../../sync/record_types.js';
import { h } from '../dom.js';
import { t } from '../i18n.js';
import { loadNameDirectory } from '../components/name_directory.js';
import { PagedList } from '../components/paged_list.js';
import { RecordListItem } from '../components/record_list_item.js';
import { recordTitle, typeLabel } from '../components/record_text.js';
import { Screen } from '../screen.js';

/** Sort order: by a date field when the type has one, else newest change first. */
const collate = new Intl.Collator().compare; // localeCompare's order, without its per-call cost
const SORT_FIELD = { task: 'due_date', feedback: 'response_due', action: 'deadline', briefing: 'date', safety_check: 'date' };

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
    const [views, nameOf] = await Promise.all([loadViewList(type), loadNameDirectory(this.app)]);
    this.views = sortedViews(views, type);
    this.nameOf = nameOf;
    this.fillList({ fromTop: false });
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
    this.rows.show(shown, { fromTop });
  }
}

/**
 * The list sorted, once per list of views (a new one comes only when the type's records or the
 * outbox change): not per keystroke in the search, nor again when the screen is opened again.
 */
const sorted = new WeakMap();

function sortedViews(views, type) {
  if (!sorted.has(views)) sorted.set(views, Object.freeze([...views].sort(compareFor(type))));
  return sorted.get(views);
}

function compareFor(type) {
  const field = SORT_FIELD[type];
  return (a, b) => {
    if (field) {
      const byDate = collate(String(a.fields[field] ?? '9999'), String(b.fields[field] ?? '9999'));
      if (byDate !== 0) return byDate;
    }
    return collate(String(b.updatedAt ?? '~'), String(a.updatedAt ?? '~'));
  };
}
