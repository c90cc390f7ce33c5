// A primary with a streaming replica, and a node started with --db-read on the replica:
// statistics and the public lists are read from the replica, writes go to the primary. The
// proof: with the replica's replay paused, a write succeeds (on the primary) but the public
// reads do not show it; once the replica has replayed, they do.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { getJson, serveDatabase } from '../api/harness.mjs';
import { freshDatabase, initDemo, pgCluster, post, psql, psqlNumber } from './lib.mjs';

const AREA = '120101';
const CASES = 6; // above the smallest cell the statistics show (5)

let db, dir, keys, node;

const pause = () => psql(db.replicaUrl, 'SELECT pg_wal_replay_pause()');
const resume = () => psql(db.replicaUrl, 'SELECT pg_wal_replay_resume()');
const statsCases = async () => (await getJson(node.url, `/api/v1/stats?area=${AREA}`)).total.cases ?? 0;

before(async () => {
  db = await freshDatabase({ replica: true });
  dir = await mkdtemp(path.join(os.tmpdir(), 'ourvoice-replica-'));
  keys = path.join(dir, 'ourvoice.keys');
  await initDemo(db.url, keys);
  await pgCluster('wait-replay');
  node = await serveDatabase(db.url, { args: ['--keys', keys, '--db-read', db.replicaUrl] });
});

after(async () => {
  if (db?.replicaUrl) await resume().catch(() => {});
  await node?.stop();
  await db?.drop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('--db-read: public reads from a streaming replica', { concurrency: false }, () => {
  test('the node keeps read connections open on the replica', async () => {
    const open = await psqlNumber(
      db.replicaUrl,
      `SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`,
    );
    assert.ok(open >= 2, `${open} connections on the replica (one per event loop expected)`);
  });

  test('statistics: new cases appear only once the replica has replayed them', async () => {
    const before = await statsCases();
    await pause();
    try {
      for (let i = 0; i < CASES; i++) {
        const res = await post(`${node.url}/api/v1/feedback`, {
          kind: 'information', area: AREA, language: 'en', text: `Replica test question ${i}`,
        });
        assert.equal(res.status, 201, `a write while the replica is paused: ${res.text}`);
      }
      assert.equal(await psqlNumber(db.url, 'SELECT count(*) FROM cases'), CASES, 'on the primary');
      assert.equal(await psqlNumber(db.replicaUrl, 'SELECT count(*) FROM cases'), 0, 'on the paused replica');
      assert.equal(await statsCases(), before, 'the statistics showed cases the replica does not have yet');
    } finally {
      await resume();
    }
    await pgCluster('wait-replay');
    assert.equal(await statsCases(), before + CASES);
  });

  test('public lists: a catalogue change shows once the replica has it', async () => {
    const code = (await getJson(node.url, `/api/v1/services?area=${AREA}`))[0].code;
    const nameOf = async () => (await getJson(node.url, `/api/v1/services?area=${AREA}`)).find((s) => s.code === code).name_en;
    const old = await nameOf();
    await pause();
    try {
      await psql(db.url, `UPDATE services SET name_en = name_en || ' (renamed)' WHERE code = '${code.replace(/'/g, "''")}'`);
      assert.equal(await nameOf(), old);
    } finally {
      await resume();
    }
    await pgCluster('wait-replay');
    assert.equal(await nameOf(), `${old} (renamed)`);
  });
});
