// The signed-in staff member and every call the console makes. The session itself is the
// HttpOnly cookie the server set; this module keeps only what /auth/login or /me answered
// (the user and the CSRF token, in memory), adds X-CSRF-Token to every mutating request,
// and reports once when the server says the session has ended (401).
import { api, ApiError } from '/common/api.js';

let user = null;
let csrf = null;
let ended = null; // function(code) the shell sets: back to the sign-in screen
// A hint (no secret) that this browser may hold a session cookie, so that a first visit
// does not ask /me only to be told "401".
const HINT = 'ourvoice.staff.signed_in';

function hint(on) {
  try {
    if (on) localStorage.setItem(HINT, '1');
    else localStorage.removeItem(HINT);
  } catch { /* storage may be off: /me is asked every time */ }
}

function hinted() {
  try { return localStorage.getItem(HINT) !== null; } catch { return true; }
}

export function signedIn() {
  return user !== null;
}

export function me() {
  return user;
}

export function role() {
  return user ? user.role : null;
}

export function hasRole(...roles) {
  return !!user && roles.includes(user.role);
}

export function set(doc) {
  user = doc.user;
  csrf = doc.csrf;
  hint(true);
}

export function clear() {
  user = null;
  csrf = null;
  hint(false);
}

export function onEnd(fn) {
  ended = fn;
}

// call('/api/v1/cases', {method, body, query}) → parsed JSON. query: an object whose
// empty values are left out.
export async function call(path, { method = 'GET', body, query } = {}) {
  const headers = {};
  if (method !== 'GET' && method !== 'HEAD' && csrf) headers['X-CSRF-Token'] = csrf;
  try {
    return await api(path + queryString(query), { method, body, headers });
  } catch (e) {
    if (e instanceof ApiError && e.status === 401 && user &&
        (e.code === 'session_expired' || e.code === 'unauthenticated')) {
      clear();
      if (ended) ended(e.code);
    }
    throw e;
  }
}

export function queryString(query) {
  if (!query) return '';
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined || v === null || v === '' || v === false) continue;
    p.set(k, v === true ? 'true' : String(v));
  }
  const s = p.toString();
  return s ? `?${s}` : '';
}

// Sign-in: resolves the user, or throws the ApiError (totp_required, invalid_credentials…).
export async function login(loginName, password, totp) {
  const body = { login: loginName, password };
  if (totp) body.totp = totp;
  const doc = await api('/api/v1/auth/login', { method: 'POST', body });
  set(doc);
  return user;
}

// The session the cookie carries, if any → {user, ended}: user null when not signed in,
// ended true when the server says the session has run out. Throws only for other
// failures (network, server).
export async function resume() {
  if (!hinted()) return { user: null, ended: false };
  try {
    set(await api('/api/v1/me'));
    return { user, ended: false };
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) {
      clear();
      return { user: null, ended: e.code === 'session_expired' };
    }
    throw e;
  }
}

export async function logout() {
  try {
    await call('/api/v1/auth/logout', { method: 'POST' });
  } catch { /* signed out locally all the same */ }
  clear();
}
