// Offline: the app opens with no connection (service worker), a report made offline is
// kept on the phone (IndexedDB) and listed as waiting, then sent by itself when the
// connection returns, and its receipt is shown.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startServer, trackSession, track } from '../api/harness.mjs';
import { launch, phone, openApp, screen, shot, choose, pickPlace, receiptShown, setLanguage } from './citizen-lib.mjs';

let server, chrome;
before(async () => {
  server = await startServer();
  chrome = await launch();
});
after(async () => {
  await chrome?.close();
  await server?.stop();
});

test('a report made offline waits on the phone and is sent when the connection returns', async () => {
  const p = await phone(chrome.browser, server.url);
  const { page, context } = p;
  await openApp(page, 'km');
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 20000 });
  // seen once online: the place and its services
  await page.click('a[data-kind="complaint"]');
  await screen(page, 'report');
  await pickPlace(page);
  await page.click('#brand');
  await screen(page, 'home');

  await context.setOffline(true);
  await page.reload();
  await screen(page, 'home');
  await page.waitForSelector('.notice-offline');
  await shot(page, 'offline-home');
  await page.click('a[data-kind="complaint"]');
  await screen(page, 'report');
  // the remembered place and the services come from the phone
  await page.waitForFunction(() => document.querySelector('select[name="commune"]').value === '120101');
  await choose(page, 'service', 'cert-copy');
  await page.click('#next');
  await page.fill('textarea[data-field="text"]', 'គ្មានអ៊ីនធឺណិតនៅភូមិខ្ញុំទេ។ បុគ្គលិកសុំលុយបន្ថែម។');
  await page.click('#next');
  await page.waitForSelector('[data-field="share_identity"]');
  await page.click('#send');
  await screen(page, 'mine');
  await page.waitForSelector('#queued');
  await page.waitForSelector('[data-waiting]');
  await page.waitForSelector('.notice-waiting');
  assert.equal(await page.locator('[data-waiting]').count(), 1);
  await shot(page, 'mine-waiting');
  const stored = await page.evaluate(async () => (await indexedDB.databases()).map((d) => d.name));
  assert.deepEqual(stored, ['ourvoice-outbox']);

  await context.setOffline(false);
  await page.waitForSelector('.notice-sent button', { timeout: 20000 });
  await shot(page, 'mine-sent');
  await page.click('.notice-sent button');
  const receipt = await receiptShown(page);
  await shot(page, 'receipt-offline');
  const res = await track(server.url, await trackSession(server.url, receipt));
  const doc = await res.json();
  assert.equal(doc.office.code, 'C-120101');
  assert.equal(doc.service, 'cert-copy');
  assert.ok(doc.made_at <= doc.created_at, `made ${doc.made_at}, received ${doc.created_at}`);
  // nothing waits any more, and the answer was removed once shown
  const left = await page.evaluate(async () => {
    const db = await new Promise((resolve) => { const r = indexedDB.open('ourvoice-outbox'); r.onsuccess = () => resolve(r.result); });
    const count = (store) => new Promise((resolve) => { const r = db.transaction(store).objectStore(store).count(); r.onsuccess = () => resolve(r.result); });
    const out = { waiting: await count('waiting'), sent: await count('sent') };
    db.close();
    return out;
  });
  assert.deepEqual(left, { waiting: 0, sent: 0 });
  assert.equal(await page.locator('.notice-waiting').count(), 0);
  p.assertNoErrors();
  await p.close();
});
