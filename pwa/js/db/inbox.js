/**
 * Local copies of the server's "rejected" and "conflicts" lists, one store each.
 *
 * Entries come from two places: push results (keyed `local:…`, shown at once, before the
 * server list is fetched) and the server lists (keyed `server:<id>`). An entry the user
 * dismissed while offline stays hidden with `dismissing: true` until its DELETE succeeds, then
 * with `dismissed: true` until the server's list no longer has it.
 */
import { announceChange } from './change_feed.js';
import { inTransaction, readAll, requestResult } from './database.js';

export const REJECTED = 'rejected';
export const CONFLICTS = 'conflicts';

/** Whether a local entry and a server item describe the same event. */
const SAME_EVENT = {
  [REJECTED]: (a, b) => a.mid === b.mid && a.type === b.type && a.record_id === b.record_id,
  [CONFLICTS]: (a, b) =>
    a.type === b.type && a.record_id === b.record_id && a.field === b.field
    && JSON.stringify(a.yours) === JSON.stringify(b.yours),
};

/** The "needs attention" entry for a mutation the server rejected. */
export function rejectionEntry(mutation, result) {
  return {
    key: `local:${mutation.mid}`,
    id: null,
    mid: mutation.mid,
    type: mutation.type,
    record_id: mutation.id,
    op: mutation.op,
    fields: mutation.fields ?? {},
    error: result.error ?? { code: 'invalid' },
    created_at: new Date().toISOString(),
    local: true,
  };
}

/** One conflict entry per field of a mutation the server merged with newer values. */
export function conflictEntries(mutation, result) {
  return (result.conflicts ?? []).map((conflict) => ({
    key: `local:${mutation.mid}:${conflict.field}`,
    id: null,
    mid: mutation.mid,
    type: mutation.type,
    record_id: mutation.id,
    field: conflict.field,
    yours: conflict.yours,
    kept: conflict.kept,
    by: conflict.by,
    by_name: conflict.by_name,
    created_at: new Date().toISOString(),
    local: true,
  }));
}

/** Entries still to show, newest first. */
export async function readInbox(kind) {
  const entries = await readAll(kind);
  return entries.filter((entry) => !entry.dismissing && !entry.dismissed)
    .sort((a, b) => String(b.created_at ?? '').localeCompare(String(a.created_at ?? '')));
}

/** Entries dismissed by the user whose server copy still has to be deleted. */
export async function readDismissing(kind) {
  return (await readAll(kind)).filter((entry) => entry.dismissing && !entry.dismissed);
}

/** Hides an entry until the server confirms its deletion. */
export async function markDismissing(kind, key) {
  await inTransaction([kind], 'readwrite', async ({ [kind]: store }) => {
    const entry = await requestResult(store.get(key));
    if (entry) store.put({ ...entry, dismissing: true });
  });
  announceChange('inbox');
}

/**
 * Drops an entry for good. A server entry leaves a `dismissed` mark until the server's list no
 * longer has it: a list fetched before the deletion must not bring the entry back.
 */
export async function removeEntry(kind, key) {
  await inTransaction([kind], 'readwrite', async ({ [kind]: store }) => {
    const entry = await requestResult(store.get(key));
    if (entry && !entry.local) store.put({ ...entry, dismissing: false, dismissed: true });
    else store.delete(key);
  });
  announceChange('inbox');
}

/**
 * Replaces the cached list with the server's, keeping what the server cannot know yet.
 * Steps: 1. server items become `server:<id>` entries; 2. a local entry that matches one hands
 * over its `dismissing` flag and is dropped; 3. unmatched local entries stay unless dismissed.
 */
export async function replaceWithServerList(kind, items) {
  const sameEvent = SAME_EVENT[kind];
  const changed = await inTransaction([kind], 'readwrite', async ({ [kind]: store }) => {
    const cached = await requestResult(store.getAll());
    const before = JSON.stringify(cached); // getAll() is in key order
    const previous = new Map(cached.map((entry) => [entry.key, entry]));
    const locals = cached.filter((entry) => entry.local);
    const next = [];
    for (const item of items) {
      const key = `server:${item.id}`;
      const twin = locals.find((entry) => sameEvent(entry, item));
      if (twin) twin.matched = true;
      if (previous.get(key)?.dismissed) {
        next.push(previous.get(key)); // deleted on the server after this list was read
        continue;
      }
      const dismissing = Boolean(previous.get(key)?.dismissing || twin?.dismissing);
      next.push({ ...item, key, local: false, dismissing });
    }
    next.push(...locals.filter((entry) => !entry.matched && !entry.dismissing));
    next.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    if (JSON.stringify(next) === before) return false;
    store.clear();
    for (const entry of next) store.put(entry);
    return true;
  });
  // Every sync cycle ends here: screens redraw only when the list really changed, so a sync
  // does not reset what the user is doing (e.g. a "discard" waiting for its second tap).
  if (changed) announceChange('inbox');
}
