// The citizen app's budget (issue 4, "Budget"): what a first visit transfers before the
// first screen is usable, and how long until it is usable, on an emulated slow phone in
// Debian's Chromium (DevTools network presets and 4x CPU throttling); then a second visit
// with the service worker's copy. See bench/README.md.
//
//   node bench/citizen_budget.mjs URL            (bench/citizen_budget.sh starts a server)
//
// Environment: BENCH_CITIZEN_RUNS (default 3), BENCH_CITIZEN_PRESETS (default "3g,slow4g";
// the budget is judged on "3g"), CHROMIUM (default /usr/bin/chromium),
// BENCH_CITIZEN_WRITE=0 to print without writing bench/RESULTS.md, BENCH_CITIZEN_JSON=FILE
// to save every run's figures.
//
// "Usable": the four path links of the home screen (#view a.path[data-kind], see
// web/citizen/screens/home.js; web/citizen/index.html holds the same screen) are in the
// page, have a box, are not hidden, disabled, inert or inside an aria-busy region, and the
// language switch (#lang) is shown and enabled. The links are plain links and the page's
// inline script keeps a tap on the switch until app.js runs, so at that moment a tap works
// (tests/browser/citizen-app.test.mjs checks both). "App running": the app's modules have
// drawn their first screen (body[data-screen]; its forms work from then on). Each run then
// taps the switch and checks that the screen turns English (and back), and reports how long
// that took and what it transferred.
// Time: performance.now() in the page at the first animation frame where the condition
// holds, i.e. from the navigation's start. Bytes: the sum of Network.loadingFinished
// encodedDataLength (compressed body plus headers) of the responses that finished by then,
// fonts excluded, responses from the service worker excluded (they do not cross the network).
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(path.join(ROOT, 'tests', 'package.json'));
const { chromium } = require('playwright-core');
const PW_VERSION = require('playwright-core/package.json').version;

const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const RESULTS = path.join(ROOT, 'bench', 'RESULTS.md');
const START = '<!-- citizen:start -->';
const END = '<!-- citizen:end -->';

// Budget (issue 4).
const BUDGET_KB = 100;
const BUDGET_MS = 3000;
const BUDGET_PRESET = '3g';
const CPU_RATE = 4;

// DevTools' network presets, as ChromeDevTools/devtools-frontend defines them in
// front_end/core/sdk/NetworkManager.ts (throughput in bytes/s, latency in ms, applied by
// Chromium to every request). "3G" was called "Slow 3G" until DevTools renamed its presets
// in 2024; "Slow 4G" was "Fast 3G".
const PRESETS = {
  '3g': {
    label: '3G ("Slow 3G")',
    download: 500 * 1000 / 8 * 0.8, upload: 500 * 1000 / 8 * 0.8, latency: 400 * 5,
    connectionType: 'cellular3g',
  },
  slow4g: {
    label: 'Slow 4G ("Fast 3G")',
    download: 1.6 * 1000 * 1000 / 8 * 0.9, upload: 750 * 1000 / 8 * 0.9, latency: 150 * 3.75,
    connectionType: 'cellular4g',
  },
};

const TIMEOUT = 120000;

// What to close and remove if a signal comes (Playwright's own handlers are off, so that
// the browser's profile folder is removed too).
const live = { browser: null, profiles: new Set(), stopping: null };
function shutdown(signal) {
  live.stopping ??= stop(signal);
  return live.stopping;
}
// Chromium may still write to its profile while it shuts down: removes it until it stays
// gone for a moment (bounded).
async function removeProfile(dir) {
  for (let i = 0; i < 20; i++) {
    await rm(dir, { recursive: true, force: true }).catch(() => {});
    await new Promise((resolve) => { setTimeout(resolve, 250); });
    if (!existsSync(dir)) break;
  }
  live.profiles.delete(dir);
}
async function stop(signal) {
  try { if (live.browser) await live.browser.close(); } catch { /* already gone */ }
  for (const dir of [...live.profiles]) await removeProfile(dir);
  process.exit(signal === 'SIGINT' ? 130 : 143);
}
process.once('SIGINT', () => shutdown('SIGINT'));
process.once('SIGTERM', () => shutdown('SIGTERM'));
process.once('SIGHUP', () => shutdown('SIGHUP'));
const LAUNCH = { executablePath: CHROMIUM, headless: true, args: ARGS, handleSIGINT: false, handleSIGTERM: false, handleSIGHUP: false };

function die(msg) {
  console.error(`citizen_budget: ${msg}`);
  process.exit(2);
}

const url = process.argv[2];
if (!url || !/^http:\/\/127\.0\.0\.1:\d+\/$/.test(url)) die('usage: node bench/citizen_budget.mjs http://127.0.0.1:PORT/');
const RUNS = Number(process.env.BENCH_CITIZEN_RUNS || 3);
if (!Number.isInteger(RUNS) || RUNS < 1 || RUNS > 50) die('BENCH_CITIZEN_RUNS must be a whole number from 1 to 50');
const PRESET_KEYS = (process.env.BENCH_CITIZEN_PRESETS || '3g,slow4g').split(',').map((s) => s.trim()).filter(Boolean);
for (const k of PRESET_KEYS) if (!PRESETS[k]) die(`unknown preset ${k} (known: ${Object.keys(PRESETS).join(', ')})`);

// In the page: false, or performance.now() once the home screen is usable.
function usableNow() {
  const shown = (el) => {
    if (!el || el.hidden || el.disabled || el.getAttribute('aria-disabled') === 'true') return false;
    if (el.closest('[inert], [aria-busy="true"]')) return false;
    const box = el.getBoundingClientRect();
    if (box.width <= 0 || box.height <= 0) return false;
    const style = getComputedStyle(el);
    return style.visibility === 'visible' && style.pointerEvents !== 'none' && Number(style.opacity) > 0;
  };
  const paths = [...document.querySelectorAll('#view a.path[data-kind]')];
  if (paths.length !== 4 || !paths.every(shown)) return false;
  const lang = document.getElementById('lang');
  if (!shown(lang) || !lang.textContent.trim()) return false;
  return performance.now();
}

// Everything a page fetched, from the DevTools protocol.
function recorder(cdp) {
  const reqs = new Map();
  const get = (id) => {
    if (!reqs.has(id)) reqs.set(id, { id });
    return reqs.get(id);
  };
  cdp.on('Network.requestWillBeSent', (e) => {
    Object.assign(get(e.requestId), { url: e.request.url, type: e.type, start: e.timestamp, wall: e.wallTime });
  });
  cdp.on('Network.responseReceived', (e) => {
    Object.assign(get(e.requestId), {
      type: e.type, status: e.response.status,
      sw: !!e.response.fromServiceWorker, cache: !!(e.response.fromDiskCache || e.response.fromPrefetchCache),
    });
  });
  cdp.on('Network.loadingFinished', (e) => Object.assign(get(e.requestId), { end: e.timestamp, bytes: e.encodedDataLength }));
  cdp.on('Network.loadingFailed', (e) => Object.assign(get(e.requestId), { end: e.timestamp, bytes: 0, failed: e.errorText }));
  return {
    all: () => [...reqs.values()].filter((r) => r.url && !r.url.startsWith('data:')),
    inFlight: () => [...reqs.values()].filter((r) => r.url && r.end === undefined).length,
  };
}

const onWire = (r) => r.type !== 'Font' && !r.sw && r.end !== undefined;
const sum = (list) => list.reduce((s, r) => s + (r.bytes || 0), 0);

async function throttle(cdp, preset, { clearCache }) {
  await cdp.send('Network.enable');
  if (clearCache) await cdp.send('Network.clearBrowserCache');
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false, latency: preset.latency, downloadThroughput: preset.download,
    uploadThroughput: preset.upload, connectionType: preset.connectionType,
  });
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU_RATE });
}

// Waits until the page has had nothing in flight for quietMs (bounded).
async function quiet(page, rec, quietMs = 1500, limitMs = 60000) {
  const until = Date.now() + limitMs;
  let calmSince = Date.now();
  while (Date.now() < until) {
    if (rec.inFlight() > 0) calmSince = Date.now();
    else if (Date.now() - calmSince >= quietMs) return true;
    await page.waitForTimeout(100);
  }
  return false;
}

// One visit: navigates, waits until usable, then (optionally) tries the language switch.
async function visit(page, cdp, rec, target, { trySwitch }) {
  const wall0 = performance.now();
  await page.goto(target, { waitUntil: 'commit', timeout: TIMEOUT });
  // the app's own first screen, watched from the start
  const running = page.waitForFunction(() => document.body && document.body.dataset.screen && performance.now(),
    null, { polling: 'raf', timeout: TIMEOUT });
  running.catch(() => {}); // (awaited below)
  const handle = await page.waitForFunction(usableNow, null, { polling: 'raf', timeout: TIMEOUT });
  const usableMs = await handle.jsonValue();
  const wallMs = performance.now() - wall0;
  const timeOrigin = await page.evaluate(() => performance.timeOrigin);
  // The navigation's request gives the link between the protocol's monotonic clock
  // (timestamp, s) and the page's clock (timeOrigin, wall time in ms).
  const doc = rec.all().find((r) => r.type === 'Document' && r.url === target && r.wall);
  if (!doc) throw new Error('no navigation request recorded');
  const mono = (pageMs) => doc.start + (timeOrigin + pageMs - doc.wall * 1000) / 1000;
  const usableAt = mono(usableMs) + 0.001; // 1 ms of slack for rounding
  const before = rec.all().filter((r) => onWire(r) && r.end <= usableAt);
  const listed = (list) => list.map((r) => ({
    path: new URL(r.url).pathname, type: r.type, bytes: r.bytes,
    startMs: Math.round((r.start - doc.start) * 1000), endMs: Math.round((r.end - doc.start) * 1000),
  })).sort((a, b) => a.startMs - b.startMs || a.endMs - b.endMs);
  const out = {
    ms: usableMs, wallMs, bytes: sum(before), requests: before.length,
    fromWorker: rec.all().filter((r) => r.sw && r.end !== undefined && r.end <= usableAt).length,
    pending: rec.all().filter((r) => r.start <= usableAt && (r.end === undefined || r.end > usableAt)).length,
    list: listed(before),
  };
  const appMs = await (await running).jsonValue();
  const appAt = mono(appMs) + 0.001;
  const untilApp = rec.all().filter((r) => onWire(r) && r.end <= appAt);
  out.app = { ms: appMs, bytes: sum(untilApp), requests: untilApp.length, list: listed(untilApp) };
  if (trySwitch) {
    const title = () => page.textContent('.path-complaint .path-title');
    const km = await title();
    const ids = new Set(rec.all().map((r) => r.id));
    await page.evaluate(() => {
      document.getElementById('lang').addEventListener('click', () => { window.benchClickAt = performance.now(); },
        { capture: true, once: true });
    });
    await page.click('#lang', { timeout: TIMEOUT });
    const doneMs = await (await page.waitForFunction((was) => {
      const view = document.getElementById('view');
      const t = document.querySelector('.path-complaint .path-title');
      return document.documentElement.lang === 'en' && document.body.dataset.screen === 'home' &&
        !view.hasAttribute('aria-busy') && t && t.textContent !== was && /^[\x20-\x7e]+$/.test(t.textContent) &&
        performance.now();
    }, km, { polling: 'raf', timeout: TIMEOUT })).jsonValue();
    const clickMs = await page.evaluate(() => window.benchClickAt);
    const doneAt = mono(doneMs) + 0.001;
    const during = rec.all().filter((r) => !ids.has(r.id) && onWire(r) && r.end <= doneAt);
    out.switch = { ms: doneMs - clickMs, bytes: sum(during), requests: during.length };
    // and back to Khmer, so the language remembered for the next visit is the default
    await page.click('#lang', { timeout: TIMEOUT });
    await page.waitForFunction((was) => document.documentElement.lang === 'km' &&
      !document.getElementById('view').hasAttribute('aria-busy') &&
      document.querySelector('.path-complaint .path-title')?.textContent === was, km, { timeout: TIMEOUT });
  }
  return out;
}

async function runOnce(target, presetKey) {
  const preset = PRESETS[presetKey];
  const profile = await mkdtemp(path.join(os.tmpdir(), 'ourvoice-citizen-budget-'));
  live.profiles.add(profile);
  let context = null;
  const errors = [];
  try {
    // a fresh user-data-dir for every run: no HTTP cache, no service worker, no storage
    context = await chromium.launchPersistentContext(profile, {
      ...LAUNCH,
      viewport: { width: 360, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true,
      locale: 'km-KH', timezoneId: 'Asia/Phnom_Penh',
    });
    live.browser = context;
    const watch = (page) => {
      page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
      page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    };

    // first visit: empty cache
    const page = context.pages()[0] || await context.newPage();
    watch(page);
    const cdp = await context.newCDPSession(page);
    const rec = recorder(cdp);
    await throttle(cdp, preset, { clearCache: true });
    const cold = await visit(page, cdp, rec, target, { trySwitch: true });
    // the service worker installs after the page's load event (it fetches the app's files
    // for offline use); the second visit needs it active
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: TIMEOUT });
    await quiet(page, rec);
    cold.total = { bytes: sum(rec.all().filter(onWire)), requests: rec.all().filter(onWire).length };
    await cdp.detach();
    await page.close();

    // second visit: a new tab, same profile (HTTP cache and service worker kept)
    const page2 = await context.newPage();
    watch(page2);
    const cdp2 = await context.newCDPSession(page2);
    const rec2 = recorder(cdp2);
    await throttle(cdp2, preset, { clearCache: false });
    const warm = await visit(page2, cdp2, rec2, target, { trySwitch: false });
    await cdp2.detach();
    await page2.close();
    return { preset: presetKey, cold, warm, errors };
  } finally {
    if (context) await context.close().catch(() => {});
    live.browser = null;
    if (!live.stopping) await removeProfile(profile); // else stop() removes it
  }
}

// ---- runs ----

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const kb = (b) => (b / 1024).toFixed(1);
const sec = (ms) => (ms / 1000).toFixed(2);

const version = await (async () => {
  const b = await chromium.launch(LAUNCH);
  live.browser = b;
  try { return b.version(); } finally { await b.close(); live.browser = null; }
})();

// the machine's load around the runs (the CPU-bound part of the figures depends on it)
const loadavg = async () => (await readFile('/proc/loadavg', 'utf8').catch(() => '?')).split(' ')[0];
const loadBefore = await loadavg();
const results = {};
for (const key of PRESET_KEYS) {
  results[key] = [];
  for (let i = 1; i <= RUNS; i++) {
    let r;
    try {
      r = await runOnce(url, key);
    } catch (e) {
      if (live.stopping) await live.stopping; // a signal closed the browser: exits from there
      throw e;
    }
    results[key].push(r);
    console.error(`citizen_budget: ${key} run ${i}/${RUNS}: first visit usable at ${sec(r.cold.ms)} s ` +
      `(wall clock around goto ${sec(r.cold.wallMs)} s), ${kb(r.cold.bytes)} KB in ${r.cold.requests} responses; ` +
      `app running at ${sec(r.cold.app.ms)} s; ` +
      `language switch ${sec(r.cold.switch.ms)} s, ${kb(r.cold.switch.bytes)} KB; whole first visit ` +
      `${kb(r.cold.total.bytes)} KB; second visit ${sec(r.warm.ms)} s, ${kb(r.warm.bytes)} KB` +
      (r.errors.length ? `; ERRORS: ${r.errors.join(' | ')}` : ''));
  }
}
if (process.env.BENCH_CITIZEN_JSON) await writeFile(process.env.BENCH_CITIZEN_JSON, JSON.stringify(results, null, 2));

// ---- report ----

const loadAfter = await loadavg();
const cpuinfo = await readFile('/proc/cpuinfo', 'utf8').catch(() => '');
const cpuModel = (cpuinfo.match(/^model name\s*:\s*(.+)$/m) || [])[1] || 'unknown CPU';
const date = new Date().toISOString().replace(/T(\d\d:\d\d).*/, ' $1 UTC');
const mbit = (bytesPerS) => `${Math.round(bytesPerS * 8 / 1000)} kbit/s`;

const rows = [];
const switchRows = [];
let budget = null;
for (const key of PRESET_KEYS) {
  const rs = results[key];
  const p = PRESETS[key];
  const m = (f) => median(rs.map(f));
  const cold = { ms: m((r) => r.cold.ms), bytes: m((r) => r.cold.bytes), n: m((r) => r.cold.requests), total: m((r) => r.cold.total.bytes),
    app: m((r) => r.cold.app.ms), appKb: m((r) => r.cold.app.bytes) };
  const warm = { ms: m((r) => r.warm.ms), bytes: m((r) => r.warm.bytes), n: m((r) => r.warm.requests), sw: m((r) => r.warm.fromWorker),
    app: m((r) => r.warm.app.ms) };
  const sw = { ms: m((r) => r.cold.switch.ms), bytes: m((r) => r.cold.switch.bytes) };
  const errs = rs.reduce((s, r) => s + r.errors.length, 0);
  let verdict = '';
  if (key === BUDGET_PRESET) {
    const okKb = cold.bytes <= BUDGET_KB * 1024;
    const okMs = cold.ms < BUDGET_MS;
    verdict = `≤ ${BUDGET_KB} KB: **${okKb ? 'PASS' : 'MISS'}** · < ${BUDGET_MS / 1000} s: **${okMs ? 'PASS' : 'MISS'}**`;
    // the run whose time is the median, for the list of what it fetched
    const byTime = [...rs].sort((a, b) => a.cold.ms - b.cold.ms);
    budget = { okKb, okMs, cold, run: byTime[Math.floor((byTime.length - 1) / 2)] };
  }
  const all = rs.map((r) => sec(r.cold.ms)).join(', ');
  rows.push(`| ${p.label} | first (empty cache) | ${kb(cold.bytes)} | ${cold.n} | **${sec(cold.ms)} s** (${all}) | ${sec(cold.app)} s (${kb(cold.appKb)} KB) | ${kb(cold.total)} | ${verdict || 'not the budget\'s network'} |`);
  rows.push(`| ${p.label} | again (service worker) | ${kb(warm.bytes)} | ${warm.n} (+${warm.sw} from the worker) | ${sec(warm.ms)} s | ${sec(warm.app)} s | | |`);
  switchRows.push(`| ${p.label} | ${sec(sw.ms)} s | ${kb(sw.bytes)} |`);
  if (errs) rows.push(`| ${p.label} | ${errs} console or page errors: figures suspect | | | | | | |`);
}

const usableEnd = budget ? budget.run.cold.ms : 0;
const chain = budget ? budget.run.cold.app.list.map((r) =>
  `| \`${r.path}\`${r.endMs <= usableEnd ? ' (before usable)' : ''} | ${r.type} | ${kb(r.bytes)} | ${r.startMs} | ${r.endMs} |`).join('\n') : '';

const presetsText = PRESET_KEYS.map((k) => {
  const p = PRESETS[k];
  return `- ${p.label}: ${p.latency} ms added to every request, ${mbit(p.download)} down, ${mbit(p.upload)} up`;
}).join('\n');

const section = `${START}
## Citizen app: first visit on a slow phone

${date} · ${os.cpus().length} CPUs · ${cpuModel} · Chromium ${version} (Debian, headless),
playwright-core ${PW_VERSION} · \`bench/citizen_budget.sh\` on loopback, fresh demo database ·
median of ${RUNS} runs per network, each in a new profile · load average (1 min) ${loadBefore}
before the runs, ${loadAfter} after.

Phone: 360×740 mobile viewport (touch, device scale 2), Khmer, CPU 4× slower
(\`Emulation.setCPUThrottlingRate\`). Networks: DevTools' presets
(\`Network.emulateNetworkConditions\`):
${presetsText}

"Usable" = the home screen's four path links (\`#view a.path[data-kind]\`) are shown, not
disabled or busy, and the language switch (\`#lang\`) is shown and enabled; time from the
navigation's start (\`performance.now()\`); bytes = compressed responses (headers included)
finished by then, fonts excluded. Budget (issue 4): at most ${BUDGET_KB} KB and under
${BUDGET_MS / 1000} s on the 3G preset. "App running" = the app's modules have drawn their
first screen (\`body[data-screen]\`): from then on its forms work too (before, the home
screen of the page itself is shown, and a tap on its links or its language switch is kept
for the app).

| network | visit | KB until usable | responses | time to usable (runs) | app running | KB whole visit | budget |
|---|---|---:|---:|---:|---:|---:|---|
${rows.join('\n')}

On the 3G preset every request waits ${PRESETS['3g'].latency} ms before its first byte, so the time to usable
is about that much per round of requests that waits for the one before, plus transfer and CPU
time (see bench/README.md, "Reading the figures").

"KB whole visit": everything the page fetched until the network was quiet (the service
worker's own downloads, which fill its cache with both catalogues and every screen, are
not seen by the page and not counted). Then a tap on the language switch (once the app was
running) until the home screen is in English:

| network | time | KB |
|---|---:|---:|
${switchRows.join('\n')}
${budget ? `
What the first visit fetched until the app was running (3G, the median run; ms from the
navigation's start; usable at ${sec(usableEnd)} s;
"asked" is when the page asked for it, after which a request may wait for one of the 6
connections Chromium opens to a host over HTTP/1.1, and then for the preset's latency):

| response | type | KB | asked | finished |
|---|---|---:|---:|---:|
${chain}
` : ''}${END}`;

console.log(section.split('\n').filter((l) => l !== START && l !== END).join('\n'));

if (process.env.BENCH_CITIZEN_WRITE !== '0') {
  // Replace only this section (between the markers), keep the rest; append if missing.
  let text = '';
  try { text = await readFile(RESULTS, 'utf8'); } catch { text = '# Benchmark results\n\nWritten by the benchmarks in bench/ (see bench/README.md).\n'; }
  const a = text.indexOf(START);
  const b = a >= 0 ? text.indexOf(END, a) : -1;
  const next = a >= 0 && b >= 0 ? text.slice(0, a) + section + text.slice(b + END.length)
    : `${text.replace(/\n*$/, '\n')}\n${section}\n`;
  const tmp = `${RESULTS}.tmp.${process.pid}`;
  await writeFile(tmp, next);
  await rename(tmp, RESULTS);
  console.error(`citizen_budget: wrote ${path.relative(process.cwd(), RESULTS) || RESULTS}`);
}
