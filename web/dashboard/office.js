// An office's public scorecard: /dashboard/office.html?id=N&from=YYYY-MM&to=YYYY-MM. The
// citizens' side of a community scorecard meeting: the evaluation scores by criterion, how
// the office responds (response rate, days to acknowledge and to answer — median and 90th
// percentile —, answered in time) and satisfaction, each beside the same figures for women
// and for men, for the office's district and province and for Cambodia; then its cases by
// month, kind, sex and service, and what citizens said (approved quotations).
import { h } from '/common/dom.js';
import { t } from '/common/i18n.js';
import { start, params, link, go, PageProblem, problem, part as partOf } from './lib/shell.js';
import {
  stats, quotes as quotesOf, area as areaOf, services, localName, validMonth, periodText, CRITERIA, figureName,
} from './lib/stats.js';
import { groupedBars, seriesLegend, asTable } from './lib/charts.js';
import {
  add, section, fewNotice, cards, trend, breakdownBars, breakdownTable, notes, downloads, SEX_FIGURES, KIND_FIGURES, SERVICE_FIGURES,
} from './lib/parts.js';
import { quoteList } from './lib/quotes.js';
import { comparison, compareTable, officeKind, PERFORMANCE } from './lib/compare.js';

start(render);

function here() {
  const q = params();
  return { id: q.get('id') || '', from: q.get('from') || '', to: q.get('to') || '' };
}

const part = (promise, draw) => partOf(promise, draw, 'office');

async function render(root) {
  const cur = here();
  root.dataset.context = 'office';
  if (!/^[1-9]\d{0,11}$/.test(cur.id)) throw new PageProblem('dash.error.unknown_office', 'not_found');
  if (!validMonth(cur.from) || !validMonth(cur.to) || (cur.from && cur.to && cur.from > cur.to)) throw new PageProblem('dash.error.invalid');
  const base = { office: cur.id, from: cur.from, to: cur.to };
  const doc = await stats(base);
  const scope = doc.scope || {};
  const period = doc.period || {};
  const ask = (by) => stats({ ...base, by });
  const sexP = ask('sex');
  const p = {
    sex: sexP, month: ask('month'), kind: ask('kind'), service: ask('service'),
    quotes: quotesOf({ ...base, limit: 5 }), services: services(),
    compare: sexP.catch(() => null).then((s) => comparison(doc, s)),
    trail: Promise.all([2, 4].filter((n) => String(scope.area || '').length >= n).map((n) => areaOf(String(scope.area).slice(0, n)))),
  };
  for (const x of Object.values(p)) x.catch(() => {});
  const name = localName(scope);

  add(root, 
    h('p', { class: 'report-kicker' }, t('dash.sc.kicker')),
    h('h1', { id: 'title' }, name),
    h('p', { class: 'lead' }, [officeKind(scope.kind), scope.code].filter(Boolean).join(' · ')),
    await part(p.trail, (areas) => h('p', { class: 'office-where' }, t('dash.sc.where'), ' ',
      areas.length ? areas.map((a, i) => [i ? ', ' : '', h('a', { href: link('/dashboard/', { area: a.code, from: cur.from, to: cur.to }) }, localName(a))]) : t('dash.nation'))),
    h('p', { id: 'period' }, t('dash.lead', { period: periodText(period) })),
    controls(cur, period),
    fewNotice(doc),
    section('headline', t('dash.headline.title'), cards(doc.total || {})));

  const cmp = await p.compare;
  const sexNote = h('p', { class: 'hint' }, t('dash.sc.sex_note'));
  const chartCols = cmp.cols.filter((c) => c.series !== null);
  add(root, section('scores', t('dash.sc.scores.title'),
    h('p', { class: 'hint' }, t('dash.sc.scores.hint')),
    seriesLegend(chartCols.map((c) => ({ series: c.series, name: c.name }))),
    groupedBars(CRITERIA.map((c) => ({
      key: c, label: t(`criterion.${c}`),
      items: chartCols.map((col) => ({ series: col.series, name: col.short || col.name, figure: `score_${c}`, f: col.f, key: col.key })),
    })), { caption: t('dash.sc.scores.title') }),
    compareTable(cmp.cols, CRITERIA.map((c) => `score_${c}`), t('dash.sc.scores.table'), 'scores-table'),
    sexNote));

  add(root, section('performance', t('dash.sc.perf.title'),
    h('p', { class: 'hint' }, t('dash.sc.perf.hint')),
    groupedBars(['response_rate', 'answered_in_time', 'satisfaction'].map((fig) => ({
      key: fig, label: figureName(fig),
      items: chartCols.map((col) => ({ series: col.series, name: col.short || col.name, figure: fig, f: col.f, key: col.key })),
    })), { caption: t('dash.sc.perf.title') }),
    compareTable(cmp.cols, PERFORMANCE, t('dash.sc.perf.table'), 'performance-table'),
    cmp.missing.length ? h('p', { class: 'hint' }, t('dash.sc.missing')) : null));

  add(root, section('by-sex', t('dash.sex.title'),
    h('p', { class: 'hint' }, t('dash.sex.hint')),
    await part(p.sex, (d) => [breakdownBars(d, { caption: t('dash.sex.title') }),
      breakdownTable(d, t('dash.col.sex'), SEX_FIGURES, { caption: t('dash.sex.table') })])));
  add(root, section('trend', t('dash.trend.title', { figure: figureName('cases') }),
    await part(p.month, (d) => trend(d, 'cases'))));
  add(root, section('by-kind', t('dash.kind.title'),
    await part(p.kind, (d) => [breakdownBars(d, { caption: t('dash.kind.title') }),
      asTable(breakdownTable(d, t('dash.col.kind'), KIND_FIGURES, { caption: t('dash.kind.title') }))])));
  add(root, section('by-service', t('dash.service.title'),
    await part(p.service, (d) => [breakdownBars(d, { sort: true, top: 10, caption: t('dash.service.title') }),
      asTable(breakdownTable(d, t('dash.col.service'), SERVICE_FIGURES, { caption: t('dash.service.table') }))])));
  add(root, section('quotes', t('dash.quotes.title'),
    h('p', { class: 'hint' }, t('dash.quotes.hint')),
    await part(Promise.all([p.quotes, p.services.catch(() => new Map())]), ([q, sv]) => quoteList(q, sv))));
  add(root, section('reuse', t('dash.reuse.title'),
    h('p', {}, h('a', { class: 'button', id: 'report-link', href: link('/dashboard/report.html', base) }, t('dash.reuse.report'))),
    h('p', { class: 'hint' }, t('dash.reuse.report_hint')),
    h('h3', {}, t('dash.data.title')),
    downloads([
      { label: t('dash.data.total'), params: base },
      { label: t('dash.data.sex'), params: { ...base, by: 'sex' } },
      { label: t('dash.data.month'), params: { ...base, by: 'month' } },
      { label: t('dash.data.kind'), params: { ...base, by: 'kind' } },
      { label: t('dash.data.service'), params: { ...base, by: 'service' } },
    ], { more: h('p', {}, h('a', { href: link('/dashboard/data.html', base) }, t('dash.data.more'))) })));
  add(root, notes());
}

function controls(cur, period) {
  const from = h('input', { type: 'month', id: 'from', name: 'from', class: 'input', value: cur.from || period.from || '' });
  const to = h('input', { type: 'month', id: 'to', name: 'to', class: 'input', value: cur.to || period.to || '' });
  const form = h('form', { class: 'controls', id: 'period-form' },
    h('div', { class: 'field' }, h('label', { for: 'from' }, t('dash.from')), from),
    h('div', { class: 'field' }, h('label', { for: 'to' }, t('dash.to')), to),
    h('div', { class: 'field field-button' }, h('button', { type: 'submit', class: 'primary', id: 'period-show' }, t('dash.show'))));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    go(link('/dashboard/office.html', { id: cur.id, from: from.value, to: to.value }));
  });
  return form;
}
