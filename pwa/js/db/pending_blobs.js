/**
 * The `pending_blobs` store: photos taken on this phone and not yet uploaded, keyed by the
 * SHA-256 of their bytes. A record names a photo by that hash at once; the sync loop uploads
 * the bytes when it can. Bytes are kept as an ArrayBuffer (Blobs in IndexedDB fail on some Safaris).
 */
import { announceChange } from './change_feed.js';
import { inTransaction, readAll, requestResult } from './database.js';

/** A photo as the store keeps it; `extra` adds flags such as `attempted`. */
export function pendingBlobEntry(sha256, bytes, contentType, extra = {}) {
  return { sha256, bytes, content_type: contentType, size: bytes.byteLength, created_at: new Date().toISOString(), ...extra };
}

/** Keeps a photo's bytes until they are uploaded. */
export async function savePendingBlob(sha256, bytes, contentType) {
  await inTransaction(['pending_blobs'], 'readwrite', ({ pending_blobs: store }) =>
    requestResult(store.put(pendingBlobEntry(sha256, bytes, contentType))));
  announceChange('blobs');
}

/** Lower-case hex SHA-256 of the bytes: the name a photo is kept and uploaded under. */
export async function sha256Hex(bytes) {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  return Array.from(digest, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

/** Every photo waiting for upload (including those the server refused, which carry `error`). */
export function readPendingBlobs() {
  return readAll('pending_blobs');
}

/** How many photos still wait for upload (refused ones left out: they will never go). */
export async function countPendingBlobs() {
  return (await readPendingBlobs()).filter((entry) => !entry.error).length;
}

/** One pending photo, or undefined once it is uploaded (or was never taken here). */
export function readPendingBlob(sha256) {
  return inTransaction(['pending_blobs'], 'readonly', ({ pending_blobs: store }) => requestResult(store.get(sha256)));
}

/** Forgets a photo once the server has it. */
export async function removePendingBlob(sha256) {
  await inTransaction(['pending_blobs'], 'readwrite', ({ pending_blobs: store }) => requestResult(store.delete(sha256)));
  announceChange('blobs');
}

/** Notes that an upload was started, so a retry checks (HEAD) whether the bytes already arrived. */
export async function markBlobAttempted(sha256) {
  await updateEntry(sha256, { attempted: true });
}

/** Marks a photo the server will never take (wrong type, too big), so the loop stops retrying it. */
export async function markBlobRefused(sha256, error) {
  await updateEntry(sha256, { error });
  announceChange('blobs');
}

async function updateEntry(sha256, changes) {
  await inTransaction(['pending_blobs'], 'readwrite', async ({ pending_blobs: store }) => {
    const entry = await requestResult(store.get(sha256));
    if (entry) store.put({ ...entry, ...changes });
  });
}
