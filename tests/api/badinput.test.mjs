// Bad input on every endpoint that takes input: the exact status, error code and field, and nothing stored (cases, timelines and case numbers unchanged).
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';

import {
  PNG_1X1, expectError, postJson, rawRequest, servicesAt, setClock, signIn, startServer,
  submitFeedback, track, trackSession,
} from './harness.mjs';

let server, base, svc, admin, head, accounts;

before(async () => {
  server = await startServer({ env: { OURVOICE_JOBS_INTERVAL: '3600' } });
  base = server.url;
  accounts = server.accounts;
  for (const login of ['admin', 'head.120101', 'officer.120101', 'ombudsman.1201'])
    assert.ok(accounts[login], `the demo printed no account ${login}`);
  assert.ok(accounts.admin.secret, 'the national admin has a TOTP secret');
  svc = await servicesAt(base, '120101');
  admin = await signIn(base, { login: 'admin', ...accounts.admin });
  head = await signIn(base, { login: 'head.120101', password: accounts['head.120101'].password });
});

after(async () => {
  await setClock(base, 0).catch(() => {});
  await server?.stop();
});

/** Every case the national admin sees (which is every case), in a stable order. */
async function allCases() {
  const { cases, next_cursor } = await admin.get('/api/v1/cases?limit=200');
  assert.equal(next_cursor, null, 'this test stays under 200 cases');
  return cases;
}

/** The sequence number of a case number (…-YYYY-NNNNNN). */
const seq = (number) => Number(/-(\d{6})$/.exec(number)[1]);

const complaint = (extra = {}) => ({
  kind: 'complaint', area: '120101', service: svc.commune, text: 'The fee was not the posted one.',
  language: 'en', ...extra,
});

/** POST /api/v1/feedback with a bad body: the error, and no case added or changed. */
async function rejected(body, status, code, field) {
  const before = await allCases();
  const res = await postJson(base, '/api/v1/feedback', body);
  const doc = await expectError(res, status, code, field);
  assert.deepEqual(await allCases(), before, `a case changed after ${code} ${field}`);
  return doc;
}

describe('POST /api/v1/feedback: each bad input names its field and stores nothing', () => {
  let first;

  before(async () => {
    first = await submitFeedback(base, complaint({ text: 'The first, good, complaint.' }));
  });

  test('a missing kind or area is 400 missing_field', async () => {
    const { kind, ...noKind } = complaint();
    const { area, ...noArea } = complaint();
    assert.ok(kind && area);
    await rejected(noKind, 400, 'missing_field', 'kind');
    await rejected(noArea, 400, 'missing_field', 'area');
  });

  test('an unknown field is 400 unknown_field, named with its parent inside contact and demographics', async () => {
    await rejected(complaint({ foo: 1 }), 400, 'unknown_field', 'foo');
    await rejected(complaint({ contact: { phone: '012345678', foo: 'x' } }), 400, 'unknown_field', 'contact.foo');
    await rejected(complaint({ demographics: { sex: 'female', foo: true } }), 400, 'unknown_field', 'demographics.foo');
    await rejected({ kind: 'evaluation', area: '120101', service: svc.commune, scores: { overall: 4, speed: 3 } },
      400, 'unknown_field', 'scores');
  });

  test('a wrong type is 400 wrong_type', async () => {
    await rejected(complaint({ kind: 1 }), 400, 'wrong_type', 'kind');
    await rejected(complaint({ sensitive: 'true' }), 400, 'wrong_type', 'sensitive');
    await rejected(complaint({ contact: { share_identity: 'yes' } }), 400, 'wrong_type', 'contact.share_identity');
    await rejected({ kind: 'evaluation', area: '120101', service: svc.commune, scores: { overall: '5' } },
      400, 'wrong_type', 'scores.overall');
  });

  test('a score of 0 or 6 is 400 out_of_range', async () => {
    for (const overall of [0, 6]) {
      await rejected({ kind: 'evaluation', area: '120101', service: svc.commune, scores: { overall } },
        400, 'out_of_range', 'scores.overall');
    }
    await rejected({ kind: 'evaluation', area: '120101', service: svc.commune, scores: { overall: 3, timeliness: 6 } },
      400, 'out_of_range', 'scores.timeliness');
  });

  test('a text over 20000 bytes is 400 too_long (counted in bytes, not characters)', async () => {
    await rejected(complaint({ text: 'a'.repeat(20001) }), 400, 'too_long', 'text');
    // 6667 Khmer letters are 20001 bytes of UTF-8 but only 6667 characters
    await rejected(complaint({ text: 'ក'.repeat(6667) }), 400, 'too_long', 'text');
  });

  test('an unknown area is 400 unknown_area; a malformed one 400 invalid_value', async () => {
    await rejected(complaint({ area: '129999', service: null }), 400, 'unknown_area', 'area');
    for (const area of ['12x1', '1201010', '1', 'ab', '']) {
      await rejected(complaint({ area, service: null }), 400, 'invalid_value', 'area');
    }
  });

  test('a service not offered at the area is 400 unknown_service', async () => {
    // commune services are offered in a commune, not at the district level
    await rejected(complaint({ area: '1201', service: svc.commune }), 400, 'unknown_service', 'service');
    await rejected(complaint({ service: 'no-such-service' }), 400, 'unknown_service', 'service');
  });

  test('scores on a complaint are 400 invalid_value (field scores)', async () => {
    await rejected(complaint({ scores: { overall: 2 } }), 400, 'invalid_value', 'scores');
  });

  test('an evaluation without scores.overall is 400 missing_field scores.overall', async () => {
    await rejected({ kind: 'evaluation', area: '120101', service: svc.commune, scores: { timeliness: 4 } },
      400, 'missing_field', 'scores.overall');
    await rejected({ kind: 'evaluation', area: '120101', service: svc.commune }, 400, 'missing_field', 'scores.overall');
  });

  test('sensitive on a question is 400 invalid_value', async () => {
    await rejected({ kind: 'information', area: '120101', service: svc.commune, text: 'When?', sensitive: true },
      400, 'invalid_value', 'sensitive');
  });

  test('made_at in the future, 60 days ago or malformed is 400 invalid_value', async () => {
    const iso = (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
    for (const made_at of [iso(Date.now() + 86400e3), iso(Date.now() - 60 * 86400e3), 'yesterday', '2026-02-30T10:00:00Z']) {
      await rejected(complaint({ made_at }), 400, 'invalid_value', 'made_at');
    }
  });

  test('a bad phone number or e-mail address is 400 invalid_value', async () => {
    await rejected(complaint({ contact: { phone: 'call me maybe' } }), 400, 'invalid_value', 'contact.phone');
    await rejected(complaint({ contact: { phone: '12' } }), 400, 'invalid_value', 'contact.phone');
    await rejected(complaint({ contact: { email: 'someone.example.com' } }), 400, 'invalid_value', 'contact.email');
    await rejected(complaint({ contact: { email: 'a b@example.com' } }), 400, 'invalid_value', 'contact.email');
  });

  test('an attachment that is not base64 is 400 invalid_value', async () => {
    await rejected(complaint({ attachments: [{ data: 'this is *not* base64!' }] }), 400, 'invalid_value', 'attachments');
    await rejected(complaint({ attachments: [{ data: '' }] }), 400, 'invalid_value', 'attachments');
  });

  test('an executable or plain text is 400 unsupported_file, even when it claims to be an image', async () => {
    const elf = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]), randomBytes(120)]);
    const pe = Buffer.concat([Buffer.from('MZ\x90\x00\x03\x00\x00\x00', 'latin1'), randomBytes(120)]);
    const script = Buffer.from('#!/bin/sh\necho hello\n');
    const text = Buffer.from('Just a plain text file, not a photo.\n');
    for (const bytes of [elf, pe, script, text]) {
      await rejected(complaint({ attachments: [{ data: bytes.toString('base64') }] }), 400, 'unsupported_file', 'attachments');
    }
    await rejected(complaint({ attachments: [{ type: 'image/png', data: elf.toString('base64') }] }),
      400, 'unsupported_file', 'attachments');
    // one bad file among good ones spoils the whole submission
    await rejected(complaint({ attachments: [{ data: PNG_1X1 }, { data: text.toString('base64') }] }),
      400, 'unsupported_file', 'attachments');
  });

  test('a PNG declared as image/jpeg is 400 file_type_mismatch', async () => {
    await rejected(complaint({ attachments: [{ type: 'image/jpeg', data: PNG_1X1 }] }), 400, 'file_type_mismatch', 'attachments');
  });

  test('more than 4 attachments is 400 too_many', async () => {
    const five = Array.from({ length: 5 }, () => ({ data: PNG_1X1 }));
    await rejected(complaint({ attachments: five }), 400, 'too_many', 'attachments');
  });

  test('bytes that are not UTF-8 in the body are 400 invalid_utf8', async () => {
    const bodies = [
      Buffer.concat([Buffer.from('{"kind":"complaint","area":"120101","text":"bad '), Buffer.from([0xff, 0xfe]), Buffer.from('"}')]),
      // a truncated Khmer letter (E1 9E without its last byte) and an overlong '/'
      Buffer.concat([Buffer.from('{"kind":"complaint","area":"120101","text":"'), Buffer.from([0xe1, 0x9e]), Buffer.from('"}')]),
      Buffer.concat([Buffer.from('{"kind":"complaint","area":"120101","text":"'), Buffer.from([0xc0, 0xaf]), Buffer.from('"}')]),
      // a UTF-16 surrogate encoded in UTF-8 (CESU)
      Buffer.concat([Buffer.from('{"kind":"complaint","area":"120101","text":"'), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from('"}')]),
    ];
    for (const body of bodies) {
      const before = await allCases();
      const head = [
        'POST /api/v1/feedback HTTP/1.1', 'Host: 127.0.0.1', 'Content-Type: application/json',
        `Content-Length: ${body.length}`, 'Connection: close',
      ].join('\r\n');
      const res = await rawRequest(server.port, Buffer.concat([Buffer.from(head + '\r\n\r\n'), body]));
      await expectError(res, 400, 'invalid_utf8');
      assert.deepEqual(await allCases(), before);
    }
  });

  test('after all of that, the next case takes the next number: no number was used up', async () => {
    const next = await submitFeedback(base, complaint({ text: 'The second, good, complaint.' }));
    assert.equal(next.office.code, first.office.code);
    assert.equal(seq(next.case), seq(first.case) + 1, `${first.case} then ${next.case}`);
    const cases = await allCases();
    assert.equal(cases.length, 2);
    assert.deepEqual(cases.map((c) => c.case).sort(), [first.case, next.case].sort());
  });
});

describe('POST /api/v1/feedback: what is accepted is stored as normalised', () => {
  test('a text of exactly 20000 bytes is accepted', async () => {
    const text = 'ក'.repeat(6666) + 'ab'; // 19998 + 2 bytes
    assert.equal(Buffer.byteLength(text), 20000);
    const sub = await submitFeedback(base, complaint({ text }));
    const doc = await (await track(base, await trackSession(base, sub.receipt))).json();
    assert.equal(doc.text, text);
  });

  test('Khmer text with decomposed characters and marks out of canonical order is stored NFC-normalised', async () => {
    // decomposed Latin letters, a singleton (OHM SIGN), and Khmer signs whose canonical
    // combining classes (U+17DD: 230, U+17D2 COENG: 9) are out of order
    const text = 'សេវា ខណ្ឌ Cafe\u0301 A\u030A \u2126 ក\u17DD\u17D2ក ការិយាល័យ';
    const nfc = text.normalize('NFC');
    assert.notEqual(nfc, text, 'the sample must change under NFC');
    const sub = await submitFeedback(base, complaint({ text, contact: { name: 'Cafe\u0301', share_identity: true } }));
    const doc = await (await track(base, await trackSession(base, sub.receipt))).json();
    assert.equal(doc.text, nfc);
    const staffView = await admin.case(sub.case);
    assert.equal(staffView.text, nfc);
  });
});

describe('the citizen track endpoints', () => {
  let sub, token, officer;

  before(async () => {
    sub = await submitFeedback(base, complaint({ text: 'Tracked complaint.' }));
    token = await trackSession(base, sub.receipt);
    officer = await signIn(base, { login: 'officer.120101', password: accounts['officer.120101'].password });
  });

  async function citizenView(t = token) {
    const res = await track(base, t);
    const text = await res.text();
    assert.equal(res.status, 200, text);
    return JSON.parse(text);
  }

  test('POST /api/v1/track/session: a missing receipt is 400 missing_field; 15 or 17 digits or letters are 400 invalid_receipt', async () => {
    await expectError(await postJson(base, '/api/v1/track/session', {}), 400, 'missing_field', 'receipt');
    await expectError(await postJson(base, '/api/v1/track/session', { receipt: 12345678 }), 400, 'wrong_type', 'receipt');
    for (const receipt of ['1234-5678-9012-345', '123456789012345', '1234-5678-9012-34567',
      'abcd-efgh-ijkl-mnop', '1234-5678-9012-345x', sub.receipt.replace(/\d$/, 'O'), '']) {
      await expectError(await postJson(base, '/api/v1/track/session', { receipt }), 400, 'invalid_receipt', 'receipt');
    }
  });

  test('without a token → 401 unauthenticated; a garbage token → 401 unauthenticated; an unknown one → 401 session_expired', async () => {
    const calls = [
      ['GET', '/api/v1/track'],
      ['POST', '/api/v1/track/messages', { text: 'hello' }],
      ['POST', '/api/v1/track/rating', { satisfied: true }],
      ['POST', '/api/v1/track/appeal', {}],
      ['GET', '/api/v1/track/attachments/1'],
    ];
    const unknown = randomBytes(token.length).toString('base64url').slice(0, token.length);
    assert.equal(unknown.length, token.length);
    const before = await citizenView();
    for (const [method, path, body] of calls) {
      const send = (headers) => fetch(base + path, {
        method, headers: { ...(body ? { 'Content-Type': 'application/json' } : {}), ...headers },
        body: body ? JSON.stringify(body) : undefined,
      });
      await expectError(await send({}), 401, 'unauthenticated');
      await expectError(await send({ Authorization: 'Bearer' }), 401, 'unauthenticated');
      await expectError(await send({ Authorization: 'Bearer not a token' }), 401, 'unauthenticated');
      await expectError(await send({ Authorization: `Basic ${token}` }), 401, 'unauthenticated');
      await expectError(await send({ Authorization: `Bearer ${token}x` }), 401, 'unauthenticated');
      await expectError(await send({ Authorization: `Bearer ${unknown}` }), 401, 'session_expired');
    }
    assert.deepEqual(await citizenView(), before);
  });

  test('an expired token (31 minutes later) is 401 session_expired', async () => {
    const t = await trackSession(base, sub.receipt);
    try {
      await setClock(base, 31 * 60);
      await expectError(await track(base, t), 401, 'session_expired');
      await expectError(await track(base, t, '/api/v1/track/messages', { text: 'late' }), 401, 'session_expired');
    } finally {
      await setClock(base, 0);
    }
  });

  test('POST /api/v1/track/rating: score 9 is out_of_range, a missing satisfied is missing_field; nothing stored', async () => {
    await officer.act(sub.case, { action: 'acknowledge' });
    await officer.act(sub.case, { action: 'answer', text: 'We refunded the fee.' });
    const before = await citizenView();
    assert.equal(before.can_rate, true);
    await expectError(await track(base, token, '/api/v1/track/rating', { satisfied: true, score: 9 }), 400, 'out_of_range', 'score');
    await expectError(await track(base, token, '/api/v1/track/rating', { satisfied: false, score: 0 }), 400, 'out_of_range', 'score');
    await expectError(await track(base, token, '/api/v1/track/rating', { score: 4 }), 400, 'missing_field', 'satisfied');
    await expectError(await track(base, token, '/api/v1/track/rating', { satisfied: 'yes' }), 400, 'wrong_type', 'satisfied');
    await expectError(await track(base, token, '/api/v1/track/rating', { satisfied: true, stars: 5 }), 400, 'unknown_field', 'stars');
    assert.deepEqual(await citizenView(), before);
    // the answer can still be rated once
    const rated = await track(base, token, '/api/v1/track/rating', { satisfied: true, score: 5 });
    assert.equal(rated.status, 200, await rated.text());
  });

  test('POST /api/v1/track/messages: unknown field, wrong type, a bad attachment; nothing stored', async () => {
    const before = await citizenView();
    await expectError(await track(base, token, '/api/v1/track/messages', { text: 'x', foo: 1 }), 400, 'unknown_field', 'foo');
    await expectError(await track(base, token, '/api/v1/track/messages', { text: 5 }), 400, 'wrong_type', 'text');
    await expectError(await track(base, token, '/api/v1/track/messages', { text: 'x'.repeat(20001) }), 400, 'too_long', 'text');
    await expectError(await track(base, token, '/api/v1/track/messages',
      { text: 'see file', attachments: [{ data: Buffer.from('plain text').toString('base64') }] }), 400, 'unsupported_file', 'attachments');
    await expectError(await track(base, token, '/api/v1/track/messages', { text: '   ' }), 400, 'missing_field', 'text');
    assert.deepEqual(await citizenView(), before);
  });
});

describe('staff sign-in', () => {
  const login = (body) => postJson(base, '/api/v1/auth/login', body);

  test('a missing password or login is 400 missing_field', async () => {
    await expectError(await login({ login: 'officer.owso.1201' }), 400, 'missing_field', 'password');
    await expectError(await login({ password: 'x' }), 400, 'missing_field', 'login');
    await expectError(await login({ login: 'officer.owso.1201', password: 7 }), 400, 'wrong_type', 'password');
  });

  test('an unknown login and a wrong password get the same 401 invalid_credentials', async () => {
    const unknown = await expectError(await login({ login: 'nobody.here', password: 'whatever password' }), 401, 'invalid_credentials');
    const wrong = await expectError(await login({ login: 'officer.owso.1201', password: 'whatever password' }), 401, 'invalid_credentials');
    assert.deepEqual(unknown, wrong);
  });
});

describe('staff actions and the inbox', () => {
  let sub, staffBefore, listBefore;

  before(async () => {
    sub = await submitFeedback(base, complaint({ text: 'A complaint for the staff actions.' }));
    await head.act(sub.case, { action: 'acknowledge' });
  });

  /** A bad action: the error, and the case (staff view, inbox) unchanged. */
  async function refused(body, status, code, field, who = head, opts = {}) {
    const caseBefore = await who.case(sub.case);
    const before = await allCases();
    await expectError(await who.action(sub.case, body, opts), status, code, field);
    assert.deepEqual(await who.case(sub.case), caseBefore, `the case changed after ${body.action}`);
    assert.deepEqual(await allCases(), before);
  }

  test('an unknown action is 400 not_allowed (field action)', async () => {
    await refused({ action: 'fly' }, 400, 'not_allowed', 'action');
    await refused({ action: 7 }, 400, 'wrong_type', 'action');
    await refused({}, 400, 'missing_field', 'action');
    await refused({ action: 'note', text: 'x', foo: 1 }, 400, 'unknown_field', 'foo');
  });

  test('answer, message or note without text is 400 missing_field text (docs/api.md: they take a text)', async () => {
    await refused({ action: 'answer' }, 400, 'missing_field', 'text');
    await refused({ action: 'answer', text: ' \n\t ' }, 400, 'missing_field', 'text');
    await refused({ action: 'message' }, 400, 'missing_field', 'text');
    await refused({ action: 'note', text: null }, 400, 'missing_field', 'text');
  });

  test('transfer without to or reason is 400 missing_field; to an unknown office 400 unknown_office', async () => {
    await refused({ action: 'transfer', reason: 'Not ours.' }, 400, 'missing_field', 'to');
    await refused({ action: 'transfer', to: 'OWSO-1201' }, 400, 'missing_field', 'reason');
    await refused({ action: 'transfer', to: 'OWSO-1201', reason: '  ' }, 400, 'missing_field', 'reason');
    await refused({ action: 'transfer', to: 'NOPE-9999', reason: 'Not ours.' }, 400, 'unknown_office', 'to');
    await refused({ action: 'transfer', to: 'C-120101', reason: 'To ourselves.' }, 400, 'unknown_office', 'to');
  });

  test('reject without a reason is 400 missing_field reason', async () => {
    await refused({ action: 'reject' }, 400, 'missing_field', 'reason');
    await refused({ action: 'reject', text: 'A text is not a reason.' }, 400, 'missing_field', 'reason');
  });

  test('assign to nobody or to a stranger is 400', async () => {
    await refused({ action: 'assign' }, 400, 'missing_field', 'to');
    await refused({ action: 'assign', to: 'officer.owso.1201' }, 400, 'unknown_staff', 'to');
  });

  test('a forged or missing CSRF token is 403 csrf_failed', async () => {
    const forged = head.csrf.slice(0, -1) + (head.csrf.endsWith('A') ? 'B' : 'A');
    await refused({ action: 'note', text: 'forged' }, 403, 'csrf_failed', null, head, { headers: { 'X-CSRF-Token': forged } });
    await refused({ action: 'note', text: 'none' }, 403, 'csrf_failed', null, head, { csrf: false });
    await refused({ action: 'note', text: 'empty' }, 403, 'csrf_failed', null, head, { headers: { 'X-CSRF-Token': '' } });
  });

  test('GET /api/v1/cases: a bad status is not_allowed, limit 0 or 1000 and a 2-character q are invalid_value', async () => {
    const list = (q) => head.request(`/api/v1/cases?${q}`);
    await expectError(await list('status=bogus'), 400, 'not_allowed', 'status');
    await expectError(await list('kind=rumour'), 400, 'not_allowed', 'kind');
    for (const limit of ['0', '1000', '201', '-1', 'ten', ''])
      await expectError(await list(`limit=${limit}`), 400, 'invalid_value', 'limit');
    await expectError(await list('q=ab'), 400, 'invalid_value', 'q');
    await expectError(await list(`q=${encodeURIComponent('កខ')}`), 400, 'invalid_value', 'q');
    await expectError(await list('cursor=abc'), 400, 'invalid_value', 'cursor');
    for (const name of ['q', 'status', 'limit'])
      await expectError(await list(`${name}=%ff`), 400, 'invalid_utf8', name);
    // the boundaries are accepted
    for (const q of ['limit=1', 'limit=200', 'q=abc', 'status=acknowledged']) {
      const res = await list(q);
      assert.equal(res.status, 200, `${q}: ${await res.text()}`);
    }
    // three Khmer characters (9 bytes) are enough, and find the Khmer case stored above
    const found = await head.get(`/api/v1/cases?q=${encodeURIComponent('ខណ្')}`);
    assert.ok(found.cases.length >= 1, 'the Khmer search found nothing');
    for (const c of found.cases) assert.match(c.excerpt, /ខណ្/);
  });

  test('an expired staff session (2 hours idle) is 401 session_expired', async () => {
    listBefore = await allCases();
    staffBefore = await head.case(sub.case);
    try {
      await setClock(base, 7200);
      await expectError(await head.request('/api/v1/me'), 401, 'session_expired');
      await expectError(await head.request('/api/v1/cases'), 401, 'session_expired');
      await expectError(await head.action(sub.case, { action: 'note', text: 'too late' }), 401, 'session_expired');
    } finally {
      await setClock(base, 0);
    }
    assert.deepEqual(await allCases(), listBefore);
    assert.deepEqual(await admin.case(sub.case).then((c) => c.timeline), staffBefore.timeline);
  });
});
