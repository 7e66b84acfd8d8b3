/**
 * A server answer a screen needs offline, kept in `meta`: the kept copy answers at once (a network
 * that is slow, or up but not answering, must not hold a screen back), while one refresh per page
 * load runs when online. With none kept, the refresh is awaited (`wait: false`: answered at once,
 * from it if done; undefined or null when there is nothing).
 */
import { getMeta, setMeta } from '../db/meta.js';

const refreshed = new Map(); // meta key -> promise of this page's one refresh

/**
 * The answer kept under `key`, or `fetch()`'s. `changed()` is called when a refresh brings an
 * answer that differs from the one kept (not for the first one kept).
 */
export async function loadKeptAnswer(key, fetch, { wait = true, changed } = {}) {
  if (navigator.onLine && !refreshed.has(key)) {
    refreshed.set(key, fetch()
      .then(async (fresh) => {
        const kept = await getMeta(key);
        if (JSON.stringify(kept) === JSON.stringify(fresh)) return fresh;
        await setMeta(key, fresh);
        if (kept != null) changed?.();
        return fresh;
      })
      .catch(() => {
        refreshed.delete(key);
        return null;
      }));
  }
  const kept = await getMeta(key);
  if (kept != null) return kept;
  const refresh = refreshed.get(key);
  return wait ? refresh : Promise.race([refresh, null]);
}
