// The office dashboard (heads of office, ombudsmen; administrators and analysts pick the
// office): cases by status and kind, overdue, median hours to acknowledge and to answer,
// satisfaction and evaluation scores per criterion — for the office, and split by the sex
// of the citizen where given. Charts are SVG bars with their numbers written out.
import { h } from '/common/dom.js';
import { t, number } from '/common/i18n.js';
import { call, me, hasRole } from '../lib/session.js';
import {
  STATUSES, KINDS, SEXES, CRITERIA, screenTitle, field, errorLine, busy, label, localName, hours,
  percent, barChart, table,
} from '../lib/ui.js';

const filters = { from: '', to: '', office: '' };

function isoDay(ms) {
  return new Date(ms + 7 * 3600e3).toISOString().slice(0, 10); // the date in Cambodia
}

export async function show(root, { query }) {
  if (!filters.to) {
    filters.to = isoDay(Date.now());
    filters.from = isoDay(Date.now() - 29 * 86400e3);
  }
  if (query && query.get('office')) filters.office = query.get('office');
  const picksOffice = hasRole('provincial_admin', 'national_admin');
  const from = h('input', { type: 'date', id: 'd-from', value: filters.from, required: true });
  const to = h('input', { type: 'date', id: 'd-to', value: filters.to, required: true });
  const office = picksOffice ? h('input', { id: 'd-office', value: filters.office, autocomplete: 'off', autocapitalize: 'characters' }) : null;
  const submit = h('button', { type: 'submit', id: 'd-show' }, t('staff.dashboard.show'));
  const err = errorLine();
  const out = h('div', { class: 'dashboard', id: 'dashboard', 'aria-live': 'polite' });
  const form = h('form', { class: 'filters filter-row' },
    field(t('staff.dashboard.from'), from), field(t('staff.dashboard.to'), to),
    office ? field(t('staff.dashboard.office'), office, { hint: t('staff.dashboard.office_hint') }) : null,
    h('div', { class: 'actions' }, submit));
  const load = async () => {
    err.clear();
    filters.from = from.value;
    filters.to = to.value;
    if (office) filters.office = office.value.trim().toUpperCase();
    if (filters.from && filters.to && filters.from > filters.to) {
      err.textContent = t('staff.dashboard.bad_range');
      err.hidden = false;
      return;
    }
    try {
      const doc = await call('/api/v1/office/stats', { query: { from: filters.from, to: filters.to, office: filters.office } });
      out.replaceChildren(...figures(doc));
    } catch (e) {
      out.replaceChildren();
      err.show(e, 'stats');
    }
  };
  form.addEventListener('submit', (ev) => { ev.preventDefault(); busy(submit, load); });
  const user = me();
  root.append(...[screenTitle(t('staff.dashboard.title')),
    user && user.office && !picksOffice && h('p', { class: 'lead' }, localName(user.office)),
    form, err, out].filter(Boolean));
  await load();
}

function sum(obj) {
  return Object.values(obj || {}).reduce((a, b) => a + (Number(b) || 0), 0);
}

function figures(doc) {
  const total = doc.total ?? sum(doc.by_status);
  const sat = doc.satisfaction || {};
  const cards = h('ul', { class: 'cards', role: 'list' },
    card('total', t('staff.dashboard.total'), number(total)),
    card('overdue', t('staff.dashboard.overdue'), number(doc.overdue || 0), doc.overdue > 0),
    card('ack', t('staff.dashboard.median_ack'), hours(doc.median_hours_to_acknowledge)),
    card('answer', t('staff.dashboard.median_answer'), hours(doc.median_hours_to_answer)),
    card('satisfied', t('staff.dashboard.satisfied'), percent(sat.satisfied || 0, sat.rated || 0),
      false, t('staff.dashboard.satisfied_of', { n: sat.satisfied || 0, of: sat.rated || 0 })));
  const parts = [];
  if (doc.office) parts.push(h('h2', { id: 'dash-office' }, typeof doc.office === 'object' ? `${localName(doc.office)} (${doc.office.code})` : doc.office));
  parts.push(cards);
  parts.push(h('section', { class: 'chart-box' }, h('h2', {}, t('staff.dashboard.by_status')),
    barChart(STATUSES.map((s) => ({ label: label('status', s), value: (doc.by_status || {})[s] || 0 })), { title: t('staff.dashboard.by_status') })));
  parts.push(h('section', { class: 'chart-box' }, h('h2', {}, t('staff.dashboard.by_kind')),
    barChart(KINDS.map((k) => ({ label: label('kind', k), value: (doc.by_kind || {})[k] || 0 })), { title: t('staff.dashboard.by_kind') })));
  const scores = doc.scores || {};
  const scored = CRITERIA.filter((k) => scores[k] && scores[k].count);
  parts.push(h('section', { class: 'chart-box' }, h('h2', {}, t('staff.dashboard.scores')),
    scored.length
      ? barChart(scored.map((k) => ({ label: label('criterion', k), value: scores[k].average, text: t('staff.dashboard.score_text', { avg: fixed(scores[k].average), n: scores[k].count }) })), { max: 5, title: t('staff.dashboard.scores') })
      : h('p', { class: 'muted' }, t('staff.dashboard.no_scores'))));
  parts.push(bySex(doc.by_sex || {}));
  return parts;
}

function fixed(v) {
  return v === null || v === undefined ? '—' : Number(v).toFixed(1);
}

function card(key, title, value, late = false, sub = '') {
  return h('li', { class: ['card', late && 'card-late'], 'data-figure': key },
    h('span', { class: 'card-title' }, title),
    h('span', { class: 'card-value' }, late ? h('span', { class: 'icon-late', 'aria-hidden': 'true' }, '!') : null, value),
    sub ? h('span', { class: 'card-sub' }, sub) : null);
}

// The same figures for each sex: a table, and bars of cases and of satisfaction with the
// groups told apart by their labels and by hatching, not by colour.
function bySex(groups) {
  const sexes = [...SEXES, 'not_given'].filter((s) => groups[s]);
  if (!sexes.length) return h('section', { class: 'chart-box' }, h('h2', {}, t('staff.dashboard.by_sex')), h('p', { class: 'muted' }, t('staff.dashboard.no_data')));
  const g = (s) => groups[s] || {};
  const rows = [
    [t('staff.dashboard.total'), ...sexes.map((s) => number(g(s).total ?? sum(g(s).by_status)))],
    [t('staff.dashboard.overdue'), ...sexes.map((s) => number(g(s).overdue || 0))],
    [t('staff.dashboard.median_ack'), ...sexes.map((s) => hours(g(s).median_hours_to_acknowledge))],
    [t('staff.dashboard.median_answer'), ...sexes.map((s) => hours(g(s).median_hours_to_answer))],
    [t('staff.dashboard.satisfied'), ...sexes.map((s) => percent((g(s).satisfaction || {}).satisfied || 0, (g(s).satisfaction || {}).rated || 0))],
    ...CRITERIA.map((k) => [label('criterion', k), ...sexes.map((s) => {
      const sc = (g(s).scores || {})[k];
      return sc && sc.count ? t('staff.dashboard.score_text', { avg: fixed(sc.average), n: sc.count }) : '—';
    })]),
  ];
  const bars = [];
  sexes.forEach((s, i) => bars.push({ label: label('sex', s), value: g(s).total ?? sum(g(s).by_status), series: i % 2 }));
  return h('section', { class: 'chart-box', id: 'by-sex' },
    h('h2', {}, t('staff.dashboard.by_sex')),
    barChart(bars, { title: t('staff.dashboard.by_sex') }),
    table([t('staff.dashboard.figure'), ...sexes.map((s) => label('sex', s))], rows, { caption: t('staff.dashboard.by_sex_table') }));
}
