/**
 * "Export unsynced changes" and "Import": move a queue between devices of the same user,
 * e.g. from a phone whose sync is broken to one that works. Photos not yet uploaded travel
 * with it (base64 in the file) and wait in the new phone's `pending_blobs` for the sync loop.
 */
import { inTransaction, requestResult } from '../db/database.js';
import { announceChange } from '../db/change_feed.js';
import { getMeta } from '../db/meta.js';
import { pendingBlobEntry, readPendingBlobs, sha256Hex } from '../db/pending_blobs.js';
import { readOutbox, stampInto } from './outbox.js';

const FORMAT = 'gridline-unsynced-changes';
const VERSION = 2; // 2 adds `blobs`; files of version 1 (without photos) still import
const SHA256 = /^[0-9a-f]{64}$/;

/** Why a file cannot be imported; `code` picks the localized text. */
export class ImportError extends Error {
  constructor(code) {
    super(`Cannot import: ${code}`);
    this.name = 'ImportError';
    this.code = code; // 'unreadable' | 'other_user'
  }
}

/**
 * The outbox and the photos waiting for upload as a JSON document, with the device and user
 * they came from. Photos the server refused are left out (it would refuse them again).
 * `onProgress(doneBytes, totalBytes)` follows the photos as they are encoded.
 */
export async function exportUnsynced(user, onProgress = () => {}) {
  const [clientId, mutations, entries] = await Promise.all([getMeta('client_id'), readOutbox(), readPendingBlobs()]);
  const waiting = entries.filter((entry) => !entry.error);
  const total = waiting.reduce((sum, entry) => sum + entry.bytes.byteLength, 0);
  let done = 0;
  onProgress(done, total);
  const blobs = [];
  for (const entry of waiting) {
    blobs.push({ sha256: entry.sha256, content_type: entry.content_type, size: entry.bytes.byteLength, base64: await toBase64(entry.bytes) });
    done += entry.bytes.byteLength;
    onProgress(done, total);
  }
  return {
    format: FORMAT,
    version: VERSION,
    client_id: clientId,
    user_id: user.id,
    username: user.username,
    exported_at: new Date().toISOString(),
    mutations,
    blobs,
  };
}

/**
 * Queues the mutations of an exported file on this device, for the same user only, and keeps
 * its photos for upload. Each mutation gets this device's next mid and a fresh HLC. A (source
 * client id, source mid) pair already imported, or the device's own export, is skipped, so
 * importing twice adds nothing; a photo already waiting here is not added again, and one whose
 * bytes do not match its name (a damaged file) is left out and counted.
 * `onProgress(done, total)` follows the photos as they are checked.
 * Returns `{imported, skipped, photos, damaged}`.
 */
export async function importUnsynced(text, user, onProgress = () => {}) {
  const document = parseExport(text);
  if (document.user_id !== user.id) throw new ImportError('other_user');
  const sorted = [...document.mutations].sort((a, b) => a.mid - b.mid);

  // Photos are decoded and checked before the transaction: it may only wait for IndexedDB.
  const photos = [];
  let damaged = 0;
  const listed = document.blobs ?? [];
  onProgress(0, listed.length);
  for (const [i, blob] of listed.entries()) {
    const bytes = fromBase64(blob.base64);
    if (bytes && await sha256Hex(bytes) === blob.sha256) photos.push({ ...blob, bytes });
    else damaged += 1;
    onProgress(i + 1, listed.length);
  }

  const counts = await inTransaction(['outbox', 'meta', 'imported', 'pending_blobs'], 'readwrite', async (stores) => {
    const ownClientId = await requestResult(stores.meta.get('client_id'));
    if (document.client_id === ownClientId) return { imported: 0, skipped: sorted.length, photos: 0, damaged: 0 };
    const fresh = [];
    for (const mutation of sorted) {
      const seen = await requestResult(stores.imported.get([document.client_id, mutation.mid]));
      if (!seen) fresh.push(mutation);
    }
    await stampInto(stores, fresh.map(({ op, type, id, fields }) => ({ op, type, id, fields })));
    const importedAt = new Date().toISOString();
    for (const { mid } of fresh) {
      stores.imported.put({ source_client_id: document.client_id, source_mid: mid, imported_at: importedAt });
    }
    // A file imported here before brings its photos again only with changes not seen yet (the
    // photos may be uploaded and gone from pending_blobs by now); a file of photos alone always does.
    let added = 0;
    for (const photo of fresh.length > 0 || sorted.length === 0 ? photos : []) {
      if (await requestResult(stores.pending_blobs.getKey(photo.sha256)) !== undefined) continue;
      // Most likely never uploaded (the other phone could not sync); if it was, the PUT answers 200.
      stores.pending_blobs.put(pendingBlobEntry(photo.sha256, photo.bytes, photo.content_type));
      added += 1;
    }
    return { imported: fresh.length, skipped: sorted.length - fresh.length, photos: added, damaged };
  });
  if (counts.imported > 0) {
    announceChange('outbox');
    announceChange('records');
  }
  if (counts.photos > 0) announceChange('blobs');
  return counts;
}

/** Base64 of the bytes, through FileReader (native, and it yields to the page between photos). */
function toBase64(bytes) {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).slice(String(reader.result).indexOf(',') + 1));
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(new Blob([bytes]));
  });
}

/** The bytes of a base64 string as an ArrayBuffer, or null when it is not base64. */
function fromBase64(text) {
  let binary;
  try {
    binary = atob(text);
  } catch {
    return null;
  }
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i += 1) bytes[i] = binary.charCodeAt(i);
  return bytes.buffer;
}

function parseExport(text) {
  let document;
  try {
    document = JSON.parse(text);
  } catch {
    throw new ImportError('unreadable');
  }
  const valid = document?.format === FORMAT
    && typeof document.client_id === 'string'
    && Array.isArray(document.mutations)
    && document.mutations.every(isMutation)
    && (document.blobs === undefined || (Array.isArray(document.blobs) && document.blobs.every(isBlob)));
  if (!valid) throw new ImportError('unreadable');
  return document;
}

function isMutation(m) {
  return Number.isInteger(m?.mid) && typeof m.type === 'string' && typeof m.id === 'string'
    && (m.op === 'delete' || (m.op === 'put' && typeof m.fields === 'object' && m.fields !== null));
}

function isBlob(b) {
  return SHA256.test(b?.sha256 ?? '') && typeof b.base64 === 'string' && typeof b.content_type === 'string';
}
