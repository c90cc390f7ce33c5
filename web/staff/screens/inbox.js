// The inbox: the cases the user may see, newest or most urgent first, with the counts per
// status, filters, full-text search, a countdown to each case's deadline, "load more"
// paging by cursor, a CSV export of the same selection, and new cases shown without a
// reload (GET /api/v1/cases/changes every 20 s).
import { h } from '/common/dom.js';
import { t, number } from '/common/i18n.js';
import { call, queryString, hasRole } from '../lib/session.js';
import { serviceMap } from '../lib/refdata.js';
import {
  STATUSES, KINDS, screenTitle, field, checkbox, select, errorLine, busy, label, localName, date,
  deadlineBadge, statusBadge, currentDeadline,
} from '../lib/ui.js';

export const POLL_MS = 20000;
const PAGE = 50;

// Kept while the console is open, so coming back from a case finds the same list.
const state = {
  filters: { status: '', kind: '', service: '', overdue: false, assigned: false, q: '' },
  sort: 'newest',
  rows: [],
  next: null,
  loadedFor: null, // the query the rows belong to
  fresh: new Set(), // cases that arrived while the inbox was open
  latest: null, // the last change the poll has seen
};

let timer = null;
let polling = false;
let screen = null; // the elements of the shown screen

function apiQuery(extra = {}) {
  const f = state.filters;
  return {
    status: f.status, kind: f.kind, service: f.service, overdue: f.overdue, assigned: f.assigned ? 'me' : '',
    q: f.q, ...extra,
  };
}

export function leave() {
  if (timer) clearInterval(timer);
  timer = null;
  screen = null;
}

export async function show(root, { app }) {
  const services = await serviceMap().catch(() => new Map());
  const err = errorLine();
  const f = state.filters;

  const status = select({ id: 'f-status', name: 'status' }, [['', t('staff.filter.any_status')], ...STATUSES.map((s) => [s, label('status', s)])], f.status);
  const kind = select({ id: 'f-kind', name: 'kind' }, [['', t('staff.filter.any_kind')], ...KINDS.map((k) => [k, label('kind', k)])], f.kind);
  const serviceList = [...services.values()].sort((a, b) => localName(a).localeCompare(localName(b)));
  const service = select({ id: 'f-service', name: 'service' }, [['', t('staff.filter.any_service')], ...serviceList.map((s) => [s.code, localName(s)])], f.service);
  const sort = select({ id: 'f-sort', name: 'sort' }, [['newest', t('staff.sort.newest')], ['urgent', t('staff.sort.urgent')]], state.sort);
  const overdue = checkbox(t('staff.filter.overdue'), { id: 'f-overdue', checked: f.overdue });
  const assigned = checkbox(t('staff.filter.assigned'), { id: 'f-assigned', checked: f.assigned });
  const q = h('input', { id: 'f-q', type: 'search', name: 'q', value: f.q, minlength: '3', autocomplete: 'off' });
  const searchBtn = h('button', { type: 'submit', id: 'f-search' }, t('staff.filter.search_button'));

  const filters = h('form', { class: 'filters', role: 'search', 'aria-label': t('staff.filter.label') },
    h('div', { class: 'search-row' }, field(t('staff.filter.search'), q, { hint: t('staff.filter.search_hint') }), searchBtn),
    h('details', { class: 'filter-box', id: 'filter-box', open: wide() || active() },
      h('summary', {}, t('staff.filter.more')),
      h('div', { class: 'filter-row' },
        field(t('staff.filter.status'), status), field(t('staff.filter.kind'), kind),
        field(t('staff.filter.service'), service), field(t('staff.sort.label'), sort)),
      h('div', { class: 'filter-row checks' }, overdue, assigned)));

  const counts = h('div', { class: 'counts', id: 'counts', 'aria-label': t('staff.inbox.counts') });
  const list = h('ol', { class: 'cases', id: 'cases', role: 'list', 'aria-label': t('staff.inbox.list') });
  const more = h('button', { type: 'button', id: 'more', hidden: true }, t('staff.inbox.more'));
  const summary = h('p', { class: 'muted', id: 'inbox-summary', role: 'status' });
  const fresh = h('p', { class: 'notice notice-new', id: 'inbox-new', hidden: true, role: 'status' });
  const csv = h('a', { class: 'button-link', id: 'csv', download: 'cases.csv', href: '/api/v1/cases.csv' }, t('staff.inbox.csv'));
  screen = { list, more, summary, counts, fresh, csv, err, app };

  const apply = async () => {
    f.status = status.value;
    f.kind = kind.value;
    f.service = service.value;
    f.overdue = overdue.querySelector('input').checked;
    f.assigned = assigned.querySelector('input').checked;
    state.sort = sort.value;
    const text = q.value.trim();
    if (text && [...text].length < 3) {
      err.textContent = t('staff.filter.search_short');
      err.hidden = false;
      q.focus();
      return;
    }
    f.q = text;
    err.clear();
    await load();
  };
  filters.addEventListener('submit', (ev) => { ev.preventDefault(); apply(); });
  for (const el of [status, kind, service, sort]) el.addEventListener('change', apply);
  for (const el of [overdue, assigned]) el.querySelector('input').addEventListener('change', apply);
  q.addEventListener('search', () => { if (!q.value) apply(); }); // the clear button of type=search

  more.addEventListener('click', () => busy(more, async () => {
    try {
      const doc = await call('/api/v1/cases', { query: apiQuery({ cursor: state.next, limit: PAGE }) });
      const known = new Set(state.rows.map((r) => r.case));
      state.rows.push(...doc.cases.filter((c) => !known.has(c.case)));
      state.next = doc.next_cursor;
      render(services);
      app.say(t('staff.inbox.loaded', { n: state.rows.length }));
    } catch (e) {
      err.show(e);
    }
  }));

  async function load() {
    try {
      const doc = await call('/api/v1/cases', { query: apiQuery({ limit: PAGE }) });
      state.rows = doc.cases;
      state.next = doc.next_cursor;
      state.loadedFor = JSON.stringify(apiQuery());
      render(services);
    } catch (e) {
      err.show(e);
    }
  }

  root.append(
    h('div', { class: 'title-row' }, screenTitle(t('staff.inbox.title')), csv),
    counts, filters, err, fresh, summary, list, more);

  await Promise.all([
    state.loadedFor === JSON.stringify(apiQuery()) ? refreshFirstPage(services, { quiet: true }) : load(),
    loadCounts(),
  ]);
  render(services);
  startPolling(app, services);
}

// On a phone the filters start folded, unless one is in use.
function wide() {
  return window.matchMedia('(min-width: 700px)').matches;
}

function active() {
  const f = state.filters;
  return !!(f.status || f.kind || f.service || f.overdue || f.assigned || state.sort !== 'newest');
}

function render(services) {
  if (!screen) return;
  const { list, more, summary, csv } = screen;
  let rows = state.rows;
  if (state.sort === 'urgent') rows = [...rows].sort(urgency);
  list.replaceChildren(...rows.map((c) => row(c, services)));
  more.hidden = !state.next;
  summary.textContent = rows.length ? t(state.next ? 'staff.inbox.shown_more' : 'staff.inbox.shown', { n: rows.length }) : t('staff.inbox.empty');
  csv.href = `/api/v1/cases.csv${queryString(apiQuery())}`;
}

// Overdue first, then the nearest deadline; cases without a deadline last, newest first.
function urgency(a, b) {
  if (a.overdue !== b.overdue) return a.overdue ? -1 : 1;
  const da = currentDeadline(a), db = currentDeadline(b);
  if (da && db) return Date.parse(da.at) - Date.parse(db.at);
  if (da || db) return da ? -1 : 1;
  return a.created_at < b.created_at ? 1 : -1;
}

function row(c, services) {
  const svc = c.service ? services.get(c.service) : null;
  const isNew = state.fresh.has(c.case);
  return h('li', { class: ['case-row', c.overdue && 'is-late', isNew && 'is-new'], 'data-case': c.case },
    h('div', { class: 'case-head' },
      h('a', { class: 'case-link', href: `#/case/${encodeURIComponent(c.case)}` }, c.case),
      isNew ? h('span', { class: 'tag tag-new' }, t('staff.inbox.new_tag')) : null,
      statusBadge(c.status),
      h('span', { class: 'tag' }, label('kind', c.kind)),
      c.sensitive ? h('span', { class: 'tag tag-sensitive' }, t('staff.case.sensitive')) : null,
      c.assigned_to ? h('span', { class: 'tag' }, t('staff.inbox.assigned')) : null),
    h('p', { class: 'excerpt', lang: '' }, c.excerpt || ''),
    h('div', { class: 'case-meta' },
      h('span', {}, svc ? localName(svc) : c.service ? c.service : t('staff.case.no_service')),
      h('span', {}, t('staff.inbox.received', { date: date(c.created_at) })),
      deadlineBadge(c)));
}

async function loadCounts() {
  if (!screen) return;
  const { counts } = screen;
  let doc;
  try {
    doc = await call('/api/v1/cases/counts');
  } catch {
    counts.hidden = true; // the list still works without the counts
    return;
  }
  counts.hidden = false;
  const f = state.filters;
  const item = (key, text, n, active, onclick) => h('li', {},
    h('button', { type: 'button', class: ['count', active && 'active', key === 'overdue' && n > 0 && 'count-late'], 'data-count': key, 'aria-pressed': active ? 'true' : 'false', onclick },
      h('span', { class: 'count-n' }, number(n || 0)), h('span', { class: 'count-label' }, text)));
  const select = (changes) => () => {
    Object.assign(f, changes);
    state.loadedFor = null;
    if (screen) screen.app.rerender();
  };
  counts.replaceChildren(h('ul', { role: 'list' },
    STATUSES.map((s) => item(s, label('status', s), doc[s], f.status === s, select({ status: f.status === s ? '' : s }))),
    item('overdue', t('staff.filter.overdue'), doc.overdue, f.overdue, select({ overdue: !f.overdue }))));
}

// Re-reads the first page and keeps what was loaded beyond it; cases not seen before are
// marked new (unless quiet).
async function refreshFirstPage(services, { quiet = false } = {}) {
  const doc = await call('/api/v1/cases', { query: apiQuery({ limit: PAGE }) });
  const before = new Set(state.rows.map((r) => r.case));
  const first = new Set(doc.cases.map((c) => c.case));
  const arrived = quiet ? [] : doc.cases.filter((c) => !before.has(c.case));
  for (const c of arrived) state.fresh.add(c.case);
  const rest = state.rows.filter((r) => !first.has(r.case));
  state.rows = [...doc.cases, ...rest];
  if (!rest.length) state.next = doc.next_cursor;
  return arrived;
}

function newCount(doc) {
  if (Array.isArray(doc.new)) return doc.new.length;
  return Number(doc.new) || 0;
}

function startPolling(app, services) {
  if (timer) clearInterval(timer);
  const tick = async () => {
    if (polling || !screen) return;
    polling = true;
    try {
      const doc = await call('/api/v1/cases/changes', { query: { since: state.latest ?? 0 } });
      const first = state.latest === null;
      state.latest = doc.latest ?? state.latest;
      if (!first && newCount(doc) > 0 && screen) {
        const arrived = await refreshFirstPage(services);
        render(services);
        await loadCounts();
        if (arrived.length && screen) {
          screen.fresh.textContent = t('staff.inbox.arrived', { n: arrived.length });
          screen.fresh.hidden = false;
          app.say(screen.fresh.textContent);
        }
      }
    } catch (e) {
      if (screen && e.status !== 404) screen.err.show(e); // 404: no live updates on this server yet
    } finally {
      polling = false;
    }
  };
  tick();
  timer = setInterval(tick, POLL_MS);
}

