// The citizen app's first-visit budget (issue "The citizen app"): bytes on the wire before
// the first screen is usable, and the time to usable, on an emulated slow-3G phone
// (DevTools network throttling: 400 ms latency, 400 kbit/s down, 400 kbit/s up; CPU 4x
// slower). "Usable" = the four path links of the home screen are visible. Fonts excluded.
// Usage: node bench/citizen_budget.mjs URL → prints JSON {cold:{ms,bytes}, warm:{ms,bytes}}.
import { createRequire } from 'node:module';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const require = createRequire(new URL('../tests/package.json', import.meta.url));
const { chromium } = require('playwright-core');
const url = process.argv[2];
const profile = mkdtempSync(path.join(tmpdir(), 'ov-budget-'));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: '/usr/bin/chromium', headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true,
});

async function visit(page, cdp) {
  let bytes = 0;
  const fonts = new Set();
  const onResponse = (e) => { if (e.type === 'Font') fonts.add(e.requestId); };
  const onFinished = (e) => { if (!fonts.has(e.requestId)) bytes += e.encodedDataLength; };
  cdp.on('Network.responseReceived', onResponse);
  cdp.on('Network.loadingFinished', onFinished);
  const started = Date.now();
  await page.goto(url, { waitUntil: 'commit' });
  await page.waitForFunction(() => document.querySelectorAll('a.path').length === 4 &&
    [...document.querySelectorAll('a.path')].every((a) => a.offsetParent !== null), null, { timeout: 60000 });
  const ms = Date.now() - started;
  const usableBytes = bytes;
  cdp.off('Network.responseReceived', onResponse);
  cdp.off('Network.loadingFinished', onFinished);
  return { ms, bytes: usableBytes };
}

const page = context.pages()[0] || await context.newPage();
const cdp = await context.newCDPSession(page);
await cdp.send('Network.enable');
await cdp.send('Network.clearBrowserCache');
await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 400,
  downloadThroughput: 400 * 1024 / 8, uploadThroughput: 400 * 1024 / 8 });
await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
const cold = await visit(page, cdp);
await page.waitForTimeout(1500); // let the service worker finish caching the shell
const warm = await visit(page, cdp);
await context.close();
rmSync(profile, { recursive: true, force: true });
console.log(JSON.stringify({ cold, warm }));
