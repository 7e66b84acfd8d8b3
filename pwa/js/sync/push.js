/** Push step of the sync loop: send the outbox in mid order and settle each answered mutation. */
import { announceChange } from '../db/change_feed.js';
import { inTransaction, requestResult } from '../db/database.js';
import { conflictEntries, rejectionEntry } from '../db/inbox.js';
import { acknowledgedRecord, applyToLoaded } from '../db/records.js';
import { applyMutation } from './local_view.js';
import { readBatch, renumberFrom } from './outbox.js';

const BATCH_SIZE = 100;
const SCHEMA_VERSION = 1;

/** Statuses that answer a mutation for good (a replayed one carries its stored status). */
const ANSWERED = new Set(['applied', 'merged', 'rejected']);

/** The server's answers did not let the push move on (it would otherwise loop for ever). */
export class PushStalledError extends Error {
  constructor(detail) {
    super(`Push made no progress: ${detail}`);
    this.name = 'PushStalledError';
  }
}

/** Pushes until the outbox is empty; throws on network and server errors, leaving the outbox as it was. */
export async function pushOutbox(api, clientId) {
  for (;;) {
    // 1. Take the oldest pending mutations, one batch at most.
    const batch = await readBatch(BATCH_SIZE);
    if (batch.length === 0) return;

    // 2. Send them. A network error, 401 or 5xx throws here and the same batch goes again later.
    const { results = [], last_mid: lastMid } = await api.post('/api/sync/push', {
      client_id: clientId,
      schema_version: SCHEMA_VERSION,
      mutations: batch.map(toWire),
    });

    // 3. Drop every answered mutation from the outbox, keeping rejections and lost fields for the user.
    const answered = await settle(batch, results);

    // 4. A gap means the server is missing mids just before ours. Resend from the gap: renumber the
    //    queue to follow the server's last_mid when it does not already, then go round again.
    if (results.some((result) => result.status === 'gap')) {
      const [first] = await readBatch(1);
      if (Number.isInteger(lastMid) && first && first.mid !== lastMid + 1) {
        await renumberFrom(lastMid + 1);
        continue;
      }
      if (answered === 0) throw new PushStalledError(`gap at mid ${first?.mid}, server last_mid ${lastMid}`);
      continue;
    }
    if (answered === 0) throw new PushStalledError('no result for any mutation sent');
  }
}

/** The mutation as the protocol sends it (without local bookkeeping such as created_at). */
function toWire({ mid, op, type, id, hlc, fields }) {
  return op === 'delete' ? { mid, op, type, id, hlc } : { mid, op, type, id, hlc, fields };
}

/**
 * Applies push results in one transaction; returns how many mutations left the outbox.
 * An applied mutation leaves the outbox and enters the pulled record in the same transaction,
 * so the phone never shows the record as it was before the change while the pull that brings
 * the server's copy is still to come (or cut off: offline, a reload, the app closed).
 */
async function settle(batch, results) {
  const byMid = new Map(batch.map((mutation) => [mutation.mid, mutation]));
  let rejectedOrMerged = false;
  const kept = [];
  const answered = await inTransaction(['outbox', 'rejected', 'conflicts', 'records'], 'readwrite', async (stores) => {
    let count = 0;
    for (const result of results) {
      const mutation = byMid.get(result.mid);
      if (!mutation || !ANSWERED.has(result.status)) continue;
      stores.outbox.delete(mutation.mid);
      count += 1;
      if (result.status === 'applied') kept.push(await keepApplied(stores.records, mutation));
      if (result.status === 'rejected') stores.rejected.put(rejectionEntry(mutation, result));
      for (const entry of result.status === 'merged' ? conflictEntries(mutation, result) : []) {
        stores.conflicts.put(entry);
      }
      rejectedOrMerged ||= result.status !== 'applied';
    }
    return count;
  });
  applyToLoaded(kept);
  if (answered > 0) announceChange('outbox');
  if (rejectedOrMerged) announceChange('inbox');
  if (answered > 0) announceChange('records');
  return answered;
}

/** Writes an applied mutation into the pulled record it changed (the next pull replaces it). */
async function keepApplied(records, mutation) {
  const key = [mutation.type, mutation.id];
  if (mutation.op === 'delete') {
    records.delete(key);
    return { type: mutation.type, id: mutation.id, deleted: true };
  }
  const stored = await requestResult(records.get(key));
  const changed = applyMutation({ type: mutation.type, id: mutation.id, fields: stored?.data ?? {} }, mutation);
  const record = acknowledgedRecord(stored, mutation.type, mutation.id, changed.fields);
  records.put(record);
  return record;
}
