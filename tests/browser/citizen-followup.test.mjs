// Following up a report with its receipt on a phone: the staff's message (made through the
// API) is seen, the citizen replies with a photo, rates the answer, appeals; a wrong
// receipt gets its error in the user's language; and the proof of work is done by the
// phone when the server asks for it.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { REPO, startServer, submitFeedback, signIn, trackSession, track } from '../api/harness.mjs';
import { launch, phone, openApp, screen, shot, choose, bigPhoto, failedLoad, setLanguage, settle } from './citizen-lib.mjs';

const catalogue = async (lang) => JSON.parse(await readFile(path.join(REPO, 'web', 'common', 'i18n', `${lang}.json`), 'utf8'));
const khmerDigits = (s) => s.replace(/[0-9]/g, (d) => String.fromCharCode(0x17e0 + Number(d)));

let server, chrome, km, en;
before(async () => {
  server = await startServer();
  chrome = await launch();
  [km, en] = await Promise.all([catalogue('km'), catalogue('en')]);
});
after(async () => {
  await chrome?.close();
  await server?.stop();
});

async function openReceipt(page, receipt) {
  await page.click('#go-track');
  await screen(page, 'track');
  await page.fill('input[data-field="receipt"]', receipt);
  await page.click('#track-open');
}

describe('following up with the receipt', () => {
  test('see the office message, reply with a photo, rate the answer, appeal', async () => {
    const sub = await submitFeedback(server.url, {
      kind: 'complaint', area: '120101', service: 'cert-copy', language: 'km',
      text: 'បុគ្គលិកសុំលុយបន្ថែម។',
    });
    const officer = await signIn(server.url, { login: 'officer.120101', password: server.passwords['officer.120101'] });
    await officer.act(sub.case, { action: 'acknowledge' });
    await officer.act(sub.case, { action: 'message', text: 'សូមប្រាប់ថ្ងៃដែលអ្នកបានមកការិយាល័យ។' });

    const p = await phone(chrome.browser, server.url);
    const { page } = p;
    await openApp(page, 'km');
    // the receipt typed in Khmer digits, with spaces
    await openReceipt(page, khmerDigits(sub.receipt.replace(/-/g, ' ')));
    await page.waitForSelector('#timeline');
    await settle(page);
    assert.equal(await page.textContent('#case-status'), km['status.in_progress']);
    assert.equal(await page.textContent('.event-message .message-text'), 'សូមប្រាប់ថ្ងៃដែលអ្នកបានមកការិយាល័យ។');
    await shot(page, 'track-case');

    // reply, with a photo
    await page.fill('textarea[data-field="reply"]', 'ខ្ញុំបានមកនៅថ្ងៃច័ន្ទ។ នេះជារូបថតវិក្កយបត្រ។');
    await page.setInputFiles('#reply-photo', await bigPhoto(page, 900, 1600));
    await page.waitForSelector('#reply-form .thumb img');
    await page.click('#reply-send');
    await page.waitForSelector('.event-reply img.photo');
    assert.equal(await page.textContent('.notice-ok'), km['track.reply_sent']);
    let staffView = await officer.case(sub.case);
    const reply = staffView.timeline.find((e) => e.type === 'reply');
    assert.equal(reply.text, 'ខ្ញុំបានមកនៅថ្ងៃច័ន្ទ។ នេះជារូបថតវិក្កយបត្រ។');
    assert.equal(staffView.attachments.filter((a) => a.type === 'image/jpeg').length, 1);

    // the office answers; the citizen checks for news, rates it unsatisfied, appeals
    await officer.act(sub.case, { action: 'answer', text: 'បុគ្គលិកនោះត្រូវបានព្រមាន។' });
    await page.click('#track-refresh');
    await page.waitForSelector('#rate-form');
    assert.equal(await page.textContent('#case-status'), km['status.answered']);
    await shot(page, 'track-answered');
    await page.click('#rate-send');
    await page.waitForSelector('[data-field="satisfied"][aria-invalid="true"]');
    assert.equal(await page.textContent('#rate-form .field-error'), km['error.missing_field.satisfied']);
    await choose(page, 'satisfied', 'no');
    await choose(page, 'score', 2);
    await page.fill('textarea[data-field="comment"]', 'លុយមិនទាន់បានសងវិញទេ។');
    await page.click('#rate-send');
    await page.waitForSelector('#appeal-form');
    await shot(page, 'track-appeal');
    await page.fill('textarea[data-field="appeal"]', 'ខ្ញុំចង់ឱ្យការិយាល័យប្រជាពលរដ្ឋពិនិត្យរឿងនេះ។');
    await page.click('#appeal-send');
    await page.waitForSelector('.event-appealed');
    assert.equal(await page.textContent('.notice-ok'), km['appeal.sent']);
    assert.equal(await page.locator('#appeal-form').count(), 0);

    const doc = await (await track(server.url, await trackSession(server.url, sub.receipt))).json();
    assert.equal(doc.office.code, 'DO-1201', 'the appeal took the case one level up');
    assert.equal(doc.timeline.find((e) => e.type === 'rated').text, 'លុយមិនទាន់បានសងវិញទេ។');
    assert.equal(doc.timeline.find((e) => e.type === 'appealed').reason, 'ខ្ញុំចង់ឱ្យការិយាល័យប្រជាពលរដ្ឋពិនិត្យរឿងនេះ។');
    assert.match(await page.textContent('.event-appealed'), /ការិយាល័យប្រជាពលរដ្ឋ/);

    // in English too
    await setLanguage(page, 'en');
    assert.equal(await page.textContent('.event-appealed .event-title'), en['event.appealed']);
    await page.click('#track-close');
    await page.waitForSelector('input[data-field="receipt"]');
    await shot(page, 'track-entry');
    p.assertNoErrors();
    await p.close();
  });

  test('a wrong receipt: the API error in the user\'s language', async () => {
    const p = await phone(chrome.browser, server.url, { allow: failedLoad('/api/v1/track/session', 404) });
    const { page } = p;
    await openApp(page, 'km');
    await openReceipt(page, '1234 5678');
    await page.waitForSelector('input[data-field="receipt"][aria-invalid="true"]');
    assert.equal(await page.textContent('.has-error .field-error'), km['error.invalid_receipt']);
    await page.fill('input[data-field="receipt"]', '0000-1111-2222-3333');
    await page.click('#track-open');
    await page.waitForFunction((m) => document.querySelector('.has-error .field-error')?.textContent === m, km['error.not_found.track']);
    await setLanguage(page, 'en');
    assert.equal(await page.textContent('.has-error .field-error'), en['error.not_found.track']);
    await page.click('#track-open');
    await page.waitForFunction(() => !document.getElementById('track-open').disabled);
    assert.equal(await page.textContent('.has-error .field-error'), en['error.not_found.track']);
    await shot(page, 'track-error');
    p.assertNoErrors();
    await p.close();
  });
});

describe('when the server asks for a proof of work', () => {
  let powServer;
  before(async () => {
    powServer = await startServer({ env: { OURVOICE_TRACK_POW: '1', OURVOICE_TRACK_POW_BITS: '12' } });
  });
  after(async () => {
    await powServer?.stop();
  });

  test('the phone computes it with WebCrypto and the case opens', async () => {
    const sub = await submitFeedback(powServer.url, { kind: 'information', area: '120101', service: null, text: 'Which papers?' });
    const p = await phone(chrome.browser, powServer.url, { lang: 'en', allow: failedLoad('/api/v1/track/session', 429) });
    const { page } = p;
    await openApp(page, 'en');
    await openReceipt(page, sub.receipt);
    await page.waitForSelector('#timeline');
    assert.equal(await page.textContent('#case-status'), en['status.submitted']);
    p.assertNoErrors();
    await p.close();
  });
});
