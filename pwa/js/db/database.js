/** IndexedDB schema for the device and the promise helpers every store module uses. */
import { ORDERED_TYPES, addOrderKey } from './order_keys.js';

const DB_NAME = 'gridline';

/**
 * The stores each version of the schema adds: key path (none = out-of-line keys) and indexes.
 * An upgrade runs every step after the version the device has, so stores and their data
 * survive an app update; never edit a released step, add the next one.
 */
const VERSIONS = [
  /* 1 */ {
    records: { keyPath: ['type', 'id'], indexes: { by_type: 'type' } },
    outbox: { keyPath: 'mid', indexes: { by_record: ['type', 'id'] } },
    meta: {},
    pending_blobs: { keyPath: 'sha256' },
    rejected: { keyPath: 'key' },
    conflicts: { keyPath: 'key' },
    imported: { keyPath: ['source_client_id', 'source_mid'] },
  },
  /* 2: forms kept as they are typed, per user and form route (drafts.js) */ {
    drafts: { keyPath: ['user_id', 'route'], indexes: { by_user: 'user_id' } },
  },
  /*
   * 3: complaints by state and response deadline, so the list's first page is read without the
   * rest of the type (a record lacking either field is not in the index)
   */ {
    records: { indexes: { by_state_due: ['type', 'data.status', 'data.response_due'] } },
  },
  /*
   * 4: records in their list's order (order_keys.js), so a list's first page is read without the
   * rest of the type; the records already stored get their order keys as the step runs
   */ {
    records: { indexes: { by_order: ['type', 'order'] } },
    migrate: (upgrade) => ORDERED_TYPES.forEach((type) => addOrderKeys(upgrade.objectStore('records'), type)),
  },
  /*
   * 5: records by state, so the supervisor's inbox reads the approvals waiting and the actions and
   * complaints still open without the rest of their types (the server gives every record of a
   * type with states its state)
   */ {
    records: { indexes: { by_state: ['type', 'data.status'] } },
  },
  /*
   * 6: records by state and deadline, and escalations by their state, so the inbox reads the
   * open actions past their deadline and the escalations still open, not every open action and
   * every escalation ever recorded
   */ {
    records: { indexes: { by_state_deadline: ['type', 'data.status', 'data.deadline'], by_escalation_state: ['type', 'data.state'] } },
  },
];
const DB_VERSION = VERSIONS.length;

let opening = null;

/** Opens (and on first use creates) the database; later calls share one connection. */
export function openDatabase() {
  opening ??= new Promise((resolve, reject) => {
    const request = indexedDB.open(DB_NAME, DB_VERSION);
    request.onupgradeneeded = (event) => {
      for (const { migrate, ...stores } of VERSIONS.slice(event.oldVersion)) {
        createStores(request.result, request.transaction, stores);
        migrate?.(request.transaction);
      }
    };
    request.onsuccess = () => {
      const db = request.result;
      // A newer version of the app wants to upgrade the schema: step aside for it.
      db.onversionchange = () => {
        db.close();
        opening = null;
      };
      resolve(db);
    };
    request.onerror = () => {
      opening = null;
      reject(request.error);
    };
  });
  return opening;
}

/** Creates a step's stores, or adds its indexes to a store an earlier step made (filled from its records). */
function createStores(db, upgrade, stores) {
  for (const [name, { keyPath, indexes = {} }] of Object.entries(stores)) {
    const store = db.objectStoreNames.contains(name)
      ? upgrade.objectStore(name) : db.createObjectStore(name, keyPath ? { keyPath } : undefined);
    for (const [indexName, indexPath] of Object.entries(indexes)) {
      if (!store.indexNames.contains(indexName)) store.createIndex(indexName, indexPath);
    }
  }
}

/** Gives each stored record of `type` its order key, within the upgrade's transaction. */
function addOrderKeys(records, type) {
  records.index('by_type').openCursor(IDBKeyRange.only(type)).onsuccess = (event) => {
    const cursor = event.target.result;
    if (!cursor) return;
    cursor.update(addOrderKey(cursor.value));
    cursor.continue();
  };
}

/** Resolves with an IDBRequest's result. */
export function requestResult(request) {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

/**
 * Runs `work(stores)` in one transaction and resolves with its result after the commit.
 * `work` may only await IndexedDB requests, or the transaction would close under it.
 */
export async function inTransaction(storeNames, mode, work) {
  const db = await openDatabase();
  const tx = db.transaction(storeNames, mode);
  const committed = new Promise((resolve, reject) => {
    tx.oncomplete = resolve;
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error ?? new DOMException('Transaction aborted', 'AbortError'));
  });
  const stores = Object.fromEntries(storeNames.map((name) => [name, tx.objectStore(name)]));
  let result;
  try {
    result = await work(stores);
  } catch (error) {
    try {
      tx.abort();
    } catch {
      // Already finished: nothing to undo.
    }
    await committed.catch(() => {});
    throw error;
  }
  await committed;
  return result;
}

/** Reads every value of a store, or of an index key range when `index` is given. */
export function readAll(storeName, { index, query } = {}) {
  return inTransaction([storeName], 'readonly', ({ [storeName]: store }) =>
    requestResult((index ? store.index(index) : store).getAll(query)),
  );
}
