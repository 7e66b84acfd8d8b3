/** Wipes everything stored for the previous user and gives the device a new client id. */
import { announceChange } from './change_feed.js';
import { inTransaction } from './database.js';
import { forgetFirstPages } from './first_pages.js';
import { ensureClientId } from './meta.js';
import { forgetLoadedRecords } from './records.js';

// `drafts` stays: each draft names the user who typed it, only that user is shown it, and it
// holds typing that exists nowhere else (like a queue that waits for its owner's next login).
const USER_STORES = ['records', 'outbox', 'meta', 'pending_blobs', 'rejected', 'conflicts', 'imported'];

/**
 * Called when a different user logs in on a device with nothing left to push. The server binds
 * a client id to its first user, so the new user needs a new one and mids restart at 1.
 */
export async function resetDevice() {
  await inTransaction(USER_STORES, 'readwrite', (stores) => {
    for (const store of Object.values(stores)) store.clear();
  });
  // Drawings the previous user kept offline: their list was in `meta`, just cleared.
  await globalThis.caches?.delete('gridline-pinned-v1');
  forgetLoadedRecords();
  forgetFirstPages();
  await ensureClientId();
  for (const topic of ['records', 'outbox', 'inbox']) announceChange(topic);
}
