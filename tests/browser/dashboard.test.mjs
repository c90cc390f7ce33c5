// The public dashboard (web/dashboard/) in Chromium against a real server whose database
// holds `ourvoice seed --synthetic` cases: the national figures in Khmer and English at
// 1280 px and 360 px, equal to what GET /api/v1/stats answers; the map drawn from
// data/geo (served at /dashboard/geo/); a drill-down by clicking a province then a
// district on the map, with "<5" where the API hides a cell; an office scorecard compared
// with its district and province and split by sex; the dialogue report printed to an A4
// PDF (page.pdf) and turned into PNG pages with pdftoppm; the open-data links; bad places,
// offices and periods. Screenshots go to artifacts/screenshots/dashboard/, the report's
// PDF and its pages to artifacts/dashboard/.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, readFile, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import { chromium } from 'playwright-core';

import { REPO, startServer, ourvoice, getJson } from '../api/harness.mjs';

const run = promisify(execFile);
const SHOTS = path.join(REPO, 'artifacts', 'screenshots', 'dashboard');
const PRINTS = path.join(REPO, 'artifacts', 'dashboard');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const WIDTHS = [[1280, 900], [360, 740]];
const SEEDED = 6000;

const catalogue = {};
let server, base, browser;
const shared = {}; // what the first tests find in the data, for the next ones

before(async () => {
  await mkdir(SHOTS, { recursive: true });
  await rm(PRINTS, { recursive: true, force: true });
  await mkdir(PRINTS, { recursive: true });
  server = await startServer({ env: { OURVOICE_JOBS_INTERVAL: '3600' } });
  base = server.url;
  // every case inside the default period (the last 12 months), so the page's default
  // period holds them all
  await ourvoice(['seed', '--db', server.db, '--synthetic', String(SEEDED), '--seed', '11', '--months', '12'], { env: server.env });
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

const api = (q) => getJson(base, q);

/**
 * A new browser context and page in a language, watching for console errors (CSP
 * violations included), page errors and refused requests; page.check(allowed) asserts
 * there were none but the [path regexp, status] the test provoked on purpose.
 */
async function open({ lang = 'km', width = 1280, height = 900 } = {}) {
  const context = await browser.newContext({ viewport: { width, height }, acceptDownloads: true, baseURL: base });
  await context.addInitScript((l) => {
    if (!localStorage.getItem('ourvoice.lang')) localStorage.setItem('ourvoice.lang', l);
    document.addEventListener('securitypolicyviolation', (e) => console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`));
  }, lang);
  const page = await context.newPage();
  page.setDefaultTimeout(15000);
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
    if (r.status() >= 400) refused.push([new URL(r.url()).pathname + new URL(r.url()).search, r.status()]);
  });
  page.check = (allowed = []) => {
    assert.deepEqual(problems, [], 'console or page errors');
    const unexpected = refused.filter(([p, st]) => !allowed.some(([ap, ast]) => ap.test(p) && ast === st));
    assert.deepEqual(unexpected, [], 'requests refused that the test did not provoke');
  };
  page.close_ = () => context.close();
  return page;
}

/** Waits until the page has drawn everything (body[data-ready="1"]), in `lang` if given. */
async function ready(page, lang) {
  await page.waitForFunction((l) => document.body.dataset.ready === '1' && (!l || document.documentElement.lang === l), lang ?? null);
}

async function lang(page) {
  return page.evaluate(() => document.documentElement.lang);
}

async function switchLanguage(page, to) {
  if ((await lang(page)) === to) return;
  await page.click('#lang');
  await ready(page, to);
}

/**
 * Screenshots of the page as it is, in both languages at both widths (then back to the
 * first language at 1280 px): no sideways scrolling, no program value and no catalogue key
 * on the page.
 */
async function shots(page, name) {
  const first = await lang(page);
  for (const l of [first, first === 'km' ? 'en' : 'km']) {
    await switchLanguage(page, l);
    for (const [width, height] of WIDTHS) {
      await page.setViewportSize({ width, height });
      await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
      await ready(page, l);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      assert.ok(overflow <= 1, `${name} (${l}, ${width} px) is wider than the screen by ${overflow} px`);
      if (width === 1280) {
        // (the data dictionary says in words that a hidden cell is "null in JSON")
        const text = (await page.evaluate(() => document.body.innerText)).replace(/\bnull in JSON\b/g, '');
        assert.doesNotMatch(text, /\b(null|undefined|NaN)\b|\[object /, `${name} (${l}) shows a program value`);
        assert.doesNotMatch(text, /\b(dash|error)\.[a-z_]+(\.[a-z_0-9]+)*\b/, `${name} (${l}) shows a catalogue key`);
      }
      await page.screenshot({ path: path.join(SHOTS, `${name}-${l}-${width}.png`), fullPage: true });
    }
  }
  await switchLanguage(page, first);
  await page.setViewportSize({ width: 1280, height: 900 });
  await ready(page, first);
}

// ---- how the page writes the API's numbers (the same rules as web/dashboard/lib/stats.js)
const COUNTS = ['cases', 'complaints', 'support', 'information', 'evaluation', 'open', 'overcharged'];
const SHARES = ['response_rate', 'answered_in_time', 'satisfaction'];

/** The API's value of a figure as the page's data-value attribute holds it. */
function expected(name, f) {
  let v;
  if (name.startsWith('score_')) v = f.scores ? f.scores[name.slice(6)] : null;
  else if (name === 'acknowledge_days' || name === 'answer_days') v = f[name] ? f[name].median : null;
  else if (name === 'acknowledge_p90') v = f.acknowledge_days ? f.acknowledge_days.p90 : null;
  else if (name === 'answer_p90') v = f.answer_days ? f.answer_days.p90 : null;
  else v = f[name];
  if (v !== null && v !== undefined) return String(v);
  return COUNTS.includes(name) || f.suppressed ? 'hidden' : 'none';
}

/** A whole number with thousands separators, as the page writes it (ASCII digits). */
function grouped(n) {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** The data-value of every cell of a table's rows: {rowKey: [values…]}. */
async function tableValues(page, selector) {
  return page.$$eval(`${selector} tbody tr`, (rows) => Object.fromEntries(rows.map((tr) =>
    [tr.dataset.key, [...tr.querySelectorAll('td .v')].map((v) => v.dataset.value)])));
}

const AREA_FIGURES = ['cases', 'response_rate', 'satisfaction']; // the areas table, figure "cases"

test('the dashboard: national figures in Khmer and English, equal to the API, with the map', async () => {
  const page = await open({ lang: 'km' });
  await page.goto('/dashboard/');
  await ready(page, 'km');
  const doc = await api('/api/v1/stats?by=area');
  assert.equal(doc.rows.length, 25);
  assert.ok(doc.total.cases > SEEDED * 0.9, `the seeded cases are in the default period (${doc.total.cases})`);

  // Khmer first: the title, the catalogue's words, the figures as the API gives them
  assert.equal(await page.textContent('h1'), s('km', 'dash.title_of', { name: s('km', 'dash.nation') }));
  assert.equal(await page.textContent('#headline-h'), s('km', 'dash.headline.title'));
  for (const name of [...COUNTS, ...SHARES, 'acknowledge_days', 'answer_days']) {
    assert.equal(await page.getAttribute(`#headline [data-figure="${name}"] .card-value .v`, 'data-value'), expected(name, doc.total), name);
  }
  assert.equal(await page.textContent('#headline [data-figure="cases"] .card-value'), grouped(doc.total.cases));
  assert.equal(await page.textContent('#headline [data-figure="response_rate"] .card-value'),
    s('km', 'dash.pct', { n: Math.round(doc.total.response_rate * 100) }));
  assert.equal(await page.textContent('#headline [data-figure="answer_days"] .card-value'),
    s('km', doc.total.answer_days.median === 1 ? 'dash.day' : 'dash.days', { n: doc.total.answer_days.median }));

  // the map: one link per province, drawn from data/geo/provinces.geojson, shaded
  const codes = await page.$$eval('#map a.area-link', (as) => as.map((a) => a.dataset.code).sort());
  assert.deepEqual(codes, doc.rows.map((r) => r.key).sort());
  assert.ok(await page.$$eval('#map path[class*="step-"]', (ps) => ps.length) >= 20, 'provinces are shaded');
  assert.ok(await page.isVisible('#map figcaption .legend li'), 'the map has a legend');
  // … and the same numbers as a table, the total last
  const table = await tableValues(page, '#areas-table');
  for (const r of doc.rows) assert.deepEqual(table[r.key], AREA_FIGURES.map((f) => expected(f, r)), `province ${r.key}`);
  assert.deepEqual(table.total, AREA_FIGURES.map((f) => expected(f, doc.total)));

  // trend by month: every month of the period, each with its value written on the chart
  const months = await api('/api/v1/stats?by=month');
  const trend = await page.$$eval('#trend [data-chart="trend"] .col-value', (ts) => ts.map((x) => x.textContent));
  assert.deepEqual(trend, months.rows.map((r) => (r.cases === null ? '<5' : grouped(r.cases))));

  // kinds, sexes and services: the rows the API gives, in its order
  const sex = await api('/api/v1/stats?by=sex');
  const sexTable = await tableValues(page, '#by-sex table');
  for (const r of sex.rows) assert.equal(sexTable[r.key][0], expected('cases', r), `sex ${r.key}`);
  assert.deepEqual(await page.$$eval('#by-sex .bar-label', (ls) => ls.map((l) => l.textContent)), sex.rows.map((r) => r.label_km));
  const service = await api('/api/v1/stats?by=service');
  const serviceTable = await tableValues(page, '#by-service table');
  assert.equal(Object.keys(serviceTable).length, service.rows.length + 1);
  for (const r of service.rows) assert.equal(serviceTable[r.key][0], expected('cases', r), `service ${r.key}`);
  const kinds = await api('/api/v1/stats?by=kind');
  assert.deepEqual(await page.$$eval('#by-kind .bar-row .v', (vs) => vs.map((v) => v.dataset.value)), kinds.rows.map((r) => expected('cases', r)));
  assert.ok(await page.isVisible('#note-hidden'), 'what "<5" means is explained');

  await shots(page, 'national');

  // English: the same numbers, English words
  await switchLanguage(page, 'en');
  assert.equal(await page.textContent('h1'), s('en', 'dash.title_of', { name: s('en', 'dash.nation') }));
  assert.equal(await page.textContent('#headline [data-figure="cases"] .card-title'), s('en', 'dash.fig.cases'));
  assert.equal(await page.textContent('#headline [data-figure="cases"] .card-value'), grouped(doc.total.cases));
  assert.equal(await page.textContent('#areas-table tr[data-key="12"] th a'), doc.rows.find((r) => r.key === '12').label_en);
  // the colour of the map follows the chosen figure, and so does the trend
  await page.selectOption('#figure', 'satisfaction');
  await page.waitForFunction(() => location.search.includes('fig=satisfaction') && document.body.dataset.ready === '1');
  assert.equal(await page.textContent('#areas-h'), s('en', 'dash.areas.title.province', { figure: s('en', 'dash.fig.satisfaction') }));
  const shown = await page.$$eval('#trend [data-chart="trend"] .col-value', (ts) => ts.map((x) => x.textContent));
  assert.deepEqual(shown, months.rows.map((r) => (r.satisfaction === null ? (r.suppressed ? '<5' : '—') : `${Math.round(r.satisfaction * 100)}%`)));
  await page.screenshot({ path: path.join(SHOTS, 'national-satisfaction-en-1280.png'), fullPage: true });
  page.check();
  await page.close_();

  shared.nation = doc;
});

test('drill-down: a province on the map, then a district; "<5" where the API hides a cell', async () => {
  const nation = shared.nation ?? await api('/api/v1/stats?by=area');
  const province = nation.rows.slice().sort((a, b) => (b.cases ?? 0) - (a.cases ?? 0))[0];
  const page = await open({ lang: 'km' });
  await page.goto('/dashboard/');
  await ready(page, 'km');

  await page.click(`#map a.area-link[data-code="${province.key}"]`);
  await page.waitForFunction((c) => new URLSearchParams(location.search).get('area') === c && document.body.dataset.ready === '1', province.key);
  const pdoc = await api(`/api/v1/stats?area=${province.key}&by=area`);
  assert.equal(await page.textContent('h1'), s('km', 'dash.title_of', { name: pdoc.scope.name_km }));
  assert.equal(await page.textContent('#headline [data-figure="cases"] .card-value .v'), grouped(pdoc.total.cases));
  // the districts' map (2014 boundaries of this province) and table
  const drawn = await page.$$eval('#map a.area-link', (as) => as.map((a) => a.dataset.code));
  assert.ok(drawn.length >= 3, `districts on the map: ${drawn.length}`);
  const districts = await tableValues(page, '#areas-table');
  for (const r of pdoc.rows) assert.deepEqual(districts[r.key], AREA_FIGURES.map((f) => expected(f, r)), `district ${r.key}`);

  // a hidden cell in this province (an office or a district of fewer than 5 cases) says "<5"
  const offices = await api(`/api/v1/stats?area=${province.key}&by=office`);
  const hidden = offices.rows.find((r) => r.suppressed);
  assert.ok(hidden, 'the seeded data has an office of fewer than 5 cases in the province');
  const row = `#offices-table tr[data-key="${hidden.key}"]`;
  assert.equal(await page.textContent(`${row} td .v`), '<5');
  assert.equal(await page.getAttribute(`${row} td .v`, 'data-value'), 'hidden');
  assert.equal(await page.getAttribute(`${row} td .v abbr`, 'title'), s('km', 'dash.hidden_title'));
  assert.equal(await page.textContent('#note-hidden'), `${s('km', 'dash.hidden')} ${s('km', 'dash.notes.hidden')}`);
  // the busiest offices first; a province's long list is cut, the rest one click away
  const busiest = offices.rows.filter((r) => !r.suppressed).sort((a, b) => b.cases - a.cases)[0];
  assert.equal(await page.getAttribute('#offices-table tbody tr:first-child', 'data-key'), busiest.key);
  assert.equal(await page.textContent(`#offices-table tr[data-key="${busiest.key}"] td .v`), grouped(busiest.cases));
  if (offices.rows.length > 15) {
    if (offices.rows.filter((r) => !r.suppressed).length >= 15) assert.equal(await page.isVisible(row), false, 'a hidden office is past the first 15');
    await page.click('#offices-more');
    assert.equal(await page.isVisible(row), true);
    assert.equal(await page.$$eval('#offices-table tbody tr:not([hidden])', (rs) => rs.length), offices.rows.length);
  }
  await shots(page, 'province');

  // a district: the one with the most cases that has a boundary of its own
  const district = pdoc.rows.filter((r) => drawn.includes(r.key)).sort((a, b) => (b.cases ?? 0) - (a.cases ?? 0))[0];
  await page.click(`#map a.area-link[data-code="${district.key}"]`);
  await page.waitForFunction((c) => new URLSearchParams(location.search).get('area') === c && document.body.dataset.ready === '1', district.key);
  const ddoc = await api(`/api/v1/stats?area=${district.key}&by=area`);
  assert.equal(await page.textContent('h1'), s('km', 'dash.title_of', { name: ddoc.scope.name_km }));
  assert.deepEqual(await page.$$eval('.crumbs li', (ls) => ls.map((l) => l.textContent)), [s('km', 'dash.nation'), pdoc.scope.name_km, ddoc.scope.name_km]);
  assert.equal(await page.$('#map'), null, 'no map below the district level: the communes are a table');
  const communes = await tableValues(page, '#areas-table');
  for (const r of ddoc.rows) assert.deepEqual(communes[r.key], AREA_FIGURES.map((f) => expected(f, r)), `commune ${r.key}`);
  const dOffices = await api(`/api/v1/stats?area=${district.key}&by=office`);
  const listed = await page.$$eval('#offices-table tbody tr', (rs) => rs.map((r) => [r.dataset.key, r.querySelector('td .v').dataset.value]));
  assert.deepEqual(listed.map(([k]) => k).sort(), dOffices.rows.map((r) => r.key).sort());
  for (const [key, value] of listed) assert.equal(value, expected('cases', dOffices.rows.find((r) => r.key === key)), `office ${key}`);
  assert.ok(await page.$$eval('[data-value="hidden"]', (vs) => vs.length) > 0, 'a district page has hidden cells');
  await shots(page, 'district');

  // back: the province again, without a reload
  await page.goBack();
  await page.waitForFunction((c) => new URLSearchParams(location.search).get('area') === c && document.body.dataset.ready === '1', province.key);
  assert.equal(await page.textContent('h1'), s('km', 'dash.title_of', { name: pdoc.scope.name_km }));
  page.check();
  await page.close_();

  shared.province = province.key;
});

/** An office of a district (OWSO or ombudsman) with many cases, for the scorecard. */
async function districtOffice() {
  const all = await api('/api/v1/stats?by=office');
  const busiest = all.rows.filter((r) => !r.suppressed).sort((a, b) => b.cases - a.cases).slice(0, 40);
  for (const r of busiest) {
    const doc = await api(`/api/v1/stats?office=${r.key}`);
    if (String(doc.scope.area).length >= 4) return doc;
  }
  return api(`/api/v1/stats?office=${busiest[0].key}`);
}

test('office scorecard: scores and response beside its district and province, women and men', async () => {
  const doc = await districtOffice();
  const id = doc.scope.office;
  const area = String(doc.scope.area);
  const sex = await api(`/api/v1/stats?office=${id}&by=sex`);
  const q = `from=${doc.period.from}&to=${doc.period.to}`;
  const district = area.length >= 4 ? await api(`/api/v1/stats?area=${area.slice(0, 4)}&${q}`) : null;
  const province = await api(`/api/v1/stats?area=${area.slice(0, 2)}&${q}`);
  const nation = await api(`/api/v1/stats?${q}`);

  const page = await open({ lang: 'km' });
  await page.goto(`/dashboard/office.html?id=${id}`);
  await ready(page, 'km');
  assert.equal(await page.textContent('h1'), doc.scope.name_km);
  assert.equal(await page.textContent('.report-kicker'), s('km', 'dash.sc.kicker'));
  const female = sex.rows.find((r) => r.key === 'female');
  const male = sex.rows.find((r) => r.key === 'male');
  const columns = [['office', doc.total], ['female', female], ['male', male], ['district', district && district.total],
    ['province', province.total], ['nation', nation.total]].filter(([, f]) => f);
  const check = async (table, figures) => {
    for (const fig of figures) {
      for (const [col, f] of columns) {
        assert.equal(await page.getAttribute(`${table} tr[data-key="${fig}"] [data-col="${col}"] .v`, 'data-value'), expected(fig, f), `${table} ${fig} ${col}`);
      }
    }
  };
  await check('#performance-table', ['cases', 'response_rate', 'acknowledge_days', 'acknowledge_p90', 'answer_days', 'answer_p90', 'answered_in_time', 'satisfaction', 'rating']);
  await check('#scores-table', ['score_timeliness', 'score_official_fee', 'score_courtesy', 'score_clear_information', 'score_women_safety', 'score_overall']);
  const head = await page.$$eval('#performance-table thead th', (ths) => ths.map((x) => x.textContent));
  assert.deepEqual(head.slice(1, 4), [s('km', 'dash.sc.col.office'), s('km', 'dash.sc.col.female'), s('km', 'dash.sc.col.male')]);
  if (district) assert.ok(head.includes(s('km', 'dash.sc.col.district', { name: district.scope.name_km })), head.join(' | '));
  assert.ok(head.includes(s('km', 'dash.sc.col.province', { name: province.scope.name_km })), head.join(' | '));
  // the scores as bars, each series named (no colour to match)
  const groups = await page.$$eval('#scores .group', (gs) => gs.length);
  assert.equal(groups, 6);
  const sexTable = await tableValues(page, '#by-sex table');
  for (const r of sex.rows) assert.equal(sexTable[r.key][0], expected('cases', r));
  await shots(page, 'scorecard');

  await switchLanguage(page, 'en');
  assert.equal(await page.textContent('h1'), doc.scope.name_en);
  assert.equal(await page.textContent('#scores-h'), s('en', 'dash.sc.scores.title'));
  page.check();
  await page.close_();
  shared.office = doc;
});

/** Prints the report page to A4 PDF and turns it into PNG pages; returns {pages, text}. */
async function printReport(page, name) {
  const pdf = path.join(PRINTS, `${name}.pdf`);
  await page.pdf({ path: pdf, format: 'A4', printBackground: true, preferCSSPageSize: true, displayHeaderFooter: false });
  await run('pdftoppm', ['-r', '60', '-png', pdf, path.join(PRINTS, name)]);
  const pages = (await readdir(PRINTS)).filter((f) => f.startsWith(`${name}-`) && f.endsWith('.png'));
  const { stdout: text } = await run('pdftotext', ['-layout', pdf, '-'], { maxBuffer: 16 << 20 });
  return { pages, text };
}

test('dialogue report: complete when ready, printed to an A4 PDF, its pages kept as PNG', async () => {
  const code = shared.province ?? '17';
  const doc = await api(`/api/v1/stats?area=${code}&by=area`);
  const period = `from=${doc.period.from}&to=${doc.period.to}`;
  const services = await api(`/api/v1/stats?area=${code}&by=service&${period}`);
  const quotes = await api(`/api/v1/stats/quotes?area=${code}&${period}&limit=10`);

  // English, chosen by the address as `ourvoice report` can
  const page = await open({ lang: 'km' });
  await page.goto(`/dashboard/report.html?area=${code}&${period}&lang=en`);
  await ready(page, 'en');
  assert.equal(await page.textContent('h1'), doc.scope.name_en);
  assert.equal(await page.textContent('.report-kicker'), s('en', 'dash.report.kicker'));
  assert.equal(await page.textContent('#headline [data-figure="cases"] .card-value'), grouped(doc.total.cases));
  // most frequent issues: services by complaints, largest first
  const top = services.rows.filter((r) => r.complaints !== null).sort((a, b) => b.complaints - a.complaints)[0];
  const firstBar = await page.$eval('#issues .bars .bar-row', (li) => [li.querySelector('.bar-label').textContent, li.querySelector('.v').dataset.value]);
  assert.deepEqual(firstBar, [top.label_en, String(top.complaints)]);
  assert.equal(await page.textContent('#issues h3:nth-of-type(2)'), s('en', 'dash.report.top_overcharged'));
  // quotations, as text
  const shownQuotes = await page.$$eval('#quotes blockquote', (bs) => bs.map((b) => b.textContent));
  assert.deepEqual(shownQuotes, quotes.quotes.map((x) => `“${x.text}”`));
  assert.ok(await page.$('#map a.area-link'), 'the districts map');
  assert.equal(await page.$$eval('#actions tbody tr', (rs) => rs.length), 6, 'the blank action plan');

  const en = await printReport(page, 'report-en');
  assert.ok(en.pages.length >= 2, `pages: ${en.pages.length}`);
  assert.match(en.text, new RegExp(s('en', 'dash.report.kicker').replace(/[·]/g, '.')));
  assert.ok(en.text.includes(doc.scope.name_en), 'the place is printed');
  assert.ok(en.text.includes(grouped(doc.total.cases)), 'the number of cases is printed');
  assert.ok(en.text.includes(s('en', 'dash.report.actions')), 'the last page is printed');
  assert.doesNotMatch(en.text, /127\.0\.0\.1|about:blank/, 'no browser header or footer, no local address');

  // Khmer
  await page.goto(`/dashboard/report.html?area=${code}&${period}&lang=km`);
  await ready(page, 'km');
  assert.equal(await page.textContent('h1'), doc.scope.name_km);
  assert.equal(await page.textContent('#scores-h'), s('km', 'dash.sc.scores.title'));
  const km = await printReport(page, 'report-km');
  assert.ok(km.pages.length >= 2, `pages: ${km.pages.length}`);
  assert.match(km.text, /[\u1780-\u17ff]/, 'Khmer text is printed');
  await page.screenshot({ path: path.join(SHOTS, 'report-km-1280.png'), fullPage: true });

  // an office's report: the office beside its district and province
  const office = shared.office ?? await districtOffice();
  await page.goto(`/dashboard/report.html?office=${office.scope.office}&lang=en`);
  await ready(page, 'en');
  assert.equal(await page.textContent('h1'), office.scope.name_en);
  assert.equal(await page.getAttribute('#performance-table tr[data-key="cases"] [data-col="office"] .v', 'data-value'), expected('cases', office.total));
  const off = await printReport(page, 'report-office-en');
  assert.ok(off.pages.length >= 2);
  assert.ok(off.text.includes(office.scope.name_en));
  page.check();
  await page.close_();
});

test('open data: CSV and JSON of what is shown, and the dictionary', async () => {
  const code = shared.province ?? '17';
  const page = await open({ lang: 'en' });
  await page.goto(`/dashboard/?area=${code}`);
  await ready(page, 'en');
  const links = await page.$$eval('#reuse [data-download]', (lis) => lis.map((li) => [li.dataset.download,
    li.querySelector('[data-format="csv"]').getAttribute('href'), li.querySelector('[data-format="json"]').getAttribute('href')]));
  assert.deepEqual(links.map(([n]) => n), ['area', 'month', 'kind', 'sex', 'service', 'office']);
  for (const [by, csv, json] of links) {
    assert.equal(json, `/api/v1/stats?area=${code}&by=${by}`);
    assert.equal(csv, `${json}&format=csv`);
  }
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#reuse [data-download="sex"] [data-format="csv"]')]);
  const csv = await readFile(await download.path(), 'utf8');
  const lines = csv.trim().split('\n');
  assert.match(lines[0], /^key,/);
  const sex = await api(`/api/v1/stats?area=${code}&by=sex`);
  assert.equal(lines.length, sex.rows.length + 2, 'a header, a line per row and the total');
  assert.match(download.suggestedFilename(), /\.csv$/);
  assert.equal(await page.getAttribute('#dictionary-link', 'href'), '/api/v1/stats/dictionary');

  // the open-data page: every breakdown of the place, and the dictionary in words
  await page.click('#reuse a[href^="/dashboard/data.html"]');
  await page.waitForURL(/\/dashboard\/data\.html\?area=/);
  await ready(page, 'en');
  const dict = await api('/api/v1/stats/dictionary');
  assert.equal(await page.$$eval('#dictionary-fields tbody tr', (rs) => rs.length), dict.fields.length);
  assert.equal(await page.textContent('#dictionary-fields tr[data-key="cases"] td:last-child'), dict.fields.find((f) => f.name === 'cases').en);
  const all = await page.$$eval('#downloads [data-download]', (lis) => lis.map((li) => li.dataset.download));
  assert.deepEqual(all, ['total', 'month', 'area', 'kind', 'status', 'sex', 'age_band', 'disability', 'service', 'office']);
  await shots(page, 'open-data');
  await switchLanguage(page, 'km');
  assert.equal(await page.textContent('#dictionary-fields tr[data-key="cases"] td:last-child'), dict.fields.find((f) => f.name === 'cases').km);
  page.check();
  await page.close_();
});

test('bad input: an unknown place or office, a wrong period — a clear message in both languages', async () => {
  const page = await open({ lang: 'km' });
  const both = async (key, code) => {
    await ready(page);
    const texts = await page.$$eval(`[data-problem="${key}"] .problem-text`, (ps) => ps.map((p) => [p.lang || document.documentElement.lang, p.textContent]));
    assert.deepEqual(texts, [['km', s('km', key)], ['en', s('en', key)]]);
    assert.equal(await page.evaluate(() => document.body.dataset.error), code);
  };
  await page.goto('/dashboard/?area=99');
  await both('dash.error.unknown_area', 'unknown_area');
  await page.screenshot({ path: path.join(SHOTS, 'unknown-area-km-1280.png'), fullPage: true });
  await page.goto('/dashboard/?area=12%3Cb%3E');
  await both('dash.error.unknown_area', 'not_found');
  assert.equal(await page.$('b'), null, 'nothing of the address is read as markup');
  await page.goto('/dashboard/office.html?id=999999');
  await both('dash.error.unknown_office', 'not_found');
  await page.goto('/dashboard/report.html?area=12&from=2026-13');
  await both('dash.error.invalid', 'invalid_value');
  await page.goto('/dashboard/?from=2026-05&to=2026-01');
  await both('dash.error.invalid', 'invalid_value');
  // the API's own refusal of a period (over 10 years)
  await page.goto('/dashboard/?from=2001-01&to=2026-01');
  await both('dash.error.invalid', 'invalid_value');
  await page.setViewportSize({ width: 360, height: 740 });
  await page.screenshot({ path: path.join(SHOTS, 'bad-period-km-360.png'), fullPage: true });
  page.check([[/^\/api\/v1\/stats\?area=99/, 400], [/^\/api\/v1\/stats\?office=999999/, 404],
    [/^\/api\/v1\/stats\?from=2001-01/, 400], [/^\/api\/v1\/stats\?from=2001-01/, 422]]);
  await page.close_();
});

test('the boundaries come from data/geo, compressed, and nothing else of data/ is served', async () => {
  const res = await fetch(`${base}/dashboard/geo/provinces.geojson`, { headers: { 'Accept-Encoding': 'gzip' } });
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type'), /^application\/geo\+json/);
  assert.equal(res.headers.get('content-encoding'), 'gzip');
  const doc = await res.json();
  const file = JSON.parse(await readFile(path.join(REPO, 'data', 'geo', 'provinces.geojson'), 'utf8'));
  assert.deepEqual(doc, file);
  for (const p of ['/dashboard/geo/label_points.csv', '/dashboard/geo/../README.md', '/dashboard/README.md', '/dashboard/geo/']) {
    const r = await fetch(`${base}${p}`);
    assert.equal(r.status, 404, p);
  }
});
