/**
 * Facts about the site derived from synced records, shared by the field screens: which tasks are
 * open or overdue, which checks failed, what each grid section still has open.
 */
import { sectionProgress } from '../../sync/progress.js';
import { loadViews } from '../../sync/local_view.js';
import { OPEN_TASK_STATES } from '../../sync/record_types.js';

/** `A01 交通导改区…` */
export function sectionLabel(section) {
  return section ? [section.fields.code, section.fields.name].filter(Boolean).join(' ') : '';
}

/** Sections ordered by code, as on the site plan. */
export function byCode(a, b) {
  return String(a.fields.code ?? '').localeCompare(String(b.fields.code ?? ''), undefined, { numeric: true });
}

export function isOpenTask(task) {
  return OPEN_TASK_STATES.has(task.fields.status ?? 'todo');
}

/** Open and past its due date (`today` as YYYY-MM-DD). */
export function isOverdue(task, today) {
  return isOpenTask(task) && Boolean(task.fields.due_date) && task.fields.due_date < today;
}

/** Item codes a check marked as failed. */
export function failedItems(check) {
  return Object.entries(check.fields.results ?? {}).filter(([, result]) => result === 'fail').map(([code]) => code);
}

/** A check with a failed item that is not closed yet. */
export function isOpenFailedCheck(check) {
  return check.fields.status !== 'closed' && failedItems(check).length > 0;
}

export function isOpenAction(action) {
  return (action.fields.status ?? 'open') !== 'verified';
}

export function isOpenFeedback(feedback) {
  return (feedback.fields.status ?? 'received') !== 'closed';
}

/**
 * What one section still has open: `{progress, tasks, openTasks, overdueTasks, openRisks, openComplaints}`.
 * Open risks are failed items of checks not closed, plus open actions not raised by such a check.
 */
export function sectionStats(sectionId, { tasks, checks, actions, feedback }, today) {
  const own = (view) => view.fields.section_id === sectionId;
  const sectionTasks = tasks.filter(own);
  const openChecks = checks.filter((check) => own(check) && isOpenFailedCheck(check));
  const openCheckIds = new Set(openChecks.map((check) => check.id));
  const checkSection = new Map(checks.map((check) => [check.id, check.fields.section_id]));
  const looseActions = actions.filter((action) => isOpenAction(action)
    && checkSection.get(action.fields.check_id) === sectionId && !openCheckIds.has(action.fields.check_id));
  return {
    tasks: sectionTasks.length,
    progress: sectionProgress(sectionTasks),
    openTasks: sectionTasks.filter(isOpenTask).length,
    overdueTasks: sectionTasks.filter((task) => isOverdue(task, today)).length,
    openRisks: openChecks.reduce((sum, check) => sum + failedItems(check).length, 0) + looseActions.length,
    openComplaints: feedback.filter((item) => own(item) && isOpenFeedback(item)).length,
  };
}

/** Every record the field screens combine, local changes included. */
export async function loadSite() {
  const types = ['section', 'task', 'safety_check', 'action', 'feedback', 'briefing'];
  const [sections, tasks, checks, actions, feedback, briefings] = await Promise.all(types.map((type) => loadViews(type)));
  return { sections: sections.sort(byCode), tasks, checks, actions, feedback, briefings };
}
