// Notifications through the outbox: a local HTTP receiver stands in for the SMS gateway /
// staff-alert webhook (OURVOICE_NOTIFY_WEBHOOK). The receiver answers the first SMS with 500
// and everything else with 200; the citizen's message must be retried after its backoff and
// delivered exactly once, carrying only the fixed bilingual text and the phone number, and
// the server's log must never hold the phone number. Staff alerts carry the office code and
// the case number, never the case text.
//
// The staff sign-in needs a demo password, which `ourvoice init --demo` prints only once, so
// this file starts its server with a small local starter that keeps init's output (the
// shared harness drops it).
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';

import { BIN, REPO } from './harness.mjs';

const run = promisify(execFile);
const SANITIZER_REPORT = /AddressSanitizer|LeakSanitizer|runtime error:/;

const PHONE = '+855 12 345 678';
const PHONE_DIGITS = /\+?855[\s-]?12[\s-]?345[\s-]?678|12345678|345 678/;
const TEXT =
  'សំឡេងយើង៖ មានព័ត៌មានថ្មីអំពីរបាយការណ៍របស់អ្នក។ Our Voice: there is news about your report.';
const CASE_TEXT = 'The road repair money in our village went missing (notify test)';
const AREA = '120101';
const OFFICER = 'officer.120101';

/** The webhook: records every request; the first SMS gets 500, all else 200. */
async function startReceiver() {
  const received = [];
  let smsSeen = 0;
  const server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      let doc = null;
      try {
        doc = JSON.parse(body);
      } catch {
        /* kept as null: the test fails on it below */
      }
      let status = 200;
      if (doc?.channel === 'sms' && smsSeen++ === 0) status = 500;
      received.push({ method: req.method, path: req.url, type: req.headers['content-type'], body, doc, status });
      res.writeHead(status, { 'Content-Type': 'text/plain' });
      res.end(status === 200 ? 'ok' : 'try later');
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}/notify`,
    received,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

/** `ourvoice init --demo` + `ourvoice serve` on a free port, keeping the demo passwords. */
async function startServerWithPasswords(extraEnv) {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'ourvoice-notify-'));
  const db = path.join(dir, 't.db');
  const env = { ...process.env, ...extraEnv };
  env.ASAN_OPTIONS ??= 'detect_leaks=1:abort_on_error=0:halt_on_error=1';
  env.UBSAN_OPTIONS ??= 'print_stacktrace=1:halt_on_error=1';
  env.LSAN_OPTIONS ??= `suppressions=${path.join(REPO, 'tests', 'lsan.supp')}:print_suppressions=0`;
  const init = await run(BIN, ['init', '--db', db, '--demo'], { env, maxBuffer: 16 << 20 }).catch(async (e) => {
    await rm(dir, { recursive: true, force: true });
    throw new Error(`ourvoice init failed: ${e.message}\n${e.stderr ?? ''}`);
  });
  assert.doesNotMatch(init.stderr, SANITIZER_REPORT, init.stderr);
  const passwords = new Map();
  for (const m of init.stdout.matchAll(/^\s+(\S+)\s+\S+\s+\S+\s+(\S{12,})\s*$/gm)) passwords.set(m[1], m[2]);
  assert.ok(passwords.has(OFFICER), `no password for ${OFFICER} in:\n${init.stdout}`);

  const proc = spawn(BIN, ['serve', '--db', db, '--port', '0', '--loops', '2', '--test-hooks'], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  let stdout = '';
  proc.stderr.setEncoding('utf8');
  proc.stderr.on('data', (d) => (stderr += d));
  proc.stdout.setEncoding('utf8');
  const exited = new Promise((resolve) => proc.on('exit', (code, signal) => resolve({ code, signal })));
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`not listening after 15 s:\n${stderr}`)), 15000);
    proc.stdout.on('data', (d) => {
      stdout += d;
      const m = /listening on (http:\/\/\S+)\n/.exec(stdout);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`the server exited (${code}, ${signal}) before listening:\n${stderr}`));
    });
  }).catch(async (e) => {
    proc.kill('SIGKILL');
    await rm(dir, { recursive: true, force: true });
    throw e;
  });

  async function stop() {
    if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM');
    const timer = setTimeout(() => proc.kill('SIGKILL'), 40000);
    const result = await exited;
    clearTimeout(timer);
    return { ...result, stderr };
  }
  return { url, db, dir, env, passwords, stop, stderr: () => stderr };
}

async function postJson(url, body, headers = {}) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, json: text ? JSON.parse(text) : null };
}

let receiver;
let server;
let caseNumber;
let officeCode;
let staffHeaders;

async function drainOutbox() {
  const res = await postJson(server.url + '/api/v1/_test/outbox', {});
  assert.equal(res.status, 200, res.text);
  return res.json.sent;
}

async function setClock(offsetSeconds) {
  const res = await postJson(server.url + '/api/v1/_test/clock', { offset_seconds: offsetSeconds });
  assert.equal(res.status, 200, res.text);
}

const sms = () => receiver.received.filter((r) => r.doc?.channel === 'sms');
const staffAlerts = () => receiver.received.filter((r) => r.doc?.channel === 'staff');

before(async () => {
  receiver = await startReceiver();
  // the background drainer is kept out of the way (hourly): the test drains through the hook
  server = await startServerWithPasswords({
    OURVOICE_NOTIFY_WEBHOOK: receiver.url,
    OURVOICE_SMTP_URL: '',
    OURVOICE_JOBS_INTERVAL: '3600',
  });
});

after(async () => {
  if (server) {
    const { code, signal, stderr } = await server.stop();
    // every opening of the contact was audited, and the chain still holds
    const audit = await run(BIN, ['audit', 'verify', '--db', server.db], { env: server.env }).catch((e) => e);
    await rm(server.dir, { recursive: true, force: true });
    assert.equal(audit.code ?? 0, 0, `audit verify: ${audit.stdout}${audit.stderr}`);
    assert.equal(signal, null, stderr);
    assert.equal(code, 0, stderr);
    assert.doesNotMatch(stderr, SANITIZER_REPORT, stderr);
  }
  await receiver?.close();
});

describe('outbox notifications over the webhook', { concurrency: false }, () => {
  test('a submission with a phone number queues a staff alert', async () => {
    const res = await postJson(server.url + '/api/v1/feedback', {
      kind: 'complaint',
      area: AREA,
      text: CASE_TEXT,
      language: 'en',
      contact: { phone: PHONE },
    });
    assert.equal(res.status, 201, res.text);
    caseNumber = res.json.case;
    officeCode = res.json.office?.code;
    assert.ok(caseNumber, res.text);
    assert.ok(officeCode, res.text);
    assert.doesNotMatch(server.stderr(), PHONE_DIGITS);
  });

  test('acknowledging the case queues news for the citizen', async () => {
    const login = await postJson(server.url + '/api/v1/auth/login', {
      login: OFFICER,
      password: server.passwords.get(OFFICER),
    });
    assert.equal(login.status, 200, login.text);
    const cookie = login.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
    staffHeaders = { Cookie: cookie, 'X-CSRF-Token': login.json.csrf };
    const act = await postJson(
      `${server.url}/api/v1/cases/${encodeURIComponent(caseNumber)}/actions`,
      { action: 'acknowledge' },
      staffHeaders,
    );
    assert.equal(act.status, 200, act.text);
  });

  test('the first drain: the staff alert goes, the SMS gets 500 and waits', async () => {
    assert.equal(await drainOutbox(), 1);
    assert.equal(staffAlerts().length, 1);
    assert.equal(sms().length, 1);
    assert.equal(sms()[0].status, 500);

    const alert = staffAlerts()[0];
    assert.equal(alert.method, 'POST');
    assert.equal(alert.path, '/notify');
    assert.match(alert.type, /^application\/json/);
    assert.deepEqual(alert.doc, { channel: 'staff', template: 'new_case', office: officeCode, case: caseNumber });
    assert.ok(!alert.body.includes('road repair'), 'the case text went to the staff webhook');

    // not due again before its 30 s backoff
    assert.equal(await drainOutbox(), 0);
    assert.equal(sms().length, 1);
  });

  test('after the backoff the SMS is retried and delivered exactly once', async () => {
    await setClock(31);
    assert.equal(await drainOutbox(), 1);
    assert.equal(sms().length, 2);
    assert.deepEqual(
      sms().map((r) => r.status),
      [500, 200],
    );
    // nothing is left, even much later
    await setClock(7 * 86400);
    assert.equal(await drainOutbox(), 0);
    await setClock(0);
    assert.equal(sms().length, 2);
    assert.equal(sms().filter((r) => r.status === 200).length, 1);
    assert.equal(receiver.received.length, 3);
  });

  test('the SMS holds only the fixed text and the phone number', () => {
    for (const r of sms()) {
      assert.equal(r.method, 'POST');
      assert.match(r.type, /^application\/json/);
      assert.deepEqual(r.doc, { channel: 'sms', to: PHONE, text: TEXT });
      for (const leak of [CASE_TEXT, caseNumber, officeCode, 'road repair', 'acknowledged'])
        assert.ok(!r.body.includes(leak), `the SMS carried ${leak}`);
    }
  });

  test('the counters and the log: sends counted, no phone number logged', async () => {
    const res = await fetch(server.url + '/metrics');
    const text = await res.text();
    assert.match(text, /^ourvoice_notifications_sent_total 2$/m);
    assert.match(text, /^ourvoice_notifications_failed_total 1$/m);

    const log = server.stderr();
    assert.doesNotMatch(log, PHONE_DIGITS);
    assert.ok(!log.includes(receiver.url), 'the webhook URL was logged');
    assert.match(log, /event=notification_retry outbox=\d+ channel=citizen template=news attempts=1 .*error="http 500"/);
    assert.match(log, /event=notification_sent outbox=\d+ channel=citizen template=news via=webhook/);
    assert.match(log, /event=notification_sent outbox=\d+ channel=staff template=new_case via=webhook/);
  });
});
