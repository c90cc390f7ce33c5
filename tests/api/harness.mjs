// Shared helpers of the API tests: start and stop a real server, raw HTTP over a socket,
// and the checks every error and every response must pass.
import assert from 'node:assert/strict';
import { spawn, execFile } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import { mkdtemp, rm, readFile } from 'node:fs/promises';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const BIN = process.env.OURVOICE_BIN || path.join(REPO, 'build', 'ourvoice');
export const GAZETTEER = '/work/shared/data/gazetteer';

const run = promisify(execFile);
const SANITIZER_REPORT = /AddressSanitizer|LeakSanitizer|runtime error:/;

// OURVOICE_TEST_DB_URL=postgresql://user@host:port/db runs the suite on PostgreSQL: every
// server gets a fresh database of that cluster (created through `db`, dropped when the
// server stops) and a key file in its folder. Unset: a SQLite file per server.
export const TEST_DB_URL = process.env.OURVOICE_TEST_DB_URL || '';
export const ENGINE = TEST_DB_URL ? 'postgres' : 'sqlite';
const keyFiles = new Map(); // PostgreSQL URL → the key file made for it

function psql(url, sql) {
  return run('psql', ['-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-d', url, '-c', sql], {
    maxBuffer: 16 << 20,
  });
}

/**
 * A fresh, empty database for one test: {db (a file path or a URL), env (what `ourvoice`
 * needs to use it: the key file for PostgreSQL), drop() (removes a PostgreSQL database;
 * files go with their folder)}. `name` is the SQLite file's name in `dir`.
 */
export async function createDatabase(dir, name = 't.db') {
  if (!TEST_DB_URL) return { db: path.join(dir, name), env: {}, drop: async () => {} };
  const dbName = `ov_${process.pid}_${randomBytes(6).toString('hex')}`;
  await psql(TEST_DB_URL, `CREATE DATABASE ${dbName}`);
  const url = new URL(TEST_DB_URL);
  url.pathname = `/${dbName}`;
  const db = url.toString();
  const keys = path.join(dir, `${name}.keys`);
  keyFiles.set(db, keys);
  return {
    db,
    env: { OURVOICE_KEYS: keys },
    drop: async () => {
      keyFiles.delete(db);
      await psql(TEST_DB_URL, `DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    },
  };
}

/** A PostgreSQL test database as pg_dump writes it (schema and data, plain SQL) → Buffer. */
export async function dumpDatabase(db) {
  const { stdout } = await run('pg_dump', ['--no-owner', '-d', db], {
    encoding: 'buffer',
    maxBuffer: 256 << 20,
  });
  return stdout;
}

/** Runs SQL on a test database (sqlite3 or psql) → its output, one row a line, `|` between
 * columns. For checks from outside the server only. */
export async function dbQuery(db, sql) {
  const { stdout } = TEST_DB_URL ? await psql(db, sql) : await run('sqlite3', [db, sql]);
  return stdout;
}

// Sanitizer settings as tests/run.sh sets them, unless the caller set their own; statistics
// read right after each change, so not kept (the reply cache has its own test).
function childEnv() {
  const env = { ...process.env };
  env.OURVOICE_STATS_CACHE ??= '0';
  env.ASAN_OPTIONS ??= 'detect_leaks=1:abort_on_error=0:halt_on_error=1';
  env.UBSAN_OPTIONS ??= 'print_stacktrace=1:halt_on_error=1';
  env.LSAN_OPTIONS ??= `suppressions=${path.join(REPO, 'tests', 'lsan.supp')}:print_suppressions=0`;
  return env;
}

/**
 * Initialises a fresh database in a temporary folder and starts `ourvoice serve` on a free
 * port. The reference data is the project's data/ folder (or OURVOICE_DATA, which
 * `ourvoice init` reads itself).
 *   demo: create the demo offices and staff; args: more arguments for serve;
 *   testHooks: pass --test-hooks (the default).
 * Returns {url, port, dir, db, proc, stop(signal) → {code, signal, stderr}, stderr(),
 * dropDatabase() (for callers that end the process themselves; stop() does it)}.
 */
export async function startServer({ demo = true, args = [], testHooks = true, env: extraEnv = {} } = {}) {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'ourvoice-api-'));
  const { db, env: dbEnv, drop } = await createDatabase(dir);
  const env = { ...childEnv(), ...dbEnv, ...extraEnv };
  let initOut = '';
  try {
    const init = await run(BIN, ['init', '--db', db, ...(demo ? ['--demo'] : [])], {
      env,
      maxBuffer: 16 << 20,
    });
    assert.doesNotMatch(init.stderr, SANITIZER_REPORT, `init reported:\n${init.stderr}`);
    initOut = init.stdout;
  } catch (e) {
    await drop();
    await rm(dir, { recursive: true, force: true });
    throw new Error(`ourvoice init failed: ${e.message}\n${e.stderr ?? ''}`);
  }

  const serveArgs = ['serve', '--db', db, '--port', '0', '--loops', '2'];
  if (testHooks) serveArgs.push('--test-hooks');
  serveArgs.push(...args);
  const proc = spawn(BIN, serveArgs, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  let stdout = '';
  proc.stderr.setEncoding('utf8');
  proc.stderr.on('data', (d) => (stderr += d));
  proc.stdout.setEncoding('utf8');
  const exited = new Promise((resolve) =>
    proc.on('exit', (code, signal) => resolve({ code, signal })),
  );

  let url;
  try {
    url = await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('the server did not start in 15 s')), 15000);
      proc.stdout.on('data', (d) => {
        stdout += d;
        const m = /listening on (http:\/\/\S+)\n/.exec(stdout);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]);
        }
      });
      exited.then(({ code, signal }) => {
        clearTimeout(timer);
        reject(new Error(`the server exited (code ${code}, signal ${signal}) before listening`));
      });
    });
  } catch (e) {
    proc.kill('SIGKILL');
    await exited;
    await drop();
    await rm(dir, { recursive: true, force: true });
    throw new Error(`${e.message}\nstderr:\n${stderr}`);
  }

  let stopped = null;
  // inspect: an async function(dir) called after the process exited and before its
  // folder (database, key file) is removed — only on the first call of stop.
  async function stop(signal = 'SIGTERM', { inspect } = {}) {
    if (!stopped) {
      stopped = (async () => {
        if (proc.exitCode === null && proc.signalCode === null) proc.kill(signal);
        const timer = setTimeout(() => proc.kill('SIGKILL'), 40000);
        const { code, signal: by } = await exited;
        clearTimeout(timer);
        try {
          if (inspect) await inspect(dir);
        } finally {
          await drop();
          await rm(dir, { recursive: true, force: true });
        }
        return { code, signal: by, stderr };
      })();
    }
    const result = await stopped;
    assert.equal(result.signal, null, `the server was killed by ${result.signal}:\n${stderr}`);
    assert.equal(result.code, 0, `the server exited with ${result.code}:\n${stderr}`);
    assert.doesNotMatch(stderr, SANITIZER_REPORT, `the sanitizers reported:\n${stderr}`);
    return result;
  }

  const port = Number(new URL(url).port);
  return {
    url, port, dir, db, proc, exited, stop, stderr: () => stderr, dropDatabase: drop,
    passwords: demoPasswords(initOut), accounts: demoAccounts(initOut), env,
  };
}

/**
 * Starts `ourvoice serve` on an existing database (e.g. again after startServer's process
 * was killed) and waits until it listens. The folder is not removed: the caller owns it.
 * Returns {url, port, proc, exited, stderr(), stop(signal) → {code, signal, stderr}}, where
 * stop asserts a clean exit (code 0, no signal, no sanitizer report) like startServer's.
 */
export async function serveDatabase(db, { args = [], testHooks = true, env: extraEnv = {} } = {}) {
  const keys = keyFiles.get(db);
  const env = { ...childEnv(), ...(keys ? { OURVOICE_KEYS: keys } : {}), ...extraEnv };
  const serveArgs = ['serve', '--db', db, '--port', '0', '--loops', '2'];
  if (testHooks) serveArgs.push('--test-hooks');
  serveArgs.push(...args);
  const proc = spawn(BIN, serveArgs, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  let stdout = '';
  proc.stderr.setEncoding('utf8');
  proc.stderr.on('data', (d) => (stderr += d));
  proc.stdout.setEncoding('utf8');
  const exited = new Promise((resolve) => proc.on('exit', (code, signal) => resolve({ code, signal })));
  let url;
  try {
    url = await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('the server did not start in 15 s')), 15000);
      proc.stdout.on('data', (d) => {
        stdout += d;
        const m = /listening on (http:\/\/\S+)\n/.exec(stdout);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]);
        }
      });
      exited.then(({ code, signal }) => {
        clearTimeout(timer);
        reject(new Error(`the server exited (code ${code}, signal ${signal}) before listening`));
      });
    });
  } catch (e) {
    proc.kill('SIGKILL');
    await exited;
    throw new Error(`${e.message}\nstderr:\n${stderr}`);
  }
  async function stop(signal = 'SIGTERM') {
    if (proc.exitCode === null && proc.signalCode === null) proc.kill(signal);
    const timer = setTimeout(() => proc.kill('SIGKILL'), 40000);
    const { code, signal: by } = await exited;
    clearTimeout(timer);
    assert.equal(by, null, `the server was killed by ${by}:\n${stderr}`);
    assert.equal(code, 0, `the server exited with ${code}:\n${stderr}`);
    assert.doesNotMatch(stderr, SANITIZER_REPORT, `the sanitizers reported:\n${stderr}`);
    return { code, signal: by, stderr };
  }
  return { url, port: Number(new URL(url).port), proc, exited, stop, stderr: () => stderr, env };
}

/** Runs `ourvoice ARGS` to completion → {stdout, stderr}; rejects on a non-zero exit. */
export async function ourvoice(args, { env } = {}) {
  const out = await run(BIN, args, { env: env ?? childEnv(), maxBuffer: 16 << 20 });
  assert.doesNotMatch(out.stderr, SANITIZER_REPORT, `ourvoice ${args[0]} reported:\n${out.stderr}`);
  return out;
}

/**
 * The demo accounts as `ourvoice init --demo` printed them, including those with a second
 * factor (which demoPasswords leaves out): {login: {role, office, password, secret|null}}.
 */
export function demoAccounts(initStdout) {
  const out = {};
  for (const line of initStdout.split('\n')) {
    const m = /^ {2}(\S+)\s+(\S+)\s+(\S+)\s+(\S+)(?:\s+totp secret\s+([A-Z2-7]+))?\s*$/.exec(line);
    if (m && !line.includes('(exists')) {
      out[m[1]] = { role: m[2], office: m[3] === '-' ? null : m[3], password: m[4], secret: m[5] ?? null };
    }
  }
  return out;
}

/** The demo accounts' passwords as `ourvoice init --demo` printed them: {login: password}. */
export function demoPasswords(initStdout) {
  const out = {};
  for (const line of initStdout.split('\n')) {
    const m = /^ {2}(\S+)\s+(\S+)\s+(\S+)\s+(\S+)$/.exec(line);
    if (m && !line.includes('(exists')) out[m[1]] = m[4];
  }
  return out;
}

/**
 * Sends `data` (a string or Buffer, sent as is) over a new TCP connection and reads one
 * response. Resolves {status, reason, headers (a Headers), rawHeaders ([name, value] in
 * order), body (Buffer), closed (the server closed the connection), raw (all the bytes
 * received, including any later responses)}. With waitClose it
 * also waits (up to the timeout) for the server to close the connection; with head the
 * response has no body whatever Content-Length says.
 */
export function rawRequest(port, data, { waitClose = false, head = false, timeout = 5000 } = {}) {
  return new Promise((resolve, reject) => {
    const sock = net.connect({ host: '127.0.0.1', port });
    let buf = Buffer.alloc(0);
    let all = Buffer.alloc(0); // every byte received, for checks across responses
    let response = null;
    let done = false;
    const timer = setTimeout(() => {
      if (response && waitClose) return finish(false);
      fail(new Error(`no complete response in ${timeout} ms; got:\n${buf.toString('latin1')}`));
    }, timeout);

    function fail(err) {
      if (done) return;
      done = true;
      clearTimeout(timer);
      sock.destroy();
      reject(err);
    }
    function finish(closed) {
      if (done) return;
      done = true;
      clearTimeout(timer);
      sock.destroy();
      resolve({ ...response, closed, raw: all });
    }
    function parse(atEnd) {
      if (!response) {
        const end = buf.indexOf('\r\n\r\n');
        if (end < 0) return;
        const lines = buf.subarray(0, end).toString('utf8').split('\r\n');
        const m = /^HTTP\/1\.[01] (\d{3}) ?(.*)$/.exec(lines[0]);
        if (!m) return fail(new Error(`not an HTTP response: ${lines[0]}`));
        const rawHeaders = lines.slice(1).map((l) => {
          const i = l.indexOf(':');
          return [l.slice(0, i).trim(), l.slice(i + 1).trim()];
        });
        const headers = new Headers();
        for (const [k, v] of rawHeaders) headers.append(k, v);
        response = { status: Number(m[1]), reason: m[2], headers, rawHeaders, body: null };
        buf = buf.subarray(end + 4);
      }
      if (response.body === null) {
        const { status, headers } = response;
        if (head || status === 204 || status === 304 || (status >= 100 && status < 200)) {
          response.body = Buffer.alloc(0);
        } else if (/chunked/i.test(headers.get('transfer-encoding') ?? '')) {
          const chunks = [];
          let at = 0;
          for (;;) {
            const eol = buf.indexOf('\r\n', at);
            if (eol < 0) return;
            const size = parseInt(buf.subarray(at, eol).toString('latin1'), 16);
            if (Number.isNaN(size)) return fail(new Error('bad chunk size in the response'));
            if (size === 0) {
              if (buf.indexOf('\r\n', eol + 2) < 0) return;
              break;
            }
            if (buf.length < eol + 2 + size + 2) return;
            chunks.push(buf.subarray(eol + 2, eol + 2 + size));
            at = eol + 2 + size + 2;
          }
          response.body = Buffer.concat(chunks);
        } else if (headers.has('content-length')) {
          const n = Number(headers.get('content-length'));
          if (buf.length < n) return;
          response.body = buf.subarray(0, n);
        } else {
          if (!atEnd) return; // delimited by the close
          response.body = buf;
        }
      }
      if (!waitClose || atEnd) finish(atEnd);
    }

    sock.on('data', (d) => {
      buf = Buffer.concat([buf, d]);
      all = Buffer.concat([all, d]);
      parse(false);
    });
    sock.on('end', () => {
      if (!response || response.body === null) parse(true);
      if (!response) return fail(new Error(`the connection closed with no response:\n${buf}`));
      finish(true);
    });
    sock.on('error', (err) => {
      if (response && response.body !== null) finish(true);
      else fail(err);
    });
    sock.write(data);
  });
}

/** A GET (or other method) over a raw socket with the exact target bytes, closing after. */
export function rawGet(port, target, { method = 'GET', headers = {}, ...opts } = {}) {
  const lines = [`${method} ${target} HTTP/1.1`, 'Host: 127.0.0.1', 'Connection: close'];
  for (const [k, v] of Object.entries(headers)) lines.push(`${k}: ${v}`);
  return rawRequest(port, lines.join('\r\n') + '\r\n\r\n', { head: method === 'HEAD', ...opts });
}

/** Resolves to the error code of a connection attempt (e.g. 'ECONNREFUSED'), or 'connected'. */
export function tryConnect(port) {
  return new Promise((resolve) => {
    const sock = net.connect({ host: '127.0.0.1', port });
    sock.on('connect', () => {
      sock.destroy();
      resolve('connected');
    });
    sock.on('error', (err) => resolve(err.code));
  });
}

function headerOf(res, name) {
  return res.headers.get(name);
}

/**
 * The headers every response carries; `api` adds Cache-Control: no-store (API answers and
 * errors).
 */
export function expectSecurityHeaders(res, { api = false, cacheable = false } = {}) {
  const csp = headerOf(res, 'content-security-policy');
  assert.ok(csp, 'Content-Security-Policy is missing');
  const directives = new Map(
    csp
      .split(';')
      .map((d) => d.trim())
      .filter(Boolean)
      .map((d) => {
        const [k, ...v] = d.split(/\s+/);
        return [k.toLowerCase(), v];
      }),
  );
  assert.deepEqual(directives.get('frame-ancestors'), ["'none'"], `CSP: ${csp}`);
  assert.deepEqual(directives.get('script-src'), ["'self'"], `CSP: ${csp}`);
  assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/, `CSP: ${csp}`);
  assert.equal(headerOf(res, 'x-content-type-options'), 'nosniff');
  assert.equal(headerOf(res, 'referrer-policy'), 'no-referrer');
  assert.match(headerOf(res, 'x-request-id') ?? '', /^[0-9a-f]{16}$/, 'X-Request-Id');
  // public aggregates (area lists, statistics) may be kept by browsers and proxies a while;
  // everything else of the API must not be kept at all
  if (api && cacheable) assert.match(headerOf(res, 'cache-control'), /^(no-store|public, max-age=\d+)$/);
  else if (api) assert.equal(headerOf(res, 'cache-control'), 'no-store');
}

/** Paths whose answers are public aggregates, cacheable (reply_cache.h). */
const CACHEABLE = /^\/api\/v1\/(areas(\?|$)|stats(\?|$))/;

/** The body of a fetch Response or a rawRequest result, as text. */
export async function bodyText(res) {
  if (typeof res.text === 'function') return res.text();
  return res.body.toString('utf8');
}

/**
 * Checks an error answer: the status, a JSON content type, exactly
 * {"error":{"code","message","field"}} with the code and field (null unless given), and
 * the security headers. Returns the parsed body.
 */
export async function expectError(res, status, code, field = null) {
  const text = await bodyText(res);
  assert.equal(res.status, status, `status of ${text}`);
  assert.match(headerOf(res, 'content-type') ?? '', /^application\/json(;|$)/);
  const doc = JSON.parse(text);
  assert.deepEqual(Object.keys(doc), ['error']);
  assert.deepEqual(Object.keys(doc.error).sort(), ['code', 'field', 'message']);
  assert.equal(doc.error.code, code);
  assert.equal(doc.error.field, field);
  assert.equal(typeof doc.error.message, 'string');
  assert.ok(doc.error.message.length > 0, 'an empty message');
  expectSecurityHeaders(res, { api: true });
  return doc;
}

/** GET path → parsed JSON, asserting 200, a JSON content type and the API headers. */
export async function getJson(base, pathAndQuery, init = {}) {
  const res = await fetch(base + pathAndQuery, init);
  const text = await res.text();
  assert.equal(res.status, 200, `${pathAndQuery}: ${text}`);
  assert.match(res.headers.get('content-type') ?? '', /^application\/json(;|$)/);
  expectSecurityHeaders(res, { api: true, cacheable: CACHEABLE.test(pathAndQuery) });
  return JSON.parse(text);
}

/** Parses a small CSV (RFC 4180 quoting) into objects keyed by the header row. */
export function parseCsv(text) {
  const rows = [];
  let row = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') field += '"', i++;
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') row.push(field), (field = '');
    else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field), rows.push(row), (row = []), (field = '');
    } else field += c;
  }
  if (field || row.length) row.push(field), rows.push(row);
  const [head, ...body] = rows.filter((r) => r.length > 1 || r[0] !== '');
  const names = head.map((h) => h.replace(/^\uFEFF/, ''));
  return body.map((r) => Object.fromEntries(names.map((n, i) => [n, r[i] ?? ''])));
}

export async function readCsv(file) {
  return parseCsv(await readFile(file, 'utf8'));
}

/** The reference data folder `ourvoice init` loaded: OURVOICE_DATA or the project's data/. */
export const DATA_DIR = process.env.OURVOICE_DATA || path.join(REPO, 'data');

// ---- helpers for the case tests (citizens, staff, second factor, clock) ----

/**
 * Runs `ourvoice user ARGS --db DB` against a started server's database, writing `input` to
 * its standard input. Resolves {stdout, stderr, secret (base32 TOTP secret or null)}.
 */
export function ourvoiceUser(server, args, input = '') {
  return new Promise((resolve, reject) => {
    const child = execFile(BIN, ['user', ...args, '--db', server.db], { env: server.env ?? childEnv() },
      (err, stdout, stderr) => {
        if (err) return reject(new Error(`ourvoice user ${args.join(' ')}: ${err.message}\n${stderr}`));
        assert.doesNotMatch(stderr, SANITIZER_REPORT, `user reported:\n${stderr}`);
        const m = /^totp secret:\s*([A-Z2-7]+)\s*$/m.exec(stdout);
        resolve({ stdout, stderr, secret: m ? m[1] : null });
      });
    child.stdin.end(input);
  });
}

/** Decodes RFC 4648 base32 (no padding needed). */
export function base32Decode(text) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0, value = 0;
  const out = [];
  for (const c of text.replace(/=+$/, '').toUpperCase()) {
    const i = alphabet.indexOf(c);
    if (i < 0) throw new Error(`not base32: ${c}`);
    value = (value << 5) | i;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 255);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

/** The RFC 6238 code (HMAC-SHA1, 30 s steps, 6 digits) of a base32 secret at `ms`. */
export function totpCode(secretBase32, ms = Date.now()) {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(ms / 1000 / 30)));
  const mac = createHmac('sha1', base32Decode(secretBase32)).update(counter).digest();
  const off = mac[mac.length - 1] & 15;
  const n = (mac.readUInt32BE(off) & 0x7fffffff) % 1_000_000;
  return String(n).padStart(6, '0');
}

/**
 * Gives a staff account a known password (and, with totp, a new second factor) through
 * `ourvoice user reset`. Resolves {login, password, secret}.
 */
export async function resetStaff(server, login, { totp = false } = {}) {
  const password = `pw-${randomBytes(9).toString('hex')}`;
  const { secret } = await ourvoiceUser(server,
    ['reset', '--login', login, '--password-stdin', ...(totp ? ['--totp'] : [])], `${password}\n`);
  if (totp) assert.ok(secret, `no TOTP secret printed for ${login}`);
  return { login, password, secret };
}

/** Creates a staff account through `ourvoice user add`. Resolves {login, password, secret}. */
export async function addStaff(server, { login, name = login, role, office, totp = false }) {
  const password = `pw-${randomBytes(9).toString('hex')}`;
  const args = ['add', '--login', login, '--name', name, '--role', role, '--password-stdin'];
  if (office) args.push('--office', office);
  if (totp) args.push('--totp');
  const { secret } = await ourvoiceUser(server, args, `${password}\n`);
  return { login, password, secret };
}

/** A signed-in staff member: keeps the session cookie and the CSRF token. */
export class Staff {
  constructor(base, { cookie, csrf, user }) {
    Object.assign(this, { base, cookie, csrf, user });
  }

  /** fetch with the session cookie (and, for anything but GET/HEAD, the CSRF token). */
  request(pathAndQuery, { method = 'GET', body, headers = {}, csrf = true } = {}) {
    const h = { Cookie: `ov_session=${this.cookie}`, ...headers };
    if (body !== undefined) h['Content-Type'] = 'application/json';
    if (csrf && method !== 'GET' && method !== 'HEAD' && !('X-CSRF-Token' in headers)) h['X-CSRF-Token'] = this.csrf;
    return fetch(this.base + pathAndQuery, {
      method, headers: h, body: body === undefined ? undefined : JSON.stringify(body),
    });
  }

  /** GET → parsed JSON; asserts 200. */
  async get(pathAndQuery) {
    return getJson(this.base, pathAndQuery, { headers: { Cookie: `ov_session=${this.cookie}` } });
  }

  /** GET /api/v1/cases/CASE → the case; asserts 200. */
  case(number) {
    return this.get(`/api/v1/cases/${encodeURIComponent(number)}`);
  }

  /** POST /api/v1/cases/CASE/actions → the raw Response. */
  action(number, body, opts = {}) {
    return this.request(`/api/v1/cases/${encodeURIComponent(number)}/actions`, { method: 'POST', body, ...opts });
  }

  /** An action that must succeed → the JSON answer. */
  async act(number, body) {
    const res = await this.action(number, body);
    const text = await res.text();
    assert.equal(res.status, 200, `${this.user.login} ${body.action} on ${number}: ${text}`);
    return JSON.parse(text);
  }
}

/**
 * Signs in through POST /api/v1/auth/login (with a TOTP code computed from `secret` at the
 * server's time, `clockOffset` seconds from ours). Resolves a Staff.
 */
export async function signIn(base, { login, password, secret = null }, { clockOffset = 0 } = {}) {
  const body = { login, password };
  if (secret) body.totp = totpCode(secret, Date.now() + clockOffset * 1000);
  const res = await fetch(base + '/api/v1/auth/login', {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body),
  });
  const text = await res.text();
  assert.equal(res.status, 200, `sign-in of ${login}: ${text}`);
  const m = /(?:^|[;,\s])ov_session=([^;]+)/.exec(res.headers.get('set-cookie') ?? '');
  assert.ok(m, `no session cookie for ${login}`);
  const doc = JSON.parse(text);
  return new Staff(base, { cookie: m[1], csrf: doc.csrf, user: doc.user });
}

/** POST JSON → the raw Response. */
export function postJson(base, pathAndQuery, body, headers = {}) {
  return fetch(base + pathAndQuery, {
    method: 'POST', headers: { 'Content-Type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

/** POST /api/v1/feedback that must give 201 → the parsed answer. */
export async function submitFeedback(base, body) {
  const res = await postJson(base, '/api/v1/feedback', body);
  const text = await res.text();
  assert.equal(res.status, 201, `feedback ${JSON.stringify(body).slice(0, 200)}: ${text}`);
  return JSON.parse(text);
}

/** The citizen side with a track token: exchanged from a receipt, must succeed. */
export async function trackSession(base, receipt) {
  const res = await postJson(base, '/api/v1/track/session', { receipt });
  const text = await res.text();
  assert.equal(res.status, 200, `track session: ${text}`);
  return JSON.parse(text).token;
}

/** A citizen request with a track token → the raw Response. */
export function track(base, token, pathAndQuery = '/api/v1/track', body) {
  const headers = { Authorization: `Bearer ${token}` };
  if (body === undefined) return fetch(base + pathAndQuery, { headers });
  return postJson(base, pathAndQuery, body, headers);
}

/** Moves the server's clock to real time + seconds (test hook). */
export async function setClock(base, seconds) {
  const res = await postJson(base, '/api/v1/_test/clock', { offset_seconds: Math.round(seconds) });
  const text = await res.text();
  assert.equal(res.status, 200, text);
  return JSON.parse(text).now;
}

/** One pass of the deadline job (test hook) → the number of cases escalated. */
export async function runDeadlineJob(base) {
  const res = await postJson(base, '/api/v1/_test/jobs', {});
  const text = await res.text();
  assert.equal(res.status, 200, text);
  return JSON.parse(text).escalated;
}

/**
 * An HTTP request through node:http, for what fetch cannot do (a chosen local source
 * address). Resolves {status, headers (a Headers), body (Buffer)} — usable by expectError.
 */
export function httpRequest(url, { method = 'GET', headers = {}, body, localAddress } = {}) {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
    const h = { ...headers };
    if (data !== undefined) {
      h['Content-Type'] ??= 'application/json';
      h['Content-Length'] = Buffer.byteLength(data);
    }
    const req = http.request(url, { method, headers: h, localAddress, agent: false }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const hs = new Headers();
        for (const [k, v] of Object.entries(res.headers)) {
          for (const one of Array.isArray(v) ? v : [v]) hs.append(k, one);
        }
        resolve({ status: res.statusCode, headers: hs, body: Buffer.concat(chunks) });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(data);
  });
}

/** A valid 1×1 PNG with no metadata, base64. */
export const PNG_1X1 =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';

/** The services offered at an area, one of each office kind: {commune, owso, owsu, all}. */
export async function servicesAt(base, area) {
  const all = await getJson(base, `/api/v1/services?area=${area}`);
  const pick = (kind) => {
    const s = all.find((x) => x.office_kind === kind);
    assert.ok(s, `no ${kind} service at ${area}`);
    return s.code;
  };
  return { commune: pick('commune'), owso: pick('owso'), owsu: pick('owsu'), all };
}

/** The public holidays the server loaded (DATA_DIR/holidays.csv) as a Set of YYYY-MM-DD. */
export async function holidaySet() {
  return new Set((await readCsv(path.join(DATA_DIR, 'holidays.csv'))).map((r) => r.date));
}

const CAMBODIA_MS = 7 * 3600 * 1000; // UTC+7, no daylight saving

/** The Cambodian calendar date (YYYY-MM-DD) of an instant. */
export function cambodianDate(ms) {
  return new Date(ms + CAMBODIA_MS).toISOString().slice(0, 10);
}

/**
 * The deadline `n` working days after an instant as DESIGN §2 defines it: counted in
 * Cambodian dates, skipping Saturdays, Sundays and holidays; the day of receipt does not
 * count; the deadline is the end (local midnight) of the n-th working day. RFC 3339 UTC.
 */
export function workingDayDeadline(ms, n, holidays) {
  let day = new Date(cambodianDate(ms) + 'T00:00:00Z');
  const working = (d) => d.getUTCDay() !== 0 && d.getUTCDay() !== 6 && !holidays.has(d.toISOString().slice(0, 10));
  for (let left = n; left > 0;) {
    day = new Date(day.getTime() + 86400000);
    if (working(day)) left--;
  }
  const endLocal = day.getTime() + 86400000; // local midnight after the n-th working day
  return new Date(endLocal - CAMBODIA_MS).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
