// The staff console's shell: language, the session, the navigation for the user's role and
// the screens (one module each, loaded when first needed). Routes live in the URL's
// fragment: #/signin, #/inbox, #/case/NUMBER, #/dashboard, #/admin/SECTION, #/password.
import { loadLanguage, savedLanguage, language, t, translate } from '/common/i18n.js';
import { h } from '/common/dom.js';
import * as session from './lib/session.js';
import { label, localName, message } from './lib/ui.js';

const screens = {
  signin: { load: () => import('./screens/signin.js'), roles: null },
  inbox: { load: () => import('./screens/inbox.js'), roles: ['officer', 'head', 'ombudsman', 'ccwc', 'provincial_admin', 'national_admin'] },
  case: { load: () => import('./screens/case.js'), roles: ['officer', 'head', 'ombudsman', 'ccwc', 'provincial_admin', 'national_admin'] },
  dashboard: { load: () => import('./screens/dashboard.js'), roles: ['head', 'ombudsman', 'provincial_admin', 'national_admin'] },
  admin: { load: () => import('./screens/admin.js'), roles: ['provincial_admin', 'national_admin'] },
  password: { load: () => import('./screens/password.js'), roles: [] },
};

const view = document.getElementById('view');
let current = { name: null, module: null };
let routing = 0;

export const app = {
  state: {}, // in memory: the sign-in notice, the screen to go back to after signing in
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
  home() {
    return session.hasRole('analyst') ? '#/password' : '#/inbox'; // analysts use the public dashboard
  },
  async signedIn() {
    chrome();
    const back = app.state.after;
    app.state.after = null;
    app.go(back && !back.startsWith('#/signin') ? back : app.home());
  },
  async signOut() {
    await session.logout();
    app.state.notice = 'staff.signin.signed_out';
    chrome();
    app.go('#/signin');
  },
  async setLanguage(lang) {
    await loadLanguage(lang);
    chrome();
    await route({ rerender: true });
  },
};

function parse(hash) {
  const [path, query = ''] = hash.replace(/^#\/?/, '').split('?');
  const parts = path.split('/').filter(Boolean).map((p) => decodeURIComponent(p));
  const name = screens[parts[0]] ? parts[0] : null;
  return { name, param: parts.slice(1).join('/'), query: new URLSearchParams(query) };
}

async function route({ rerender = false } = {}) {
  const seq = ++routing;
  delete document.body.dataset.ready; // set again when the screen is shown (tests wait for it)
  let { name, param, query } = parse(location.hash);
  if (!session.signedIn() && name !== 'signin') {
    if (name) app.state.after = location.hash;
    if (location.hash !== '#/signin') {
      location.replace('#/signin');
      return;
    }
    name = 'signin';
  }
  if (session.signedIn() && (name === null || name === 'signin')) {
    location.replace(app.home());
    return;
  }
  const screen = screens[name];
  const same = rerender && current.name === name;
  if (!same && current.module && current.module.leave) current.module.leave(app);
  markNav(name, param);
  if (screen.roles && screen.roles.length && !session.hasRole(...screen.roles)) {
    current = { name, module: null };
    view.replaceChildren(h('h1', { class: 'screen-title', tabindex: '-1' }, t('staff.title.forbidden')),
      h('p', { class: 'error', role: 'alert' }, t('error.forbidden')),
      h('p', {}, h('a', { href: app.home() }, t('staff.nav.home'))));
    view.removeAttribute('aria-busy');
    document.body.dataset.ready = `forbidden:${language()}`;
    return;
  }
  let module;
  try {
    module = await screen.load();
  } catch {
    if (seq !== routing) return;
    view.replaceChildren(h('h1', { class: 'screen-title', tabindex: '-1' }, t('app.name')),
      h('p', { class: 'error', role: 'alert' }, t('error.network')),
      h('button', { type: 'button', onclick: () => route() }, t('staff.retry')));
    return;
  }
  if (seq !== routing) return;
  current = { name, module };
  const root = h('div', { class: `screen screen-${name}` });
  view.setAttribute('aria-busy', 'true');
  try {
    await module.show(root, { app, param, query, rerender: same });
  } catch (e) {
    root.append(h('p', { class: 'error', role: 'alert' }, message(e)));
  }
  if (seq !== routing) return;
  view.replaceChildren(root);
  view.removeAttribute('aria-busy');
  document.body.dataset.screen = name;
  document.body.dataset.ready = `${name}:${language()}`;
  const heading = root.querySelector('h1');
  document.title = `${heading ? heading.textContent : t(`staff.title.${name}`)} · ${t('app.name')}`;
  if (!same) {
    window.scrollTo(0, 0);
    if (heading) heading.focus({ preventScroll: true });
  }
}

function navItems() {
  const items = [];
  if (session.hasRole(...screens.inbox.roles)) items.push(['inbox', '#/inbox', 'staff.nav.inbox']);
  if (session.hasRole(...screens.dashboard.roles)) items.push(['dashboard', '#/dashboard', 'staff.nav.dashboard']);
  if (session.hasRole(...screens.admin.roles)) items.push(['admin', '#/admin/offices', 'staff.nav.admin']);
  items.push(['password', '#/password', 'staff.nav.password']);
  return items;
}

function markNav(name) {
  for (const a of document.querySelectorAll('#nav a')) {
    if (a.dataset.screen === name || (name === 'case' && a.dataset.screen === 'inbox')) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
}

// The header: brand, the navigation and who is signed in (when signed in), language.
function chrome() {
  translate(document.getElementById('bar'));
  const nav = document.getElementById('nav');
  const who = document.getElementById('who');
  const user = session.me();
  if (user) {
    nav.replaceChildren(h('ul', { role: 'list' }, navItems().map(([name, href, key]) =>
      h('li', {}, h('a', { href, 'data-screen': name, id: `nav-${name}` }, t(key))))));
    nav.setAttribute('aria-label', t('staff.nav.label'));
    nav.hidden = false;
    who.replaceChildren(
      h('span', { class: 'who-name', id: 'who-name' }, user.name || user.login),
      h('span', { class: 'who-role' }, label('role', user.role), user.office ? ` · ${localName(user.office)}` : ''),
      h('button', { type: 'button', id: 'signout', class: 'link-button', onclick: () => app.signOut() }, t('staff.nav.signout')));
    who.hidden = false;
  } else {
    nav.hidden = true;
    nav.replaceChildren();
    who.hidden = true;
    who.replaceChildren();
  }
  const lang = document.getElementById('lang');
  const other = language() === 'km' ? 'en' : 'km';
  lang.textContent = t('staff.lang.switch');
  lang.lang = other;
  lang.setAttribute('aria-label', t('staff.lang.switch_label'));
  lang.hidden = false;
  markNav(current.name);
}

async function start() {
  await loadLanguage(savedLanguage(), { save: false });
  document.getElementById('lang').addEventListener('click', () => app.setLanguage(language() === 'km' ? 'en' : 'km'));
  session.onEnd((code) => {
    app.state.notice = code === 'session_expired' ? 'error.session_expired' : 'staff.signin.please';
    if (!location.hash.startsWith('#/signin')) app.state.after = location.hash;
    chrome();
    app.go('#/signin');
  });
  try {
    const { ended } = await session.resume();
    if (ended) app.state.notice = 'error.session_expired';
  } catch (e) {
    app.state.noticeError = e;
  }
  chrome();
  window.addEventListener('hashchange', () => route());
  await route();
}

start();
