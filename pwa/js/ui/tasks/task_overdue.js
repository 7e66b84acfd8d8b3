/** The "overdue" mark of a task (list and home): red, and in words, so it never rests on colour alone. */
import { h } from '../dom.js';
import { t } from '../i18n.js';
import { isOverdue } from '../sections/site_facts.js';

/** Whole days a task is past its due date (`today` as YYYY-MM-DD); 0 when it is not overdue. */
export function overdueDays(view, today) {
  if (!isOverdue(view, today)) return 0;
  return Math.round((Date.parse(today) - Date.parse(view.fields.due_date)) / 86_400_000);
}

/** "逾期 3 天" as a red chip (testid `task-overdue`), or null for a task that is not overdue. */
export function OverdueChip(view, today) {
  const days = overdueDays(view, today);
  return days ? h('span', { class: 'chip chip-overdue', testid: 'task-overdue', dataset: { days: String(days) } }, t('tasks.overdueDays', { count: days })) : null;
}
