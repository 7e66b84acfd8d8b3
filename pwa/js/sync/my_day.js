/**
 * "My day": what a user should look at today, decided from the records on the phone alone (so
 * offline it is right too). The server's GET /api/projects/<id>/my-day applies the same rules
 * (server/my_day/rules.py); tests/fixtures/my_day_cases.json holds cases both must agree on.
 *
 * Input: `records` `{section, task, action, feedback, approval, escalation}` as views
 * (`{id, createdBy, updatedAt, fields}`), `user` `{id}`, the user's `roles` in the project,
 * `today` (YYYY-MM-DD on the phone), `now` and `dayEnd` (ISO UTC: this moment, and the end of
 * the local day). Output: buckets of entries `{type, id, due?, reason?, kind?}`:
 * - `overdue` / `due_today`: open tasks of mine (see isMyTask), open actions I own, complaints I
 *   answer for not yet resolved, by their due date, response deadline or deadline;
 * - `to_decide`: pending approvals, for a user whose role decides them;
 * - `sent_back` / `accepted`: decisions on what I asked for (the latest round of each subject;
 *   accepted ones for three days);
 * - `escalated`: for supervisors and admins, complaints past their response deadline and
 *   actions past their deadline, until they move.
 */
import { ascending as cmp, derivedFrom, loadFirstViewsThrough, sortedViews } from './local_view.js';
import { mayDecide } from './permissions.js';
import { OPEN_TASK_STATES, RECORD_TYPES, initialState } from './record_types.js';

export const BUCKETS = ['overdue', 'due_today', 'to_decide', 'sent_back', 'accepted', 'escalated'];
/** Roles an overdue complaint or action is escalated to. */
export const ESCALATED_TO = ['supervisor', 'admin'];
const ANSWERED = ['resolved', 'closed'];
/** Days an accepted decision stays on its asker's day. */
const ACCEPTED_DAYS = 3;
/**
 * The states in which an approval, an action or a complaint can be on anyone's day: waiting for a
 * decision, open, not yet answered. The supervisor's inbox and its badge read those records alone.
 */
export const LIVE_STATES = {
  approval: ['pending'],
  action: ['open'],
  feedback: Object.keys(RECORD_TYPES.feedback.transitions).filter((state) => !ANSWERED.includes(state)),
};

/** Whether `view` (an approval, action or complaint) is in one of its type's LIVE_STATES. */
const isLive = (view) => LIVE_STATES[view.type].includes(view.fields.status ?? initialState(view.type));

/**
 * The views of `type` (a type of LIVE_STATES) in those states, changes queued on the phone
 * included, read through the records' `by_state` index without the rest of the type.
 */
export async function loadLiveViews(type) {
  const views = await loadFirstViewsThrough(type, 'by_state', LIVE_STATES[type].map((state) => IDBKeyRange.only([type, state])));
  return views.filter(isLive);
}

/**
 * The open actions whose deadline is before `today` (a date, as `dayOf` compares), changes queued
 * on the phone included, read through the records' `by_state_deadline` index: neither the open
 * actions not yet due nor the done ones whose deadlines passed long ago.
 */
export async function loadOverdueActions(today) {
  const views = await loadFirstViewsThrough('action', 'by_state_deadline',
    LIVE_STATES.action.map((state) => IDBKeyRange.bound(['action', state, ''], ['action', state, today], true, true)));
  return views.filter((view) => isLive(view) && dayOf(view.fields.deadline, today) === 'overdue');
}

/** The escalations still open (the server gives each its state), read through `by_escalation_state`. */
export async function loadOpenEscalations() {
  const views = await loadFirstViewsThrough('escalation', 'by_escalation_state', [IDBKeyRange.only(['escalation', 'open'])]);
  return views.filter((view) => (view.fields.state ?? 'open') === 'open');
}

/** The ids of the sections a user answers for, out of the section views. */
export function ownSections(sections, user) {
  return new Set(sections.filter((section) => section.fields.owner_id === user?.id).map((section) => section.id));
}

/** Whether `user` created `view` (a record this phone made and has not sent yet is theirs). */
function madeBy(view, user) {
  return view.createdBy ? view.createdBy === user?.id : view.serverSeq == null;
}

/** "Mine": a task assigned to me, in a section I answer for, or made by me and given to nobody. */
export function isMyTask(view, user, own) {
  if (view.fields.assignee_id) return view.fields.assignee_id === user?.id || own.has(view.fields.section_id);
  return own.has(view.fields.section_id) || madeBy(view, user);
}

/** A briefing I wrote (or this phone made and has not sent yet), or one covering a section of mine. */
export function isMyBriefing(view, user, own) {
  return madeBy(view, user) || (view.fields.section_ids ?? []).some((id) => own.has(id));
}

/** A complaint I answer for: logged by me, in a section of mine, or any one for a liaison. */
export function isMyComplaint(view, user, own, roles) {
  return roles.includes('liaison') || madeBy(view, user) || own.has(view.fields.section_id);
}

/** Who asked for a decision: the approval's `requested_by`, else whoever made the record. */
export function requesterOf(approval) {
  return approval.fields.requested_by ?? approval.createdBy ?? null;
}

/** `YYYY-MM-DD` `days` after `date`. */
export function addDays(date, days) {
  const at = new Date(`${date}T00:00:00Z`);
  at.setUTCDate(at.getUTCDate() + days);
  return at.toISOString().slice(0, 10);
}

/** The end of the phone's day as an ISO UTC time (local midnight after `today`). */
export function localDayEnd(today) {
  const [year, month, day] = today.split('-').map(Number);
  return new Date(year, month - 1, day + 1).toISOString();
}

/** ISO times compared as instants (`…Z` and `….000Z` alike). */
const instant = (iso) => Date.parse(iso);

// Code-point order (`cmp`), as the server sorts.
const byDue = (a, b) => cmp(String(a.due ?? ''), String(b.due ?? '')) || cmp(a.type, b.type) || cmp(a.id, b.id);
const newestFirst = (a, b) => cmp(String(b.at ?? ''), String(a.at ?? '')) || cmp(a.id, b.id);
const KIND_ORDER = ['task_acceptance', 'rectification', 'closure_review', 'check_closure', 'change_order',
  'signoff'];
const byKind = (a, b) => (KIND_ORDER.indexOf(a.kind) >>> 0) - (KIND_ORDER.indexOf(b.kind) >>> 0) || cmp(a.id, b.id);

/** Where a dated subject falls today: 'overdue', 'due_today' or null. */
function dayOf(date, today) {
  if (!date) return null;
  if (date < today) return 'overdue';
  return date === today ? 'due_today' : null;
}

/** A complaint's response deadline against now and the end of the day (both in ms). */
function responseDay(due, nowMs, dayEndMs) {
  const at = instant(due ?? '');
  if (Number.isNaN(at)) return null;
  if (at < nowMs) return 'overdue';
  return at <= dayEndMs ? 'due_today' : null;
}

/** How late a round of asking is: a pending one over a decided one, then the higher cycle, then the later change. */
function laterRound(a, b) {
  const pending = (view) => ((view.fields.status ?? 'pending') === 'pending' ? 1 : 0);
  return pending(a) - pending(b) || (a.fields.cycle ?? 1) - (b.fields.cycle ?? 1)
    || cmp(String(a.updatedAt ?? ''), String(b.updatedAt ?? ''));
}

/** The latest round of asking about each subject: `subject_id` → its approval. */
function latestRounds(approvals) {
  const latest = new Map();
  for (const approval of approvals) {
    const held = latest.get(approval.fields.subject_id);
    if (!held || laterRound(approval, held) > 0) latest.set(approval.fields.subject_id, approval);
  }
  return latest;
}

/**
 * The day in parts, each read from a few types of records (`reads`), so that a reader that keeps
 * the parts (ui/approvals/approval_subjects.js) works out again only those whose records changed.
 * `clock`: the part moves with the clock within a day (complaints' response deadlines). Each
 * part's `entries(input)` gives `[bucket, entry]` pairs; `mergeDay` makes the buckets.
 */
export const DAY_PARTS = {
  tasks: {
    reads: ['task', 'section'],
    entries: ({ records, user, today }) => {
      const own = ownSections(records.section ?? [], user);
      // The open tasks of mine due by today, kept per list: after a change to one task, that one alone is looked at.
      const tasks = sortedViews(records.task ?? [], `my day's tasks ${user?.id} ${today} ${[...own].sort().join(',')}`, {
        filter: (task) => OPEN_TASK_STATES.has(task.fields.status ?? 'todo') && isMyTask(task, user, own) && dayOf(task.fields.due_date, today) !== null,
      });
      return tasks.map((task) => [dayOf(task.fields.due_date, today), { type: 'task', id: task.id, due: task.fields.due_date }]);
    },
  },
  actions: {
    reads: ['action'],
    entries: ({ records, user, today }) => {
      const actions = sortedViews(records.action ?? [], `my day's actions ${user?.id} ${today}`, {
        filter: (action) => isLive(action) && action.fields.owner_id === user?.id && dayOf(action.fields.deadline, today) !== null,
      });
      return actions.map((action) => [dayOf(action.fields.deadline, today), { type: 'action', id: action.id, due: action.fields.deadline }]);
    },
  },
  complaints: {
    reads: ['feedback', 'section'],
    clock: true,
    entries: ({ records, user, roles, now, dayEnd }) => {
      const own = ownSections(records.section ?? [], user);
      const [nowMs, dayEndMs] = [instant(now), instant(dayEnd)];
      const entries = [];
      for (const complaint of records.feedback ?? []) {
        if (!isLive(complaint) || !isMyComplaint(complaint, user, own, roles)) continue;
        const bucket = responseDay(complaint.fields.response_due, nowMs, dayEndMs);
        if (bucket) entries.push([bucket, { type: 'feedback', id: complaint.id, due: complaint.fields.response_due }]);
      }
      return entries;
    },
  },
  decisions: {
    reads: ['approval'],
    entries: ({ records, user, roles, today }) => {
      const approvals = records.approval ?? [];
      const entries = [];
      // Each kind has its own deciders (a safety officer verifies rectifications, not tasks).
      for (const approval of approvals) {
        if (!isLive(approval) || !mayDecide(roles, approval.fields.kind)) continue;
        entries.push(['to_decide', { type: 'approval', id: approval.id, kind: approval.fields.kind }]);
      }
      const recent = addDays(today, -ACCEPTED_DAYS);
      for (const approval of latestRounds(approvals).values()) {
        if (requesterOf(approval) !== user?.id) continue;
        const entry = { type: 'approval', id: approval.id, kind: approval.fields.kind, at: approval.updatedAt };
        if (approval.fields.status === 'rejected') entries.push(['sent_back', entry]);
        else if (approval.fields.status === 'approved' && String(approval.updatedAt ?? '').slice(0, 10) >= recent) entries.push(['accepted', entry]);
      }
      return entries;
    },
  },
  escalated: {
    reads: ['feedback', 'action', 'escalation'],
    clock: true,
    entries: ({ records, roles, today, now, dayEnd }) => {
      if (!roles.some((role) => ESCALATED_TO.includes(role))) return [];
      const recorded = new Map((records.escalation ?? []).filter((view) => (view.fields.state ?? 'open') === 'open')
        .map((view) => [view.fields.subject_id, view.fields.escalated_at]));
      const entries = [];
      const escalate = (type, view, reason, due) => entries.push(['escalated', { type, id: view.id, reason, due, escalated_at: recorded.get(view.id) ?? null }]);
      const [nowMs, dayEndMs] = [instant(now), instant(dayEnd)];
      for (const complaint of records.feedback ?? []) {
        if (isLive(complaint) && responseDay(complaint.fields.response_due, nowMs, dayEndMs) === 'overdue') escalate('feedback', complaint, 'response_overdue', complaint.fields.response_due);
      }
      for (const action of records.action ?? []) {
        if (isLive(action) && dayOf(action.fields.deadline, today) === 'overdue') escalate('action', action, 'action_overdue', action.fields.deadline);
      }
      return entries;
    },
  },
};

/** The buckets of a day out of its parts' entries, each bucket in its order. */
export function mergeDay(parts) {
  const buckets = Object.fromEntries(BUCKETS.map((name) => [name, []]));
  for (const entries of parts) for (const [bucket, entry] of entries) buckets[bucket].push(entry);
  for (const name of ['overdue', 'due_today', 'escalated']) buckets[name].sort(byDue);
  buckets.to_decide.sort(byKind);
  buckets.sent_back.sort(newestFirst);
  buckets.accepted.sort(newestFirst);
  return buckets;
}

/** The buckets of `user`'s day (see the module's comment). */
export function myDay(input) {
  return mergeDay(Object.values(DAY_PARTS).map((part) => part.entries(input)));
}

/**
 * How many complaints' response deadlines lie in the past at `now` (a deadline at `at` is past
 * once the clock is beyond it): the count grows exactly when one more passes.
 */
export function passedDeadlines(complaints, now) {
  const deadlines = derivedFrom(complaints, 'response deadlines', () => Float64Array.from(
    complaints.map((view) => Date.parse(view.fields.response_due ?? '')).filter((at) => !Number.isNaN(at))).sort());
  let low = 0;
  let high = deadlines.length;
  while (low < high) { // the first deadline not before now
    const middle = (low + high) >> 1;
    if (deadlines[middle] < now) low = middle + 1;
    else high = middle;
  }
  return low;
}
