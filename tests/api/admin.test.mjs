// The staff console and administration API: password change, inbox counts and polling, the CSV export, office statistics over a known set of cases, response templates, offices, staff accounts (with one-time password and TOTP enrolment), the services catalogue, deadlines, holidays, routing rules and the audit log — national versus provincial scope, and an audit entry for every change.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import {
  ENGINE, addStaff, dbQuery, expectError, getJson, parseCsv, servicesAt, setClock, signIn,
  startServer, submitFeedback, track, trackSession, workingDayDeadline,
} from './harness.mjs';

const HOUR = 3600;
const STAFF_KEYS = ['active', 'login', 'name', 'office', 'role', 'totp'];
const OFFICE_KEYS = ['active', 'area', 'code', 'kind', 'name_en', 'name_km'];
const AUDIT_KEYS = ['action', 'actor', 'actor_kind', 'at', 'case', 'detail', 'id'];
const SECRET_TEXT = 'ការិយាល័យមិនឆ្លើយតប SECRET-CASE-TEXT-7781';

let server, base, svc, accounts;
let admin, padmin, officer, head, analyst, otherOfficer;
const known = {}; // the known cases of C-120101: c1..c5 → {case, receipt}

const signInAs = (login, opts) => signIn(base, { login, password: accounts[login].password, secret: accounts[login].secret }, opts);

/** A JSON request as `who` that must answer `status` → the parsed body. */
async function call(who, method, path, body, status = 200) {
  const res = await who.request(path, { method, body });
  const text = await res.text();
  assert.equal(res.status, status, `${method} ${path}: ${text}`);
  return text ? JSON.parse(text) : null;
}

const post = (who, path, body, status = 200) => call(who, 'POST', path, body, status);
const get = (who, path, status = 200) => call(who, 'GET', path, undefined, status);

async function postError(who, path, body, status, code, field = null) {
  return expectError(await who.request(path, { method: 'POST', body }), status, code, field);
}

async function getError(who, path, status, code, field = null) {
  return expectError(await who.request(path), status, code, field);
}

/** Every audit entry (national view), oldest last, through the cursor. */
async function allAudit(query = '') {
  const out = [];
  let cursor = null;
  for (;;) {
    const page = await get(admin, `/api/v1/admin/audit?limit=200${query}${cursor ? `&cursor=${cursor}` : ''}`);
    out.push(...page.entries);
    if (!page.next_cursor) return out;
    cursor = page.next_cursor;
  }
}

function feedback(kind, extra = {}) {
  return { kind, area: '120101', service: svc.commune, text: `${kind} ${SECRET_TEXT}`, language: 'km', ...extra };
}

before(async () => {
  server = await startServer({ env: { OURVOICE_JOBS_INTERVAL: '3600' } });
  base = server.url;
  accounts = server.accounts;
  svc = await servicesAt(base, '120101');
  admin = await signInAs('admin');
  padmin = await signInAs('padmin.12');
  officer = await signInAs('officer.120101');
  head = await signInAs('head.120101');
  analyst = await signInAs('analyst');
  otherOfficer = await signInAs('officer.owso.1201');

  // The known set of C-120101: c1 complaint (female), c2 information (male), c3 support
  // (no demographics), c4 evaluation (female, overall 4, timeliness 3), c5 evaluation
  // (male, overall 2). c1 acknowledged after 2 h; c2 acknowledged and answered after 6 h
  // and rated satisfied; c3 rejected.
  known.c1 = await submitFeedback(base, feedback('complaint', { demographics: { sex: 'female', age_band: '25_34', disability: false } }));
  known.c2 = await submitFeedback(base, feedback('information', { demographics: { sex: 'male' } }));
  known.c3 = await submitFeedback(base, feedback('support'));
  known.c4 = await submitFeedback(base, feedback('evaluation', { scores: { overall: 4, timeliness: 3 }, demographics: { sex: 'female' } }));
  known.c5 = await submitFeedback(base, feedback('evaluation', { scores: { overall: 2 }, demographics: { sex: 'male' } }));
  for (const c of Object.values(known)) assert.match(c.case, /^C-120101-/);

  await setClock(base, 2 * HOUR);
  const later1 = await signInAs('officer.120101', { clockOffset: 2 * HOUR });
  await later1.act(known.c1.case, { action: 'acknowledge' });
  await setClock(base, 6 * HOUR);
  const later2 = await signInAs('officer.120101', { clockOffset: 6 * HOUR });
  await later2.act(known.c2.case, { action: 'acknowledge' });
  await later2.act(known.c2.case, { action: 'answer', text: 'ចម្លើយ: the office opens at 8.' });
  const token = await trackSession(base, known.c2.receipt);
  const rated = await track(base, token, '/api/v1/track/rating', { satisfied: true, score: 5 });
  assert.equal(rated.status, 200, await rated.text());
  await setClock(base, 0);
  await head.act(known.c3.case, { action: 'reject', reason: 'Duplicate of another case.' });
});

after(async () => {
  await server?.stop();
});

describe('inbox counts and polling', () => {
  test('counts per status over the caller\'s scope', async () => {
    const c = await get(officer, '/api/v1/cases/counts');
    assert.deepEqual(c, { submitted: 2, acknowledged: 1, in_progress: 0, answered: 1, closed: 0, rejected: 1, overdue: 0 });
    // the OWSO officer of the same district sees none of the commune's cases
    assert.deepEqual(await get(otherOfficer, '/api/v1/cases/counts'),
      { submitted: 0, acknowledged: 0, in_progress: 0, answered: 0, closed: 0, rejected: 0, overdue: 0 });
    const national = await get(admin, '/api/v1/cases/counts');
    assert.equal(national.submitted, 2);
    const provincial = await get(padmin, '/api/v1/cases/counts');
    assert.deepEqual(provincial, c);
    await getError(analyst, '/api/v1/cases/counts', 403, 'forbidden');
  });

  test('overdue counts the cases past a deadline', async () => {
    const offset = 40 * 86400; // past every acknowledge deadline, and c1's answer deadline
    await setClock(base, offset);
    try {
      const later = await signInAs('officer.120101', { clockOffset: offset });
      const c = await get(later, '/api/v1/cases/counts');
      assert.equal(c.overdue, 3, JSON.stringify(c)); // c1 (answer), c4 and c5 (acknowledge)
    } finally {
      await setClock(base, 0);
    }
  });

  test('changes: the latest case id in scope and how many are newer', async () => {
    const first = await get(officer, '/api/v1/cases/changes');
    assert.deepEqual(Object.keys(first).sort(), ['latest', 'new']);
    assert.equal(first.new, 5);
    assert.ok(Number.isInteger(first.latest) && first.latest > 0);
    assert.deepEqual(await get(officer, `/api/v1/cases/changes?since=${first.latest}`), { latest: first.latest, new: 0 });
    assert.deepEqual(await get(otherOfficer, '/api/v1/cases/changes?since=0'), { latest: 0, new: 0 });
    const fresh = await submitFeedback(base, feedback('information'));
    const next = await get(officer, `/api/v1/cases/changes?since=${first.latest}`);
    assert.equal(next.new, 1);
    assert.ok(next.latest > first.latest);
    // the OWSO officer still sees nothing new
    assert.deepEqual(await get(otherOfficer, `/api/v1/cases/changes?since=0`), { latest: 0, new: 0 });
    await getError(officer, '/api/v1/cases/changes?since=-1', 400, 'invalid_value', 'since');
    await getError(officer, '/api/v1/cases/changes?since=abc', 400, 'invalid_value', 'since');
    await getError(analyst, '/api/v1/cases/changes', 403, 'forbidden');
    known.c6 = fresh;
  });
});

describe('office statistics', () => {
  test('the head of office sees its figures, split by sex', async () => {
    const s = await get(head, '/api/v1/office/stats');
    assert.equal(s.office.code, 'C-120101');
    assert.equal(s.from, null);
    assert.equal(s.to, null);
    assert.equal(s.total, 6); // c1..c5 and the case of the polling test
    assert.deepEqual(s.by_status, { submitted: 3, acknowledged: 1, in_progress: 0, answered: 1, closed: 0, rejected: 1 });
    assert.deepEqual(s.by_kind, { complaint: 1, support: 1, information: 2, evaluation: 2 });
    assert.equal(s.overdue, 0);
    assert.ok(Math.abs(s.median_hours_to_acknowledge - 4) <= 0.1, `median to acknowledge ${s.median_hours_to_acknowledge}`);
    assert.ok(Math.abs(s.median_hours_to_answer - 6) <= 0.1, `median to answer ${s.median_hours_to_answer}`);
    assert.deepEqual(s.satisfaction, { rated: 1, satisfied: 1 });
    assert.deepEqual(s.scores.overall, { average: 3, count: 2 });
    assert.deepEqual(s.scores.timeliness, { average: 3, count: 1 });
    assert.deepEqual(s.scores.courtesy, { average: null, count: 0 });
    assert.deepEqual(Object.keys(s.scores).sort(),
      ['clear_information', 'courtesy', 'official_fee', 'overall', 'timeliness', 'women_safety']);
    assert.deepEqual(Object.keys(s.by_sex).sort(), ['female', 'male', 'not_given', 'other', 'unsaid']);
    const f = s.by_sex.female;
    assert.equal(f.total, 2);
    assert.deepEqual(f.by_kind, { complaint: 1, support: 0, information: 0, evaluation: 1 });
    assert.deepEqual(f.scores.overall, { average: 4, count: 1 });
    assert.ok(Math.abs(f.median_hours_to_acknowledge - 2) <= 0.1);
    assert.equal(f.median_hours_to_answer, null);
    const m = s.by_sex.male;
    assert.equal(m.total, 2);
    assert.deepEqual(m.satisfaction, { rated: 1, satisfied: 1 });
    assert.deepEqual(m.scores.overall, { average: 2, count: 1 });
    assert.ok(Math.abs(m.median_hours_to_answer - 6) <= 0.1);
    assert.equal(s.by_sex.not_given.total, 2); // c3 and the polling test's case
    assert.equal(s.by_sex.other.total, 0);
    assert.equal(s.by_sex.other.median_hours_to_acknowledge, null);
    assert.doesNotMatch(JSON.stringify(s), /SECRET-CASE-TEXT/);
  });

  test('a date range counts the cases created in it', async () => {
    const today = new Date(Date.now() + 7 * HOUR * 1000).toISOString().slice(0, 10);
    const tomorrow = new Date(Date.now() + 31 * HOUR * 1000).toISOString().slice(0, 10);
    const s = await get(head, `/api/v1/office/stats?from=${today}&to=${today}`);
    assert.equal(s.total, 6);
    assert.equal(s.from, today);
    assert.equal((await get(head, `/api/v1/office/stats?from=${tomorrow}`)).total, 0);
    await getError(head, `/api/v1/office/stats?from=${tomorrow}&to=${today}`, 400, 'invalid_value', 'to');
    await getError(head, '/api/v1/office/stats?from=2026-02-30', 400, 'invalid_value', 'from');
  });

  test('who may see which office', async () => {
    await getError(officer, '/api/v1/office/stats', 403, 'forbidden');
    await getError(analyst, '/api/v1/office/stats', 403, 'forbidden');
    await getError(head, '/api/v1/office/stats?office=OWSO-1201', 403, 'forbidden');
    assert.equal((await get(padmin, '/api/v1/office/stats?office=C-120101')).total, 6);
    await getError(padmin, '/api/v1/office/stats?office=MOI', 403, 'forbidden');
    await getError(padmin, '/api/v1/office/stats?office=NOPE-1', 400, 'unknown_office', 'office');
    assert.equal((await get(admin, '/api/v1/office/stats?office=C-120101')).total, 6);
    const own = await get(admin, '/api/v1/office/stats');
    assert.equal(own.office.code, 'MOI');
    assert.equal(own.total, 0);
    assert.equal(own.median_hours_to_acknowledge, null);
  });
});

describe('the CSV export', () => {
  test('UTF-8 with a BOM, Khmer intact, no text, identity or contact', async () => {
    const res = await officer.request('/api/v1/cases.csv');
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'text/csv; charset=utf-8');
    assert.match(res.headers.get('content-disposition'), /^attachment; filename="ourvoice-cases-\d{4}-\d{2}-\d{2}\.csv"$/);
    assert.equal(res.headers.get('cache-control'), 'no-store');
    assert.equal(res.headers.get('x-export-rows'), '6');
    assert.equal(res.headers.get('x-export-truncated'), 'false');
    const bytes = Buffer.from(await res.arrayBuffer());
    assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'a UTF-8 byte order mark');
    const text = bytes.toString('utf8');
    assert.doesNotMatch(text, /SECRET-CASE-TEXT/);
    assert.match(text, /\r\n$/, 'RFC 4180 line ends');
    const header = text.slice(1, text.indexOf('\r\n')).split(',');
    assert.deepEqual(header, ['case', 'kind', 'status', 'office', 'office_name_km', 'office_name_en', 'area',
      'area_name_km', 'area_name_en', 'service', 'service_name_km', 'service_name_en', 'created_at',
      'due_acknowledge', 'due_answer', 'overdue', 'sex', 'age_band', 'disability', 'satisfied', 'rating']);
    for (const banned of ['text', 'name', 'contact', 'phone', 'email', 'receipt', 'identity'])
      assert.ok(!header.includes(banned), `no ${banned} column`);
    const rows = parseCsv(text);
    assert.equal(rows.length, 6);
    const area = await getJson(base, '/api/v1/areas/120101');
    const [office] = await getJson(base, '/api/v1/offices?area=120101');
    const service = svc.all.find((s) => s.code === svc.commune);
    const c1 = rows.find((r) => r.case === known.c1.case);
    assert.deepEqual(c1, {
      case: known.c1.case, kind: 'complaint', status: 'acknowledged', office: 'C-120101',
      office_name_km: office.name_km, office_name_en: office.name_en, area: '120101',
      area_name_km: area.name_km, area_name_en: area.name_en, service: svc.commune,
      service_name_km: service.name_km, service_name_en: service.name_en, created_at: c1.created_at,
      due_acknowledge: known.c1.due.acknowledge, due_answer: c1.due_answer, overdue: 'no', sex: 'female',
      age_band: '25_34', disability: 'no', satisfied: '', rating: '',
    });
    assert.match(c1.office_name_km, /[\u1780-\u17FF]/, 'Khmer survives the round trip');
    assert.match(c1.area_name_km, /[\u1780-\u17FF]/);
    const c2 = rows.find((r) => r.case === known.c2.case);
    assert.equal(c2.satisfied, 'yes');
    assert.equal(c2.rating, '5');
    assert.equal(rows.find((r) => r.case === known.c3.case).sex, '');
  });

  test('the inbox filters apply, and the scope is the inbox\'s', async () => {
    const res = await officer.request('/api/v1/cases.csv?status=submitted&kind=evaluation');
    const rows = parseCsv(await res.text());
    assert.deepEqual(rows.map((r) => r.case).sort(), [known.c4.case, known.c5.case].sort());
    const search = parseCsv(await (await officer.request(`/api/v1/cases.csv?q=${encodeURIComponent('SECRET-CASE')}`)).text());
    assert.equal(search.length, 6);
    const none = await otherOfficer.request('/api/v1/cases.csv');
    assert.equal(none.status, 200);
    assert.equal(parseCsv(await none.text()).length, 0);
    assert.equal(parseCsv(await (await padmin.request('/api/v1/cases.csv')).text()).length, 6);
    await getError(analyst, '/api/v1/cases.csv', 403, 'forbidden');
    await getError(officer, '/api/v1/cases.csv?status=lost', 400, 'not_allowed', 'status');
    await getError(officer, '/api/v1/cases.csv?q=ab', 400, 'invalid_value', 'q');
  });

  test('RFC 4180 quoting of commas and quotes', async () => {
    const created = await post(admin, '/api/v1/admin/services', {
      code: 'test-quoted', office_kind: 'commune', sector: 'test', name_km: 'សេវា "សាកល្បង", ក',
      name_en: 'Copies, "certified" =SUM(A1)', fee_khr: null, days: null,
    }, 201);
    assert.equal(created.code, 'test-quoted');
    const c = await submitFeedback(base, { ...feedback('information'), service: 'test-quoted' });
    const rows = parseCsv(await (await officer.request('/api/v1/cases.csv')).text());
    const row = rows.find((r) => r.case === c.case);
    assert.equal(row.service_name_km, 'សេវា "សាកល្បង", ក');
    assert.equal(row.service_name_en, 'Copies, "certified" =SUM(A1)');
    await post(admin, '/api/v1/admin/services/test-quoted', { name_en: '=HYPERLINK("x")' });
    const again = parseCsv(await (await officer.request('/api/v1/cases.csv')).text());
    assert.equal(again.find((r) => r.case === c.case).service_name_en, '\'=HYPERLINK("x")',
      'a formula is defused with an apostrophe');
  });

  test('each export is one audit entry', async () => {
    const entries = await allAudit('&action=cases_exported&actor=officer.120101');
    assert.ok(entries.length >= 4, `${entries.length} export entries`);
    for (const e of entries) {
      assert.equal(e.actor, 'officer.120101');
      assert.equal(e.case, null);
      assert.match(e.detail, /^rows=\d+ truncated=no /);
      assert.doesNotMatch(e.detail, /SECRET/);
    }
  });
});

describe('password change', () => {
  test('wrong current password, too short, then a change that ends other sessions', async () => {
    const acct = await addStaff(server, { login: 'pw.changer', role: 'officer', office: 'C-120101' });
    const one = await signIn(base, acct);
    const two = await signIn(base, acct);
    await postError(one, '/api/v1/auth/password', { current: acct.password, new: 'short' }, 400, 'too_short', 'new');
    await postError(one, '/api/v1/auth/password', { current: acct.password, new: 'ខ្មែរ1234' }, 400, 'too_short', 'new'); // 9 characters, 19 bytes
    await postError(one, '/api/v1/auth/password', { current: 'wrong password', new: 'a long new password' }, 401, 'invalid_credentials', 'current');
    await postError(one, '/api/v1/auth/password', { current: acct.password, new: 'a long new password', again: 1 }, 400, 'unknown_field', 'again');
    await postError(one, '/api/v1/auth/password', { current: acct.password }, 400, 'missing_field', 'new');
    await expectError(await one.request('/api/v1/auth/password', { method: 'POST', body: { current: acct.password, new: 'x'.repeat(20) }, csrf: false }), 403, 'csrf_failed');
    assert.equal((await get(one, '/api/v1/me')).user.login, 'pw.changer', 'a wrong password does not end the session');
    assert.deepEqual(await post(one, '/api/v1/auth/password', { current: acct.password, new: 'ពាក្យសម្ងាត់ថ្មី 2026' }), { status: 'password_changed' });
    assert.equal((await get(one, '/api/v1/me')).user.login, 'pw.changer', 'this session goes on');
    await expectError(await two.request('/api/v1/me'), 401, 'session_expired');
    const old = await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ login: 'pw.changer', password: acct.password }) });
    await expectError(old, 401, 'invalid_credentials');
    await signIn(base, { login: 'pw.changer', password: 'ពាក្យសម្ងាត់ថ្មី 2026' });
    const entries = await allAudit('&actor=pw.changer');
    const actions = entries.map((e) => e.action);
    assert.ok(actions.includes('password_changed'));
    assert.ok(actions.includes('password_change_failed'));
    for (const e of entries) assert.doesNotMatch(e.detail, /ពាក្យសម្ងាត់|long new password/);
  });
});

describe('response templates', () => {
  test('any staff member lists the active templates, filtered', async () => {
    const all = await get(officer, '/api/v1/templates');
    assert.ok(all.length >= 6, 'the seeded templates');
    for (const t of all) {
      assert.deepEqual(Object.keys(t).sort(), ['action', 'active', 'id', 'language', 'service', 'text', 'title', 'updated_at']);
      assert.equal(t.active, true);
    }
    const km = await get(officer, '/api/v1/templates?action=acknowledge&language=km');
    assert.equal(km.length, 1);
    assert.match(km[0].text, /[\u1780-\u17FF]/);
    await getError(officer, '/api/v1/templates?action=fly', 400, 'not_allowed', 'action');
    await getError(officer, '/api/v1/templates?language=fr', 400, 'not_allowed', 'language');
  });

  test('the national admin creates, edits and retires a template', async () => {
    const t = await post(admin, '/api/v1/admin/templates', {
      service: svc.commune, action: 'answer', language: 'km', title: 'ចម្លើយស្តង់ដារ', text: 'សូមអរគុណ។\nការិយាល័យបើកម៉ោង ៨ ព្រឹក។',
    }, 201);
    assert.equal(t.service, svc.commune);
    assert.equal(t.text, 'សូមអរគុណ។\nការិយាល័យបើកម៉ោង ៨ ព្រឹក។');
    const forService = await get(officer, `/api/v1/templates?service=${svc.commune}&action=answer&language=km`);
    assert.deepEqual(forService.map((x) => x.id), [t.id]);
    assert.equal((await get(officer, `/api/v1/templates?service=${svc.owso}&action=answer&language=km`)).length, 0);
    const edited = await post(admin, `/api/v1/admin/templates/${t.id}`, { title: 'ចម្លើយ', active: false });
    assert.equal(edited.title, 'ចម្លើយ');
    assert.equal(edited.active, false);
    assert.equal((await get(officer, `/api/v1/templates?service=${svc.commune}&action=answer`)).length, 0);
    const withRetired = await get(admin, '/api/v1/templates?all=true&action=answer');
    assert.ok(withRetired.some((x) => x.id === t.id && !x.active));
    await getError(officer, '/api/v1/templates?all=true', 403, 'forbidden');
    await postError(padmin, '/api/v1/admin/templates', { action: 'answer', language: 'en', title: 'x', text: 'y' }, 403, 'forbidden');
    await postError(officer, `/api/v1/admin/templates/${t.id}`, { active: true }, 403, 'forbidden');
    await postError(admin, '/api/v1/admin/templates', { action: 'answer', language: 'en', title: 'x', text: 'y', style: 1 }, 400, 'unknown_field', 'style');
    await postError(admin, '/api/v1/admin/templates', { service: 'no-such', action: 'answer', language: 'en', title: 'x', text: 'y' }, 400, 'unknown_service', 'service');
    await postError(admin, '/api/v1/admin/templates', { action: 'assign', language: 'en', title: 'x', text: 'y' }, 400, 'not_allowed', 'action');
    await postError(admin, '/api/v1/admin/templates', { action: 'answer', language: 'en', title: '  ', text: 'y' }, 400, 'invalid_value', 'title');
    await postError(admin, '/api/v1/admin/templates/999999', { active: true }, 404, 'not_found');
    await postError(admin, '/api/v1/admin/templates/abc', { active: true }, 404, 'not_found');
  });
});

/** A district and commune of another province than Phnom Penh (12). */
async function elsewhere() {
  const [district] = await getJson(base, '/api/v1/areas?parent=01');
  const [commune] = await getJson(base, `/api/v1/areas?parent=${district.code}`);
  return { district: district.code, commune: commune.code };
}

describe('offices', () => {
  test('list with filters; a provincial admin sees only its province', async () => {
    const communes = await get(admin, '/api/v1/admin/offices?area=1201&kind=commune');
    assert.ok(communes.length > 3);
    for (const o of communes) {
      assert.deepEqual(Object.keys(o).sort(), OFFICE_KEYS);
      assert.equal(o.kind, 'commune');
      assert.match(o.area, /^1201/);
    }
    const found = await get(admin, '/api/v1/admin/offices?q=owso-1201');
    assert.deepEqual(found.map((o) => o.code), ['OWSO-1201']);
    const everything = await get(admin, '/api/v1/admin/offices?area=&kind=&q=');
    assert.ok(everything.some((o) => o.code === 'MOI'));
    const mine = await get(padmin, '/api/v1/admin/offices');
    assert.ok(mine.length > 10);
    for (const o of mine) assert.match(o.area ?? '', /^12/);
    assert.equal((await get(padmin, '/api/v1/admin/offices?area=01')).length, 0);
    await getError(officer, '/api/v1/admin/offices', 403, 'forbidden');
    await getError(analyst, '/api/v1/admin/offices', 403, 'forbidden');
    await getError(admin, '/api/v1/admin/offices?kind=castle', 400, 'not_allowed', 'kind');
    await getError(admin, '/api/v1/admin/offices?area=12a', 400, 'invalid_value', 'area');
  });

  test('create, rename, deactivate; inside the caller\'s scope only', async () => {
    const body = { code: 'C-TEST-1', kind: 'commune', area: '120109', name_km: 'ការិយាល័យសាកល្បង', name_en: 'Test office' };
    const o = await post(admin, '/api/v1/admin/offices', body, 201);
    assert.deepEqual(o, { code: 'C-TEST-1', kind: 'commune', area: '120109', name_km: 'ការិយាល័យសាកល្បង', name_en: 'Test office', active: true });
    await postError(admin, '/api/v1/admin/offices', body, 409, 'conflict');
    await postError(admin, '/api/v1/admin/offices', { ...body, code: 'C-TEST-2', area: '1201' }, 400, 'invalid_value', 'area');
    await postError(admin, '/api/v1/admin/offices', { ...body, code: 'C-TEST-2', area: '129999' }, 400, 'unknown_area', 'area');
    await postError(admin, '/api/v1/admin/offices', { ...body, code: 'c-lower' }, 400, 'invalid_value', 'code');
    await postError(admin, '/api/v1/admin/offices', { ...body, code: 'C-TEST-2', area: undefined }, 400, 'missing_field', 'area');
    await postError(admin, '/api/v1/admin/offices', { ...body, code: 'C-TEST-2', kind: 'castle' }, 400, 'not_allowed', 'kind');
    await postError(admin, '/api/v1/admin/offices', { ...body, code: 'C-TEST-2', name_en: 'a\u0007b' }, 400, 'invalid_value', 'name_en');
    await postError(admin, '/api/v1/admin/offices', { ...body, code: 'C-TEST-2', extra: true }, 400, 'unknown_field', 'extra');

    // the provincial admin of Phnom Penh: inside 12 yes, elsewhere or national no
    const p = await post(padmin, '/api/v1/admin/offices', { ...body, code: 'C-TEST-P', area: '120110' }, 201);
    assert.equal(p.area, '120110');
    const away = await elsewhere();
    await postError(padmin, '/api/v1/admin/offices', { ...body, code: 'C-TEST-X', area: away.commune }, 403, 'forbidden');
    await postError(padmin, '/api/v1/admin/offices', { code: 'MIN-2', kind: 'ministry', name_km: 'ក', name_en: 'M' }, 403, 'forbidden');
    await postError(padmin, '/api/v1/admin/offices/MOI', { name_en: 'Mine now' }, 403, 'forbidden');
    await postError(officer, '/api/v1/admin/offices', { ...body, code: 'C-TEST-Y' }, 403, 'forbidden');
    const x = await post(admin, '/api/v1/admin/offices', { ...body, code: 'C-TEST-X', area: away.commune }, 201);
    assert.equal(x.area, away.commune);
    await postError(padmin, '/api/v1/admin/offices/C-TEST-X', { active: false }, 403, 'forbidden');

    const renamed = await post(padmin, '/api/v1/admin/offices/C-TEST-1', { name_en: 'Renamed office' });
    assert.equal(renamed.name_en, 'Renamed office');
    assert.equal(renamed.name_km, 'ការិយាល័យសាកល្បង');
    const covering = () => getJson(base, '/api/v1/offices?area=120109').then((l) => l.map((o) => o.code));
    assert.ok((await covering()).includes('C-TEST-1'));
    assert.equal((await post(admin, '/api/v1/admin/offices/C-TEST-1', { active: false })).active, false);
    assert.ok(!(await covering()).includes('C-TEST-1'), 'an inactive office no longer covers its area');
    assert.ok((await get(admin, '/api/v1/admin/offices?q=c-test-1')).some((o) => o.code === 'C-TEST-1' && !o.active),
      'the list shows inactive offices');
    await post(admin, '/api/v1/admin/offices/C-TEST-1', { active: true });
    await postError(admin, '/api/v1/admin/offices/NOPE-9', { active: true }, 404, 'not_found');
    await postError(admin, '/api/v1/admin/offices/C-TEST-1', { code: 'C-NEW' }, 400, 'unknown_field', 'code');

    const audit = await allAudit('&actor=padmin.12');
    assert.ok(audit.some((e) => e.action === 'office_created' && /code=C-TEST-P kind=commune area=120110/.test(e.detail)));
    assert.ok(audit.some((e) => e.action === 'office_updated' && /code=C-TEST-1/.test(e.detail)));
  });
});

describe('staff accounts', () => {
  test('list: login, name, role, office, active, totp — no secret', async () => {
    const all = await get(admin, '/api/v1/admin/staff');
    assert.ok(all.length >= 9);
    for (const u of all) assert.deepEqual(Object.keys(u).sort(), STAFF_KEYS);
    const a = all.find((u) => u.login === 'admin');
    assert.deepEqual(a, { login: 'admin', name: 'Demo National Admin', role: 'national_admin', office: 'MOI', active: true, totp: true });
    assert.equal(all.find((u) => u.login === 'analyst').office, null);
    const office = await get(admin, '/api/v1/admin/staff?office=C-120101');
    assert.ok(office.length >= 3);
    for (const u of office) assert.equal(u.office, 'C-120101');
    const mine = await get(padmin, '/api/v1/admin/staff');
    assert.ok(mine.some((u) => u.login === 'officer.120101'));
    assert.ok(!mine.some((u) => u.login === 'admin' || u.login === 'analyst'), 'nobody outside the province');
    await getError(padmin, '/api/v1/admin/staff?office=MOI', 403, 'forbidden');
    await getError(admin, '/api/v1/admin/staff?office=NOPE-1', 400, 'unknown_office', 'office');
    await getError(head, '/api/v1/admin/staff', 403, 'forbidden');
    assert.doesNotMatch(JSON.stringify(all), /argon2|password|secret/i);
  });

  test('create an officer: a password shown once, no second factor', async () => {
    const created = await post(admin, '/api/v1/admin/staff', { login: 'new.officer', name: 'សុខ ដារ៉ា', role: 'officer', office: 'C-120101' }, 201);
    assert.deepEqual(Object.keys(created).sort(), ['password', 'totp', 'user']);
    assert.deepEqual(created.user, { login: 'new.officer', name: 'សុខ ដារ៉ា', role: 'officer', office: 'C-120101', active: true, totp: false });
    assert.equal(created.totp, null);
    assert.match(created.password, /^[A-Za-z0-9]{16}$/);
    const s = await signIn(base, { login: 'new.officer', password: created.password });
    assert.equal(s.user.role, 'officer');
    await postError(admin, '/api/v1/admin/staff', { login: 'new.officer', name: 'x', role: 'officer', office: 'C-120101' }, 409, 'conflict');
    await postError(admin, '/api/v1/admin/staff', { login: 'Bad Login', name: 'x', role: 'officer', office: 'C-120101' }, 400, 'invalid_value', 'login');
    await postError(admin, '/api/v1/admin/staff', { login: 'no.office', name: 'x', role: 'officer' }, 400, 'missing_field', 'office');
    await postError(admin, '/api/v1/admin/staff', { login: 'no.office', name: 'x', role: 'officer', office: 'NOPE-1' }, 400, 'unknown_office', 'office');
    await postError(admin, '/api/v1/admin/staff', { login: 'bad.ombuds', name: 'x', role: 'ombudsman', office: 'C-120101' }, 400, 'invalid_value', 'office');
    await postError(admin, '/api/v1/admin/staff', { login: 'an.analyst', name: 'x', role: 'analyst', office: 'C-120101' }, 400, 'invalid_value', 'office');
    await postError(admin, '/api/v1/admin/staff', { login: 'x.y', name: 'x', role: 'king', office: 'C-120101' }, 400, 'not_allowed', 'role');
    await postError(admin, '/api/v1/admin/staff', { login: 'x.y', name: 'x', role: 'officer', office: 'C-120101', password: 'mine' }, 400, 'unknown_field', 'password');
  });

  test('create an ombudsman: TOTP enrolled, with its URI and a QR code as SVG', async () => {
    const created = await post(admin, '/api/v1/admin/staff', { login: 'new.ombudsman', name: 'New Ombudsman', role: 'ombudsman', office: 'DO-1201' }, 201);
    assert.equal(created.user.totp, true);
    const { secret, uri, qr_svg: svg } = created.totp;
    assert.match(secret, /^[A-Z2-7]{32}$/);
    assert.equal(uri, `otpauth://totp/Our%20Voice:new.ombudsman?secret=${secret}&issuer=Our%20Voice&algorithm=SHA1&digits=6&period=30`);
    assert.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" viewBox="0 0 (\d+) \1"/);
    assert.ok(svg.endsWith('</svg>'));
    assert.ok((svg.match(/<rect /g) ?? []).length > 50, 'modules drawn as rects');
    assert.doesNotMatch(svg, /style|script|href|on[a-z]+=/i);
    const size = Number(/viewBox="0 0 (\d+)/.exec(svg)[1]);
    assert.ok(size >= 21 + 8 && (size - 8 - 17) % 4 === 0, `a QR symbol with its quiet zone: ${size}`);
    const s = await signIn(base, { login: 'new.ombudsman', password: created.password, secret });
    assert.equal(s.user.totp, true);
    // listed afterwards without the secret
    const listed = (await get(admin, '/api/v1/admin/staff?office=DO-1201')).find((u) => u.login === 'new.ombudsman');
    assert.deepEqual(listed, created.user);
    const audit = await allAudit('&action=staff_created');
    const entry = audit.find((e) => /login=new\.ombudsman/.test(e.detail));
    assert.equal(entry.actor, 'admin');
    assert.match(entry.detail, /role=ombudsman office=DO-1201 totp=enrolled/);
    for (const e of audit) {
      assert.ok(!e.detail.includes(secret) && !e.detail.includes(created.password), 'no secret in the audit log');
    }
  });

  test('edit: role, disable, reset password and second factor', async () => {
    const first = await signIn(base, { login: 'new.officer', password: (await post(admin, '/api/v1/admin/staff/new.officer', { reset_password: true })).password });
    const head2 = await post(admin, '/api/v1/admin/staff/new.officer', { role: 'head', name: 'សុខ ដារ៉ា (ប្រធាន)' });
    assert.deepEqual(head2, { user: { login: 'new.officer', name: 'សុខ ដារ៉ា (ប្រធាន)', role: 'head', office: 'C-120101', active: true, totp: false } });
    assert.equal((await get(first, '/api/v1/me')).user.role, 'head', 'a role change applies at once');
    const off = await post(admin, '/api/v1/admin/staff/new.officer', { active: false });
    assert.equal(off.user.active, false);
    await expectError(await first.request('/api/v1/me'), 401, 'session_expired');
    await post(admin, '/api/v1/admin/staff/new.officer', { active: true });
    const reset = await post(admin, '/api/v1/admin/staff/new.officer', { reset_password: true });
    assert.match(reset.password, /^[A-Za-z0-9]{16}$/);
    assert.equal(reset.totp, undefined);
    await signIn(base, { login: 'new.officer', password: reset.password });
    // becoming an ombudsman enrols a second factor, since the role needs one
    const omb = await post(admin, '/api/v1/admin/staff/new.officer', { role: 'ombudsman', office: 'DO-1201' });
    assert.equal(omb.user.totp, true);
    assert.match(omb.totp.secret, /^[A-Z2-7]{32}$/);
    await signIn(base, { login: 'new.officer', password: reset.password, secret: omb.totp.secret });
    const again = await post(admin, '/api/v1/admin/staff/new.officer', { reset_totp: true });
    assert.notEqual(again.totp.secret, omb.totp.secret);
    await signIn(base, { login: 'new.officer', password: reset.password, secret: again.totp.secret });
    await postError(admin, '/api/v1/admin/staff/new.officer', { role: 'ccwc' }, 400, 'invalid_value', 'office');
    await postError(admin, '/api/v1/admin/staff/nobody.here', { active: false }, 404, 'not_found');
    await postError(admin, '/api/v1/admin/staff/new.officer', { reset_password: 'yes' }, 400, 'wrong_type', 'reset_password');
    const audit = await allAudit('&action=staff_updated');
    const mine = audit.filter((e) => /^login=new\.officer/.test(e.detail)).map((e) => e.detail);
    assert.ok(mine.some((d) => / active=false/.test(d)));
    assert.ok(mine.some((d) => / password=reset/.test(d)));
    assert.ok(mine.some((d) => / role=ombudsman office=DO-1201/.test(d) && / totp=enrolled/.test(d)));
  });

  test('nobody changes their own role or active flag', async () => {
    await postError(admin, '/api/v1/admin/staff/admin', { active: false }, 403, 'forbidden');
    await postError(admin, '/api/v1/admin/staff/admin', { role: 'analyst', office: null }, 403, 'forbidden');
    const renamed = await post(admin, '/api/v1/admin/staff/admin', { name: 'Demo National Admin' });
    assert.equal(renamed.user.login, 'admin');
  });

  test('a provincial admin manages staff of its province only, never a national role', async () => {
    const p = await post(padmin, '/api/v1/admin/staff', { login: 'p.officer', name: 'P Officer', role: 'officer', office: 'C-120109' }, 201);
    assert.equal(p.user.office, 'C-120109');
    const away = await elsewhere();
    const [awayOffice] = await getJson(base, `/api/v1/offices?area=${away.commune}`);
    await postError(padmin, '/api/v1/admin/staff', { login: 'p.away', name: 'x', role: 'officer', office: awayOffice.code }, 403, 'forbidden');
    await postError(padmin, '/api/v1/admin/staff', { login: 'p.national', name: 'x', role: 'national_admin' }, 403, 'forbidden');
    await postError(padmin, '/api/v1/admin/staff', { login: 'p.analyst', name: 'x', role: 'analyst' }, 403, 'forbidden');
    await postError(padmin, '/api/v1/admin/staff/admin', { reset_password: true }, 403, 'forbidden');
    await postError(padmin, '/api/v1/admin/staff/p.officer', { office: awayOffice.code }, 403, 'forbidden');
    await postError(padmin, '/api/v1/admin/staff/p.officer', { role: 'national_admin', office: null }, 403, 'forbidden');
    const moved = await post(padmin, '/api/v1/admin/staff/p.officer', { office: 'C-120101', role: 'head' });
    assert.deepEqual([moved.user.office, moved.user.role], ['C-120101', 'head']);
    await postError(officer, '/api/v1/admin/staff', { login: 'o.o', name: 'x', role: 'officer', office: 'C-120101' }, 403, 'forbidden');
  });
});

describe('the services catalogue', () => {
  const publicService = async (code, area = '') => (await getJson(base, `/api/v1/services${area}`)).find((s) => s.code === code);

  test('a fee edit shows at once in GET /api/v1/services', async () => {
    const before = await publicService(svc.commune, '?area=120101');
    const edited = await post(admin, `/api/v1/admin/services/${svc.commune}`, { fee_khr: 12300, days: 4 });
    assert.equal(edited.fee_khr, 12300);
    assert.equal(edited.days, 4);
    assert.equal(edited.name_en, before.name_en, 'what the body leaves out is kept');
    const after1 = await publicService(svc.commune, '?area=120101');
    assert.deepEqual({ ...after1, fee_khr: before.fee_khr, days: before.days }, before);
    assert.equal(after1.fee_khr, 12300);
    assert.equal(after1.days, 4);
    assert.equal((await publicService(svc.commune)).fee_khr, 12300);
    const cleared = await post(admin, `/api/v1/admin/services/${svc.commune}`, { fee_khr: null });
    assert.equal(cleared.fee_khr, null);
    assert.equal(cleared.days, 4);
    assert.equal((await publicService(svc.commune)).fee_khr, null);
  });

  test('create, deactivate; national admin only', async () => {
    const body = { code: 'test-new', office_kind: 'owso', sector: 'business', name_km: 'សេវាថ្មី', name_en: 'A new service', fee_khr: 5000, days: 10 };
    const s = await post(admin, '/api/v1/admin/services', body, 201);
    assert.deepEqual(s, { ...body, placeholder: false, source: '', active: true });
    const shown = await publicService('test-new', '?area=120101');
    assert.deepEqual(shown, { code: 'test-new', name_km: 'សេវាថ្មី', name_en: 'A new service', office_kind: 'owso', sector: 'business', fee_khr: 5000, days: 10, placeholder: false });
    await postError(admin, '/api/v1/admin/services', body, 409, 'conflict');
    await postError(admin, '/api/v1/admin/services', { ...body, code: 'Bad Code' }, 400, 'invalid_value', 'code');
    await postError(admin, '/api/v1/admin/services', { ...body, code: 'test-2', fee_khr: -1 }, 400, 'out_of_range', 'fee_khr');
    await postError(admin, '/api/v1/admin/services', { ...body, code: 'test-2', office_kind: 'ministry' }, 400, 'not_allowed', 'office_kind');
    await postError(admin, '/api/v1/admin/services', { ...body, code: 'test-2', sector: 'Has Space' }, 400, 'invalid_value', 'sector');
    await postError(admin, '/api/v1/admin/services', { ...body, code: 'test-2', price: 1 }, 400, 'unknown_field', 'price');
    await postError(padmin, '/api/v1/admin/services', { ...body, code: 'test-2' }, 403, 'forbidden');
    await postError(padmin, '/api/v1/admin/services/test-new', { fee_khr: 1 }, 403, 'forbidden');
    await postError(admin, '/api/v1/admin/services/no-such', { fee_khr: 1 }, 404, 'not_found');
    assert.equal((await post(admin, '/api/v1/admin/services/test-new', { active: false })).active, false);
    assert.equal(await publicService('test-new'), undefined, 'an inactive service is not offered');
    const every = await get(admin, '/api/v1/admin/services');
    assert.ok(every.some((x) => x.code === 'test-new' && !x.active), 'the admin list has inactive ones');
    await getError(padmin, '/api/v1/admin/services', 403, 'forbidden');
    const audit = await allAudit('&action=service_updated');
    assert.ok(audit.some((e) => e.detail.startsWith(`code=${svc.commune} `) && / fee_khr=12300 days=4 /.test(e.detail)));
  });
});

describe('deadlines, holidays and routing rules', () => {
  test('deadlines per kind: new cases get the new ones', async () => {
    const list = await get(admin, '/api/v1/admin/deadlines');
    assert.deepEqual(list, [
      { kind: 'complaint', acknowledge_days: 2, answer_days: 15 },
      { kind: 'support', acknowledge_days: 2, answer_days: 5 },
      { kind: 'information', acknowledge_days: 2, answer_days: 5 },
      { kind: 'evaluation', acknowledge_days: 2, answer_days: null },
    ]);
    assert.deepEqual(await post(admin, '/api/v1/admin/deadlines', { kind: 'information', acknowledge_days: 3, answer_days: 7 }),
      { kind: 'information', acknowledge_days: 3, answer_days: 7 });
    const holidays = new Set((await get(admin, '/api/v1/admin/holidays')).map((h) => h.date));
    const at = Date.now();
    const c = await submitFeedback(base, feedback('information'));
    assert.equal(c.due.acknowledge, workingDayDeadline(at, 3, holidays));
    assert.equal(c.due.answer, workingDayDeadline(at, 7, holidays));
    await post(admin, '/api/v1/admin/deadlines', { kind: 'information', acknowledge_days: 2, answer_days: 5 });
    await postError(admin, '/api/v1/admin/deadlines', { kind: 'rumour', acknowledge_days: 1 }, 400, 'not_allowed', 'kind');
    await postError(admin, '/api/v1/admin/deadlines', { kind: 'support', acknowledge_days: -1 }, 400, 'out_of_range', 'acknowledge_days');
    await postError(padmin, '/api/v1/admin/deadlines', { kind: 'support', acknowledge_days: 1 }, 403, 'forbidden');
    await getError(padmin, '/api/v1/admin/deadlines', 403, 'forbidden');
  });

  test('holidays: add, rename, remove', async () => {
    const list = await get(admin, '/api/v1/admin/holidays');
    assert.ok(list.some((h) => h.date === '2026-01-01' && /[\u1780-\u17FF]/.test(h.name_km)));
    const body = { date: '2031-05-02', name_km: 'ថ្ងៃឈប់សម្រាក', name_en: 'Test holiday' };
    assert.deepEqual(await post(admin, '/api/v1/admin/holidays', body, 201), body);
    assert.deepEqual(await post(admin, '/api/v1/admin/holidays', { ...body, name_en: 'Renamed' }, 200), { ...body, name_en: 'Renamed' });
    assert.ok((await get(admin, '/api/v1/admin/holidays')).some((h) => h.date === '2031-05-02' && h.name_en === 'Renamed'));
    await expectError(await admin.request('/api/v1/admin/holidays/2031-05-02', { method: 'DELETE', csrf: false }), 403, 'csrf_failed');
    await expectError(await padmin.request('/api/v1/admin/holidays/2031-05-02', { method: 'DELETE' }), 403, 'forbidden');
    assert.deepEqual(await call(admin, 'DELETE', '/api/v1/admin/holidays/2031-05-02'), { deleted: '2031-05-02' });
    await expectError(await admin.request('/api/v1/admin/holidays/2031-05-02', { method: 'DELETE' }), 404, 'not_found');
    await expectError(await admin.request('/api/v1/admin/holidays/not-a-date', { method: 'DELETE' }), 404, 'not_found');
    await postError(admin, '/api/v1/admin/holidays', { ...body, date: '2031-02-30' }, 400, 'invalid_value', 'date');
    await postError(admin, '/api/v1/admin/holidays', { ...body, date: '02/05/2031' }, 400, 'invalid_value', 'date');
    await postError(padmin, '/api/v1/admin/holidays', body, 403, 'forbidden');
    const audit = (await allAudit('&actor=admin')).filter((e) => e.detail === 'date=2031-05-02').map((e) => e.action);
    assert.deepEqual(audit, ['holiday_removed', 'holiday_changed', 'holiday_added']);
  });

  test('routing rules: upsert, and the next case follows it', async () => {
    const rules = await get(admin, '/api/v1/admin/routing');
    assert.equal(rules.length, 9);
    assert.deepEqual(rules[0], { delivered_by: 'commune', kind: '*', condition: 'default', target_kind: 'commune' });
    const rule = { delivered_by: 'owso', kind: 'information', condition: 'default', target_kind: 'district_ombudsman' };
    assert.deepEqual(await post(admin, '/api/v1/admin/routing', rule), rule);
    assert.equal((await get(admin, '/api/v1/admin/routing')).length, 10);
    const c = await submitFeedback(base, { ...feedback('information'), service: svc.owso });
    assert.equal(c.office.code, 'DO-1201');
    await post(admin, '/api/v1/admin/routing', { ...rule, target_kind: 'owso' });
    const d = await submitFeedback(base, { ...feedback('information'), service: svc.owso });
    assert.equal(d.office.code, 'OWSO-1201');
    await postError(admin, '/api/v1/admin/routing', { delivered_by: 'commune', kind: 'complaint', condition: 'sensitive', target_kind: 'commune' }, 400, 'accused_office', 'target_kind');
    await postError(admin, '/api/v1/admin/routing', { ...rule, condition: 'whenever' }, 400, 'not_allowed', 'condition');
    await postError(padmin, '/api/v1/admin/routing', rule, 403, 'forbidden');
    await getError(head, '/api/v1/admin/routing', 403, 'forbidden');
  });
});

describe('the audit log', () => {
  test('newest first, paged, filtered; the provincial admin sees its province\'s cases only', async () => {
    const page = await get(admin, '/api/v1/admin/audit?limit=3');
    assert.equal(page.entries.length, 3);
    for (const e of page.entries) assert.deepEqual(Object.keys(e).sort(), AUDIT_KEYS);
    assert.ok(page.entries[0].id > page.entries[1].id);
    const next = await get(admin, `/api/v1/admin/audit?limit=3&cursor=${page.next_cursor}`);
    assert.ok(next.entries[0].id < page.entries[2].id);
    await officer.case(known.c1.case); // a read is audited
    const reads = await get(admin, `/api/v1/admin/audit?case=${encodeURIComponent(known.c1.case)}`);
    assert.ok(reads.entries.length >= 2);
    for (const e of reads.entries) assert.equal(e.case, known.c1.case);
    const byAction = await get(admin, '/api/v1/admin/audit?action=office_created&actor=admin');
    assert.ok(byAction.entries.length >= 2);
    for (const e of byAction.entries) assert.deepEqual([e.action, e.actor, e.actor_kind], ['office_created', 'admin', 'staff']);
    assert.deepEqual(await get(admin, '/api/v1/admin/audit?actor=nobody.at.all'), { entries: [], next_cursor: null });
    assert.deepEqual(await get(admin, '/api/v1/admin/audit?case=C-000000-2026-000000'), { entries: [], next_cursor: null });
    const provincial = await get(padmin, '/api/v1/admin/audit?limit=200');
    assert.ok(provincial.entries.length > 5);
    for (const e of provincial.entries) assert.match(e.case ?? '', /^C-12|^OWSO-12|^DO-12|^OWSU-12|^PO-12/, JSON.stringify(e));
    assert.equal((await get(padmin, '/api/v1/admin/audit?action=office_created')).entries.length, 0);
    await getError(officer, '/api/v1/admin/audit', 403, 'forbidden');
    await getError(admin, '/api/v1/admin/audit?limit=0', 400, 'invalid_value', 'limit');
    await getError(admin, '/api/v1/admin/audit?limit=201', 400, 'invalid_value', 'limit');
  });

  test('every change above left its entry', async () => {
    const actions = new Set((await allAudit()).map((e) => e.action));
    for (const a of ['password_changed', 'password_change_failed', 'cases_exported', 'template_created',
      'template_updated', 'office_created', 'office_updated', 'staff_created', 'staff_updated',
      'service_created', 'service_updated', 'deadline_changed', 'holiday_added', 'holiday_changed',
      'holiday_removed', 'routing_rule_changed'])
      assert.ok(actions.has(a), `an audit entry ${a}`);
  });

  test('the chain verifies intact, and a tampered entry is found', async () => {
    const ok = await post(admin, '/api/v1/admin/audit/verify', undefined);
    assert.equal(ok.intact, true);
    assert.equal(ok.first_bad_id, null);
    assert.ok(ok.entries > 50);
    await postError(padmin, '/api/v1/admin/audit/verify', undefined, 403, 'forbidden');
    await postError(officer, '/api/v1/admin/audit/verify', undefined, 403, 'forbidden');
    const victim = (await get(admin, '/api/v1/admin/audit?action=office_created&limit=1')).entries[0];
    const forge = `UPDATE audit_log SET detail = 'code=FORGED' WHERE id = ${victim.id};`;
    await dbQuery(server.db, ENGINE === 'postgres'
      ? `ALTER TABLE audit_log DISABLE TRIGGER audit_no_update; ${forge}`
      : `DROP TRIGGER audit_no_update; ${forge}`);
    const broken = await post(admin, '/api/v1/admin/audit/verify', undefined);
    assert.deepEqual(broken, { entries: broken.entries, intact: false, first_bad_id: victim.id });
  });
});
