// Maps of Cambodia drawn as SVG from the boundaries in data/geo (served at /dashboard/geo/,
// not copied into web/): the provinces, or the districts of one province. Each area is a
// link (drill-down), shaded by the chosen figure in five steps of one colour that differ in
// lightness (so they read in grey too), with hidden cells hatched and areas with nothing to
// measure dotted; the legend says what each step holds, wide screens and print show the
// value on the area itself, and the table beside the map has every number.
import { h } from '/common/dom.js';
import { t } from '/common/i18n.js';
import { svg, swatch, ensurePatterns, PATTERN } from './charts.js';
import { read, format, FIGURES } from './stats.js';

const files = new Map();

// The features of a boundaries file, fetched once per page.
export function boundaries(name) {
  if (!files.has(name)) {
    const p = fetch(`/dashboard/geo/${name}.geojson`).then((r) => {
      if (!r.ok) throw new Error(`${name}: ${r.status}`);
      return r.json();
    }).then((doc) => doc.features || []);
    files.set(name, p);
    p.catch(() => files.delete(name));
  }
  return files.get(name);
}

function rings(geometry) {
  if (!geometry) return [];
  if (geometry.type === 'Polygon') return [geometry.coordinates];
  if (geometry.type === 'MultiPolygon') return geometry.coordinates;
  return [];
}

// Equirectangular projection centred on the features (Cambodia spans 4° of latitude, so
// one cosine is enough), scaled to `width` units.
function projection(features, width) {
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  for (const f of features) {
    for (const poly of rings(f.geometry)) {
      for (const [x, y] of poly[0]) {
        if (x < minX) minX = x;
        if (x > maxX) maxX = x;
        if (y < minY) minY = y;
        if (y > maxY) maxY = y;
      }
    }
  }
  const k = Math.cos(((minY + maxY) / 2) * (Math.PI / 180));
  const scale = width / Math.max(1e-9, (maxX - minX) * k);
  const height = (maxY - minY) * scale;
  return { width, height, at: ([x, y]) => [(x - minX) * k * scale, (maxY - y) * scale] };
}

function pathOf(geometry, at) {
  let d = '';
  for (const poly of rings(geometry)) {
    for (const ring of poly) {
      let prev = '';
      ring.forEach((pt, i) => {
        const [x, y] = at(pt);
        const xy = `${x.toFixed(1)} ${y.toFixed(1)}`;
        if (xy === prev) return;
        d += (i === 0 ? 'M' : 'L') + xy;
        prev = xy;
      });
      d += 'Z';
    }
  }
  return d;
}

// The centroid of the largest outer ring (where the value is written), and its area.
function labelPoint(geometry, at) {
  let best = null;
  for (const poly of rings(geometry)) {
    const pts = poly[0].map(at);
    let a = 0, cx = 0, cy = 0;
    for (let i = 0, j = pts.length - 1; i < pts.length; j = i++) {
      const cross = pts[j][0] * pts[i][1] - pts[i][0] * pts[j][1];
      a += cross;
      cx += (pts[j][0] + pts[i][0]) * cross;
      cy += (pts[j][1] + pts[i][1]) * cross;
    }
    if (Math.abs(a) < 1e-9) continue;
    const c = { x: cx / (3 * a), y: cy / (3 * a), area: Math.abs(a / 2) };
    if (!best || c.area > best.area) best = c;
  }
  return best;
}

// Five classes: shares in fixed steps of 20 %, scores by whole points, counts and days in
// equal steps from 0 to the largest value (rounded up to a readable number).
export function classes(figure, values) {
  const type = FIGURES[figure].type;
  if (type === 'share') return [0, 0.2, 0.4, 0.6, 0.8, 1];
  if (type === 'score') return [1, 2, 3, 4, 4.5, 5];
  const max = Math.max(0, ...values);
  if (max <= 0) return [0, 0, 0, 0, 0, 0];
  const raw = max / 5;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const nice = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw) || raw;
  const step = Math.max(1, Math.ceil(nice)); // counts and days are whole numbers
  return [0, step, step * 2, step * 3, step * 4, step * 5];
}

function classOf(breaks, v) {
  for (let i = 1; i < breaks.length - 1; i++) if (v < breaks[i]) return i - 1;
  return breaks.length - 2;
}

// The map. features: GeoJSON features with properties.code; rows: Map code → {label, f};
// href(code) → the drill-down link of an area. Returns the map with its legend.
export function choropleth(features, rows, { figure, href, caption, width = 1000 }) {
  ensurePatterns();
  const proj = projection(features, width);
  const shown = [];
  for (const r of rows.values()) {
    const v = read(figure, r.f);
    if (v.state === 'shown') shown.push(v.value);
  }
  const breaks = classes(figure, shown);
  const used = new Set();
  const shapes = [];
  const labels = [];
  for (const feature of features) {
    const code = (feature.properties && feature.properties.code) || '';
    const row = code ? rows.get(code) : null;
    const d = pathOf(feature.geometry, proj.at);
    if (!d) continue;
    if (!row) { // a 2014 boundary with no current area of its own: drawn, not a link
      shapes.push(svg('path', { d, class: 'area area-unlinked' }));
      continue;
    }
    const v = read(figure, row.f);
    let cls;
    let fillUrl = null;
    let valueText;
    if (v.state === 'shown') {
      const c = classOf(breaks, v.value);
      used.add(c);
      cls = `area step-${c}`;
      valueText = format(figure, v.value);
    } else {
      used.add(v.state);
      cls = `area area-${v.state}`;
      fillUrl = PATTERN[v.state];
      valueText = t(v.state === 'hidden' ? 'dash.hidden' : 'dash.none');
    }
    const title = `${row.label}: ${valueText}`;
    shapes.push(svg('a', { href: href(code), class: 'area-link', 'data-code': code, 'aria-label': title },
      svg('title', {}, title), svg('path', { d, class: cls, fill: fillUrl, 'data-code': code })));
    const at = labelPoint(feature.geometry, proj.at);
    if (at && at.area > (width * width) / 4000) {
      labels.push(svg('text', { x: at.x.toFixed(1), y: at.y.toFixed(1), class: 'map-value', 'text-anchor': 'middle', 'dominant-baseline': 'middle', 'aria-hidden': 'true' }, valueText));
    }
  }
  const map = svg('svg', {
    class: 'map', viewBox: `-4 -4 ${(width + 8).toFixed(0)} ${(proj.height + 8).toFixed(0)}`,
    role: 'group', 'aria-label': caption || null, preserveAspectRatio: 'xMidYMid meet',
  }, svg('g', { class: 'areas' }, shapes), svg('g', { class: 'map-values' }, labels));
  return h('figure', { class: 'map-figure' }, map, legend(figure, breaks, used));
}

function legend(figure, breaks, used) {
  const type = FIGURES[figure].type;
  const items = [];
  for (let i = 0; i < 5; i++) {
    if (!used.has(i)) continue;
    const lo = breaks[i];
    const hi = breaks[i + 1];
    let text;
    if (type === 'count' || type === 'days') {
      const top = i === 4 ? hi : hi - 1;
      text = lo === top ? format(figure, lo) : t('dash.range', { a: format(figure, lo), b: format(figure, Math.max(lo, top)) });
    } else {
      text = t('dash.range', { a: format(figure, lo), b: format(figure, hi) });
    }
    items.push(h('li', { 'data-step': i }, swatch(`area step-${i}`), h('span', {}, text)));
  }
  if (used.has('hidden')) items.push(h('li', { 'data-step': 'hidden' }, swatch('area area-hidden', PATTERN.hidden), h('span', {}, t('dash.legend.hidden'))));
  if (used.has('none')) items.push(h('li', { 'data-step': 'none' }, swatch('area area-none', PATTERN.none), h('span', {}, t('dash.legend.none'))));
  return h('figcaption', {}, h('ul', { class: 'legend', role: 'list' }, items));
}
