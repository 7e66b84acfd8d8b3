/** Tasks with filter chips (state, overdue, assignee, section) kept in the address, overdue first. */
import { loadViews } from '../sync/local_view.js';
import { may } from '../sync/permissions.js';
import { h } from './dom.js';
import { formatDate, t } from './i18n.js';
import { FilterChips } from './filter_chips.js';
import { localToday } from './home_sections.js';
import { byCode, isOverdue, sectionLabel } from './site_facts.js';
import { recordTitle, stateLabel } from './record_text.js';
import { RecordListScreen } from './record_list_screen.js';

const STATES = ['todo', 'doing', 'done', 'accepted'];

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

  buildFrame(type) {
    super.buildFrame(type);
    const canCreate = may(this.app.session.roles, 'task', 'create');
    if (!canCreate) this.element.querySelector('[data-testid="new-task"]')?.remove();
    this.chips = h('div', { class: 'filters' });
    this.list.before(this.chips);
    this.count = h('p', { class: 'muted', testid: 'task-count', role: 'status' });
    this.list.before(this.count);
  }

  fillList() {
    this.drawChips();
    const needle = this.filterText.trim().toLowerCase();
    const me = this.app.session.user?.id;
    const { state, assignee, section } = this.filters;
    const shown = this.views.filter((view) => {
      const status = view.fields.status ?? 'todo';
      if (state === 'overdue' && !isOverdue(view, this.today)) return false;
      if (state === 'open' && !['todo', 'doing'].includes(status)) return false;
      if (STATES.includes(state) && status !== state) return false;
      if (assignee === 'me' && view.fields.assignee_id !== me) return false;
      if (!['all', 'me'].includes(assignee) && view.fields.assignee_id !== assignee) return false;
      if (section !== 'all' && view.fields.section_id !== section) return false;
      return !needle || recordTitle(view).toLowerCase().includes(needle);
    });
    shown.sort((a, b) => Number(isOverdue(b, this.today)) - Number(isOverdue(a, this.today)));
    this.count.textContent = t('tasks.shown', { count: shown.length });
    this.list.replaceChildren(...(shown.length
      ? shown.map((view) => this.item(view))
      : [h('li', { class: 'empty' }, t('tasks.noneMatch'))]));
  }

  /**
   * State and "mine" are one tap away; sections and other people (long lists on a big site)
   * wait behind "More filters", which opens by itself while one of them is in use.
   */
  drawChips() {
    const me = this.app.session.user?.id;
    const others = [...new Set(this.views.map((view) => view.fields.assignee_id).filter((id) => id && id !== me))];
    const pick = (name) => (value) => {
      this.filters[name] = value;
      const query = String(new URLSearchParams(Object.entries(this.filters).filter(([, v]) => v !== 'all')));
      history.replaceState(null, '', `/tasks${query ? `?${query}` : ''}`);
      this.fillList();
    };
    const { assignee, section } = this.filters;
    const moreInUse = section !== 'all' || !['all', 'me'].includes(assignee);
    const summary = [
      section !== 'all' ? this.sections.find((s) => s.id === section)?.fields.code : null,
      !['all', 'me'].includes(assignee) ? this.nameOf(assignee) : null,
    ].filter(Boolean).join(' · ');
    const wasOpen = this.chips.querySelector('details')?.open;
    this.chips.replaceChildren(
      FilterChips({
        label: t('field.status'), testid: 'task-filter-state', value: this.filters.state, onPick: pick('state'),
        options: [['all', t('filter.all')], ['overdue', t('tasks.overdue')], ['open', t('tasks.open')],
          ...STATES.map((state) => [state, stateLabel(state)])],
      }),
      FilterChips({
        label: t('field.assignee_id'), testid: 'task-filter-assignee', value: ['all', 'me'].includes(assignee) ? assignee : null,
        onPick: pick('assignee'), options: [['all', t('filter.everyone')], ['me', t('filter.mine')]],
      }),
      h('details', { class: 'field more-filters', testid: 'task-filters-more', open: wasOpen || moreInUse },
        h('summary', {}, t('filter.more'), summary ? h('span', { class: 'chip chip-mine' }, summary) : null),
        h('div', { class: 'stack' },
          FilterChips({
            label: t('field.section_id'), testid: 'task-filter-section', value: section, onPick: pick('section'),
            options: [['all', t('filter.allSections')], ...this.sections.map((s) => [s.id, s.fields.code ?? sectionLabel(s)])],
          }),
          others.length ? FilterChips({
            label: t('field.assignee_id'), testid: 'task-filter-assignee', value: assignee, onPick: pick('assignee'),
            options: others.map((id) => [id, this.nameOf(id) ?? id.slice(0, 8)]),
          }) : null)));
  }

  /** One task: title, section, who, due (overdue in red), progress bar and status. */
  item(view) {
    const { status = 'todo', due_date: due, progress = 0, section_id: sectionId, assignee_id: assigneeId } = view.fields;
    const overdue = isOverdue(view, this.today);
    const section = this.sections.find((s) => s.id === sectionId);
    return h('li', {},
      h('a', { class: `record-item ${overdue ? 'is-overdue' : ''}`, href: `/r/task/${view.id}`, testid: 'record-item', dataset: { id: view.id, type: 'task' } },
        h('span', { class: 'record-title' }, recordTitle(view)),
        h('span', { class: 'record-summary' }, [section?.fields.code, assigneeId ? this.nameOf(assigneeId) : null,
          due ? t('tasks.due', { date: formatDate(due) }) : null].filter(Boolean).join(' · ')),
        h('span', { class: 'progress-line' },
          h('progress', { max: 100, value: ['done', 'accepted'].includes(status) ? 100 : Number(progress) || 0, 'aria-hidden': 'true' }),
          h('span', {}, `${['done', 'accepted'].includes(status) ? 100 : Number(progress) || 0}%`)),
        h('span', { class: 'record-tags' },
          h('span', { class: `chip chip-${status}` }, stateLabel(status)),
          overdue ? h('span', { class: 'chip chip-overdue', testid: 'task-overdue' }, t('tasks.overdue')) : null,
          view.fields.priority === 'urgent' || view.fields.priority === 'high'
            ? h('span', { class: `chip chip-priority-${view.fields.priority}` }, t(`priority.${view.fields.priority}`)) : null,
          view.pending ? h('span', { class: 'chip chip-pending', testid: 'record-pending' }, t('record.notSynced')) : null)));
  }
}
