// The public dashboard: /dashboard/?area=CODE&from=YYYY-MM&to=YYYY-MM&fig=FIGURE. The
// nation, a province, a district or a commune: headline figures, a map of the areas one
// level down shaded by the chosen figure (with the same numbers as a table, whose names are
// the drill-down links), the trend by month, breakdowns by kind, sex and service, the
// offices (from a province down) with links to their scorecards, the dialogue report and
// the open-data downloads. Every number comes from GET /api/v1/stats.
import { h } from '/common/dom.js';
import { t } from '/common/i18n.js';
import { start, params, link, go, followLinks, PageProblem, problem, part } from './lib/shell.js';
import {
  stats, area as areaOf, localName, rowLabel, levelOf, validArea, validMonth, MAP_FIGURES,
  figureName, periodText, read,
} from './lib/stats.js';
import { figureTable, asTable } from './lib/charts.js';
import {
  add, section, fewNotice, cards, trend, breakdownBars, breakdownTable, notes, downloads, SEX_FIGURES, KIND_FIGURES,
  SERVICE_FIGURES,
} from './lib/parts.js';
import { boundaries, choropleth } from './lib/map.js';

const PATH = '/dashboard/';
const CHILD = { nation: 'province', province: 'district', district: 'commune' };

followLinks(document.getElementById('view'), PATH);
start(render);

function here() {
  const q = params();
  const fig = q.get('fig');
  return {
    area: q.get('area') || '',
    from: q.get('from') || '',
    to: q.get('to') || '',
    fig: MAP_FIGURES.includes(fig) ? fig : 'cases',
  };
}

function url(values) {
  const cur = here();
  const next = { ...cur, ...values };
  return link(PATH, { area: next.area, from: next.from, to: next.to, fig: next.fig === 'cases' ? '' : next.fig });
}

async function render(root) {
  const cur = here();
  root.dataset.context = 'area';
  if (!validArea(cur.area)) throw new PageProblem('dash.error.unknown_area', 'not_found');
  if (!validMonth(cur.from) || !validMonth(cur.to) || (cur.from && cur.to && cur.from > cur.to)) {
    throw new PageProblem('dash.error.invalid');
  }
  const level = levelOf(cur.area);
  const child = CHILD[level];
  const base = { area: cur.area, from: cur.from, to: cur.to };
  const ask = (by) => stats({ ...base, by });
  const main = ask(child ? 'area' : undefined);
  const parts = {
    month: ask('month'), kind: ask('kind'), sex: ask('sex'), service: ask('service'),
    office: level === 'nation' ? null : ask('office'),
    geo: level === 'nation' ? boundaries('provinces') : level === 'province' ? boundaries('districts_2014') : null,
    trail: trail(cur.area),
  };
  for (const p of Object.values(parts)) if (p) p.catch(() => {}); // each is awaited below
  const mainDoc = await main; // all the requests above are on their way together
  const scope = mainDoc.scope || {};
  const name = cur.area ? localName(scope) : t('dash.nation');
  const period = mainDoc.period || {};

  add(root, 
    h('h1', { id: 'title' }, t('dash.title_of', { name })),
    h('p', { class: 'lead', id: 'period' }, t('dash.lead', { period: periodText(period) })),
    cur.area ? await part(parts.trail, (items) => breadcrumbs(items, name)) : null,
    controls(cur, period),
    fewNotice(mainDoc),
    section('headline', t('dash.headline.title'), cards(mainDoc.total || {})));

  if (child) {
    add(root, section('areas', t(`dash.areas.title.${child}`, { figure: figureName(cur.fig) }),
      figurePicker(cur),
      await areasBlock(mainDoc, parts.geo, cur, child)));
  }
  add(root, section('trend', t('dash.trend.title', { figure: figureName(cur.fig) }),
    await part(parts.month, (doc) => trend(doc, cur.fig))));
  add(root, section('by-kind', t('dash.kind.title'),
    await part(parts.kind, (doc) => [breakdownBars(doc, { caption: t('dash.kind.title') }),
      asTable(breakdownTable(doc, t('dash.col.kind'), KIND_FIGURES, { caption: t('dash.kind.title') }))])));
  add(root, section('by-sex', t('dash.sex.title'),
    h('p', { class: 'hint' }, t('dash.sex.hint')),
    await part(parts.sex, (doc) => [breakdownBars(doc, { caption: t('dash.sex.title') }),
      breakdownTable(doc, t('dash.col.sex'), SEX_FIGURES, { caption: t('dash.sex.table') })])));
  add(root, section('by-service', t('dash.service.title'),
    h('p', { class: 'hint' }, t('dash.service.hint')),
    await part(parts.service, (doc) => [breakdownBars(doc, { sort: true, top: 10, caption: t('dash.service.title') }),
      asTable(breakdownTable(doc, t('dash.col.service'), SERVICE_FIGURES, { caption: t('dash.service.table') }))])));
  if (parts.office) {
    add(root, section('offices', t('dash.offices.title'),
      h('p', { class: 'hint' }, t('dash.offices.hint')),
      await part(parts.office, (doc) => officesTable(doc, cur))));
  }
  add(root, section('reuse', t('dash.reuse.title'),
    h('p', {}, h('a', { class: 'button', id: 'report-link', href: link('/dashboard/report.html', base) }, t('dash.reuse.report'))),
    h('p', { class: 'hint' }, t('dash.reuse.report_hint')),
    h('h3', {}, t('dash.data.title')),
    downloads([
      { label: child ? t(`dash.data.areas.${child}`) : t('dash.data.total'), params: { ...base, by: child ? 'area' : undefined } },
      { label: t('dash.data.month'), params: { ...base, by: 'month' } },
      { label: t('dash.data.kind'), params: { ...base, by: 'kind' } },
      { label: t('dash.data.sex'), params: { ...base, by: 'sex' } },
      { label: t('dash.data.service'), params: { ...base, by: 'service' } },
      ...(parts.office ? [{ label: t('dash.data.office'), params: { ...base, by: 'office' } }] : []),
    ], { more: h('p', {}, h('a', { href: link('/dashboard/data.html', base) }, t('dash.data.more'))) })));
  add(root, notes());
}

// Nation › province › district › commune, each a link but the last.
function trail(code) {
  const codes = [];
  for (const n of [2, 4, 6]) if (code.length > n) codes.push(code.slice(0, n));
  return Promise.all(codes.map((c) => areaOf(c)));
}

// (only below the nation: the nation's page has no trail)
function breadcrumbs(ancestors, name) {
  const items = [h('li', {}, h('a', { href: url({ area: '' }) }, t('dash.nation')))];
  for (const a of ancestors) items.push(h('li', {}, h('a', { href: url({ area: a.code }) }, localName(a))));
  items.push(h('li', {}, h('span', { 'aria-current': 'page' }, name)));
  return h('nav', { class: 'crumbs', 'aria-label': t('dash.crumbs') }, h('ol', { role: 'list' }, items));
}

// The period: two months (the API's default period is shown when none was asked).
function controls(cur, period) {
  const from = h('input', { type: 'month', id: 'from', name: 'from', class: 'input', value: cur.from || period.from || '', min: '2000-01', max: '2100-12' });
  const to = h('input', { type: 'month', id: 'to', name: 'to', class: 'input', value: cur.to || period.to || '', min: '2000-01', max: '2100-12' });
  const form = h('form', { class: 'controls', id: 'period-form' },
    h('div', { class: 'field' }, h('label', { for: 'from' }, t('dash.from')), from),
    h('div', { class: 'field' }, h('label', { for: 'to' }, t('dash.to')), to),
    h('div', { class: 'field field-button' }, h('button', { type: 'submit', class: 'primary', id: 'period-show' }, t('dash.show'))));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    go(url({ from: from.value, to: to.value }));
  });
  return form;
}

function figurePicker(cur) {
  const select = h('select', { id: 'figure', class: 'input', name: 'fig' },
    MAP_FIGURES.map((f) => h('option', { value: f, selected: f === cur.fig }, figureName(f))));
  select.addEventListener('change', () => go(url({ fig: select.value }), { keep: true, focus: '#figure' }));
  return h('div', { class: 'field figure-field' }, h('label', { for: 'figure' }, t('dash.figure')), select);
}

// The map (nation: provinces; province: districts) and the table of the areas one level
// down, whose names are the drill-down links.
async function areasBlock(doc, geo, cur, child) {
  const rows = doc.rows || [];
  const byCode = new Map(rows.map((r) => [String(r.key), { label: rowLabel(r), f: r }]));
  const parts = [];
  if (geo) {
    try {
      let features = await geo;
      if (child === 'district') features = features.filter((f) => (f.properties || {}).province_code === cur.area);
      const caption = t(`dash.areas.title.${child}`, { figure: figureName(cur.fig) });
      parts.push(h('div', { class: 'map-box', id: 'map' },
        choropleth(features, byCode, { figure: cur.fig, caption, href: (code) => url({ area: code }) })));
      const drawn = new Set(features.map((f) => (f.properties || {}).code).filter(Boolean));
      const missing = rows.filter((r) => !drawn.has(String(r.key)));
      if (child === 'district' && missing.length) {
        parts.push(h('p', { class: 'hint' }, t('dash.map.missing', { names: missing.map(rowLabel).join(', ') })));
      }
      parts.push(h('p', { class: 'hint map-credit' }, t(child === 'province' ? 'dash.map.credit_provinces' : 'dash.map.credit_districts')));
    } catch {
      parts.push(h('p', { class: 'hint' }, t('dash.map.unavailable')));
    }
  }
  const figs = ['cases', ...(cur.fig === 'cases' ? [] : [cur.fig]), ...['response_rate', 'satisfaction'].filter((f) => f !== cur.fig)];
  const tableRows = rows.map((r) => ({
    key: r.key,
    label: h('a', { href: url({ area: String(r.key) }), 'data-code': r.key }, rowLabel(r)),
    f: r,
  }));
  tableRows.push({ key: 'total', label: h('span', { class: 'total-label' }, t('dash.total')), f: doc.total || {} });
  parts.push(figureTable(t(`dash.col.${child}`), figs, tableRows, { caption: t(`dash.areas.table.${child}`), id: 'areas-table' }));
  return h('div', { class: geo ? 'areas-grid' : 'areas-list' }, parts);
}

// The offices with the most cases first (hidden ones last); past the first 15, the rest
// behind a button, as a province may have a hundred.
const OFFICES_SHOWN = 15;
function officesTable(doc, cur) {
  const rows = (doc.rows || []).slice().sort((a, b) => (read('cases', b).value ?? -1) - (read('cases', a).value ?? -1));
  if (!rows.length) return h('p', { class: 'muted' }, t('dash.no_data'));
  const figs = ['cases', 'response_rate', 'answered_in_time', 'satisfaction', 'score_overall'];
  const box = figureTable(t('dash.col.office'), figs, rows.map((r) => ({
    key: r.key,
    label: h('a', { href: link('/dashboard/office.html', { id: r.key, from: cur.from, to: cur.to }), 'data-office': r.key }, rowLabel(r)),
    f: r,
  })), { id: 'offices-table' });
  if (rows.length <= OFFICES_SHOWN) return box;
  const extra = [...box.querySelectorAll('tbody tr')].slice(OFFICES_SHOWN);
  for (const tr of extra) tr.hidden = true;
  const more = h('button', { type: 'button', class: 'small', id: 'offices-more' }, t('dash.offices.all', { n: rows.length }));
  more.addEventListener('click', () => {
    for (const tr of extra) tr.hidden = false;
    more.remove();
  });
  return [box, h('p', {}, more)];
}
