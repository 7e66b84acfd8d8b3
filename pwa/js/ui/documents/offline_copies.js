/**
 * "Keep offline": a document's current file and its rendered pages, kept in a cache of their own
 * (`gridline-pinned-v1`, read first by the service worker) so a drawing opens in the basement.
 * Which documents are kept, and at which version, is remembered in `meta`; when a newer version
 * syncs, `refreshOfflineCopies` fetches it and drops the superseded copy.
 */
import { announceChange } from '../../db/change_feed.js';
import { getMeta, setMeta } from '../../db/meta.js';
import { currentOf, imageUrl, loadLibrary, pagesUrl, pageUrl } from './document_data.js';

export const PINNED_CACHE = 'gridline-pinned-v1';
const META_KEY = 'offline_documents';
/** Announced when what is kept changes, so screens showing it redraw. */
export const KEPT_TOPIC = 'kept';

/** `{documentId: {versionId, sha, urls}}` of the documents kept on this phone. */
export async function keptDocuments() {
  return (await getMeta(META_KEY)) ?? {};
}

/**
 * Fetches a version's file and pages into the cache; `onProgress(done, total)` after each.
 * The request asks the service worker not to keep a second copy in its own cache.
 */
async function fetchCopy(app, sha, onProgress) {
  const get = (url) => fetch(url, { headers: { Authorization: `Bearer ${app.session.token}`, 'X-Keep-Offline': '1' } });
  const cache = await caches.open(PINNED_CACHE);
  const counted = await get(pagesUrl(sha));
  let urls;
  if (counted.status === 200) {
    const { pages } = await counted.clone().json();
    await cache.put(pagesUrl(sha), counted);
    urls = Array.from({ length: pages }, (_, index) => pageUrl(sha, index + 1));
  } else if (counted.status === 415) {
    // Kept too, so offline the viewer still learns that this file is an image.
    await cache.put(pagesUrl(sha), counted);
    urls = [imageUrl(sha)];
  } else {
    throw new Error(`pages: ${counted.status}`);
  }
  onProgress(0, urls.length);
  for (const [index, url] of urls.entries()) {
    const response = await get(url);
    if (!response.ok) throw new Error(`${url}: ${response.status}`);
    await cache.put(url, response);
    onProgress(index + 1, urls.length);
  }
  return [pagesUrl(sha), ...urls];
}

/** Keeps `version` of `documentId` on this phone, replacing an older kept copy. */
export async function keepOffline(app, documentId, version, onProgress = () => {}) {
  const urls = await fetchCopy(app, version.fields.file, onProgress);
  const kept = await keptDocuments();
  const before = kept[documentId];
  kept[documentId] = { versionId: version.id, sha: version.fields.file, urls };
  await setMeta(META_KEY, kept);
  if (before) await dropUrls(before.urls.filter((url) => !urls.includes(url)), kept);
  announceChange(KEPT_TOPIC);
}

/** Forgets a kept document and frees its space. */
export async function releaseOffline(documentId) {
  const kept = await keptDocuments();
  const before = kept[documentId];
  delete kept[documentId];
  await setMeta(META_KEY, kept);
  if (before) await dropUrls(before.urls, kept);
  announceChange(KEPT_TOPIC);
}

/** Deletes cached URLs no other kept document still uses. */
async function dropUrls(urls, kept) {
  const stillUsed = new Set(Object.values(kept).flatMap((entry) => entry.urls));
  const cache = await caches.open(PINNED_CACHE);
  await Promise.all(urls.filter((url) => !stillUsed.has(url)).map((url) => cache.delete(url)));
}

let refreshing = null;
let again = false; // records changed during a refresh: look once more after it

/** Replaces each kept copy whose document has a newer synced version (once at a time). */
export function refreshOfflineCopies(app) {
  if (refreshing) {
    again = true;
    return refreshing;
  }
  refreshing = (async () => {
    try {
      const kept = await keptDocuments();
      if (!Object.keys(kept).length || !navigator.onLine) return;
      const library = await loadLibrary();
      for (const [documentId, entry] of Object.entries(kept)) {
        const current = currentOf(library.versions, documentId);
        // A version not synced yet has no file on the server to fetch: wait for it.
        if (current && current.serverSeq != null && current.id !== entry.versionId) {
          // Failing (offline again, server busy) keeps the old copy; the next change retries.
          await keepOffline(app, documentId, current).catch(() => {});
        }
      }
    } finally {
      refreshing = null;
    }
    if (again) {
      again = false;
      await refreshOfflineCopies(app);
    }
  })();
  return refreshing;
}

/** `{usage, quota}` in bytes as the browser reports them, or null where it cannot. */
export async function storageUse() {
  if (!navigator.storage?.estimate) return null;
  const { usage, quota } = await navigator.storage.estimate();
  return { usage, quota };
}
