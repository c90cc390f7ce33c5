// The life of a case of each of the four kinds through the API: submit, route, staff handling, the citizen's follow-up with a receipt, rating, appeal, closing, rejection, and the timeline.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import {
  expectError, getJson, resetStaff, servicesAt, signIn, startServer, submitFeedback, track,
  trackSession,
} from './harness.mjs';

const CASE_KEYS_CITIZEN = ['area', 'attachments', 'can_appeal', 'can_rate', 'case', 'created_at',
  'due', 'kind', 'made_at', 'office', 'rating', 'scores', 'service', 'status', 'text', 'timeline'];
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

let server, base, svc, officer, head, ombudsman;
let yearKh; // the year in Cambodia, part of case numbers

before(async () => {
  server = await startServer({ env: { OURVOICE_JOBS_INTERVAL: '3600' } });
  base = server.url;
  svc = await servicesAt(base, '120101');
  const pw = server.passwords;
  officer = await signIn(base, { login: 'officer.120101', password: pw['officer.120101'] });
  head = await signIn(base, { login: 'head.120101', password: pw['head.120101'] });
  ombudsman = await signIn(base, await resetStaff(server, 'ombudsman.1201', { totp: true }));
  yearKh = new Date(Date.now() + 7 * 3600e3).getUTCFullYear();
});

after(async () => {
  await server?.stop();
});

/** Checks a 201 answer of POST /api/v1/feedback routed to `office`. */
function check201(doc, { office, kind, answer = true }) {
  assert.deepEqual(Object.keys(doc).sort(), ['case', 'due', 'office', 'receipt', 'status']);
  assert.match(doc.case, new RegExp(`^${office}-${yearKh}-\\d{6}$`));
  if (office === 'C-120101') assert.match(doc.case, /^C-120101-\d{4}-\d{6}$/);
  assert.match(doc.receipt, /^\d{4}-\d{4}-\d{4}-\d{4}$/);
  assert.equal(doc.status, 'submitted');
  assert.equal(doc.office.code, office);
  assert.equal(doc.office.kind, kind);
  assert.equal(typeof doc.office.name_en, 'string');
  assert.equal(typeof doc.office.name_km, 'string');
  assert.match(doc.due.acknowledge, RFC3339);
  assert.ok(Date.parse(doc.due.acknowledge) > Date.now(), 'the acknowledge deadline is ahead');
  if (answer) {
    assert.match(doc.due.answer, RFC3339);
    assert.ok(doc.due.answer > doc.due.acknowledge);
  } else {
    assert.equal(doc.due.answer, null);
  }
}

/** The case as the citizen sees it (asserting 200 and the documented keys). */
async function citizenView(token) {
  const res = await track(base, token);
  const text = await res.text();
  assert.equal(res.status, 200, text);
  const doc = JSON.parse(text);
  assert.deepEqual(Object.keys(doc).sort(), CASE_KEYS_CITIZEN);
  for (const e of doc.timeline) {
    assert.ok(['citizen', 'office', 'system'].includes(e.actor), e.actor);
    assert.equal(e.visibility, undefined, 'the citizen view has no visibility');
    assert.equal(e.staff_id, undefined, 'the citizen view names no staff');
    assert.notEqual(e.type, 'note', 'internal notes are not shown to the citizen');
  }
  return doc;
}

/** A citizen action with the token that must succeed → the case. */
async function citizenAct(token, path, body) {
  const res = await track(base, token, path, body);
  const text = await res.text();
  assert.equal(res.status, 200, `${path}: ${text}`);
  return JSON.parse(text);
}

/** The timeline is in order (ids and times increase) and its types are `types`. */
function checkTimeline(timeline, types) {
  assert.deepEqual(timeline.map((e) => e.type), types);
  for (let i = 1; i < timeline.length; i++) {
    assert.ok(timeline[i].id > timeline[i - 1].id, 'ids increase');
    assert.ok(timeline[i].at >= timeline[i - 1].at, 'times do not go back');
  }
  for (const e of timeline) assert.match(e.at, RFC3339);
}

async function inList(staff, number) {
  const { cases } = await staff.get('/api/v1/cases?limit=200');
  return cases.some((c) => c.case === number);
}

describe('routing', () => {
  const cases = [
    ['a commune-service complaint goes to the commune office', { kind: 'complaint', service: 'commune' }, 'C-120101', 'commune'],
    ['a commune-service complaint with bypass_office goes to the District Ombudsman', { kind: 'complaint', service: 'commune', bypass_office: true }, 'DO-1201', 'district_ombudsman'],
    ['a sensitive commune-service complaint goes to the District Ombudsman', { kind: 'complaint', service: 'commune', sensitive: true }, 'DO-1201', 'district_ombudsman'],
    ['a complaint about an OWSO service goes to the District Ombudsman', { kind: 'complaint', service: 'owso' }, 'DO-1201', 'district_ombudsman'],
    ['a complaint about an OWSU service goes to the Capital Ombudsman', { kind: 'complaint', service: 'owsu' }, 'PO-12', 'provincial_ombudsman'],
    ['support with an OWSO service goes to the OWSO', { kind: 'support', service: 'owso' }, 'OWSO-1201', 'owso'],
    ['a question about an OWSU service goes to the OWSU', { kind: 'information', service: 'owsu' }, 'OWSU-12', 'owsu'],
    ['an evaluation of a commune service goes to the commune office', { kind: 'evaluation', service: 'commune', scores: { overall: 3 } }, 'C-120101', 'commune'],
    ['a question with no service goes to the commune office', { kind: 'information', service: null }, 'C-120101', 'commune'],
  ];
  for (const [name, spec, office, officeKind] of cases) {
    test(name, async () => {
      const body = { kind: spec.kind, area: '120101', service: spec.service && svc[spec.service], text: `${name}.`, language: 'en' };
      for (const k of ['bypass_office', 'sensitive', 'scores']) if (spec[k]) body[k] = spec[k];
      const doc = await submitFeedback(base, body);
      check201(doc, { office, kind: officeKind, answer: spec.kind !== 'evaluation' });
    });
  }
});

describe('a complaint: acknowledge, talk, answer, unsatisfied, appeal, the ombudsman closes', () => {
  let sub, token;
  const name = 'Sok Dara';

  test('submit', async () => {
    sub = await submitFeedback(base, {
      kind: 'complaint', area: '120101', service: svc.commune, language: 'en',
      text: 'The clerk asked for an unofficial fee for a birth certificate.',
      contact: { name, share_identity: true },
      demographics: { sex: 'female', age_band: '25_34', disability: false },
    });
    check201(sub, { office: 'C-120101', kind: 'commune' });
  });

  test('the commune office sees it with the shared name; invalid transitions are refused', async () => {
    assert.ok(await inList(officer, sub.case));
    const c = await officer.case(sub.case);
    assert.equal(c.status, 'submitted');
    assert.equal(c.kind, 'complaint');
    assert.equal(c.office.code, 'C-120101');
    assert.deepEqual(c.identity, { name });
    assert.deepEqual(c.demographics, { sex: 'female', age_band: '25_34', disability: false });
    assert.deepEqual(c.due, sub.due);
    checkTimeline(c.timeline, ['submitted']);

    await expectError(await officer.action(sub.case, { action: 'answer', text: 'Too early.' }), 409, 'invalid_transition', 'action');
    await expectError(await officer.action(sub.case, { action: 'message', text: 'Too early.' }), 409, 'invalid_transition', 'action');
    await expectError(await head.action(sub.case, { action: 'close' }), 409, 'invalid_transition', 'action');
    // nothing changed
    const again = await officer.case(sub.case);
    assert.equal(again.status, 'submitted');
    checkTimeline(again.timeline, ['submitted']);
  });

  test('acknowledge, an internal note, a message to the citizen', async () => {
    let c = await officer.act(sub.case, { action: 'acknowledge' });
    assert.equal(c.status, 'acknowledged');
    await expectError(await officer.action(sub.case, { action: 'acknowledge' }), 409, 'invalid_transition', 'action');
    c = await officer.act(sub.case, { action: 'note', text: 'Check the fee register (internal).' });
    assert.equal(c.status, 'acknowledged');
    c = await officer.act(sub.case, { action: 'message', text: 'Which day did you come to the office?' });
    assert.equal(c.status, 'in_progress');
    checkTimeline(c.timeline, ['submitted', 'acknowledged', 'note', 'message']);
    assert.equal(c.timeline[2].visibility, 'internal');
    assert.equal(c.timeline[3].visibility, 'public');
  });

  test('the citizen exchanges the receipt, reads the message, replies; the office sees the reply', async () => {
    token = await trackSession(base, sub.receipt);
    let v = await citizenView(token);
    assert.equal(v.case, sub.case);
    assert.equal(v.status, 'in_progress');
    assert.equal(v.office.code, 'C-120101');
    assert.equal(v.can_rate, false);
    assert.equal(v.can_appeal, false);
    checkTimeline(v.timeline, ['submitted', 'acknowledged', 'message']);
    assert.equal(v.timeline[2].text, 'Which day did you come to the office?');
    assert.equal(v.timeline[2].actor, 'office');
    assert.ok(!JSON.stringify(v).includes('internal'), 'no trace of the internal note');

    // no rating nor appeal before an answer
    await expectError(await track(base, token, '/api/v1/track/rating', { satisfied: true }), 409, 'not_answered');
    await expectError(await track(base, token, '/api/v1/track/appeal', {}), 409, 'appeal_not_allowed');

    v = await citizenAct(token, '/api/v1/track/messages', { text: 'Monday morning, around 9.' });
    checkTimeline(v.timeline, ['submitted', 'acknowledged', 'message', 'reply']);
    assert.equal(v.timeline[3].actor, 'citizen');

    const c = await officer.case(sub.case);
    const reply = c.timeline.at(-1);
    assert.equal(reply.type, 'reply');
    assert.equal(reply.actor, 'citizen');
    assert.equal(reply.text, 'Monday morning, around 9.');
    assert.equal(reply.visibility, 'public');
  });

  test('answer; the citizen rates it unsatisfied (once) and appeals: the case goes to DO-1201', async () => {
    let c = await officer.act(sub.case, { action: 'answer', text: 'The fee was refunded and the clerk warned.' });
    assert.equal(c.status, 'answered');

    let v = await citizenView(token);
    assert.equal(v.status, 'answered');
    assert.equal(v.can_rate, true);
    assert.equal(v.timeline.at(-1).type, 'answered');
    assert.equal(v.timeline.at(-1).text, 'The fee was refunded and the clerk warned.');
    await expectError(await track(base, token, '/api/v1/track/appeal', { reason: 'before rating' }), 409, 'appeal_not_allowed');

    v = await citizenAct(token, '/api/v1/track/rating', { satisfied: false, score: 2, comment: 'Not refunded yet.' });
    assert.deepEqual(v.rating, { satisfied: false, score: 2, comment: 'Not refunded yet.' });
    assert.equal(v.can_rate, false);
    assert.equal(v.can_appeal, true);
    await expectError(await track(base, token, '/api/v1/track/rating', { satisfied: true }), 409, 'already_rated');

    v = await citizenAct(token, '/api/v1/track/appeal', { reason: 'I still have not got my money back.' });
    assert.equal(v.status, 'submitted');
    assert.equal(v.office.code, 'DO-1201');
    const appealed = v.timeline.at(-1);
    assert.equal(appealed.type, 'appealed');
    assert.equal(appealed.actor, 'citizen');
    assert.equal(appealed.reason, 'I still have not got my money back.');
    assert.equal(appealed.to_office.code, 'DO-1201');
    assert.equal(v.can_appeal, false);
    assert.match(v.due.acknowledge, RFC3339);
  });

  test('the commune office no longer sees it; the District Ombudsman does and closes it', async () => {
    assert.equal(await inList(officer, sub.case), false);
    await expectError(await officer.request(`/api/v1/cases/${sub.case}`), 404, 'not_found');
    await expectError(await officer.action(sub.case, { action: 'note', text: 'x' }), 404, 'not_found');

    assert.ok(await inList(ombudsman, sub.case));
    let c = await ombudsman.case(sub.case);
    assert.equal(c.office.code, 'DO-1201');
    assert.equal(c.escalation_level, 1);
    assert.deepEqual(c.identity, { name }, 'the handling ombudsman sees the shared name');
    await expectError(await ombudsman.action(sub.case, { action: 'close' }), 409, 'invalid_transition', 'action');
    c = await ombudsman.act(sub.case, { action: 'acknowledge' });
    assert.equal(c.status, 'acknowledged');
    c = await ombudsman.act(sub.case, { action: 'answer', text: 'The commune refunded 20,000 riel on Friday.' });
    assert.equal(c.status, 'answered');
    c = await ombudsman.act(sub.case, { action: 'close' });
    assert.equal(c.status, 'closed');
    await expectError(await ombudsman.action(sub.case, { action: 'answer', text: 'again' }), 409, 'invalid_transition', 'action');

    checkTimeline(c.timeline, ['submitted', 'acknowledged', 'note', 'message', 'reply', 'answered',
      'rated', 'appealed', 'acknowledged', 'answered', 'closed']);
    const appealed = c.timeline[7];
    assert.equal(appealed.to_office.code, 'DO-1201');
  });

  test('the citizen sees the closed case, rates the new answer satisfied; no appeal then', async () => {
    let v = await citizenView(token);
    assert.equal(v.status, 'closed');
    assert.equal(v.can_rate, true, 'the answer after an appeal can be rated');
    checkTimeline(v.timeline, ['submitted', 'acknowledged', 'message', 'reply', 'answered', 'rated',
      'appealed', 'acknowledged', 'answered', 'closed']);
    v = await citizenAct(token, '/api/v1/track/rating', { satisfied: true, score: 5 });
    assert.equal(v.rating.satisfied, true);
    assert.equal(v.can_appeal, false);
    await expectError(await track(base, token, '/api/v1/track/appeal', { reason: 'no' }), 409, 'appeal_not_allowed');
    await expectError(await track(base, token, '/api/v1/track/messages', { text: 'after closing' }), 409, 'invalid_transition');
    const c = await ombudsman.case(sub.case);
    assert.equal(c.timeline.at(-1).type, 'rated');
    assert.equal(c.status, 'closed');
  });
});

describe('support: acknowledge, answer, satisfied, the head closes', () => {
  test('the whole life', async () => {
    const sub = await submitFeedback(base, {
      kind: 'support', area: '120101', service: svc.commune, language: 'km',
      text: 'សូមជួយខ្ញុំស្នើសុំសំបុត្រកំណើត។',
    });
    check201(sub, { office: 'C-120101', kind: 'commune' });
    await expectError(await head.action(sub.case, { action: 'close' }), 409, 'invalid_transition', 'action');
    await officer.act(sub.case, { action: 'acknowledge' });
    await expectError(await head.action(sub.case, { action: 'close' }), 409, 'invalid_transition', 'action');
    const token = await trackSession(base, sub.receipt);
    let v = await citizenView(token);
    assert.equal(v.status, 'acknowledged');
    assert.equal(v.text, 'សូមជួយខ្ញុំស្នើសុំសំបុត្រកំណើត។');
    await officer.act(sub.case, { action: 'answer', text: 'Bring the hospital letter on Monday.' });
    v = await citizenAct(token, '/api/v1/track/rating', { satisfied: true, score: 4 });
    assert.equal(v.can_appeal, false);
    await expectError(await track(base, token, '/api/v1/track/appeal', {}), 409, 'appeal_not_allowed');
    const c = await head.act(sub.case, { action: 'close' });
    assert.equal(c.status, 'closed');
    checkTimeline(c.timeline, ['submitted', 'acknowledged', 'answered', 'rated', 'closed']);
    v = await citizenView(token);
    assert.equal(v.status, 'closed');
    checkTimeline(v.timeline, ['submitted', 'acknowledged', 'answered', 'rated', 'closed']);
  });
});

describe('information: rejected with a reason the citizen sees', () => {
  test('the whole life', async () => {
    const sub = await submitFeedback(base, {
      kind: 'information', area: '120101', service: null, language: 'en',
      text: 'What are the opening hours?',
    });
    check201(sub, { office: 'C-120101', kind: 'commune' });
    await officer.act(sub.case, { action: 'acknowledge' });
    await expectError(await officer.action(sub.case, { action: 'reject', reason: 'officers may not' }), 403, 'forbidden');
    await expectError(await head.action(sub.case, { action: 'reject' }), 400, 'missing_field', 'reason');
    const c = await head.act(sub.case, { action: 'reject', reason: 'Duplicate of an earlier question.' });
    assert.equal(c.status, 'rejected');
    checkTimeline(c.timeline, ['submitted', 'acknowledged', 'rejected']);
    assert.equal(c.timeline[2].reason, 'Duplicate of an earlier question.');
    for (const action of ['acknowledge', 'close']) {
      await expectError(await head.action(sub.case, { action }), 409, 'invalid_transition', 'action');
    }
    await expectError(await head.action(sub.case, { action: 'answer', text: 'late' }), 409, 'invalid_transition', 'action');
    await expectError(await head.action(sub.case, { action: 'reject', reason: 'twice' }), 409, 'invalid_transition', 'action');

    const token = await trackSession(base, sub.receipt);
    const v = await citizenView(token);
    assert.equal(v.status, 'rejected');
    checkTimeline(v.timeline, ['submitted', 'acknowledged', 'rejected']);
    assert.equal(v.timeline[2].reason, 'Duplicate of an earlier question.');
    assert.equal(v.can_rate, false);
    await expectError(await track(base, token, '/api/v1/track/rating', { satisfied: false }), 409, 'not_answered');
    await expectError(await track(base, token, '/api/v1/track/appeal', {}), 409, 'appeal_not_allowed');
    await expectError(await track(base, token, '/api/v1/track/messages', { text: 'why?' }), 409, 'invalid_transition');
  });
});

describe('evaluation: scores, no answer deadline, closed after acknowledging', () => {
  test('the whole life', async () => {
    const scores = { overall: 4, courtesy: 5, timeliness: 3, official_fee: 5, clear_information: 4, women_safety: 5 };
    const sub = await submitFeedback(base, {
      kind: 'evaluation', area: '120101', service: svc.commune, scores, text: 'Quick and polite.',
    });
    check201(sub, { office: 'C-120101', kind: 'commune', answer: false });
    await expectError(await head.action(sub.case, { action: 'close' }), 409, 'invalid_transition', 'action');
    await officer.act(sub.case, { action: 'acknowledge' });
    const c = await head.act(sub.case, { action: 'close' });
    assert.equal(c.status, 'closed');
    assert.deepEqual(c.scores, scores);
    assert.equal(c.due.answer, null);
    checkTimeline(c.timeline, ['submitted', 'acknowledged', 'closed']);
    const token = await trackSession(base, sub.receipt);
    const v = await citizenView(token);
    assert.equal(v.status, 'closed');
    assert.deepEqual(v.scores, scores);
    assert.equal(v.can_rate, false, 'an evaluation has no answer to rate');
    await expectError(await track(base, token, '/api/v1/track/rating', { satisfied: false }), 409, 'not_answered');
    await expectError(await track(base, token, '/api/v1/track/appeal', {}), 409, 'appeal_not_allowed');
    checkTimeline(v.timeline, ['submitted', 'acknowledged', 'closed']);
  });
});

describe('the citizen side needs a valid token', () => {
  test('no token → 401; a well-formed unknown token → 401 session_expired', async () => {
    await expectError(await fetch(base + '/api/v1/track'), 401, 'unauthenticated');
    await expectError(await fetch(base + '/api/v1/track', { headers: { Authorization: 'Bearer ' + 'A'.repeat(43) } }),
      401, 'session_expired');
    await expectError(await fetch(base + '/api/v1/track', { headers: { Authorization: 'Bearer short' } }),
      401, 'unauthenticated');
  });

  test('the public catalogue answers for area 120101', async () => {
    const offices = await getJson(base, '/api/v1/offices?area=120101');
    assert.ok(offices.some((o) => o.code === 'C-120101'));
    assert.ok(offices.some((o) => o.code === 'DO-1201'));
  });
});
