/** The `records` store: the server's state of every record, as pulled. */
import { announceChange } from './change_feed.js';
import { inTransaction, readAll, requestResult } from './database.js';

/** Stores one pulled page and its cursor in one transaction, so a crash never skips changes. */
export async function savePulledPage(changes, cursor) {
  await inTransaction(['records', 'meta'], 'readwrite', ({ records, meta }) => {
    for (const change of changes) {
      if (change.deleted) {
        records.delete([change.type, change.id]);
        continue;
      }
      records.put({
        type: change.type,
        id: change.id,
        seq: change.seq,
        data: withoutNulls(change.data),
        updated_by: change.updated_by,
        updated_at: change.updated_at,
        created_by: change.created_by,
        created_at: change.created_at,
      });
    }
    meta.put(cursor, 'cursor');
  });
  if (changes.length > 0) announceChange('records');
}

/** A record's data without its empty fields: the screens read an unset field as absent. */
function withoutNulls(data) {
  return Object.fromEntries(Object.entries(data ?? {}).filter(([, value]) => value !== null));
}

/** Forgets every pulled record and the cursor (the outbox stays). */
export async function clearRecordsAndCursor() {
  await inTransaction(['records', 'meta'], 'readwrite', ({ records, meta }) => {
    records.clear();
    meta.delete('cursor');
  });
  announceChange('records');
}

/** Every pulled record of one type. */
export function readRecordsOfType(type) {
  return readAll('records', { index: 'by_type', query: type });
}

/** One pulled record, or undefined. */
export function readRecord(type, id) {
  return inTransaction(['records'], 'readonly', ({ records }) => requestResult(records.get([type, id])));
}
