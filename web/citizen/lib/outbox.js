// Submissions made without a connection, kept in IndexedDB until they can be sent, and
// the answers (receipts) of those sent later, kept only until the citizen has seen them.
import { api } from '/common/api.js';

const DB = 'ourvoice-outbox';
let opening = null;

// Whether the database exists (so that looking does not create it).
export async function exists() {
  if (closed) return false;
  if (opening) return true;
  if (!self.indexedDB) return false;
  if (!indexedDB.databases) return true;
  try {
    return (await indexedDB.databases()).some((d) => d.name === DB);
  } catch {
    return true;
  }
}

let closed = false;

function open() {
  if (closed) return Promise.reject(new Error('this phone was forgotten'));
  if (!opening) {
    opening = new Promise((resolve, reject) => {
      const req = indexedDB.open(DB, 1);
      req.onupgradeneeded = () => {
        req.result.createObjectStore('waiting', { keyPath: 'id', autoIncrement: true });
        req.result.createObjectStore('sent', { keyPath: 'id', autoIncrement: true });
      };
      req.onsuccess = () => {
        const db = req.result;
        db.onversionchange = () => { db.close(); opening = null; };
        resolve(db);
      };
      req.onerror = () => { opening = null; reject(req.error); };
    });
  }
  return opening;
}

// For good: after "forget this phone" the database is not opened (so not made) again.
export function close() {
  closed = true;
  if (!opening) return;
  opening.then((db) => db.close(), () => {});
  opening = null;
}

async function run(stores, mode, fn) {
  const db = await open();
  return new Promise((resolve, reject) => {
    const tx = db.transaction(stores, mode);
    let result;
    Promise.resolve(fn(tx)).then((r) => { result = r; }, reject);
    tx.oncomplete = () => resolve(result);
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error);
  });
}

function all(store) {
  return new Promise((resolve, reject) => {
    const req = store.getAll();
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

// Keeps a submission (its API body, with made_at) to send later → its id.
export function add(body) {
  return run(['waiting'], 'readwrite', (tx) => new Promise((resolve) => {
    const req = tx.objectStore('waiting').add({ body, kind: body.kind, made_at: body.made_at, failed: null });
    req.onsuccess = () => resolve(req.result);
  }));
}

export async function waiting() {
  if (!(await exists())) return [];
  return run(['waiting'], 'readonly', (tx) => all(tx.objectStore('waiting')));
}

export async function sent() {
  if (!(await exists())) return [];
  return run(['sent'], 'readonly', (tx) => all(tx.objectStore('sent')));
}

export function remove(id) {
  return run(['waiting'], 'readwrite', (tx) => { tx.objectStore('waiting').delete(id); });
}

// The answer of a submission sent later, removed from the phone as it is shown.
export function takeSent(id) {
  return run(['sent'], 'readwrite', (tx) => new Promise((resolve) => {
    const store = tx.objectStore('sent');
    const req = store.get(id);
    req.onsuccess = () => {
      store.delete(id);
      resolve(req.result || null);
    };
  }));
}

async function sendAll() {
  let count = 0;
  for (const item of await waiting()) {
    if (item.failed) continue;
    let answer;
    try {
      answer = await api('/api/v1/feedback', { method: 'POST', body: item.body });
    } catch (e) {
      if (e.transient) break; // no connection, or the server is busy: try again later
      item.failed = e.body; // refused as it is: the citizen sees why and may delete it
      await run(['waiting'], 'readwrite', (tx) => { tx.objectStore('waiting').put(item); });
      continue;
    }
    await run(['waiting', 'sent'], 'readwrite', (tx) => {
      tx.objectStore('waiting').delete(item.id);
      tx.objectStore('sent').add({ answer, kind: item.kind, made_at: item.made_at });
    });
    count++;
  }
  return count;
}

// Sends what is waiting, one tab at a time → how many were sent.
export async function flush() {
  if (!(await exists())) return 0;
  if (navigator.locks) return navigator.locks.request('ourvoice-outbox', sendAll);
  return sendAll();
}
