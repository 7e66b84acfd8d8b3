/**
 * What the home screen shows first for each role. A section lists records of one type
 * that match `filter`; field screens may add sections here.
 */

/** Today as `YYYY-MM-DD` in the device's timezone. */
export function localToday() {
  const now = new Date();
  return new Date(now.getTime() - now.getTimezoneOffset() * 60_000).toISOString().slice(0, 10);
}

const byField = (name) => (a, b) => String(a.fields[name] ?? '9999').localeCompare(String(b.fields[name] ?? '9999'));
const statusIn = (...states) => (view) => states.includes(view.fields.status);

export const HOME_SECTIONS = [
  {
    id: 'today-tasks', roles: ['foreman'], type: 'task', titleKey: 'home.todayTasks', listPath: '/tasks',
    filter: (view, today) => ['todo', 'doing', undefined].includes(view.fields.status)
      && (view.fields.status === 'doing' || !view.fields.due_date || view.fields.due_date <= today),
    sort: byField('due_date'),
  },
  {
    id: 'today-briefing', roles: ['foreman'], type: 'briefing', titleKey: 'home.todayBriefing',
    filter: (view, today) => view.fields.date === today,
  },
  {
    id: 'open-feedback', roles: ['liaison'], type: 'feedback', titleKey: 'home.openFeedback',
    filter: (view) => !statusIn('resolved', 'closed')(view), sort: byField('response_due'),
  },
  {
    id: 'open-checks', roles: ['safety'], type: 'safety_check', titleKey: 'home.openChecks',
    filter: (view) => !statusIn('closed')(view), sort: byField('date'),
  },
  {
    id: 'open-actions', roles: ['safety'], type: 'action', titleKey: 'home.openActions',
    filter: (view) => !statusIn('verified')(view), sort: byField('deadline'),
  },
  {
    id: 'tasks-to-accept', roles: ['supervisor'], type: 'task', titleKey: 'home.tasksToAccept', listPath: '/tasks',
    filter: statusIn('done'), sort: byField('due_date'),
  },
  {
    id: 'pending-approvals', roles: ['supervisor'], type: 'approval', titleKey: 'home.pendingApprovals',
    filter: statusIn('pending'),
  },
  {
    id: 'briefings-to-acknowledge', roles: ['supervisor'], type: 'briefing', titleKey: 'home.briefingsToAcknowledge',
    filter: statusIn('submitted'),
  },
];

/** Role order on the home screen when a user has several roles. */
const ROLE_ORDER = ['foreman', 'liaison', 'safety', 'supervisor'];

/** The sections for a user's roles, most hands-on role first; admins see every section. */
export function sectionsForRoles(roles) {
  const ordered = roles.includes('admin') ? ROLE_ORDER : ROLE_ORDER.filter((role) => roles.includes(role));
  return ordered.flatMap((role) => HOME_SECTIONS.filter((section) => section.roles.includes(role)));
}
