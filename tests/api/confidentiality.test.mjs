// Confidentiality at rest and in the logs: contact details, names and receipts never stored or logged in clear; an anonymous case carries no identity.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import {
  ENGINE, dumpDatabase, postJson, servicesAt, signIn, startServer, submitFeedback, track,
  trackSession,
} from './harness.mjs';

const PHONE = '+855 12 987 654';
const EMAIL = 'sokha.chan.private@example.org';
const TELEGRAM = '@sokha_private_tg';
const SHARED_NAME = 'Chan Sokhavy';
const HIDDEN_NAME = 'Keo Bophavy';
const DB_FILES = ['t.db', 't.db-wal', 't.db-shm'];

let server, base, officer, password;
const subs = {};
const secrets = { receipts: [], tokens: [] };

/** The database files that exist now, as {name: Buffer}; on PostgreSQL, a dump of the
 * whole database (its files are the cluster's, shared with other tests). */
async function readDbFiles(dir) {
  if (ENGINE === 'postgres') return { pg_dump: await dumpDatabase(server.db) };
  const out = {};
  for (const name of DB_FILES) {
    try {
      out[name] = await readFile(path.join(dir, name));
    } catch (e) {
      if (e.code !== 'ENOENT') throw e;
    }
  }
  assert.ok(out['t.db']?.length > 0, 'the database file is there');
  return out;
}

/** The clear texts that must never be found at rest (UTF-8; receipts also without dashes). */
function forbiddenAtRest() {
  const list = [PHONE, PHONE.replace(/ /g, ''), EMAIL, TELEGRAM, SHARED_NAME, HIDDEN_NAME];
  for (const r of secrets.receipts) list.push(r, r.replace(/-/g, ''));
  return list;
}

function scan(files, what) {
  for (const [name, bytes] of Object.entries(files)) {
    for (const s of forbiddenAtRest()) {
      assert.equal(bytes.indexOf(Buffer.from(s, 'utf8')), -1, `${what}: "${s}" in clear in ${name}`);
    }
  }
}

before(async () => {
  server = await startServer({ env: { OURVOICE_JOBS_INTERVAL: '3600' } });
  base = server.url;
  const svc = await servicesAt(base, '120101');
  const common = { kind: 'complaint', area: '120101', service: svc.commune, language: 'en' };
  subs.shared = await submitFeedback(base, {
    ...common, text: 'The clerk was rude to me.',
    contact: { phone: PHONE, email: EMAIL, telegram: TELEGRAM, name: SHARED_NAME, share_identity: true },
  });
  subs.unshared = await submitFeedback(base, {
    ...common, text: 'The office was closed at 10 am.',
    contact: { phone: PHONE, email: EMAIL, name: HIDDEN_NAME, share_identity: false },
  });
  subs.anonymous = await submitFeedback(base, { ...common, text: 'No one came to the meeting.' });
  subs.question = await submitFeedback(base, {
    kind: 'information', area: '120101', service: null, text: 'When does the office open?',
    contact: { email: EMAIL, name: SHARED_NAME, share_identity: true },
  });
  for (const s of Object.values(subs)) secrets.receipts.push(s.receipt);
  password = server.passwords['officer.120101'];
  officer = await signIn(base, { login: 'officer.120101', password });
  secrets.tokens.push(officer.cookie, officer.csrf);
});

after(async () => {
  await server?.stop();
});

describe('what staff see', () => {
  test('the shared name only where shared; never a contact detail', async () => {
    const a = await officer.case(subs.shared.case);
    assert.deepEqual(a.identity, { name: SHARED_NAME });
    assert.equal(a.has_contact, true);
    for (const key of ['unshared', 'anonymous']) {
      const c = await officer.case(subs[key].case);
      assert.equal(c.identity, null, `${key}: no identity`);
      assert.ok(!JSON.stringify(c).includes(HIDDEN_NAME), `${key}: the name is nowhere`);
    }
    assert.equal((await officer.case(subs.unshared.case)).has_contact, true);
    assert.equal((await officer.case(subs.anonymous.case)).has_contact, false);
    for (const key of Object.keys(subs)) {
      const text = JSON.stringify(await officer.case(subs[key].case));
      for (const s of [PHONE, EMAIL, TELEGRAM]) assert.ok(!text.includes(s), `${key}: ${s} shown to staff`);
      for (const r of secrets.receipts) assert.ok(!text.includes(r) && !text.includes(r.replace(/-/g, '')));
    }
    const list = JSON.stringify(await officer.get('/api/v1/cases?limit=200'));
    for (const s of [PHONE, EMAIL, TELEGRAM, SHARED_NAME, HIDDEN_NAME]) assert.ok(!list.includes(s), `${s} in the list`);
  });

  test('the citizen view holds no contact details either', async () => {
    for (const key of Object.keys(subs)) {
      const token = await trackSession(base, subs[key].receipt);
      secrets.tokens.push(token);
      const text = await (await track(base, token)).text();
      for (const s of [PHONE, EMAIL, TELEGRAM, SHARED_NAME, HIDDEN_NAME]) assert.ok(!text.includes(s));
    }
  });

  test('work that decrypts contacts (staff actions, the notifier) keeps them out of the log', async () => {
    await officer.act(subs.shared.case, { action: 'acknowledge' });
    await officer.act(subs.shared.case, { action: 'message', text: 'We are looking into it.' });
    const res = await postJson(base, '/api/v1/_test/outbox', {});
    assert.equal(res.status, 200, await res.text());
  });
});

describe('at rest and in the logs', () => {
  test('while running: no clear phone, e-mail, name or receipt in the database, its WAL or shared memory', async () => {
    const files = await readDbFiles(server.dir);
    if (ENGINE === 'sqlite') assert.ok(files['t.db-wal'], 'in WAL mode a -wal file exists while the server runs');
    scan(files, 'running');
  });

  test('after a stop: the same for every file; the log holds no receipt, token, password, phone or e-mail', async () => {
    let files;
    const { stderr } = await server.stop('SIGTERM', { inspect: async (dir) => (files = await readDbFiles(dir)) });
    scan(files, 'stopped');
    // the files were really written (not an empty scan)
    const all = Buffer.concat(Object.values(files));
    assert.notEqual(all.indexOf(Buffer.from(subs.shared.case)), -1, 'the case number is stored');
    assert.notEqual(all.indexOf(Buffer.from('The clerk was rude to me.')), -1, 'the case text is stored');

    assert.match(stderr, /event=request /, 'the log has request lines');
    const never = [PHONE, PHONE.replace(/ /g, ''), EMAIL, TELEGRAM, SHARED_NAME, HIDDEN_NAME, password, ...secrets.tokens];
    for (const r of secrets.receipts) never.push(r, r.replace(/-/g, ''));
    for (const s of never) assert.ok(s && !stderr.includes(s), `"${s}" in the log`);
  });
});
