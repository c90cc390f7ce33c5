// The comparison behind a scorecard: an office's figures beside the same figures for women
// and men at the office, for its district, its province and Cambodia (the office's area
// parents), over the office's period.
import { h } from '/common/dom.js';
import { t, has } from '/common/i18n.js';
import { stats, area as areaOf, localName, cell, figureName } from './stats.js';
import { table } from './charts.js';

export const PERFORMANCE = ['cases', 'response_rate', 'acknowledge_days', 'acknowledge_p90', 'answer_days', 'answer_p90',
  'answered_in_time', 'satisfaction', 'rating', 'overcharged'];

export function officeKind(kind) {
  return has(`dash.office_kind.${kind}`) ? t(`dash.office_kind.${kind}`) : '';
}

// The office, then women and men at the office, then its district, province and Cambodia,
// over the office's period: [{key, name, short, f, series}]. Columns the API refused are
// left out (and said so in `missing`).
export async function comparison(doc, sexDoc) {
  const scope = doc.scope || {};
  const period = doc.period || {};
  const code = String(scope.area || '');
  const cols = [{ key: 'office', name: t('dash.sc.col.office'), f: doc.total || {}, series: 0 }];
  for (const r of (sexDoc && sexDoc.rows) || []) {
    if (r.key === 'female' || r.key === 'male') cols.push({ key: r.key, name: t(`dash.sc.col.${r.key}`), f: r, series: null });
  }
  const parents = [];
  if (code.length >= 4) parents.push(['district', code.slice(0, 4)]);
  if (code.length >= 2) parents.push(['province', code.slice(0, 2)]);
  parents.push(['nation', '']);
  const answers = await Promise.allSettled(parents.map(([, c]) => Promise.all([
    stats({ area: c, from: period.from, to: period.to }), c ? areaOf(c) : null])));
  const missing = [];
  answers.forEach((a, i) => {
    const [level, c] = parents[i];
    if (a.status !== 'fulfilled') {
      missing.push(level);
      return;
    }
    const [d, info] = a.value;
    const name = c ? localName(info || d.scope) : t('dash.nation');
    cols.push({ key: level, name: t(`dash.sc.col.${level}`, { name }), short: name, f: d.total || {}, series: level === 'district' ? 1 : level === 'province' ? 2 : null, area: c });
  });
  return { cols, missing };
}

// Figures as rows, the compared columns side by side.
export function compareTable(cols, figures, caption, id) {
  return table([t('dash.col.figure'), ...cols.map((c) => c.name)],
    figures.map((fig) => ({ key: fig, cells: [figureName(fig), ...cols.map((c) => h('span', { 'data-col': c.key }, cell(fig, c.f)))] })),
    { caption, id, className: 'compare' });
}
