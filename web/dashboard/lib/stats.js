// The public statistics API (docs/statistics.md) as the dashboard reads it, and how its
// figures are written: a hidden count as "<5", a share as a percentage, days as a median
// (and 90th percentile), averages out of 5, "—" where there is too little to measure.
// Answers are kept for the life of the page, so a language switch redraws without asking
// the server again.
import { api } from '/common/api.js';
import { t, number, num, language } from '/common/i18n.js';
import { h } from '/common/dom.js';

export const CRITERIA = ['timeliness', 'official_fee', 'courtesy', 'clear_information', 'women_safety', 'overall'];

const cache = new Map();

function get(url) {
  if (!cache.has(url)) {
    const p = api(url);
    cache.set(url, p);
    p.catch(() => cache.delete(url)); // a failure is asked again next time
  }
  return cache.get(url);
}

// The query string of a statistics request: {area|office, from, to, by, format}.
export function query(p) {
  const q = new URLSearchParams();
  for (const k of ['area', 'office', 'from', 'to', 'by', 'limit', 'format']) {
    if (p[k] !== undefined && p[k] !== null && p[k] !== '') q.set(k, String(p[k]));
  }
  return q.toString();
}

export function statsUrl(p) {
  const q = query(p);
  return q ? `/api/v1/stats?${q}` : '/api/v1/stats';
}

export function quotesUrl(p) {
  const q = query(p);
  return q ? `/api/v1/stats/quotes?${q}` : '/api/v1/stats/quotes';
}

export const DICTIONARY_URL = '/api/v1/stats/dictionary';

export function stats(p) {
  return get(statsUrl(p));
}

export function quotes(p) {
  return get(quotesUrl(p));
}

export function area(code) {
  return get(`/api/v1/areas/${encodeURIComponent(code)}`);
}

// The services catalogue as a Map code → {name_km, name_en}.
let serviceMap = null;
export async function services() {
  if (!serviceMap) {
    serviceMap = api('/api/v1/services').then((list) => new Map((list || []).map((s) => [s.code, s])));
    serviceMap.catch(() => { serviceMap = null; });
  }
  return serviceMap;
}

// The name of an area, office or service in the user's language (the other one if missing).
export function localName(obj) {
  if (!obj) return '';
  const lang = language();
  return obj[`name_${lang}`] || obj.name_en || obj.name_km || obj.code || '';
}

// The label of a row of a breakdown.
export function rowLabel(row) {
  const lang = language();
  return row[`label_${lang}`] || row.label_en || row.label_km || String(row.key ?? '');
}

// The level of an area code: '' nation, 2 digits province, 4 district, 6 commune.
export function levelOf(code) {
  return { 0: 'nation', 2: 'province', 4: 'district', 6: 'commune' }[(code || '').length] || 'unknown';
}

export function validArea(code) {
  return code === '' || /^(\d{2}|\d{4}|\d{6})$/.test(code);
}

export function validMonth(m) {
  return m === '' || /^\d{4}-(0[1-9]|1[0-2])$/.test(m);
}

// ---- figures ----------------------------------------------------------------------------

// Each figure: how to read it from a figures object and what sort of number it is.
//   count: a cell that may be hidden (null → "<5"); share: 0–1; days: whole days; score: 1–5.
export const FIGURES = {
  cases: { type: 'count', get: (f) => f.cases },
  complaints: { type: 'count', get: (f) => f.complaints },
  support: { type: 'count', get: (f) => f.support },
  information: { type: 'count', get: (f) => f.information },
  evaluation: { type: 'count', get: (f) => f.evaluation },
  open: { type: 'count', get: (f) => f.open },
  overcharged: { type: 'count', get: (f) => f.overcharged },
  response_rate: { type: 'share', get: (f) => f.response_rate },
  answered_in_time: { type: 'share', get: (f) => f.answered_in_time },
  satisfaction: { type: 'share', get: (f) => f.satisfaction },
  acknowledge_days: { type: 'days', get: (f) => f.acknowledge_days && f.acknowledge_days.median },
  acknowledge_p90: { type: 'days', get: (f) => f.acknowledge_days && f.acknowledge_days.p90 },
  answer_days: { type: 'days', get: (f) => f.answer_days && f.answer_days.median },
  answer_p90: { type: 'days', get: (f) => f.answer_days && f.answer_days.p90 },
  rating: { type: 'score', get: (f) => f.rating },
  ...Object.fromEntries(CRITERIA.map((c) => [`score_${c}`, { type: 'score', get: (f) => f.scores && f.scores[c] }])),
};

// The figures the map, the areas table and the trend can be coloured by.
export const MAP_FIGURES = ['cases', 'complaints', 'overcharged', 'response_rate', 'answered_in_time',
  'satisfaction', 'answer_days', 'score_overall'];

export function figureName(name) {
  if (name.startsWith('score_')) return t('dash.fig.score', { criterion: t(`criterion.${name.slice(6)}`) });
  return t(`dash.fig.${name}`);
}

// {value: number|null, state: 'shown' | 'hidden' (a count of 1–4, or hidden to protect one)
//  | 'none' (nothing to measure, or too few)}
export function read(name, f) {
  const fig = FIGURES[name];
  const v = f ? fig.get(f) : null;
  if (v !== null && v !== undefined && Number.isFinite(Number(v))) return { value: Number(v), state: 'shown' };
  if (fig.type === 'count' || (f && f.suppressed === true)) return { value: null, state: 'hidden' };
  return { value: null, state: 'none' };
}

// A number as text in the figure's unit.
export function format(name, value) {
  const type = FIGURES[name].type;
  if (type === 'count') return number(value);
  if (type === 'share') return t('dash.pct', { n: Math.round(value * 100) });
  if (type === 'days') return t(value === 1 ? 'dash.day' : 'dash.days', { n: value });
  return t('dash.score', { n: num(Number(value).toFixed(1)) });
}

// The plain text of a cell ("<5", "—" or the number).
export function text(name, f) {
  const r = read(name, f);
  if (r.state === 'hidden') return t('dash.hidden');
  if (r.state === 'none') return t('dash.none');
  return format(name, r.value);
}

// The cell as an element: the number, or the marker of a hidden cell (explained by the note
// with id "note-hidden") or of nothing to measure ("note-none"). data-value holds the API's
// number (or "hidden"/"none") for whoever reads the page by program.
export function cell(name, f, { tag = 'span' } = {}) {
  const r = read(name, f);
  if (r.state === 'hidden') {
    return h(tag, { class: 'v v-hidden', 'data-value': 'hidden', title: t('dash.hidden_title') },
      h('abbr', { title: t('dash.hidden_title') }, t('dash.hidden')));
  }
  if (r.state === 'none') {
    return h(tag, { class: 'v v-none', 'data-value': 'none', title: t('dash.none_title') }, t('dash.none'));
  }
  return h(tag, { class: 'v', 'data-value': String(r.value) }, format(name, r.value));
}

// A month "YYYY-MM" as words: "March 2026" / "មីនា ២០២៦"; short: "Mar" under a column.
export function monthName(ym, { short = false } = {}) {
  const [y, m] = String(ym).split('-').map(Number);
  if (!y || !m) return String(ym);
  if (short) return t(`dash.mon.${m}`);
  return t('dash.month_year', { month: t(`month.${m}`), y: num(y) });
}

export function periodText(period) {
  if (!period) return '';
  if (period.from === period.to) return monthName(period.from);
  return t('dash.period', { from: monthName(period.from), to: monthName(period.to) });
}
