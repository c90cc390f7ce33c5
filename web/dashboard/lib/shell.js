// The frame every dashboard page shares: the language (Khmer first; ?lang=km|en chooses it
// for this visit only, as `ourvoice report` does), the header and its language switch, the
// query string, error messages in both languages, and the "ready" mark. A page's render()
// draws into <main>; when it and every chart are done (fonts included) the body gets
// data-ready="1" — the signal tests and the PDF printer wait for. When the page shows a
// problem instead of figures the body also gets data-error="CODE".
import {
  loadLanguage, savedLanguage, language, t, translate, setKhmerDigits, savedKhmerDigits,
} from '/common/i18n.js';
import { ApiError } from '/common/api.js';
import { h, fill } from '/common/dom.js';

const LANGS = ['km', 'en'];
let renderPage = null;
let drawing = 0;
let live = []; // charts drawn at the width they get: {el, draw(width) → node, width}

// A chart that is drawn at its box's width, once the page is shown and again when the width
// changes (a phone turned, a window resized, printing).
export function responsive(el, draw) {
  live.push({ el, draw, width: -1 });
  return el;
}

function layout() {
  for (const c of live) {
    if (!c.el.isConnected) continue;
    const width = Math.floor(c.el.clientWidth);
    if (width === c.width) continue;
    c.width = width;
    c.el.replaceChildren(c.draw(width));
  }
}

export function params() {
  return new URLSearchParams(location.search);
}

// A dashboard URL: path with the given parameters (empty ones left out).
export function link(path, values = {}) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(values)) if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `${path}?${s}` : path;
}

// Going to another view of the same page without reloading it (the catalogue, the
// boundaries and the answers already fetched stay in memory); the back button works.
// keep: stay where the reader is (a new figure for the map), focusing `focus` again;
// otherwise, as for a new page, go to the top and focus the heading.
export async function go(url, { keep = false, focus = null } = {}) {
  history.pushState(null, '', url);
  await redraw();
  const main = document.getElementById('view');
  const target = keep && focus ? main.querySelector(focus) : main.querySelector('h1');
  if (!keep) window.scrollTo(0, 0);
  if (target) {
    if (target.tagName === 'H1') target.tabIndex = -1;
    target.focus({ preventScroll: keep });
  }
}

// Follows a click on an in-page link (a plain click only: a middle click, or one with a
// modifier key, opens a tab as usual).
export function followLinks(root, samePath) {
  root.addEventListener('click', (ev) => {
    if (ev.defaultPrevented || ev.button !== 0 || ev.metaKey || ev.ctrlKey || ev.shiftKey || ev.altKey) return;
    const a = ev.target.closest('a[href]');
    if (!a || a.target || a.hasAttribute('download')) return;
    const href = a.getAttribute('href') || a.getAttribute('xlink:href');
    const url = new URL(href, location.href);
    if (url.origin !== location.origin || url.pathname !== samePath) return;
    ev.preventDefault();
    go(url.pathname + url.search);
  });
}

function other(lang) {
  return lang === 'km' ? 'en' : 'km';
}

// The other language's catalogue, for messages shown in both languages.
const catalogues = new Map();
async function catalogue(lang) {
  if (!catalogues.has(lang)) {
    catalogues.set(lang, fetch(`/common/i18n/${lang}.json`).then((r) => (r.ok ? r.json() : {})).catch(() => ({})));
  }
  return catalogues.get(lang);
}

// The catalogue key that says what went wrong. context: 'area' or 'office' (what the page
// was asked to show), for a 404.
export function problemKey(e, context = 'area') {
  if (e instanceof ApiError) {
    if (e.status === 0) return 'error.network';
    if (e.code === 'unknown_area') return 'dash.error.unknown_area';
    if (e.code === 'unknown_office') return 'dash.error.unknown_office';
    if (e.code === 'not_found') return context === 'office' ? 'dash.error.unknown_office' : 'dash.error.unknown_area';
    if (e.code === 'invalid_value' || e.code === 'out_of_range') return 'dash.error.invalid';
    if (e.code === 'rate_limited' || e.code === 'unavailable') return `error.${e.code}`;
    return 'dash.error.failed';
  }
  if (e && typeof e.key === 'string') return e.key;
  return 'dash.error.failed';
}

// A problem the page can name itself (a bad parameter), shown like an API error.
export class PageProblem extends Error {
  constructor(key, code = 'invalid_value') {
    super(key);
    this.key = key;
    this.code = code;
  }
}

// The message of a problem in the current language, then in the other one.
// A part of a page that may fail on its own (one breakdown) without hiding the rest.
export async function part(promise, draw, context = 'area') {
  try {
    return draw(await promise);
  } catch (e) {
    return problem(e, context, { home: false });
  }
}

export async function problem(e, context, { home = true } = {}) {
  const key = problemKey(e, context);
  const second = other(language());
  const cat = await catalogue(second);
  const text2 = cat[key] || '';
  const box = h('div', { class: 'problem', role: 'alert', 'data-problem': key },
    h('p', { class: 'problem-text' }, t(key)),
    text2 && text2 !== t(key) ? h('p', { class: 'problem-text', lang: second }, text2) : null,
    home ? h('p', {}, h('a', { href: '/dashboard/', class: 'problem-home' }, t('dash.error.home')), ' · ',
      h('a', { href: '/dashboard/', lang: second }, cat['dash.error.home'] || '')) : null);
  return box;
}

// The code put in data-error: the API's error code, or the page's own.
function errorCode(e) {
  if (e instanceof ApiError) return e.code || 'internal';
  return (e && e.code) || 'internal';
}

// plain: links without the place and period (after a bad address, which they would repeat)
function header({ plain = false } = {}) {
  const bar = document.getElementById('bar');
  translate(bar);
  const btn = document.getElementById('lang');
  const next = other(language());
  btn.textContent = t('lang.switch');
  btn.lang = next;
  btn.setAttribute('aria-label', t('lang.switch_label'));
  btn.hidden = false;
  const nav = document.getElementById('nav');
  if (nav) nav.setAttribute('aria-label', t('dash.nav.label'));
  for (const a of document.querySelectorAll('#nav a[data-path]')) {
    if (a.dataset.page === 'citizen') continue;
    // the open-data page and the dashboard keep the place and period being looked at
    const q = params();
    const keep = {};
    if (!plain) for (const k of ['area', 'office', 'from', 'to']) if (q.get(k)) keep[k] = q.get(k);
    if (a.dataset.page === 'home' && keep.office) delete keep.office;
    a.setAttribute('href', link(a.dataset.path, keep));
    if (a.dataset.path === location.pathname || (a.dataset.path === '/dashboard/' && location.pathname === '/dashboard/index.html')) {
      a.setAttribute('aria-current', 'page');
    } else {
      a.removeAttribute('aria-current');
    }
  }
  const foot = document.getElementById('foot');
  if (foot) translate(foot);
}

// Draws the page again (after a language switch, a new period, a drill-down).
export async function redraw() {
  const seq = ++drawing;
  const main = document.getElementById('view');
  delete document.body.dataset.ready;
  delete document.body.dataset.error;
  main.setAttribute('aria-busy', 'true');
  header();
  live = [];
  const root = h('div', { class: 'page' });
  let failed = null;
  try {
    await renderPage(root);
  } catch (e) {
    if (seq !== drawing) return;
    failed = e;
    fill(root, h('h1', {}, t('dash.title')), await problem(e, root.dataset.context || 'area'));
  }
  if (seq !== drawing) return;
  fill(main, root);
  layout();
  const heading = root.querySelector('h1');
  document.title = `${heading ? heading.textContent : t('dash.title')} · ${t('app.name')}`;
  main.removeAttribute('aria-busy');
  if (failed) {
    document.body.dataset.error = errorCode(failed);
    header({ plain: true });
  }
  // complete only when the Khmer and Latin faces used are loaded (the PDF printer waits)
  try { await document.fonts.ready; } catch { /* nothing to wait for */ }
  if (seq !== drawing) return;
  document.body.dataset.ready = '1';
}

// Starts a page: render(root) fills a fresh element that then replaces <main>'s content.
export async function start(render) {
  renderPage = render;
  const asked = params().get('lang');
  const lang = LANGS.includes(asked) ? asked : savedLanguage();
  await loadLanguage(lang, { save: false });
  setKhmerDigits(savedKhmerDigits(), { save: false });
  document.getElementById('lang').addEventListener('click', async () => {
    await loadLanguage(other(language()));
    const q = params();
    if (q.has('lang')) {
      q.delete('lang');
      const s = q.toString();
      history.replaceState(null, '', s ? `${location.pathname}?${s}` : location.pathname);
    }
    await redraw();
  });
  window.addEventListener('popstate', () => redraw());
  let pending = 0;
  window.addEventListener('resize', () => {
    cancelAnimationFrame(pending);
    pending = requestAnimationFrame(layout);
  });
  window.addEventListener('beforeprint', layout);
  await redraw();
}
