// Operations: /healthz, /metrics (Prometheus text: request counters by route, latency histogram, DB errors), request ids and logs, and the security headers on every kind of answer.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { expectError, expectSecurityHeaders, rawGet, startServer } from './harness.mjs';

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

/** Parses Prometheus text: {samples: Map(series → value), types: Map(name → type), help: Set}. */
function parseMetrics(text) {
  const samples = new Map();
  const types = new Map();
  const help = new Set();
  for (const line of text.split('\n')) {
    if (line === '') continue;
    let m;
    if ((m = /^# HELP ([a-zA-Z_:][a-zA-Z0-9_:]*) .+$/.exec(line))) help.add(m[1]);
    else if ((m = /^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped)$/.exec(line)))
      types.set(m[1], m[2]);
    else if ((m = /^([a-zA-Z_:][a-zA-Z0-9_:]*(?:\{[a-zA-Z_][a-zA-Z0-9_]*="[^"\\\n]*"(?:,[a-zA-Z_][a-zA-Z0-9_]*="[^"\\\n]*")*\})?) (\S+)$/.exec(line))) {
      assert.ok(!samples.has(m[1]), `a repeated series: ${m[1]}`);
      const v = m[2] === '+Inf' ? Infinity : Number(m[2]);
      assert.ok(!Number.isNaN(v), `not a number: ${line}`);
      samples.set(m[1], v);
    } else assert.fail(`not Prometheus text: ${JSON.stringify(line)}`);
  }
  return { samples, types, help };
}

async function metrics() {
  const res = await fetch(url + '/metrics');
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'text/plain; version=0.0.4; charset=utf-8');
  expectSecurityHeaders(res, { api: true });
  const text = await res.text();
  assert.ok(text.endsWith('\n'));
  return { text, ...parseMetrics(text) };
}

const series = (route, method, status) =>
  `ourvoice_http_requests_total{route="${route}",method="${method}",status="${status}"}`;

describe('/healthz', () => {
  test('is {"status":"ok"} with the API headers', async () => {
    const res = await fetch(url + '/healthz');
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type'), /^application\/json/);
    expectSecurityHeaders(res, { api: true });
    assert.deepEqual(await res.json(), { status: 'ok' });
  });
});

describe('/metrics', () => {
  test('counts requests by route, method and status', async () => {
    const before = (await metrics()).samples;
    for (let i = 0; i < 3; i++) await (await fetch(url + '/healthz')).text();
    await (await fetch(url + '/api/v1/areas/12')).text();
    await (await fetch(url + '/api/v1/areas/99')).text();
    await (await fetch(url + '/api/v1/nope')).text();
    await (await fetch(url + '/nope.html')).text();
    await (await fetch(url + '/api/v1/areas', { method: 'POST' })).text();
    const { samples, types, help } = await metrics();
    const delta = (s) => (samples.get(s) ?? 0) - (before.get(s) ?? 0);
    assert.equal(types.get('ourvoice_http_requests_total'), 'counter');
    assert.ok(help.has('ourvoice_http_requests_total'));
    assert.equal(delta(series('/healthz', 'GET', 200)), 3);
    assert.equal(delta(series('/api/v1/areas/:code', 'GET', 200)), 1);
    assert.equal(delta(series('/api/v1/areas/:code', 'GET', 404)), 1);
    assert.equal(delta(series('none', '', 404)), 1, 'an unknown API path');
    assert.equal(delta(series('static', '', 404)), 1, 'an unknown file');
    assert.equal(delta(series('none', '', 405)), 1, 'a wrong method');
    for (const key of samples.keys())
      if (key.startsWith('ourvoice_http_requests_total{'))
        assert.match(key, /^ourvoice_http_requests_total\{route="[^"]+",method="[A-Z]*",status="(\d{3}|other)"\}$/);
  });

  test('has the latency histogram, consistent with itself', async () => {
    await (await fetch(url + '/healthz')).text();
    const { samples, types } = await metrics();
    assert.equal(types.get('ourvoice_http_request_duration_seconds'), 'histogram');
    const buckets = [...samples]
      .filter(([k]) => k.startsWith('ourvoice_http_request_duration_seconds_bucket{'))
      .map(([k, v]) => [/le="([^"]+)"/.exec(k)[1], v]);
    assert.ok(buckets.length >= 5);
    assert.equal(buckets.at(-1)[0], '+Inf');
    const bounds = buckets.map(([le]) => (le === '+Inf' ? Infinity : Number(le)));
    for (let i = 1; i < buckets.length; i++) {
      assert.ok(bounds[i] > bounds[i - 1], 'bounds ascend');
      assert.ok(buckets[i][1] >= buckets[i - 1][1], 'counts are cumulative');
    }
    const count = samples.get('ourvoice_http_request_duration_seconds_count');
    const sum = samples.get('ourvoice_http_request_duration_seconds_sum');
    assert.equal(buckets.at(-1)[1], count);
    assert.ok(count >= 1);
    assert.ok(sum >= 0 && sum < count * 10, `sum ${sum}`);
    const total = [...samples]
      .filter(([k]) => k.startsWith('ourvoice_http_requests_total{'))
      .reduce((s, [, v]) => s + v, 0);
    assert.equal(total, count, 'every counted request is in the histogram');
  });

  test('has ourvoice_db_errors_total (0 here) and the in-flight gauge', async () => {
    const { samples, types, text } = await metrics();
    assert.equal(types.get('ourvoice_db_errors_total'), 'counter');
    assert.equal(samples.get('ourvoice_db_errors_total'), 0);
    assert.match(text, /^ourvoice_db_errors_total 0$/m);
    assert.equal(types.get('ourvoice_http_requests_in_flight'), 'gauge');
    assert.equal(samples.get('ourvoice_http_requests_in_flight'), 1, 'the /metrics request itself');
  });

  test('every sample belongs to a metric with HELP and TYPE', async () => {
    const { samples, types, help } = await metrics();
    for (const key of samples.keys()) {
      const name = key.replace(/\{.*$/, '');
      const family = types.has(name) ? name : name.replace(/_(bucket|sum|count)$/, '');
      assert.ok(types.has(family), `no TYPE for ${name}`);
      assert.ok(help.has(family), `no HELP for ${name}`);
    }
  });
});

describe('request ids and logs', () => {
  test('each answer has its own X-Request-Id, and the log line names it', async () => {
    const a = await fetch(url + '/healthz');
    const b = await fetch(url + '/api/v1/nope');
    await a.text();
    await b.text();
    const ida = a.headers.get('x-request-id');
    const idb = b.headers.get('x-request-id');
    assert.notEqual(ida, idb);
    await new Promise((r) => setTimeout(r, 50));
    const log = server.stderr();
    assert.match(log, new RegExp(`event=request rid=${ida} method=GET route=/healthz status=200 `));
    assert.match(log, new RegExp(`event=request rid=${idb} method=GET route=none status=404 `));
  });

  test('the log never holds query values', async () => {
    await (await fetch(url + '/api/v1/areas?q=PRIVATE-QUERY-VALUE')).text();
    await new Promise((r) => setTimeout(r, 50));
    assert.doesNotMatch(server.stderr(), /PRIVATE-QUERY-VALUE/);
  });
});

describe('security headers on every kind of answer', () => {
  test('API 200, errors 400/404/405/413/414/415, HEAD and metrics', async () => {
    const json = { 'Content-Type': 'application/json' };
    const answers = [
      await fetch(url + '/api/v1/areas'),
      await fetch(url + '/healthz'),
      await fetch(url + '/metrics'),
      await fetch(url + '/api/v1/areas?parent=x'),
      await fetch(url + '/api/v1/areas/99'),
      await fetch(url + '/api/v1/areas', { method: 'DELETE' }),
      await fetch(url + '/api/v1/_test/echo', { method: 'POST', headers: json, body: 'x'.repeat(1024 * 1024 + 1) }),
      await fetch(url + '/api/v1/_test/echo', { method: 'POST', body: '{}' }),
      await fetch(url + '/api/v1/areas?q=' + 'a'.repeat(2100)),
      await rawGet(port, '/%00'),
      await rawGet(port, '/healthz', { method: 'HEAD' }),
    ];
    for (const [i, res] of answers.entries()) {
      if (typeof res.text === 'function') await res.text();
      expectSecurityHeaders(res, { api: true, cacheable: i === 0 }); // the area list is public
    }
    assert.equal(answers[0].headers.get('cache-control'), 'public, max-age=60');
  });

  test('the X-Content-Type-Options and the CSP are never doubled', async () => {
    const res = await rawGet(port, '/api/v1/areas/12');
    const count = (name) => res.rawHeaders.filter(([k]) => k.toLowerCase() === name).length;
    for (const name of ['content-security-policy', 'x-content-type-options', 'referrer-policy', 'x-request-id', 'cache-control'])
      assert.equal(count(name), 1, name);
  });

  test('an error is JSON even for a bad request line target', async () => {
    await expectError(await rawGet(port, 'relative/path'), 400, 'bad_request');
  });
});
