// Language catalogues: every visible string comes from web/common/i18n/<lang>.json.
// Khmer is the default; the choice is remembered on the device. Numbers may be shown in
// Khmer digits (a setting); dates are shown in the user's language, in Cambodian time.
const SUPPORTED = ['km', 'en'];
const KEY = 'ourvoice.lang';
const DIGITS_KEY = 'ourvoice.khmer_digits';
const ZONE = 'Asia/Phnom_Penh';
const loaded = new Map();
let strings = {};
let current = 'km';
let khmerDigits = false;
let saving = true;

export function language() {
  return current;
}

function remember(key, value) {
  if (!saving) return;
  try { localStorage.setItem(key, value); } catch { /* storage may be off */ }
}

// Loads a catalogue and makes it current. save: remember the choice on this device.
export async function loadLanguage(lang, { save = true } = {}) {
  const want = SUPPORTED.includes(lang) ? lang : 'km';
  if (!loaded.has(want)) {
    const res = await fetch(`/common/i18n/${want}.json`);
    if (!res.ok) throw new Error(`catalogue ${want}: ${res.status}`);
    loaded.set(want, await res.json());
  }
  current = want;
  strings = loaded.get(want);
  document.documentElement.lang = current;
  if (save) remember(KEY, current);
  return current;
}

export function savedLanguage() {
  try { return localStorage.getItem(KEY) || 'km'; } catch { return 'km'; }
}

// After "forget this device": nothing more is written.
export function stopSaving() {
  saving = false;
}

export function usesKhmerDigits() {
  return khmerDigits;
}

export function setKhmerDigits(on, { save = true } = {}) {
  khmerDigits = !!on;
  if (save) remember(DIGITS_KEY, khmerDigits ? '1' : '0');
}

export function savedKhmerDigits() {
  try { return localStorage.getItem(DIGITS_KEY) === '1'; } catch { return false; }
}

// ASCII digits in text → Khmer digits, when the setting is on and the language is Khmer.
export function num(value) {
  const text = String(value);
  if (!khmerDigits || current !== 'km') return text;
  return text.replace(/[0-9]/g, (d) => String.fromCharCode(0x17e0 + Number(d)));
}

// Khmer digits → ASCII (for what the user types).
export function asciiDigits(text) {
  return String(text).replace(/[\u17e0-\u17e9]/g, (d) => String(d.charCodeAt(0) - 0x17e0));
}

export function has(key) {
  return Object.prototype.hasOwnProperty.call(strings, key);
}

// t('key', {n: 3}) → the catalogue's text with {n} replaced (numbers in the chosen digits).
export function t(key, params = {}) {
  const text = has(key) ? strings[key] : key;
  return text.replace(/\{(\w+)\}/g, (_, name) => {
    const v = params[name];
    if (v === undefined || v === null) return '';
    return typeof v === 'number' ? num(v) : String(v);
  });
}

// A whole number with thousands separators, in the chosen digits.
export function number(n) {
  return num(Math.round(n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ','));
}

function parts(date) {
  const f = new Intl.DateTimeFormat('en-GB', {
    timeZone: ZONE, year: 'numeric', month: 'numeric', day: 'numeric',
    hour: '2-digit', minute: '2-digit', hour12: false,
  });
  const out = {};
  for (const p of f.formatToParts(date)) out[p.type] = p.value;
  return out;
}

let khmerIntl = null;
function khmerSupported() {
  if (khmerIntl === null) {
    try { khmerIntl = Intl.DateTimeFormat.supportedLocalesOf(['km-KH']).length > 0; } catch { khmerIntl = false; }
  }
  return khmerIntl;
}

// A date (and time) in the user's language, in Cambodian time. When the browser has no
// Khmer calendar data the catalogue's month names are used.
export function formatDate(value, { time = true } = {}) {
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) return '';
  const locale = current === 'km' ? 'km-KH' : 'en-GB';
  if (current !== 'km' || khmerSupported()) {
    const opts = { timeZone: ZONE, day: 'numeric', month: 'long', year: 'numeric' };
    if (time) Object.assign(opts, { hour: '2-digit', minute: '2-digit', hour12: false });
    return num(new Intl.DateTimeFormat(locale, opts).format(date));
  }
  const p = parts(date);
  const day = t('date.day', { d: Number(p.day), month: t(`month.${Number(p.month)}`), y: p.year });
  return num(time ? t('date.day_time', { day, time: `${p.hour}:${p.minute}` }) : day);
}

// Fills every element with data-i18n="key" (its text), data-i18n-placeholder and
// data-i18n-label (aria-label) in root.
export function translate(root = document) {
  for (const el of root.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  for (const el of root.querySelectorAll('[data-i18n-placeholder]')) el.placeholder = t(el.dataset.i18nPlaceholder);
  for (const el of root.querySelectorAll('[data-i18n-label]')) el.setAttribute('aria-label', t(el.dataset.i18nLabel));
}

// The message of an error ({"error":{"code","field"}}) in the user's language. The
// catalogue may hold a message for the code in a context ("error.CODE.CONTEXT") or for a
// field ("error.CODE.FIELD"); then the code's own message; then the server's message
// (already in the user's language: requests send Accept-Language); then a generic one.
export function errorMessage(body, context = '') {
  const err = (body && body.error) || {};
  const code = err.code || 'internal';
  for (const key of [context && `error.${code}.${context}`, err.field && `error.${code}.${err.field}`, `error.${code}`]) {
    if (key && has(key)) return t(key);
  }
  if (typeof err.message === 'string' && err.message) return err.message;
  return t('error.internal');
}
