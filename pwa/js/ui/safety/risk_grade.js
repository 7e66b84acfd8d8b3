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
