/** Resident feedback by response deadline, each counting down (red once overdue). */
import { loadViews } from '../../sync/local_view.js';
import { may } from '../../sync/permissions.js';
import { DueChip, dueState } from '../components/countdown.js';
import { h, summaryParts } from '../dom.js';
import { FilterChips } from '../components/filter_chips.js';
import { t } from '../i18n.js';
import { loadNameDirectory } from '../components/name_directory.js';
import { stateLabel } from '../components/record_text.js';
import { Screen } from '../screen.js';

const TICK_MS = 30_000;
const FINISHED = ['resolved', 'closed'];

export class FeedbackListScreen extends Screen {
  constructor(...args) {
    super(...args);
    this.filter = this.query.get('show') ?? 'open'; // open | overdue | closed | all
    this.refreshOn('records');
    const clock = setInterval(() => this.render(), TICK_MS); // the countdowns move on
    this.onDestroy(() => clearInterval(clock));
  }

  async render() {
    const [items, nameOf] = await Promise.all([loadViews('feedback'), loadNameDirectory(this.app)]);
    const status = (item) => item.fields.status ?? 'received';
    const overdue = (item) => !FINISHED.includes(status(item)) && dueState(item.fields.response_due)?.overdue;
    const keep = {
      open: (item) => status(item) !== 'closed',
      overdue,
      closed: (item) => status(item) === 'closed',
      all: () => true,
    }[this.filter] ?? (() => true);
    const shown = items.filter(keep).sort((a, b) => Number(FINISHED.includes(status(a))) - Number(FINISHED.includes(status(b)))
      || String(a.fields.response_due ?? '~').localeCompare(String(b.fields.response_due ?? '~')));
    this.show(
      h('header', { class: 'screen-header' }, h('h1', { tabindex: '-1' }, t('types.feedback'))),
      may(this.app.session.roles, 'feedback', 'create')
        ? h('a', { class: 'button button-primary button-block button-big', href: '/feedback/new', testid: 'new-feedback' }, t('feedback.new')) : null,
      FilterChips({
        label: t('field.status'), testid: 'feedback-filter', value: this.filter,
        options: [['open', t('feedback.notClosed')], ['overdue', t('feedback.overdue', { count: items.filter(overdue).length })],
          ['closed', stateLabel('closed')], ['all', t('filter.all')]],
        onPick: (value) => {
          this.filter = value;
          history.replaceState(null, '', value === 'open' ? '/feedback' : `/feedback?show=${value}`);
          this.render();
        },
      }),
      h('ul', { class: 'record-list', testid: 'record-list', dataset: { type: 'feedback' } }, shown.length ? shown.map((item) => {
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
      }) : h('li', { class: 'empty' }, t('home.nothing'))));
  }
}
