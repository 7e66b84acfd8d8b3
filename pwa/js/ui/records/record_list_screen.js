/** A list of every record of one type, with a text filter. */
import { loadViews } from '../../sync/local_view.js';
import { RECORD_TYPES } from '../../sync/record_types.js';
import { h } from '../dom.js';
import { t } from '../i18n.js';
import { loadNameDirectory } from '../components/name_directory.js';
import { RecordListItem } from '../components/record_list_item.js';
import { recordTitle, typeLabel } from '../components/record_text.js';
import { Screen } from '../screen.js';

/** Sort order: by a date field when the type has one, else newest change first. */
const SORT_FIELD = { task: 'due_date', feedback: 'response_due', action: 'deadline', briefing: 'date', safety_check: 'date' };

export class RecordListScreen extends Screen {
  constructor(...args) {
    super(...args);
    this.filterText = '';
    this.refreshOn('records');
  }

  /** Builds the header and filter once, then (on every data change) reloads the list only, keeping the filter's focus. */
  async render() {
    const { type } = this.params;
    if (!RECORD_TYPES[type]) {
      this.show(h('h1', { tabindex: '-1' }, t('notFound.title')));
      return;
    }
    if (!this.list) this.buildFrame(type);
    const [views, nameOf] = await Promise.all([loadViews(type), loadNameDirectory(this.app)]);
    views.sort(compareFor(type));
    this.views = views;
    this.nameOf = nameOf;
    this.fillList();
  }

  buildFrame(type) {
    this.list = h('ul', { class: 'record-list', testid: 'record-list', dataset: { type } });
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
            this.fillList();
          },
        })),
      this.list);
  }

  fillList() {
    const needle = this.filterText.trim().toLowerCase();
    const shown = needle ? this.views.filter((view) => recordTitle(view).toLowerCase().includes(needle)) : this.views;
    this.list.replaceChildren(...(shown.length
      ? shown.map((view) => RecordListItem(view, this.nameOf))
      : [h('li', { class: 'empty' }, t('list.empty', { type: typeLabel(this.params.type) }))]));
  }
}

function compareFor(type) {
  const field = SORT_FIELD[type];
  return (a, b) => {
    if (field) {
      const byDate = String(a.fields[field] ?? '9999').localeCompare(String(b.fields[field] ?? '9999'));
      if (byDate !== 0) return byDate;
    }
    return String(b.updatedAt ?? '~').localeCompare(String(a.updatedAt ?? '~'));
  };
}
