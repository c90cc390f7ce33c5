// The staff console (web/staff/) in Chromium against a real server with a fresh demo
// database: sign-in with and without TOTP, the inbox with live updates, a case from new to
// answered, the citizen's appeal (through the API), the District Ombudsman closing it, the
// office dashboard, administration (office, staff account with its one-time secrets,
// service fee seen by citizens, deadlines, holidays, routing, templates, audit chain), a
// case refused to an officer of another commune, the CSV export, password change,
// sign-out and session expiry. Screenshots of every screen in Khmer and English at 1280 px
// and 360 px go to artifacts/screenshots/staff/.
import assert from 'node:assert/strict';
import { readFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { chromium } from 'playwright-core';

import {
  REPO, startServer, submitFeedback, trackSession, track, getJson, setClock, totpCode, PNG_1X1,
  signIn as apiSignIn,
} from '../api/harness.mjs';

const SHOTS = path.join(REPO, 'artifacts', 'screenshots', 'staff');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const WIDTHS = [[1280, 900], [360, 780]];

const catalogue = {};
let server, base, browser;
const shared = {}; // what one test leaves for the next: case numbers, accounts

before(async () => {
  await mkdir(SHOTS, { recursive: true });
  server = await startServer({ env: { OURVOICE_JOBS_INTERVAL: '3600' } });
  base = server.url;
  for (const lang of ['km', 'en']) {
    catalogue[lang] = JSON.parse(await readFile(path.join(REPO, 'web', 'common', 'i18n', `${lang}.json`), 'utf8'));
  }
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

/** The catalogue's text, as the page shows it ({x} filled from params). */
function s(lang, key, params = {}) {
  const text = catalogue[lang][key];
  assert.ok(text !== undefined, `no ${key} in ${lang}.json`);
  return text.replace(/\{(\w+)\}/g, (_, k) => String(params[k] ?? ''));
}

/**
 * A new browser context and page in a language, watching for console errors, page errors
 * and failed requests. allowed: [method, path regexp, status] of the API refusals the test
 * provokes on purpose (a refused request is logged by Chromium as "Failed to load resource").
 */
async function open({ lang = 'km', clock = false, offset = 0 } = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  if (clock) await context.clock.install({ time: Date.now() + offset * 1000 });
  await context.addInitScript((l) => {
    if (!localStorage.getItem('ourvoice.lang')) localStorage.setItem('ourvoice.lang', l);
  }, lang);
  const page = await context.newPage();
  page.setDefaultTimeout(10000);
  const problems = [];
  const refused = [];
  page.on('console', (m) => {
    if (m.type() === 'error' && !/^Failed to load resource: the server responded with a status of/.test(m.text())) {
      problems.push(`console: ${m.text()}`);
    }
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('requestfailed', (r) => {
    if (!/ERR_ABORTED/.test(r.failure()?.errorText ?? '')) problems.push(`request failed: ${r.url()} ${r.failure()?.errorText}`);
  });
  page.on('response', (r) => {
    if (r.status() >= 400) refused.push([r.request().method(), new URL(r.url()).pathname, r.status()]);
  });
  page.check = (allowed = []) => {
    assert.deepEqual(problems, [], 'console or page errors');
    const unexpected = refused.filter(([m, p, st]) => !allowed.some(([am, ap, ast]) => am === m && ap.test(p) && ast === st));
    assert.deepEqual(unexpected, [], 'requests refused that the test did not provoke');
  };
  page.context_ = context;
  return page;
}

/** Waits until the screen `name` is shown (in `lang`, when given). */
async function screen(page, name, lang) {
  const sel = lang ? `body[data-ready="${name}:${lang}"]` : `body[data-ready^="${name}:"]`;
  await page.waitForSelector(sel, { timeout: 10000 });
}

async function lang(page) {
  return page.evaluate(() => document.documentElement.lang);
}

/** Screenshots of the shown screen in both languages at both widths; back to the first. */
async function shots(page, name) {
  const first = await lang(page);
  const screenName = await page.evaluate(() => document.body.dataset.screen);
  for (const l of [first, first === 'km' ? 'en' : 'km']) {
    if ((await lang(page)) !== l) {
      await page.click('#lang');
      await screen(page, screenName, l);
    }
    for (const [width, height] of WIDTHS) {
      await page.setViewportSize({ width, height });
      await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      assert.ok(overflow <= 1, `${name} (${l}, ${width} px) is wider than the screen by ${overflow} px`);
      const [headerBottom, mainTop] = await page.evaluate(() => [document.querySelector('header').getBoundingClientRect().bottom,
        document.querySelector('main').getBoundingClientRect().top]);
      assert.ok(headerBottom <= mainTop + 1, `${name} (${l}, ${width} px): the header overlaps the screen`);
      if (width === WIDTHS[0][0]) {
        const text = await page.evaluate(() => document.body.innerText);
        assert.doesNotMatch(text, /\b(null|undefined|NaN)\b|\[object /, `${name} (${l}) shows a program value`);
        assert.doesNotMatch(text, /\b(staff|error)\.[a-z_]+(\.[a-z_]+)*\b/, `${name} (${l}) shows a catalogue key: a string is missing`);
      }
      await page.screenshot({ path: path.join(SHOTS, `${name}-${l}-${width}.png`), fullPage: true });
    }
  }
  if ((await lang(page)) !== first) {
    await page.click('#lang');
    await screen(page, screenName, first);
  }
  await page.setViewportSize({ width: 1280, height: 900 });
}

/** Signs in through the form; with a TOTP secret, answers the code step when it appears. */
async function signIn(page, login, password, secret = null) {
  await page.goto(`${base}/staff/`);
  await screen(page, 'signin');
  await page.fill('#login', login);
  await page.fill('#password', password);
  await page.click('#signin-submit');
  if (secret) {
    await page.waitForSelector('#totp:visible');
    await page.fill('#totp', totpCode(secret));
    await page.click('#signin-submit');
  }
  await page.waitForSelector('#signout');
}

function account(login) {
  const a = server.accounts[login];
  assert.ok(a, `demo account ${login}`);
  return a;
}

/** A short WAV recording (8 kHz, 16-bit, mono, 0.25 s of a 440 Hz tone), base64. */
function wav() {
  const n = 2000;
  const b = Buffer.alloc(44 + n * 2);
  b.write('RIFF', 0); b.writeUInt32LE(36 + n * 2, 4); b.write('WAVE', 8); b.write('fmt ', 12);
  b.writeUInt32LE(16, 16); b.writeUInt16LE(1, 20); b.writeUInt16LE(1, 22); b.writeUInt32LE(8000, 24);
  b.writeUInt32LE(16000, 28); b.writeUInt16LE(2, 32); b.writeUInt16LE(16, 34); b.write('data', 36);
  b.writeUInt32LE(n * 2, 40);
  for (let i = 0; i < n; i++) b.writeInt16LE(Math.round(8000 * Math.sin((2 * Math.PI * 440 * i) / 8000)), 44 + i * 2);
  return b.toString('base64');
}

const SIGNIN_REFUSALS = [['POST', /^\/api\/v1\/auth\/login$/, 401]];

test('sign-in: Khmer by default, a wrong password, the TOTP step', async () => {
  const page = await open();
  await page.goto(`${base}/staff/`);
  await screen(page, 'signin', 'km');
  assert.equal(await page.textContent('h1'), s('km', 'staff.signin.title'));
  await shots(page, 'signin');

  await page.fill('#login', 'officer.120101');
  await page.fill('#password', 'not the password');
  await page.click('#signin-submit');
  await page.waitForSelector('.signin .error:not([hidden])');
  assert.equal(await page.textContent('.signin .error'), s('km', 'error.invalid_credentials'));

  const omb = account('ombudsman.1201');
  await page.fill('#login', 'ombudsman.1201');
  await page.fill('#password', omb.password);
  await page.click('#signin-submit');
  await page.waitForSelector('#totp:visible');
  assert.equal(await page.isVisible('#totp'), true);
  await page.screenshot({ path: path.join(SHOTS, 'signin-totp-km-1280.png') });
  await page.setViewportSize({ width: 360, height: 780 });
  await page.screenshot({ path: path.join(SHOTS, 'signin-totp-km-360.png') });
  page.check(SIGNIN_REFUSALS);
  await page.context_.close();
});

test('a national admin runs the system: office, staff account, fee, deadlines, holidays, routing, templates, audit', async () => {
  const page = await open({ lang: 'en' });
  const a = account('admin');
  await signIn(page, 'admin', a.password, a.secret);
  await screen(page, 'inbox', 'en');
  await page.click('#nav-admin');
  await screen(page, 'admin', 'en');

  // offices: create one, find it, and rename it
  await page.fill('#oc-code', 'C-120110-N');
  await page.selectOption('#oc-kind', 'commune');
  await page.fill('#oc-area', '120110');
  await page.fill('#oc-km', 'ការិយាល័យថ្មីទួលទំពូងទី ១');
  await page.fill('#oc-en', 'Tuol Tumpung Ti Muoy New Office');
  await page.click('#office-create-submit');
  await page.waitForSelector('#office-create .ok:has-text("C-120110-N")');
  await page.fill('#o-q', 'ti muoy new');
  await page.click('#o-find');
  await page.waitForSelector('tr[data-row="C-120110-N"]');
  await page.click('button[data-edit="C-120110-N"]');
  await page.fill('#oe-en-C-120110-N', 'Tuol Tumpung Ti Muoy New Sangkat Office');
  await page.click('tr.edit-row:not([hidden]) button[type="submit"]');
  await page.waitForSelector('#admin-status:has-text("Saved")');
  assert.match(await page.textContent('tr[data-row="C-120110-N"]'), /New Sangkat Office/);
  await shots(page, 'admin-offices');

  // staff: an officer of that office, whose one-time password is shown once
  await page.click('#tab-staff');
  await screen(page, 'admin', 'en');
  await page.fill('#sc-login', 'officer.120110n');
  await page.fill('#sc-name', 'Sok Dara');
  await page.selectOption('#sc-role', 'officer');
  await page.fill('#sc-office', 'C-120110-N');
  await page.click('#staff-create-submit');
  await page.waitForSelector('.once code[data-once="password"]');
  shared.other = { login: 'officer.120110n', password: (await page.textContent('.once code[data-once="password"]')).trim() };
  assert.match(shared.other.password, /^\S{10,}$/);
  await page.waitForSelector('tr[data-row="officer.120110n"]');
  // an ombudsman account gets a second factor: its QR code is an image of the SVG
  await page.fill('#sc-login', 'ombudsman.test');
  await page.fill('#sc-name', 'Chan Sophea');
  await page.selectOption('#sc-role', 'ombudsman');
  await page.fill('#sc-office', 'DO-1201');
  await page.click('#staff-create-submit');
  await page.waitForSelector('.once img.qr');
  const qr = await page.$eval('.once img.qr', (img) => ({ src: img.src.slice(0, 26), w: img.naturalWidth }));
  assert.equal(qr.src, 'data:image/svg+xml;base64,');
  assert.ok(qr.w > 0, 'the QR code image loads');
  assert.match(await page.textContent('.once code[data-once="totp"]'), /^[A-Z2-7]{16,}$/);
  await shots(page, 'admin-staff');

  // services: the fee of a service, seen at once by citizens
  await page.click('#tab-services');
  await screen(page, 'admin', 'en');
  const code = 'civ-birth';
  await page.click(`button[data-edit="${code}"]`);
  await page.fill(`#svc-fee-${code}`, '4000');
  await page.fill(`#svc-days-${code}`, '3');
  await page.click('tr.edit-row:not([hidden]) button[type="submit"]');
  await page.waitForSelector('#admin-status:has-text("Saved")');
  await page.waitForSelector(`[data-fee="${code}"]:has-text("4,000")`);
  const catalogueNow = await getJson(base, '/api/v1/services');
  const svc = catalogueNow.find((x) => x.code === code);
  assert.equal(svc.fee_khr, 4000);
  assert.equal(svc.days, 3);
  shared.service = svc;
  await shots(page, 'admin-services');

  // deadlines, holidays, routing: read, one change each
  await page.click('#tab-deadlines');
  await screen(page, 'admin', 'en');
  assert.equal(await page.inputValue('#dl-ack-complaint'), '2');
  await page.fill('#dl-ans-support', '6');
  await page.click('#deadline-support-submit');
  await page.waitForSelector('#deadline-support .ok:has-text("Saved")');
  await shots(page, 'admin-deadlines');

  await page.click('#tab-holidays');
  await screen(page, 'admin', 'en');
  await page.fill('#hol-date', '2027-06-15');
  await page.fill('#hol-km', 'ថ្ងៃឈប់សម្រាកសាកល្បង');
  await page.fill('#hol-en', 'Test holiday');
  await page.click('#holiday-add-submit');
  await page.waitForSelector('button[data-delete="2027-06-15"]');
  await shots(page, 'admin-holidays');

  await page.click('#tab-routing');
  await screen(page, 'admin', 'en');
  await page.waitForSelector('#routing-list tbody tr');
  await shots(page, 'admin-routing');

  // templates: a Khmer answer for the service, picked later by the officer
  await page.click('#tab-templates');
  await screen(page, 'admin', 'en');
  await page.selectOption('#tp-service-new', code);
  await page.selectOption('#tp-action-new', 'answer');
  await page.selectOption('#tp-language-new', 'km');
  await page.fill('#tp-title-new', 'សំបុត្រកំណើតរួចរាល់');
  await page.fill('#tp-text-new', 'សំបុត្រកំណើតរបស់អ្នករួចរាល់ហើយ។ តម្លៃផ្លូវការគឺ ៤០០០ រៀល។ ករណី {case}។');
  await page.click('#template-create-submit');
  await page.waitForSelector('#templates-list td:has-text("សំបុត្រកំណើតរួចរាល់")');
  await shots(page, 'admin-templates');

  // audit: filtered by action, and the chain verified
  await page.click('#tab-audit');
  await screen(page, 'admin', 'en');
  await page.waitForSelector('#audit-summary:not(:empty)');
  await page.fill('#au-action', 'office_created');
  await page.click('#au-find');
  await page.waitForSelector('tr[data-audit] code:has-text("office_created")');
  assert.equal(await page.$$eval('tr[data-audit]', (rows) => rows.length), 1);
  await page.click('#audit-verify');
  await page.waitForSelector('#audit-verdict.ok');
  assert.match(await page.textContent('#audit-verdict'), /intact/);
  await shots(page, 'admin-audit');
  page.check(SIGNIN_REFUSALS);
  await page.context_.close();
});

test('an officer finds a new case, acknowledges, messages the citizen, notes, answers from a template; new cases appear live; CSV export', async () => {
  const marker = 'ឆ្មាំទ្វារ';
  const svc = shared.service;
  const sent = await submitFeedback(base, {
    kind: 'complaint', area: '12010101', service: svc.code, language: 'km',
    text: `${marker}: ខ្ញុំត្រូវបង់ប្រាក់ ១០០០០ រៀល សម្រាប់សំបុត្រកំណើតកូនខ្ញុំ ខណៈតម្លៃផ្លូវការតិចជាងនេះ។`,
    demographics: { sex: 'female', age_band: '25_34', disability: false },
    attachments: [{ type: 'image/png', data: PNG_1X1 }, { type: 'audio/wav', data: wav() }],
  });
  shared.first = sent;
  const page = await open({ clock: true });
  const o = account('officer.120101');
  const firstPoll = page.waitForResponse((r) => r.url().includes('/api/v1/cases/changes'), { timeout: 20000 });
  await signIn(page, 'officer.120101', o.password);
  await firstPoll; // the inbox knows the latest case before the next one is submitted
  await screen(page, 'inbox', 'km');
  await page.waitForSelector(`.case-row[data-case="${sent.case}"]`);
  assert.equal(await page.textContent('button[data-count="submitted"] .count-n'), '1');
  assert.match(await page.textContent(`.case-row[data-case="${sent.case}"] .due`), new RegExp(s('km', 'staff.due.acknowledge')));
  // live: a case submitted now shows up at the next poll, without a reload
  const second = await submitFeedback(base, {
    kind: 'information', area: '12010102', language: 'en', text: 'When is the commune office open on Saturdays?',
    demographics: { sex: 'male' },
  });
  shared.second = second;
  await page.waitForTimeout(300);
  assert.equal(await page.$(`.case-row[data-case="${second.case}"]`), null, 'not there before the poll');
  await page.clock.fastForward(21000);
  await page.waitForSelector(`.case-row.is-new[data-case="${second.case}"]`);
  await page.waitForSelector('#inbox-new:not([hidden])');
  assert.equal(await page.textContent('button[data-count="submitted"] .count-n'), '2');

  // full-text search finds the first
  await page.fill('#f-q', marker);
  await page.click('#f-search');
  await page.waitForSelector(`.case-row[data-case="${second.case}"]`, { state: 'detached' });
  assert.equal(await page.$$eval('.case-row', (rows) => rows.length), 1);
  await page.waitForSelector(`.case-row[data-case="${sent.case}"]`);
  await shots(page, 'inbox');

  // the case: text, photo, recording, place, service with its fee, demographics
  await page.click(`.case-row[data-case="${sent.case}"] .case-link`);
  await screen(page, 'case', 'km');
  assert.match(await page.textContent('#case-text'), new RegExp(marker));
  assert.match(await page.textContent('#case-fee'), /4,000/);
  assert.match(await page.textContent('#case-area'), /ទន្លេបាសាក់/);
  await page.waitForFunction(() => [...document.querySelectorAll('img.attachment-image')].every((i) => i.complete && i.naturalWidth > 0));
  const audio = await page.$eval('audio.attachment-audio', (a) => new Promise((resolve) => {
    if (a.readyState >= 1) resolve(a.duration);
    a.addEventListener('loadedmetadata', () => resolve(a.duration), { once: true });
    a.addEventListener('error', () => resolve(-1), { once: true });
  }));
  assert.ok(audio > 0.2 && audio < 0.3, `the recording plays (duration ${audio})`);
  assert.match(await page.textContent('.case-facts'), new RegExp(s('km', 'staff.sex.female')));

  // acknowledge
  await page.click('button[data-action="acknowledge"]');
  await page.click('#action-submit');
  await page.waitForSelector(`#case-ok:has-text("${s('km', 'staff.action_done.acknowledge')}")`);
  assert.equal(await page.textContent('.case-summary .status'), s('km', 'staff.status.acknowledged'));
  // message the citizen
  await page.click('button[data-action="message"]');
  await page.fill('#action-text', 'សូមភ្ជាប់បង្កាន់ដៃដែលអ្នកបានទទួល ប្រសិនបើមាន។');
  await page.click('#action-submit');
  await page.waitForSelector('#timeline li[data-type="message"]');
  // an internal note, set apart from what the citizen sees
  await page.click('button[data-action="note"]');
  await page.fill('#action-text', 'ត្រូវពិនិត្យជាមួយមន្ត្រីអត្រានុកូលដ្ឋាន។');
  await page.click('#action-submit');
  await page.waitForSelector('#timeline li.internal[data-type="note"] .tag-internal');
  assert.equal(await page.$$eval('#timeline li.internal', (l) => l.length), 1);
  await shots(page, 'case');
  // answer: pick the template, edit it, send
  await page.click('button[data-action="answer"]');
  await page.waitForSelector('#action-template:visible');
  const option = await page.$eval('#action-template', (sel) => [...sel.options].find((o) => o.textContent.includes('សំបុត្រកំណើតរួចរាល់')).value);
  await page.selectOption('#action-template', option);
  const filled = await page.inputValue('#action-text');
  assert.match(filled, new RegExp(sent.case), 'the template names the case');
  await page.fill('#action-text', `${filled} សូមអញ្ជើញមកយកនៅថ្ងៃច័ន្ទ។`);
  for (const [width, height] of WIDTHS) {
    await page.setViewportSize({ width, height });
    await page.screenshot({ path: path.join(SHOTS, `case-answer-km-${width}.png`), fullPage: true });
  }
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.click('#action-submit');
  await page.waitForSelector(`#case-ok:has-text("${s('km', 'staff.action_done.answer')}")`);
  assert.equal(await page.textContent('.case-summary .status'), s('km', 'staff.status.answered'));
  const answered = await page.textContent('#timeline li[data-type="answered"] .event-text');
  assert.match(answered, /សូមអញ្ជើញមកយកនៅថ្ងៃច័ន្ទ/);

  // the citizen sees the message and the answer, not the note
  const token = await trackSession(base, sent.receipt);
  const res = await track(base, token);
  const view = await res.json();
  assert.deepEqual(view.timeline.map((e) => e.type).filter((x) => x !== 'submitted'), ['acknowledged', 'message', 'answered']);

  // CSV export of the inbox: UTF-8 with a BOM, Khmer intact, no identities
  await page.click('#back');
  await screen(page, 'inbox', 'km');
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#csv')]);
  const csv = await readFile(await download.path());
  assert.deepEqual([...csv.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'a UTF-8 BOM');
  const text = csv.toString('utf8');
  assert.match(text, new RegExp(sent.case));
  assert.match(text, /រដ្ឋបាលសង្កាត់ទន្លេបាសាក់/);
  assert.match(text, /ការចុះបញ្ជីកំណើត/);
  assert.doesNotMatch(text, new RegExp(marker), 'the citizen\'s words are not exported');
  page.check();
  await page.context_.close();
});

test('the citizen rates the answer unsatisfied and appeals; the District Ombudsman acknowledges, answers and closes', async () => {
  const sent = shared.first;
  const token = await trackSession(base, sent.receipt);
  let res = await track(base, token, '/api/v1/track/rating', { satisfied: false, score: 2, comment: 'តម្លៃនៅតែខ្ពស់' });
  assert.equal(res.status, 200, await res.text());
  res = await track(base, token, '/api/v1/track/appeal', { reason: 'ខ្ញុំមិនពេញចិត្តនឹងចម្លើយទេ' });
  const appealed = await res.json();
  assert.equal(res.status, 200, JSON.stringify(appealed));
  assert.equal(appealed.office.code, 'DO-1201');

  const page = await open({ lang: 'en' });
  const omb = account('ombudsman.1201');
  await signIn(page, 'ombudsman.1201', omb.password, omb.secret);
  await screen(page, 'inbox', 'en');
  await page.waitForSelector(`.case-row[data-case="${sent.case}"]`);
  await page.click(`.case-row[data-case="${sent.case}"] .case-link`);
  await screen(page, 'case', 'en');
  assert.match(await page.textContent('#timeline li[data-type="appealed"]'), /ខ្ញុំមិនពេញចិត្តនឹងចម្លើយទេ/);
  assert.match(await page.textContent('#timeline li[data-type="rated"]'), /តម្លៃនៅតែខ្ពស់/);
  await page.click('button[data-action="acknowledge"]');
  await page.click('#action-submit');
  await page.waitForSelector('#case-ok:has-text("acknowledged")');
  await page.click('button[data-action="answer"]');
  await page.fill('#action-text', 'The commune has refunded the extra 6,000 riels. ឃុំបានសងប្រាក់ ៦០០០ រៀលវិញ។');
  await page.click('#action-submit');
  await page.waitForSelector('#case-ok:has-text("answer has been sent")');
  await page.click('button[data-action="close"]');
  await page.click('#action-submit');
  await page.waitForSelector('#case-ok:has-text("closed")');
  assert.equal(await page.textContent('.case-summary .status'), 'Closed');
  assert.equal(await page.$('button[data-action="answer"]'), null, 'no more answering a closed case');
  page.check(SIGNIN_REFUSALS);
  await page.context_.close();
});

test('the head of office sees the dashboard, split by sex', async () => {
  // more cases for the office: an evaluation with scores, a request for support answered
  // and rated, a complaint with no demographics
  const svc = shared.service.code;
  await submitFeedback(base, {
    kind: 'evaluation', area: '12010103', service: svc, language: 'km', text: 'សេវាល្អ ប៉ុន្តែរង់ចាំយូរ។',
    scores: { overall: 4, timeliness: 2, official_fee: 5, courtesy: 4, clear_information: 3, women_safety: 5 },
    demographics: { sex: 'female', age_band: '35_44' },
  });
  const support = await submitFeedback(base, {
    kind: 'support', area: '12010101', language: 'km', text: 'សូមជួយបំពេញពាក្យស្នើសុំ។', demographics: { sex: 'female', age_band: '60_plus' },
  });
  await submitFeedback(base, { kind: 'complaint', area: '12010102', service: svc, language: 'km', text: 'បុគ្គលិកមិនគួរសម។' });
  const headApi = await apiSignIn(base, { login: 'head.120101', password: account('head.120101').password });
  await headApi.act(support.case, { action: 'acknowledge' });
  await headApi.act(support.case, { action: 'answer', text: 'យើងបានជួយបំពេញពាក្យស្នើសុំហើយ។' });
  const res = await track(base, await trackSession(base, support.receipt), '/api/v1/track/rating', { satisfied: true, score: 5 });
  assert.equal(res.status, 200, await res.text());

  const page = await open();
  const head = account('head.120101');
  await signIn(page, 'head.120101', head.password);
  await page.click('#nav-dashboard');
  await screen(page, 'dashboard', 'km');
  await page.waitForSelector('#dashboard .cards');
  // the office's cases: the second one and these three (the first went up on appeal)
  assert.equal(await page.textContent('[data-figure="total"] .card-value'), '4');
  assert.match(await page.textContent('[data-figure="satisfied"]'), /100/);
  await page.waitForSelector('#by-sex table');
  assert.match(await page.textContent('#by-sex thead'), new RegExp(s('km', 'staff.sex.male')));
  assert.ok(await page.$('#dashboard svg.bar-svg rect.chart-bar'), 'bar charts are drawn');
  await shots(page, 'dashboard');
  page.check();
  await page.context_.close();
});

test('an officer of another commune cannot open the case by its address', async () => {
  const { login, password } = shared.other;
  const page = await open();
  await signIn(page, login, password);
  await screen(page, 'inbox', 'km');
  assert.equal(await page.$(`.case-row[data-case="${shared.second.case}"]`), null);
  await page.goto(`${base}/staff/#/case/${shared.second.case}`);
  await screen(page, 'case', 'km');
  assert.equal(await page.textContent('.screen-case .error'), s('km', 'staff.error.not_found.case'));
  assert.equal(await page.$('#case-text'), null, 'nothing of the case is shown');
  await shots(page, 'case-refused');
  page.check([['GET', /^\/api\/v1\/cases\/C-120101-/, 404]]);
  await page.context_.close();
});

test('password change, sign-out, and signing in with the new password; session expiry', async () => {
  const o = account('officer.120101');
  const page = await open({ lang: 'en' });
  await signIn(page, 'officer.120101', o.password);
  await page.click('#nav-password');
  await screen(page, 'password', 'en');
  await shots(page, 'password');
  const fresh = 'a new long passphrase 2026';
  await page.fill('#pw-current', 'wrong password here');
  await page.fill('#pw-new', fresh);
  await page.fill('#pw-again', fresh);
  await page.click('#pw-submit');
  await page.waitForSelector('.screen-password .error:not([hidden])');
  assert.equal(await page.textContent('.screen-password .error'), s('en', 'staff.error.invalid_credentials.current'));
  await page.fill('#pw-current', o.password);
  await page.fill('#pw-new', fresh);
  await page.fill('#pw-again', fresh);
  await page.click('#pw-submit');
  await page.waitForSelector(`.screen-password .ok:has-text("${s('en', 'staff.password.done')}")`);
  await page.click('#signout');
  await screen(page, 'signin', 'en');
  assert.equal(await page.textContent('#signin-notice'), s('en', 'staff.signin.signed_out'));
  await page.fill('#login', 'officer.120101');
  await page.fill('#password', fresh);
  await page.click('#signin-submit');
  await screen(page, 'inbox', 'en');

  // 31 minutes idle: the next call is refused and the sign-in screen says why
  await setClock(base, 31 * 60);
  try {
    await page.click(`.case-row[data-case="${shared.second.case}"] .case-link`);
    await screen(page, 'signin', 'en');
    assert.equal(await page.textContent('#signin-notice'), s('en', 'error.session_expired'));
    await shots(page, 'signin-expired');
  } finally {
    await setClock(base, 0);
  }
  // signing in again goes back to the case that was asked for
  await page.fill('#login', 'officer.120101');
  await page.fill('#password', fresh);
  await page.click('#signin-submit');
  await screen(page, 'case', 'en');
  assert.match(await page.textContent('#case-text'), /Saturdays/);
  page.check([['POST', /^\/api\/v1\/auth\/password$/, 401], ['GET', /^\/api\/v1\/cases\/C-120101-/, 401]]);
  await page.context_.close();
});

test('a week later the unanswered cases are marked overdue, in words and not only by colour', async () => {
  const week = 7 * 86400;
  await setClock(base, week);
  try {
    const page = await open({ lang: 'en', clock: true, offset: week });
    await signIn(page, 'head.120101', account('head.120101').password);
    await screen(page, 'inbox', 'en');
    const row = `.case-row[data-case="${shared.second.case}"]`;
    await page.waitForSelector(`${row}.is-late`);
    assert.match(await page.textContent(`${row} .due`), /^!Acknowledge: overdue by \d+ d \d+ h$/);
    assert.ok(Number(await page.textContent('button[data-count="overdue"] .count-n')) >= 2);
    // the overdue count is also a filter
    await Promise.all([page.waitForResponse((r) => /\/api\/v1\/cases\?.*overdue=true/.test(r.url())),
      page.click('button[data-count="overdue"]')]);
    await page.waitForFunction(() => {
      const rows = [...document.querySelectorAll('.case-row')];
      return rows.length > 0 && rows.every((r) => r.classList.contains('is-late'));
    });
    assert.equal(await page.isChecked('#f-overdue'), true);
    assert.equal(await page.getAttribute('button[data-count="overdue"]', 'aria-pressed'), 'true');
    await page.selectOption('#f-sort', 'urgent');
    await shots(page, 'inbox-overdue');
    // the head assigns the oldest to a colleague, who then finds it under "assigned to me"
    await page.click(`${row} .case-link`);
    await screen(page, 'case', 'en');
    await page.click('button[data-action="assign"]');
    await page.fill('#action-to', 'officer.120101');
    await page.click('#action-submit');
    await page.waitForSelector('#timeline li[data-type="assigned"]');
    assert.match(await page.textContent('#timeline li[data-type="assigned"]'), /Demo Officer/);
    page.check();
    await page.context_.close();
  } finally {
    await setClock(base, 0);
  }
});
