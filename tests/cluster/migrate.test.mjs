// `ourvoice migrate-store`: a pilot's SQLite database (cases with attachments, sealed
// contacts, a timeline, sessions, the audit chain) moved into a new PostgreSQL database.
// Every table has the same row count and checksum on both sides, a second run refuses the
// now-filled target, a changed row is caught, and the moved database, served with the same
// key file, answers the same receipt with the same case.
import assert from 'node:assert/strict';
import { readFile, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { PNG_1X1, demoAccounts, serveDatabase, signIn } from '../api/harness.mjs';
import { freshDatabase, ourvoiceRun, post, psql } from './lib.mjs';

const AREA = '120101';
const OFFICER = 'officer.120101';

let dir, sqliteDb, keys, accounts, db;
let pilot; // what the pilot's server showed: {receipt, number, view, attachment}

const citizenView = async (base, receipt) => {
  const s = await post(`${base}/api/v1/track/session`, { receipt });
  assert.equal(s.status, 200, s.text);
  const res = await fetch(`${base}/api/v1/track`, { headers: { Authorization: `Bearer ${s.json.token}` } });
  assert.equal(res.status, 200);
  return res.json();
};

/** migrate-store's table lines → Map(table → {sqlite, postgres, same}). */
function tableLines(stdout) {
  const out = new Map();
  for (const line of stdout.split('\n')) {
    const m = /^(\S+)\s+(\d+)\s+(\d+)\s+([0-9a-f]{64})\s+([0-9a-f]{64})\s+(same|DIFFERENT)$/.exec(line);
    if (m) out.set(m[1], { sqlite: Number(m[2]), postgres: Number(m[3]), a: m[4], b: m[5], same: m[6] === 'same' });
  }
  return out;
}

before(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'ourvoice-migrate-'));
  sqliteDb = path.join(dir, 'pilot.db');
  keys = `${sqliteDb}.keys`;
  const init = await ourvoiceRun(['init', '--db', sqliteDb, '--demo']);
  assert.equal(init.code, 0, init.stderr);
  accounts = demoAccounts(init.stdout);

  // the pilot: a few cases, one with a photo, a contact and the citizen's name
  const server = await serveDatabase(sqliteDb);
  try {
    const made = [];
    for (let i = 0; i < 3; i++) {
      const body = { kind: 'complaint', area: AREA, language: i ? 'en' : 'km', text: `Pilot case ${i}: ការបង់ប្រាក់ក្រៅផ្លូវការ` };
      if (i === 0) Object.assign(body, { attachments: [{ type: 'image/png', data: PNG_1X1 }], contact: { phone: '+855 12 999 000', name: 'Sok Dara', share_identity: true } });
      const res = await post(`${server.url}/api/v1/feedback`, body);
      assert.equal(res.status, 201, res.text);
      made.push(res.json);
    }
    const officer = await signIn(server.url, { login: OFFICER, password: accounts[OFFICER].password });
    await officer.act(made[0].case, { action: 'acknowledge' });
    await officer.act(made[0].case, { action: 'message', text: 'Which office did you visit?' });
    const view = await citizenView(server.url, made[0].receipt);
    const staffView = await officer.case(made[0].case);
    const att = await officer.request(`/api/v1/cases/${encodeURIComponent(made[0].case)}/attachments/${staffView.attachments[0].id}`);
    assert.equal(att.status, 200);
    pilot = { receipt: made[0].receipt, number: made[0].case, view, attachment: Buffer.from(await att.arrayBuffer()) };
  } finally {
    await server.stop();
  }
  db = await freshDatabase();
});

after(async () => {
  await db?.drop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('migrate-store: SQLite to PostgreSQL', { concurrency: false }, () => {
  test('every table arrives with the same row count and checksum', async () => {
    const out = await ourvoiceRun(['migrate-store', '--from', sqliteDb, '--to', db.url]);
    assert.equal(out.code, 0, out.stdout + out.stderr);
    const tables = tableLines(out.stdout);
    for (const name of ['areas', 'services', 'offices', 'staff', 'cases', 'events', 'attachments', 'outbox', 'audit_log', 'track_sessions', 'staff_sessions'])
      assert.ok(tables.has(name), `no line for ${name}:\n${out.stdout}`);
    for (const [name, t] of tables) {
      assert.ok(t.same, `${name} differs`);
      assert.equal(t.sqlite, t.postgres, name);
      assert.equal(t.a, t.b, name);
    }
    assert.equal(tables.get('cases').postgres, 3);
    assert.ok(!tables.has('cases_fts'), 'the full-text table was copied');
    assert.match(out.stdout, /all \d+ tables identical/);
  });

  test('a second run refuses the filled target, and --verify-only agrees', async () => {
    const again = await ourvoiceRun(['migrate-store', '--from', sqliteDb, '--to', db.url]);
    assert.notEqual(again.code, 0);
    assert.match(again.stderr, /already holds data/);
    const verify = await ourvoiceRun(['migrate-store', '--from', sqliteDb, '--to', db.url, '--verify-only']);
    assert.equal(verify.code, 0, verify.stdout + verify.stderr);
  });

  test('the moved database answers the same receipt with the same case', async () => {
    const node = await serveDatabase(db.url, { args: ['--keys', keys] });
    try {
      assert.deepEqual(await citizenView(node.url, pilot.receipt), pilot.view);
      const officer = await signIn(node.url, { login: OFFICER, password: accounts[OFFICER].password });
      const c = await officer.case(pilot.number);
      const att = await officer.request(`/api/v1/cases/${encodeURIComponent(pilot.number)}/attachments/${c.attachments[0].id}`);
      assert.deepEqual(Buffer.from(await att.arrayBuffer()), pilot.attachment);
      // the identity sequences continue after the copied rows
      const res = await post(`${node.url}/api/v1/feedback`, { kind: 'information', area: AREA, language: 'en', text: 'After the move' });
      assert.equal(res.status, 201, res.text);
      assert.deepEqual(await psql(db.url, 'SELECT count(*), max(id) FROM cases'), [['4', '4']]);
      const audit = await ourvoiceRun(['audit', 'verify', '--db', db.url]);
      assert.equal(audit.code, 0, audit.stdout + audit.stderr);
    } finally {
      await node.stop();
    }
  });

  test('a changed row is reported as a difference', async () => {
    await psql(db.url, "UPDATE areas SET name_en = name_en || '.' WHERE code = '12'");
    const out = await ourvoiceRun(['migrate-store', '--from', sqliteDb, '--to', db.url, '--verify-only']);
    assert.equal(out.code, 1, out.stdout + out.stderr);
    const tables = tableLines(out.stdout);
    assert.equal(tables.get('areas').same, false);
    assert.equal(tables.get('areas').sqlite, tables.get('areas').postgres);
    assert.equal(tables.get('holidays').same, true); // (cases differ too: one was added after the move)
    await readFile(sqliteDb); // the source is still there, untouched
  });
});
