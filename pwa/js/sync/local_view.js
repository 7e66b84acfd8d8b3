/**
 * What the user sees: pulled records with the outbox replayed on top, in mid order.
 * The server rebases nothing for us, so the outbox is replayed on every read (outboxes are
 * small); the views of pulled records are made once per record, and a type's list of views
 * is kept until its records or its own queued changes change, so screens redrawn for another
 * reason (a clock tick, a change to another type, queued or pulled) get the same list back and
 * can keep what they derived.
 */
import { onChange } from '../db/change_feed.js';
import { isTypeHeld, readRecords, readRecordsInRanges, readRecordsOfType, recordsChangedBetween, recordsVersion } from '../db/records.js';
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

/** A list made from an earlier one by changing a few records: list → `{from, changes}`, see `patchOf`. */
const patches = new WeakMap();
// More changed records than this and a list is made afresh: a page pulled, a reset.
const PATCHED_AT_MOST = 100;

/**
 * Every visible record of a type, local changes included, as a frozen array that stays the same
 * object while nothing of that type changed: neither its pulled records nor its own queued
 * changes (a change queued for another type leaves it as it was). Its views are shared: read
 * them only. When a few records changed, the new list is the last one with their views replaced,
 * added or taken out (`patchOf` tells which), so a change to one record costs one record.
 */
export function loadViewList(type) {
  // The versions are taken before reading: a change during the read makes the next call read again.
  const records = recordsVersion(type);
  const held = viewLists.get(type);
  if (held?.records === records && held.outbox === outboxVersion) return held.views;
  const entry = { records, outbox: outboxVersion, queued: null, views: null };
  // Which pulled records changed since the held list, when they are few; else the type is read now.
  const pulledChanged = held ? (held.records === records ? new Set() : recordsChangedBetween(type, held.records, records, PATCHED_AT_MOST)) : null;
  const pulled = pulledChanged ? null : readRecordsOfType(type);
  pulled?.catch(() => {}); // a failed read fails `views`, where the caller hears it
  entry.views = outboxByType().then(async (byType) => {
    const mine = byType.get(type) ?? [];
    entry.queued = queuedById(mine);
    const before = pulledChanged && await held.views.catch(() => null);
    if (before) {
      const changed = new Set(pulledChanged);
      for (const id of new Set([...held.queued.keys(), ...entry.queued.keys()])) {
        if (held.queued.get(id)?.text !== entry.queued.get(id)?.text) changed.add(id);
      }
      if (changed.size === 0) return before;
      if (changed.size <= PATCHED_AT_MOST) {
        const patched = await patchedViews(type, before, [...changed], entry.queued);
        if (patched) return patched;
      }
    }
    return Object.freeze(viewsOf(type, await (pulled ?? readRecordsOfType(type)), mine));
  });
  viewLists.set(type, entry);
  entry.views.catch(() => {
    if (viewLists.get(type) === entry) viewLists.delete(type);
  });
  return entry.views;
}

/** A type's queued mutations by record id, in the order of each record's first: id → `{mutations, text}`. */
function queuedById(mutations) {
  const byId = new Map();
  for (const mutation of mutations) {
    if (!byId.has(mutation.id)) byId.set(mutation.id, { mutations: [], text: '' });
    byId.get(mutation.id).mutations.push(mutation);
  }
  for (const queued of byId.values()) queued.text = JSON.stringify(queued.mutations);
  return byId;
}

/**
 * `before` with the views of the `changed` ids made again, in the places `viewsOf` gives them; or
 * null when a changed record would take another place there (a record pulled for the first time,
 * or one queued only until now), and the list must be made afresh.
 */
async function patchedViews(type, before, changed, queued) {
  const pulled = await readRecords(type, changed);
  const at = positionsOf(before);
  const views = [...before];
  const changes = [];
  const gone = new Set();
  for (const [i, id] of changed.entries()) {
    const mutations = queued.get(id)?.mutations ?? [];
    const view = pulled[i] || mutations.length ? rebase(type, id, pulled[i], mutations) : null;
    const shown = view && !view.deleted ? view : null;
    const place = at.get(id);
    const old = place === undefined ? null : before[place];
    // serverSeq is null on a view of a record queued only (and on one acknowledged, not yet pulled).
    if (old && shown && (old.serverSeq == null) !== !pulled[i]) return null;
    if (!old && shown && pulled[i]) return null;
    if (!old && !shown) continue;
    changes.push([old, shown]);
    if (old && shown) views[place] = shown;
    else if (old) gone.add(place);
  }
  // Records queued only, new to the list, come last, in the order of their first mutation.
  const order = [...queued.keys()];
  const added = changes.filter(([old]) => !old).map(([, view]) => view)
    .sort((a, b) => order.indexOf(a.id) - order.indexOf(b.id));
  const list = Object.freeze([...(gone.size ? views.filter((_, place) => !gone.has(place)) : views), ...added]);
  patches.set(list, { from: before, changes: [...changes.filter(([old]) => old), ...added.map((view) => [null, view])] });
  return list;
}

/**
 * id → place in `views` (a list of views), worked out once per list; a list patched with no view
 * added or taken out has its places where they were.
 */
export function positionsOf(views) {
  return derivedFrom(views, 'positions', () => new Map(views.map((view, place) => [view.id, place])),
    (kept, changes) => (changes.every(([before, after]) => before && after) ? kept : undefined));
}

/**
 * How `views` was made from an earlier list: `{from, changes}`, each change `[before, after]` (a
 * view of the earlier list or null, a view of this one or null); null when it was made afresh.
 */
export function patchOf(views) {
  return patches.get(views) ?? null;
}

/**
 * A list of views made from `views` (say, the project's tasks out of every task), in its order:
 * `filter(view)` tells whether a view is in it. When `views` was patched from a list whose
 * filtered list is known (same `key`), the changes are applied to that one, which is patched in
 * turn, so what is worked out from it can be too.
 */
export function filteredViews(views, key, filter) {
  return derivedFrom(views, key, () => Object.freeze(views.filter(filter)), (kept, changes) => {
    const at = positionsOf(kept);
    const list = [...kept];
    const made = [];
    const gone = new Set();
    const added = [];
    for (const [before, after] of changes) {
      const place = before ? at.get(before.id) : undefined;
      const shown = after && filter(after) ? after : null;
      if (place === undefined && shown && before) return undefined; // it would come in mid-list
      if (place === undefined && !shown) continue;
      made.push([place === undefined ? null : kept[place], shown]);
      if (place === undefined) added.push(shown);
      else if (shown) list[place] = shown;
      else gone.add(place);
    }
    const filtered = Object.freeze([...(gone.size ? list.filter((_, place) => !gone.has(place)) : list), ...added]);
    patches.set(filtered, { from: kept, changes: made });
    return filtered;
  });
}

/** `a` against `b` in plain `<` order: code-point order for texts (localeCompare would skip punctuation). */
export function ascending(a, b) {
  return a < b ? -1 : Number(a > b);
}

/** `views` sorted by `key(view)`, each key worked out once (not in every comparison); ties keep their order. */
export function sortedByKey(views, key) {
  const keyed = views.map((view) => [key(view), view]);
  keyed.sort((a, b) => ascending(a[0], b[0]));
  return keyed.map(([, view]) => view);
}

/**
 * The views of `views` that pass `filter` (all without one), in order, kept per list under `key`:
 * by `sortKey(view)` (code-point order of the keys, each worked out once) or by `compare(a, b)`;
 * ties, and neither given, in the list's order. For a list patched from one whose sorted views
 * are known, the changed views alone are taken out and put in their places.
 */
export function sortedViews(views, key, { filter = null, sortKey = null, compare = null } = {}) {
  return derivedFrom(views, key, () => {
    const kept = filter ? views.filter(filter) : [...views];
    if (compare) return Object.freeze(kept.sort(compare)); // a stable sort: ties keep the list's order
    return Object.freeze(sortKey ? sortedByKey(kept, sortKey) : kept);
  }, (kept, changes) => {
    const order = compare ?? (sortKey ? (a, b) => ascending(sortKey(a), sortKey(b)) : () => 0);
    return Object.freeze(withChanges(kept, changes, views, { filter, compare: order }));
  });
}

/**
 * `list` (views of `views` in the order `compare` gives, ties in `views`' order) with a patch's
 * `changes` made: each view before a change taken out, each after it that passes `filter` put
 * in its place. A new array.
 */
export function withChanges(list, changes, views, { filter = null, compare = () => 0 } = {}) {
  const at = positionsOf(views);
  const changed = [...list];
  for (const [before] of changes) {
    const place = before ? changed.indexOf(before) : -1;
    if (place >= 0) changed.splice(place, 1);
  }
  for (const [, view] of changes) {
    if (view && (!filter || filter(view))) insertInOrder(changed, view, (a, b) => compare(a, b) || at.get(a.id) - at.get(b.id));
  }
  return changed;
}

/** Puts `item` into `list` (sorted by `compare`) before the first item that comes after it. */
function insertInOrder(list, item, compare) {
  let low = 0;
  let high = list.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (compare(list[middle], item) <= 0) low = middle + 1;
    else high = middle;
  }
  list.splice(low, 0, item);
}

/** How many views of `views` pass `filter`, kept per list under `key` and counted again from a patch's changes alone. */
export function countedViews(views, key, filter) {
  return derivedFrom(views, key, () => views.reduce((count, view) => count + (filter(view) ? 1 : 0), 0),
    (kept, changes) => changes.reduce((count, [before, after]) => count - (before && filter(before) ? 1 : 0) + (after && filter(after) ? 1 : 0), kept));
}

/**
 * What a reader worked out from a list of views (an index, a sort, a count), kept as long as
 * that list is the same object: `loadViewList` hands out a new one only when its type's records
 * or its own queued changes changed, so a redraw for anything else works nothing out again.
 * `key` names what was worked out (with whatever else it depends on). With `update(kept,
 * changes)`, a list patched from one whose `key` is known gets it from that (`changes` as in
 * `patchOf`); `update` answers undefined to have it worked out afresh.
 */
const derived = new WeakMap();

export function derivedFrom(views, key, compute, update) {
  if (!derived.has(views)) derived.set(views, new Map());
  const known = derived.get(views);
  if (!known.has(key)) {
    const patch = update && patches.get(views);
    const earlier = patch && derived.get(patch.from);
    const value = earlier?.has(key) ? update(earlier.get(key), patch.changes) : undefined;
    known.set(key, value === undefined ? compute() : value);
  }
  return known.get(key);
}

/**
 * What a reader worked out from several lists and values, kept between redraws: `keep(name,
 * inputs, compute, update)` gives what `compute()` gave the last time for `name` while every one
 * of `inputs` is the same (`===`), and works it out again when one is not. With `update(kept,
 * changes)`, when each input is the same or a list patched from the last one (`patchOf`),
 * `changes` holds per input null (the same) or its changes, and `update` answers from them, or
 * undefined to have it worked out afresh.
 */
export function keeper() {
  const kept = new Map(); // name → {inputs, value}
  return (name, inputs, compute, update) => {
    const last = kept.get(name);
    const same = last && last.inputs.length === inputs.length ? inputs.map((input, i) => input === last.inputs[i]) : null;
    if (same?.every(Boolean)) return last.value;
    // Each input the same or a list patched from the last one: `update` may answer from the changes.
    const patched = same && update && inputs.every((input, i) => same[i] || patchOf(input)?.from === last.inputs[i]);
    let value = patched ? update(last.value, inputs.map((input, i) => (same[i] ? null : patchOf(input).changes))) : undefined;
    if (value === undefined) value = compute();
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
 * `count` records (all of them without a count) of each of the index's key `ranges`, as pulled,
 * with their queued changes; and every record of the type with changes queued, whose place the
 * index (of pulled records) cannot know. Each range is read `count` deep and one more per record
 * with queued changes, so those records, taken out, cannot leave it short. Unordered: the caller
 * sorts and cuts, and filters out the records with changes queued that are not in the ranges.
 */
export async function loadFirstViewsThrough(type, index, ranges, count = null) {
  const queued = (await outboxByType()).get(type) ?? [];
  const queuedIds = new Set(queued.map((mutation) => mutation.id));
  const pages = await readRecordsInRanges(index, ranges, count === null ? undefined : count + queuedIds.size);
  const views = pages.flat().filter((record) => !queuedIds.has(record.id)).map(viewOfPulled);
  if (queuedIds.size) views.push(...await loadViewsOf(type, [...queuedIds]));
  return views;
}
