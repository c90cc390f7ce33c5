// Pieces the dashboard, the office scorecard and the dialogue report share: the headline
// figures, the trend by month, the breakdowns by kind, sex and service, the notes that
// explain "<5" and "—", and the open-data links of what a page shows.
import { h } from '/common/dom.js';
import { t } from '/common/i18n.js';
import {
  cell, figureName, monthName, rowLabel, statsUrl, DICTIONARY_URL, read,
} from './stats.js';
import { bars, columns, figureTable, asTable, table } from './charts.js';
import { responsive } from './shell.js';

// Appends nodes to el, leaving out null, false and undefined (which Element.append would
// write out as text) and flattening arrays.
export function add(el, ...children) {
  el.append(...children.flat(Infinity).filter((c) => c !== null && c !== undefined && c !== false));
  return el;
}

// A section with a heading; body: nodes. id: for links and tests.
export function section(id, title, ...body) {
  const flow = ['scores', 'issues', 'areas', 'by-service', 'performance'].includes(id);
  return h('section', { class: ['block', flow && 'block-flow'], id, 'aria-labelledby': `${id}-h` }, h('h2', { id: `${id}-h` }, title), ...body);
}

// Said above the figures when the place or office has fewer than 5 cases in the period.
export function fewNotice(doc) {
  return doc && doc.total && doc.total.suppressed ? h('p', { class: 'few', id: 'few', role: 'note' }, t('dash.few')) : null;
}

// The headline figures as cards: [figure, sub-figure?]. data-figure names each card.
export const HEADLINE = [
  ['cases'], ['complaints'], ['support'], ['information'], ['evaluation'], ['open'],
  ['response_rate'], ['acknowledge_days', 'acknowledge_p90'], ['answer_days', 'answer_p90'],
  ['answered_in_time'], ['satisfaction'], ['overcharged'],
];

export function cards(f, list = HEADLINE) {
  return h('ul', { class: 'cards', role: 'list' }, list.map(([name, sub]) =>
    h('li', { class: 'card', 'data-figure': name },
      h('span', { class: 'card-title' }, figureName(name)),
      h('span', { class: 'card-value' }, cell(name, f)),
      sub ? h('span', { class: 'card-sub' }, t(`dash.sub.${sub}`), ' ', cell(sub, f, { tag: 'span' })) : null,
      h('span', { class: 'card-hint' }, t(`dash.hint.${name}`)))));
}

// The trend of a figure by month (every month of the period, as the API lists them).
export function trend(doc, figure, { table: withTable = true } = {}) {
  const rows = doc.rows || [];
  const points = rows.map((r, i) => {
    const [y, m] = String(r.key).split('-');
    return {
      key: r.key, figure, f: r, label: monthName(r.key), short: t(`dash.mon.${Number(m)}`),
      year: i === 0 || m === '01' ? y : '',
    };
  });
  const box = h('div', { class: 'chart-box', 'data-chart': 'trend' });
  responsive(box, (width) => columns(points, { width, caption: t('dash.trend.caption', { figure: figureName(figure) }) }));
  const figs = figure === 'cases' ? ['cases'] : ['cases', figure];
  return [box, withTable ? asTable(figureTable(t('dash.col.month'), figs, rows.map((r) => ({ key: r.key, label: monthName(r.key), f: r })), { caption: t('dash.trend.table') })) : null];
}

// The rows of a breakdown as bars of one figure (cases by default), in the API's order or
// sorted by that figure (largest first, hidden cells last); at most `top` bars.
export function breakdownBars(doc, { figure = 'cases', sort = false, top = 0, caption } = {}) {
  let rows = (doc.rows || []).slice();
  if (sort) {
    rows.sort((a, b) => {
      const va = read(figure, a);
      const vb = read(figure, b);
      return (vb.value ?? -1) - (va.value ?? -1);
    });
  }
  if (top) rows = rows.slice(0, top);
  if (!rows.length) return h('p', { class: 'muted' }, t('dash.no_data'));
  return bars(rows.map((r) => ({ key: r.key, label: rowLabel(r), figure, f: r })), { caption });
}

export function breakdownTable(doc, first, figures, { caption, withTotal = true } = {}) {
  const rows = (doc.rows || []).map((r) => ({ key: r.key, label: rowLabel(r), f: r }));
  if (withTotal && doc.total) rows.push({ key: 'total', label: h('span', { class: 'total-label' }, t('dash.total')), f: doc.total });
  return figureTable(first, figures, rows, { caption });
}

export const SEX_FIGURES = ['cases', 'complaints', 'response_rate', 'answered_in_time', 'satisfaction', 'score_overall', 'score_women_safety'];
export const KIND_FIGURES = ['cases', 'open', 'response_rate', 'answer_days', 'answered_in_time', 'satisfaction'];
export const SERVICE_FIGURES = ['cases', 'complaints', 'overcharged', 'response_rate', 'satisfaction', 'score_overall'];

// What "<5" and "—" mean; every page that shows figures ends with it.
export function notes() {
  return h('aside', { class: 'notes', 'aria-label': t('dash.notes.label') },
    h('p', { id: 'note-hidden' }, h('strong', { class: 'v-hidden' }, t('dash.hidden')), ' ', t('dash.notes.hidden')),
    h('p', { id: 'note-none' }, h('strong', {}, t('dash.none')), ' ', t('dash.notes.none')),
    h('p', {}, t('dash.notes.counting')));
}

// Download links (CSV and JSON) for each query a page shows: [{label, params}].
export function downloads(list, { dictionary = true, more = null } = {}) {
  const items = list.map(({ label, params: p, name }) => h('li', { 'data-download': name || p.by || 'total' },
    h('span', { class: 'dl-label' }, label), ' ',
    h('a', { href: statsUrl({ ...p, format: 'csv' }), download: true, class: 'dl', 'data-format': 'csv', 'aria-label': t('dash.data.csv_of', { what: label }) }, 'CSV'), ' ',
    h('a', { href: statsUrl(p), class: 'dl', 'data-format': 'json', 'aria-label': t('dash.data.json_of', { what: label }) }, 'JSON')));
  return h('div', { class: 'downloads' },
    h('ul', { class: 'plain dl-list', role: 'list' }, items),
    dictionary ? h('p', {}, h('a', { href: DICTIONARY_URL, id: 'dictionary-link' }, t('dash.data.dictionary'))) : null,
    h('p', { class: 'hint' }, t('dash.data.format')),
    more);
}
