/** A section's open work at a glance: progress bar and three counters (tasks, risks, complaints). */
import { h } from '../dom.js';
import { t } from '../i18n.js';

export function SectionStatsLine(stats) {
  const counter = (name, count, extra = '') => h('span', {
    class: `counter ${count > 0 ? `counter-${name}` : 'counter-zero'} ${extra}`, testid: `section-open-${name}`, dataset: { count: String(count) },
  }, h('strong', {}, String(count)), h('span', {}, t(`sections.open.${name}`)));
  return h('div', { class: 'section-stats' },
    h('div', { class: 'progress-line', testid: 'section-progress', dataset: { progress: String(stats.progress ?? '') } },
      h('progress', { max: 100, value: stats.progress ?? 0, 'aria-hidden': 'true' }),
      h('span', {}, stats.progress == null ? t('sections.noTasks') : t('sections.progress', { progress: stats.progress }))),
    h('div', { class: 'counters' },
      counter('tasks', stats.openTasks, stats.overdueTasks > 0 ? 'has-overdue' : ''),
      counter('risks', stats.openRisks),
      counter('complaints', stats.openComplaints)),
    stats.overdueTasks > 0 ? h('p', { class: 'overdue-note', testid: 'section-overdue' }, t('sections.overdue', { count: stats.overdueTasks })) : null);
}
