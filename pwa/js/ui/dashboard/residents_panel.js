/** Residents' figures: complaints by category and state, answer times, satisfaction against the project's target. */
import { h } from '../dom.js';
import { t } from '../i18n.js';
import { NumbersTable, number, percent } from './chart_parts.js';
import { StatTiles } from './stat_tiles.js';

const STATES = ['received', 'acknowledged', 'in_progress', 'resolved', 'closed'];

export function ResidentsPanel({ complaints, residents }) {
  const categories = Object.keys(complaints);
  const max = Math.max(1, ...categories.map((category) => Object.values(complaints[category]).reduce((a, b) => a + b, 0)));
  const bars = h('ul', { class: 'category-bars', testid: 'complaint-bars', 'aria-hidden': 'true' }, categories.map((category) => {
    const counts = complaints[category];
    const total = Object.values(counts).reduce((a, b) => a + b, 0);
    return h('li', { class: 'category-row', dataset: { category, total: String(total) } },
      h('span', { class: 'category-name' }, t(`category.${category}`)),
      h('span', { class: 'category-track' }, STATES.filter((state) => counts[state]).map((state) => {
        const part = h('span', { class: `category-part state-${state}` });
        part.style.width = `${(100 * counts[state]) / max}%`; // the CSSOM, which the page's CSP allows
        return part;
      })),
      h('span', { class: 'category-total' }, String(total)));
  }));
  const legend = h('p', { class: 'category-legend muted', 'aria-hidden': 'true' }, STATES.map((state) => h('span', {}, h('span', { class: `swatch state-${state}` }), t(`state.${state}`))));
  const table = NumbersTable([t('field.category'), ...STATES.map((state) => t(`state.${state}`))],
    categories.map((category) => [t(`category.${category}`), ...STATES.map((state) => String(complaints[category][state] ?? 0))]), 'complaints-table');
  const meets = residents.meets_target;
  return h('div', { class: 'stack' },
    StatTiles([
      { label: t('dashboard.medianResponse'), value: number(residents.median_response_hours), testid: 'stat-response' },
      { label: t('dashboard.answeredInTime'), value: percent(residents.answered_in_time), testid: 'stat-in-time' },
      { label: t('dashboard.satisfaction'), value: `${percent(residents.satisfaction)} / ${residents.satisfaction_target}%`, testid: 'stat-satisfaction', warn: meets === false },
    ]),
    h('h3', {}, t('dashboard.complaints')),
    categories.length ? [bars, legend] : h('p', { class: 'empty' }, t('dashboard.noData')),
    h('details', { class: 'chart-numbers' }, h('summary', {}, t('dashboard.numbers')), table));
}
