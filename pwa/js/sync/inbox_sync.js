/** Keeps the "needs attention" and "conflicts" lists in step with the server. */
import { CONFLICTS, markDismissing, readDismissing, REJECTED, removeEntry, replaceWithServerList } from '../db/inbox.js';
import { ApiError } from './api_client.js';

// A rejected entry carries its mutation once, as `payload`; the screens read its fields.
const ENDPOINTS = {
  [REJECTED]: { path: '/api/sync/rejected', listKey: 'rejected', entry: (item) => ({ ...item, fields: item.payload?.fields ?? {} }) },
  [CONFLICTS]: { path: '/api/sync/conflicts', listKey: 'conflicts', entry: (item) => item },
};

/** Every entry of one server list, page by page (newest first). */
async function fetchList(api, { path, listKey, entry }) {
  const items = [];
  let before = null;
  do {
    const body = await api.get(before == null ? path : `${path}?before=${encodeURIComponent(before)}`);
    items.push(...(body?.[listKey] ?? []).map(entry));
    before = body?.has_more ? body.before : null;
  } while (before != null);
  return items;
}

/** Fetches both lists, then deletes on the server what the user dismissed while offline. */
export async function syncInbox(api) {
  for (const kind of [REJECTED, CONFLICTS]) {
    // 1. The server's list replaces the cache; local entries hand over their "dismissed" flag.
    await replaceWithServerList(kind, await fetchList(api, ENDPOINTS[kind]));
    // 2. Dismissals made offline reach the server now.
    for (const entry of await readDismissing(kind)) await deleteOnServer(api, kind, entry);
  }
}

/**
 * Dismisses an entry: hidden at once, deleted on the server now if possible, or at the next sync.
 * Entries known only from a push result get their server id at the next sync, then are deleted.
 */
export async function dismissEntry(api, kind, entry) {
  await markDismissing(kind, entry.key);
  if (entry.id == null) return;
  // Offline, server busy or logged out: the entry stays hidden and the next sync retries.
  await deleteOnServer(api, kind, entry).catch(() => {});
}

async function deleteOnServer(api, kind, entry) {
  try {
    await api.delete(`${ENDPOINTS[kind].path}/${encodeURIComponent(entry.id)}`);
  } catch (error) {
    // A refusal (404 gone, 403, …) will not change on retry: forget the entry here too.
    const refused = error instanceof ApiError && !error.retryable && error.status !== 401;
    if (!refused) throw error;
  }
  await removeEntry(kind, entry.key);
}
