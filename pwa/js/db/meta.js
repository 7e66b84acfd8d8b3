/** Small device-wide values (client id, counters, cursor, session) in the `meta` store. */
import { inTransaction, requestResult } from './database.js';
import { randomUuid } from './random_uuid.js';

/** Reads one meta value (undefined when unset). */
export function getMeta(key) {
  return inTransaction(['meta'], 'readonly', ({ meta }) => requestResult(meta.get(key)));
}

/** Writes one meta value; `undefined` deletes it. */
export function setMeta(key, value) {
  return inTransaction(['meta'], 'readwrite', ({ meta }) =>
    requestResult(value === undefined ? meta.delete(key) : meta.put(value, key)),
  );
}

/** Returns this install's client id, making it on first use. */
export function ensureClientId() {
  return inTransaction(['meta'], 'readwrite', async ({ meta }) => {
    const existing = await requestResult(meta.get('client_id'));
    if (existing) return existing;
    const clientId = randomUuid();
    meta.put(clientId, 'client_id');
    return clientId;
  });
}
