// Start and graceful stop: SIGTERM/SIGINT let requests in flight finish, new connections are refused, the process exits 0.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';

import { BIN, ourvoice, rawGet, serveDatabase, startServer, tryConnect } from './harness.mjs';

const sqlite = (db, sql) => new Promise((resolve, reject) =>
  execFile('sqlite3', [db, sql], (err, stdout) => (err ? reject(err) : resolve(stdout))));

/** A GET over its own connection; resolves {status, body, at} when the answer is complete. */
function slowGet(port, target) {
  return rawGet(port, target, { timeout: 15000 }).then((res) => ({ ...res, at: performance.now() }));
}

describe('graceful stop', () => {
  test('SIGTERM during a slow request: it still gets 200, then the process exits 0', async () => {
    const server = await startServer();
    let exitedAt = null;
    server.exited.then(() => (exitedAt = performance.now()));
    const t0 = performance.now();
    const slow = slowGet(server.port, '/api/v1/_test/sleep?ms=1500');
    await sleep(300);
    assert.equal(server.proc.exitCode, null);
    const stopping = server.stop('SIGTERM');

    // while the request is in flight the listener is gone already
    await sleep(300);
    assert.equal(exitedAt, null, 'the process must wait for the request in flight');
    assert.equal(await tryConnect(server.port), 'ECONNREFUSED');

    const res = await slow;
    assert.equal(res.status, 200);
    assert.deepEqual(JSON.parse(res.body.toString()), { status: 'ok', slept_ms: 1500 });
    assert.equal(res.headers.get('connection'), 'close', 'a stopping server closes connections');
    assert.ok(res.at - t0 >= 1450, `answered after ${res.at - t0} ms`);

    const { code, stderr } = await stopping; // asserts exit 0 and no sanitizer report
    assert.equal(code, 0);
    assert.ok(exitedAt >= res.at, 'the process exits after the answer');
    assert.match(stderr, /event=stopping signal=SIGTERM/);
    assert.match(stderr, /event=stopped clean=1/);
    assert.doesNotMatch(stderr, /stop_grace_expired/);
    assert.match(stderr, /event=request rid=[0-9a-f]+ method=GET route=\/api\/v1\/_test\/sleep status=200 /);

    assert.equal(await tryConnect(server.port), 'ECONNREFUSED');
    await assert.rejects(fetch(server.url + '/healthz'));
  });

  test('several slow requests on both loops all finish', async () => {
    const server = await startServer();
    const slow = Array.from({ length: 6 }, () => slowGet(server.port, '/api/v1/_test/sleep?ms=800'));
    await sleep(200);
    const stopping = server.stop('SIGTERM');
    const answers = await Promise.all(slow);
    for (const res of answers) {
      assert.equal(res.status, 200);
      assert.deepEqual(JSON.parse(res.body.toString()), { status: 'ok', slept_ms: 800 });
    }
    await stopping;
    assert.equal(await tryConnect(server.port), 'ECONNREFUSED');
  });

  test('SIGINT stops the same way', async () => {
    const server = await startServer();
    const slow = slowGet(server.port, '/api/v1/_test/sleep?ms=600');
    await sleep(150);
    const stopping = server.stop('SIGINT');
    const res = await slow;
    assert.equal(res.status, 200);
    const { stderr } = await stopping;
    assert.match(stderr, /event=stopping signal=SIGINT/);
    assert.equal(await tryConnect(server.port), 'ECONNREFUSED');
  });

  test('an idle keep-alive connection does not hold up the stop', async () => {
    const server = await startServer();
    const sock = net.connect({ host: '127.0.0.1', port: server.port });
    const closed = new Promise((resolve) => sock.on('close', resolve));
    let received = '';
    sock.on('data', (d) => (received += d));
    sock.on('error', () => {});
    sock.write('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
    while (!received.includes('{"status":"ok"}')) await sleep(10);
    const t0 = performance.now();
    await server.stop('SIGTERM');
    assert.ok(performance.now() - t0 < 5000, `the stop took ${performance.now() - t0} ms`);
    await closed; // the server closed it
  });

  test('clients that go away before their answers do not hold up the stop', async () => {
    const server = await startServer();
    const gone = [];
    for (const target of ['/api/v1/_test/sleep?ms=200', '/api/v1/areas?parent=12', '/api/v1/areas?q=samraong']) {
      const sock = net.connect({ host: '127.0.0.1', port: server.port });
      sock.on('error', () => {});
      sock.write(`GET ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`);
      gone.push(new Promise((resolve) => sock.on('close', resolve)));
      sock.resetAndDestroy();
    }
    await Promise.all(gone);
    await sleep(400); // the slow one has been answered into a closed connection
    assert.equal((await fetch(server.url + '/healthz')).status, 200);
    const t0 = performance.now();
    const { stderr } = await server.stop('SIGTERM');
    assert.ok(performance.now() - t0 < 5000, `the stop took ${performance.now() - t0} ms`);
    assert.doesNotMatch(stderr, /stop_grace_expired/);
  });

  test('a stopped server refuses connections; an idle one stops at once', async () => {
    const server = await startServer();
    assert.equal(await tryConnect(server.port), 'connected');
    const t0 = performance.now();
    const { code } = await server.stop();
    assert.equal(code, 0);
    assert.ok(performance.now() - t0 < 5000);
    assert.equal(await tryConnect(server.port), 'ECONNREFUSED');
  });
});

describe('start', () => {
  test('serve refuses a database that was never initialised', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'ourvoice-api-'));
    try {
      const result = await new Promise((resolve) =>
        execFile(BIN, ['serve', '--db', path.join(dir, 'none.db'), '--port', '0'], (err, stdout, stderr) =>
          resolve({ code: err ? err.code : 0, stdout, stderr }),
        ),
      );
      assert.notEqual(result.code, 0);
      assert.doesNotMatch(result.stdout, /listening on/);
      assert.doesNotMatch(result.stderr, /AddressSanitizer|LeakSanitizer|runtime error:/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test('serve refuses a database behind its migrations', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'ourvoice-api-'));
    try {
      const db = path.join(dir, 'old.db');
      await ourvoice(['init', '--db', db]);
      const last = Number((await sqlite(db, 'SELECT max(version) FROM schema_migrations')).trim());
      assert.ok(last >= 6);
      // as a database made by the previous release: its last migration not yet recorded
      const row = (await sqlite(db, `SELECT name, applied_at FROM schema_migrations WHERE version = ${last}`)).trim().split('|');
      await sqlite(db, `DELETE FROM schema_migrations WHERE version = ${last}`);
      const serve = () => new Promise((resolve) =>
        execFile(BIN, ['serve', '--db', db, '--port', '0'], { timeout: 20000 }, (err, stdout, stderr) =>
          resolve({ code: err ? err.code : 0, stdout, stderr })));
      const refused = await serve();
      assert.equal(refused.code, 1);
      assert.doesNotMatch(refused.stdout, /listening on/);
      assert.match(refused.stderr, new RegExp(`at migration ${last - 1} and this program at ${last}; run \`ourvoice init`));
      await sqlite(db, `INSERT INTO schema_migrations VALUES (${last}, '${row[0]}', '${row[1]}')`);
      const s = await serveDatabase(db);
      try {
        assert.equal((await fetch(s.url + '/api/v1/stats/quotes?area=12')).status, 200);
      } finally {
        await s.stop();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test('two servers get two different free ports with --port 0', async () => {
    const [a, b] = await Promise.all([startServer({ demo: false }), startServer({ demo: false })]);
    try {
      assert.notEqual(a.port, b.port);
      assert.equal((await fetch(a.url + '/healthz')).status, 200);
      assert.equal((await fetch(b.url + '/healthz')).status, 200);
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
  });
});
