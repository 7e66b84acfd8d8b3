/** Past briefings by date, newest first; a date field jumps to one day. */
import { loadViews } from '../../sync/local_view.js';
import { may } from '../../sync/permissions.js';
import { h, summaryParts } from '../dom.js';
import { formatDate, t } from '../i18n.js';
import { loadNameDirectory } from '../components/name_directory.js';
import { stateLabel } from '../components/record_text.js';
import { Screen } from '../screen.js';

export class BriefingListScreen extends Screen {
  constructor(...args) {
    super(...args);
    this.day = this.query.get('date') ?? '';
    this.refreshOn('records');
  }

  async render() {
    const [briefings, sections, nameOf] = await Promise.all([loadViews('briefing'), loadViews('section'), loadNameDirectory(this.app)]);
    const codes = new Map(sections.map((section) => [section.id, section.fields.code]));
    const shown = briefings.filter((briefing) => !this.day || briefing.fields.date === this.day)
      .sort((a, b) => String(b.fields.date ?? '').localeCompare(String(a.fields.date ?? '')));
    const byDate = new Map();
    for (const briefing of shown) {
      if (!byDate.has(briefing.fields.date)) byDate.set(briefing.fields.date, []);
      byDate.get(briefing.fields.date).push(briefing);
    }
    const dateInput = h('input', {
      id: 'briefing-date-filter', type: 'date', testid: 'briefing-date-filter', value: this.day,
      onchange: () => {
        this.day = dateInput.value;
        history.replaceState(null, '', this.day ? `/briefings?date=${this.day}` : '/briefings');
        this.render();
      },
    });
    this.show(
      h('header', { class: 'screen-header' }, h('h1', { tabindex: '-1' }, t('briefing.past'))),
      may(this.app.session.roles, 'briefing', 'create')
        ? h('a', { class: 'button button-primary button-block', href: '/today', testid: 'briefing-today' }, t('briefing.todayTitle')) : null,
      h('div', { class: 'field' },
        h('label', { for: 'briefing-date-filter' }, t('briefing.pickDate')),
        h('div', { class: 'input-row' }, dateInput,
          this.day ? h('button', {
            type: 'button', class: 'button', testid: 'briefing-date-clear',
            onclick: () => {
              this.day = '';
              history.replaceState(null, '', '/briefings');
              this.render();
            },
          }, t('briefing.allDates')) : null)),
      byDate.size === 0 ? h('p', { class: 'empty', testid: 'briefing-list-empty' }, t('briefing.noneOnDate')) : null,
      [...byDate].map(([date, items]) => h('section', { class: 'home-section', testid: 'briefing-day', dataset: { date } },
        h('h2', {}, formatDate(date, 'full')),
        h('ul', { class: 'record-list', testid: 'record-list', dataset: { type: 'briefing' } }, items.map((briefing) => {
          const status = briefing.fields.status ?? 'draft';
          const people = (briefing.fields.attendees ?? []).length + Number(briefing.fields.headcount ?? 0);
          // Its author is who wrote it, not whoever touched it last (a supervisor acknowledging it).
          const who = nameOf(briefing.createdBy ?? briefing.updatedBy);
          return h('li', {}, h('a', {
            class: 'record-item', href: `/r/briefing/${briefing.id}`, testid: 'record-item', dataset: { id: briefing.id, type: 'briefing' },
          },
          h('span', { class: 'record-title' }, (briefing.fields.section_ids ?? []).map((id) => codes.get(id)).filter(Boolean).join(' · ') || t('briefing.noSectionNamed')),
          h('span', { class: 'record-summary' }, summaryParts([briefing.fields.weather, t('briefing.people', { count: people }), who].filter(Boolean))),
          h('span', { class: 'record-tags' },
            h('span', { class: `chip chip-${status}` }, stateLabel(status)),
            briefing.pending ? h('span', { class: 'chip chip-pending', testid: 'record-pending' }, t('record.notSynced')) : null)));
        })))));
  }
}
