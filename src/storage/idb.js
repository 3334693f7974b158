// A small promise API over IndexedDB for the app's drafts: one database, a few object stores
// of JSON strings keyed by string. Kept in JS because IndexedDB's event API is awkward to
// drive from Rust, and this file is all of it.
const DATABASE = "flowsmith";
const VERSION = 1;
const STORES = ["drafts", "session"];

let opening = null;

function open() {
  if (opening) return opening;
  opening = new Promise((resolve, reject) => {
    if (!globalThis.indexedDB) {
      reject(new Error("this browser has no IndexedDB (private mode?): drafts cannot be kept"));
      return;
    }
    const request = indexedDB.open(DATABASE, VERSION);
    request.onupgradeneeded = () => {
      for (const store of STORES) {
        if (!request.result.objectStoreNames.contains(store)) request.result.createObjectStore(store);
      }
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
    request.onblocked = () => reject(new Error("the drafts database is blocked by another tab; close it and reload"));
  });
  opening.catch(() => {
    opening = null;
  });
  return opening;
}

function run(store, mode, operation) {
  return open().then(
    (db) =>
      new Promise((resolve, reject) => {
        const transaction = db.transaction(store, mode);
        const request = operation(transaction.objectStore(store));
        transaction.oncomplete = () => resolve(request.result);
        transaction.onerror = () => reject(transaction.error || request.error);
        transaction.onabort = () => reject(transaction.error || new Error("the write was aborted (is the disk full?)"));
      }),
  );
}

/** Stores a string under `key`. */
export function idbPut(store, key, value) {
  return run(store, "readwrite", (objects) => objects.put(value, key)).then(() => undefined);
}

/** The string under `key`, or undefined. */
export function idbGet(store, key) {
  return run(store, "readonly", (objects) => objects.get(key));
}

/** Removes `key`. */
export function idbDelete(store, key) {
  return run(store, "readwrite", (objects) => objects.delete(key)).then(() => undefined);
}

/** Every string of the store, in key order. */
export function idbAll(store) {
  return run(store, "readonly", (objects) => objects.getAll());
}
