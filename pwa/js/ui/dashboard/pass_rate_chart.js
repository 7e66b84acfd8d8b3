/** Safety checks' pass rate week by week as bars (items passed of those judged). */
import { h } from '../dom.js';
import { formatDate, t } from '../i18n.js';
import { ChartFigure, NumbersTable, percent, s, tappable } from './chart_parts.js';

const HEIGHT = 120;
const BAR = 34;
const GAP = 14;

export function PassRateChart({ weeks }) {
  if (weeks.length === 0) return h('p', { class: 'empty', testid: 'pass-rate-empty' }, t('dashboard.noData'));
  const shown = weeks.slice(-8);
  const label = (week) => formatDate(week, 'short');
  const text = (week) => t('dashboard.passRateBar', { week: label(week.week), rate: percent(week.rate), passed: week.passed, judged: week.passed + week.failed });
  const draw = (say) => {
    const width = shown.length * (BAR + GAP);
    return s('svg', { viewBox: `0 0 ${Math.max(width, 320)} ${HEIGHT + 34}`, width: '100%' },
      s('line', { x1: 0, x2: Math.max(width, 320), y1: HEIGHT, y2: HEIGHT, class: 'chart-base' }),
      shown.map((week, index) => {
        const x = index * (BAR + GAP) + GAP / 2;
        const height = ((week.rate ?? 0) / 100) * (HEIGHT - 18);
        return tappable(s('g', { testid: 'pass-rate-bar', 'data-rate': String(week.rate ?? '') },
          s('rect', { x, y: HEIGHT - height, width: BAR, height, class: `bar ${week.rate != null && week.rate < 80 ? 'bar-warn' : ''}` }),
          s('text', { x: x + BAR / 2, y: HEIGHT - height - 4, 'text-anchor': 'middle', class: 'bar-value' }, percent(week.rate)),
          s('text', { x: x + BAR / 2, y: HEIGHT + 16, 'text-anchor': 'middle', class: 'bar-label' }, label(week.week).replace(/^\d{4}[/-]/, ''))),
        say, text(week));
      }));
  };
  const table = NumbersTable([t('dashboard.passRate'), t('report.passed'), t('report.failed'), '%'],
    weeks.map((week) => [label(week.week), String(week.passed), String(week.failed), percent(week.rate)]), 'pass-rate-table');
  return ChartFigure({ testid: 'pass-rate', label: t('dashboard.passRate'), draw, table });
}
