// The authorization matrix: every staff role × every staff endpoint and action × own, same-district and other-province cases; identities, gender-sensitive cases, CSRF and sessions.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import {
  PNG_1X1, expectError, getJson, resetStaff, servicesAt, setClock, signIn, startServer,
  submitFeedback,
} from './harness.mjs';

const ACTIONS = ['acknowledge', 'assign', 'message', 'note', 'transfer', 'escalate', 'answer',
  'close', 'reject', 'approve_public'];
const ROLES = ['officer', 'head', 'ombudsman', 'ccwc', 'provincial_admin', 'national_admin', 'analyst'];
const LOGIN = {
  officer: 'officer.120101', head: 'head.120101', ombudsman: 'ombudsman.1201', ccwc: 'ccwc.120101',
  provincial_admin: 'padmin.12', national_admin: 'admin', analyst: 'analyst',
};
const TOTP_ROLES = new Set(['ombudsman', 'provincial_admin', 'national_admin']);

// What each role may do to a case it sees (DESIGN §1, docs/api.md "Who may do what").
const MAY = {
  officer: ['acknowledge', 'message', 'note', 'escalate', 'answer'],
  head: ACTIONS,
  ombudsman: ACTIONS,
  ccwc: ['message', 'note'],
  provincial_admin: ['note', 'transfer'],
  national_admin: ['note', 'transfer'],
  analyst: [],
};

/*
 * The case slots. Each has a name the citizen shared and one PNG attachment.
 *   C1  complaint about a commune service of 120101            → C-120101 (officer/head's own)
 *   C2  complaint about a commune service of a sibling sangkat → C-<sibling> (same district)
 *   C3  complaint about a commune service in province 01       → C-<far>
 *   D   complaint with bypass_office about 120101's office     → DO-1201 (the ombudsman's own)
 *   U   support with an OWSU service at 120101                 → OWSU-12 (the provincial admin's own)
 *   M   complaint at 120101 transferred by the national admin  → MOI (the national admin's own)
 *   S   sensitive complaint about 120101's commune office      → DO-1201, accusing C-120101, no CCWC
 *   F   sensitive complaint about an OWSO service at 120101    → DO-1201, CCWC C-120101 (the CCWC's own)
 */
const VISIBLE = {
  officer: ['C1'],
  head: ['C1'],
  ombudsman: ['D', 'S', 'F'],
  ccwc: ['F'],
  provincial_admin: ['C1', 'C2', 'D', 'U', 'M', 'S', 'F'],
  national_admin: ['C1', 'C2', 'C3', 'D', 'U', 'M', 'S', 'F'],
  analyst: [],
};
const IDENTITY = {
  officer: ['C1'], head: ['C1'], ombudsman: ['D', 'S', 'F'], ccwc: ['F'],
  provincial_admin: [], national_admin: [], analyst: [],
};
const OWN = { officer: 'C1', head: 'C1', ombudsman: 'D', ccwc: 'F', provincial_admin: 'U', national_admin: 'M', analyst: 'C1' };
const SLOTS = ['C1', 'C2', 'C3', 'D', 'U', 'M', 'S', 'F'];

let server, base, svc, sibling, far;
const staff = {}; // role → Staff
const shared = {}; // slot → {case, attachment, name}

before(async () => {
  server = await startServer({ env: { OURVOICE_JOBS_INTERVAL: '3600' } });
  base = server.url;
  svc = await servicesAt(base, '120101');
  const communes = await getJson(base, '/api/v1/areas?parent=1201');
  sibling = communes.map((a) => a.code).find((c) => c !== '120101' && c.length === 6);
  assert.ok(sibling, 'a sibling commune of 120101');
  const districts = await getJson(base, '/api/v1/areas?parent=01');
  const farCommunes = await getJson(base, `/api/v1/areas?parent=${districts[0].code}`);
  far = farCommunes[0].code;
  assert.match(far, /^01\d{4}$/);

  for (const role of ROLES) {
    const login = LOGIN[role];
    const account = TOTP_ROLES.has(role)
      ? await resetStaff(server, login, { totp: true })
      : { login, password: server.passwords[login] };
    staff[role] = await signIn(base, account);
    assert.equal(staff[role].user.role, role);
  }
  for (const slot of SLOTS) shared[slot] = await makeCase(slot);
});

after(async () => {
  await server?.stop();
});

/** Submits a fresh case of a slot (and moves it where the slot says). */
async function makeCase(slot, { consent = true } = {}) {
  const name = `Citizen ${slot} ${Math.random().toString(36).slice(2, 8)}`;
  const body = {
    kind: 'complaint', area: '120101', service: svc.commune, language: 'en',
    text: `Case of slot ${slot}.`, public_consent: consent,
    contact: { name, share_identity: true },
    attachments: [{ type: 'image/png', data: PNG_1X1 }],
  };
  if (slot === 'C2') Object.assign(body, { area: sibling, service: (await servicesAt(base, sibling)).commune });
  if (slot === 'C3') Object.assign(body, { area: far, service: (await servicesAt(base, far)).commune });
  if (slot === 'D') body.bypass_office = true;
  if (slot === 'U') Object.assign(body, { kind: 'support', service: svc.owsu });
  if (slot === 'S') body.sensitive = true;
  if (slot === 'F') Object.assign(body, { sensitive: true, service: svc.owso });
  const sub = await submitFeedback(base, body);
  const where = { C1: 'C-120101', C2: `C-${sibling}`, C3: `C-${far}`, D: 'DO-1201', U: 'OWSU-12', M: 'C-120101', S: 'DO-1201', F: 'DO-1201' }[slot];
  assert.equal(sub.office.code, where, `slot ${slot} is routed to ${where}`);
  if (slot === 'M') {
    const moved = await staff.national_admin.act(sub.case, { action: 'transfer', to: 'MOI', reason: 'Taken up by the ministry.' });
    assert.equal(moved.office.code, 'MOI');
  }
  const view = await staff.national_admin.case(sub.case);
  assert.equal(view.attachments.length, 1);
  return { case: sub.case, attachment: view.attachments[0].id, name };
}

/** What the national admin (who sees everything) sees of a case: the state to compare. */
async function state(number) {
  const c = await staff.national_admin.case(number);
  return { status: c.status, office: c.office.code, assigned_to: c.assigned_to, public_approved: c.public_approved,
    events: c.timeline.map((e) => e.type) };
}

/** A valid body of each action for a role on a slot (the target of assign/transfer is allowed). */
function actionBody(action, role, slot) {
  switch (action) {
    case 'assign': return { action, to: role === 'ombudsman' ? 'ombudsman.1201' : 'officer.120101' };
    case 'message': case 'note': case 'answer': return { action, text: `${action} by ${role}` };
    case 'transfer': {
      const to = { head: `C-${sibling}`, ombudsman: 'PO-12', provincial_admin: slot === 'U' ? 'PO-12' : 'C-120101',
        national_admin: slot === 'C3' ? 'PO-01' : 'PO-12' }[role] ?? 'PO-12';
      return { action, to, reason: `transfer by ${role}` };
    }
    case 'escalate': return { action, reason: `escalated by ${role}` };
    case 'reject': return { action, reason: `rejected by ${role}` };
    default: return { action };
  }
}

/** Prepares a fresh case of `slot` in the state where `action` is allowed. */
async function freshFor(action, slot) {
  const c = await makeCase(slot);
  const handler = slot === 'C1' ? staff.officer : staff.ombudsman;
  if (['message', 'answer', 'close'].includes(action)) await handler.act(c.case, { action: 'acknowledge' });
  if (action === 'close') await handler.act(c.case, { action: 'answer', text: 'The answer.' });
  return c;
}

/** The status an allowed action leads to, and where the case then is. */
function effect(action, role, slot, body) {
  const from = { C1: 'C-120101', C2: `C-${sibling}`, C3: `C-${far}`, D: 'DO-1201', U: 'OWSU-12', M: 'MOI', F: 'DO-1201', S: 'DO-1201' }[slot];
  switch (action) {
    case 'acknowledge': return { status: 'acknowledged', office: from };
    case 'assign': return { status: 'submitted', office: from };
    case 'message': return { status: 'in_progress', office: from };
    case 'note': return { office: from };
    case 'transfer': return { status: 'submitted', office: body.to };
    case 'escalate': return { status: 'submitted', office: { 'C-120101': 'DO-1201', 'DO-1201': 'PO-12' }[from] };
    case 'answer': return { status: 'answered', office: from };
    case 'close': return { status: 'closed', office: from };
    case 'reject': return { status: 'rejected', office: from };
    case 'approve_public': return { office: from, public_approved: true };
  }
  throw new Error(action);
}

async function listed(role) {
  const res = await staff[role].request('/api/v1/cases?limit=200');
  if (role === 'analyst') {
    await expectError(res, 403, 'forbidden');
    return null;
  }
  assert.equal(res.status, 200);
  return new Set((await res.json()).cases.map((c) => c.case));
}

describe('the case list', () => {
  for (const role of ROLES) {
    test(`${role}: lists exactly the cases it may see`, async () => {
      const seen = await listed(role);
      if (role === 'analyst') return;
      for (const slot of SLOTS) {
        assert.equal(seen.has(shared[slot].case), VISIBLE[role].includes(slot),
          `${role} lists ${slot} (${shared[slot].case})`);
      }
    });
  }
});

describe('the matrix: role × {own, same district, other province} × endpoint', () => {
  for (const role of ROLES) {
    for (const [where, slotOf] of [['own', () => OWN[role]], ['same district', () => 'C2'], ['other province', () => 'C3']]) {
      test(`${role} × ${where} case`, async () => {
        const slot = slotOf();
        const c = shared[slot];
        const visible = VISIBLE[role].includes(slot);
        const me = staff[role];

        // GET the case
        const res = await me.request(`/api/v1/cases/${c.case}`);
        if (!visible) {
          await expectError(res, 404, 'not_found');
        } else {
          assert.equal(res.status, 200, await res.clone().text());
          const doc = await res.json();
          assert.equal(doc.case, c.case);
          assert.deepEqual(doc.identity, IDENTITY[role].includes(slot) ? { name: c.name } : null,
            `${role} identity on ${slot}`);
        }

        // GET its attachment
        const att = await me.request(`/api/v1/cases/${c.case}/attachments/${c.attachment}`);
        if (!visible) {
          await expectError(att, 404, 'not_found');
        } else {
          assert.equal(att.status, 200);
          assert.equal(att.headers.get('content-type'), 'image/png');
          const bytes = Buffer.from(await att.arrayBuffer());
          assert.deepEqual(bytes.subarray(0, 8), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
          // another case's attachment through this case's path is unknown
          const other = shared[slot === 'C1' ? 'C2' : 'C1'].attachment;
          await expectError(await me.request(`/api/v1/cases/${c.case}/attachments/${other}`), 404, 'not_found');
        }

        // every action
        for (const action of ACTIONS) {
          const body = actionBody(action, role, slot);
          const allowed = visible && MAY[role].includes(action);
          if (!allowed) {
            const before = await state(c.case);
            const r = await me.action(c.case, body);
            if (!visible) await expectError(r, 404, 'not_found');
            else await expectError(r, 403, 'forbidden');
            assert.deepEqual(await state(c.case), before, `${role} ${action} on ${slot} changed nothing`);
            continue;
          }
          // in a state that does not allow it: 409, nothing changes (the shared case is submitted)
          if (['message', 'answer', 'close'].includes(action)) {
            const before = await state(c.case);
            assert.equal(before.status, 'submitted');
            await expectError(await me.action(c.case, body), 409, 'invalid_transition', 'action');
            assert.deepEqual(await state(c.case), before);
          }
          // in a state that allows it: done
          const target = action === 'note' ? c : await freshFor(action, slot);
          const r = await me.action(target.case, body);
          const text = await r.text();
          assert.equal(r.status, 200, `${role} ${action} on ${slot}: ${text}`);
          const answer = JSON.parse(text);
          assert.equal(answer.case, target.case);
          const want = effect(action, role, slot, body);
          const now = await state(target.case);
          if (want.status) assert.equal(now.status, want.status, `${role} ${action} on ${slot}`);
          assert.equal(now.office, want.office, `${role} ${action} on ${slot}: office`);
          if (want.public_approved) assert.equal(now.public_approved, true);
          const typeOf = { acknowledge: 'acknowledged', assign: 'assigned', transfer: 'transferred', escalate: 'escalated',
            answer: 'answered', close: 'closed', reject: 'rejected', approve_public: 'approved_public' };
          assert.equal(now.events.at(-1), typeOf[action] ?? action);
          if (action === 'assign') assert.equal(typeof now.assigned_to, 'number');
        }
      });
    }
  }
});

describe('identities', () => {
  test('an anonymous case (no shared name) has no identity for anyone', async () => {
    const sub = await submitFeedback(base, {
      kind: 'complaint', area: '120101', service: svc.commune, text: 'Anonymous.',
      contact: { name: 'Hidden Name', share_identity: false, phone: '+855 12 000 111' },
    });
    for (const role of ['officer', 'head', 'provincial_admin', 'national_admin']) {
      const c = await staff[role].case(sub.case);
      assert.equal(c.identity, null, role);
      assert.ok(!JSON.stringify(c).includes('Hidden Name'));
      assert.ok(!JSON.stringify(c).includes('000 111'));
    }
  });
});

describe('a gender-sensitive complaint about the commune office', () => {
  test('routed to DO-1201; invisible to the accused office; the CCWC only when its office is set', async () => {
    const s = shared.S;
    const view = await staff.ombudsman.case(s.case);
    assert.equal(view.sensitive, true);
    assert.equal(view.office.code, 'DO-1201');
    assert.equal(view.origin_office.code, 'C-120101');
    // routing.c sets the CCWC office only when the commune office is not the accused one
    assert.equal(view.ccwc_office, null);
    assert.deepEqual(view.identity, { name: s.name });
    for (const role of ['officer', 'head', 'ccwc']) {
      await expectError(await staff[role].request(`/api/v1/cases/${s.case}`), 404, 'not_found');
      assert.equal((await listed(role)).has(s.case), false);
      for (const action of ACTIONS) {
        await expectError(await staff[role].action(s.case, actionBody(action, role, 'S')), 404, 'not_found');
      }
      const search = await staff[role].get(`/api/v1/cases?q=${encodeURIComponent('slot S')}`);
      assert.ok(!search.cases.some((x) => x.case === s.case), `${role} finds S by text`);
    }

    const f = await staff.ombudsman.case(shared.F.case);
    assert.equal(f.ccwc_office.code, 'C-120101');
    assert.equal(f.origin_office.code, 'OWSO-1201');
    const seen = await staff.ccwc.case(shared.F.case);
    assert.deepEqual(seen.identity, { name: shared.F.name });
    // the OWSO that F accuses never sees it
    const owso = await signIn(base, { login: 'officer.owso.1201', password: server.passwords['officer.owso.1201'] });
    await expectError(await owso.request(`/api/v1/cases/${shared.F.case}`), 404, 'not_found');
    assert.ok(!(await owso.get('/api/v1/cases?limit=200')).cases.some((x) => x.case === shared.F.case));
  });

  test('a transfer back to the accused office is refused (400 accused_office)', async () => {
    const s = shared.S;
    for (const role of ['ombudsman', 'national_admin', 'provincial_admin']) {
      const before = await state(s.case);
      await expectError(await staff[role].action(s.case, { action: 'transfer', to: 'C-120101', reason: 'back' }),
        400, 'accused_office', 'to');
      assert.deepEqual(await state(s.case), before);
    }
    // a new sensitive case escalated by the ombudsman still never reaches the accused office
    const fresh = await makeCase('S');
    await staff.ombudsman.act(fresh.case, { action: 'escalate', reason: 'to the capital' });
    assert.equal((await state(fresh.case)).office, 'PO-12');
  });
});

describe('a complaint the citizen asked the commune office not to handle (bypass_office)', () => {
  test('goes to DO-1201, is never shown to that office, and cannot be transferred back to it', async () => {
    const d = await makeCase('D');
    const view = await staff.ombudsman.case(d.case);
    assert.equal(view.origin_office.code, 'C-120101');
    for (const role of ['officer', 'head']) {
      await expectError(await staff[role].request(`/api/v1/cases/${d.case}`), 404, 'not_found');
      assert.equal((await listed(role)).has(d.case), false, `${role} lists the bypass case`);
    }
    const before = await state(d.case);
    await expectError(await staff.ombudsman.action(d.case, { action: 'transfer', to: 'C-120101', reason: 'back' }),
      400, 'accused_office', 'to');
    assert.deepEqual(await state(d.case), before);
  });
});

describe('transfers stay within the rules', () => {
  test('a provincial admin may not transfer out of its province; unknown offices are refused', async () => {
    const c = shared.C2;
    const before = await state(c.case);
    await expectError(await staff.provincial_admin.action(c.case, { action: 'transfer', to: 'PO-01', reason: 'away' }),
      400, 'unknown_office', 'to');
    await expectError(await staff.national_admin.action(c.case, { action: 'transfer', to: 'NOPE-1', reason: 'x' }),
      400, 'unknown_office', 'to');
    await expectError(await staff.national_admin.action(c.case, { action: 'transfer', to: 'PO-12' }),
      400, 'missing_field', 'reason');
    assert.deepEqual(await state(c.case), before);
  });

  test('assign takes a colleague of the same office only', async () => {
    const c = shared.C1;
    const before = await state(c.case);
    await expectError(await staff.head.action(c.case, { action: 'assign', to: 'officer.owso.1201' }), 400, 'unknown_staff', 'to');
    await expectError(await staff.head.action(c.case, { action: 'assign', to: 'nobody.here' }), 400, 'unknown_staff', 'to');
    assert.deepEqual(await state(c.case), before);
  });
});

describe('sessions and CSRF', () => {
  test('a mutating request without or with a forged X-CSRF-Token is 403 csrf_failed and changes nothing', async () => {
    const c = shared.C1;
    const before = await state(c.case);
    const me = staff.officer;
    await expectError(await me.request(`/api/v1/cases/${c.case}/actions`, { method: 'POST', body: { action: 'note', text: 'x' }, csrf: false }),
      403, 'csrf_failed');
    const forged = me.csrf.slice(0, -1) + (me.csrf.endsWith('A') ? 'B' : 'A');
    await expectError(await me.request(`/api/v1/cases/${c.case}/actions`, { method: 'POST', body: { action: 'note', text: 'x' }, headers: { 'X-CSRF-Token': forged } }),
      403, 'csrf_failed');
    await expectError(await me.request(`/api/v1/cases/${c.case}/actions`, { method: 'POST', body: { action: 'note', text: 'x' }, headers: { 'X-CSRF-Token': '' } }),
      403, 'csrf_failed');
    // another account's token does not fit this session
    await expectError(await me.request(`/api/v1/cases/${c.case}/actions`, { method: 'POST', body: { action: 'note', text: 'x' }, headers: { 'X-CSRF-Token': staff.head.csrf } }),
      403, 'csrf_failed');
    await expectError(await me.request('/api/v1/auth/logout', { method: 'POST', body: {}, csrf: false }), 403, 'csrf_failed');
    assert.deepEqual(await state(c.case), before);
    assert.equal((await me.get('/api/v1/me')).user.login, 'officer.120101', 'the session still works');
  });

  test('no cookie → 401 on every staff endpoint', async () => {
    const c = shared.C1;
    await expectError(await fetch(`${base}/api/v1/cases`), 401, 'unauthenticated');
    await expectError(await fetch(`${base}/api/v1/cases/${c.case}`), 401, 'unauthenticated');
    await expectError(await fetch(`${base}/api/v1/cases/${c.case}/attachments/${c.attachment}`), 401, 'unauthenticated');
    await expectError(await fetch(`${base}/api/v1/cases/${c.case}/actions`, {
      method: 'POST', headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': staff.officer.csrf },
      body: JSON.stringify({ action: 'note', text: 'x' }),
    }), 401, 'unauthenticated');
    await expectError(await fetch(`${base}/api/v1/me`), 401, 'unauthenticated');
  });

  test('a session idle for an hour is 401 session_expired', async () => {
    const me = await signIn(base, { login: 'head.120101', password: server.passwords['head.120101'] });
    assert.equal((await me.get('/api/v1/me')).user.login, 'head.120101');
    try {
      await setClock(base, 3600);
      await expectError(await me.request('/api/v1/cases'), 401, 'session_expired');
      await expectError(await me.request(`/api/v1/cases/${shared.C1.case}`), 401, 'session_expired');
      await expectError(await me.action(shared.C1.case, { action: 'note', text: 'late' }), 401, 'session_expired');
    } finally {
      await setClock(base, 0);
    }
  });
});
