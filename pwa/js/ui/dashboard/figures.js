/**
 * The site's figures, defined once for the phone: the same definitions as the server's
 * `server/reports/figures.py` (report and exports), both checked against
 * `tests/fixtures/figures_cases.json`. Records are views `{id, createdAt, fields}`; progress and
 * overdue come from their one definition (sync/progress.js, sections/site_facts.js).
 */
import { ascending, derivedFrom, withChanges } from '../../sync/local_view.js';
import { passedDeadlines } from '../../sync/my_day.js';
import { sectionProgress } from '../../sync/progress.js';
import { isOverdue } from '../sections/site_facts.js';
import { riskGrade } from '../safety/risk_grade.js';

const FINISHED = ['done', 'accepted'];
const SATISFIED_FROM = 4;
export const DEFAULT_SATISFACTION_TARGET = 95;
const DAY = 86_400_000;

/**
 * Midnight UTC of a date (its first ten characters) in ms, or null without one. A plan has a few
 * hundred distinct dates and the figures read each many times, so each is parsed once.
 */
const parsedDates = new Map();
export function dateMs(text) {
  if (!text) return null;
  const date = String(text).slice(0, 10);
  let ms = parsedDates.get(date);
  if (ms === undefined) {
    if (parsedDates.size >= 10_000) parsedDates.clear();
    ms = Date.parse(`${date}T00:00:00Z`);
    parsedDates.set(date, ms);
  }
  return ms;
}
const days = (later, earlier) => Math.round((later - earlier) / DAY);
const isoDate = (ms) => new Date(ms).toISOString().slice(0, 10);

/** The middle value (mean of the two middle ones for an even count); null for none. */
export function median(values) {
  const ordered = [...values].sort((a, b) => a - b);
  if (ordered.length === 0) return null;
  const middle = Math.floor(ordered.length / 2);
  return ordered.length % 2 ? ordered[middle] : (ordered[middle - 1] + ordered[middle]) / 2;
}

/** How far the plan says a task should be by the end of `today`, in percent; null without both dates. */
export function plannedProgress(fields, today) {
  const start = dateMs(fields.planned_start);
  const end = dateMs(fields.planned_end);
  if (start == null || end == null) return null;
  const length = Math.max(days(end, start) + 1, 1);
  const elapsed = Math.min(Math.max(days(dateMs(today), start) + 1, 0), length);
  return Math.round((100 * elapsed) / length);
}

/** When a planned task ends (ms): its actual end once finished (else its planned end), else its planned end or today once past. */
export function forecastEnd(fields, today) {
  const planned = dateMs(fields.planned_end);
  if (planned == null) return null;
  if (FINISHED.includes(fields.status)) return dateMs(fields.actual_end) ?? planned;
  return Math.max(planned, dateMs(today));
}

/** Days a task ends after its planned end (negative: early); null when not planned. */
export function taskDeviation(fields, today) {
  const planned = dateMs(fields.planned_end);
  return planned == null ? null : days(forecastEnd(fields, today), planned);
}

/** `{planned_end, forecast_end, deviation_days}` of a section's tasks, or null when none is planned. */
export function sectionSchedule(tasks, today) {
  let plannedEnd = -Infinity;
  let end = -Infinity;
  // Loops, not Math.max(...): a spread of every task overflows the stack on a large plan.
  for (const task of tasks) {
    if (!task.fields.planned_end) continue;
    plannedEnd = Math.max(plannedEnd, dateMs(task.fields.planned_end));
    end = Math.max(end, forecastEnd(task.fields, today));
  }
  if (plannedEnd === -Infinity) return null;
  return { planned_end: isoDate(plannedEnd), forecast_end: isoDate(end), deviation_days: days(end, plannedEnd) };
}

/**
 * The longest chain of planned tasks through `depends_on`, by planned days (critical path method,
 * Kelley & Walker 1959): a task's earliest finish is its duration plus the largest earliest finish
 * of what it depends on; the path is walked back from the largest. Unplanned tasks and edges that
 * close a cycle are left out; ties go to the smaller id. `{ids, days}`.
 */
export function criticalPath(tasks) {
  const duration = new Map();
  for (const task of tasks) {
    const start = dateMs(task.fields.planned_start);
    const end = dateMs(task.fields.planned_end);
    if (start != null && end != null) duration.set(task.id, Math.max(days(end, start) + 1, 1));
  }
  const depends = new Map(tasks.filter((task) => duration.has(task.id))
    .map((task) => [task.id, [...(task.fields.depends_on ?? [])].filter((id) => duration.has(id)).sort()]));
  const finish = new Map();
  const before = new Map();
  const visiting = new Set();
  const earliestFinish = (id) => {
    if (finish.has(id)) return finish.get(id);
    visiting.add(id);
    let best = 0;
    let bestId = null;
    for (const dep of depends.get(id)) {
      if (visiting.has(dep)) continue; // closes a cycle
      const value = earliestFinish(dep);
      if (value > best) [best, bestId] = [value, dep];
    }
    visiting.delete(id);
    finish.set(id, best + duration.get(id));
    before.set(id, bestId);
    return finish.get(id);
  };
  for (const id of [...duration.keys()].sort()) earliestFinish(id);
  if (finish.size === 0) return { ids: [], days: 0 };
  let last = null;
  for (const id of [...finish.keys()].sort()) {
    if (last === null || finish.get(id) > finish.get(last)) last = id;
  }
  const path = [];
  for (let node = last; node !== null; node = before.get(node)) path.push(node);
  return { ids: path.reverse(), days: finish.get(last) };
}

/**
 * The tasks of each section, in one pass: section id → its tasks (in the order given), and
 * `null` → the tasks of no section among `sections`.
 */
export function tasksBySection(sections, tasks) {
  const bySection = new Map([...sections, null].map((section) => [section?.id ?? null, []]));
  for (const task of tasks) (bySection.get(task.fields.section_id ?? null) ?? bySection.get(null)).push(task);
  return bySection;
}

/**
 * Section id (null for none) → its tasks, in the list's order; worked out once per list, and for
 * a list patched from one whose sections are known, again only for the sections its changes touch.
 */
export function tasksBySectionId(tasks) {
  return derivedFrom(tasks, 'by section id', () => {
    const byId = new Map();
    for (const task of tasks) {
      const sectionId = task.fields.section_id ?? null;
      if (!byId.has(sectionId)) byId.set(sectionId, []);
      byId.get(sectionId).push(task);
    }
    return byId;
  }, (kept, changes) => {
    // Each section a changed task was or is in, its tasks with the changes made; the others as they were.
    const byId = new Map(kept);
    const sectionOf = (view) => view.fields.section_id ?? null;
    const touched = new Set(changes.flat().filter(Boolean).map(sectionOf));
    for (const sectionId of touched) {
      const own = withChanges(kept.get(sectionId) ?? [], changes, tasks, { filter: (view) => sectionOf(view) === sectionId });
      if (own.length) byId.set(sectionId, own);
      else byId.delete(sectionId);
    }
    return byId;
  });
}

/** One section's row of `progressBySection`. */
function sectionRow(section, own, today) {
  const plans = own.map((task) => plannedProgress(task.fields, today)).filter((value) => value != null);
  return {
    section_id: section.id,
    tasks: own.length,
    progress: sectionProgress(own),
    planned: plans.length ? Math.round(plans.reduce((sum, value) => sum + value, 0) / plans.length) : null,
    overdue: own.filter((task) => isOverdue(task, today)).length,
    schedule: sectionSchedule(own, today),
  };
}

/** Per section: actual progress, planned progress, overdue tasks and schedule. */
export function progressBySection(sections, tasks, today) {
  const bySection = tasksBySectionId(tasks);
  return sections.map((section) => sectionRow(section, bySection.get(section.id) ?? [], today));
}

/**
 * `progressBySection` from the rows `kept` and the tasks' changes (see `keeper`): only the
 * sections a changed task was or is in are worked out again; undefined when the sections or the
 * day changed.
 */
function progressAfter(kept, [sectionChanges, taskChanges, todayChanged], sections, tasks, today) {
  if (sectionChanges || todayChanged) return undefined;
  const touched = new Set();
  for (const views of taskChanges) {
    for (const view of views) if (view) touched.add(view.fields.section_id ?? null);
  }
  const bySection = tasksBySectionId(tasks);
  return kept.map((row, i) => (touched.has(row.section_id) ? sectionRow(sections[i], bySection.get(sections[i].id) ?? [], today) : row));
}

/** What the critical path reads of a task: its planned dates and what it depends on, when it has both dates. */
const planOf = (view) => (view?.fields.planned_start && view.fields.planned_end
  ? JSON.stringify([view.fields.planned_start, view.fields.planned_end, view.fields.depends_on ?? []]) : null);

/** The [likelihood, severity] grades a check holds: each failed item's, or the check's own when none is graded. */
export function checkRisks(check) {
  const fields = check.fields;
  const grades = Object.entries(fields.item_risk ?? {}).filter(([, grade]) => grade)
    .sort(([a], [b]) => ascending(a, b))
    .map(([, grade]) => grade.split('-').map(Number));
  if (grades.length === 0 && fields.likelihood && fields.severity) return [[Number(fields.likelihood), Number(fields.severity)]];
  return grades;
}

const isOpenCheck = (check) => (check.fields.status ?? 'open') !== 'closed';

/** Open risks counted on the grid: `matrix[likelihood - 1][severity - 1]`. */
export function riskMatrix(checks) {
  const matrix = Array.from({ length: 5 }, () => [0, 0, 0, 0, 0]);
  for (const check of checks.filter(isOpenCheck)) {
    for (const [likelihood, severity] of checkRisks(check)) matrix[likelihood - 1][severity - 1] += 1;
  }
  return matrix;
}

/** Per section id, its worst open risk `{score, likelihood, severity, level}`. */
export function worstOpenRisk(checks) {
  const worst = {};
  for (const check of checks) {
    const sectionId = check.fields.section_id;
    if (!sectionId || !isOpenCheck(check)) continue;
    for (const [likelihood, severity] of checkRisks(check)) {
      const { score, level } = riskGrade(likelihood, severity);
      const known = worst[sectionId];
      if (!known || score > known.score || (score === known.score && severity > known.severity)) {
        worst[sectionId] = { score, likelihood, severity, level };
      }
    }
  }
  return worst;
}

/** The Monday starting the ISO week of `day`. */
export function weekOf(day) {
  const ms = dateMs(day);
  const weekday = (new Date(ms).getUTCDay() + 6) % 7;
  return isoDate(ms - weekday * DAY);
}

/** Per week of check date: items passed, failed, and the pass rate of those judged; oldest first. */
export function passRateByWeek(checks) {
  const weeks = new Map();
  for (const check of checks) {
    if (!check.fields.date) continue;
    const week = weekOf(check.fields.date);
    const counts = weeks.get(week) ?? [0, 0];
    for (const result of Object.values(check.fields.results ?? {})) {
      if (result === 'pass') counts[0] += 1;
      else if (result === 'fail') counts[1] += 1;
    }
    weeks.set(week, counts);
  }
  return [...weeks.keys()].sort().map((week) => {
    const [passed, failed] = weeks.get(week);
    return { week, passed, failed, rate: passed + failed ? Math.round((100 * passed) / (passed + failed)) : null };
  });
}

/** Corrective actions open (not verified), overdue (open past the deadline), median days to verify. */
export function actionFigures(actions, today) {
  const open = actions.filter((action) => (action.fields.status ?? 'open') !== 'verified');
  const overdue = open.filter((action) => action.fields.deadline && action.fields.deadline < today);
  const spans = actions.filter((action) => action.fields.status === 'verified' && action.fields.verified_at && action.createdAt)
    .map((action) => days(dateMs(action.fields.verified_at), dateMs(action.createdAt)));
  return { open: open.length, overdue: overdue.length, median_days_to_verify: median(spans) };
}

/** `{category: {status: count}}` over every complaint. */
export function complaintsByCategory(feedback) {
  const table = {};
  for (const item of feedback) {
    const category = item.fields.category || 'other';
    const status = item.fields.status || 'received';
    table[category] ??= {};
    table[category][status] = (table[category][status] ?? 0) + 1;
  }
  const sorted = (object) => Object.fromEntries(Object.keys(object).sort().map((key) => [key, object[key]]));
  return Object.fromEntries(Object.keys(table).sort().map((category) => [category, sorted(table[category])]));
}

/** Median hours to first response, share answered by the deadline, satisfaction rate against the target. */
export function residentFigures(feedback, now, target = DEFAULT_SATISFACTION_TARGET) {
  const hours = [];
  let onTime = 0;
  let judged = 0;
  const moment = Date.parse(now);
  for (const item of feedback) {
    const responded = item.fields.responded_at ? Date.parse(item.fields.responded_at) : null;
    const due = item.fields.response_due ? Date.parse(item.fields.response_due) : null;
    if (responded != null && item.createdAt) hours.push((responded - Date.parse(item.createdAt)) / 3_600_000);
    if (due != null && (responded != null || due < moment)) {
      judged += 1;
      if (responded != null && responded <= due) onTime += 1;
    }
  }
  const scores = feedback.filter((item) => item.fields.status === 'closed' && item.fields.satisfaction)
    .map((item) => item.fields.satisfaction);
  const middle = median(hours);
  const rate = scores.length ? Math.round((100 * scores.filter((score) => score >= SATISFIED_FROM).length) / scores.length) : null;
  const goal = target ?? DEFAULT_SATISFACTION_TARGET;
  return {
    median_response_hours: middle == null ? null : Math.round(middle * 10) / 10,
    answered_in_time: judged ? Math.round((100 * onTime) / judged) : null,
    satisfaction: rate,
    satisfaction_target: goal,
    meets_target: rate == null ? null : rate >= goal,
  };
}

const INSPECTION_LEVELS = ['self', 'mutual', 'specialist'];
const JUDGED = ['pass', 'fail'];

/** Per `${stepId} ${level}`, the step's first judged inspection of that level: lowest round, then smaller id; steps given only. */
export function firstInspections(steps, inspections) {
  const known = new Set(steps.map((step) => step.id));
  const first = new Map();
  const order = (inspection) => [inspection.fields.round ?? 0, inspection.id];
  const before = ([roundA, idA], [roundB, idB]) => roundA < roundB || (roundA === roundB && idA < idB);
  for (const inspection of inspections) {
    const { work_step_id: stepId, level, result } = inspection.fields;
    if (!known.has(stepId) || !JUDGED.includes(result)) continue;
    const key = `${stepId} ${level}`;
    const held = first.get(key);
    if (!held || before(order(inspection), order(held))) first.set(key, inspection);
  }
  return first;
}

/** Per level: work steps inspected at it, how many passed their first inspection of it, and that share (null for none). */
export function firstPassByLevel(steps, inspections) {
  const first = [...firstInspections(steps, inspections).values()];
  return INSPECTION_LEVELS.map((level) => {
    const results = first.filter((inspection) => inspection.fields.level === level).map((inspection) => inspection.fields.result);
    const passed = results.filter((result) => result === 'pass').length;
    return { level, steps: results.length, first_pass: passed, rate: results.length ? Math.round((100 * passed) / results.length) : null };
  });
}

/** First-attempt pass rates per level, work steps by state, how many passed all three levels, how many are being rectified. */
export function qualityFigures(steps, inspections) {
  const states = {};
  for (const step of steps) {
    const state = step.fields.status || 'planned';
    states[state] = (states[state] ?? 0) + 1;
  }
  return {
    first_pass: firstPassByLevel(steps, inspections),
    steps: steps.length,
    steps_by_state: Object.fromEntries(Object.keys(states).sort().map((state) => [state, states[state]])),
    passed: states.passed ?? 0,
    rectifying: Object.entries(states).filter(([state]) => state.startsWith('rectifying_')).reduce((sum, [, count]) => sum + count, 0),
  };
}

/**
 * Every figure of the dashboard from `{sections, tasks, checks, actions, feedback, work_steps, inspections}`.
 * `held(name, inputs, compute, update)` (a `keeper`) may answer a figure from what it kept while
 * its `inputs` (the lists and values it reads) are the same, or from the changes to a list patched
 * since; by default every figure is worked out. The residents' figures read the clock through how
 * many response deadlines have passed: they are the same while that count is.
 */
export function dashboardFigures({ sections = [], tasks = [], checks = [], actions = [], feedback = [], work_steps: workSteps = [], inspections = [] }, today, now, target,
  held = (name, inputs, compute) => compute()) {
  return {
    progress: held('progress', [sections, tasks, today], () => progressBySection(sections, tasks, today),
      (kept, changes) => progressAfter(kept, changes, sections, tasks, today)),
    critical_path: held('critical_path', [tasks], () => criticalPath(tasks),
      (kept, [changes]) => (changes.every(([before, after]) => planOf(before) === planOf(after)) ? kept : undefined)),
    risk_matrix: held('risk_matrix', [checks], () => riskMatrix(checks)),
    worst_risk: held('worst_risk', [checks], () => worstOpenRisk(checks)),
    pass_rate: held('pass_rate', [checks], () => passRateByWeek(checks)),
    actions: held('actions', [actions, today], () => actionFigures(actions, today)),
    complaints: held('complaints', [feedback], () => complaintsByCategory(feedback)),
    residents: held('residents', [feedback, target, passedDeadlines(feedback, Date.parse(now))], () => residentFigures(feedback, now, target)),
    quality: held('quality', [workSteps, inspections], () => qualityFigures(workSteps, inspections)),
  };
}
