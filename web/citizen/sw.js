// The citizen app's service worker: keeps the app's files so that it opens with no
// connection, and the public places and services lists last seen (for reports made
// offline). It handles nothing else: API calls with a case, and the staff and dashboard
// apps, go to the network untouched.
const VERSION = 'v2';
const SHELL_CACHE = `ourvoice-shell-${VERSION}`;
const DATA_CACHE = 'ourvoice-data';
const SHELL = [
  '/',
  '/app.js',
  '/manifest.webmanifest',
  '/icons/icon.svg',
  '/icons/icon-192.png',
  '/icons/icon-512.png',
  '/icons/maskable-512.png',
  '/screens/home.js',
  '/screens/report.js',
  '/screens/receipt.js',
  '/screens/track.js',
  '/screens/mine.js',
  '/screens/settings.js',
  '/lib/device.js',
  '/lib/form.js',
  '/lib/media.js',
  '/lib/outbox.js',
  '/lib/places.js',
  '/lib/pow.js',
  '/common/api.js',
  '/common/dom.js',
  '/common/i18n.js',
  '/common/i18n/km.json',
  '/common/i18n/en.json',
];
const SHELL_PATHS = new Set(SHELL);
let forgotten = false;

self.addEventListener('install', (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(SHELL_CACHE);
    await cache.addAll(SHELL);
    try {
      const data = await caches.open(DATA_CACHE);
      await data.add('/api/v1/areas');
    } catch { /* the provinces are fetched again later */ }
    await self.skipWaiting();
  })());
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    for (const key of await caches.keys()) {
      if (key.startsWith('ourvoice-shell-') && key !== SHELL_CACHE) await caches.delete(key);
    }
    await self.clients.claim();
  })());
});

// "Forget this phone": from now on nothing is cached again.
self.addEventListener('message', (event) => {
  if (event.data === 'forget') forgotten = true;
});

function isData(url) {
  return url.pathname === '/api/v1/areas' || url.pathname.startsWith('/api/v1/areas/') ||
    url.pathname === '/api/v1/services';
}

self.addEventListener('fetch', (event) => {
  const req = event.request;
  if (req.method !== 'GET' || forgotten) return;
  const url = new URL(req.url);
  if (url.origin !== self.location.origin) return;
  if (req.mode === 'navigate') {
    if (url.pathname === '/' || url.pathname === '/index.html') event.respondWith(shell('/', event));
    return;
  }
  if (SHELL_PATHS.has(url.pathname) && !url.search) event.respondWith(shell(url.pathname, event));
  else if (isData(url)) event.respondWith(data(req));
});

// Whether a request comes from the citizen app (the staff console and the dashboard share
// /common/ and this worker's scope, but get their files from the network as usual).
async function fromOtherApp(event) {
  if (!event.clientId) return false;
  const client = await self.clients.get(event.clientId);
  if (!client) return false;
  const { pathname } = new URL(client.url);
  return pathname !== '/' && pathname !== '/index.html';
}

// The app's files: from the cache at once, refreshed from the network for next time.
async function shell(path, event) {
  if (event.request.mode !== 'navigate' && await fromOtherApp(event)) return fetch(event.request);
  const cache = await caches.open(SHELL_CACHE);
  const hit = await cache.match(path);
  const fresh = fetch(path, { credentials: 'same-origin' }).then(async (res) => {
    if (res.ok && !forgotten) await cache.put(path, res.clone());
    return res;
  });
  if (hit) {
    event.waitUntil(fresh.catch(() => {}));
    return hit;
  }
  return fresh;
}

// Public lists: from the network, or the last copy when there is no connection.
async function data(req) {
  const cache = await caches.open(DATA_CACHE);
  try {
    const res = await fetch(req);
    if (res.ok && !forgotten) await cache.put(req.url, res.clone());
    return res;
  } catch (e) {
    const hit = await cache.match(req.url, { ignoreVary: true });
    if (hit) return hit;
    throw e;
  }
}
