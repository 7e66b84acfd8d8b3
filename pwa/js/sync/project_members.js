/** Project members for pickers and names, kept in `meta` so pickers work offline. */
import { announceChange } from '../db/change_feed.js';
import { loadKeptAnswer } from './kept_answer.js';

/**
 * Members of a project `[{user_id, username, name, roles}]`, as `loadKeptAnswer` gives them: the
 * kept list at once, refreshed once per page load; a refresh that brings a different list
 * announces a change of `members`, so the screens showing names draw again. With none kept, the
 * refresh is awaited (`wait: false` answers at once, from it if done).
 */
export async function loadMembers(api, projectId, { wait = true } = {}) {
  const members = await loadKeptAnswer(`members:${projectId}`,
    () => api.get(`/api/projects/${encodeURIComponent(projectId)}/members`).then((body) => body.members),
    { wait, changed: () => announceChange('members') });
  return members ?? [];
}
