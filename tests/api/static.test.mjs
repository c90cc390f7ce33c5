// Static files of the web apps: content types, ETag/304, gzip, folder redirects, dotfiles and path traversal.
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { gunzipSync } from 'node:zlib';

import { expectError, expectSecurityHeaders, rawGet, startServer } from './harness.mjs';

const SECRET = 'SECRET-MARKER-7f3a9c outside the web folder';
const INDEX = '<!doctype html><html lang="km"><title>សំឡេងយើង</title><p>Our Voice</p></html>\n';
const APP = Array.from({ length: 200 }, (_, i) => `export const line${i} = 'សួស្តី ${i}';\n`).join('');
const STAFF = '<!doctype html><title>Staff</title>\n';
const CSS = 'body { font-family: "Noto Sans Khmer", sans-serif; }\n';

let server;
let port;
let root;

before(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'ourvoice-web-'));
  const web = path.join(root, 'web');
  await mkdir(path.join(web, 'citizen', 'help'), { recursive: true });
  await mkdir(path.join(web, 'staff'), { recursive: true });
  await mkdir(path.join(web, 'common'), { recursive: true });
  await writeFile(path.join(web, 'citizen', 'index.html'), INDEX);
  await writeFile(path.join(web, 'citizen', 'app.js'), APP);
  await writeFile(path.join(web, 'citizen', 'help', 'index.html'), INDEX);
  await writeFile(path.join(web, 'citizen', '.env'), SECRET);
  await writeFile(path.join(web, 'staff', 'index.html'), STAFF);
  await writeFile(path.join(web, 'common', 'style.css'), CSS);
  await writeFile(path.join(root, 'secret.txt'), SECRET);
  server = await startServer({ args: ['--web', web] });
  port = server.port;
});
after(async () => {
  await server?.stop();
  if (root) await rm(root, { recursive: true, force: true });
});

function expectStatic(res) {
  expectSecurityHeaders(res);
  assert.equal(res.headers.get('cache-control'), 'no-cache');
  assert.match(res.headers.get('etag') ?? '', /^"[0-9a-f]+(-gz)?"$/);
}

describe('files', () => {
  test('/ serves citizen/index.html', async () => {
    for (const target of ['/', '/index.html']) {
      const res = await rawGet(port, target);
      assert.equal(res.status, 200, target);
      assert.equal(res.headers.get('content-type'), 'text/html; charset=utf-8');
      assert.equal(res.body.toString('utf8'), INDEX);
      expectStatic(res);
    }
  });

  test('the other apps and content types', async () => {
    const staff = await rawGet(port, '/staff/');
    assert.equal(staff.status, 200);
    assert.equal(staff.body.toString(), STAFF);
    expectStatic(staff);
    const css = await rawGet(port, '/common/style.css');
    assert.equal(css.status, 200);
    assert.equal(css.headers.get('content-type'), 'text/css; charset=utf-8');
    assert.equal(css.body.toString(), CSS);
    const js = await rawGet(port, '/app.js');
    assert.equal(js.headers.get('content-type'), 'text/javascript; charset=utf-8');
    assert.equal(js.body.toString('utf8'), APP);
    assert.equal(Number(js.headers.get('content-length')), Buffer.byteLength(APP));
  });

  test('a folder named without its slash redirects to it', async () => {
    for (const [target, location] of [['/staff', '/staff/'], ['/help', '/help/']]) {
      const res = await rawGet(port, target);
      assert.equal(res.status, 301, target);
      assert.equal(res.headers.get('location'), location);
      expectSecurityHeaders(res);
    }
    const help = await rawGet(port, '/help/');
    assert.equal(help.body.toString(), INDEX);
  });

  test('HEAD gives the headers without the body', async () => {
    const res = await rawGet(port, '/app.js', { method: 'HEAD' });
    assert.equal(res.status, 200);
    assert.equal(res.body.length, 0);
    expectStatic(res);
  });

  test('unknown files and dotfiles are 404 not_found', async () => {
    for (const target of ['/nope.js', '/.env', '/staff/.env', '/citizen/index.html', '/app.js/', '/index.html/x']) {
      const res = await rawGet(port, target);
      await expectError(res, 404, 'not_found');
      assert.doesNotMatch(res.body.toString(), /SECRET-MARKER/);
    }
  });
});

describe('ETag and 304', () => {
  test('If-None-Match with the ETag gives 304 with no body and the same headers', async () => {
    const first = await rawGet(port, '/index.html');
    const etag = first.headers.get('etag');
    const res = await rawGet(port, '/index.html', { headers: { 'If-None-Match': etag } });
    assert.equal(res.status, 304);
    assert.equal(res.body.length, 0);
    assert.equal(res.headers.get('etag'), etag);
    expectStatic(res);
  });

  test('fetch revalidates the same way', async () => {
    const first = await fetch(server.url + '/app.js');
    await first.arrayBuffer();
    const etag = first.headers.get('etag');
    const res = await fetch(server.url + '/app.js', { headers: { 'If-None-Match': etag } });
    assert.equal(res.status, 304);
    assert.equal((await res.arrayBuffer()).byteLength, 0);
    expectSecurityHeaders(res);
  });

  test('another ETag, a list that has it, and *', async () => {
    const etag = (await rawGet(port, '/index.html')).headers.get('etag');
    assert.equal((await rawGet(port, '/index.html', { headers: { 'If-None-Match': '"0000000000000000"' } })).status, 200);
    assert.equal((await rawGet(port, '/index.html', { headers: { 'If-None-Match': `"abc", ${etag}` } })).status, 304);
    assert.equal((await rawGet(port, '/index.html', { headers: { 'If-None-Match': '*' } })).status, 304);
  });

  test('the same content has the same ETag across files; different content a different one', async () => {
    const a = (await rawGet(port, '/index.html')).headers.get('etag');
    const b = (await rawGet(port, '/help/')).headers.get('etag');
    const c = (await rawGet(port, '/staff/')).headers.get('etag');
    assert.equal(a, b);
    assert.notEqual(a, c);
  });
});

describe('gzip', () => {
  test('a large text file is sent gzipped when the client accepts it', async () => {
    const res = await rawGet(port, '/app.js', { headers: { 'Accept-Encoding': 'gzip, deflate, br' } });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-encoding'), 'gzip');
    assert.equal(res.headers.get('vary'), 'Accept-Encoding');
    assert.equal(res.headers.get('content-type'), 'text/javascript; charset=utf-8');
    assert.match(res.headers.get('etag'), /^"[0-9a-f]+-gz"$/);
    assert.ok(res.body.length < Buffer.byteLength(APP), 'smaller than the file');
    assert.equal(Number(res.headers.get('content-length')), res.body.length);
    assert.equal(gunzipSync(res.body).toString('utf8'), APP);
    expectStatic(res);
  });

  test('without Accept-Encoding, or with gzip;q=0, the file is sent as is, with Vary', async () => {
    const gz = await rawGet(port, '/app.js', { headers: { 'Accept-Encoding': 'gzip' } });
    for (const headers of [{}, { 'Accept-Encoding': 'gzip;q=0' }, { 'Accept-Encoding': 'identity' }, { 'Accept-Encoding': 'br' }]) {
      const res = await rawGet(port, '/app.js', { headers });
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('content-encoding'), null, JSON.stringify(headers));
      assert.equal(res.headers.get('vary'), 'Accept-Encoding');
      assert.equal(res.body.toString('utf8'), APP);
      assert.notEqual(res.headers.get('etag'), gz.headers.get('etag'));
    }
  });

  test('the gzip ETag revalidates the gzip variant only', async () => {
    const gz = await rawGet(port, '/app.js', { headers: { 'Accept-Encoding': 'gzip' } });
    const etag = gz.headers.get('etag');
    const again = await rawGet(port, '/app.js', { headers: { 'Accept-Encoding': 'gzip', 'If-None-Match': etag } });
    assert.equal(again.status, 304);
    assert.equal(again.body.length, 0);
    assert.equal(again.headers.get('etag'), etag);
    expectSecurityHeaders(again);
    const plain = await rawGet(port, '/app.js', { headers: { 'If-None-Match': etag } });
    assert.equal(plain.status, 200);
    assert.equal(plain.body.toString('utf8'), APP);
  });

  test('a small file is not compressed', async () => {
    const res = await rawGet(port, '/index.html', { headers: { 'Accept-Encoding': 'gzip' } });
    assert.equal(res.headers.get('content-encoding'), null);
    assert.equal(res.body.toString('utf8'), INDEX);
  });

  test('fetch decompresses it to the same bytes', async () => {
    const res = await fetch(server.url + '/app.js');
    assert.equal(res.headers.get('content-encoding'), 'gzip');
    assert.equal(await res.text(), APP);
  });
});

describe('path traversal (raw request targets, nothing normalised)', () => {
  const targets = [
    '/../../etc/passwd',
    '/%2e%2e/%2e%2e/etc/passwd',
    '/..%2f..%2fetc%2fpasswd',
    '/staff/../../../etc/passwd',
    '/../secret.txt',
    '/%2e%2e/secret.txt',
    '/%2E%2E/secret.txt',
    '/..%2fsecret.txt',
    '/.%2e/secret.txt',
    '/staff/../../secret.txt',
    '/staff/%2e%2e/%2e%2e/secret.txt',
    '/common/..%2f..%2fsecret.txt',
    '/..%5c..%5csecret.txt',
    '//etc/passwd',
    '/./index.html/../../secret.txt',
    '/%252e%252e/secret.txt',
  ];
  for (const target of targets) {
    test(`GET ${target} is 404 and carries no file`, async () => {
      const res = await rawGet(port, target);
      await expectError(res, 404, 'not_found');
      const body = res.body.toString('latin1');
      assert.doesNotMatch(body, /root:|SECRET-MARKER|<html/i);
    });
  }

  test('the traversal targets also fail on the API prefix', async () => {
    for (const target of ['/api/v1/../../etc/passwd', '/api/v1/%2e%2e/%2e%2e/etc/passwd', '/api/v1/areas/..%2f..%2f..%2fetc%2fpasswd']) {
      const res = await rawGet(port, target);
      await expectError(res, 404, 'not_found');
      assert.doesNotMatch(res.body.toString('latin1'), /root:/);
    }
  });
});
