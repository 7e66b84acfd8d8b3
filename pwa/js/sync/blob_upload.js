/**
 * Upload step of the sync loop: sends photos taken offline (`pending_blobs`) to
 * PUT /api/blobs/<sha256>. Records already name them; the protocol lets a record name a
 * photo before its bytes arrive, so an upload that fails never holds back the push.
 */
import { markBlobAttempted, markBlobRefused, readPendingBlobs, removePendingBlob } from '../db/pending_blobs.js';
import { ApiError } from './api_client.js';

/** Statuses that say the server will never take these bytes: retrying cannot help. */
const REFUSED = new Set([400, 413, 415, 422]);

/**
 * Uploads every pending photo once. Throws at once on network errors and 401 (nothing else
 * would get through either); a server fault on one photo is thrown after the others were tried.
 * `onProgress({uploaded, uploads, sentBytes, totalBytes})` is called before each photo and
 * after the last: photos done (sent, refused or failed) of those tried in this round.
 */
export async function uploadPendingBlobs(api, onProgress = () => {}) {
  let laterError = null;
  const entries = (await readPendingBlobs()).filter((entry) => !entry.error);
  const totalBytes = entries.reduce((sum, entry) => sum + (entry.size ?? entry.bytes.byteLength), 0);
  let sentBytes = 0;
  for (const [index, entry] of entries.entries()) {
    onProgress({ uploaded: index, uploads: entries.length, sentBytes, totalBytes });
    sentBytes += entry.size ?? entry.bytes.byteLength;
    const path = `/api/blobs/${entry.sha256}`;
    try {
      // A retry asks first: the last attempt may have stored the bytes and lost only the answer.
      // (A first attempt skips the HEAD: a photo just taken on this phone is not on the server.)
      const stored = entry.attempted && (await api.fetchRaw('HEAD', path, { accept: [404] })).status === 200;
      if (!stored) {
        await markBlobAttempted(entry.sha256);
        await api.fetchRaw('PUT', path, { body: entry.bytes, contentType: entry.content_type });
      }
      await removePendingBlob(entry.sha256);
    } catch (error) {
      if (!(error instanceof ApiError) || error.status === 401) throw error;
      if (REFUSED.has(error.status)) await markBlobRefused(entry.sha256, { status: error.status, code: error.code });
      else laterError ??= error;
    }
  }
  if (entries.length) onProgress({ uploaded: entries.length, uploads: entries.length, sentBytes, totalBytes });
  if (laterError) throw laterError;
}
