// What docs/deploy.md tells operators to do, done here: the systemd unit and the nginx
// configuration of deploy/ are valid, an online SQLite backup taken while the server writes
// restores to a working database, and a pg_dump of a PostgreSQL database restores into a
// new database that serves the same receipts (with the same key file).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';

import { BIN, REPO, serveDatabase, startServer } from '../api/harness.mjs';
import { freshDatabase, initDemo, ourvoiceRun, pool, post, psql } from './lib.mjs';

const run = promisify(execFile);
const PG_BIN = process.env.OURVOICE_PG_BIN || '/usr/lib/postgresql/15/bin';
const AREA = '120101';

let dir;
before(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'ourvoice-deploy-'));
});
after(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function submit(base, text) {
  const res = await post(`${base}/api/v1/feedback`, { kind: 'information', area: AREA, language: 'en', text });
  assert.equal(res.status, 201, res.text);
  return res.json;
}

async function caseOfReceipt(base, receipt) {
  const res = await post(`${base}/api/v1/track/session`, { receipt });
  assert.equal(res.status, 200, res.text);
  const view = await fetch(`${base}/api/v1/track`, { headers: { Authorization: `Bearer ${res.json.token}` } });
  return (await view.json()).case;
}

describe('deployment files and backups (docs/deploy.md)', { concurrency: false }, () => {
  test('deploy/ourvoice.service passes systemd-analyze verify', { skip: !existsSync('/usr/bin/systemd-analyze') }, async () => {
    const unit = (await readFile(path.join(REPO, 'deploy', 'ourvoice.service'), 'utf8'))
      .replace('/usr/local/bin/ourvoice', BIN)
      .replace(/^EnvironmentFile=/m, 'EnvironmentFile=-');
    const file = path.join(dir, 'ourvoice.service');
    await writeFile(file, unit);
    const { stderr } = await run('systemd-analyze', ['verify', file]);
    assert.equal(stderr.trim(), '', stderr);
  });

  test('deploy/nginx.conf passes nginx -t', async () => {
    const cert = path.join(dir, 'cert.pem');
    const key = path.join(dir, 'key.pem');
    await run('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=localhost', '-days', '1', '-keyout', key, '-out', cert]);
    const site = (await readFile(path.join(REPO, 'deploy', 'nginx.conf'), 'utf8'))
      .replace('/etc/ssl/ourvoice/fullchain.pem', cert)
      .replace('/etc/ssl/ourvoice/privkey.pem', key);
    await writeFile(path.join(dir, 'site.conf'), site);
    const main = path.join(dir, 'nginx.conf');
    await writeFile(main, `pid ${dir}/nginx.pid;\nerror_log ${dir}/error.log;\nevents {}\nhttp { include ${dir}/site.conf; }\n`);
    const { stderr } = await run('/usr/sbin/nginx', ['-t', '-p', dir, '-c', main, '-e', path.join(dir, 'error.log')]);
    assert.match(stderr, /test is successful/);
  });

  test('SQLite: an online backup taken during writes restores and serves', async () => {
    const server = await startServer();
    const backup = path.join(dir, 'backup.db');
    let first;
    try {
      first = await submit(server.url, 'Before the backup');
      // writes go on while sqlite3 copies the database
      const writes = pool([...Array(8).keys()], 4, (i) => submit(server.url, `During the backup ${i}`));
      await run('sqlite3', [server.db, `.backup '${backup}'`]);
      await writes;
      await run('cp', [`${server.db}.keys`, `${backup}.keys`]);
    } finally {
      await server.stop();
    }
    const { stdout } = await run('sqlite3', [backup, 'PRAGMA integrity_check']);
    assert.equal(stdout.trim(), 'ok');
    const audit = await ourvoiceRun(['audit', 'verify', '--db', backup]);
    assert.equal(audit.code, 0, audit.stdout + audit.stderr);
    const init = await ourvoiceRun(['init', '--db', backup]); // what a restore runs: changes nothing
    assert.equal(init.code, 0, init.stderr);
    const restored = await serveDatabase(backup);
    try {
      assert.equal(await caseOfReceipt(restored.url, first.receipt), first.case);
    } finally {
      await restored.stop();
    }
  });

  test('PostgreSQL: pg_dump and pg_restore into a new database', async () => {
    const db = await freshDatabase();
    const target = await freshDatabase();
    const keys = path.join(dir, 'pg.keys');
    const dump = path.join(dir, 'ourvoice.dump');
    try {
      await initDemo(db.url, keys);
      const node = await serveDatabase(db.url, { args: ['--keys', keys] });
      let sub;
      try {
        sub = await submit(node.url, 'Before the dump');
      } finally {
        await node.stop();
      }
      await run(path.join(PG_BIN, 'pg_dump'), ['-Fc', '-d', db.url, '-f', dump]);
      await run(path.join(PG_BIN, 'pg_restore'), ['--no-owner', '--exit-on-error', '-d', target.url, dump]);
      const [[cases]] = await psql(target.url, 'SELECT count(*) FROM cases');
      assert.equal(cases, '1');
      const audit = await ourvoiceRun(['audit', 'verify', '--db', target.url]);
      assert.equal(audit.code, 0, audit.stdout + audit.stderr);
      const restored = await serveDatabase(target.url, { args: ['--keys', keys] });
      try {
        assert.equal(await caseOfReceipt(restored.url, sub.receipt), sub.case);
        await submit(restored.url, 'After the restore'); // the identity sequences came along
      } finally {
        await restored.stop();
      }
    } finally {
      await db.drop();
      await target.drop();
    }
  });
});
