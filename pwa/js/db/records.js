/**
 * The `records` store: the server's state of every record, as pulled.
 *
 * Reads of a type are served from memory: the first read of a type loads it through the
 * `by_type` index, and every page pulled in this tab is then applied to that copy as well
 * as to IndexedDB, so a change to one record costs one record, not a reload of the type.
 * A change made by another tab (heard on the change feed) drops the copies.
 */
import { announceChange, onChange } from './change_feed.js';
import { inTransaction, readAll, requestResult } from './database.js';
import { addOrderKey } from './order_keys.js';

/** type → Promise<Map<id, record>>; each promise chains the pages written since it was asked. */
const loaded = new Map();
/** type → how many times its records changed in memory, so readers can keep what they derived. */
const versions = new Map();
/**
 * type → the ids each of its last changes touched (written or deleted), `{version, ids}` oldest
 * first, so a reader can work out again what those ids touched alone.
 */
const changedIds = new Map();
const KEPT_CHANGES = 32;
let forgotten = 0; // times every copy was dropped (a reset, a resync, another tab's change)

onChange('records', (event) => {
  if (event.detail?.remote) forgetLoadedRecords();
});

/**
 * Stores one pulled page and its cursor in one transaction, so a crash never skips changes. With
 * `announce: false` the caller tells the page of the changes itself (see sync/pull.js).
 */
export async function savePulledPage(changes, cursor, { announce = true } = {}) {
  const stored = changes.map((change) => (change.deleted ? change : storedRecord(change)));
  await inTransaction(['records', 'meta'], 'readwrite', ({ records, meta }) => {
    for (const change of stored) {
      if (change.deleted) records.delete([change.type, change.id]);
      else records.put(change);
    }
    meta.put(cursor, 'cursor');
  });
  applyToLoaded(stored);
  if (announce && changes.length > 0) announceChange('records');
}

function storedRecord(change) {
  return addOrderKey({
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

/**
 * Applies written changes to the types held in memory. Chained after the type's load, so a
 * load still running sees them too (a put or delete applied twice gives the same map).
 */
export function applyToLoaded(stored) {
  const byType = new Map();
  for (const change of stored) {
    if (!byType.has(change.type)) byType.set(change.type, []);
    byType.get(change.type).push(change);
  }
  for (const [type, changes] of byType) {
    const version = (versions.get(type) ?? 0) + 1;
    versions.set(type, version);
    const log = changedIds.get(type) ?? [];
    log.push({ version, ids: changes.map((change) => change.id) });
    changedIds.set(type, log.slice(-KEPT_CHANGES));
    const pending = loaded.get(type);
    if (!pending) continue;
    keepLoading(type, pending.then((records) => {
      for (const change of changes) {
        if (change.deleted) records.delete(change.id);
        else records.set(change.id, change);
      }
      return records;
    }));
  }
}

/**
 * The pulled record `stored` (or a new one, not yet numbered by the server) with `data` as a
 * push the server applied left it; its seq stays, so the next pull's copy replaces it.
 */
export function acknowledgedRecord(stored, type, id, data) {
  return storedRecord({ ...stored, type, id, data });
}

/** A record's data without its empty fields: the screens read an unset field as absent. */
function withoutNulls(data) {
  const kept = {};
  for (const name in data) {
    if (data[name] !== null) kept[name] = data[name];
  }
  return kept;
}

/** Forgets every pulled record and the cursor (the outbox stays). */
export async function clearRecordsAndCursor() {
  await inTransaction(['records', 'meta'], 'readwrite', ({ records, meta }) => {
    records.clear();
    meta.delete('cursor');
  });
  forgetLoadedRecords();
  announceChange('records');
}

/** Drops the in-memory copies: the next read of each type goes to IndexedDB again. */
export function forgetLoadedRecords() {
  loaded.clear();
  forgotten += 1;
}

/** A token that changes whenever the pulled records of `type` held in memory change. */
export function recordsVersion(type) {
  return `${forgotten}.${versions.get(type) ?? 0}`;
}

/**
 * The ids of `type` whose pulled records changed between two of its `recordsVersion` tokens, or
 * null when that is not known: the copies were dropped in between, the changes were too many
 * ago, or they touched more than `most` records.
 */
export function recordsChangedBetween(type, from, to, most = Infinity) {
  const [forgottenFrom, versionFrom] = from.split('.').map(Number);
  const [forgottenTo, versionTo] = to.split('.').map(Number);
  if (forgottenFrom !== forgottenTo || versionTo < versionFrom) return null;
  const ids = new Set();
  const log = (changedIds.get(type) ?? []).filter((change) => change.version > versionFrom && change.version <= versionTo);
  if (log.length !== versionTo - versionFrom) return null;
  for (const change of log) {
    for (const id of change.ids) ids.add(id);
    if (ids.size > most) return null;
  }
  return ids;
}

/** The pulled records of one type by id (shared: callers must not change it). */
function loadType(type) {
  if (!loaded.has(type)) {
    keepLoading(type, readAll('records', { index: 'by_type', query: type })
      .then((records) => new Map(records.map((record) => [record.id, record]))));
  }
  return loaded.get(type);
}

/** Holds `records` as the type's copy; a failed read is not kept, so the next reader tries again. */
function keepLoading(type, records) {
  loaded.set(type, records);
  records.catch(() => {
    if (loaded.get(type) === records) loaded.delete(type);
  });
}

/** Whether the pulled records of `type` are held in memory (reading them costs no IndexedDB read). */
export function isTypeHeld(type) {
  return loaded.has(type);
}

/** Every pulled record of one type (the record objects are shared: read them, never change them). */
export async function readRecordsOfType(type) {
  return [...(await loadType(type)).values()];
}

/**
 * Some pulled records of one type, in the order of `ids` (an unknown id gives undefined): from
 * memory when the type is held, else in one transaction, without reading the rest of the type.
 */
export async function readRecords(type, ids) {
  if (loaded.has(type)) {
    const records = await loaded.get(type);
    return ids.map((id) => records.get(id));
  }
  return inTransaction(['records'], 'readonly', ({ records }) =>
    Promise.all(ids.map((id) => requestResult(records.get([type, id])))));
}

/**
 * The first `count` pulled records (all without a count) in each key range of the records' index
 * `index` (an array per range, in the index's order), in one transaction, without reading the
 * rest of the type.
 */
export function readRecordsInRanges(index, ranges, count) {
  return inTransaction(['records'], 'readonly', ({ records }) =>
    Promise.all(ranges.map((range) => requestResult(records.index(index).getAll(range, count)))));
}

/** One pulled record, or undefined. */
export async function readRecord(type, id) {
  return (await readRecords(type, [id]))[0];
}
