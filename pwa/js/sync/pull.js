/** Pull step of the sync loop: page through changes since the saved cursor. */
import { announceChange } from '../db/change_feed.js';
import { getMeta } from '../db/meta.js';
import { clearRecordsAndCursor, savePulledPage } from '../db/records.js';
import { ApiError } from './api_client.js';

const PAGE_SIZE = 500;
/*
 * While more pages follow, the page hears of the records pulled at most this often: the first
 * page at once, then once for the pages stored since, and always after the last page (or the
 * last one stored before a pull stopped). A first sync of a large project stores a page every
 * few hundred milliseconds, and each announcement redraws the screen open, which may work its
 * lists out again from every record (home does).
 */
const ANNOUNCE_EVERY_MS = 2_000;

/** The server keeps saying there is more but hands out nothing new. */
export class PullStalledError extends Error {
  constructor() {
    super('Pull made no progress: has_more with the same cursor and no changes');
    this.name = 'PullStalledError';
  }
}

/**
 * Pulls until `has_more` is false; `onProgress({received, pages})` hears each page. The next
 * page is asked for as soon as a page has arrived, so the network fetches it while this one is
 * written; pages are still stored one after the other, each with its cursor.
 */
export async function pullChanges(api, clientId, onProgress = () => {}) {
  let announcedAt = -Infinity;
  let unannounced = false;
  const announce = () => {
    unannounced = false;
    announcedAt = performance.now();
    announceChange('records');
  };
  const stored = (changed, last) => {
    unannounced ||= changed;
    if (unannounced && (last || performance.now() - announcedAt >= ANNOUNCE_EVERY_MS)) announce();
  };
  try {
    await pullPages(api, clientId, onProgress, stored);
  } finally {
    if (unannounced) announce();
  }
}

/** The pages of `pullChanges`; `stored(changed, last)` hears of each page once it is stored. */
async function pullPages(api, clientId, onProgress, stored) {
  let cursor = await getMeta('cursor');
  let received = 0;
  let pages = 0;
  let resynced = false;
  let next = fetchPage(api, clientId, cursor);
  for (;;) {
    let page;
    try {
      page = await next;
    } catch (error) {
      // 410 resync: the cursor is older than the tombstones the server keeps. Forget every
      // pulled record and start again from scratch; the outbox is untouched. Once per pull.
      if (!resynced && error instanceof ApiError && error.status === 410) {
        resynced = true;
        await clearRecordsAndCursor();
        cursor = undefined;
        received = 0;
        pages = 0;
        next = fetchPage(api, clientId, cursor);
        continue;
      }
      throw error;
    }

    const changes = page.changes ?? [];
    if (page.has_more && changes.length === 0 && page.cursor === cursor) throw new PullStalledError();
    if (page.has_more) next = fetchPage(api, clientId, page.cursor);
    // Records and cursor are stored together, so a crash between pages loses nothing.
    await savePulledPage(changes, page.cursor, { announce: false });
    stored(changes.length > 0, !page.has_more);
    cursor = page.cursor;
    received += changes.length;
    pages += 1;
    onProgress({ received, pages });
    if (!page.has_more) return;
  }
}

/** The page after `cursor`; a failure waits for the loop to await it (none is lost unheard). */
function fetchPage(api, clientId, cursor) {
  const page = api.get(pullPath(clientId, cursor));
  page.catch(() => {});
  return page;
}

function pullPath(clientId, cursor) {
  const query = new URLSearchParams({ client_id: clientId, limit: String(PAGE_SIZE) });
  if (cursor != null) query.set('cursor', cursor);
  return `/api/sync/pull?${query}`;
}
