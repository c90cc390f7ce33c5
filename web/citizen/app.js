// The citizen app's shell: language, the screens (each a module loaded when first needed),
// the notices (offline, reports waiting to be sent, receipts of reports sent later) and
// the service worker. Routes live in the URL's fragment: #/, #/new/KIND, #/receipt,
// #/track, #/mine, #/settings.
import { loadLanguage, savedLanguage, language, t, translate, setKhmerDigits, savedKhmerDigits } from '/common/i18n.js';
import { h } from '/common/dom.js';
import * as device from './lib/device.js';

const screens = {
  home: () => import('./screens/home.js'),
  report: () => import('./screens/report.js'),
  receipt: () => import('./screens/receipt.js'),
  track: () => import('./screens/track.js'),
  mine: () => import('./screens/mine.js'),
  settings: () => import('./screens/settings.js'),
};

const view = document.getElementById('view');
const root = document.documentElement;
let current = { name: null, module: null };
let routing = 0;
let waitingCount = 0;

export const app = {
  // in memory only, never stored: the receipt to show once, a receipt picked to follow up
  state: {},
  go(hash) {
    if (location.hash === hash) route();
    else location.hash = hash;
  },
  rerender: () => route({ rerender: true }),
  say(text) {
    const live = document.getElementById('live');
    live.textContent = '';
    setTimeout(() => { live.textContent = text; }, 50);
  },
  // After a submission: shows its receipt (once).
  showReceipt(answer, kind) {
    app.state.receipt = { ...answer, kind };
    app.go('#/receipt');
  },
  async showSent(id) {
    const outbox = await import('./lib/outbox.js');
    const item = await outbox.takeSent(id);
    await refreshNotices();
    if (item) app.showReceipt(item.answer, item.kind);
  },
  async setLanguage(lang) {
    await loadLanguage(lang, { save: !device.isForgotten() });
    chrome();
    await refreshNotices();
    await route({ rerender: true });
  },
  refreshNotices: () => refreshNotices(),
  flush: () => flush(),
};

function parse(hash) {
  const parts = hash.replace(/^#\/?/, '').split('/').filter(Boolean);
  if (parts[0] === 'new') return { name: 'report', param: parts[1] || '' };
  if (screens[parts[0]] && parts[0] !== 'report') return { name: parts[0], param: parts[1] || '' };
  return { name: 'home', param: '' };
}

async function route({ rerender = false } = {}) {
  const seq = ++routing;
  const { name, param } = parse(location.hash);
  let module;
  try {
    module = await screens[name]();
  } catch {
    if (seq !== routing) return;
    view.replaceChildren(
      h('h1', { class: 'screen-title', tabindex: '-1' }, t('app.name')),
      h('p', { class: 'error', role: 'alert' }, t('error.network')),
      h('button', { type: 'button', class: 'button', onclick: () => route() }, t('action.retry')),
    );
    return;
  }
  if (seq !== routing) return;
  const same = rerender && current.name === name;
  // The first screen drawn by the app replaces, for the home screen, the same screen that
  // index.html brought (already on view: its scroll and focus stay where the citizen put them).
  const first = current.name === null && name === 'home';
  const active = document.activeElement;
  const focused = first && active && view.contains(active) ? active.getAttribute('href') : null;
  if (!same && current.module && current.module.leave) current.module.leave(app);
  current = { name, module };
  view.replaceChildren();
  view.setAttribute('aria-busy', 'true');
  await module.show(view, { app, param, rerender: same });
  if (seq !== routing) return;
  view.removeAttribute('aria-busy');
  document.body.dataset.screen = name;
  document.title = `${t(`title.${name}`)} · ${t('app.name')}`;
  if (!same && !first) {
    window.scrollTo(0, 0);
    const title = view.querySelector('h1');
    if (title) title.focus({ preventScroll: true });
  } else if (first && focused) {
    // the home screen of index.html, used before the app ran: the same link keeps the focus
    const again = view.querySelector(`a[href="${CSS.escape(focused)}"]`);
    if (again) again.focus({ preventScroll: true });
  }
}

function chrome() {
  translate(document.querySelector('header'));
  const lang = document.getElementById('lang');
  const other = language() === 'km' ? 'en' : 'km';
  lang.textContent = t('lang.switch');
  lang.lang = other;
  lang.setAttribute('aria-label', t('lang.switch_label'));
  lang.hidden = false;
}

async function refreshNotices() {
  const box = document.getElementById('notices');
  const items = [];
  if (!navigator.onLine) items.push(h('p', { class: 'notice notice-offline' }, t('notice.offline')));
  let waiting = [], sent = [];
  try {
    const outbox = await import('./lib/outbox.js');
    if (await outbox.exists()) [waiting, sent] = await Promise.all([outbox.waiting(), outbox.sent()]);
  } catch { /* no IndexedDB: nothing is waiting */ }
  waitingCount = waiting.filter((w) => !w.failed).length;
  if (waiting.length) {
    items.push(h('p', { class: 'notice notice-waiting' },
      t('notice.waiting', { n: waiting.length }), ' ',
      h('a', { href: '#/mine' }, t('notice.waiting_see'))));
  }
  for (const s of sent.slice(0, 1)) {
    items.push(h('div', { class: 'notice notice-sent', role: 'alert' },
      h('p', {}, t('notice.sent', { date: '' })),
      h('button', { type: 'button', class: 'button primary', 'data-sent': s.id, onclick: () => app.showSent(s.id) },
        t('notice.sent_show'))));
  }
  box.replaceChildren(...items);
  return { waiting, sent };
}

let flushing = false;
async function flush() {
  if (flushing || device.isForgotten() || !navigator.onLine) return;
  flushing = true;
  try {
    const outbox = await import('./lib/outbox.js');
    if (await outbox.exists()) {
      const n = await outbox.flush();
      if (n > 0) app.say(t('notice.sent'));
    }
  } catch { /* tried again later */ }
  flushing = false;
  await refreshNotices();
  if (current.name === 'mine') await route({ rerender: true });
}

async function start() {
  // index.html's home screen was usable before this module ran; its script kept a tap on the
  // language switch (data-want-lang) and marks the page while a tapped link's screen waits
  // ("opening"). From here the app answers them itself.
  const lang = document.getElementById('lang');
  setKhmerDigits(savedKhmerDigits(), { save: false });
  await loadLanguage(root.dataset.wantLang || savedLanguage(), { save: false });
  lang.onclick = null;
  window.onhashchange = null;
  const wanted = root.dataset.wantLang; // (maybe tapped while the catalogue was loading)
  delete root.dataset.wantLang;
  if (wanted) await loadLanguage(wanted);
  chrome();
  lang.addEventListener('click', () => app.setLanguage(language() === 'km' ? 'en' : 'km'));
  window.addEventListener('hashchange', () => route());
  window.addEventListener('online', () => { refreshNotices(); flush(); });
  window.addEventListener('offline', () => refreshNotices());
  await route();
  root.classList.remove('opening');
  await refreshNotices();
  flush();
  // retry what is waiting now and then, in case no "online" event comes
  setInterval(() => { if (waitingCount > 0) flush(); }, 10000);
  if ('serviceWorker' in navigator && !device.isForgotten()) {
    const register = () => navigator.serviceWorker.register('/sw.js', { scope: '/' }).catch(() => {});
    if (document.readyState === 'complete') register();
    else window.addEventListener('load', register, { once: true });
  }
}

start();
