/** Tasks with filter chips (state, overdue, assignee, section) kept in the address, overdue first. */
import { firstPageRanges } from '../../db/order_keys.js';
import { loadFirstViewsThrough, loadViews } from '../../sync/local_view.js';
import { taskProgress } from '../../sync/progress.js';
import { may } from '../../sync/permissions.js';
import { OPEN_TASK_STATES } from '../../sync/record_types.js';
import { h, summaryParts } from '../dom.js';
import { formatDate, t } from '../i18n.js';
import { FilterChips } from '../components/filter_chips.js';
import { PAGE_ROWS } from '../components/paged_list.js';
import { localToday } from '../home/home_sections.js';
import { byCode, isOverdue, sectionLabel } from '../sections/site_facts.js';
import { OverdueChip } from './task_overdue.js';
import { recordTitle, stateLabel } from '../components/record_text.js';
import { RecordListScreen } from '../records/record_list_screen.js';

const STATES = ['todo', 'doing', 'done', 'accepted'];

/** Sorts `tasks` in place with the overdue ones first, each part keeping its order; returns it. */
export function overdueFirst(tasks, today) {
  const overdue = new Set(tasks.filter((view) => isOverdue(view, today)));
  return tasks.sort((a, b) => Number(overdue.has(b)) - Number(overdue.has(a)));
}

export class TaskListScreen extends RecordListScreen {
  constructor(...args) {
    super(...args);
    const query = this.query;
    this.filters = {
      state: query.get('state') ?? 'all', // all | todo | doing | done | accepted | overdue | open
      assignee: query.get('assignee') ?? 'all', // all | me | <user id>
      section: query.get('section') ?? 'all', // all | <section id>
    };
  }

  async render() {
    this.sections = (await loadViews('section')).sort(byCode);
    this.today = localToday();
    return super.render();
  }

  /**
   * The list's frame, kept compact so the first tasks show on a phone: "New task" beside the
   * title, then search, one sideways-scrolling row of state chips, one row with "mine" and the
   * toggle of the rarer filters, and the count.
   */
  buildFrame(type) {
    this.list = this.pagedRows(type, (view) => this.item(view), () => h('li', { class: 'empty' }, t('tasks.noneMatch')));
    this.chips = h('div', { class: 'filters' });
    this.count = h('p', { class: 'muted', testid: 'task-count', role: 'status' });
    this.show(
      h('header', { class: 'screen-header screen-header-row' },
        h('h1', { tabindex: '-1' }, t('types.task')),
        may(this.app.session.roles, 'task', 'create')
          ? h('a', { class: 'button button-primary', href: '/tasks/new', testid: 'new-task' }, t('task.new')) : null),
      h('div', { class: 'field' },
        h('label', { for: 'record-filter' }, t('list.filter')),
        h('input', {
          id: 'record-filter', type: 'search', testid: 'record-filter', value: this.filterText,
          oninput: (event) => {
            this.filterText = event.target.value;
            this.fillList({ fromTop: true });
          },
        })),
      this.chips,
      this.count,
      this.list);
  }

  fillList({ fromTop }) {
    this.drawChips();
    const needle = this.filterText.trim().toLowerCase();
    const me = this.app.session.user?.id;
    const { state, assignee, section } = this.filters;
    const shown = this.views.filter((view) => {
      const status = view.fields.status ?? 'todo';
      if (state === 'overdue' && !isOverdue(view, this.today)) return false;
      if (state === 'open' && !OPEN_TASK_STATES.has(status)) return false;
      if (STATES.includes(state) && status !== state) return false;
      if (assignee === 'me' && view.fields.assignee_id !== me) return false;
      if (!['all', 'me'].includes(assignee) && view.fields.assignee_id !== assignee) return false;
      if (section !== 'all' && view.fields.section_id !== section) return false;
      return !needle || recordTitle(view).toLowerCase().includes(needle);
    });
    overdueFirst(shown, this.today);
    if (this.partial) {
      this.count.textContent = t('list.loading');
      delete this.count.dataset.count;
    } else {
      this.count.textContent = [t('tasks.shown', { count: shown.length }), ...this.filtersInUse()].join(' · ');
      this.count.dataset.count = String(shown.length);
    }
    this.showRows(shown, { fromTop, searched: Boolean(needle) });
  }

  /**
   * With no first rows kept, the first page of every task (no filter) without reading the rest:
   * the first page of each `by_order` range of the tasks (db/order_keys.js), with every task
   * changed on the phone, holds the list's first page, the overdue tasks first.
   */
  async firstViews() {
    if (this.address() !== '/tasks') return null;
    return loadFirstViewsThrough('task', 'by_order', firstPageRanges('task', this.today), PAGE_ROWS);
  }

  /** The address with the filters in use (kept in the address bar, and the key of the first rows). */
  address() {
    const query = String(new URLSearchParams(Object.entries(this.filters).filter(([, v]) => v !== 'all')));
    return `/tasks${query ? `?${query}` : ''}`;
  }

  /** Names of the filters in use (the count line says what the list is narrowed to). */
  filtersInUse() {
    const { state, assignee, section } = this.filters;
    return [
      state === 'all' ? null : this.stateOptions().find(([value]) => value === state)?.[1],
      assignee === 'me' ? t('filter.mine') : null,
      section !== 'all' ? this.sections.find((s) => s.id === section)?.fields.code : null,
      !['all', 'me'].includes(assignee) ? this.nameOf(assignee) ?? assignee.slice(0, 8) : null,
    ].filter(Boolean);
  }

  stateOptions() {
    return [['all', t('filter.all')], ['overdue', t('tasks.overdue')], ['open', t('tasks.open')],
      ...STATES.map((state) => [state, stateLabel(state)])];
  }

  /**
   * Every state is one tap away in a row that scrolls sideways, and so is "mine"; sections and
   * other people (long lists on a big site) wait behind a toggle that counts those in use.
   */
  drawChips() {
    const me = this.app.session.user?.id;
    if (this.othersOf !== this.views) {
      // The people with tasks, worked out once per change of the tasks (not per keystroke).
      this.others = [...new Set(this.views.map((view) => view.fields.assignee_id).filter((id) => id && id !== me))];
      this.othersOf = this.views;
    }
    const others = this.others;
    const pick = (name) => (value) => {
      this.filters[name] = value;
      history.replaceState(null, '', this.address());
      this.fillList({ fromTop: true });
    };
    const { assignee, section } = this.filters;
    const moreInUse = Number(section !== 'all') + Number(!['all', 'me'].includes(assignee));
    const previous = this.chips.querySelector('.filter-row-scroll');
    const scrolled = previous?.scrollLeft;
    const focused = this.chips.contains(document.activeElement) ? document.activeElement.dataset.testid : null;
    this.moreOpen ??= false;
    const panel = h('div', { class: 'stack more-filters', id: 'task-filters-panel', hidden: !this.moreOpen },
      FilterChips({
        label: t('field.section_id'), testid: 'task-filter-section', value: section, onPick: pick('section'),
        options: [['all', t('filter.allSections')], ...this.sections.map((s) => [s.id, s.fields.code ?? sectionLabel(s)])],
      }),
      others.length ? FilterChips({
        label: t('filter.people'), testid: 'task-filter-assignee', value: assignee, onPick: pick('assignee'),
        options: others.map((id) => [id, this.nameOf(id) ?? id.slice(0, 8)]),
      }) : null);
    const toggle = h('button', {
      type: 'button', class: `filter-chip filter-toggle ${moreInUse ? 'filter-chip-strong' : ''}`, testid: 'task-filters-more',
      'aria-expanded': String(this.moreOpen), 'aria-controls': 'task-filters-panel', 'aria-label': `${t('filter.moreLabel')}${moreInUse ? ` (${moreInUse})` : ''}`,
      onclick: () => {
        this.moreOpen = !this.moreOpen;
        panel.hidden = !this.moreOpen;
        toggle.setAttribute('aria-expanded', String(this.moreOpen));
      },
    }, t('filter.more'), moreInUse ? ` (${moreInUse})` : '');
    const stateRow = FilterChips({
      label: t('field.status'), testid: 'task-filter-state', value: this.filters.state, onPick: pick('state'),
      options: this.stateOptions(), scroll: true,
    });
    // Until the new row is measured, its edges fade as the old one's did: a redraw never flickers them.
    for (const edge of ['moreStart', 'moreEnd']) {
      if (previous?.dataset[edge]) stateRow.dataset[edge] = previous.dataset[edge];
    }
    this.chips.replaceChildren(
      stateRow,
      h('div', { class: 'filter-bar' },
        FilterChips({
          label: t('field.assignee_id'), testid: 'task-filter-assignee', value: ['all', 'me'].includes(assignee) ? assignee : null,
          onPick: pick('assignee'), options: [['all', t('filter.everyone')], ['me', t('filter.mine')]],
        }),
        toggle),
      panel);
    if (focused) this.chips.querySelector(`[data-testid="${CSS.escape(focused)}"]`)?.focus({ preventScroll: true });
    // The row is new: keep it where the thumb left it, or (first time) show the pressed chip.
    requestAnimationFrame(() => {
      const pressed = stateRow.querySelector('[aria-pressed="true"]');
      if (scrolled !== undefined) stateRow.scrollLeft = scrolled;
      else if (pressed && pressed.offsetLeft + pressed.offsetWidth > stateRow.clientWidth) stateRow.scrollLeft = pressed.offsetLeft - 8;
    });
  }

  /** One task: title, section, who, due (overdue in red), progress bar and status. */
  item(view) {
    const { status = 'todo', due_date: due, section_id: sectionId, assignee_id: assigneeId } = view.fields;
    const overdue = isOverdue(view, this.today);
    const section = this.sections.find((s) => s.id === sectionId);
    const summary = [section?.fields.code, assigneeId ? this.nameOf(assigneeId) : null,
      due ? t('tasks.due', { date: formatDate(due) }) : null].filter(Boolean);
    return h('li', {},
      h('a', { class: `record-item ${overdue ? 'is-overdue' : ''}`, href: `/r/task/${view.id}`, testid: 'record-item', dataset: { id: view.id, type: 'task' } },
        h('span', { class: 'record-title' }, recordTitle(view)),
        summary.length ? h('span', { class: 'record-summary' }, summaryParts(summary)) : null,
        h('span', { class: 'progress-line' },
          h('progress', { max: 100, value: taskProgress(view.fields), 'aria-hidden': 'true' }),
          h('span', {}, `${taskProgress(view.fields)}%`)),
        h('span', { class: 'record-tags' },
          h('span', { class: `chip chip-${status}` }, stateLabel(status)),
          OverdueChip(view, this.today),
          view.fields.priority === 'urgent' || view.fields.priority === 'high'
            ? h('span', { class: `chip chip-priority-${view.fields.priority}` }, t(`priority.${view.fields.priority}`)) : null,
          view.pending ? h('span', { class: 'chip chip-pending', testid: 'record-pending' }, t('record.notSynced')) : null)));
  }
}
