/**
 * When and where each photo taken in the app was taken, sent as a `photo_meta` record beside the
 * first change that uses the photo, whatever the form (a task's, a check item's, an action's
 * "after" photos, a complaint's, a rejection's, an inspection's).
 *
 * The camera input keeps the photo's time at once and its place once the phone answers
 * (`keepPhotoPlace`), in the `meta` store under `photo_place:<sha256>`, so a reload or a draft
 * restored later still has them. `enqueue` (outbox.js) asks `photoMetaDrafts` which metadata
 * records go with the changes it queues; the entry then remembers the project it was sent for,
 * so it goes once, and a place that arrives after the change was queued follows as an update of
 * the same record. An undone change (`withdrawHeld`) takes its photos' records back with it and
 * the entries forget they were sent.
 */
import { inTransaction, requestResult } from '../db/database.js';
import { randomUuid } from '../db/random_uuid.js';
import { loadView } from './local_view.js';
import { isPhotoField } from './record_types.js';

const SHA256 = /^[0-9a-f]{64}$/;
const PREFIX = 'photo_place:';

function metaPut(sha, entry) {
  const { project_id: projectId, id, ...meta } = entry;
  return { op: 'put', type: 'photo_meta', id, fields: { project_id: projectId, sha256: sha, ...meta } };
}

/** The photos a change names: in `photos`-like sets (added), lists and maps of lists. */
export function photosNamed(fields) {
  const found = new Set();
  const collect = (value) => {
    if (typeof value === 'string' && SHA256.test(value)) found.add(value);
    else if (Array.isArray(value)) value.forEach(collect);
    else if (value && typeof value === 'object') (value.add ? [value.add] : Object.values(value)).forEach(collect);
  };
  for (const [name, value] of Object.entries(fields ?? {})) if (isPhotoField(name)) collect(value);
  return found;
}

/**
 * Keeps what is known of a photo (`{taken_at}` at once, then `{latitude, longitude, accuracy_m}`
 * or `{derived_from}`). When the photo's record was already queued, the news follows it.
 */
export async function keepPhotoPlace(sha, meta) {
  const sent = await inTransaction(['meta'], 'readwrite', async ({ meta: store }) => {
    const entry = { ...(await requestResult(store.get(PREFIX + sha))), ...meta };
    store.put(entry, PREFIX + sha);
    return entry.project_id ? entry : null;
  });
  if (sent) {
    const { enqueue } = await import('./outbox.js');
    await enqueue([metaPut(sha, sent)]);
  }
}

/** What is kept of a photo, or undefined. */
export function readPhotoPlace(sha) {
  return inTransaction(['meta'], 'readonly', ({ meta }) => requestResult(meta.get(PREFIX + sha)));
}

/**
 * The metadata records to queue with `drafts`: `{drafts, sent}`, where `sent` is called inside
 * the outbox transaction (with its `meta` store) to mark them sent.
 */
export async function photoMetaDrafts(drafts) {
  const wanted = [];
  for (const draft of drafts) {
    if (draft.op !== 'put' || draft.type === 'photo_meta') continue;
    const shas = photosNamed(draft.fields);
    if (shas.size === 0) continue;
    const entries = await inTransaction(['meta'], 'readonly', ({ meta }) =>
      Promise.all([...shas].map(async (sha) => [sha, await requestResult(meta.get(PREFIX + sha))])));
    const unsent = entries.filter(([, entry]) => entry && !entry.project_id);
    if (unsent.length === 0) continue;
    const projectId = draft.fields.project_id ?? (await loadView(draft.type, draft.id))?.fields.project_id;
    if (!projectId) continue;
    for (const [sha, entry] of unsent) {
      if (!wanted.some((item) => item.sha === sha)) wanted.push({ sha, projectId, entry });
    }
  }
  // Each phone's record of a photo has an id of its own: two people may attach the same
  // picture (one forwarded to both), each with their own time and place.
  const sent = wanted.map(({ sha, projectId, entry }) => [sha, { ...entry, id: entry.id ?? randomUuid(), project_id: projectId }]);
  return {
    drafts: sent.map(([sha, entry]) => metaPut(sha, entry)),
    sent: (meta) => {
      for (const [sha, entry] of sent) meta.put(entry, PREFIX + sha);
    },
  };
}

/** An undone change's photo records were taken back: their photos are unsent again (same record id). */
export async function photoMetasWithdrawn(meta, mutations) {
  for (const mutation of mutations) {
    if (mutation.type !== 'photo_meta') continue;
    const key = PREFIX + mutation.fields.sha256;
    const entry = await requestResult(meta.get(key));
    if (entry) {
      delete entry.project_id;
      meta.put(entry, key);
    }
  }
}
