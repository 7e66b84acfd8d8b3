/**
 * "Export unsynced changes" and "Import": move a queue between devices of the same user,
 * e.g. from a phone whose sync is broken to one that works.
 */
import { inTransaction, requestResult } from '../db/database.js';
import { announceChange } from '../db/change_feed.js';
import { getMeta } from '../db/meta.js';
import { readOutbox, stampInto } from './outbox.js';

const FORMAT = 'gridline-unsynced-changes';
const VERSION = 1;

/** Why a file cannot be imported; `code` picks the localized text. */
export class ImportError extends Error {
  constructor(code) {
    super(`Cannot import: ${code}`);
    this.name = 'ImportError';
    this.code = code; // 'unreadable' | 'other_user'
  }
}

/** The outbox as a JSON document, with the device and user it came from. */
export async function exportUnsynced(user) {
  const [clientId, mutations] = await Promise.all([getMeta('client_id'), readOutbox()]);
  return {
    format: FORMAT,
    version: VERSION,
    client_id: clientId,
    user_id: user.id,
    username: user.username,
    exported_at: new Date().toISOString(),
    mutations,
  };
}

/**
 * Queues the mutations of an exported file on this device, for the same user only.
 * Each gets this device's next mid and a fresh HLC. A (source client id, source mid) pair
 * already imported, or the device's own export, is skipped, so importing twice adds nothing.
 * Returns `{imported, skipped}`.
 */
export async function importUnsynced(text, user) {
  const document = parseExport(text);
  if (document.user_id !== user.id) throw new ImportError('other_user');
  const sorted = [...document.mutations].sort((a, b) => a.mid - b.mid);

  const counts = await inTransaction(['outbox', 'meta', 'imported'], 'readwrite', async (stores) => {
    const ownClientId = await requestResult(stores.meta.get('client_id'));
    if (document.client_id === ownClientId) return { imported: 0, skipped: sorted.length };
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
    return { imported: fresh.length, skipped: sorted.length - fresh.length };
  });
  if (counts.imported > 0) {
    announceChange('outbox');
    announceChange('records');
  }
  return counts;
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
    && document.mutations.every(isMutation);
  if (!valid) throw new ImportError('unreadable');
  return document;
}

function isMutation(m) {
  return Number.isInteger(m?.mid) && typeof m.type === 'string' && typeof m.id === 'string'
    && (m.op === 'delete' || (m.op === 'put' && typeof m.fields === 'object' && m.fields !== null));
}
