/**
 * Who may do what, as the server's permission table says: it comes with the user at login
 * and from /api/me (`user.permissions`), and is kept with the session so it holds offline.
 * Screens offer only what the table allows; the server still decides, and a refused change
 * lands in "Needs attention".
 */

/** `{author, rules: {type: {action: [roles]}}, unmasked}` from the server, or null before it is known. */
let table = null;

/** Takes the table the server sent with the user (called by the session). */
export function usePermissionTable(permissions) {
  table = permissions ?? null;
}

/**
 * Whether a holder of `roles` may do `action` (`create`, `edit`, `edit:<field>`, `delete`,
 * `status:<from>-><to>`) on a record of `type`; `isAuthor` when the user created the record.
 * Before the table is known, or for a type it does not name, the answer is yes: the server decides.
 */
export function may(roles, type, action, { isAuthor = false, standIns = [] } = {}) {
  const rules = table?.rules?.[type];
  if (!rules) return true;
  const key = action.startsWith('edit:') && !(action in rules) ? 'edit' : action;
  const granted = rules[key] ?? [];
  const held = isAuthor ? [...standIns, table.author] : standIns;
  return granted.some((role) => roles.includes(role))
    || (roles.length > 0 && held.some((standIn) => granted.includes(standIn)));
}

/**
 * Whether a holder of `roles` decides (approves or rejects) approvals of `kind`: the table's
 * `decide:<kind>` row, or for a kind without one the approval's own status rows (as the server).
 */
export function mayDecide(roles, kind) {
  const rules = table?.rules?.approval ?? {};
  return may(roles, 'approval', `decide:${kind}` in rules ? `decide:${kind}` : 'status:pending->approved');
}

/** Whether a holder of `roles` decides approvals of some kind (the inbox and its badge are theirs). */
export function decidesAny(roles) {
  const rules = table?.rules?.approval ?? {};
  const kinds = Object.keys(rules).filter((action) => action.startsWith('decide:')).map((action) => action.slice(7));
  return may(roles, 'approval', 'status:pending->approved') || kinds.some((kind) => mayDecide(roles, kind));
}

/**
 * The stand-ins (`@crew_foreman`, `@next_foreman`) the user is for a record: the table names
 * the field holding each one's user id (`stand_ins`), e.g. a work step's `foreman_id`.
 */
export function standInsOf(session, view) {
  const fields = table?.stand_ins ?? {};
  const me = session.user?.id;
  return Object.entries(fields).filter(([, field]) => me && view?.fields?.[field] === me).map(([standIn]) => standIn);
}

/** Whether the user created `view` (a record made on this device and not yet pulled is theirs). */
export function isAuthorOf(session, view) {
  return view.createdBy ? view.createdBy === session.user?.id : view.serverSeq == null;
}

/** The user's roles in one project, or over every project when the record names none. */
export function rolesIn(session, projectId) {
  if (!projectId) return session.roles;
  return session.memberships.find((membership) => membership.project_id === projectId)?.roles ?? [];
}
