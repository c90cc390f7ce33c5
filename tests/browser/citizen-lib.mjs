// Shared helpers of the citizen app's browser tests: Debian's Chromium through
// playwright-core on a 360×740 phone screen, against a real `ourvoice serve` (see
// ../api/harness.mjs), with every console error and page error collected, the width of
// every screen checked and a screenshot of each screen saved under
// artifacts/screenshots/citizen/.
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { REPO } from '../api/harness.mjs';

export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
export const SHOTS = path.join(REPO, 'artifacts', 'screenshots', 'citizen');
export const AREA = { province: '12', district: '1201', commune: '120101' };

const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  // a fake microphone for the voice message
  '--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream'];

/**
 * Launches Chromium. Playwright gives each launch a fresh profile folder of its own (it
 * refuses --user-data-dir) and removes it on close. Resolves {browser, close()}.
 */
export async function launch() {
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  await mkdir(SHOTS, { recursive: true });
  return { browser, close: () => browser.close() };
}

/**
 * A fresh phone: a new context (no storage) and a page, with its console errors and page
 * errors collected in `errors`. allow(message) → true for an expected one (e.g. the
 * browser's own line for an API answer that the test asked for on purpose);
 * serviceWorkers: 'block' to keep the service worker out (Playwright's option).
 */
export async function phone(browser, base, { lang = 'km', allow = () => false, serviceWorkers = 'allow' } = {}) {
  const context = await browser.newContext({
    viewport: { width: 360, height: 740 }, deviceScaleFactor: 1, hasTouch: true, isMobile: true,
    locale: lang === 'km' ? 'km-KH' : 'en-GB', baseURL: base, acceptDownloads: true, serviceWorkers,
  });
  await context.grantPermissions(['microphone', 'clipboard-read', 'clipboard-write'], { origin: base });
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`);
    });
  });
  const page = await context.newPage();
  const errors = [];
  const state = { allow };
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    const text = `${m.text()} @ ${m.location().url || ''}`;
    if (!state.allow(text)) errors.push(text);
  });
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.setDefaultTimeout(15000);
  return {
    context, page, errors,
    allow(fn) { state.allow = fn; },
    async close() {
      await context.close();
    },
    assertNoErrors() {
      assert.deepEqual(errors, [], `console or page errors:\n${errors.join('\n')}`);
    },
  };
}

/** The browser's own line for a failed request to path (to be allowed when expected). */
export function failedLoad(pathPart, status) {
  return (text) => text.startsWith('Failed to load resource') && (!status || text.includes(`status of ${status}`)) &&
    text.includes(pathPart);
}

/** Opens the app and waits for the first screen, in `lang` (switching if needed). */
export async function openApp(page, lang = 'km') {
  await page.goto('/');
  await page.waitForSelector('body[data-screen="home"]');
  await setLanguage(page, lang);
}

export async function setLanguage(page, lang) {
  if ((await page.getAttribute('html', 'lang')) !== lang) {
    await page.click('#lang');
    await page.waitForFunction((l) => document.documentElement.lang === l, lang);
    await settle(page);
  }
}

export async function settle(page) {
  await page.waitForFunction(() => !document.getElementById('view').hasAttribute('aria-busy'));
}

export async function screen(page, name) {
  await page.waitForSelector(`body[data-screen="${name}"]`);
  await settle(page);
}

async function shotOne(page, name) {
  await settle(page);
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  const lang = await page.getAttribute('html', 'lang');
  assert.ok(width <= 360, `${name} (${lang}) is ${width} px wide`);
  await page.screenshot({ path: path.join(SHOTS, `${name}-${lang}.png`), fullPage: true });
}

/**
 * For the screen as it is, in both languages (switching and back): asserts it has no
 * horizontal scroll at 360 px and saves a full-page screenshot, NAME-km.png and NAME-en.png.
 */
export async function shot(page, name) {
  const lang = await page.getAttribute('html', 'lang');
  await shotOne(page, name);
  await setLanguage(page, lang === 'km' ? 'en' : 'km');
  await shotOne(page, name);
  await setLanguage(page, lang);
}

/** Clicks the label of a radio button or check box (the input itself is hidden). */
export async function choose(page, group, value) {
  await page.click(`[data-field="${group}"] input[data-value="${value}"] + label`);
}

export async function tick(page, name) {
  await page.click(`input[data-field="${name}"] + label`);
}

/** Picks the place with the three selects. */
export async function pickPlace(page, area = AREA) {
  await page.selectOption('select[name="province"]', area.province);
  await page.waitForSelector(`select[name="district"] option[value="${area.district}"]`, { state: 'attached' });
  await page.selectOption('select[name="district"]', area.district);
  await page.waitForSelector(`select[name="commune"] option[value="${area.commune}"]`, { state: 'attached' });
  await page.selectOption('select[name="commune"]', area.commune);
  await page.waitForSelector('[data-field="service"]');
}

/** Picks the place by searching its name and clicking the result. */
export async function searchPlace(page, text, code) {
  await page.fill('input[data-field="place-search"]', text);
  await page.click(`button.result[data-code="${code}"]`);
  await page.waitForFunction((c) => document.querySelector('select[name="commune"]').value === c, code.slice(0, 6));
  await page.waitForSelector('[data-field="service"]');
}

/** A large PNG (width × height) made by the browser, as a file for setInputFiles. */
export async function bigPhoto(page, width = 2400, height = 1800) {
  const b64 = await page.evaluate(([w, h]) => {
    const c = document.createElement('canvas');
    c.width = w;
    c.height = h;
    const g = c.getContext('2d');
    const grad = g.createLinearGradient(0, 0, w, h);
    grad.addColorStop(0, '#c33');
    grad.addColorStop(1, '#36c');
    g.fillStyle = grad;
    g.fillRect(0, 0, w, h);
    g.fillStyle = '#fff';
    g.font = '200px sans-serif';
    g.fillText('OV', w / 3, h / 2);
    return c.toDataURL('image/png').split(',')[1];
  }, [width, height]);
  return { name: 'photo.png', mimeType: 'image/png', buffer: Buffer.from(b64, 'base64') };
}

/** The receipt shown on the receipt screen (digits and dashes). */
export async function receiptShown(page) {
  await screen(page, 'receipt');
  const r = await page.getAttribute('#receipt-code', 'data-receipt');
  assert.match(r, /^\d{4}-\d{4}-\d{4}-\d{4}$/);
  return r;
}

/** Every kind of storage the page's origin holds. */
export async function storageOf(page) {
  return page.evaluate(async () => ({
    local: localStorage.length,
    session: sessionStorage.length,
    databases: (await indexedDB.databases()).map((d) => d.name),
    caches: await caches.keys(),
    workers: (await navigator.serviceWorker.getRegistrations()).length,
    cookie: document.cookie,
  }));
}
