// Durability: kill -9 of the server under 16 concurrent submitters; after a restart every submission that got its 201 is there, intact, and the audit chain verifies.
import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';

import {
  ourvoice, serveDatabase, servicesAt, signIn, startServer, submitFeedback, track, trackSession,
} from './harness.mjs';

const CLIENTS = 16;
const LOAD_MS = 3000;

let first, again, service;

before(async () => {
  first = await startServer({ env: { OURVOICE_JOBS_INTERVAL: '3600' } });
  service = (await servicesAt(first.url, '120101')).commune;
});

after(async () => {
  for (const s of [first, again]) {
    if (s && s.proc.exitCode === null && s.proc.signalCode === null) {
      s.proc.kill('SIGKILL');
      await s.exited;
    }
  }
  if (first) await first.dropDatabase();
  if (first) await rm(first.dir, { recursive: true, force: true });
});

/** Runs `limit` at a time of fn over items. */
async function eachLimited(items, limit, fn) {
  let next = 0;
  await Promise.all(Array.from({ length: limit }, async () => {
    while (next < items.length) await fn(items[next++]);
  }));
}

/** Every case number the national admin lists (following the cursor). */
async function allCaseNumbers(admin) {
  const out = [];
  let cursor = '';
  for (;;) {
    const page = await admin.get(`/api/v1/cases?limit=200${cursor ? `&cursor=${cursor}` : ''}`);
    out.push(...page.cases.map((c) => c.case));
    if (!page.next_cursor) return out;
    cursor = page.next_cursor;
  }
}

describe('kill -9 during concurrent submissions', () => {
  const acknowledged = []; // {case, receipt, text} of every 201
  const beforeKill = { statuses: new Map() };
  let killedAt = 0;
  let inFlightAtKill = 0;

  test(`${CLIENTS} clients submit for ~${LOAD_MS / 1000} s; the server is killed with SIGKILL mid-load`, async (t) => {
    let stop = false;
    let inFlight = 0;
    const clientErrors = [];

    async function client(c) {
      for (let n = 0; !stop; n++) {
        const text = `ពាក្យបណ្តឹង client ${c} no ${n}: the clerk asked for ${1000 + n} riel more.`;
        const body = JSON.stringify({ kind: 'complaint', area: '120101', service, text, language: 'km' });
        let res, answer;
        inFlight++;
        try {
          res = await fetch(`${first.url}/api/v1/feedback`, {
            method: 'POST', headers: { 'Content-Type': 'application/json' }, body,
          });
          answer = await res.text();
        } catch (e) {
          if (!killedAt) clientErrors.push(`client ${c}: ${e.message} ${e.cause?.code ?? ''}`);
          return; // the server is gone
        } finally {
          inFlight--;
        }
        if (res.status === 201) {
          const doc = JSON.parse(answer);
          acknowledged.push({ case: doc.case, receipt: doc.receipt, text });
        } else if (!killedAt) {
          beforeKill.statuses.set(res.status, (beforeKill.statuses.get(res.status) ?? 0) + 1);
          clientErrors.push(`client ${c}: ${res.status} ${answer}`);
        }
      }
    }

    const clients = Array.from({ length: CLIENTS }, (_, c) => client(c));
    await sleep(LOAD_MS);
    inFlightAtKill = inFlight;
    killedAt = Date.now();
    first.proc.kill('SIGKILL');
    const { signal } = await first.exited;
    stop = true;
    await Promise.all(clients);

    t.diagnostic(`${acknowledged.length} submissions acknowledged, ${inFlightAtKill} in flight at the kill`);
    assert.equal(signal, 'SIGKILL');
    assert.deepEqual(clientErrors, [], 'every submission before the kill was accepted');
    assert.ok(inFlightAtKill > 0, 'the kill came while submissions were in flight');
    assert.ok(acknowledged.length >= CLIENTS, `only ${acknowledged.length} submissions got their 201`);
    const numbers = acknowledged.map((a) => a.case);
    assert.equal(new Set(numbers).size, numbers.length, 'no case number was given twice');
    assert.equal(new Set(acknowledged.map((a) => a.receipt)).size, acknowledged.length, 'no receipt was given twice');
  });

  test('after a restart on the same database every acknowledged submission is there, intact', async () => {
    assert.ok(killedAt, 'the kill happened');
    again = await serveDatabase(first.db, { env: { OURVOICE_JOBS_INTERVAL: '3600' } });
    const base = again.url;

    await eachLimited(acknowledged, 4, async (a) => {
      const token = await trackSession(base, a.receipt);
      const res = await track(base, token);
      const body = await res.text();
      assert.equal(res.status, 200, `${a.case}: ${body}`);
      const doc = JSON.parse(body);
      assert.equal(doc.case, a.case);
      assert.equal(doc.text, a.text);
      assert.equal(doc.kind, 'complaint');
      assert.equal(doc.area, '120101');
      assert.equal(doc.service, service);
      assert.equal(doc.status, 'submitted');
      assert.deepEqual(doc.timeline.map((e) => e.type), ['submitted']);
    });

    // the staff see each of them once, and nothing numbered twice
    const admin = await signIn(base, { login: 'admin', ...first.accounts.admin });
    const listed = await allCaseNumbers(admin);
    assert.equal(new Set(listed).size, listed.length, 'a case number is listed twice');
    const set = new Set(listed);
    for (const a of acknowledged) assert.ok(set.has(a.case), `${a.case} is not listed`);
    // at most the submissions in flight at the kill were stored without their 201 reaching us
    assert.ok(listed.length <= acknowledged.length + inFlightAtKill,
      `${listed.length} cases for ${acknowledged.length} answers and ${inFlightAtKill} in flight`);

    // numbering goes on after the highest number stored, and the new case is durable too
    const seq = (n) => Number(/-(\d{6})$/.exec(n)[1]);
    const next = await submitFeedback(base, { kind: 'complaint', area: '120101', service, text: 'After the restart.' });
    assert.ok(!set.has(next.case), `${next.case} was given again`);
    assert.equal(seq(next.case), Math.max(...listed.map(seq)) + 1);
  });

  test('the restarted server stops cleanly and the audit log is intact', async () => {
    assert.ok(again, 'the server was restarted');
    await again.stop('SIGTERM');
    const { stdout } = await ourvoice(['audit', 'verify', '--db', first.db], { env: first.env });
    assert.match(stdout, /\bintact\b/, stdout);
  });
});
