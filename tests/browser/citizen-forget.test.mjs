// "Forget this phone": after it, the origin holds no local or session storage, no
// IndexedDB database, no Cache Storage, no service worker and no cookie.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startServer } from '../api/harness.mjs';
import { launch, phone, openApp, screen, shot, choose, tick, pickPlace, receiptShown, setLanguage, storageOf } from './citizen-lib.mjs';

let server, chrome;
before(async () => {
  server = await startServer();
  chrome = await launch();
});
after(async () => {
  await chrome?.close();
  await server?.stop();
});

async function question(page, text) {
  await page.click('a[data-kind="information"]');
  await screen(page, 'report');
  await pickPlace(page);
  await choose(page, 'service', '__other');
  await page.click('#next');
  await page.fill('textarea[data-field="text"]', text);
  await page.click('#next');
  await page.waitForSelector('[data-field="share_identity"]');
  await page.click('#send');
}

test('forget this phone leaves no storage, cache, service worker or cookie behind', async () => {
  const p = await phone(chrome.browser, server.url, { lang: 'en' });
  const { page, context } = p;
  await openApp(page, 'en');
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 20000 });
  // leave things behind: a kept receipt, Khmer digits, a remembered place, a report waiting
  await question(page, 'Which papers do I need for a birth certificate?');
  await receiptShown(page);
  await page.click('#keep');
  await page.waitForSelector('#kept');
  await page.click('#done');
  await screen(page, 'home');
  await page.click('#go-settings');
  await screen(page, 'settings');
  await tick(page, 'khmer_digits');
  await shot(page, 'settings');
  await setLanguage(page, 'km');
  await context.setOffline(true);
  await page.click('#brand');
  await screen(page, 'home');
  await question(page, 'ត្រូវការឯកសារអ្វីខ្លះ?');
  await screen(page, 'mine');
  await page.waitForSelector('[data-waiting]');
  await page.waitForSelector(`[data-case]`);
  await shot(page, 'mine-kept');

  const before = await storageOf(page);
  assert.ok(before.local >= 3, `local storage: ${before.local} items`);
  assert.deepEqual(before.databases, ['ourvoice-outbox']);
  assert.ok(before.caches.length >= 1, 'the service worker cached the app');
  assert.equal(before.workers, 1);

  // back online: the waiting report is sent, its receipt waits to be shown
  await context.setOffline(false);
  await page.waitForSelector('.notice-sent button', { timeout: 20000 });
  await page.goto('/#/settings');
  await screen(page, 'settings');
  await page.click('#forget');
  await page.waitForSelector('#forget-yes');
  await shot(page, 'forget-confirm');
  await page.click('#forget-yes');
  await page.waitForSelector('#forgotten');
  await shot(page, 'forgotten');

  const left = await storageOf(page);
  assert.deepEqual(left, { local: 0, session: 0, databases: [], caches: [], workers: 0, cookie: '' });
  assert.deepEqual(await context.cookies(), []);
  // moving around afterwards writes nothing again
  await page.click('#brand');
  await screen(page, 'home');
  await page.waitForTimeout(500);
  assert.deepEqual(await storageOf(page), left);
  p.assertNoErrors();
  await p.close();
});
