// Receipt checks: wrong and unknown receipts look the same, malformed ones are refused, guessing is braked per address, system-wide (with an alarm) and by proof of work; receipts are never logged.
import assert from 'node:assert/strict';
import { createHash, randomInt } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';

import {
  expectError, getJson, httpRequest, postJson, servicesAt, startServer, submitFeedback, track,
} from './harness.mjs';

const KHMER_DIGITS = '០១២៣៤៥៦៧៨៩';

/** POST /api/v1/track/session from a chosen loopback address → {status, headers, body}. */
function sessionFrom(base, localAddress, body) {
  return httpRequest(`${base}/api/v1/track/session`, { method: 'POST', body, localAddress });
}

function randomReceipt() {
  const d = Array.from({ length: 16 }, () => randomInt(10)).join('');
  return d.replace(/(\d{4})(?=\d)/g, '$1-');
}

/** The receipt with its digit at position i (of the 16) changed. */
function changeDigit(receipt, i) {
  const digits = receipt.replace(/-/g, '').split('');
  digits[i] = String((Number(digits[i]) + 1 + randomInt(9)) % 10);
  return digits.join('').replace(/(\d{4})(?=\d)/g, '$1-');
}

const toKhmer = (s) => s.replace(/\d/g, (d) => KHMER_DIGITS[Number(d)]);

/** Leading zero bits of SHA-256(challenge ":" nonce). */
function zeroBits(challenge, nonce) {
  let zero = 0;
  for (const byte of createHash('sha256').update(`${challenge}:${nonce}`).digest()) {
    if (byte !== 0) return zero + Math.clz32(byte) - 24;
    zero += 8;
  }
  return zero;
}

/** A nonce that proves the work asked for. */
function solve(challenge, bits) {
  for (let n = 0; ; n++) if (zeroBits(challenge, String(n)) >= bits) return String(n);
}

async function newCase(base) {
  const svc = await servicesAt(base, '120101');
  return submitFeedback(base, { kind: 'complaint', area: '120101', service: svc.commune, text: 'A receipt test.' });
}

describe('receipts on a server with the default brakes', () => {
  let server, base;
  const receipts = [];
  const tokens = [];

  before(async () => {
    server = await startServer({ env: { OURVOICE_JOBS_INTERVAL: '3600' } });
    base = server.url;
  });

  after(async () => {
    await server?.stop();
  });

  test('a wrong receipt and an unknown one get the same 404, byte for byte', async () => {
    const sub = await newCase(base);
    receipts.push(sub.receipt);
    const wrong = changeDigit(sub.receipt, 7);
    assert.notEqual(wrong, sub.receipt);
    const unknown = randomReceipt();
    const a = await sessionFrom(base, '127.0.0.21', { receipt: wrong });
    const b = await sessionFrom(base, '127.0.0.21', { receipt: unknown });
    assert.equal(a.status, 404);
    assert.equal(b.status, 404);
    assert.deepEqual(a.body, b.body, 'the same bytes');
    assert.equal(a.headers.get('content-type'), b.headers.get('content-type'));
    assert.equal(a.headers.get('content-length'), b.headers.get('content-length'));
    await expectError(a, 404, 'not_found');

    // the real one works, and the token has nothing of the receipt in it
    const ok = await sessionFrom(base, '127.0.0.21', { receipt: sub.receipt });
    assert.equal(ok.status, 200, ok.body.toString());
    const doc = JSON.parse(ok.body);
    assert.deepEqual(Object.keys(doc).sort(), ['expires', 'token']);
    assert.match(doc.token, /^[A-Za-z0-9_-]{43}$/);
    tokens.push(doc.token);
    const digits = sub.receipt.replace(/-/g, '');
    assert.ok(!doc.token.includes(digits) && !doc.token.includes(sub.receipt));
    const minutes = (Date.parse(doc.expires) - Date.now()) / 60e3;
    assert.ok(minutes > 28 && minutes <= 30.1, `expires in ${minutes} min`);
    const view = await track(base, doc.token);
    assert.equal(view.status, 200);
    assert.equal((await view.json()).case, sub.case);
  });

  test('a malformed receipt is 400 invalid_receipt', async () => {
    for (const receipt of ['', '1234', '1234-5678-9012-345', '1234-5678-9012-34567', '1234-5678-9012-345X',
      'abcd-efgh-ijkl-mnop', '1234_5678_9012_3456', '١٢٣٤-٥٦٧٨-٩٠١٢-٣٤٥٦']) {
      await expectError(await sessionFrom(base, '127.0.0.22', { receipt }), 400, 'invalid_receipt', 'receipt');
    }
    await expectError(await sessionFrom(base, '127.0.0.22', { receipt: 1234567890123456 }), 400, 'wrong_type', 'receipt');
    await expectError(await sessionFrom(base, '127.0.0.22', {}), 400, 'missing_field', 'receipt');
  });

  test('Khmer digits, spaces and no dashes are accepted', async () => {
    const sub = await newCase(base);
    receipts.push(sub.receipt);
    for (const form of [toKhmer(sub.receipt), toKhmer(sub.receipt).replace(/-/g, ' '), sub.receipt.replace(/-/g, '')]) {
      const res = await sessionFrom(base, '127.0.0.23', { receipt: form });
      assert.equal(res.status, 200, `${form}: ${res.body}`);
      const { token } = JSON.parse(res.body);
      tokens.push(token);
      assert.equal((await (await track(base, token)).json()).case, sub.case);
    }
  });

  test('after 5 failures from one address the 6th attempt waits (429 with Retry-After); others are not braked', async () => {
    const sub = await newCase(base);
    receipts.push(sub.receipt);
    const addr = '127.0.0.24';
    for (let i = 0; i < 5; i++) {
      await expectError(await sessionFrom(base, addr, { receipt: randomReceipt() }), 404, 'not_found');
    }
    const sixth = await sessionFrom(base, addr, { receipt: sub.receipt }); // even the right one waits
    await expectError(sixth, 429, 'rate_limited');
    const wait = Number(sixth.headers.get('retry-after'));
    assert.ok(Number.isInteger(wait) && wait >= 1 && wait <= 60, `Retry-After: ${sixth.headers.get('retry-after')}`);

    // another address is not braked
    const other = await sessionFrom(base, '127.0.0.25', { receipt: sub.receipt });
    assert.equal(other.status, 200);
    tokens.push(JSON.parse(other.body).token);

    // no lock-out: after the wait the same address gets in with the right receipt
    await sleep(wait * 1000 + 1100);
    const later = await sessionFrom(base, addr, { receipt: sub.receipt });
    assert.equal(later.status, 200, later.body.toString());
    tokens.push(JSON.parse(later.body).token);
  });

  test('the receipts and tokens never appear in the log', async () => {
    await getJson(base, '/healthz'); // the log lines of the requests above are written
    const log = server.stderr();
    assert.match(log, /event=request .*route=\/api\/v1\/track\/session status=404/);
    for (const r of receipts) {
      assert.ok(!log.includes(r), 'a receipt in the log');
      assert.ok(!log.includes(r.replace(/-/g, '')), 'a receipt in the log (digits only)');
      assert.ok(!log.includes(toKhmer(r)), 'a receipt in Khmer digits in the log');
    }
    for (const t of tokens) assert.ok(!log.includes(t), 'a token in the log');
  });
});

describe('proof of work (OURVOICE_TRACK_POW=1)', () => {
  let server, base;
  before(async () => {
    server = await startServer({ env: { OURVOICE_TRACK_POW: '1', OURVOICE_JOBS_INTERVAL: '3600' } });
    base = server.url;
  });
  after(async () => {
    await server?.stop();
  });

  test('without a proof 429 proof_of_work_required; with a computed one the session is granted', async () => {
    const sub = await newCase(base);
    const ch = await getJson(base, '/api/v1/track/challenge');
    assert.deepEqual(Object.keys(ch).sort(), ['algorithm', 'bits', 'challenge', 'required']);
    assert.equal(ch.required, true);
    assert.equal(ch.algorithm, 'sha256');
    assert.ok(Number.isInteger(ch.bits) && ch.bits >= 8 && ch.bits <= 24);

    await expectError(await postJson(base, '/api/v1/track/session', { receipt: sub.receipt }), 429, 'proof_of_work_required', 'pow');

    const nonce = solve(ch.challenge, ch.bits);
    // a nonce that does not solve it, or a forged challenge, is refused
    let bad = 0;
    while (zeroBits(ch.challenge, `x${bad}`) >= ch.bits) bad++;
    await expectError(await postJson(base, '/api/v1/track/session', { receipt: sub.receipt, pow: { challenge: ch.challenge, nonce: `x${bad}` } }),
      400, 'proof_of_work_invalid', 'pow');
    const forged = ch.challenge.slice(0, 10) + (ch.challenge[10] === 'A' ? 'B' : 'A') + ch.challenge.slice(11);
    await expectError(await postJson(base, '/api/v1/track/session', { receipt: sub.receipt, pow: { challenge: forged, nonce } }),
      400, 'proof_of_work_invalid', 'pow');

    const res = await postJson(base, '/api/v1/track/session', { receipt: sub.receipt, pow: { challenge: ch.challenge, nonce } });
    const text = await res.text();
    assert.equal(res.status, 200, text);
    const view = await track(base, JSON.parse(text).token);
    assert.equal((await view.json()).case, sub.case);
  });
});

describe('the system-wide cap on failed checks (OURVOICE_RECEIPT_FAILURE_CAP=3)', () => {
  let server, base;
  before(async () => {
    server = await startServer({ env: { OURVOICE_RECEIPT_FAILURE_CAP: '3', OURVOICE_JOBS_INTERVAL: '3600' } });
    base = server.url;
  });
  after(async () => {
    await server?.stop();
  });

  test('failures from several addresses pass the cap: one alarm in the log and in /metrics, proof of work on', async () => {
    const sub = await newCase(base);
    assert.equal((await getJson(base, '/api/v1/track/challenge')).required, false);
    for (let i = 2; i <= 4; i++) {
      await expectError(await sessionFrom(base, `127.0.0.${i}`, { receipt: randomReceipt() }), 404, 'not_found');
    }
    await getJson(base, '/healthz');
    assert.doesNotMatch(server.stderr(), /receipt_failure_alarm/, 'no alarm at the cap');
    // one more passes the cap: the alarm
    await expectError(await sessionFrom(base, '127.0.0.5', { receipt: randomReceipt() }), 404, 'not_found');
    await getJson(base, '/healthz');
    let alarms = server.stderr().match(/^.*event=receipt_failure_alarm.*$/gm) ?? [];
    assert.equal(alarms.length, 1, alarms.join('\n'));
    assert.match(alarms[0], /level=warn/);
    let metrics = await (await fetch(base + '/metrics')).text();
    assert.match(metrics, /^ourvoice_receipt_failure_alarms_total 1$/m);
    assert.match(metrics, /^ourvoice_receipt_failures_total 4$/m);

    // the alarm turns the proof of work on, for everyone
    const ch = await getJson(base, '/api/v1/track/challenge');
    assert.equal(ch.required, true);
    await expectError(await sessionFrom(base, '127.0.0.6', { receipt: sub.receipt }), 429, 'proof_of_work_required', 'pow');

    // further failures (with a proof) raise no second alarm
    for (let i = 6; i <= 7; i++) {
      const { challenge, bits } = await getJson(base, '/api/v1/track/challenge');
      const pow = { challenge, nonce: solve(challenge, bits) };
      await expectError(await sessionFrom(base, `127.0.0.${i}`, { receipt: randomReceipt(), pow }), 404, 'not_found');
    }
    await getJson(base, '/healthz');
    alarms = server.stderr().match(/^.*event=receipt_failure_alarm.*$/gm) ?? [];
    assert.equal(alarms.length, 1, alarms.join('\n'));
    metrics = await (await fetch(base + '/metrics')).text();
    assert.match(metrics, /^ourvoice_receipt_failure_alarms_total 1$/m);
    assert.match(metrics, /^ourvoice_receipt_failures_total 6$/m);

    // and the honest citizen with a proof still gets in
    const { challenge, bits } = await getJson(base, '/api/v1/track/challenge');
    const ok = await sessionFrom(base, '127.0.0.8', { receipt: sub.receipt, pow: { challenge, nonce: solve(challenge, bits) } });
    assert.equal(ok.status, 200, ok.body.toString());
  });
});
