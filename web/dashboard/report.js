// The dialogue report: /dashboard/report.html?area=CODE|office=N&from=YYYY-MM&to=YYYY-MM
// [&lang=km|en]. One printable document (A4, see the print rules of dashboard.css) for the
// meeting where citizens and the office talk over the figures: the headline figures, the
// scores and response performance (an office beside its district, province and Cambodia),
// the trend by month, the breakdowns by kind and sex, the most frequent issues (the services
// most complained about, and overcharging per service), the areas one level down (with the
// map), what citizens said, and a blank table for the actions agreed at the meeting.
// `ourvoice report` prints this page with headless Chromium once body[data-ready="1"].
import { h } from '/common/dom.js';
import { t, formatDate } from '/common/i18n.js';
import { start, params, link, PageProblem, problem, part } from './lib/shell.js';
import {
  stats, quotes as quotesOf, services, area as areaOf, localName, rowLabel, levelOf, validArea, validMonth,
  periodText, CRITERIA, figureName, read,
} from './lib/stats.js';
import { bars, groupedBars, seriesLegend, table, figureTable } from './lib/charts.js';
import {
  add, section, fewNotice, cards, trend, breakdownBars, breakdownTable, notes, SEX_FIGURES, KIND_FIGURES,
} from './lib/parts.js';
import { quoteList } from './lib/quotes.js';
import { comparison, compareTable, officeKind, PERFORMANCE } from './lib/compare.js';
import { boundaries, choropleth } from './lib/map.js';

const CHILD = { nation: 'province', province: 'district', district: 'commune' };

start(render);

async function render(root) {
  const q = params();
  const office = q.get('office') || '';
  const code = office ? '' : (q.get('area') || '');
  const from = q.get('from') || '';
  const to = q.get('to') || '';
  const context = office ? 'office' : 'area';
  root.dataset.context = context;
  if (office && !/^[1-9]\d{0,11}$/.test(office)) throw new PageProblem('dash.error.unknown_office', 'not_found');
  if (!validArea(code)) throw new PageProblem('dash.error.unknown_area', 'not_found');
  if (!validMonth(from) || !validMonth(to) || (from && to && from > to)) throw new PageProblem('dash.error.invalid');
  const level = office ? 'office' : levelOf(code);
  const child = office ? null : CHILD[level];
  const base = office ? { office, from, to } : { area: code, from, to };
  const doc = await stats({ ...base, by: child ? 'area' : undefined });
  const scope = doc.scope || {};
  const period = doc.period || {};
  // the same months everywhere, even when the API chose them
  const fixed = { ...base, from: period.from || from, to: period.to || to };
  const ask = (by) => stats({ ...fixed, by });
  const sexP = ask('sex');
  const p = {
    sex: sexP, month: ask('month'), kind: ask('kind'), service: ask('service'),
    quotes: quotesOf({ ...fixed, limit: 10 }), services: services(),
    compare: office ? sexP.catch(() => null).then((s) => comparison(doc, s)) : null,
    geo: level === 'nation' ? boundaries('provinces') : level === 'province' ? boundaries('districts_2014') : null,
    where: office ? Promise.all([2, 4].filter((n) => String(scope.area || '').length >= n).map((n) => areaOf(String(scope.area).slice(0, n)))) : null,
  };
  for (const x of Object.values(p)) if (x) x.catch(() => {});
  const name = office ? localName(scope) : (code ? localName(scope) : t('dash.nation'));
  let where = '';
  if (office) {
    try {
      where = (await p.where).map(localName).reverse().join(', ');
    } catch { /* the office's name is enough */ }
  }

  add(root, h('div', { class: 'toolbar no-print' },
    h('button', { type: 'button', class: 'primary', id: 'print', onclick: () => window.print() }, t('dash.report.print')),
    h('a', { class: 'button', href: office ? link('/dashboard/office.html', { id: office, from, to }) : link('/dashboard/', { area: code, from, to }) },
      t(office ? 'dash.report.back_office' : 'dash.report.back_area'))));
  add(root, h('header', { class: 'report-head' },
    h('p', { class: 'report-kicker' }, t('dash.report.kicker')),
    h('h1', { id: 'title' }, name),
    office ? h('p', { class: 'report-meta' }, [officeKind(scope.kind), where].filter(Boolean).join(' · ')) : null,
    h('p', { class: 'report-meta', id: 'period' }, t('dash.lead', { period: periodText(period) })),
    h('p', { class: 'report-meta' }, t('dash.report.made', { date: formatDate(new Date(), { time: false }) })),
    h('p', {}, t('dash.report.intro'))));

  add(root, fewNotice(doc), section('headline', t('dash.headline.title'), cards(doc.total || {})));

  // scores and response performance: an office beside its parents; an area beside women and men
  let cols;
  let missing = [];
  if (office) {
    ({ cols, missing } = await p.compare);
  } else {
    cols = [{ key: 'area', name: name, short: name, f: doc.total || {}, series: 0 }];
    try {
      for (const r of (await sexP).rows || []) {
        if (r.key === 'female' || r.key === 'male') cols.push({ key: r.key, name: t(`dash.sex.${r.key}`), short: t(`dash.sex.${r.key}`), f: r, series: r.key === 'female' ? 1 : 2 });
      }
    } catch { /* shown in the by-sex section */ }
  }
  const chartCols = cols.filter((c) => c.series !== null);
  add(root, section('scores', t('dash.sc.scores.title'),
    h('p', { class: 'hint' }, t('dash.sc.scores.hint')),
    seriesLegend(chartCols.map((c) => ({ series: c.series, name: c.short || c.name }))),
    groupedBars(CRITERIA.map((c) => ({
      key: c, label: t(`criterion.${c}`),
      items: chartCols.map((col) => ({ series: col.series, name: col.short || col.name, figure: `score_${c}`, f: col.f, key: col.key })),
    })), { caption: t('dash.sc.scores.title') })));
  add(root, section('performance', t('dash.sc.perf.title'),
    h('p', { class: 'hint' }, t('dash.sc.perf.hint')),
    compareTable(cols, [...PERFORMANCE, ...CRITERIA.map((c) => `score_${c}`)], t('dash.sc.perf.table'), 'performance-table'),
    missing.length ? h('p', { class: 'hint' }, t('dash.sc.missing')) : null));

  add(root, section('trend', t('dash.trend.title', { figure: figureName('cases') }),
    await part(p.month, (d) => trend(d, 'cases', { table: false }), context)));
  add(root, section('by-kind', t('dash.kind.title'),
    await part(p.kind, (d) => [breakdownBars(d, { caption: t('dash.kind.title') }),
      breakdownTable(d, t('dash.col.kind'), KIND_FIGURES, { caption: t('dash.kind.title') })], context)));
  add(root, section('by-sex', t('dash.sex.title'),
    await part(p.sex, (d) => breakdownTable(d, t('dash.col.sex'), SEX_FIGURES, { caption: t('dash.sex.table') }), context)));

  add(root, section('issues', t('dash.report.issues'),
    await part(p.service, (d) => issues(d), context)));

  if (child) {
    const rows = doc.rows || [];
    const byCode = new Map(rows.map((r) => [String(r.key), { label: rowLabel(r), f: r }]));
    const figs = ['cases', 'complaints', 'response_rate', 'answered_in_time', 'satisfaction', 'overcharged'];
    let map = null;
    if (p.geo) {
      try {
        let features = await p.geo;
        if (child === 'district') features = features.filter((f) => (f.properties || {}).province_code === code);
        map = h('div', { class: 'map-box', id: 'map' }, choropleth(features, byCode, {
          figure: 'cases', caption: t(`dash.areas.title.${child}`, { figure: figureName('cases') }),
          href: (c) => link('/dashboard/', { area: c, from, to }),
        }), h('p', { class: 'hint map-credit' }, t(child === 'province' ? 'dash.map.credit_provinces' : 'dash.map.credit_districts')));
      } catch { map = h('p', { class: 'hint' }, t('dash.map.unavailable')); }
    }
    add(root, h('div', { class: 'page-break' }), section('areas', t(`dash.areas.title.${child}`, { figure: figureName('cases') }), map,
      figureTable(t(`dash.col.${child}`), figs, [...rows.map((r) => ({ key: r.key, label: rowLabel(r), f: r })),
        { key: 'total', label: t('dash.total'), f: doc.total || {} }], { caption: t(`dash.areas.table.${child}`), id: 'areas-table' })));
  }

  add(root, section('quotes', t('dash.quotes.title'),
    h('p', { class: 'hint' }, t('dash.quotes.hint')),
    await part(Promise.all([p.quotes, p.services.catch(() => new Map())]), ([qs, sv]) => quoteList(qs, sv), context)));

  add(root, h('div', { class: 'page-break' }), section('actions', t('dash.report.actions'),
    h('p', { class: 'hint' }, t('dash.report.actions_hint')),
    table([t('dash.report.col.issue'), t('dash.report.col.action'), t('dash.report.col.who'), t('dash.report.col.when')],
      [1, 2, 3, 4, 5, 6].map((n) => ({ key: `a${n}`, cells: [String(n), '', '', ''] })), { className: 'actions-table' })));
  add(root, notes());
  // where to find the figures online (not when printed from a server on this machine only)
  if (!['127.0.0.1', 'localhost', '[::1]'].includes(location.hostname)) {
    const here = new URL(office ? link('/dashboard/office.html', { id: office, from: fixed.from, to: fixed.to }) : link('/dashboard/', { area: code, from: fixed.from, to: fixed.to }), location.href);
    add(root, h('p', { class: 'report-url' }, t('dash.report.online'), ' ', h('a', { href: here.href }, here.href)));
  }
}

// The most frequent issues: the services with the most complaints, and the complaints of
// being charged above the official fee, per service.
function issues(d) {
  const rows = d.rows || [];
  const complained = rows.filter((r) => read('complaints', r).state !== 'shown' || read('complaints', r).value > 0);
  const overcharged = rows.filter((r) => read('overcharged', r).state !== 'shown' || read('overcharged', r).value > 0);
  const top = (list, fig) => list.slice().sort((a, b) => (read(fig, b).value ?? -1) - (read(fig, a).value ?? -1)).slice(0, 8);
  return [
    h('h3', {}, t('dash.report.top_complaints')),
    complained.length ? bars(top(complained, 'complaints').map((r) => ({ key: r.key, label: rowLabel(r), figure: 'complaints', f: r })), { caption: t('dash.report.top_complaints') })
      : h('p', { class: 'muted' }, t('dash.no_data')),
    h('h3', {}, t('dash.report.top_overcharged')),
    h('p', { class: 'hint' }, t('dash.report.overcharged_hint')),
    overcharged.length ? bars(top(overcharged, 'overcharged').map((r) => ({ key: r.key, label: rowLabel(r), figure: 'overcharged', f: r })), { caption: t('dash.report.top_overcharged') })
      : h('p', { class: 'muted' }, t('dash.no_data')),
  ];
}
