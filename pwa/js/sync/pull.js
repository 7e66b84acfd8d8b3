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

/** Pulls until `has_more` is false; `onProgress({received, pages})` hears each page. */
export async function pullChanges(api, clientId, onProgress = () => {}) {
  let cursor = await getMeta('cursor');
  let received = 0;
  let pages = 0;
  let resynced = false;
  for (;;) {
    let page;
    try {
      page = await api.get(pullPath(clientId, cursor));
    } catch (error) {
      // 410 resync: the cursor is older than the tombstones the server keeps. Forget every
      // pulled record and start again from scratch; the outbox is untouched. Once per pull.
      if (!resynced && error instanceof ApiError && error.status === 410) {
        resynced = true;
        await clearRecordsAndCursor();
        cursor = undefined;
        received = 0;
        pages = 0;
        continue;
      }
      throw error;
    }

    // Records and cursor are stored together, so a crash between pages loses nothing.
    const changes = page.changes ?? [];
    await savePulledPage(changes, page.cursor);
    if (page.has_more && changes.length === 0 && page.cursor === cursor) throw new PullStalledError();
    cursor = page.cursor;
    received += changes.length;
    pages += 1;
    onProgress({ received, pages });
    if (!page.has_more) return;
  }
}

function pullPath(clientId, cursor) {
  const query = new URLSearchParams({ client_id: clientId, limit: String(PAGE_SIZE) });
  if (cursor != null) query.set('cursor', cursor);
  return `/api/sync/pull?${query}`;
}
