// Charts drawn on the page as SVG, from the API's numbers: every bar and column carries its
// value written next to it, series differ by pattern (solid, hatched, dotted) as well as by
// colour, and hidden cells show "<5" instead of a bar — so a chart reads in black and white
// and on a 360 px phone. Each chart can be followed by the same numbers as a table.
import { h, uid } from '/common/dom.js';
import { t } from '/common/i18n.js';
import { read, format, cell, figureName, FIGURES } from './stats.js';

const NS = 'http://www.w3.org/2000/svg';

export function svg(tag, attrs = {}, ...children) {
  const el = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'class') el.setAttribute('class', Array.isArray(v) ? v.filter(Boolean).join(' ') : v);
    else el.setAttribute(k, String(v));
  }
  for (const c of children.flat()) if (c !== null && c !== undefined && c !== false) el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return el;
}

// The patterns every chart refers to (url(#ov-hatch) …), once per page. An SVG of no size,
// not display:none (a pattern inside a hidden SVG is not painted by every browser).
export const PATTERN = { 0: null, 1: 'url(#ov-hatch)', 2: 'url(#ov-dots)', hidden: 'url(#ov-hidden)', none: 'url(#ov-none)' };
export function ensurePatterns() {
  if (document.getElementById('ov-patterns')) return;
  const defs = svg('defs', {},
    svg('pattern', { id: 'ov-hatch', width: 6, height: 6, patternUnits: 'userSpaceOnUse', patternTransform: 'rotate(45)' },
      svg('rect', { width: 6, height: 6, class: 'pat-bg' }), svg('rect', { width: 3, height: 6, class: 'pat-ink-2' })),
    svg('pattern', { id: 'ov-dots', width: 5, height: 5, patternUnits: 'userSpaceOnUse' },
      svg('rect', { width: 5, height: 5, class: 'pat-bg' }), svg('circle', { cx: 2.5, cy: 2.5, r: 1.6, class: 'pat-ink-3' })),
    svg('pattern', { id: 'ov-hidden', width: 8, height: 8, patternUnits: 'userSpaceOnUse', patternTransform: 'rotate(-45)' },
      svg('rect', { width: 8, height: 8, class: 'pat-paper' }), svg('rect', { width: 1.5, height: 8, class: 'pat-grey' })),
    svg('pattern', { id: 'ov-none', width: 6, height: 6, patternUnits: 'userSpaceOnUse' },
      svg('rect', { width: 6, height: 6, class: 'pat-paper' }), svg('circle', { cx: 3, cy: 3, r: 0.9, class: 'pat-grey-fill' })));
  document.body.prepend(svg('svg', { id: 'ov-patterns', width: 0, height: 0, class: 'patterns', 'aria-hidden': 'true', focusable: 'false' }, defs));
}

// A small square of a series or of a map class, for legends.
export function swatch(className, fillUrl) {
  return svg('svg', { class: 'swatch', width: 18, height: 18, viewBox: '0 0 18 18', 'aria-hidden': 'true', focusable: 'false' },
    svg('rect', { x: 0.5, y: 0.5, width: 17, height: 17, class: className, fill: fillUrl || null }));
}

// Horizontal bars. items: [{label (text or node), figure (a FIGURES name), f (figures),
// series: 0|1|2, key}]; the scale runs from 0 to max (default: the largest value). The value
// is written after each bar; a hidden cell has no bar and says "<5".
export function bars(items, { max, caption, className } = {}) {
  ensurePatterns();
  const values = items.map((it) => read(it.figure, it.f));
  const type = items.length ? FIGURES[items[0].figure].type : 'count';
  const fixed = type === 'share' ? 1 : type === 'score' ? 5 : undefined;
  const top = max ?? fixed ?? Math.max(0, ...values.map((v) => v.value ?? 0));
  const list = h('ul', { class: ['bars', className], role: 'list', 'aria-label': caption || null },
    items.map((it, i) => {
      const v = values[i];
      const share = v.state === 'shown' && top > 0 ? Math.max(0, Math.min(1, v.value / top)) : 0;
      const series = it.series || 0;
      const bar = svg('svg', { class: 'bar-svg', width: '100%', height: 18, 'aria-hidden': 'true', focusable: 'false' },
        svg('rect', { x: 0, y: 1, width: '100%', height: 16, class: 'bar-track' }),
        v.state === 'shown'
          ? svg('rect', { x: 0, y: 1, width: `${(share * 100).toFixed(2)}%`, height: 16, class: `bar-fill series-${series}`, fill: PATTERN[series] })
          : svg('rect', { x: 0, y: 1, width: 14, height: 16, class: 'bar-fill bar-empty', fill: PATTERN[v.state] }));
      return h('li', { class: ['bar-row', `series-row-${series}`], 'data-key': it.key ?? null },
        h('span', { class: 'bar-label' }, it.label), bar, cell(it.figure, it.f));
    }));
  return list;
}

// Grouped bars: one group per label, one bar per series, each named (direct labels: no
// legend to match by colour). groups: [{label, key, items: [{series, name, figure, f}]}].
export function groupedBars(groups, { max, caption } = {}) {
  ensurePatterns();
  return h('div', { class: 'grouped', role: 'group', 'aria-label': caption || null },
    groups.map((g) => h('div', { class: 'group' },
      h('p', { class: 'group-label' }, g.label),
      bars(g.items.map((it) => ({ label: it.name, figure: it.figure, f: it.f, series: it.series, key: it.key })), { max, className: 'bars-in-group' }))));
}

// A legend of series: [{series, name}].
export function seriesLegend(list) {
  ensurePatterns();
  return h('ul', { class: 'legend', role: 'list' }, list.map((s) =>
    h('li', {}, swatch(`bar-fill series-${s.series}`, PATTERN[s.series]), h('span', {}, s.name))));
}

// Columns over time, drawn at the width the chart has (call again when it changes): the
// value on top of each column, the month under it. Too narrow for the columns to carry
// their numbers (a phone, a long period): horizontal bars instead, which always can.
// points: [{label, short, figure, f}].
export function columns(points, { width, height = 230, caption } = {}) {
  ensurePatterns();
  const n = points.length;
  if (!n) return h('p', { class: 'muted' }, t('dash.no_data'));
  if (!width || width / n < 46) {
    return bars(points.map((p) => ({ label: p.label, figure: p.figure, f: p.f, key: p.key })), { caption, className: 'bars-months' });
  }
  const values = points.map((p) => read(p.figure, p.f));
  const type = FIGURES[points[0].figure].type;
  let top = Math.max(0, ...values.map((v) => v.value ?? 0));
  if (type === 'share') top = 1;
  else if (type === 'score') top = 5;
  const pad = { top: 22, bottom: 40, left: 4, right: 4 };
  const plotH = height - pad.top - pad.bottom;
  const step = (width - pad.left - pad.right) / n;
  const colW = Math.max(6, Math.min(56, step * 0.7));
  const base = pad.top + plotH;
  const parts = [svg('line', { x1: pad.left, y1: base + 0.5, x2: width - pad.right, y2: base + 0.5, class: 'axis' })];
  points.forEach((p, i) => {
    const v = values[i];
    const cx = pad.left + step * i + step / 2;
    const x = cx - colW / 2;
    let label;
    if (v.state === 'shown') {
      const hgt = top > 0 ? Math.max(v.value > 0 ? 1 : 0, (v.value / top) * plotH) : 0;
      parts.push(svg('rect', { x, y: base - hgt, width: colW, height: hgt, class: 'bar-fill series-0' }));
      label = svg('text', { x: cx, y: base - hgt - 6, class: 'col-value', 'text-anchor': 'middle' }, format(p.figure, v.value));
    } else {
      parts.push(svg('rect', { x, y: base - 14, width: colW, height: 14, class: 'bar-fill bar-empty', fill: PATTERN[v.state] }));
      label = svg('text', { x: cx, y: base - 20, class: `col-value col-${v.state}`, 'text-anchor': 'middle', 'data-value': v.state },
        t(v.state === 'hidden' ? 'dash.hidden' : 'dash.none'));
    }
    parts.push(label);
    parts.push(svg('text', { x: cx, y: base + 17, class: 'col-label', 'text-anchor': 'middle' }, p.short));
    if (p.year) parts.push(svg('text', { x: cx, y: base + 33, class: 'col-year', 'text-anchor': 'middle' }, p.year));
  });
  return svg('svg', { class: 'columns', width, height, viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': caption || null }, parts);
}

// A table: head [text…], rows [[cell…]…] (strings or elements). The first column names the
// row (a row header); the table scrolls sideways inside its box on a narrow screen.
// The caption is written above the scrolling box (a <caption> would be as wide as the
// table, and cut off on a phone) and names the table for screen readers.
export function table(head, rows, { caption, className, id } = {}) {
  const capId = caption ? uid('cap') : null;
  const wrap = h('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': caption || head.join(', '), id: id || null },
    h('table', { class: ['grid', className], 'aria-labelledby': capId },
      h('thead', {}, h('tr', {}, head.map((x, i) => h('th', { scope: 'col', class: i ? 'num' : null }, x)))),
      h('tbody', {}, rows.map((r) => h('tr', { 'data-key': r.key ?? null }, (r.cells || r).map((c, i) =>
        (i === 0 ? h('th', { scope: 'row' }, c) : h('td', { class: 'num' }, c))))))));
  return caption ? h('div', { class: 'table-box' }, h('p', { class: 'table-caption', id: capId }, caption), wrap) : wrap;
}

// The numbers of a chart as a table, behind a "show as a table" switch (open in print).
export function asTable(tableEl, { open = false } = {}) {
  return h('details', { class: 'as-table', open }, h('summary', {}, t('dash.as_table')), tableEl);
}

// A table of figures for rows: head = [first, …figure names]; rows [{label, f, key}].
export function figureTable(first, figures, rows, opts = {}) {
  return table([first, ...figures.map(figureName)],
    rows.map((r) => ({ key: r.key, cells: [r.label, ...figures.map((name) => cell(name, r.f))] })), opts);
}
