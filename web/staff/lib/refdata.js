// Reference data the screens show by name (services with their fees, areas, offices),
// fetched once per page load and kept in memory.
import { call } from './session.js';

let services = null;
const areas = new Map();

// The whole services catalogue → Map code → service. fresh: fetch again (after an edit).
export async function serviceMap({ fresh = false } = {}) {
  if (!services || fresh) {
    services = call('/api/v1/services').then((list) => new Map(list.map((s) => [s.code, s])))
      .catch((e) => { services = null; throw e; });
  }
  return services;
}

export async function area(code) {
  if (!code) return null;
  if (!areas.has(code)) {
    areas.set(code, call(`/api/v1/areas/${encodeURIComponent(code)}`).catch((e) => { areas.delete(code); throw e; }));
  }
  return areas.get(code);
}

// An area and its parents, the smallest first: [village, commune, district, province].
export async function areaChain(code) {
  const out = [];
  let next = code;
  for (let i = 0; next && i < 5; i++) {
    const a = await area(next);
    if (!a) break;
    out.push(a);
    next = a.parent;
  }
  return out;
}

// Offices whose jurisdiction covers an area (the public list), nearest first.
export function officesCovering(code) {
  return call('/api/v1/offices', { query: { area: code } });
}
