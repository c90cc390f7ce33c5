// Three `ourvoice serve` nodes on one PostgreSQL database behind nginx round-robin, under a
// mixed load (submissions, citizens' follow-ups, staff actions, outbox drains and deadline
// passes on every node at once, the background jobs of each node ticking every second):
// every submission is stored once, every outbox message reaches the webhook exactly once,
// the deadline job escalates each overdue case once, and the audit chain stays whole.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { PNG_1X1, serveDatabase, signIn } from '../api/harness.mjs';
import { freshDatabase, initDemo, ourvoiceRun, pool, post, psql, psqlNumber, startNginx, startReceiver } from './lib.mjs';

const NODES = 3;
const SUBMISSIONS = 36;
const AREA = '120101'; // Tonle Basak: support requests go to its commune office, C-120101
const OFFICER = 'officer.120101';
const phoneOf = (i) => `+855 10 ${String(100000 + i)}`;

let db, dir, keys, accounts, receiver, nodes = [], nginx, officer;
const subs = []; // {i, phone, number, receipt, token}

async function nodeHook(node, what, body = {}) {
  const res = await post(`${node.url}/api/v1/_test/${what}`, body);
  assert.equal(res.status, 200, `${what}: ${res.text}`);
  return res.json;
}

async function viaNginx(what, body = {}) {
  const res = await post(`${nginx.url}/api/v1/_test/${what}`, body);
  assert.equal(res.status, 200, `${what}: ${res.text}`);
  return res.json;
}

before(async () => {
  db = await freshDatabase();
  dir = await mkdtemp(path.join(os.tmpdir(), 'ourvoice-nodes-'));
  keys = path.join(dir, 'ourvoice.keys');
  accounts = await initDemo(db.url, keys);
  receiver = await startReceiver({ delayMs: 5 });
  const env = { OURVOICE_NOTIFY_WEBHOOK: receiver.url, OURVOICE_SMTP_URL: '', OURVOICE_JOBS_INTERVAL: '1' };
  nodes = await Promise.all(
    Array.from({ length: NODES }, () => serveDatabase(db.url, { args: ['--keys', keys], env })),
  );
  nginx = await startNginx(nodes.map((n) => n.port));
});

after(async () => {
  await nginx?.stop();
  const stops = await Promise.allSettled(nodes.map((n) => n.stop()));
  await receiver?.close();
  await db?.drop();
  if (dir) await rm(dir, { recursive: true, force: true });
  for (const s of stops) if (s.status === 'rejected') throw s.reason;
});

describe('three nodes behind nginx on one PostgreSQL database', { concurrency: false }, () => {
  test('concurrent submissions are each stored once', async () => {
    const made = await pool([...Array(SUBMISSIONS).keys()], 12, async (i) => {
      const body = {
        kind: i % 3 === 0 ? 'information' : 'support',
        area: AREA,
        text: `Cluster load test request number ${i}: the birth certificate takes too long`,
        language: 'en',
        contact: { phone: phoneOf(i) },
      };
      if (i % 6 === 0) body.attachments = [{ type: 'image/png', data: PNG_1X1 }];
      const res = await post(`${nginx.url}/api/v1/feedback`, body);
      assert.equal(res.status, 201, res.text);
      return { i, phone: phoneOf(i), number: res.json.case, receipt: res.json.receipt };
    });
    subs.push(...made);
    assert.equal(new Set(subs.map((s) => s.number)).size, SUBMISSIONS, 'case numbers repeat');
    const [[cases, numbers, receipts]] = await psql(
      db.url,
      'SELECT count(*), count(DISTINCT number), count(DISTINCT receipt_hash) FROM cases',
    );
    assert.deepEqual([cases, numbers, receipts].map(Number), [SUBMISSIONS, SUBMISSIONS, SUBMISSIONS]);
    assert.equal(await psqlNumber(db.url, "SELECT count(*) FROM events WHERE type = 'submitted'"), SUBMISSIONS);
  });

  test('every receipt opens its own case, whichever node answers', async () => {
    await pool(subs, 8, async (s) => {
      const res = await post(`${nginx.url}/api/v1/track/session`, { receipt: s.receipt });
      assert.equal(res.status, 200, res.text);
      s.token = res.json.token;
      const view = await fetch(`${nginx.url}/api/v1/track`, { headers: { Authorization: `Bearer ${s.token}` } });
      const doc = await view.json();
      assert.equal(view.status, 200);
      assert.equal(doc.case, s.number);
    });
  });

  test('follow-ups, staff actions and outbox drains at once', async () => {
    const acct = accounts[OFFICER];
    officer = await signIn(nginx.url, { login: OFFICER, password: acct.password });
    let busy = true;
    const drains = (async () => {
      while (busy) {
        await Promise.all([viaNginx('outbox'), viaNginx('outbox')]);
      }
    })();
    await pool(subs, 8, async (s) => {
      const auth = { Authorization: `Bearer ${s.token}` };
      const msg = await post(`${nginx.url}/api/v1/track/messages`, { text: `More details for ${s.i}` }, auth);
      assert.equal(msg.status, 200, msg.text);
      await officer.act(s.number, { action: 'acknowledge' });
      await officer.act(s.number, { action: 'note', text: `Checked on node round ${s.i}` });
    });
    busy = false;
    await drains;
    const acks = await psqlNumber(db.url, "SELECT count(*) FROM events WHERE type = 'acknowledged'");
    assert.equal(acks, SUBMISSIONS);
  });

  test('every outbox message is sent exactly once', async () => {
    const deadline = Date.now() + 30000;
    for (;;) {
      await Promise.all(nodes.map((n) => nodeHook(n, 'outbox')));
      const pending = await psqlNumber(db.url, "SELECT count(*) FROM outbox WHERE status <> 'sent'");
      if (pending === 0) break;
      assert.ok(Date.now() < deadline, `${pending} outbox messages still unsent after 30 s`);
      await new Promise((r) => setTimeout(r, 200));
    }
    await new Promise((r) => setTimeout(r, 1500)); // a background pass on every node, for good measure
    const sent = await psqlNumber(db.url, "SELECT count(*) FROM outbox WHERE status = 'sent'");
    assert.ok(sent >= 2 * SUBMISSIONS, `only ${sent} messages`);
    assert.ok(receiver.received.every((d) => d !== null), 'a webhook body was not JSON');
    assert.equal(receiver.received.length, sent, 'webhook deliveries differ from the sent messages');

    // one staff alert per new case
    const alerts = receiver.received.filter((d) => d.channel === 'staff' && d.template === 'new_case');
    assert.deepEqual(alerts.map((d) => d.case).sort(), subs.map((s) => s.number).sort());

    // each citizen got exactly the news the database queued for their case
    const rows = await psql(
      db.url,
      "SELECT c.number, count(*) FROM outbox o JOIN cases c ON c.id = o.case_id WHERE o.template = 'news' GROUP BY c.number",
    );
    const queued = new Map(rows.map(([n, k]) => [n, Number(k)]));
    for (const s of subs) {
      const got = receiver.received.filter((d) => d.channel === 'sms' && d.to === s.phone).length;
      assert.ok(got >= 1, `no news reached ${s.number}`);
      assert.equal(got, queued.get(s.number), `news for ${s.number}`);
    }
  });

  test('the deadline job escalates each overdue case once, with every node running it', async () => {
    const before = Number(await psqlNumber(db.url, "SELECT count(*) FROM events WHERE type = 'escalated'"));
    assert.equal(before, 0);
    await Promise.all(nodes.map((n) => nodeHook(n, 'clock', { offset_seconds: 40 * 86400 })));
    try {
      const passes = await Promise.all(Array.from({ length: 3 * NODES }, () => viaNginx('jobs')));
      const byHooks = passes.reduce((sum, p) => sum + p.escalated, 0);
      const deadline = Date.now() + 20000;
      let escalated;
      while ((escalated = await psqlNumber(db.url, "SELECT count(*) FROM events WHERE type = 'escalated'")) < SUBMISSIONS) {
        assert.ok(Date.now() < deadline, `only ${escalated} of ${SUBMISSIONS} cases escalated`);
        await new Promise((r) => setTimeout(r, 200));
      }
      await new Promise((r) => setTimeout(r, 2500)); // more background passes at the same clock
      assert.ok(byHooks <= SUBMISSIONS, `the hooks escalated ${byHooks} times`);
      const twice = await psql(
        db.url,
        "SELECT case_id, count(*) FROM events WHERE type = 'escalated' GROUP BY case_id HAVING count(*) <> 1",
      );
      assert.deepEqual(twice, [], 'cases escalated more than once');
      assert.equal(await psqlNumber(db.url, "SELECT count(*) FROM events WHERE type = 'escalated'"), SUBMISSIONS);
    } finally {
      await Promise.all(nodes.map((n) => nodeHook(n, 'clock', { offset_seconds: 0 })));
    }
  });

  test('the audit chain written by three nodes verifies', async () => {
    const out = await ourvoiceRun(['audit', 'verify', '--db', db.url]);
    assert.equal(out.code, 0, out.stdout + out.stderr);
    assert.match(out.stdout, /intact/);
  });

  test('nginx spread the load over every node', async () => {
    for (const n of nodes) {
      const text = await (await fetch(`${n.url}/metrics`)).text();
      const m = /^ourvoice_http_requests_total\{route="\/api\/v1\/feedback",method="POST",status="201"\} (\d+)$/m.exec(text);
      assert.ok(m && Number(m[1]) > 0, `node ${n.url} took no submission`);
    }
  });
});
