/**
 * What the home screen shows first for each role: big links to the field screens (`HOME_LINKS`)
 * and sections listing records of one type that match `filter(view, today, user, own)`, where
 * `own` is the set of section ids the user answers for.
 */
// What 'mine' means (tasks, briefings, sections) is my day's rule: one definition for home too.
import { OPEN_TASK_STATES } from '../../sync/record_types.js';
import { isMyBriefing, isMyTask, ownSections } from '../../sync/my_day.js';

export { isMyBriefing, isMyTask, ownSections };

/** Today as `YYYY-MM-DD` in the device's timezone. */
export function localToday() {
  const now = new Date();
  return new Date(now.getTime() - now.getTimezoneOffset() * 60_000).toISOString().slice(0, 10);
}

// A section's order: by a date (`YYYY-MM-DD`, in code-point order) or a time (the instant it
// means, whatever its offset), those without one last.
const byField = (name) => (view) => String(view.fields[name] ?? '9999');
const byTime = (name) => (view) => {
  const at = Date.parse(view.fields[name] ?? '');
  return Number.isNaN(at) ? Infinity : at;
};

const statusIn = (...states) => (view) => states.includes(view.fields.status);

export const HOME_SECTIONS = [
  {
    id: 'today-tasks', roles: ['foreman'], type: 'task', titleKey: 'home.todayTasks', listPath: '/tasks',
    filter: (view, today, user, own) => OPEN_TASK_STATES.has(view.fields.status ?? 'todo')
      && (view.fields.status === 'doing' || !view.fields.due_date || view.fields.due_date <= today)
      && isMyTask(view, user, own),
    sortKey: byField('due_date'),
  },
  {
    id: 'today-briefing', roles: ['foreman'], type: 'briefing', titleKey: 'home.todayBriefing', listPath: '/briefings',
    filter: (view, today, user, own) => view.fields.date === today && isMyBriefing(view, user, own),
  },
  {
    id: 'my-actions', roles: ['foreman'], type: 'action', titleKey: 'home.myActions',
    filter: (view, today, user) => view.fields.owner_id === user?.id && statusIn('open', undefined)(view), sortKey: byField('deadline'),
  },
  {
    id: 'open-feedback', roles: ['liaison'], type: 'feedback', titleKey: 'home.openFeedback', listPath: '/feedback',
    filter: (view) => !statusIn('resolved', 'closed')(view), sortKey: byTime('response_due'),
  },
  {
    id: 'open-checks', roles: ['safety'], type: 'safety_check', titleKey: 'home.openChecks', listPath: '/checks',
    filter: (view) => !statusIn('closed')(view), sortKey: byField('date'),
  },
  {
    id: 'open-actions', roles: ['safety'], type: 'action', titleKey: 'home.openActions',
    filter: (view) => !statusIn('verified')(view), sortKey: byField('deadline'),
  },
  {
    id: 'tasks-to-accept', roles: ['supervisor'], type: 'task', titleKey: 'home.tasksToAccept', listPath: '/tasks?state=done',
    filter: statusIn('done'), sortKey: byField('due_date'),
  },
  {
    id: 'briefings-to-acknowledge', roles: ['supervisor'], type: 'briefing', titleKey: 'home.briefingsToAcknowledge', listPath: '/briefings',
    filter: statusIn('submitted'),
  },
];

/** Role order on the home screen when a user has several roles. */
const ROLE_ORDER = ['foreman', 'liaison', 'safety', 'quality', 'supervisor'];

/**
 * Big links at the top of home, most used first for each role. `primary` marks the one a role
 * starts its day with; `counts(view)` (optional, over records of `countType`) shows how many pass it,
 * `note(views, today, user, alsoLoaded)` the key of a short text (`alsoLoad` names one more type it reads).
 */
export const HOME_LINKS = [
  {
    id: 'today', roles: ['foreman'], href: '/today', labelKey: 'home.link.today', primary: true,
    // The state of my briefing of today (the one the home section lists), else "not started".
    countType: 'briefing', alsoLoad: 'section',
    note: (views, today, user, sections) => {
      const own = ownSections(sections, user);
      const mine = views.find((view) => view.fields.date === today && isMyBriefing(view, user, own));
      return mine ? `state.${mine.fields.status ?? 'draft'}` : 'briefing.notStartedShort';
    },
  },
  { id: 'new-task', roles: ['foreman', 'supervisor', 'admin'], href: '/tasks/new', labelKey: 'task.new', testid: 'new-task' },
  { id: 'new-feedback', roles: ['liaison'], href: '/feedback/new', labelKey: 'feedback.new', primary: true },
  { id: 'feedback', roles: ['liaison'], href: '/feedback', labelKey: 'home.link.feedback' },
  { id: 'new-check', roles: ['safety', 'foreman'], href: '/checks/new', labelKey: 'checks.new', primary: true },
  { id: 'checks', roles: ['safety'], href: '/checks', labelKey: 'checks.title' },
  {
    id: 'actions', roles: ['safety'], href: '/records/action', labelKey: 'home.link.actions',
    countType: 'action', counts: (view) => (view.fields.status ?? 'open') !== 'verified',
  },
  {
    id: 'accept', roles: ['supervisor'], href: '/tasks?state=done', labelKey: 'home.link.accept', primary: true,
    countType: 'task', counts: statusIn('done'),
  },
  {
    id: 'acknowledge', roles: ['supervisor'], href: '/briefings', labelKey: 'home.link.acknowledge',
    countType: 'briefing', counts: statusIn('submitted'),
  },
  {
    id: 'approvals', roles: ['supervisor'], href: '/approvals', labelKey: 'home.link.approvals',
    countType: 'approval', counts: statusIn('pending'),
  },
  {
    id: 'inspect', roles: ['quality'], href: '/records/work_step', labelKey: 'home.link.inspect', primary: true,
    countType: 'work_step', counts: statusIn('mutual_passed'),
  },
  { id: 'sections', roles: ['admin', 'foreman', 'quality', 'supervisor'], href: '/sections', labelKey: 'sections.title', primary: true },
  { id: 'scan', roles: ['foreman', 'quality', 'supervisor', 'safety'], href: '/scan', labelKey: 'scan.title' },
  { id: 'crew', roles: ['foreman', 'admin'], href: '/crew', labelKey: 'crew.title' },
  { id: 'documents', roles: ['foreman', 'supervisor', 'admin', 'safety', 'liaison'], href: '/documents', labelKey: 'documents.title' },
  { id: 'checklists', roles: ['admin'], href: '/checklists', labelKey: 'checklists.title' },
  { id: 'dashboard', roles: ['supervisor', 'admin', 'safety', 'liaison', 'foreman'], href: '/dashboard', labelKey: 'dashboard.title' },
];

/**
 * The links for a user's roles, each once: the first role's primary link leads, then that role's
 * other links, then the next role's. An admin (who may do everything) gets the admin links first.
 */
export function linksForRoles(roles) {
  const ordered = [...(roles.includes('admin') ? ['admin'] : []), ...ROLE_ORDER.filter((role) => roles.includes(role))];
  const links = ordered.flatMap((role) => {
    const own = HOME_LINKS.filter((link) => link.roles.includes(role));
    const lead = own.find((link) => link.primary && link.roles[0] === role) ?? own.find((link) => link.primary);
    return lead ? [lead, ...own.filter((link) => link !== lead)] : own;
  });
  const unique = [...new Map(links.map((link) => [link.id, link])).values()];
  return unique.map((link, i) => ({ ...link, primary: i === 0 && Boolean(link.primary) }));
}

/** The sections for a user's roles, most hands-on role first; admins see every section. */
export function sectionsForRoles(roles) {
  const ordered = roles.includes('admin') ? ROLE_ORDER : ROLE_ORDER.filter((role) => roles.includes(role));
  return ordered.flatMap((role) => HOME_SECTIONS.filter((section) => section.roles.includes(role)));
}
