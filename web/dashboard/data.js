// Open data: /dashboard/data.html[?area=CODE|office=N&from=YYYY-MM&to=YYYY-MM]. Every
// breakdown of the chosen place (or office) and period as CSV and JSON — the same answers
// the dashboard draws —, the data dictionary (GET /api/v1/stats/dictionary) and the rules:
// no cell under 5 people, "<5" in the CSV, the total on the last line.
import { h } from '/common/dom.js';
import { t, language } from '/common/i18n.js';
import { api } from '/common/api.js';
import { start, params, link, go, PageProblem, problem } from './lib/shell.js';
import { stats, localName, validArea, validMonth, periodText, levelOf, DICTIONARY_URL } from './lib/stats.js';
import { add, section, downloads } from './lib/parts.js';
import { table } from './lib/charts.js';

const BREAKDOWNS = ['', 'month', 'area', 'kind', 'status', 'sex', 'age_band', 'disability', 'service', 'office'];

start(render);

async function render(root) {
  const q = params();
  const office = q.get('office') || '';
  const area = office ? '' : (q.get('area') || '');
  const from = q.get('from') || '';
  const to = q.get('to') || '';
  root.dataset.context = office ? 'office' : 'area';
  if (office && !/^[1-9]\d{0,11}$/.test(office)) throw new PageProblem('dash.error.unknown_office', 'not_found');
  if (!validArea(area)) throw new PageProblem('dash.error.unknown_area', 'not_found');
  if (!validMonth(from) || !validMonth(to) || (from && to && from > to)) throw new PageProblem('dash.error.invalid');
  const base = office ? { office, from, to } : { area, from, to };
  const [doc, provinces] = await Promise.all([stats(base), api('/api/v1/areas').catch(() => [])]);
  const scope = doc.scope || {};
  const name = office || area ? localName(scope) : t('dash.nation');
  const dictionary = api(DICTIONARY_URL);
  dictionary.catch(() => {});

  add(root, h('h1', { id: 'title' }, t('dash.data.page_title')),
    h('p', { class: 'lead' }, t('dash.data.intro')),
    picker(provinces, { area, from, to, office }, doc.period || {}));

  const level = office ? 'office' : levelOf(area);
  const list = BREAKDOWNS.filter((by) => !(by === 'area' && (level === 'office' || level === 'commune')))
    .map((by) => ({ name: by || 'total', label: t(`dash.data.by.${by || 'total'}`), params: { ...base, by: by || undefined } }));
  add(root, section('downloads', t('dash.data.for', { name, period: periodText(doc.period) }),
    downloads(list, { dictionary: false })));

  add(root, section('dictionary', t('dash.data.dictionary_title'),
    h('p', {}, h('a', { href: DICTIONARY_URL, id: 'dictionary-link' }, t('dash.data.dictionary'))),
    await dictionaryView(dictionary)));
  add(root, section('rules', t('dash.data.rules_title'),
    h('ul', {}, ['hidden', 'shares', 'month', 'area', 'office'].map((k) => h('li', {}, t(`dash.data.rule.${k}`))))));
}

// A choice of province (or the nation) and period; a district or office comes from the
// dashboard's own links.
function picker(provinces, cur, period) {
  const select = h('select', { id: 'area', name: 'area', class: 'input' },
    h('option', { value: '' }, t('dash.nation')),
    provinces.map((p) => h('option', { value: p.code, selected: p.code === cur.area }, localName(p))));
  if (cur.area && !provinces.some((p) => p.code === cur.area)) select.append(h('option', { value: cur.area, selected: true }, cur.area));
  const from = h('input', { type: 'month', id: 'from', name: 'from', class: 'input', value: cur.from || period.from || '' });
  const to = h('input', { type: 'month', id: 'to', name: 'to', class: 'input', value: cur.to || period.to || '' });
  const form = h('form', { class: 'controls', id: 'data-form' },
    cur.office ? null : h('div', { class: 'field' }, h('label', { for: 'area' }, t('dash.data.place')), select),
    h('div', { class: 'field' }, h('label', { for: 'from' }, t('dash.from')), from),
    h('div', { class: 'field' }, h('label', { for: 'to' }, t('dash.to')), to),
    h('div', { class: 'field field-button' }, h('button', { type: 'submit', class: 'primary' }, t('dash.show'))));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    go(link('/dashboard/data.html', cur.office ? { office: cur.office, from: from.value, to: to.value } : { area: select.value, from: from.value, to: to.value }));
  });
  return form;
}

// The dictionary: what the data is about, its columns (name, type, meaning in the user's
// language), the hiding rule, the categories of each breakdown, the licence and source.
async function dictionaryView(promise) {
  let doc;
  try {
    doc = await promise;
  } catch (e) {
    return problem(e, 'area', { home: false });
  }
  const lang = language();
  const say = (o) => {
    if (typeof o === 'string') return o;
    if (!o || typeof o !== 'object') return '';
    return String(o[lang] ?? o[`meaning_${lang}`] ?? o.en ?? o.km ?? o.meaning ?? o.description ?? '');
  };
  const parts = [];
  if (doc.about) parts.push(h('p', { id: 'about' }, say(doc.about)));
  const fields = Array.isArray(doc.fields) ? doc.fields : [];
  if (fields.length) {
    parts.push(table([t('dash.data.col.field'), t('dash.data.col.type'), t('dash.data.col.meaning')],
      fields.map((f) => ({ key: f.name, cells: [h('code', {}, String(f.name ?? '')), String(f.type ?? ''), say(f)] })),
      { caption: t('dash.data.fields'), className: 'dict-fields', id: 'dictionary-fields' }));
  }
  if (doc.suppression) parts.push(h('p', {}, h('strong', {}, t('dash.data.suppression')), ' ', say(doc.suppression)));
  if (doc.breakdowns && typeof doc.breakdowns === 'object') {
    parts.push(h('h3', {}, t('dash.data.breakdowns')), h('dl', { class: 'facts' }, Object.entries(doc.breakdowns).map(([k, v]) =>
      [h('dt', {}, h('code', {}, k)), h('dd', {}, Array.isArray(v) ? v.map((x) => h('code', {}, String(x))).flatMap((c, i) => (i ? [', ', c] : [c])) : say(v))])));
  }
  if (doc.licence) parts.push(h('p', { id: 'licence' }, h('strong', {}, t('dash.data.licence')), ' ', say(doc.licence)));
  if (doc.source) parts.push(h('p', {}, h('strong', {}, t('dash.data.source')), ' ', say(doc.source)));
  return parts;
}
