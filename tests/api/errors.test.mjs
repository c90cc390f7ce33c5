// Error answers: their JSON shape and headers, 404/405/413/414/415, body checks (JSON, UTF-8, depth), request framing, Khmer messages, test hooks off.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import {
  expectError,
  expectSecurityHeaders,
  rawGet,
  rawRequest,
  startServer,
} from './harness.mjs';

let server;
let url;
let port;

before(async () => {
  server = await startServer();
  ({ url, port } = server);
});
after(async () => {
  await server?.stop();
});

const ECHO = '/api/v1/_test/echo';
const MiB = 1024 * 1024;

function postJson(body, headers = { 'Content-Type': 'application/json' }) {
  return fetch(url + ECHO, { method: 'POST', headers, body });
}

/** A POST of the echo route over a raw socket: exact body bytes and headers. */
function rawPost(body, { headers = ['Content-Type: application/json'], target = ECHO, ...opts } = {}) {
  const bytes = Buffer.isBuffer(body) ? body : Buffer.from(body);
  const head = [`POST ${target} HTTP/1.1`, 'Host: 127.0.0.1', ...headers].join('\r\n');
  return rawRequest(port, Buffer.concat([Buffer.from(head + '\r\n\r\n'), bytes]), opts);
}

/** A JSON object whose serialisation is exactly n bytes. */
function objectOfSize(n) {
  const s = '{"pad":""}';
  return '{"pad":"' + 'x'.repeat(n - s.length) + '"}';
}

const isKhmer = (s) => /[\u1780-\u17FF]/.test(s) && !/[A-Za-z]{3,}/.test(s.replace(/JSON|UTF-8|application\/json|PDF/g, ''));

describe('the echo test hook (a POST route with a JSON body)', () => {
  test('echoes a JSON object', async () => {
    const doc = { text: 'សួស្តី', n: 1, list: [true, null, { a: 'b' }] };
    const res = await postJson(JSON.stringify(doc));
    assert.equal(res.status, 200);
    expectSecurityHeaders(res, { api: true });
    assert.deepEqual(await res.json(), doc);
  });

  test('accepts application/json with parameters and in any case', async () => {
    for (const type of ['application/json; charset=utf-8', 'Application/JSON', 'application/json;charset=UTF-8']) {
      const res = await postJson('{"a":1}', { 'Content-Type': type });
      assert.equal(res.status, 200, type);
      assert.deepEqual(await res.json(), { a: 1 });
    }
  });
});

describe('404 and 405', () => {
  test('unknown API paths are 404 not_found', async () => {
    for (const p of ['/api/v1/nope', '/api/v2/areas', '/api', '/api/', '/api/v1/areas/12/extra', '/open311/v2/nope', '/api/v1/AREAS'])
      await expectError(await fetch(url + p), 404, 'not_found');
  });

  test('unknown static paths are 404 not_found in JSON too', async () => {
    for (const p of ['/nope.html', '/staff/nope', '/x/y/z.js'])
      await expectError(await fetch(url + p), 404, 'not_found');
  });

  test('a POST to a path that has no route is 404', async () => {
    await expectError(await fetch(url + '/api/v1/nope', { method: 'POST' }), 404, 'not_found');
    await expectError(await fetch(url + '/nope.html', { method: 'POST' }), 404, 'not_found');
  });

  test('a wrong method is 405 with an Allow header', async () => {
    const cases = [
      ['POST', '/api/v1/areas', 'GET, HEAD'],
      ['DELETE', '/api/v1/areas/12', 'GET, HEAD'],
      ['PUT', '/healthz', 'GET, HEAD'],
      ['PATCH', '/api/v1/offices', 'GET, HEAD'],
      ['GET', ECHO, 'POST'],
      ['DELETE', ECHO, 'POST'],
    ];
    for (const [method, p, allow] of cases) {
      const res = await fetch(url + p, { method });
      await expectError(res, 405, 'method_not_allowed');
      assert.equal(res.headers.get('allow'), allow, `${method} ${p}`);
    }
  });

  test('HEAD is answered like GET, without a body', async () => {
    const res = await rawGet(port, '/api/v1/areas', { method: 'HEAD' });
    assert.equal(res.status, 200);
    assert.equal(res.body.length, 0);
    expectSecurityHeaders(res, { api: true, cacheable: true });
  });
});

describe('request bodies', () => {
  test('a body of exactly 1 MiB is accepted', async () => {
    const body = objectOfSize(MiB);
    assert.equal(Buffer.byteLength(body), MiB);
    const res = await postJson(body);
    assert.equal(res.status, 200);
    assert.equal((await res.json()).pad.length, MiB - 10);
  });

  test('a body just above 1 MiB is 413 body_too_large', async () => {
    await expectError(await postJson(objectOfSize(MiB + 1)), 413, 'body_too_large');
  });

  test('a body far above the limit (4 MiB) is 413 body_too_large', async () => {
    await expectError(await postJson(objectOfSize(4 * MiB)), 413, 'body_too_large');
  });

  test('a wrong or missing content type is 415 unsupported_media_type', async () => {
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'application/jsonp', 'application/json-patch+json', 'multipart/form-data; boundary=x'])
      await expectError(await postJson('{"a":1}', { 'Content-Type': type }), 415, 'unsupported_media_type');
    const res = await rawPost('{"a":1}', { headers: ['Content-Length: 7', 'Connection: close'] });
    await expectError(res, 415, 'unsupported_media_type');
  });

  test('the size limit is checked before the content type', async () => {
    await expectError(await postJson(objectOfSize(MiB + 1), { 'Content-Type': 'text/plain' }), 413, 'body_too_large');
  });

  test('malformed JSON is 400 malformed_json', async () => {
    for (const body of ['{"a":', '{a:1}', "{'a':1}", '{"a":1,}', '{"a":1}{"b":2}', '{"a":1,"a":2}', '', '   ', '{"a":NaN}', '{"a":"\\x"}'])
      await expectError(await postJson(body), 400, 'malformed_json');
  });

  test('JSON that is not an object is 400 not_an_object', async () => {
    for (const body of ['[1,2]', '"text"', '12', 'null', 'true'])
      await expectError(await postJson(body), 400, 'not_an_object');
  });

  test('bytes that are not UTF-8 are 400 invalid_utf8', async () => {
    const bodies = [
      Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d]), // {"a":"\xff"}
      Buffer.concat([Buffer.from('{"a":"'), Buffer.from([0xc0, 0xaf]), Buffer.from('"}')]), // overlong '/'
      Buffer.concat([Buffer.from('{"a":"'), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from('"}')]), // a surrogate
      Buffer.concat([Buffer.from('{"a":"'), Buffer.from([0xe1, 0x9e]), Buffer.from('"}')]), // a cut Khmer letter
      Buffer.from([0xff, 0xfe, 0x7b, 0x00, 0x7d, 0x00]), // UTF-16
    ];
    for (const body of bodies) {
      const res = await rawPost(body, { headers: ['Content-Type: application/json', `Content-Length: ${body.length}`, 'Connection: close'] });
      await expectError(res, 400, 'invalid_utf8');
    }
  });

  test('JSON nested 100 deep is 400 too_deep; a few levels are fine', async () => {
    const deep = '{"a":' + '['.repeat(99) + ']'.repeat(99) + '}';
    await expectError(await postJson(deep), 400, 'too_deep');
    const deepObjects = '{"a":'.repeat(100) + '1' + '}'.repeat(100);
    await expectError(await postJson(deepObjects), 400, 'too_deep');
    const res = await postJson('{"a":[[[{"b":[1]}]]]}');
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { a: [[[{ b: [1] }]]] });
  });

  test('brackets inside strings do not count as depth', async () => {
    const doc = { a: '['.repeat(200) + '{'.repeat(200) + '\\"' };
    const res = await postJson(JSON.stringify(doc));
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), doc);
  });

  test('a chunked body is accepted', async () => {
    const body = '{"a":"ខ្មែរ"}';
    const n = Buffer.byteLength(body);
    const res = await rawPost(`${n.toString(16)}\r\n${body}\r\n0\r\n\r\n`, {
      headers: ['Content-Type: application/json', 'Transfer-Encoding: chunked', 'Connection: close'],
    });
    assert.equal(res.status, 200);
    assert.deepEqual(JSON.parse(res.body.toString('utf8')), { a: 'ខ្មែរ' });
  });
});

describe('request framing', () => {
  const smuggled = 'GET /api/v1/areas/12 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n';

  const chunked = '7\r\n{"a":1}\r\n0\r\n\r\n';

  test('Transfer-Encoding together with Content-Length is 400 and the connection is closed', async () => {
    for (const te of ['chunked', 'gzip', 'identity']) {
      const res = await rawPost(chunked, {
        headers: ['Content-Type: application/json', `Transfer-Encoding: ${te}`, `Content-Length: ${chunked.length}`],
        waitClose: true,
      });
      assert.equal(res.status, 400, te);
      assert.equal(res.closed, true, `${te}: the connection stays open`);
      assert.doesNotMatch(res.raw.toString(), /"a":1/);
    }
  });

  test(
    'Transfer-Encoding together with Content-Length is the JSON bad_framing error',
    {
      todo:
        'libevent 2.1.12 (Debian security update) rejects TE+CL itself, before the server sees the ' +
        'request, with its own HTML page and none of our headers; 2.1 has no hook to change that page',
    },
    async () => {
      const res = await rawPost(chunked, {
        headers: ['Content-Type: application/json', 'Transfer-Encoding: chunked', `Content-Length: ${chunked.length}`],
        waitClose: true,
      });
      await expectError(res, 400, 'bad_framing');
    },
  );

  test('an unknown Transfer-Encoding is 400 bad_framing and the connection is closed', async () => {
    for (const te of ['gzip', 'x-custom', 'identity', 'gzip, chunked']) {
      const res = await rawPost(chunked + smuggled, {
        headers: ['Content-Type: application/json', `Transfer-Encoding: ${te}`],
        waitClose: true,
      });
      await expectError(res, 400, 'bad_framing');
      assert.equal(res.headers.get('connection'), 'close', te);
      assert.equal(res.closed, true, `${te}: the connection stays open`);
      assert.doesNotMatch(res.raw.toString(), /"a":1|Phnom Penh/, te);
    }
  });

  test('a Transfer-Encoding whose last coding is not chunked is 400 and the connection is closed', async () => {
    const res = await rawPost(chunked + smuggled, {
      headers: ['Content-Type: application/json', 'Transfer-Encoding: chunked, gzip'],
      waitClose: true,
    });
    assert.equal(res.status, 400);
    assert.equal(res.closed, true);
    assert.doesNotMatch(res.raw.toString(), /"a":1|Phnom Penh/);
  });

  test('Transfer-Encoding: chunked is case-insensitive', async () => {
    const res = await rawPost(chunked, {
      headers: ['Content-Type: application/json', 'Transfer-Encoding: Chunked', 'Connection: close'],
    });
    assert.equal(res.status, 200);
    assert.deepEqual(JSON.parse(res.body.toString()), { a: 1 });
  });

  test('two Content-Length headers are 400 bad_framing: the rest is never read as a request', async () => {
    const body = '{"a":1}' + smuggled;
    const res = await rawPost(body, {
      headers: ['Content-Type: application/json', 'Content-Length: 7', `Content-Length: ${body.length}`],
      waitClose: true,
    });
    await expectError(res, 400, 'bad_framing');
    assert.equal(res.closed, true);
    assert.doesNotMatch(res.raw.toString(), /Phnom Penh/);
    const same = await rawPost('{"a":1}', {
      headers: ['Content-Type: application/json', 'Content-Length: 7', 'Content-Length: 7'],
      waitClose: true,
    });
    await expectError(same, 400, 'bad_framing');
  });

  test('two Transfer-Encoding headers are 400', async () => {
    const res = await rawPost('7\r\n{"a":1}\r\n0\r\n\r\n', {
      headers: ['Content-Type: application/json', 'Transfer-Encoding: chunked', 'Transfer-Encoding: gzip'],
      waitClose: true,
    });
    assert.equal(res.status, 400);
    assert.equal(res.closed, true);
  });

  test('a body on a GET is never read as the next request', async () => {
    const res = await rawRequest(
      port,
      `GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: ${smuggled.length}\r\n\r\n${smuggled}`,
      { waitClose: true, timeout: 1000 },
    );
    assert.notEqual(res.status, 200);
    assert.doesNotMatch(res.raw.toString(), /Phnom Penh/);
    assert.equal(res.raw.toString().match(/^HTTP\/1\.1 /gm).length, 1, 'one answer only');
  });
});

describe('addresses', () => {
  test('a URL over 2048 bytes is 414 uri_too_long', async () => {
    const target = '/api/v1/areas?q=' + 'a'.repeat(2048);
    await expectError(await fetch(url + target), 414, 'uri_too_long');
    await expectError(await rawGet(port, '/' + 'x'.repeat(4000)), 414, 'uri_too_long');
  });

  test('a URL of exactly 2048 bytes is not 414', async () => {
    const target = '/nope?x=' + 'a'.repeat(2048 - '/nope?x='.length);
    assert.equal(target.length, 2048);
    await expectError(await rawGet(port, target), 404, 'not_found');
    await expectError(await rawGet(port, target + 'a'), 414, 'uri_too_long');
  });

  test('a path with a NUL byte or bytes that are not UTF-8 is 400', async () => {
    for (const target of ['/%00', '/api/v1/areas/12%00', '/%ff', '/api/v1/areas/%c0%af'])
      await expectError(await rawGet(port, target), 400, 'bad_request');
  });

  test('a query value that is not UTF-8 is 400 invalid_utf8', async () => {
    await expectError(await fetch(`${url}/api/v1/areas?q=%ff`), 400, 'invalid_utf8', 'q');
    await expectError(await fetch(`${url}/api/v1/areas?parent=%ff`), 400, 'invalid_utf8', 'parent');
  });
});

describe('messages in Khmer', () => {
  test('Accept-Language: km gives the Khmer message, with the same code', async () => {
    const km = await expectError(await fetch(url + '/api/v1/nope', { headers: { 'Accept-Language': 'km' } }), 404, 'not_found');
    assert.equal(km.error.message, 'រកមិនឃើញអ្វីទេ។');
    const en = await expectError(await fetch(url + '/api/v1/nope', { headers: { 'Accept-Language': 'en' } }), 404, 'not_found');
    assert.equal(en.error.message, 'Nothing was found here.');
    const none = await expectError(await fetch(url + '/api/v1/nope'), 404, 'not_found');
    assert.equal(none.error.message, en.error.message);
    const kmKH = await expectError(
      await fetch(url + '/api/v1/nope', { headers: { 'Accept-Language': 'km-KH,km;q=0.9,en;q=0.5' } }),
      404,
      'not_found',
    );
    assert.equal(kmKH.error.message, km.error.message);
  });

  test('every kind of error has a Khmer message', async () => {
    const h = { 'Accept-Language': 'km' };
    const json = { ...h, 'Content-Type': 'application/json' };
    const answers = [
      [await fetch(url + '/api/v1/areas', { method: 'POST', headers: h }), 405, 'method_not_allowed', null],
      [await fetch(url + ECHO, { method: 'POST', headers: json, body: objectOfSize(MiB + 1) }), 413, 'body_too_large', null],
      [await fetch(url + ECHO, { method: 'POST', headers: { ...h, 'Content-Type': 'text/plain' }, body: '{}' }), 415, 'unsupported_media_type', null],
      [await fetch(url + ECHO, { method: 'POST', headers: json, body: '{' }), 400, 'malformed_json', null],
      [await fetch(url + '/api/v1/areas?parent=99', { headers: h }), 400, 'unknown_area', 'parent'],
      [await fetch(url + '/api/v1/offices', { headers: h }), 400, 'missing_field', 'area'],
      [await fetch(url + '/api/v1/areas?q=' + 'a'.repeat(3000), { headers: h }), 414, 'uri_too_long', null],
    ];
    for (const [res, status, code, field] of answers) {
      const doc = await expectError(res, status, code, field);
      assert.ok(isKhmer(doc.error.message), `${code}: ${doc.error.message}`);
    }
  });
});

describe('test hooks', () => {
  test('without --test-hooks the test routes do not exist', async () => {
    const plain = await startServer({ testHooks: false });
    try {
      await expectError(
        await fetch(plain.url + ECHO, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' }),
        404,
        'not_found',
      );
      await expectError(await fetch(plain.url + '/api/v1/_test/sleep?ms=1'), 404, 'not_found');
      assert.equal((await fetch(plain.url + '/healthz')).status, 200);
    } finally {
      await plain.stop();
    }
    assert.doesNotMatch(plain.stderr(), /test_hooks_enabled/);
    assert.match(server.stderr(), /test_hooks_enabled/);
  });

  test('--max-body lowers the limit of JSON bodies', async () => {
    const small = await startServer({ args: ['--max-body', '2048'] });
    try {
      const at = await fetch(small.url + ECHO, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: objectOfSize(2048) });
      assert.equal(at.status, 200);
      await at.text();
      await expectError(
        await fetch(small.url + ECHO, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: objectOfSize(2049) }),
        413,
        'body_too_large',
      );
    } finally {
      await small.stop();
    }
  });

  test('the sleep hook checks its parameter', async () => {
    await expectError(await fetch(url + '/api/v1/_test/sleep'), 400, 'missing_field', 'ms');
    await expectError(await fetch(url + '/api/v1/_test/sleep?ms=abc'), 400, 'out_of_range', 'ms');
    await expectError(await fetch(url + '/api/v1/_test/sleep?ms=10001'), 400, 'out_of_range', 'ms');
    const res = await fetch(url + '/api/v1/_test/sleep?ms=5');
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { status: 'ok', slept_ms: 5 });
  });
});
