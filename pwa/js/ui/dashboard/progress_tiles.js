/** Progress by section as tiles on the grid: actual progress as a bar, the plan as a mark on it, overdue tasks and the schedule's deviation. */
import { h, userText } from '../dom.js';
import { t } from '../i18n.js';
import { NumbersTable, deviationText, percent, s } from './chart_parts.js';

function ProgressBar(actual, planned) {
  return s('svg', { viewBox: '0 0 100 10', preserveAspectRatio: 'none', class: 'tile-bar', 'aria-hidden': 'true' },
    s('rect', { x: 0, y: 0, width: 100, height: 10, class: 'tile-bar-track' }),
    s('rect', { x: 0, y: 0, width: actual ?? 0, height: 10, class: 'tile-bar-actual' }),
    planned == null ? null : s('rect', { x: Math.min(Math.max(planned - 1, 0), 98), y: 0, width: 2, height: 10, class: 'tile-bar-plan' }));
}

/** `rows` are figures.progressBySection's, `sections` the views they name. */
export function ProgressTiles({ rows, sections }) {
  const byId = new Map(sections.map((section) => [section.id, section]));
  const tiles = rows.map((row) => {
    const section = byId.get(row.section_id);
    const late = row.schedule?.deviation_days ?? 0;
    return h('li', { class: 'progress-tile', testid: 'progress-tile', dataset: { section: row.section_id, progress: String(row.progress ?? ''), planned: String(row.planned ?? '') } },
      h('span', { class: 'tile-code' }, section?.fields.code ?? ''),
      h('span', { class: 'tile-name' }, userText(section?.fields.name)),
      ProgressBar(row.progress, row.planned),
      h('span', { class: 'tile-line' }, t('dashboard.progressTile', { actual: percent(row.progress), planned: percent(row.planned) })),
      row.overdue ? h('span', { class: 'tile-line tile-warn' }, t('dashboard.overdue', { count: row.overdue })) : null,
      row.schedule ? h('span', { class: `tile-line ${late > 0 ? 'tile-warn' : ''}` }, deviationText(row.schedule.deviation_days)) : null);
  });
  const table = NumbersTable(
    [t('field.section_id'), t('dashboard.actual'), t('dashboard.planned'), t('report.overdue'), t('report.deviationDays')],
    rows.map((row) => [
      userText([byId.get(row.section_id)?.fields.code, byId.get(row.section_id)?.fields.name].filter(Boolean).join(' ')),
      percent(row.progress), percent(row.planned), String(row.overdue), deviationText(row.schedule?.deviation_days ?? null)]),
    'progress-table');
  return h('div', { class: 'stack' },
    h('ul', { class: 'tile-grid', testid: 'progress-tiles', 'aria-hidden': 'true' }, tiles),
    h('details', { class: 'chart-numbers' }, h('summary', {}, t('dashboard.numbers')), table));
}
