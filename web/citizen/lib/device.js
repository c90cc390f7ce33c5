// What the app keeps on this phone, and "forget this phone". Nothing is stored unless the
// citizen chose it (My reports), it is needed to send later (the offline queue, see
// outbox.js) or it is a preference (language, digits, the last place picked).
import { stopSaving } from '/common/i18n.js';

const MINE = 'ourvoice.mine';
const PLACE = 'ourvoice.place';
let forgotten = false;

export function isForgotten() {
  return forgotten;
}

function read(key, fallback) {
  try {
    const v = localStorage.getItem(key);
    return v ? JSON.parse(v) : fallback;
  } catch {
    return fallback;
  }
}

function write(key, value) {
  if (forgotten) return;
  try { localStorage.setItem(key, JSON.stringify(value)); } catch { /* storage may be full or off */ }
}

export function lastPlace() {
  const p = read(PLACE, null);
  return p && typeof p === 'object' ? p : {};
}

export function savePlace(place) {
  if (place && place.commune) write(PLACE, { province: place.province, district: place.district, commune: place.commune });
}

// My reports: [{receipt, case, kind, saved_at}], newest first.
export function myReports() {
  const list = read(MINE, []);
  return Array.isArray(list) ? list : [];
}

export function keepReport(report) {
  const list = myReports().filter((r) => r.receipt !== report.receipt);
  list.unshift({ receipt: report.receipt, case: report.case, kind: report.kind, saved_at: new Date().toISOString() });
  write(MINE, list);
}

export function isKept(receipt) {
  return myReports().some((r) => r.receipt === receipt);
}

export function removeReport(receipt) {
  const list = myReports().filter((r) => r.receipt !== receipt);
  if (list.length) write(MINE, list);
  else try { localStorage.removeItem(MINE); } catch { /* nothing kept */ }
}

// Removes everything the app stored on this phone: local and session storage, IndexedDB,
// Cache Storage, the service worker and any cookie a script can see. From then on, until
// the page is closed, nothing is written again.
export async function forget() {
  forgotten = true;
  stopSaving();
  const worker = navigator.serviceWorker && navigator.serviceWorker.controller;
  if (worker) worker.postMessage('forget');
  try {
    const outbox = await import('./outbox.js');
    outbox.close();
  } catch { /* not loaded */ }
  try { localStorage.clear(); } catch { /* storage off */ }
  try { sessionStorage.clear(); } catch { /* storage off */ }
  for (const c of document.cookie.split(';')) {
    const name = c.split('=')[0].trim();
    if (name) document.cookie = `${name}=; expires=Thu, 01 Jan 1970 00:00:00 GMT; path=/`;
  }
  if (navigator.serviceWorker) {
    const regs = await navigator.serviceWorker.getRegistrations();
    await Promise.all(regs.map((r) => r.unregister()));
  }
  await clearCaches();
  await clearDatabases();
  // a response the service worker was still caching may land after the first pass
  await new Promise((r) => setTimeout(r, 300));
  await clearCaches();
}

async function clearCaches() {
  if (!self.caches) return;
  for (const key of await caches.keys()) await caches.delete(key);
}

async function clearDatabases() {
  if (!self.indexedDB) return;
  let names = ['ourvoice-outbox'];
  if (indexedDB.databases) {
    try { names = (await indexedDB.databases()).map((d) => d.name); } catch { /* keep the known name */ }
  }
  await Promise.all(names.map((name) => new Promise((resolve) => {
    const req = indexedDB.deleteDatabase(name);
    req.onsuccess = req.onerror = req.onblocked = () => resolve();
  })));
}
