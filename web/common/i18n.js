// Language catalogues: every visible string comes from web/common/i18n/<lang>.json.
// Khmer is the default; the choice is remembered on the device.
const SUPPORTED = ['km', 'en'];
const KEY = 'ourvoice.lang';
let strings = {};
let current = 'km';

export function language() {
  return current;
}

export async function loadLanguage(lang) {
  current = SUPPORTED.includes(lang) ? lang : 'km';
  const res = await fetch(`/common/i18n/${current}.json`);
  strings = await res.json();
  document.documentElement.lang = current;
  try { localStorage.setItem(KEY, current); } catch { /* storage may be off */ }
  return current;
}

export function savedLanguage() {
  try { return localStorage.getItem(KEY) || 'km'; } catch { return 'km'; }
}

// t('key', {n: 3}) → the catalogue's text with {n} replaced.
export function t(key, params = {}) {
  const text = strings[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name) => String(params[name] ?? ''));
}

// Fills every element with data-i18n="key" (its text) in root.
export function translate(root = document) {
  for (const el of root.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
}

// The message of an API error ({"error":{"code":…}}) in the user's language.
export function errorMessage(body) {
  const code = body && body.error && body.error.code;
  return strings[`error.${code}`] ?? t('error.internal');
}
