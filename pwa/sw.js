/**
 * Gridline service worker: serves the app shell from cache so the app opens offline.
 *
 * - The shell is precached under a versioned, prefixed name. The version is a hash of the
 *   shell's bytes, so any change installs this worker as an update, and the page offers
 *   "Update available — reload" instead of swapping code under the user.
 * - /api/ is network only: sync data lives in IndexedDB, never in this cache.
 *   Photo blobs (/api/blobs/…, content-addressed and immutable) go to their own runtime cache;
 *   documents kept offline are put by the page into the pinned cache, which is read first.
 * - Navigations (e.g. /r/task/<id>) get the cached index.html; the page routes them itself.
 */

// The server lists the shell's files and names their version by a hash of their bytes
// (server/pwa.py), so any change to a shell file installs this worker as an update.
importScripts('/shell-manifest.js');
const { version: VERSION, files: SHELL_FILES } = self.SHELL_MANIFEST;
const PREFIX = 'gridline-';
const SHELL_CACHE = `${PREFIX}shell-${VERSION}`;
const BLOB_CACHE = `${PREFIX}blobs-v1`;
// Filled and emptied by the page (js/ui/documents/offline_copies.js): "keep offline" drawings.
const PINNED_CACHE = `${PREFIX}pinned-v1`;
const KNOWN_CACHES = [SHELL_CACHE, BLOB_CACHE, PINNED_CACHE];
const INDEX = '/';

self.addEventListener('install', (event) => {
  // `reload` skips the HTTP cache so a new version never precaches stale files.
  event.waitUntil(
    caches.open(SHELL_CACHE).then((cache) => cache.addAll(SHELL_FILES.map((url) => new Request(url, { cache: 'reload' })))),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    const names = await caches.keys();
    await Promise.all(names
      .filter((name) => name.startsWith(PREFIX) && !KNOWN_CACHES.includes(name))
      .map((name) => caches.delete(name)));
    await self.clients.claim();
  })());
});

// The page's "reload" button: take over now; the page reloads on `controllerchange`.
self.addEventListener('message', (event) => {
  if (event.data?.type === 'SKIP_WAITING') self.skipWaiting();
});

self.addEventListener('fetch', (event) => {
  const { request } = event;
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== self.location.origin) return;

  if (url.pathname.startsWith('/api/blobs/')) {
    // The page fetching a copy to keep stores it itself: no second copy here.
    if (request.headers.has('X-Keep-Offline')) return;
    event.respondWith(keptOrCacheFirst(request));
    return;
  }
  if (url.pathname.startsWith('/api/')) return; // network only, never cached

  if (request.mode === 'navigate' && !/\.[a-z0-9]+$/i.test(url.pathname)) {
    event.respondWith(shellPage(request));
    return;
  }
  event.respondWith(caches.match(request, { cacheName: SHELL_CACHE }).then((cached) => cached ?? fetch(request)));
});

/** Every in-app page is index.html; the network is only asked when the shell is not cached. */
async function shellPage(request) {
  const cached = await caches.match(INDEX, { cacheName: SHELL_CACHE });
  return cached ?? fetch(request);
}

/** A drawing kept offline, else the runtime blob cache. */
async function keptOrCacheFirst(request) {
  const kept = await caches.match(request, { cacheName: PINNED_CACHE, ignoreVary: true });
  return kept ?? cacheFirst(BLOB_CACHE, request);
}

/** Blobs never change under their hash: a cached copy is always right. Only 200s are kept. */
async function cacheFirst(cacheName, request) {
  const cache = await caches.open(cacheName);
  const cached = await cache.match(request);
  if (cached) return cached;
  const response = await fetch(request);
  if (response.status === 200) await cache.put(request, response.clone());
  return response;
}

// A tap on the day's notification (ui/day_notifier.js) opens the app where the news is.
self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const url = event.notification.data?.url ?? INDEX;
  event.waitUntil((async () => {
    const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
    const open = windows[0];
    if (open) {
      await open.focus();
      return open.navigate(url);
    }
    return self.clients.openWindow(url);
  })());
});
