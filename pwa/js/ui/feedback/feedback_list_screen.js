/** Resident feedback by response deadline, each counting down (red once overdue). */
import { ascending, derivedFrom, loadFirstViewsThrough, loadViewList } from '../../sync/local_view.js';
import { may } from '../../sync/permissions.js';
import { RECORD_TYPES } from '../../sync/record_types.js';
import { DueChip, isPastDue } from '../components/countdown.js';
import { h, summaryParts } from '../dom.js';
import { earlyViews, keepFirstRows } from '../components/early_rows.js';
import { FilterChips } from '../components/filter_chips.js';
import { t } from '../i18n.js';
import { loadNameDirectory } from '../components/name_directory.js';
import { PAGE_ROWS, PagedList } from '../components/paged_list.js';
import { stateLabel } from '../components/record_text.js';
import { Screen } from '../screen.js';

const TICK_MS = 30_000;
const FINISHED = ['resolved', 'closed'];
const status = (item) => item.fields.status ?? 'received';
const overdue = (item, now = Date.now()) => !FINISHED.includes(status(item)) && isPastDue(item.fields.response_due, now);

/**
 * Complaints in the list's order: those still to answer first, then by the answer's deadline,
 * earliest first (one logged offline has no deadline until the server sets it, and comes first).
 * Each complaint's place is worked out once, not in every comparison.
 */
function byDeadline(items) {
  const keyed = items.map((item) => {
    const due = Date.parse(item.fields.response_due ?? '');
    return [Number(FINISHED.includes(status(item))), Number.isNaN(due) ? -Infinity : due, item];
  });
  keyed.sort((a, b) => a[0] - b[0] || ascending(a[1], b[1]));
  return keyed.map(([, , item]) => item);
}

/**
 * The complaints a filter shows, in the list's order. The order changes only with the
 * complaints, so it is worked out once per list of them.
 */
export function complaintsShown(items, filter, { now = Date.now() } = {}) {
  const keep = {
    open: (item) => status(item) !== 'closed',
    overdue: (item) => overdue(item, now),
    closed: (item) => status(item) === 'closed',
    all: () => true,
  }[filter] ?? (() => true);
  const sorted = derivedFrom(items, 'feedback by deadline', () => byDeadline(items));
  return sorted.filter(keep);
}

/**
 * The first page of the open complaints without reading the rest: the earliest deadlines of each
 * state not closed, through the records' `by_state_due` index (database.js), put in the list's
 * order. The server writes every deadline as `YYYY-MM-DDTHH:MM:SSZ`, so the index's text order
 * is their time order. A complaint without a deadline yet is not in the index; it shows once the
 * whole list is read.
 */
export async function firstOpenComplaints() {
  const ranges = Object.keys(RECORD_TYPES.feedback.transitions).filter((state) => state !== 'closed')
    .map((state) => IDBKeyRange.bound(['feedback', state], ['feedback', state, []]));
  const views = await loadFirstViewsThrough('feedback', 'by_state_due', ranges, PAGE_ROWS);
  return complaintsShown(views, 'open').slice(0, PAGE_ROWS);
}

export class FeedbackListScreen extends Screen {
  constructor(...args) {
    super(...args);
    this.filter = this.query.get('show') ?? 'open'; // open | overdue | closed | all
    this.refreshOn('records');
    const clock = setInterval(() => this.render(), TICK_MS); // the countdowns move on
    this.onDestroy(() => clearInterval(clock));
    this.rows = new PagedList({
      drawRow: (item) => this.item(item),
      empty: () => h('li', { class: 'empty' }, t('home.nothing')),
      attributes: { dataset: { type: 'feedback' } },
    });
    this.onDestroy(() => this.rows.destroy());
  }

  /**
   * On a fresh start, the rows this filter showed first last time are drawn at once (as loading,
   * counting nothing); then the whole list, which is remembered for the next start.
   */
  async render() {
    if (!this.drawnWhole) {
      const early = await earlyViews('feedback', this.address(), this.filter === 'open' ? firstOpenComplaints : null);
      if (early && !this.drawnWhole) this.draw(early, await loadNameDirectory(this.app, { wait: false }), { partial: true });
    }
    const [items, nameOf] = await Promise.all([loadViewList('feedback'), loadNameDirectory(this.app)]);
    this.draw(items, nameOf, { partial: false });
    this.drawnWhole = true;
  }

  /** The address of this filter: the key of the rows it shows first. */
  address() {
    return this.filter === 'open' ? '/feedback' : `/feedback?show=${this.filter}`;
  }

  /** Draws `items` filtered and sorted; `partial`: only the early rows, while the whole list loads. */
  draw(items, nameOf, { partial }) {
    const now = Date.now();
    const shown = complaintsShown(items, this.filter, { now });
    this.nameOf = nameOf;
    this.rows.show(shown, { fromTop: this.shownFilter !== this.filter, partial });
    this.shownFilter = this.filter;
    if (!partial) keepFirstRows(this.address(), shown);
    this.show(
      h('header', { class: 'screen-header' }, h('h1', { tabindex: '-1' }, t('types.feedback'))),
      may(this.app.session.roles, 'feedback', 'create')
        ? h('a', { class: 'button button-primary button-block button-big', href: '/feedback/new', testid: 'new-feedback' }, t('feedback.new')) : null,
      FilterChips({
        label: t('field.status'), testid: 'feedback-filter', value: this.filter,
        options: [['open', t('feedback.notClosed')],
          // Counted once the whole list is read: "…" meanwhile, taking about the count's room.
          ['overdue', t('feedback.overdue', { count: partial ? '…' : items.filter((item) => overdue(item, now)).length })],
          ['closed', stateLabel('closed')], ['all', t('filter.all')]],
        onPick: (value) => {
          this.filter = value;
          history.replaceState(null, '', this.address());
          this.render();
        },
      }),
      this.rows.element);
  }

  /** One complaint: what was said, where, its state and the countdown to the answer due. */
  item(item) {
    const { nameOf } = this;
    const state = status(item);
    const late = overdue(item);
    return h('li', {}, h('a', {
      class: `record-item ${late ? 'is-overdue' : ''}`, href: `/r/feedback/${item.id}`, testid: 'record-item', dataset: { id: item.id, type: 'feedback' },
    },
      h('span', { class: 'record-title' }, item.fields.description ?? ''),
      h('span', { class: 'record-summary' }, summaryParts([t(`category.${item.fields.category}`), nameOf(item.fields.section_id), item.fields.location].filter(Boolean))),
      h('span', { class: 'record-tags' },
        h('span', { class: `chip chip-${state}` }, stateLabel(state)),
        DueChip(item.fields.response_due, { done: FINISHED.includes(state) }),
        item.fields.satisfaction ? h('span', { class: 'chip' }, t('feedback.score', { score: item.fields.satisfaction })) : null,
        item.pending ? h('span', { class: 'chip chip-pending', testid: 'record-pending' }, t('record.notSynced')) : null)));
  }
}
