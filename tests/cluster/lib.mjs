// Shared helpers of the cluster tests: the throwaway PostgreSQL cluster (tools/pg-cluster.sh),
// fresh databases in it, psql, `ourvoice init` on a URL, nginx round-robin in front of several
// nodes (its configuration written into a temporary folder), and a webhook receiver standing
// in for the SMS gateway. Everything listens on loopback only.
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

import { BIN, REPO, demoAccounts } from '../api/harness.mjs';

const run = promisify(execFile);
const SANITIZER_REPORT = /AddressSanitizer|LeakSanitizer|runtime error:/;
export const PG_CLUSTER = path.join(REPO, 'tools', 'pg-cluster.sh');
const PSQL = process.env.OURVOICE_PG_BIN ? path.join(process.env.OURVOICE_PG_BIN, 'psql') : '/usr/lib/postgresql/15/bin/psql';
const NGINX = process.env.NGINX || '/usr/sbin/nginx';

/** tools/pg-cluster.sh ARGS → its stdout, trimmed. */
export async function pgCluster(...args) {
  const { stdout } = await run(PG_CLUSTER, args, { maxBuffer: 1 << 20 });
  return stdout.trim();
}

/**
 * Starts the cluster if needed (with a streaming replica when asked) and creates an empty
 * database. Resolves {url, name, replicaUrl (null without replica), drop()}.
 */
export async function freshDatabase({ replica = false } = {}) {
  await pgCluster('start', ...(replica ? ['--replica'] : []));
  const url = await pgCluster('newdb');
  const name = new URL(url).pathname.slice(1);
  let replicaUrl = null;
  if (replica) {
    const r = new URL(await pgCluster('replica-url'));
    r.pathname = `/${name}`;
    replicaUrl = r.toString();
    await pgCluster('wait-replay');
  }
  async function drop() {
    const admin = new URL(url);
    admin.pathname = '/postgres';
    await psql(admin.toString(), `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  }
  return { url, name, replicaUrl, drop };
}

/** Runs SQL (no values: the tests' own constants) → rows as arrays of strings. */
export async function psql(url, sql) {
  const { stdout } = await run(PSQL, ['-X', '-q', '-A', '-t', '-F', '\t', '-v', 'ON_ERROR_STOP=1', '-d', url, '-c', sql], {
    maxBuffer: 16 << 20,
  });
  return stdout.split('\n').filter((l) => l !== '').map((l) => l.split('\t'));
}

/** One number from SQL. */
export async function psqlNumber(url, sql) {
  const rows = await psql(url, sql);
  return Number(rows[0][0]);
}

/** The environment of the ourvoice children (sanitizer settings as tests/run.sh sets them). */
export function childEnv(extra = {}) {
  const env = { ...process.env, ...extra };
  env.OURVOICE_STATS_CACHE ??= '0'; // figures read right after each change
  env.ASAN_OPTIONS ??= 'detect_leaks=1:abort_on_error=0:halt_on_error=1';
  env.UBSAN_OPTIONS ??= 'print_stacktrace=1:halt_on_error=1';
  env.LSAN_OPTIONS ??= `suppressions=${path.join(REPO, 'tests', 'lsan.supp')}:print_suppressions=0`;
  return env;
}

/** `ourvoice ARGS` → {stdout, stderr, code} (no throw on a non-zero exit). */
export async function ourvoiceRun(args, env = childEnv()) {
  try {
    const { stdout, stderr } = await run(BIN, args, { env, maxBuffer: 64 << 20 });
    assert.doesNotMatch(stderr, SANITIZER_REPORT, `ourvoice ${args[0]}:\n${stderr}`);
    return { stdout, stderr, code: 0 };
  } catch (e) {
    if (typeof e.code !== 'number') throw e;
    assert.doesNotMatch(e.stderr ?? '', SANITIZER_REPORT, `ourvoice ${args[0]}:\n${e.stderr}`);
    return { stdout: e.stdout ?? '', stderr: e.stderr ?? '', code: e.code };
  }
}

/** `ourvoice init --demo` on a database URL with its own key file → the demo accounts. */
export async function initDemo(url, keys) {
  const out = await ourvoiceRun(['init', '--db', url, '--keys', keys, '--demo']);
  assert.equal(out.code, 0, `init on ${url}:\n${out.stderr}`);
  return demoAccounts(out.stdout);
}

/** A free loopback TCP port (for programs that cannot take port 0, like nginx). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** The nginx configuration: round-robin over the nodes, keep-alive to them, loopback. */
export function nginxConf(dir, port, nodePorts) {
  const servers = nodePorts.map((p) => `    server 127.0.0.1:${p};`).join('\n');
  // started by root, the workers would otherwise switch to nobody, who cannot use the folder
  const user = process.getuid?.() === 0 ? 'user root;\n' : '';
  return `# written by tests/cluster/lib.mjs for one test run
${user}daemon off;
worker_processes 2;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  client_max_body_size 25m;
  upstream ourvoice {
${servers}
    keepalive 32;
  }
  server {
    listen 127.0.0.1:${port};
    location / {
      proxy_pass http://ourvoice;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto $scheme;
    }
  }
}
`;
}

/** Starts nginx in front of the nodes. Resolves {url, port, stop()}. */
export async function startNginx(nodePorts) {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'ourvoice-nginx-'));
  const port = await freePort();
  const conf = path.join(dir, 'nginx.conf');
  await writeFile(conf, nginxConf(dir, port, nodePorts));
  for (const d of ['body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) await mkdir(path.join(dir, d));
  const proc = spawn(NGINX, ['-p', dir, '-c', conf, '-e', path.join(dir, 'error.log')], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  proc.stderr.setEncoding('utf8');
  proc.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise((resolve) => proc.on('exit', (code, signal) => resolve({ code, signal })));
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    try {
      const res = await fetch(`${url}/healthz`);
      await res.arrayBuffer();
      if (res.status === 200) break;
    } catch {
      /* not up yet */
    }
    if (i > 100 || proc.exitCode !== null) {
      proc.kill('SIGKILL');
      await rm(dir, { recursive: true, force: true });
      throw new Error(`nginx did not start:\n${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  async function stop() {
    if (proc.exitCode === null) proc.kill('SIGQUIT');
    const timer = setTimeout(() => proc.kill('SIGKILL'), 10000);
    await exited;
    clearTimeout(timer);
    await rm(dir, { recursive: true, force: true });
  }
  return { url, port, stop };
}

/** A webhook receiver that records every JSON document and answers 200 after delayMs. */
export async function startReceiver({ delayMs = 0 } = {}) {
  const received = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      let doc = null;
      try {
        doc = JSON.parse(body);
      } catch {
        /* kept as null; the tests check every document */
      }
      received.push(doc);
      setTimeout(() => res.writeHead(200, { 'Content-Type': 'text/plain' }).end('ok'), delayMs);
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}/notify`,
    received,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

/** Runs fn over items with at most `limit` calls in flight; resolves their results in order. */
export async function pool(items, limit, fn) {
  const out = new Array(items.length);
  let next = 0;
  async function worker() {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i], i);
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/** POST JSON → {status, text, json}. */
export async function post(url, body, headers = {}) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    /* not JSON: the caller asserts on text */
  }
  return { status: res.status, text, json };
}
