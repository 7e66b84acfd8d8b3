/**
 * Quality figures: work steps that passed all three inspections, those being rectified, and per
 * level (self, mutual, specialist) the share of steps that passed their first inspection there,
 * as bars whose numbers a tap says and a table holds; work steps by state in a second table.
 */
import { h } from '../dom.js';
import { t } from '../i18n.js';
import { ChartFigure, NumbersTable, percent, s, tappable } from './chart_parts.js';
import { StatTiles } from './stat_tiles.js';

const WIDTH = 320;
const ROW = 44;
const LABEL = 15;
const BAR = 16;
// Below this share at the first attempt a level is drawn as a warning (as the pass-rate bars are).
const WARN_BELOW = 80;
const STATES = ['planned', 'in_progress', 'rectifying_self', 'self_passed', 'rectifying_mutual', 'mutual_passed',
  'rectifying_specialist', 'passed'];

function FirstPassChart({ rows }) {
  const text = (row) => t('dashboard.firstPassBar', { level: t(`level.${row.level}`), rate: percent(row.rate), passed: row.first_pass, steps: row.steps });
  const draw = (say) => s('svg', { viewBox: `0 0 ${WIDTH} ${rows.length * ROW}`, width: '100%' },
    rows.map((row, index) => {
      const y = index * ROW;
      const width = ((row.rate ?? 0) / 100) * WIDTH;
      const warn = row.rate != null && row.rate < WARN_BELOW;
      return tappable(s('g', { testid: 'first-pass-bar', 'data-level': row.level, 'data-rate': String(row.rate ?? ''), 'data-steps': String(row.steps) },
        s('rect', { x: 0, y, width: WIDTH, height: ROW - 2, class: 'chart-hit' }),
        s('text', { x: 0, y: y + 12, class: 'bar-caption' }, t(`level.${row.level}`)),
        s('text', { x: WIDTH, y: y + 12, 'text-anchor': 'end', class: 'bar-value' },
          row.steps ? `${percent(row.rate)} (${row.first_pass}/${row.steps})` : t('dashboard.none')),
        s('rect', { x: 0, y: y + LABEL + 2, width: WIDTH, height: BAR, rx: 3, class: 'bar-track' }),
        row.steps ? s('rect', { x: 0, y: y + LABEL + 2, width: Math.max(width, 2), height: BAR, rx: 3, class: `bar ${warn ? 'bar-warn' : ''}` }) : null),
      say, text(row));
    }));
  const table = NumbersTable([t('field.level'), t('dashboard.stepsInspected'), t('dashboard.firstPass'), '%'],
    rows.map((row) => [t(`level.${row.level}`), String(row.steps), String(row.first_pass), percent(row.rate)]), 'first-pass-table');
  return ChartFigure({ testid: 'first-pass', label: t('dashboard.firstPassRate'), draw, table });
}

export function QualityPanel({ quality }) {
  const known = STATES.filter((state) => quality.steps_by_state[state]);
  const others = Object.keys(quality.steps_by_state).filter((state) => !STATES.includes(state));
  const states = NumbersTable([t('field.status'), t('dashboard.stepCount')],
    [...known, ...others].map((state) => [t(`state.${state}`), String(quality.steps_by_state[state])]), 'step-states-table');
  return h('div', { class: 'stack' },
    StatTiles([
      { label: t('dashboard.stepsPassed'), value: `${quality.passed} / ${quality.steps}`, testid: 'stat-steps-passed' },
      { label: t('dashboard.stepsRectifying'), value: String(quality.rectifying), testid: 'stat-steps-rectifying', warn: quality.rectifying > 0 },
    ]),
    quality.first_pass.some((row) => row.steps)
      ? FirstPassChart({ rows: quality.first_pass })
      : h('p', { class: 'empty', testid: 'first-pass-empty' }, t('dashboard.noInspections')),
    h('details', { class: 'chart-numbers' }, h('summary', {}, t('dashboard.stepsByState')), states));
}
