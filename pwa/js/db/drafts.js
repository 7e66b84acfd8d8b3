/**
 * The `drafts` store: what a form holds while it is typed, before Save queues it. One entry per
 * user and form route (`/tasks/new`, `/r/task/<id>/edit`, …), so a reload, a crash, an expired
 * login or an app update gives the typing back. A draft belongs to the user who typed it: other
 * users never read it, and a change of user on the device keeps it (like the outbox, it holds
 * work that exists nowhere else).
 */
import { announceChange } from './change_feed.js';
import { inTransaction, requestResult } from './database.js';

/** The draft of `route` typed by `userId`, or undefined. */
export function readDraft(userId, route) {
  return inTransaction(['drafts'], 'readonly', ({ drafts }) => requestResult(drafts.get([userId, route])));
}

/** Every draft of one user, the most recently typed first. */
export async function readDrafts(userId) {
  const drafts = await inTransaction(['drafts'], 'readonly', ({ drafts: store }) =>
    requestResult(store.index('by_user').getAll(userId)));
  return drafts.sort((a, b) => String(b.updated_at).localeCompare(String(a.updated_at)));
}

/** Keeps a draft: `{user_id, route, heading, summary, state}`; stamps `updated_at`. */
export async function writeDraft(draft) {
  await inTransaction(['drafts'], 'readwrite', ({ drafts }) =>
    requestResult(drafts.put({ ...draft, updated_at: new Date().toISOString() })));
  announceChange('drafts');
}

/** Forgets a draft (saved, or discarded by the user). */
export async function removeDraft(userId, route) {
  await inTransaction(['drafts'], 'readwrite', ({ drafts }) => requestResult(drafts.delete([userId, route])));
  announceChange('drafts');
}
