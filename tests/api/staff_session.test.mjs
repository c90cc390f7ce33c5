// Staff sessions: the cookie's attributes (Secure only behind HTTPS), /me and its CSRF token, logout ending the session, the second factor of an ombudsman, and the brake after repeated wrong passwords.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';

import { expectError, getJson, postJson, startServer, totpCode } from './harness.mjs';

let server, base, accounts;

before(async () => {
  server = await startServer();
  base = server.url;
  accounts = server.accounts;
  for (const login of ['officer.120101', 'head.120101', 'officer.owso.1201', 'ccwc.120101', 'ombudsman.1201'])
    assert.ok(accounts[login]?.password, `the demo printed no password for ${login}`);
  assert.ok(accounts['ombudsman.1201'].secret, 'the demo ombudsman has a TOTP secret');
});

after(async () => {
  await server?.stop();
});

const login = (body, headers = {}) => postJson(base, '/api/v1/auth/login', body, headers);

/** The ov_session cookie of a response: {value, attrs: Map(lower-case name → value|true)}. */
function sessionCookie(res) {
  const all = res.headers.getSetCookie ? res.headers.getSetCookie() : [res.headers.get('set-cookie')];
  const mine = all.filter((c) => c && /^\s*ov_session=/.test(c));
  assert.equal(mine.length, 1, `one ov_session cookie: ${JSON.stringify(all)}`);
  const [pair, ...attrs] = mine[0].split(';').map((s) => s.trim());
  const value = pair.slice('ov_session='.length);
  const map = new Map();
  for (const a of attrs.filter(Boolean)) {
    const i = a.indexOf('=');
    const name = (i < 0 ? a : a.slice(0, i)).trim().toLowerCase();
    assert.ok(!map.has(name), `attribute ${name} twice in ${mine[0]}`);
    map.set(name, i < 0 ? true : a.slice(i + 1).trim());
  }
  return { value, attrs: map, raw: mine[0] };
}

/** Signs in an account without a second factor → {res, doc, cookie}. */
async function signInOk(name, headers = {}) {
  const res = await login({ login: name, password: accounts[name].password }, headers);
  const text = await res.text();
  assert.equal(res.status, 200, `sign-in of ${name}: ${text}`);
  return { res, doc: JSON.parse(text), cookie: sessionCookie(res) };
}

const withCookie = (value, headers = {}) => ({ Cookie: `ov_session=${value}`, ...headers });

describe('the session cookie', () => {
  test('on plain HTTP: HttpOnly, SameSite=Strict, Path=/ and not Secure', async () => {
    const { cookie, doc } = await signInOk('officer.120101');
    assert.match(cookie.value, /^[A-Za-z0-9_-]{43}$/, 'a 256-bit random token, base64url');
    assert.equal(cookie.attrs.get('httponly'), true, cookie.raw);
    assert.equal(String(cookie.attrs.get('samesite')).toLowerCase(), 'strict', cookie.raw);
    assert.equal(cookie.attrs.get('path'), '/', cookie.raw);
    assert.equal(cookie.attrs.has('secure'), false, cookie.raw);
    assert.equal(cookie.attrs.has('domain'), false, `a host-only cookie: ${cookie.raw}`);
    assert.notEqual(cookie.value, doc.csrf, 'the CSRF token is not the session token');
    assert.match(doc.csrf, /^[A-Za-z0-9_-]{43}$/);
    assert.equal(doc.user.login, 'officer.120101');
    assert.equal(doc.user.role, 'officer');
  });

  test('behind HTTPS (X-Forwarded-Proto: https): also Secure', async () => {
    const { cookie } = await signInOk('officer.120101', { 'X-Forwarded-Proto': 'https' });
    assert.equal(cookie.attrs.get('secure'), true, cookie.raw);
    assert.equal(cookie.attrs.get('httponly'), true, cookie.raw);
    assert.equal(String(cookie.attrs.get('samesite')).toLowerCase(), 'strict', cookie.raw);
    assert.equal(cookie.attrs.get('path'), '/', cookie.raw);
    const plain = await signInOk('officer.120101', { 'X-Forwarded-Proto': 'http' });
    assert.equal(plain.cookie.attrs.has('secure'), false, plain.cookie.raw);
  });

  test('each sign-in gets its own session and CSRF token', async () => {
    const a = await signInOk('head.120101');
    const b = await signInOk('head.120101');
    assert.notEqual(a.cookie.value, b.cookie.value);
    assert.notEqual(a.doc.csrf, b.doc.csrf);
  });
});

describe('/api/v1/me and logout', () => {
  test('/me works with the cookie and answers as the login did, CSRF token included', async () => {
    const { cookie, doc } = await signInOk('head.120101');
    const me = await getJson(base, '/api/v1/me', { headers: withCookie(cookie.value) });
    assert.deepEqual(me, doc);
    assert.deepEqual(Object.keys(me).sort(), ['csrf', 'user']);
    assert.deepEqual(Object.keys(me.user).sort(), ['login', 'name', 'office', 'role', 'totp']);
    assert.equal(me.user.office.code, 'C-120101');
    // without the cookie, or with someone else's made-up one
    await expectError(await fetch(base + '/api/v1/me'), 401, 'unauthenticated');
    await expectError(await fetch(base + '/api/v1/me', { headers: withCookie('x') }), 401, 'unauthenticated');
  });

  test('logout ends the session: the same cookie then gets 401', async () => {
    const { cookie, doc } = await signInOk('ccwc.120101');
    const other = await signInOk('ccwc.120101'); // another session of the same person
    const res = await fetch(base + '/api/v1/auth/logout', {
      method: 'POST',
      headers: withCookie(cookie.value, { 'Content-Type': 'application/json', 'X-CSRF-Token': doc.csrf }),
      body: '{}',
    });
    const text = await res.text();
    assert.equal(res.status, 200, text);
    const cleared = sessionCookie(res);
    assert.equal(cleared.value, '');
    assert.equal(cleared.attrs.get('max-age'), '0', cleared.raw);
    assert.equal(cleared.attrs.get('path'), '/', cleared.raw);

    await expectError(await fetch(base + '/api/v1/me', { headers: withCookie(cookie.value) }), 401, 'session_expired');
    await expectError(await fetch(base + '/api/v1/cases', { headers: withCookie(cookie.value) }), 401, 'session_expired');
    await expectError(await fetch(base + '/api/v1/auth/logout', {
      method: 'POST',
      headers: withCookie(cookie.value, { 'Content-Type': 'application/json', 'X-CSRF-Token': doc.csrf }),
      body: '{}',
    }), 401, 'session_expired');
    // only that session ended
    const me = await getJson(base, '/api/v1/me', { headers: withCookie(other.cookie.value) });
    assert.equal(me.user.login, 'ccwc.120101');
  });
});

describe('the second factor', () => {
  const name = 'ombudsman.1201';

  test('the demo ombudsman: no code → 401 totp_required (field totp); a wrong code → 401 invalid_credentials; the right code → 200', async () => {
    const { password, secret } = accounts[name];
    await expectError(await login({ login: name, password }), 401, 'totp_required', 'totp');
    await expectError(await login({ login: name, password, totp: null }), 401, 'totp_required', 'totp');

    // a code that no step of the accepted window (±1 step, and a margin) gives
    const near = new Set([-3, -2, -1, 0, 1, 2, 3].map((k) => totpCode(secret, Date.now() + k * 30000)));
    let wrong = Number(totpCode(secret));
    do wrong = (wrong + 1) % 1_000_000; while (near.has(String(wrong).padStart(6, '0')));
    await expectError(await login({ login: name, password, totp: String(wrong).padStart(6, '0') }), 401, 'invalid_credentials');
    await expectError(await login({ login: name, password, totp: 'abcdef' }), 401, 'invalid_credentials');
    // a right code with a wrong password says nothing about the code
    await expectError(await login({ login: name, password: password + 'x', totp: totpCode(secret) }), 401, 'invalid_credentials');

    const res = await login({ login: name, password, totp: totpCode(secret) });
    const text = await res.text();
    assert.equal(res.status, 200, text);
    const doc = JSON.parse(text);
    assert.equal(doc.user.login, name);
    assert.equal(doc.user.role, 'ombudsman');
    assert.equal(doc.user.totp, true);
    const cookie = sessionCookie(res);
    const me = await getJson(base, '/api/v1/me', { headers: withCookie(cookie.value) });
    assert.deepEqual(me, doc);
  });

  test('a TOTP code is good once: the same code again is 401 invalid_credentials', async () => {
    const name = 'ombudsman.12';
    const { password, secret } = accounts[name];
    const code = totpCode(secret);
    const first = await login({ login: name, password, totp: code });
    assert.equal(first.status, 200, await first.text());
    await expectError(await login({ login: name, password, totp: code }), 401, 'invalid_credentials');
  });
});

describe('the sign-in brake', () => {
  test('after 6 wrong passwords for one account the next attempt is 429 with Retry-After, even with the right password', async () => {
    const name = 'officer.owso.1201';
    const { password } = accounts[name];
    // the first five are free failures; the sixth may already be braked (throttle.h: after
    // the free failures each further attempt waits)
    for (let i = 1; i <= 6; i++) {
      const res = await login({ login: name, password: `wrong password ${i}` });
      if (i === 6 && res.status === 429) await expectError(res, 429, 'rate_limited');
      else await expectError(res, 401, 'invalid_credentials');
    }
    const braked = await login({ login: name, password });
    await expectError(braked, 429, 'rate_limited');
    const wait = braked.headers.get('retry-after');
    assert.match(wait ?? '', /^[1-9]\d*$/, `Retry-After: ${wait}`);
    assert.ok(Number(wait) <= 900, `Retry-After: ${wait}`);
    assert.equal(braked.headers.has('set-cookie'), false, 'no session while braked');

    // the brake is per account: a colleague from the same address signs in
    await signInOk('officer.120101');

    // and it is a delay, not a lock-out: after Retry-After the right password works
    await sleep(Number(wait) * 1000 + 200);
    const later = await signInOk(name);
    assert.equal(later.doc.user.login, name);
  });
});

describe('colleagues for assigning', () => {
  test('GET /api/v1/office/staff lists the active staff of the caller\'s own office only, without secrets', async () => {
    const { cookie } = await signInOk('officer.120101');
    const list = await getJson(base, '/api/v1/office/staff', { headers: withCookie(cookie.value) });
    const logins = list.map((u) => u.login).sort();
    assert.deepEqual(logins, ['ccwc.120101', 'head.120101', 'officer.120101']);
    for (const u of list) assert.deepEqual(Object.keys(u).sort(), ['login', 'name', 'role']);
    const res = await fetch(`${base}/api/v1/office/staff`);
    await expectError(res, 401, 'unauthenticated');
  });
});
