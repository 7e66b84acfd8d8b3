/**
 * What the user sees: pulled records with the outbox replayed on top, in mid order.
 * The server rebases nothing for us, so the outbox is replayed on every read (outboxes are
 * small); the views of pulled records are made once per record, and a type's list of views
 * is kept until its records or its own queued changes change, so screens redrawn for another
 * reason (a clock tick, a change to another type, queued or pulled) get the same list back and
 * can keep what they derived.
 */
import { onChange } from '../db/change_feed.js';
import { isTypeHeld, readRecords, readRecordsInRanges, readRecordsOfType, recordsVersion } from '../db/records.js';
import { readOutbox } from './outbox.js';
import { fieldKind } from './record_types.js';

/**
 * A record as shown: `{type, id, fields, pending, deleted, serverSeq, updatedAt, updatedBy, createdBy, createdAt}`.
 * `pending` marks local changes not yet answered; `deleted` records are hidden from lists.
 */
function viewOfPulled(record) {
  let view = pulledViews.get(record);
  if (!view) {
    view = newViewOfPulled(record);
    pulledViews.set(record, view);
  }
  return view;
}

/** The view of each pulled record object (records are replaced, never changed, when a page arrives). */
const pulledViews = new WeakMap();

function newViewOfPulled(record) {
  return {
    type: record.type,
    id: record.id,
    fields: { ...record.data },
    pending: false,
    deleted: false,
    serverSeq: record.seq,
    updatedAt: record.updated_at,
    updatedBy: record.updated_by,
    createdBy: record.created_by ?? null,
    createdAt: record.created_at ?? null,
  };
}

function emptyView(type, id) {
  return { type, id, fields: {}, pending: false, deleted: false, serverSeq: null, updatedAt: null, updatedBy: null, createdBy: null, createdAt: null };
}

/** Replays one mutation on a view (pure: returns a new view). */
export function applyMutation(view, mutation) {
  if (mutation.op === 'delete') return { ...view, pending: true, deleted: true };
  const fields = { ...view.fields };
  for (const [name, change] of Object.entries(mutation.fields ?? {})) {
    const kind = fieldKind(view.type, name);
    if (kind === 'set') fields[name] = applySetChange(fields[name], change);
    else if (kind === 'map') fields[name] = applyMapChange(fields[name], change);
    else fields[name] = change; // lww, state and append fields take the new value
  }
  return { ...view, fields, pending: true };
}

/** `{add, remove}` on an array value: adds first, then removes, as one device typed them. */
function applySetChange(current, { add = [], remove = [] } = {}) {
  const members = new Set(Array.isArray(current) ? current : []);
  for (const item of add) members.add(item);
  for (const item of remove) members.delete(item);
  return [...members];
}

/** `{key: value}` merged into a map value; `null` removes the key. */
function applyMapChange(current, change) {
  const merged = { ...(current ?? {}) };
  for (const [key, value] of Object.entries(change ?? {})) {
    if (value === null) delete merged[key];
    else merged[key] = value;
  }
  return merged;
}

/** Replays the mutations (already in mid order) of one record on its pulled state. */
function rebase(type, id, pulled, mutations) {
  return mutations.reduce(applyMutation, pulled ? viewOfPulled(pulled) : emptyView(type, id));
}

let outboxVersion = 0;
onChange('outbox', () => {
  outboxVersion += 1;
});

/** The outbox as last read, by type: `{version, byType}` (a promise of type → its mutations in mid order). */
let outboxRead = null;

function outboxByType() {
  if (outboxRead?.version !== outboxVersion) {
    outboxRead = {
      version: outboxVersion,
      byType: readOutbox().then((outbox) => {
        const byType = new Map();
        for (const mutation of outbox) {
          if (!byType.has(mutation.type)) byType.set(mutation.type, []);
          byType.get(mutation.type).push(mutation);
        }
        return byType;
      }),
    };
    const read = outboxRead;
    read.byType.catch(() => {
      if (outboxRead === read) outboxRead = null;
    });
  }
  return outboxRead.byType;
}

/** type → `{records, outbox, queued, views}`: the last list of views made, what it was made from. */
const viewLists = new Map();

/**
 * Every visible record of a type, local changes included, as a frozen array that stays the same
 * object while nothing of that type changed: neither its pulled records nor its own queued
 * changes (a change queued for another type leaves it as it was). Its views are shared: read
 * them only.
 */
export function loadViewList(type) {
  // The versions are taken before reading: a change during the read makes the next call read again.
  const records = recordsVersion(type);
  const held = viewLists.get(type);
  if (held?.records === records && held.outbox === outboxVersion) return held.views;
  const entry = { records, outbox: outboxVersion, queued: null, views: null };
  const pulled = held?.records === records ? null : readRecordsOfType(type);
  pulled?.catch(() => {}); // a failed read fails `views`, where the caller hears it
  entry.views = outboxByType().then(async (byType) => {
    const mine = byType.get(type) ?? [];
    entry.queued = JSON.stringify(mine);
    if (!pulled && held.queued === entry.queued) return held.views;
    return Object.freeze(viewsOf(type, await (pulled ?? readRecordsOfType(type)), mine));
  });
  viewLists.set(type, entry);
  entry.views.catch(() => {
    if (viewLists.get(type) === entry) viewLists.delete(type);
  });
  return entry.views;
}

/**
 * What a reader worked out from a list of views (an index, a sort, a count), kept as long as
 * that list is the same object: `loadViewList` hands out a new one only when its type's records
 * or its own queued changes changed, so a redraw for anything else works nothing out again.
 * `key` names what was worked out (with whatever else it depends on).
 */
const derived = new WeakMap();

export function derivedFrom(views, key, compute) {
  if (!derived.has(views)) derived.set(views, new Map());
  const known = derived.get(views);
  if (!known.has(key)) known.set(key, compute());
  return known.get(key);
}

/**
 * What a reader worked out from several lists and values, kept between redraws: `keep(name,
 * inputs, compute)` gives what `compute()` gave the last time for `name` while every one of
 * `inputs` is the same (`===`), and works it out again when one is not.
 */
export function keeper() {
  const kept = new Map(); // name → {inputs, value}
  return (name, inputs, compute) => {
    const last = kept.get(name);
    if (last && last.inputs.length === inputs.length && last.inputs.every((input, i) => input === inputs[i])) return last.value;
    const value = compute();
    kept.set(name, { inputs, value });
    return value;
  };
}

/** Whether `loadViewList(type)` answers from memory, without reading the type from IndexedDB. */
export function isViewListHeld(type) {
  return isTypeHeld(type);
}

/** Every visible record of a type, local changes included, in an array the caller may sort. */
export async function loadViews(type) {
  return [...await loadViewList(type)];
}

/** The visible views of a type: its pulled records with its queued `mutations` (mid order) replayed. */
function viewsOf(type, pulled, mutations) {
  const mutationsById = new Map();
  for (const mutation of mutations) {
    if (!mutationsById.has(mutation.id)) mutationsById.set(mutation.id, []);
    mutationsById.get(mutation.id).push(mutation);
  }
  const views = pulled.map((record) => rebase(type, record.id, record, mutationsById.get(record.id) ?? []));
  const pulledIds = new Set(pulled.map((record) => record.id));
  for (const [id, queued] of mutationsById) {
    if (!pulledIds.has(id)) views.push(rebase(type, id, null, queued));
  }
  return views.filter((view) => !view.deleted);
}

/** One record with local changes, or null when it is unknown or deleted. */
export async function loadView(type, id) {
  return (await loadViewsOf(type, [id]))[0] ?? null;
}

/**
 * Some records of a type with local changes, in the order of `ids`, without reading the rest of
 * the type (unknown and deleted ones left out). Its views are shared: read them only.
 */
export async function loadViewsOf(type, ids) {
  const [pulled, outbox] = await Promise.all([readRecords(type, ids), readOutbox()]);
  const views = [];
  ids.forEach((id, i) => {
    const mutations = outbox.filter((mutation) => mutation.type === type && mutation.id === id);
    if (!pulled[i] && mutations.length === 0) return;
    const view = rebase(type, id, pulled[i], mutations);
    if (!view.deleted) views.push(view);
  });
  return views;
}

/**
 * The first views of a type in an index's order, without reading the rest of the type: the first
 * `count` records of each of the index's key `ranges`, as pulled, with their queued changes; and
 * every record of the type with changes queued, whose place the index (of pulled records) cannot
 * know. Each range is read `count` deep and one more per record with queued changes, so those
 * records, taken out, cannot leave it short. Unordered: the caller sorts and cuts.
 */
export async function loadFirstViewsThrough(type, index, ranges, count) {
  const queued = (await outboxByType()).get(type) ?? [];
  const queuedIds = new Set(queued.map((mutation) => mutation.id));
  const pages = await readRecordsInRanges(index, ranges, count + queuedIds.size);
  const views = pages.flat().filter((record) => !queuedIds.has(record.id)).map(viewOfPulled);
  if (queuedIds.size) views.push(...await loadViewsOf(type, [...queuedIds]));
  return views;
}
