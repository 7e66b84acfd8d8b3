/**
 * Who may do what, mirrored from server/permissions.py so screens offer only the actions a
 * role may take. The server still decides: a refused change lands in "Needs attention".
 */

const FOREMAN = 'foreman';
const LIAISON = 'liaison';
const SAFETY = 'safety';
const SUPERVISOR = 'supervisor';
const ADMIN = 'admin';

const EVERYONE = [FOREMAN, LIAISON, SAFETY, SUPERVISOR, ADMIN];
const SITE = [FOREMAN, SUPERVISOR, ADMIN];
const CHECKERS = [FOREMAN, SAFETY, SUPERVISOR, ADMIN];
const SAFETY_LEADS = [SAFETY, SUPERVISOR, ADMIN];
const LIAISONS = [LIAISON, ADMIN];
const DECIDERS = [SUPERVISOR, ADMIN];

/** type -> action -> roles; actions are `create`, `edit`, `delete` and `status:<from>-><to>`. */
const PERMISSIONS = {
  section: { create: [ADMIN, SUPERVISOR], edit: [ADMIN, SUPERVISOR], delete: [ADMIN] },
  task: {
    create: SITE, edit: SITE, delete: DECIDERS,
    'status:todo->doing': SITE, 'status:doing->done': SITE, 'status:done->doing': SITE,
    'status:done->accepted': DECIDERS,
  },
  briefing: {
    create: SITE, edit: SITE, delete: DECIDERS,
    'status:draft->submitted': SITE, 'status:submitted->acknowledged': DECIDERS,
  },
  safety_check: {
    create: CHECKERS, edit: CHECKERS, delete: SAFETY_LEADS,
    'status:open->rectifying': CHECKERS, 'status:rectifying->verified': SAFETY_LEADS,
    'status:verified->closed': SAFETY_LEADS,
  },
  action: {
    create: CHECKERS, edit: CHECKERS, delete: SAFETY_LEADS,
    'status:open->done': CHECKERS, 'status:done->verified': [SAFETY, ADMIN],
  },
  feedback: {
    create: LIAISONS, edit: LIAISONS, delete: LIAISONS,
    'status:received->acknowledged': LIAISONS, 'status:acknowledged->in_progress': LIAISONS,
    'status:in_progress->resolved': LIAISONS, 'status:resolved->closed': LIAISONS,
  },
  approval: {
    create: EVERYONE, edit: [ADMIN], delete: [ADMIN],
    'status:pending->approved': DECIDERS, 'status:pending->rejected': DECIDERS, 'status:pending->withdrawn': [ADMIN],
  },
  checklist: { create: [ADMIN], edit: [ADMIN], delete: [ADMIN] },
  comment: { create: EVERYONE, delete: [ADMIN] },
};

/** Whether a holder of `roles` may do `action` on a record of `type` (unknown types: yes, the server decides). */
export function may(roles, type, action) {
  const table = PERMISSIONS[type];
  if (!table) return true;
  return (table[action] ?? []).some((role) => roles.includes(role));
}

/** The user's roles in one project, or over every project when the record names none. */
export function rolesIn(session, projectId) {
  if (!projectId) return session.roles;
  return session.memberships.find((membership) => membership.project_id === projectId)?.roles ?? [];
}
