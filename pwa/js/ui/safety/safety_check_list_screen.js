/** Safety checks, newest first: what was checked where, the risk grade, failures, and the state. */
import { firstPageRanges } from '../../db/order_keys.js';
import { ascending, loadFirstViewsThrough, loadViewList } from '../../sync/local_view.js';
import { may } from '../../sync/permissions.js';
import { loadChecklists, templateName, templateOf } from './checklist_text.js';
import { h, summaryParts } from '../dom.js';
import { earlyViews, keepFirstRows } from '../components/early_rows.js';
import { FilterChips } from '../components/filter_chips.js';
import { formatDate, t } from '../i18n.js';
import { loadNameDirectory } from '../components/name_directory.js';
import { PAGE_ROWS, PagedList } from '../components/paged_list.js';
import { stateLabel } from '../components/record_text.js';
import { RiskBadge } from './risk_grade.js';
import { Screen } from '../screen.js';
import { failedItems, isOpenAction } from '../sections/site_facts.js';

const collate = new Intl.Collator().compare; // localeCompare's order, without its per-call cost

/** The checks a filter (open | closed | all) shows, newest first (then by id). */
export function checksShown(checks, filter) {
  const isClosed = (check) => check.fields.status === 'closed';
  return checks
    .filter((check) => filter === 'all' || (filter === 'closed' ? isClosed(check) : !isClosed(check)))
    .sort((a, b) => collate(String(b.fields.date ?? ''), String(a.fields.date ?? '')) || ascending(a.id, b.id));
}

/**
 * The first page of the checks not closed without reading the rest: the `by_order` index holds
 * them first, latest date first (db/order_keys.js); with every check changed on the phone.
 */
export async function firstOpenChecks() {
  const views = await loadFirstViewsThrough('safety_check', 'by_order', firstPageRanges('open_safety_check'), PAGE_ROWS);
  return checksShown(views, 'open').slice(0, PAGE_ROWS);
}

export class SafetyCheckListScreen extends Screen {
  constructor(...args) {
    super(...args);
    this.filter = this.query.get('show') ?? 'open'; // open | all | closed
    this.refreshOn('records');
    this.rows = new PagedList({
      drawRow: (check) => this.item(check),
      empty: () => h('li', { class: 'empty' }, t('home.nothing')),
      attributes: { dataset: { type: 'safety_check' } },
    });
    this.onDestroy(() => this.rows.destroy());
  }

  /**
   * On a fresh start, the rows this filter showed first last time are drawn at once (as loading,
   * counting nothing); then the whole list, which is remembered for the next start.
   */
  async render() {
    const projectId = this.app.session.memberships[0]?.project_id;
    const templates = projectId ? loadChecklists(projectId, { all: true }) : [];
    if (!this.drawnWhole) {
      const early = await earlyViews('safety_check', this.address(), this.filter === 'open' ? firstOpenChecks : null);
      if (early && !this.drawnWhole) {
        this.draw(early, null, await templates, await loadNameDirectory(this.app, { wait: false }), { partial: true });
      }
    }
    const [checks, actions, nameOf] = await Promise.all([loadViewList('safety_check'), loadViewList('action'), loadNameDirectory(this.app)]);
    this.draw(checks, actions, await templates, nameOf, { partial: false });
    this.drawnWhole = true;
  }

  /** The address of this filter: the key of the rows it shows first. */
  address() {
    return this.filter === 'open' ? '/checks' : `/checks?show=${this.filter}`;
  }

  /**
   * Draws `checks` filtered, newest first; `partial`: only the early rows, while the whole list
   * loads (`actions` null: the open actions are counted once they are read).
   */
  draw(checks, actions, templates, nameOf, { partial }) {
    const shown = checksShown(checks, this.filter);
    this.templates = templates;
    this.nameOf = nameOf;
    this.rows.show(shown, { fromTop: this.shownFilter !== this.filter, partial });
    this.shownFilter = this.filter;
    if (!partial) keepFirstRows(this.address(), shown);
    const roles = this.app.session.roles;
    this.show(
      h('header', { class: 'screen-header' }, h('h1', { tabindex: '-1' }, t('checks.title'))),
      may(roles, 'safety_check', 'create') ? h('a', { class: 'button button-primary button-block', href: '/checks/new', testid: 'new-check' }, t('checks.new')) : null,
      h('a', { class: 'button button-block', href: '/records/action', testid: 'open-actions' },
        actions ? t('checks.openActions', { count: actions.filter(isOpenAction).length }) : t('checks.actions')),
      may(roles, 'checklist', 'create') ? h('a', { class: 'button button-block', href: '/checklists', testid: 'checklists' }, t('checklists.title')) : null,
      FilterChips({
        label: t('field.status'), testid: 'check-filter', value: this.filter,
        options: [['open', t('checks.notClosed')], ['closed', stateLabel('closed')], ['all', t('filter.all')]],
        onPick: (value) => {
          this.filter = value;
          history.replaceState(null, '', this.address());
          this.render();
        },
      }),
      this.rows.element);
  }

  /** One check: its checklist, date and section, state, risk grade and failed items. */
  item(check) {
    const { templates, nameOf } = this;
    const status = check.fields.status ?? 'open';
    const fails = failedItems(check).length;
    const template = templateOf(check, templates);
    return h('li', {}, h('a', { class: `record-item ${fails && status !== 'closed' ? 'is-overdue' : ''}`, href: `/r/safety_check/${check.id}`, testid: 'record-item', dataset: { id: check.id, type: 'safety_check' } },
      h('span', { class: 'record-title' }, template ? templateName(template) : (check.fields.template ?? t('type.safety_check'))),
      h('span', { class: 'record-summary' }, summaryParts([formatDate(check.fields.date), nameOf(check.fields.section_id)].filter(Boolean))),
      h('span', { class: 'record-tags' },
        h('span', { class: `chip chip-${status}` }, stateLabel(status)),
        check.fields.likelihood && check.fields.severity ? RiskBadge(check.fields.likelihood, check.fields.severity, { testid: null }) : null,
        fails ? h('span', { class: 'chip chip-overdue' }, t('checks.failCount', { count: fails })) : null,
        check.pending ? h('span', { class: 'chip chip-pending', testid: 'record-pending' }, t('record.notSynced')) : null)));
  }
}
