// The citizen app as a whole: every string from both catalogues (and a message for every
// error code of the server), no inline style or script but the page's own two blocks (which
// the CSP names by their hash), the first screen usable from the page alone (and alike to
// the one the app draws), the service worker keeps every file of the app, the first load
// stays small, Khmer digits, dates in the user's language, and the screens not covered by
// the other files.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { REPO, startServer } from '../api/harness.mjs';
import { launch, phone, openApp, screen, settle, shot, tick, setLanguage, SHOTS } from './citizen-lib.mjs';

const WEB = path.join(REPO, 'web');
const catalogue = async (lang) => JSON.parse(await readFile(path.join(WEB, 'common', 'i18n', `${lang}.json`), 'utf8'));

async function files(dir, ext) {
  const out = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...await files(p, ext));
    else if (!ext || ext.some((x) => e.name.endsWith(x))) out.push(p);
  }
  return out;
}

// keys made from a template in the code: every value each may take
const KINDS = ['complaint', 'support', 'information', 'evaluation'];
const TEMPLATE_KEYS = [
  ...KINDS.flatMap((k) => [`kind.${k}.action`, `kind.${k}.line`, `kind.${k}.name`, `report.where.hint.${k}`]),
  ...['complaint', 'support', 'information'].flatMap((k) => [`report.say.title.${k}`, `report.say.label.${k}`, `report.say.hint.${k}`]),
  ...['timeliness', 'official_fee', 'courtesy', 'clear_information', 'women_safety', 'overall'].flatMap((c) => [`criterion.${c}`, `criterion.${c}.hint`]),
  ...['submitted', 'acknowledged', 'in_progress', 'answered', 'closed', 'rejected'].flatMap((s) => [`status.${s}`, `status.${s}.hint`]),
  ...['submitted', 'acknowledged', 'message', 'reply', 'answered', 'rated', 'appealed', 'escalated', 'transferred', 'closed', 'rejected', 'other'].map((e) => `event.${e}`),
  ...['commune', 'owso', 'owsu'].map((k) => `office_kind.${k}`),
  ...['female', 'male', 'other', 'unsaid'].map((v) => `sex.${v}`),
  ...['under_18', '18_24', '25_34', '35_44', '45_59', '60_plus'].map((v) => `age.${v}`),
  ...['home', 'report', 'receipt', 'track', 'mine', 'settings'].map((v) => `title.${v}`),
  ...['province', 'district', 'commune'].flatMap((l) => [`place.${l}`, `place.choose_${l}`]),
  ...Array.from({ length: 12 }, (_, i) => `month.${i + 1}`),
];

describe('the catalogues and the code', () => {
  test('every key the code uses is in both catalogues; both have the same keys, none empty', async () => {
    const [km, en] = await Promise.all([catalogue('km'), catalogue('en')]);
    assert.deepEqual(Object.keys(km).sort(), Object.keys(en).sort());
    for (const [k, v] of Object.entries(km)) assert.ok(v.trim() && en[k].trim(), `empty string for ${k}`);
    const used = new Set(TEMPLATE_KEYS);
    const code = [...await files(path.join(WEB, 'citizen'), ['.js']), ...await files(path.join(WEB, 'common'), ['.js'])];
    for (const file of code) {
      const text = await readFile(file, 'utf8');
      for (const m of text.matchAll(/\bt\('([a-z0-9_]+\.[a-z0-9_.]+)'/g)) used.add(m[1]);
      for (const m of text.matchAll(/\bproblem\('([a-z0-9_]+)'/g)) used.add(`error.${m[1]}`);
    }
    const missing = [...used].filter((k) => !(k in km) || !(k in en));
    assert.deepEqual(missing, [], 'keys used but missing from a catalogue');
    // the Khmer catalogue is Khmer
    const khmer = Object.entries(km).filter(([k]) => used.has(k) && !k.startsWith('lang.') &&
      !['place.named', 'place.separator', 'date.day_time', 'score.of5'].includes(k));
    const latinOnly = khmer.filter(([, v]) => !/[\u1780-\u17ff]/.test(v)).map(([k]) => k);
    assert.ok(latinOnly.length <= 8, `Khmer strings with no Khmer: ${latinOnly.join(', ')}`);
  });

  test('every error code of the server has a message in both catalogues', async () => {
    const [km, en] = await Promise.all([catalogue('km'), catalogue('en')]);
    const src = await readFile(path.join(REPO, 'src', 'http', 'errors.c'), 'utf8');
    const codes = [...src.matchAll(/\[ERR_[A-Z0-9_]+\]\s*=\s*\{"([a-z0-9_]+)"/g)].map((m) => m[1]);
    assert.ok(codes.length >= 40, `found ${codes.length} codes in errors.c`);
    const missing = codes.filter((c) => !(`error.${c}` in km) || !(`error.${c}` in en));
    assert.deepEqual(missing, []);
  });

  test('no inline style or script in the app but the page\'s own stylesheet and script', async () => {
    const index = path.join(WEB, 'citizen', 'index.html');
    for (const file of [...await files(path.join(WEB, 'citizen')), ...await files(path.join(WEB, 'common'))]) {
      if (!/\.(html|js|css|svg)$/.test(file)) continue;
      let text = await readFile(file, 'utf8');
      if (file === index) {
        // its one <style> and one inline <script> (allowed by their hash, see the browser tests)
        assert.equal(inlineBlocks(text).length, 2, 'index.html has one inline stylesheet and one inline script');
        text = text.replace(/<(style|script)>[\s\S]*?<\/\1>/g, '');
      }
      assert.doesNotMatch(text, /\sstyle\s*=|<style|\.style\.|\bonclick\s*=\s*["']|javascript:|\beval\(|new Function\(/, file);
      if (file.endsWith('.html')) assert.doesNotMatch(text, /<script(?![^>]*\bsrc=)[^>]*>/, `inline script in ${file}`);
    }
  });

  test('the page\'s stylesheet has the rules of /common/base.css as they are', async () => {
    const base = await readFile(path.join(WEB, 'common', 'base.css'), 'utf8');
    const rules = base.replace(/^\/\*[\s\S]*?\*\/\n/, ''); // without its opening comment
    const [style] = inlineBlocks(await readFile(path.join(WEB, 'citizen', 'index.html'), 'utf8')).filter((b) => b.tag === 'style');
    assert.ok(style.text.includes(rules), 'copy the rules of web/common/base.css into the <style> of web/citizen/index.html');
  });
});

/** The inline <style> and <script> blocks of a page: [{tag, text}]. */
function inlineBlocks(html) {
  return [...html.matchAll(/<(style|script)(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/\1>/g)].map((m) => ({ tag: m[1], text: m[2] }));
}

/** The sources of a CSP directive. */
function sources(csp, name) {
  const d = csp.split(';').map((x) => x.trim().split(/\s+/)).find(([k]) => k === name);
  return d ? d.slice(1) : [];
}

/** In the page: the tree under `selector` as [tag, sorted attributes, children], text trimmed. */
function tree(selector) {
  const walk = (n) => {
    if (n.nodeType === Node.TEXT_NODE) return n.textContent.trim() ? n.textContent : null;
    if (n.nodeType !== Node.ELEMENT_NODE) return null;
    const attrs = [...n.attributes].filter((a) => a.name !== 'aria-busy').map((a) => `${a.name}=${a.value}`).sort();
    return [n.tagName.toLowerCase(), attrs, [...n.childNodes].map(walk).filter((c) => c !== null)];
  };
  return walk(document.querySelector(selector));
}

/** Holds every request but the page's own until release() (modules arriving late). */
async function holdAllButPage(page) {
  let release;
  const gate = new Promise((resolve) => { release = resolve; });
  await page.route('**/*', async (route) => {
    if (new URL(route.request().url()).pathname !== '/') await gate;
    await route.continue().catch(() => {}); // (the page may be gone)
  });
  return release;
}

describe('in the browser', () => {
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

  test('the page alone: its CSP names exactly its inline blocks, and the first screen is usable', async () => {
    const res = await fetch(server.url + '/');
    const html = await res.text();
    const csp = res.headers.get('content-security-policy');
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
    const hash = (text) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;
    const blocks = inlineBlocks(html);
    for (const tag of ['script', 'style']) {
      const want = ["'self'", ...blocks.filter((b) => b.tag === tag).map((b) => hash(b.text))];
      assert.deepEqual(sources(csp, `${tag}-src`), want, `${tag}-src`);
    }
    // other pages keep the plain policy
    assert.deepEqual(sources((await fetch(server.url + '/staff/')).headers.get('content-security-policy'), 'style-src'), ["'self'"]);

    // nothing but the page: no module, no catalogue, no icon
    const p = await phone(chrome.browser, server.url, { allow: (text) => text.startsWith('Failed to load resource') });
    const { page } = p;
    await page.route('**/*', (route) => (new URL(route.request().url()).pathname === '/' ? route.continue() : route.abort()));
    await page.goto('/');
    await page.waitForLoadState('load');
    assert.equal(await page.getAttribute('body', 'data-screen'), null, 'the app did not run');
    assert.equal(await page.locator('#view a.path[data-kind]:visible').count(), 4);
    assert.ok(await page.isVisible('#lang'));
    assert.equal(await page.textContent('#lang'), km['lang.switch']);
    assert.equal(await page.textContent('.path-complaint .path-title'), km['kind.complaint.action']);
    // styled by the page's own stylesheet, icons included
    const look = await page.evaluate(() => {
      const a = document.querySelector('.path-complaint');
      return { height: a.getBoundingClientRect().height, border: getComputedStyle(a).borderTopWidth,
        icon: getComputedStyle(a.querySelector('.path-icon')).backgroundImage };
    });
    assert.ok(look.height >= 64 && look.border === '2px', JSON.stringify(look));
    assert.match(look.icon, /^url\("data:image\/svg\+xml,/);
    assert.equal(await page.isVisible('.opening-note'), false);
    const before = { view: await page.evaluate(tree, '#view'), header: await page.evaluate(tree, 'header') };
    await page.screenshot({ path: path.join(SHOTS, 'home-page-alone-km.png'), fullPage: true });
    const violations = p.errors.filter((e) => /CSP violation/.test(e));
    assert.deepEqual(violations, []);
    await p.close();

    // the app, once it has run, draws the same home screen in Khmer
    const q = await phone(chrome.browser, server.url);
    await openApp(q.page, 'km');
    assert.deepEqual(await q.page.evaluate(tree, '#view'), before.view, 'index.html\'s home screen differs from screens/home.js');
    assert.deepEqual(await q.page.evaluate(tree, 'header'), before.header);
    q.assertNoErrors();
    await q.close();
  });

  test('before the modules arrive: a tapped link opens its screen, a tapped switch its language', async () => {
    // (no service worker: it would answer in place of the held network)
    const p = await phone(chrome.browser, server.url, { serviceWorkers: 'block' });
    const { page } = p;
    let release = await holdAllButPage(page);
    await page.goto('/', { waitUntil: 'commit' }); // (the held modules hold back "load")
    await page.waitForSelector('#view a.path[data-kind="complaint"]');
    assert.equal(await page.getAttribute('body', 'data-screen'), null, 'the app has not run yet');
    await page.click('a[data-kind="complaint"]');
    assert.equal(await page.evaluate(() => location.hash), '#/new/complaint');
    await page.waitForSelector('.opening-note', { state: 'visible' });
    assert.equal(await page.textContent('.opening-note'), km['app.opening']);
    release();
    await screen(page, 'report');
    assert.equal(await page.textContent('h1'), km['kind.complaint.action']);
    assert.equal(await page.isVisible('.opening-note'), false);
    assert.equal(await page.evaluate(() => document.documentElement.className), '');

    // a new visit: the switch tapped before the app ran
    await page.unroute('**/*');
    await page.goto('about:blank');
    release = await holdAllButPage(page);
    await page.goto('/', { waitUntil: 'commit' });
    await page.waitForSelector('#lang');
    assert.equal(await page.getAttribute('body', 'data-screen'), null, 'the app has not run yet');
    await page.click('#lang');
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'km');
    release();
    await page.waitForSelector('body[data-screen="home"]');
    await page.waitForFunction(() => document.documentElement.lang === 'en');
    await settle(page);
    assert.equal(await page.textContent('h1'), en['home.title']);
    assert.equal(await page.textContent('#lang'), en['lang.switch']);
    assert.equal(await page.evaluate(() => localStorage.getItem('ourvoice.lang')), 'en', 'the choice is remembered');
    // and the switch is the app's now
    await page.click('#lang');
    await page.waitForFunction(() => document.documentElement.lang === 'km');
    await settle(page);
    assert.equal(await page.textContent('h1'), km['home.title']);
    p.assertNoErrors();
    await p.close();
  });

  test('the service worker keeps every file of the app, each served', async () => {
    const sw = await readFile(path.join(WEB, 'citizen', 'sw.js'), 'utf8');
    const shell = JSON.parse(sw.match(/const SHELL = (\[[^\]]*\]);/)[1].replace(/'/g, '"').replace(/,\s*\]/, ']'));
    const own = (await files(path.join(WEB, 'citizen'))).map((f) => `/${path.relative(path.join(WEB, 'citizen'), f)}`)
      .filter((f) => !['/sw.js', '/index.html'].includes(f));
    const common = (await files(path.join(WEB, 'common'))).map((f) => `/common/${path.relative(path.join(WEB, 'common'), f)}`)
      .filter((f) => f !== '/common/base.css'); // (its rules are in the page itself)
    for (const f of own) assert.ok(shell.includes(f), `${f} is not kept by the service worker`);
    for (const f of common) assert.ok(shell.includes(f), `${f} is not kept by the service worker`);
    assert.ok(shell.includes('/'));
    for (const f of shell) {
      const res = await fetch(server.url + f);
      assert.equal(res.status, 200, f);
      await res.arrayBuffer();
    }
  });

  test('the first screen is usable after a small download', async (t) => {
    const p = await phone(chrome.browser, server.url);
    const { page } = p;
    const cdp = await p.context.newCDPSession(page);
    await cdp.send('Network.enable');
    const sizes = new Map();
    cdp.on('Network.responseReceived', (e) => sizes.set(e.requestId, { url: e.response.url, type: e.type, bytes: 0 }));
    cdp.on('Network.loadingFinished', (e) => { if (sizes.has(e.requestId)) sizes.get(e.requestId).bytes = e.encodedDataLength; });
    await page.goto('/');
    await screen(page, 'home');
    await page.waitForSelector('a[data-kind="evaluation"]');
    const at = [...sizes.values()].filter((r) => r.type !== 'Font' && !r.url.startsWith('data:'));
    const total = at.reduce((s, r) => s + r.bytes, 0);
    t.diagnostic(`first load until the first screen is usable: ${at.length} responses, ${total} bytes on the wire (gzip)`);
    for (const r of at) t.diagnostic(`  ${String(r.bytes).padStart(6)}  ${new URL(r.url).pathname}`);
    assert.ok(total <= 100 * 1024, `the first load took ${total} bytes`);
    // installable: the manifest and its icons are right
    const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
    // (a Playwright context is an incognito profile, which Chromium never installs apps from)
    assert.deepEqual(installabilityErrors.filter((e) => e.errorId !== 'in-incognito'), []);
    const manifest = await cdp.send('Page.getAppManifest');
    assert.deepEqual(manifest.errors, []);
    await p.close();
  });

  test('Khmer digits when chosen, dates in the user\'s language; the language is remembered', async () => {
    const p = await phone(chrome.browser, server.url);
    const { page } = p;
    await openApp(page, 'km');
    assert.match(await page.textContent('.path-evaluation .path-line'), /1 ដល់ 5/);
    await page.click('#go-settings');
    await screen(page, 'settings');
    await tick(page, 'khmer_digits');
    await page.click('#brand');
    await screen(page, 'home');
    assert.match(await page.textContent('.path-evaluation .path-line'), /១ ដល់ ៥/);
    await page.goto('/#/new/evaluation');
    await screen(page, 'report');
    assert.equal(await page.textContent('.steps'), 'ជំហានទី ១ នៃ ៣ · ទីកន្លែង និងសេវា');
    // English: Latin digits whatever the setting
    await setLanguage(page, 'en');
    assert.match(await page.textContent('.steps'), /^Step 1 of 3/);
    // a date in each language
    const dates = await page.evaluate(async () => {
      const i18n = await import('/common/i18n.js');
      const en = i18n.formatDate('2026-12-02T03:00:00Z');
      await i18n.loadLanguage('km', { save: false });
      const km = i18n.formatDate('2026-12-02T03:00:00Z');
      await i18n.loadLanguage('en', { save: false });
      return { en, km };
    });
    assert.match(dates.en, /^2 December 2026(,| at) 10:00$/);
    assert.match(dates.km, /^ថ្ងៃទី ២ ខែធ្នូ ឆ្នាំ ២០២៦ ម៉ោង ១០:០០$/);
    // the language is remembered on the phone
    await page.reload();
    await screen(page, 'report');
    assert.equal(await page.getAttribute('html', 'lang'), 'en');
    p.assertNoErrors();
    await p.close();
  });
});
