/** IndexedDB schema for the device and the promise helpers every store module uses. */

const DB_NAME = 'gridline';
const DB_VERSION = 1;

/** Object stores: key path (none = out-of-line keys) and indexes. */
const SCHEMA = {
  records: { keyPath: ['type', 'id'], indexes: { by_type: 'type' } },
  outbox: { keyPath: 'mid', indexes: { by_record: ['type', 'id'] } },
  meta: {},
  pending_blobs: { keyPath: 'sha256' },
  rejected: { keyPath: 'key' },
  conflicts: { keyPath: 'key' },
  imported: { keyPath: ['source_client_id', 'source_mid'] },
};

let opening = null;

/** Opens (and on first use creates) the database; later calls share one connection. */
export function openDatabase() {
  opening ??= new Promise((resolve, reject) => {
    const request = indexedDB.open(DB_NAME, DB_VERSION);
    request.onupgradeneeded = () => createStores(request.result);
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

function createStores(db) {
  for (const [name, { keyPath, indexes = {} }] of Object.entries(SCHEMA)) {
    if (db.objectStoreNames.contains(name)) continue;
    const store = db.createObjectStore(name, keyPath ? { keyPath } : undefined);
    for (const [indexName, indexPath] of Object.entries(indexes)) store.createIndex(indexName, indexPath);
  }
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
