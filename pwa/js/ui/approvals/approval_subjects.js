/**
 * What a decision is about, read from the records on the phone: the approvals, their subjects
 * (tasks, actions, complaints, checks), the sections and names, and the user's day (my_day.js).
 * Shared by the supervisor's inbox (loadInbox) and the "my day" part of home (loadDecisions).
 */
import { keeper, loadViewList, loadViewsOf, positionsOf } from '../../sync/local_view.js';
import { DAY_PARTS, ESCALATED_TO, loadLiveViews, loadOpenEscalations, loadOverdueActions, localDayEnd, mergeDay, passedDeadlines } from '../../sync/my_day.js';
import { rolesIn } from '../../sync/permissions.js';
import { taskProgress } from '../../sync/progress.js';
import { h, userText } from '../dom.js';
import { t, tOr } from '../i18n.js';
import { loadNameDirectory } from '../components/name_directory.js';
import { recordTitle } from '../components/record_text.js';
import { checkTitle, loadChecklists } from '../safety/checklist_text.js';
import { RiskBadge } from '../safety/risk_grade.js';
import { sectionLabel } from '../sections/site_facts.js';
import { documentLabel, versionLabel } from '../documents/document_data.js';
import { localToday } from '../home/home_sections.js';

const TYPES = ['section', 'task', 'action', 'feedback', 'safety_check', 'approval', 'escalation', 'document', 'document_version'];

/**
 * Everything the inbox and my day read, and the day itself: `{records, nameOf, templates, day, today}`.
 * The lists are shared (read them, never change them).
 */
export async function loadDecisions(app) {
  const [nameOf, ...lists] = await Promise.all([loadNameDirectory(app), ...TYPES.map((type) => loadViewList(type))]);
  const records = Object.fromEntries(TYPES.map((type, i) => [type, lists[i]]));
  const projectId = app.session.memberships[0]?.project_id;
  const templates = projectId && records.safety_check.length ? await loadChecklists(projectId, { all: true }) : [];
  const today = localToday();
  const day = heldDay(records, app.session.user, rolesIn(app.session, projectId), today);
  return { records, nameOf, templates, day, today };
}

/**
 * What the supervisor's inbox shows, read without the rest of the project: the approvals waiting
 * for a decision and, for a user they are escalated to, the complaints still open, the open
 * actions past their deadline and the escalations still open, each through an index of the
 * records by state (with the records changed on the phone); then the records the inbox names (each approval's subject, an action's check, a
 * version's document). As loadDecisions gives, `{records, nameOf, templates, day, today}`, whose
 * day holds what the inbox shows: `to_decide` and `escalated`.
 */
export async function loadInbox(app) {
  const projectId = app.session.memberships[0]?.project_id;
  const roles = rolesIn(app.session, projectId);
  const escalates = roles.some((role) => ESCALATED_TO.includes(role));
  const today = localToday();
  const [nameOf, section, approval, action, feedback, escalation] = await Promise.all([
    loadNameDirectory(app), loadViewList('section'), loadLiveViews('approval'),
    escalates ? loadOverdueActions(today) : [], escalates ? loadLiveViews('feedback') : [], escalates ? loadOpenEscalations() : []]);
  const records = { section, approval, action, feedback, escalation };
  const input = { records, user: app.session.user, roles, today, now: new Date().toISOString(), dayEnd: localDayEnd(today) };
  const day = mergeDay([DAY_PARTS.decisions.entries(input), DAY_PARTS.escalated.entries(input)]);
  const data = { records, nameOf, templates: [], day, today };
  const approvals = day.to_decide.map((entry) => recordOf(data, 'approval', entry.id));
  await addNamed(records, approvals.map((view) => [view.fields.subject_type, view.fields.subject_id]));
  const subjects = [...approvals.map((view) => subjectOf(data, view)), ...day.escalated.map((entry) => recordOf(data, entry.type, entry.id))];
  await addNamed(records, subjects.flatMap((view) => (view?.type === 'action' ? [['safety_check', view.fields.check_id]]
    : view?.type === 'document_version' ? [['document', view.fields.document_id]] : [])));
  if (projectId && records.safety_check?.length) data.templates = await loadChecklists(projectId, { all: true });
  return data;
}

/** Adds to `records` (type → views) the records `[type, id]` named that it lacks, read by id. */
async function addNamed(records, named) {
  const wanted = new Map();
  for (const [type, id] of named) {
    if (!type || !id || (records[type] && positionsOf(records[type]).has(id))) continue;
    if (!wanted.has(type)) wanted.set(type, new Set());
    wanted.get(type).add(id);
  }
  await Promise.all([...wanted].map(async ([type, ids]) => {
    records[type] = [...(records[type] ?? []), ...await loadViewsOf(type, [...ids])];
  }));
}

/** Each part of the day, and the day made of them, as last worked out. */
const keep = keeper();

/**
 * The user's day (my_day.js), a part at a time: a part is worked out again only when it could
 * have changed: a list of records it reads is a new one (a record of that type changed), the
 * user, roles or date changed, or, for the parts that move with the clock, a complaint's
 * response deadline has passed since. A change to one task goes through the tasks again, not the
 * complaints, actions and approvals; a redraw for anything else gets the day it had.
 * `now` (ms) and `dayEnd` (ISO, the end of the phone's day) are the clock's by default.
 */
export function heldDay(records, user, roles, today, now = Date.now(), dayEnd = localDayEnd(today)) {
  const key = `${user?.id} ${roles.join(',')} ${today} ${dayEnd}`;
  const passed = passedDeadlines(records.feedback ?? [], now);
  const parts = Object.entries(DAY_PARTS).map(([name, part]) => keep(name,
    [key, part.clock ? passed : null, ...part.reads.map((type) => records[type])],
    () => part.entries({ records, user, roles, today, now: new Date(now).toISOString(), dayEnd })));
  return keep('day', parts, () => mergeDay(parts));
}

/** The record `type`/`id` on the phone, or null. */
export function recordOf(data, type, id) {
  const views = data.records[type];
  if (!views) return null;
  // The places of a list patched in place are the last list's: no pass over every record.
  const place = positionsOf(views).get(id);
  return place === undefined ? null : views[place];
}

/** The subject of an approval, or null when it is not on the phone. */
export function subjectOf(data, approval) {
  return recordOf(data, approval.fields.subject_type, approval.fields.subject_id);
}

/** The document a version belongs to, or null. */
function documentOf(data, subject) {
  return subject?.type === 'document_version' ? recordOf(data, 'document', subject.fields.document_id) : null;
}

/** A subject's title as its own screen shows it (a check by its checklist's name, a document
 * version by its document's number and title and its revision). */
export function subjectTitle(data, subject) {
  if (!subject) return t('approvals.subjectMissing');
  if (subject.type === 'document_version') return versionLabel(documentOf(data, subject), subject);
  return subject.type === 'safety_check' ? checkTitle(subject, data.templates) : recordTitle(subject);
}

/** The subject's title as typed (marked so), or the words for a subject this phone lacks. */
export function subjectName(data, subject) {
  if (subject?.type === 'document_version') {
    const label = documentLabel(documentOf(data, subject));
    return h('span', {}, label ? userText(label) : t('approvals.subjectMissing'), ' · ',
      t('documents.revision', { revision: subject.fields.revision ?? '?' }));
  }
  return subject ? userText(subjectTitle(data, subject)) : subjectTitle(data, subject);
}

/** The check an action was raised by, or null. */
export function checkOf(data, action) {
  return action?.fields.check_id ? recordOf(data, 'safety_check', action.fields.check_id) : null;
}

/** The grid section a subject is in (an action's through its check), as "A01 …", or ''. */
export function subjectSection(data, subject) {
  const sectionId = subject?.fields.section_id ?? checkOf(data, subject)?.fields.section_id
    ?? documentOf(data, subject)?.fields.section_ids?.[0];
  return sectionId ? sectionLabel(recordOf(data, 'section', sectionId)) || (data.nameOf(sectionId) ?? '') : '';
}

/** The words for an approval's kind ("验收申请"). */
export function kindLabel(kind) {
  return tOr(`kind.${kind}`, String(kind ?? ''));
}

/** The facts a decider weighs at a glance: a task's progress, a risk grade, a score. */
export function KeyFacts(data, subject) {
  if (!subject) return null;
  const facts = [];
  if (subject.type === 'task') facts.push(h('span', { class: 'chip', testid: 'fact-progress' }, t('approvals.progress', { percent: taskProgress(subject.fields) })));
  const check = subject.type === 'safety_check' ? subject : checkOf(data, subject);
  if (check && Number.isInteger(check.fields.likelihood)) facts.push(RiskBadge(check.fields.likelihood, check.fields.severity, { testid: 'fact-risk' }));
  if (subject.type === 'feedback' && subject.fields.satisfaction) {
    facts.push(h('span', { class: 'chip', testid: 'fact-satisfaction' }, t('approvals.satisfaction', { score: subject.fields.satisfaction })));
  }
  if (subject.type === 'document_version' && subject.fields.note) {
    // What the version changes: what a change order asks to approve.
    return h('p', { class: 'approval-note', testid: 'fact-change' }, userText(subject.fields.note));
  }
  return facts.length ? h('p', { class: 'record-tags approval-facts' }, facts) : null;
}
