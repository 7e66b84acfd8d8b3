/** Project members for pickers and names, cached in `meta` so pickers work offline. */
import { announceChange } from '../db/change_feed.js';
import { getMeta, setMeta } from '../db/meta.js';

const refreshed = new Map(); // project id -> promise of this page's one refresh

/**
 * Members of a project `[{user_id, username, name, roles}]`. The members kept on the device
 * answer at once (a network that is slow, or up but not answering, must not hold a screen
 * back), while one refresh per page load runs when online; a refresh that brings a different
 * list keeps it and announces a change of `members`, so the screens showing names draw again.
 * With none kept, the refresh is awaited (`wait: false` answers at once, from it if done).
 */
export async function loadMembers(api, projectId, { wait = true } = {}) {
  const cacheKey = `members:${projectId}`;
  if (navigator.onLine && !refreshed.has(projectId)) {
    refreshed.set(projectId, api.get(`/api/projects/${encodeURIComponent(projectId)}/members`)
      .then(async ({ members }) => {
        const kept = await getMeta(cacheKey);
        if (JSON.stringify(kept) === JSON.stringify(members)) return members;
        await setMeta(cacheKey, members);
        if (kept) announceChange('members');
        return members;
      })
      .catch(() => {
        refreshed.delete(projectId);
        return null;
      }));
  }
  const kept = await getMeta(cacheKey);
  if (kept) return kept;
  const refresh = refreshed.get(projectId);
  return (await (wait ? refresh : Promise.race([refresh, null]))) ?? [];
}
