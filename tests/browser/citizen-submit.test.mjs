// The citizen app end to end: each of the four kinds made on a 360 px phone in Khmer, and
// one in English; each case then read back through the API (with its receipt) to check it
// reached the right office with what was entered. API errors are shown in the user's
// language. Screenshots of every screen go to artifacts/screenshots/citizen/.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { REPO, startServer, signIn, trackSession, track } from '../api/harness.mjs';
import {
  launch, phone, openApp, screen, shot, choose, tick, pickPlace, searchPlace, bigPhoto, receiptShown,
  failedLoad, setLanguage,
} from './citizen-lib.mjs';

const catalogue = async (lang) => JSON.parse(await readFile(path.join(REPO, 'web', 'common', 'i18n', `${lang}.json`), 'utf8'));

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

/** The case as the citizen sees it through the API, from its receipt. */
async function caseOf(receipt) {
  const token = await trackSession(server.url, receipt);
  const res = await track(server.url, token);
  assert.equal(res.status, 200);
  return { doc: await res.json(), token };
}

/** Width and height of a baseline or progressive JPEG. */
function jpegSize(buf) {
  assert.equal(buf.readUInt16BE(0), 0xffd8, 'not a JPEG');
  let at = 2;
  while (at < buf.length) {
    const marker = buf.readUInt16BE(at);
    const len = buf.readUInt16BE(at + 2);
    if (marker >= 0xffc0 && marker <= 0xffc2) return { height: buf.readUInt16BE(at + 5), width: buf.readUInt16BE(at + 7) };
    at += 2 + len;
  }
  throw new Error('no SOF marker');
}

async function toPrivacy(page) {
  await page.click('#next');
  await page.waitForSelector('[data-field="share_identity"]');
}

describe('making a report on a phone', () => {
  test('a complaint in Khmer, with a photo and a voice message, kept from the office it is about', async () => {
    const p = await phone(chrome.browser, server.url);
    const { page } = p;
    await openApp(page, 'km');
    assert.equal(await page.textContent('h1'), km['home.title']);
    await shot(page, 'home');
    await page.click('a[data-kind="complaint"]');
    await screen(page, 'report');
    await shot(page, 'report-where-empty');
    // the place by its Khmer name
    await searchPlace(page, 'ទន្លេបាសាក់', '120101');
    await page.waitForSelector('[data-field="service"] input[data-value="owso-business-barber"]');
    const barber = await page.textContent('[data-field="service"] input[data-value="owso-business-barber"] + label');
    assert.ok(barber.includes(km['service.fee'].replace('{amount}', '20,000')), barber);
    await choose(page, 'service', 'cert-copy');
    await shot(page, 'report-where');
    await page.click('#next');
    await page.waitForSelector('textarea[data-field="text"]');
    // Next with nothing written: the message in Khmer, at the field
    await page.click('#next');
    await page.waitForSelector('.field-error');
    assert.equal(await page.textContent('.has-error .field-error'), km['error.missing_field.text']);
    await page.fill('textarea[data-field="text"]', 'បុគ្គលិកបានសុំលុយបន្ថែម ១០០០០ រៀល ដើម្បីបញ្ជាក់ឯកសារ។');
    await page.setInputFiles('#photo-input', await bigPhoto(page));
    await page.waitForSelector('.thumb img');
    await page.click('#voice-start');
    await page.waitForSelector('#voice-stop');
    await page.waitForTimeout(1300);
    await page.click('#voice-stop');
    await page.waitForSelector('audio.audio');
    await shot(page, 'report-say');
    await toPrivacy(page);
    await tick(page, 'bypass_office');
    await choose(page, 'demographics.sex', 'female');
    await choose(page, 'demographics.age_band', '18_24');
    await shot(page, 'report-privacy');
    await page.click('#send');
    const receipt = await receiptShown(page);
    assert.equal(await page.textContent('#receipt-warning'), km['receipt.once']);
    await shot(page, 'receipt');

    // copy, save as a picture, keep on this phone
    await page.click('#copy');
    await page.waitForFunction(() => document.getElementById('receipt-status').textContent !== '');
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), receipt);
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#save-image')]);
    const png = await readFile(await download.path());
    assert.equal(png.subarray(1, 4).toString('latin1'), 'PNG');
    assert.equal(download.suggestedFilename(), 'ourvoice-receipt.png');
    await page.click('#keep');
    await page.waitForSelector('#kept');

    const { doc, token } = await caseOf(receipt);
    assert.equal(doc.kind, 'complaint');
    assert.equal(doc.office.code, 'DO-1201', 'bypass_office sends it to the district ombudsman');
    assert.equal(doc.service, 'cert-copy');
    assert.equal(doc.area, '120101');
    assert.match(doc.text, /១០០០០ រៀល/);
    const types = doc.attachments.map((a) => a.type).sort();
    assert.deepEqual(types, ['audio/webm', 'image/jpeg']);
    const photo = doc.attachments.find((a) => a.type === 'image/jpeg');
    const bytes = Buffer.from(await (await track(server.url, token, `/api/v1/track/attachments/${photo.id}`)).arrayBuffer());
    assert.deepEqual(jpegSize(bytes), { width: 1280, height: 960 }, 'the photo was made smaller on the phone');

    // the receipt is gone once the citizen moves on; My reports has it
    await page.click('#done');
    await screen(page, 'home');
    await page.goto('/#/receipt');
    await screen(page, 'receipt');
    assert.equal(await page.textContent('h1'), km['receipt.gone.title']);
    await page.goto('/#/mine');
    await screen(page, 'mine');
    await page.waitForSelector(`[data-case="${doc.case}"]`);
    await shot(page, 'mine');
    p.assertNoErrors();
    await p.close();
  });

  test('a complaint of being asked for more than the official fee: the fee beside the box, the case keeps it', async () => {
    const p = await phone(chrome.browser, server.url);
    const { page } = p;
    const label = 'input[data-field="overcharged"] + label';
    const feedback = (r) => r.method() === 'POST' && new URL(r.url()).pathname === '/api/v1/feedback';
    await openApp(page, 'km');
    await page.click('a[data-kind="complaint"]');
    await screen(page, 'report');
    await pickPlace(page);
    // a service whose fee the catalogue has (20,000 riel): the fee is shown with the box
    await choose(page, 'service', 'owso-business-barber');
    await page.click('#next');
    await page.waitForSelector('textarea[data-field="text"]');
    assert.equal(await page.textContent(`${label} .choice-text`), km['report.overcharged']);
    assert.equal(await page.textContent(`${label} .choice-hint`), km['service.fee'].replace('{amount}', '20,000'));
    assert.equal(await page.isChecked('input[data-field="overcharged"]'), false);
    // a free service: "free"
    await page.click('#back');
    await choose(page, 'service', 'civ-birth');
    await page.click('#next');
    await page.waitForSelector('textarea[data-field="text"]');
    assert.equal(await page.textContent(`${label} .choice-hint`), km['service.fee_free']);
    await page.fill('textarea[data-field="text"]', 'បុគ្គលិកបានសុំ ២០០០០ រៀល សម្រាប់សំបុត្រកំណើត។');
    await tick(page, 'overcharged');
    assert.equal(await page.isChecked('input[data-field="overcharged"]'), true);
    await shot(page, 'report-say-overcharged');
    // kept when going back and forth
    await toPrivacy(page);
    await page.click('#back');
    await page.waitForSelector('input[data-field="overcharged"]:checked', { state: 'attached' });
    await toPrivacy(page);
    const [request] = await Promise.all([page.waitForRequest(feedback), page.click('#send')]);
    const sent = request.postDataJSON();
    assert.equal(sent.kind, 'complaint');
    assert.equal(sent.service, 'civ-birth');
    assert.equal(sent.overcharged, true);
    const { doc } = await caseOf(await receiptShown(page));
    assert.equal(doc.office.code, 'C-120101');
    // the case as the office sees it
    const officer = await signIn(server.url, { login: 'officer.120101', password: server.passwords['officer.120101'] });
    assert.equal((await officer.case(doc.case)).overcharged, true);

    // a service with no published fee, and "Other": the box without a fee; not ticked: not sent
    await page.click('#done');
    await screen(page, 'home');
    await page.click('a[data-kind="complaint"]');
    await screen(page, 'report');
    await page.waitForSelector('[data-field="service"]');
    await choose(page, 'service', 'cert-copy');
    await page.click('#next');
    await page.waitForSelector('input[data-field="overcharged"]', { state: 'attached' });
    assert.equal(await page.locator(`${label} .choice-hint`).count(), 0);
    await page.click('#back');
    await choose(page, 'service', '__other');
    await page.click('#next');
    await page.waitForSelector('input[data-field="overcharged"]', { state: 'attached' });
    assert.equal(await page.locator(`${label} .choice-hint`).count(), 0);
    await page.fill('textarea[data-field="text"]', 'ការរង់ចាំយូរពេក។');
    await toPrivacy(page);
    const [plain] = await Promise.all([page.waitForRequest(feedback), page.click('#send')]);
    assert.equal('overcharged' in plain.postDataJSON(), false);
    const other = await caseOf(await receiptShown(page));
    assert.equal(other.doc.office.code, 'C-120101');
    assert.equal((await officer.case(other.doc.case)).overcharged, false);
    p.assertNoErrors();
    await p.close();
  });

  test('only a complaint has the box', async () => {
    const p = await phone(chrome.browser, server.url);
    const { page } = p;
    await openApp(page, 'en');
    for (const kind of ['support', 'information', 'evaluation']) {
      await page.goto(`/#/new/${kind}`);
      await screen(page, 'report');
      await pickPlace(page);
      await choose(page, 'service', 'owso-business-barber');
      await page.click('#next');
      await page.waitForSelector('[data-step="2"]');
      assert.equal(await page.locator('input[data-field="overcharged"]').count(), 0, kind);
    }
    p.assertNoErrors();
    await p.close();
  });

  test('a request for support in Khmer: an API error shown in Khmer, then sent to the OWSO', async () => {
    const p = await phone(chrome.browser, server.url, { allow: failedLoad('/api/v1/feedback', 400) });
    const { page } = p;
    await openApp(page, 'km');
    await page.click('a[data-kind="support"]');
    await screen(page, 'report');
    await pickPlace(page);
    await choose(page, 'service', 'owso-business-barber');
    await page.click('#next');
    await page.fill('textarea[data-field="text"]', 'ខ្ញុំត្រូវការជំនួយដើម្បីទទួលបានលិខិតអនុញ្ញាតហាងកាត់សក់។');
    await toPrivacy(page);
    await page.fill('input[data-field="contact.phone"]', 'abc');
    await page.click('#send');
    // the server refuses the phone number: its error, in Khmer, at the field
    await page.waitForSelector('input[data-field="contact.phone"][aria-invalid="true"]');
    assert.equal(await page.textContent('.has-error .field-error'), km['error.invalid_value.contact.phone']);
    await shot(page, 'report-error');
    await page.fill('input[data-field="contact.phone"]', '012 345 678');
    await page.click('#send');
    const receipt = await receiptShown(page);
    const { doc } = await caseOf(receipt);
    assert.equal(doc.kind, 'support');
    assert.equal(doc.office.code, 'OWSO-1201');
    p.assertNoErrors();
    await p.close();
  });

  test('a question in Khmer about "another service", found by a Latin name', async () => {
    const p = await phone(chrome.browser, server.url);
    const { page } = p;
    await openApp(page, 'km');
    await page.click('a[data-kind="information"]');
    await screen(page, 'report');
    await page.fill('input[data-field="place-search"]', 'tonle basak');
    await page.waitForSelector('button.result[data-code="120101"]');
    await shot(page, 'report-search');
    await page.click('button.result[data-code="120101"]');
    await choose(page, 'service', '__other');
    await page.click('#next');
    await page.fill('textarea[data-field="text"]', 'តើត្រូវការឯកសារអ្វីខ្លះ ដើម្បីស្នើសុំសំបុត្រអាពាហ៍ពិពាហ៍?');
    await toPrivacy(page);
    await page.click('#send');
    const receipt = await receiptShown(page);
    const { doc } = await caseOf(receipt);
    assert.equal(doc.kind, 'information');
    assert.equal(doc.service, null);
    assert.equal(doc.office.code, 'C-120101');
    // the last place picked is remembered on this phone
    await page.goto('/#/new/complaint');
    await screen(page, 'report');
    await page.waitForFunction(() => document.querySelector('select[name="commune"]').value === '120101');
    await page.waitForSelector('[data-field="service"]');
    p.assertNoErrors();
    await p.close();
  });

  test('an evaluation in Khmer: the six criteria as 1–5 choices, sent to the OWSU', async () => {
    const p = await phone(chrome.browser, server.url);
    const { page } = p;
    await openApp(page, 'km');
    await page.click('a[data-kind="evaluation"]');
    await screen(page, 'report');
    await pickPlace(page);
    await choose(page, 'service', 'owsu-driving-a');
    await page.click('#next');
    await page.waitForSelector('[data-field="scores.overall"]');
    // each choice is a large target
    const box = await page.locator('[data-field="scores.overall"] input[data-value="3"] + label').boundingBox();
    assert.ok(box.width >= 48 && box.height >= 48, `a score is ${box.width}×${box.height}`);
    await page.click('#next');
    await page.waitForSelector('[data-field="scores.overall"][aria-invalid="true"]');
    assert.match(await page.textContent('.error-box'), new RegExp(km['error.missing_field.scores.overall']));
    const scores = { timeliness: 2, official_fee: 1, courtesy: 4, clear_information: 3, women_safety: 5, overall: 3 };
    for (const [c, n] of Object.entries(scores)) await choose(page, `scores.${c}`, n);
    await page.fill('textarea[data-field="text"]', 'ត្រូវរង់ចាំយូរ។');
    await shot(page, 'report-scores');
    await toPrivacy(page);
    assert.equal(await page.locator('[data-field="bypass_office"]').count(), 0, 'only complaints may bypass the office');
    await page.click('#send');
    const receipt = await receiptShown(page);
    const { doc } = await caseOf(receipt);
    assert.equal(doc.kind, 'evaluation');
    assert.equal(doc.office.code, 'OWSU-12');
    assert.deepEqual(doc.scores, scores);
    p.assertNoErrors();
    await p.close();
  });

  test('a complaint in English about an OWSO service, harassment, with a shared name: to the ombudsman', async () => {
    const p = await phone(chrome.browser, server.url, { lang: 'en', allow: failedLoad('/api/v1/feedback', 400) });
    const { page } = p;
    await openApp(page, 'en');
    assert.equal(await page.textContent('h1'), en['home.title']);
    await page.click('a[data-kind="complaint"]');
    await screen(page, 'report');
    await searchPlace(page, 'Tonle Basak', '120101');
    await choose(page, 'service', 'owso-business-barber');
    await page.click('#next');
    await page.fill('textarea[data-field="text"]', 'The clerk made remarks about me and asked me to come back alone in the evening.');
    await toPrivacy(page);
    await tick(page, 'sensitive');
    await tick(page, 'share_identity');
    await page.fill('input[data-field="contact.name"]', 'Sokha');
    await page.fill('input[data-field="contact.email"]', 'not-an-address');
    await page.click('#send');
    await page.waitForSelector('input[data-field="contact.email"][aria-invalid="true"]');
    assert.equal(await page.textContent('.has-error .field-error'), en['error.invalid_value.contact.email']);
    await shot(page, 'report-error-email');
    // switching language keeps what was entered, and shows the error in Khmer
    await setLanguage(page, 'km');
    assert.equal(await page.inputValue('input[data-field="contact.name"]'), 'Sokha');
    assert.equal(await page.textContent('.has-error .field-error'), km['error.invalid_value.contact.email']);
    await setLanguage(page, 'en');
    await page.fill('input[data-field="contact.email"]', '');
    await page.click('#send');
    const receipt = await receiptShown(page);
    const { doc } = await caseOf(receipt);
    assert.equal(doc.kind, 'complaint');
    assert.equal(doc.office.code, 'DO-1201');
    p.assertNoErrors();
    await p.close();
  });
});
