// Small building blocks the console's screens share: form fields, the error line (one
// function turns any API error into the user's language), labels of the API's codes,
// deadlines as countdowns, sums of money, tables and bar charts drawn in SVG (no inline
// styles: the Content-Security-Policy refuses them).
import { h, uid } from '/common/dom.js';
import { t, has, language, number, num, errorMessage, formatDate } from '/common/i18n.js';

export const STATUSES = ['submitted', 'acknowledged', 'in_progress', 'answered', 'closed', 'rejected'];
export const KINDS = ['complaint', 'support', 'information', 'evaluation'];
export const OFFICE_KINDS = ['commune', 'owso', 'district_ombudsman', 'owsu', 'provincial_ombudsman', 'ministry'];
export const SERVICE_OFFICE_KINDS = ['commune', 'owso', 'owsu'];
export const ROLES = ['officer', 'head', 'ombudsman', 'ccwc', 'provincial_admin', 'national_admin', 'analyst'];
export const SEXES = ['female', 'male', 'other', 'unsaid'];
export const CRITERIA = ['overall', 'timeliness', 'official_fee', 'courtesy', 'clear_information', 'women_safety'];

// The label of a code of the API (a status, a kind, a role…): "staff.<group>.<code>", or
// the code itself when the catalogue has no word for it yet.
export function label(group, code) {
  if (code === null || code === undefined || code === '') return '—';
  const key = `staff.${group}.${code}`;
  return has(key) ? t(key) : String(code);
}

// A name in the user's language from {name_km, name_en}.
export function localName(o) {
  if (!o) return '—';
  return (language() === 'km' ? o.name_km || o.name_en : o.name_en || o.name_km) || o.code || '—';
}

export function screenTitle(text) {
  return h('h1', { class: 'screen-title', tabindex: '-1' }, text);
}

// A labelled field: field(t('…'), h('input', {…}), {hint}). The control gets an id.
export function field(text, control, { hint, className } = {}) {
  if (!control.id) control.id = uid('f');
  const hintEl = hint ? h('span', { class: 'hint', id: uid('hint') }, hint) : null;
  if (hintEl) control.setAttribute('aria-describedby', hintEl.id);
  return h('div', { class: ['field', className] }, h('label', { for: control.id }, text), hintEl, control);
}

export function checkbox(text, attrs = {}) {
  const box = h('input', { type: 'checkbox', ...attrs });
  box.id = box.id || uid('c');
  return h('div', { class: 'check' }, box, h('label', { for: box.id }, text));
}

// select({name}, [[value, label], …], chosen)
export function select(attrs, options, chosen = '') {
  return h('select', attrs, options.map(([v, text]) => h('option', { value: v, selected: String(v) === String(chosen ?? '') }, text)));
}

// A line for errors (role="alert"), empty until show(e).
export function errorLine() {
  const el = h('p', { class: 'error', role: 'alert', hidden: true });
  el.show = (e, context = '') => {
    el.textContent = message(e, context);
    el.hidden = false;
  };
  el.clear = () => {
    el.textContent = '';
    el.hidden = true;
  };
  return el;
}

// The words for any failure: an ApiError's {"error":{…}} or a plain Error.
// The console's own words come first ("staff.error.CODE.FIELD", "staff.error.CODE.CONTEXT"),
// then the shared catalogue's ("error.CODE"…), then the server's message.
export function message(e, context = '') {
  const err = e && e.body && e.body.error;
  if (!err) return t('error.internal');
  for (const key of [err.field && `staff.error.${err.code}.${err.field}`, context && `staff.error.${err.code}.${context}`]) {
    if (key && has(key)) return t(key);
  }
  return errorMessage(e.body, context);
}

// A line for successes (role="status").
export function okLine() {
  const el = h('p', { class: 'ok', role: 'status' });
  el.say = (text) => { el.textContent = text; };
  return el;
}

// Runs fn while the button is disabled and marked busy.
export async function busy(button, fn) {
  button.disabled = true;
  button.setAttribute('aria-busy', 'true');
  try {
    return await fn();
  } finally {
    button.disabled = false;
    button.removeAttribute('aria-busy');
  }
}

export function date(value, opts) {
  return value ? formatDate(value, opts) : '—';
}

// The deadline that counts now for a case (or summary): {which, at} or null.
export function currentDeadline(c) {
  if (!c || !c.due) return null;
  if (c.status === 'submitted') return { which: 'acknowledge', at: c.due.acknowledge };
  if ((c.status === 'acknowledged' || c.status === 'in_progress') && c.due.answer) return { which: 'answer', at: c.due.answer };
  return null;
}

// "2 days 4 h left" / "overdue by 3 h" for a deadline, from the device's clock; overdue
// may be forced by the server's own judgement.
export function countdown(at, { overdue = null, now = Date.now() } = {}) {
  const ms = Date.parse(at) - now;
  const late = overdue === null ? ms < 0 : overdue || ms < 0;
  const left = Math.abs(ms);
  const days = Math.floor(left / 86400000);
  const hours = Math.floor((left % 86400000) / 3600000);
  const minutes = Math.max(Math.floor((left % 3600000) / 60000), days || hours ? 0 : 1);
  let text;
  if (days > 0) text = t(late ? 'staff.due.late_days' : 'staff.due.left_days', { d: days, h: hours });
  else text = t(late ? 'staff.due.late_hours' : 'staff.due.left_hours', { h: hours, m: minutes });
  return { text, overdue: late, soon: !late && ms < 86400000 };
}

// The deadline of a case as an element: a countdown, marked when overdue (by words and
// an icon, not only by colour).
export function deadlineBadge(c) {
  const d = currentDeadline(c);
  if (!d) return h('span', { class: 'due due-none' }, t('staff.due.none'));
  const cd = countdown(d.at, { overdue: c.overdue === undefined ? null : c.overdue });
  return h('span', { class: ['due', cd.overdue && 'due-late', cd.soon && 'due-soon'], title: date(d.at) },
    cd.overdue ? h('span', { class: 'icon-late', 'aria-hidden': 'true' }, '!') : null,
    h('span', { class: 'due-which' }, t(`staff.due.${d.which}`)), ' ',
    h('span', { class: 'due-text' }, cd.text));
}

export function statusBadge(status) {
  return h('span', { class: ['status', `status-${status}`] }, label('status', status));
}

// An official fee in riels, "free" (0) or "not set" (null).
export function money(fee) {
  if (fee === null || fee === undefined) return t('staff.fee.unknown');
  if (Number(fee) === 0) return t('staff.fee.free');
  return t('staff.fee.riel', { n: number(Number(fee)) });
}

export function hours(value) {
  if (value === null || value === undefined) return '—';
  const n = Number(value);
  if (n >= 48) return t('staff.hours.days', { n: num((n / 24).toFixed(1)) });
  if (n < 1) return t('staff.hours.minutes', { n: Math.round(n * 60) });
  return t('staff.hours.hours', { n: num(n.toFixed(1)) });
}

export function percent(part, whole) {
  if (!whole) return '—';
  return t('staff.percent', { n: Math.round((100 * part) / whole) });
}

// A table in a horizontally scrollable box: table([head…], [[cell…]…], {caption}). Each cell
// carries its column's name (data-label), which a phone shows beside it: there the rows
// become cards (staff.css).
export function table(head, rows, { caption, className } = {}) {
  const body = h('tbody', {}, rows.map((r) => (r instanceof Node ? r : h('tr', {}, r.map((c) => (c instanceof Node && c.tagName === 'TD' ? c : h('td', {}, c)))))));
  labelCells(body, head);
  return h('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': caption || head.join(', ') },
    h('table', { class: ['grid', className] },
      caption ? h('caption', {}, caption) : null,
      h('thead', {}, h('tr', {}, head.map((x) => h('th', { scope: 'col' }, x)))),
      body));
}

// Names the cells of a table body's rows after the columns (rows added later: call again).
export function labelCells(body, head) {
  for (const tr of body.children) {
    if (tr.classList.contains('edit-row')) continue;
    [...tr.children].forEach((td, i) => { if (head[i]) td.dataset.label = head[i]; });
  }
}

const SVG = 'http://www.w3.org/2000/svg';
function s(tag, attrs = {}, ...children) {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) if (v !== null && v !== undefined) el.setAttribute(k, String(v));
  for (const c of children) if (c !== null && c !== undefined) el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return el;
}

// Horizontal bars, one row each: its label and its value written out in HTML (so the chart
// reads without colour and at any width), the bar itself a small SVG; a series other than
// the first is hatched. items: [{label, value, text, series}], max: the scale's end.
export function barChart(items, { max, title } = {}) {
  const top = max ?? Math.max(1, ...items.map((i) => Number(i.value) || 0));
  return h('div', { class: 'bars', role: 'list', 'aria-label': title || '' }, items.map((item) => {
    const share = top > 0 ? Math.max(0, Math.min(1, (Number(item.value) || 0) / top)) : 0;
    const svg = s('svg', { viewBox: '0 0 100 10', preserveAspectRatio: 'none', class: 'bar-svg', 'aria-hidden': 'true', focusable: 'false' });
    let fill = null;
    if (item.series) {
      const id = uid('hatch');
      svg.append(s('defs', {}, s('pattern', { id, width: 4, height: 4, patternUnits: 'userSpaceOnUse', patternTransform: 'rotate(45)' },
        s('rect', { width: 4, height: 4, class: 'hatch-bg' }), s('line', { x1: 0, y1: 0, x2: 0, y2: 4, class: 'hatch-line' }))));
      fill = `url(#${id})`;
    }
    svg.append(s('rect', { x: 0, y: 0, width: 100, height: 10, class: 'chart-track' }),
      s('rect', { x: 0, y: 0, width: (share * 100).toFixed(2), height: 10, class: `chart-bar chart-series-${item.series || 0}`, fill }));
    return h('div', { class: 'bar-row', role: 'listitem' },
      h('span', { class: 'bar-label' }, item.label), svg,
      h('span', { class: 'bar-value' }, item.text ?? number(item.value || 0)));
  }));
}

// The one-time secrets of a new account or a reset: the password and the TOTP QR code,
// shown once, with a plain warning.
export function oneTimePanel(doc) {
  const parts = [h('h3', {}, t('staff.admin.staff.once_title')), h('p', { class: 'warn' }, t('staff.admin.staff.once_warn'))];
  const login = doc.user && (doc.user.login || doc.user);
  if (login && typeof login === 'string') parts.push(h('p', {}, t('staff.admin.staff.login'), ': ', h('code', { class: 'secret', 'data-once': 'login' }, login)));
  if (doc.password) parts.push(h('p', {}, t('staff.admin.staff.password'), ': ', h('code', { class: 'secret', 'data-once': 'password' }, doc.password)));
  if (doc.totp) {
    const svgText = doc.totp.qr_svg || '';
    const b64 = svgText.trim().startsWith('<') ? btoa(unescape(encodeURIComponent(svgText))) : svgText;
    parts.push(h('p', {}, t('staff.admin.staff.totp_scan')));
    if (b64) parts.push(h('img', { class: 'qr', src: `data:image/svg+xml;base64,${b64}`, alt: t('staff.admin.staff.qr_alt'), width: 200, height: 200 }));
    if (doc.totp.secret) parts.push(h('p', {}, t('staff.admin.staff.totp_secret'), ': ', h('code', { class: 'secret', 'data-once': 'totp' }, doc.totp.secret)));
  }
  return h('section', { class: 'once', 'aria-live': 'polite' }, parts);
}

// A definition list from [[term, value], …] (rows with an undefined value are left out).
export function facts(pairs, className) {
  return h('dl', { class: ['facts', className] }, pairs.filter((p) => p && p[1] !== undefined).map(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]));
}
