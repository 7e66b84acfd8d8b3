/** The 5 × 5 grid of open risks: likelihood up the side, severity along the bottom, each cell coloured by its grade and showing its count. */
import { t } from '../i18n.js';
import { riskGrade } from '../safety/risk_grade.js';
import { ChartFigure, NumbersTable, s, tappable } from './chart_parts.js';

const CELL = 56;
const AXIS = 22;

export function RiskMatrix({ matrix }) {
  const cellText = (l, sv) => t('dashboard.riskCell', { likelihood: l, severity: sv, count: matrix[l - 1][sv - 1] });
  const draw = (say) => {
    const cells = [];
    for (let l = 5; l >= 1; l -= 1) {
      const y = (5 - l) * CELL;
      cells.push(s('text', { x: AXIS / 2, y: y + CELL / 2 + 5, class: 'matrix-axis', 'text-anchor': 'middle' }, String(l)));
      for (let sv = 1; sv <= 5; sv += 1) {
        const count = matrix[l - 1][sv - 1];
        const { level } = riskGrade(l, sv);
        const x = AXIS + (sv - 1) * CELL;
        cells.push(tappable(s('g', { testid: `matrix-${l}-${sv}`, 'data-count': count },
          s('rect', { x: x + 1, y: y + 1, width: CELL - 2, height: CELL - 2, rx: 4, class: `matrix-cell risk-fill-${level}${count ? '' : ' matrix-empty'}` }),
          s('text', { x: x + CELL / 2, y: y + CELL / 2 + 7, 'text-anchor': 'middle', class: `matrix-count${count ? '' : ' matrix-zero'}` }, count ? String(count) : '·')),
        say, cellText(l, sv)));
      }
    }
    for (let sv = 1; sv <= 5; sv += 1) {
      cells.push(s('text', { x: AXIS + (sv - 0.5) * CELL, y: 5 * CELL + 16, class: 'matrix-axis', 'text-anchor': 'middle' }, String(sv)));
    }
    return s('svg', { viewBox: `0 0 ${AXIS + 5 * CELL} ${5 * CELL + 22}`, width: '100%' }, cells);
  };
  const rows = [];
  for (let l = 5; l >= 1; l -= 1) rows.push([String(l), ...matrix[l - 1].map(String)]);
  const table = NumbersTable([`${t('field.likelihood')} \\ ${t('field.severity')}`, '1', '2', '3', '4', '5'], rows, 'matrix-table');
  return ChartFigure({ testid: 'risk-matrix', label: t('dashboard.riskAxes'), draw, table });
}
