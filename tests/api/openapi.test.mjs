// docs/openapi.yaml against the route table (src/api/routes.c): every route is there once,
// under its path and method, naming its handler and its access level, and nothing else is.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';

import { REPO } from './harness.mjs';

const METHODS = { GET: 'get', POST: 'post', DEL: 'delete', PUT: 'put', PATCH: 'patch' };

async function routeTable() {
  const text = await readFile(path.join(REPO, 'src', 'api', 'routes.c'), 'utf8');
  const rows = [...text.matchAll(/\{(GET|POST|DEL|PUT|PATCH), "([^"]+)", (h_\w+), (ACCESS_\w+),/g)];
  return rows.map(([, method, p, handler, access]) => ({
    key: `${METHODS[method]} ${p.replace(/:(\w+)/g, '{$1}')}`, handler, access,
  }));
}

// The operations of the document: path (two-space indent), method (four), then the
// operation's x-handler and x-access.
async function operations() {
  const text = await readFile(path.join(REPO, 'docs', 'openapi.yaml'), 'utf8');
  const ops = [];
  let inPaths = false, where = null, op = null;
  for (const line of text.split('\n')) {
    if (/^paths:/.test(line)) { inPaths = true; continue; }
    if (inPaths && /^\S/.test(line)) break;
    let m;
    if ((m = /^  (\/\S*):\s*$/.exec(line))) where = m[1];
    else if ((m = /^    (get|post|put|patch|delete):\s*$/.exec(line))) ops.push((op = { key: `${m[1]} ${where}` }));
    else if (op && (m = /^      x-handler: (\S+)/.exec(line))) op.handler = m[1];
    else if (op && (m = /^      x-access: (\S+)/.exec(line))) op.access = m[1];
  }
  return ops;
}

test('every route of src/api/routes.c is in docs/openapi.yaml once, and nothing else', async () => {
  const routes = await routeTable();
  const ops = await operations();
  assert.ok(routes.length >= 50, `${routes.length} routes read`);
  const byKey = new Map();
  for (const op of ops) {
    assert.ok(!byKey.has(op.key), `${op.key} is in the document twice`);
    byKey.set(op.key, op);
  }
  for (const r of routes) {
    const op = byKey.get(r.key);
    assert.ok(op, `${r.key} (${r.handler}) is not in docs/openapi.yaml`);
    assert.equal(op.handler, r.handler, `${r.key}: x-handler`);
    assert.equal(op.access, r.access, `${r.key}: x-access`);
  }
  const routeKeys = new Set(routes.map((r) => r.key));
  for (const op of ops) assert.ok(routeKeys.has(op.key), `${op.key} is documented but not routed`);
});
