/**
 * The outbox: this device's mutations not yet answered by the server, in `mid` order.
 * Mids and HLCs are stamped in the same transaction that stores the mutation, so two
 * tabs can never hand out the same mid.
 */
import { announceChange } from '../db/change_feed.js';
import { inTransaction, readAll, requestResult } from '../db/database.js';
import { formatHlc, receiveHlc, tickHlc, ZERO_CLOCK } from './hlc.js';
import { photoMetaDrafts, photoMetasWithdrawn } from './photo_places.js';

/**
 * Stamps drafts `{op, type, id, fields}` with the next mids and HLCs and adds them, using the
 * `outbox` and `meta` stores of a transaction the caller opened. Returns the stored mutations.
 * With `holdUntil` (ms since the epoch) they are not sent before then, so they can still be
 * taken back (`withdrawHeld`); the mutations after them wait too, keeping the order.
 */
export async function stampInto({ outbox, meta }, drafts, holdUntil = null) {
  const clientId = await requestResult(meta.get('client_id'));
  let lastMid = (await requestResult(meta.get('mid_counter'))) ?? 0;
  let clock = (await requestResult(meta.get('hlc'))) ?? ZERO_CLOCK;
  const createdAt = new Date().toISOString();
  const stamped = drafts.map(({ op, type, id, fields }) => {
    clock = tickHlc(clock, Date.now());
    lastMid += 1;
    const mutation = { mid: lastMid, op, type, id, hlc: formatHlc(clock, clientId), created_at: createdAt };
    if (op !== 'delete') mutation.fields = fields;
    if (holdUntil) mutation.hold_until = holdUntil;
    return mutation;
  });
  for (const mutation of stamped) outbox.add(mutation);
  meta.put(lastMid, 'mid_counter');
  meta.put(clock, 'hlc');
  return stamped;
}

/**
 * Adds mutation drafts to the outbox and returns them stamped; `holdMs` keeps them back that long.
 * A photo a draft names for the first time takes its time and place along (photo_places.js).
 */
export async function enqueue(drafts, { holdMs = 0 } = {}) {
  const holdUntil = holdMs > 0 ? Date.now() + holdMs : null;
  const photos = await photoMetaDrafts(drafts);
  const stamped = await inTransaction(['outbox', 'meta'], 'readwrite', (stores) => {
    photos.sent(stores.meta);
    return stampInto(stores, [...drafts, ...photos.drafts], holdUntil);
  });
  announceChange('outbox');
  announceChange('records');
  return stamped;
}

/** The first `limit` pending mutations, lowest mid first, up to the first one still held back. */
export async function readBatch(limit) {
  const batch = await inTransaction(['outbox'], 'readonly', ({ outbox }) => requestResult(outbox.getAll(null, limit)));
  const held = batch.findIndex((mutation) => mutation.hold_until > Date.now());
  return held === -1 ? batch : batch.slice(0, held);
}

/**
 * Takes back mutations still held (an undo): true when every one of `mids` was still waiting
 * and is now gone, the ones after them renumbered so the mids stay without a gap; false (and
 * nothing changed) when any was already released to be sent.
 */
export async function withdrawHeld(mids) {
  const taken = await inTransaction(['outbox', 'meta'], 'readwrite', async ({ outbox, meta }) => {
    const pending = await requestResult(outbox.getAll());
    const now = Date.now();
    const withdrawn = pending.filter((mutation) => mids.includes(mutation.mid));
    if (withdrawn.length !== mids.length || withdrawn.some((mutation) => !(mutation.hold_until > now))) return false;
    const first = Math.min(...mids);
    const kept = pending.filter((mutation) => !mids.includes(mutation.mid));
    const after = kept.filter((mutation) => mutation.mid > first); // in mid order, as stored
    await photoMetasWithdrawn(meta, withdrawn);
    for (const mutation of withdrawn) outbox.delete(mutation.mid);
    for (const mutation of after) outbox.delete(mutation.mid);
    after.forEach((mutation, index) => outbox.add({ ...mutation, mid: first + index }));
    meta.put(first - 1 + after.length, 'mid_counter');
    return true;
  });
  if (taken) {
    announceChange('outbox');
    announceChange('records');
  }
  return taken;
}

/** Every pending mutation, lowest mid first. */
export function readOutbox() {
  return readAll('outbox');
}

/** How many mutations wait to be pushed. */
export function countPending() {
  return inTransaction(['outbox'], 'readonly', ({ outbox }) => requestResult(outbox.count()));
}

/**
 * What waits in the outbox, counted in one read: `queued`, every mutation; `changes`, the
 * user's changes as the status bar says them (a photo's time-and-place record travels with
 * the photo and is not a change of its own).
 */
export function countQueue() {
  return inTransaction(['outbox'], 'readonly', async ({ outbox }) => {
    const photoMetas = IDBKeyRange.bound(['photo_meta'], ['photo_meta', []]);
    const [queued, metas] = await Promise.all([requestResult(outbox.count()), requestResult(outbox.index('by_record').count(photoMetas))]);
    return { queued, changes: queued - metas };
  });
}

/**
 * Gives the pending mutations consecutive mids starting at `firstMid`, keeping their order and HLCs.
 * Used when the server's `last_mid` shows it never received the mids just before ours: the
 * mutations were never applied, so numbering them on from what the server has is safe.
 */
export async function renumberFrom(firstMid) {
  await inTransaction(['outbox', 'meta'], 'readwrite', async ({ outbox, meta }) => {
    const pending = await requestResult(outbox.getAll());
    if (pending.length === 0 || pending[0].mid === firstMid) return;
    outbox.clear();
    pending.forEach((mutation, index) => outbox.add({ ...mutation, mid: firstMid + index }));
    meta.put(firstMid + pending.length - 1, 'mid_counter');
  });
}

/**
 * Moves the clock up to the server's time (its `Date` header), so a phone whose clock runs
 * behind does not lose every last-writer-wins race. The server time counts as a remote clock.
 */
export async function observeServerTime(serverMs) {
  await inTransaction(['meta'], 'readwrite', async ({ meta }) => {
    const clock = (await requestResult(meta.get('hlc'))) ?? ZERO_CLOCK;
    if (serverMs <= Math.max(clock.ms, Date.now())) return;
    meta.put(receiveHlc(clock, { ms: serverMs, counter: 0 }, Date.now()), 'hlc');
  });
}
