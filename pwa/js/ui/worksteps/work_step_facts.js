/**
 * What a work step's state means for its inspections, as the server judges it
 * (server/records/work_step.py): which level it awaits, each level's rounds, who records it.
 */
import { loadViews } from '../../sync/local_view.js';
import { may, rolesIn, standInsOf } from '../../sync/permissions.js';

export const LEVELS = ['self', 'mutual', 'specialist'];
const AWAITING = { self: 'in_progress', mutual: 'self_passed', specialist: 'mutual_passed' };
export const PASSED = { self: 'self_passed', mutual: 'mutual_passed', specialist: 'passed' };
export const RECTIFYING = { self: 'rectifying_self', mutual: 'rectifying_mutual', specialist: 'rectifying_specialist' };
/** Where a rectified step goes back to: the state awaiting the level it failed. */
export const RECTIFIED = Object.fromEntries(LEVELS.map((level) => [RECTIFYING[level], AWAITING[level]]));
export const DEFAULT_STEPS = ['沟槽开挖', '管道安装', '回填', '基层', '面层摊铺'];

/** The level the step awaits now, or null (planned, rectifying or passed). */
export function awaitedLevel(step) {
  return LEVELS.find((level) => AWAITING[level] === step.fields.status) ?? null;
}

/** The level being rectified, or null. */
export function rectifyingLevel(step) {
  return LEVELS.find((level) => RECTIFYING[level] === step.fields.status) ?? null;
}

/** The step's inspections on this phone, oldest first. */
export async function loadInspections(stepId) {
  return (await loadViews('inspection'))
    .filter((view) => view.fields.work_step_id === stepId && !view.deleted)
    .sort((a, b) => String(a.fields.inspected_at ?? '').localeCompare(String(b.fields.inspected_at ?? ''))
      || (a.fields.round ?? 0) - (b.fields.round ?? 0));
}

/** The round the next inspection of `level` is: how many of that level failed before. */
export function nextRound(inspections, level) {
  return inspections.filter((view) => view.fields.level === level && view.fields.result === 'fail').length;
}

/** Whether the user may record `level` on the step (the table's `level:<level>`). */
export function mayRecord(session, step, level) {
  return may(rolesIn(session, step.fields.project_id), 'inspection', `level:${level}`, { standIns: standInsOf(session, step) });
}

/** Whether the user may move the step from its state to `target`. */
export function mayMove(session, step, target) {
  return may(rolesIn(session, step.fields.project_id), 'work_step', `status:${step.fields.status}->${target}`,
    { standIns: standInsOf(session, step), isAuthor: step.createdBy === session.user?.id });
}

/** A section's work steps on this phone, by planned start. */
export async function loadSectionSteps(sectionId) {
  return (await loadViews('work_step'))
    .filter((view) => view.fields.section_id === sectionId && !view.deleted)
    .sort((a, b) => String(a.fields.planned_start ?? '9999').localeCompare(String(b.fields.planned_start ?? '9999')));
}

/** The step this one depends on has not passed its specialist inspection (starting now is early). */
export function predecessorOpen(step, steps) {
  const before = step.fields.depends_on && steps.find((view) => view.id === step.fields.depends_on);
  return Boolean(before) && before.fields.status !== 'passed';
}
