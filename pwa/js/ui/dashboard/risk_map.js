/** The site's sections as tiles coloured by their worst open risk (a heat map over the grid), with the grade in words so colour is never the only cue. */
import { h, userText } from '../dom.js';
import { t } from '../i18n.js';

export function RiskMap({ sections, worst }) {
  return h('ul', { class: 'tile-grid', testid: 'risk-map' }, sections.map((section) => {
    const risk = worst[section.id];
    return h('li', {
      class: `risk-tile ${risk ? `risk-${risk.level}` : 'risk-none'}`, testid: 'risk-tile',
      dataset: { section: section.id, level: risk?.level ?? 'none', score: String(risk?.score ?? '') },
    },
    h('span', { class: 'tile-code' }, section.fields.code ?? ''),
    h('span', { class: 'tile-name' }, userText(section.fields.name)),
    h('span', { class: 'tile-line' }, risk ? `${t(`risk.${risk.level}`)} · ${risk.score}` : t('dashboard.noRisk')));
  }));
}
