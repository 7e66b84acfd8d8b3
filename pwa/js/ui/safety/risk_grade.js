/**
 * The four-level risk grade used on Chinese sites (红橙黄蓝): score = likelihood × severity;
 * 1–4 low (blue), 5–9 general (yellow), 10–16 significant (orange), 20–25 major (red).
 */
import { h } from '../dom.js';
import { t } from '../i18n.js';

/** `{score, level}` for likelihood and severity 1–5, or null while either is missing. */
export function riskGrade(likelihood, severity) {
  if (!Number.isInteger(likelihood) || !Number.isInteger(severity)) return null;
  const score = likelihood * severity;
  let level = 'major';
  if (score <= 4) level = 'low';
  else if (score <= 9) level = 'general';
  else if (score <= 16) level = 'significant';
  return { score, level };
}

/** The grade as a coloured badge with its name and score (colour is never the only cue). */
export function RiskBadge(likelihood, severity, { testid = 'risk-grade' } = {}) {
  const grade = riskGrade(likelihood, severity);
  if (!grade) return h('span', { class: 'risk-badge risk-none', testid, dataset: { level: 'none' } }, t('risk.notGraded'));
  return h('span', { class: `risk-badge risk-${grade.level}`, testid, dataset: { level: grade.level, score: String(grade.score) } },
    t(`risk.${grade.level}`), ` · ${grade.score}`);
}

/**
 * Likelihood × severity as one tap on a 5 × 5 grid, each cell coloured by its grade and showing
 * its score; likelihood runs up the side (5 on top), severity along the bottom. Radios named
 * `name` (value `L-S`, testid `<testid>-L-S`), so a form draft keeps the pick.
 * `onChange(likelihood, severity)` hears every pick. The check's own grid is `risk` /
 * `risk-cell`; a failed item's is `item-risk-<code>`.
 */
export function RiskGrid({ likelihood, severity, onChange, name = 'risk', testid = 'risk-cell', legend = t('checks.riskPick') }) {
  const meaning = h('p', { class: 'hint risk-meaning', id: `${name}-meaning`, 'aria-live': 'polite' });
  const describe = (l, s) => {
    meaning.textContent = l && s
      ? t('checks.riskLine', { likelihood: t(`checks.likelihood.${l}`), severity: t(`checks.severity.${s}`) })
      : t('checks.notSetGrid');
  };
  describe(likelihood, severity);
  const cells = [];
  for (let l = 5; l >= 1; l -= 1) {
    cells.push(h('span', { class: 'risk-axis risk-axis-row', 'aria-hidden': 'true' }, String(l)));
    for (let s = 1; s <= 5; s += 1) {
      const grade = riskGrade(l, s);
      cells.push(h('label', { class: `risk-cell risk-${grade.level}` },
        h('input', {
          type: 'radio', name, value: `${l}-${s}`, testid: `${testid}-${l}-${s}`, checked: l === likelihood && s === severity,
          'aria-label': t('risk.cell', { likelihood: l, severity: s, score: grade.score, level: t(`risk.${grade.level}`) }),
          'aria-describedby': meaning.id,
          onchange: () => {
            describe(l, s);
            onChange(l, s);
          },
        }),
        h('span', { 'aria-hidden': 'true' }, String(grade.score))));
    }
  }
  const grid = h('fieldset', { class: 'risk-grid-field', testid: name === 'risk' ? 'risk-grid' : `${name}-grid` },
    h('legend', {}, legend),
    h('div', { class: 'risk-grid' },
      h('span', { class: 'risk-axis risk-axis-name', 'aria-hidden': 'true' }, t('field.likelihood')),
      cells,
      h('span', { class: 'risk-axis', 'aria-hidden': 'true' }),
      [1, 2, 3, 4, 5].map((s) => h('span', { class: 'risk-axis risk-axis-col', 'aria-hidden': 'true' }, String(s))),
      h('span', { class: 'risk-axis risk-axis-name risk-axis-name-col', 'aria-hidden': 'true' }, t('field.severity'))),
    meaning);
  /** Shows a pick made elsewhere (the worst item's grade on the check's grid). */
  grid.pick = (l, s) => {
    for (const input of grid.querySelectorAll('input')) input.checked = input.value === `${l}-${s}`;
    describe(l, s);
  };
  return grid;
}

/** `[likelihood, severity]` of a stored item grade ("3-4"), or null. */
export function parseItemRisk(value) {
  const match = /^([1-5])-([1-5])$/.exec(String(value ?? ''));
  return match ? [Number(match[1]), Number(match[2])] : null;
}

/** The worst of item grades (highest score; of equal scores, the higher severity), or null. */
export function worstItemRisk(values) {
  const grades = values.map(parseItemRisk).filter(Boolean);
  if (grades.length === 0) return null;
  return grades.reduce((worst, grade) => {
    const [score, worstScore] = [grade[0] * grade[1], worst[0] * worst[1]];
    return score > worstScore || (score === worstScore && grade[1] > worst[1]) ? grade : worst;
  });
}
