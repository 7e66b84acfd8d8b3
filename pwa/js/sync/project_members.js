/** Project members for pickers and names, cached in `meta` so pickers work offline. */
import { getMeta, setMeta } from '../db/meta.js';

const refreshed = new Map(); // project id -> promise of this page's one refresh

/**
 * Members of a project `[{user_id, username, name, roles}]`: fetched once per page load when
 * online, else cached. `wait: false` answers from the cache (or the fetch, if done) at once.
 */
export async function loadMembers(api, projectId, { wait = true } = {}) {
  const cacheKey = `members:${projectId}`;
  if (navigator.onLine && !refreshed.has(projectId)) {
    refreshed.set(projectId, api.get(`/api/projects/${encodeURIComponent(projectId)}/members`)
      .then(async ({ members }) => {
        await setMeta(cacheKey, members);
        return members;
      })
      .catch(() => {
        refreshed.delete(projectId);
        return null;
      }));
  }
  const refresh = refreshed.get(projectId);
  const fresh = await (wait ? refresh : Promise.race([refresh, null]));
  return fresh ?? (await getMeta(cacheKey)) ?? [];
}
