/** Resolves ids shown on screens (projects, people, sections) to names. */
import { loadMembers } from '../../sync/project_members.js';
import { loadViews } from '../../sync/local_view.js';

/**
 * Returns `nameOf(id)` over the user's projects, their members and the sections on this device.
 * `wait: false` takes the members kept on the device rather than wait for the network.
 */
export async function loadNameDirectory(app, { wait = true } = {}) {
  const names = new Map();
  const projects = app.session.memberships.map((membership) => membership.project_id);
  const [sections, ...memberLists] = await Promise.all([
    loadViews('section'),
    ...projects.map((projectId) => loadMembers(app.api, projectId, { wait })),
  ]);
  for (const membership of app.session.memberships) {
    names.set(membership.project_id, membership.project_name || membership.project_code);
  }
  for (const member of memberLists.flat()) names.set(member.user_id, member.name || member.username);
  for (const section of sections) {
    names.set(section.id, [section.fields.code, section.fields.name].filter(Boolean).join(' '));
  }
  if (app.session.user) names.set(app.session.user.id, app.session.user.name || app.session.user.username);
  return (id) => names.get(id);
}
