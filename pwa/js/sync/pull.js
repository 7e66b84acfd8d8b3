/** Pull step of the sync loop: page through changes since the saved cursor. */
import { getMeta } from '../db/meta.js';
import { clearRecordsAndCursor, savePulledPage } from '../db/records.js';
import { ApiError } from './api_client.js';

const PAGE_SIZE = 500;

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
    await savePulledPage(changes, page.cursor);
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
