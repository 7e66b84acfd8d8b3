/**
 * Local copies of the server's "rejected" and "conflicts" lists, one store each.
 *
 * Entries come from two places: push results (keyed `local:…`, shown at once, before the
 * server list is fetched) and the server lists (keyed `server:<id>`). An entry the user
 * dismissed while offline stays hidden with `dismissing: true` until its DELETE succeeds.
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
  return entries.filter((entry) => !entry.dismissing)
    .sort((a, b) => String(b.created_at ?? '').localeCompare(String(a.created_at ?? '')));
}

/** Entries dismissed by the user whose server copy still has to be deleted. */
export async function readDismissing(kind) {
  return (await readAll(kind)).filter((entry) => entry.dismissing);
}

/** Hides an entry until the server confirms its deletion. */
export async function markDismissing(kind, key) {
  await inTransaction([kind], 'readwrite', async ({ [kind]: store }) => {
    const entry = await requestResult(store.get(key));
    if (entry) store.put({ ...entry, dismissing: true });
  });
  announceChange('inbox');
}

/** Drops an entry for good. */
export async function removeEntry(kind, key) {
  await inTransaction([kind], 'readwrite', ({ [kind]: store }) => requestResult(store.delete(key)));
  announceChange('inbox');
}

/**
 * Replaces the cached list with the server's, keeping what the server cannot know yet.
 * Steps: 1. server items become `server:<id>` entries; 2. a local entry that matches one hands
 * over its `dismissing` flag and is dropped; 3. unmatched local entries stay unless dismissed.
 */
export async function replaceWithServerList(kind, items) {
  const sameEvent = SAME_EVENT[kind];
  await inTransaction([kind], 'readwrite', async ({ [kind]: store }) => {
    const cached = await requestResult(store.getAll());
    const previous = new Map(cached.map((entry) => [entry.key, entry]));
    const locals = cached.filter((entry) => entry.local);
    store.clear();
    for (const item of items) {
      const key = `server:${item.id}`;
      const twin = locals.find((entry) => sameEvent(entry, item));
      if (twin) twin.matched = true;
      const dismissing = Boolean(previous.get(key)?.dismissing || twin?.dismissing);
      store.put({ ...item, key, local: false, dismissing });
    }
    for (const entry of locals) {
      if (entry.matched || entry.dismissing) continue;
      store.put(entry);
    }
  });
  announceChange('inbox');
}
