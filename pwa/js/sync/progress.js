/**
 * Progress, defined once for every screen: a task's is what was reported on it, except that work
 * marked done or accepted is finished (100 %); a section's is the average of its tasks' (none: null).
 */

const FINISHED = ['done', 'accepted'];

/** A task's progress in percent, 0–100, from its fields (`status`, `progress`). */
export function taskProgress(fields) {
  if (FINISHED.includes(fields.status)) return 100;
  const reported = Number(fields.progress ?? 0);
  return Number.isFinite(reported) ? Math.min(100, Math.max(0, Math.round(reported))) : 0;
}

/** The rounded average of the tasks' progress; null when there are no tasks. */
export function sectionProgress(tasks) {
  if (tasks.length === 0) return null;
  return Math.round(tasks.reduce((sum, task) => sum + taskProgress(task.fields), 0) / tasks.length);
}
