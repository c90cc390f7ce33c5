// `ourvoice user`: add, list, disable, enable and reset staff accounts from the command line,
// run as a black box on a fresh database (`ourvoice init --demo` with the default data folder).
// Checks the exit codes (0 done, 1 failed, 2 usage), what is printed once (passwords, TOTP
// secrets), that `list` never shows a hash or a secret, that every change and nothing else
// lands in the audit log, and, against a real server, that the accounts sign in as printed.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { BIN, REPO, createDatabase, startServer } from './harness.mjs';

const SANITIZER_REPORT = /AddressSanitizer|LeakSanitizer|runtime error:/;

function childEnv() {
  const env = { ...process.env };
  env.ASAN_OPTIONS ??= 'detect_leaks=1:abort_on_error=0:halt_on_error=1';
  env.UBSAN_OPTIONS ??= 'print_stacktrace=1:halt_on_error=1';
  env.LSAN_OPTIONS ??= `suppressions=${path.join(REPO, 'tests', 'lsan.supp')}:print_suppressions=0`;
  delete env.OURVOICE_DB; // every call names its database
  delete env.OURVOICE_KEYS;
  return env;
}

// What a database needs besides its name (the key file of a PostgreSQL one).
const envOf = new Map();

/** Runs `ourvoice ...args` with `input` on stdin; returns {status, stdout, stderr}. */
function ourvoice(args, { input = '' } = {}) {
  const db = args[args.indexOf('--db') + 1];
  const env = { ...childEnv(), ...(args.includes('--db') ? envOf.get(db) : {}) };
  const res = spawnSync(BIN, args, { input, env, encoding: 'utf8', timeout: 60000 });
  assert.equal(res.error, undefined, `ourvoice ${args.join(' ')}: ${res.error}`);
  assert.doesNotMatch(res.stderr, SANITIZER_REPORT, `the sanitizers reported:\n${res.stderr}`);
  return { status: res.status, stdout: res.stdout, stderr: res.stderr };
}

/** `ourvoice user ...args`, asserting the exit status. */
function user(db, verb, args = [], { input, status = 0 } = {}) {
  const res = ourvoice(['user', verb, '--db', db, ...args], { input });
  assert.equal(res.status, status, `user ${verb} ${args.join(' ')}:\n${res.stdout}${res.stderr}`);
  return res;
}

/** `ourvoice user list` as rows keyed by the header (columns are 2+ spaces apart). */
function list(db) {
  const { stdout } = user(db, 'list');
  const lines = stdout.trimEnd().split('\n');
  const head = lines[0].split(/ {2,}/);
  assert.deepEqual(head, ['LOGIN', 'NAME', 'ROLE', 'OFFICE', 'ACTIVE', '2FA']);
  const rows = lines.slice(1).map((l) => {
    const cells = l.split(/ {2,}/);
    assert.equal(cells.length, head.length, `row: ${l}`);
    return Object.fromEntries(head.map((h, i) => [h, cells[i]]));
  });
  return { stdout, rows, row: (login) => rows.find((r) => r.LOGIN === login) };
}

/** The audit log's length, from `ourvoice audit verify` (which also checks the chain). */
function auditEntries(db) {
  const res = ourvoice(['audit', 'verify', '--db', db]);
  assert.equal(res.status, 0, res.stdout + res.stderr);
  const m = /audit log intact: (\d+) entries/.exec(res.stdout);
  assert.ok(m, res.stdout);
  return Number(m[1]);
}

/** What `user add`/`reset` printed once. */
function secrets(stdout) {
  const password = /^password: +(\S+)$/m.exec(stdout)?.[1] ?? null;
  const secret = /^totp secret: +(\S+)$/m.exec(stdout)?.[1] ?? null;
  const uri = /^totp uri: +(\S+)$/m.exec(stdout)?.[1] ?? null;
  return { password, secret, uri };
}

function base32Decode(s) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0;
  let value = 0;
  const out = [];
  for (const c of s) {
    const v = alphabet.indexOf(c);
    assert.ok(v >= 0, `not base32: ${s}`);
    value = (value << 5) | v;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

/** RFC 6238 (SHA1, 6 digits, 30 s) in JavaScript, independent of the C code. */
function totp(secretBase32, seconds = Date.now() / 1000) {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(seconds / 30)));
  const h = createHmac('sha1', base32Decode(secretBase32)).update(counter).digest();
  const o = h[h.length - 1] & 15;
  return String((h.readUInt32BE(o) & 0x7fffffff) % 1000000).padStart(6, '0');
}

const URI =
  /^otpauth:\/\/totp\/Our%20Voice:([^?]+)\?secret=([A-Z2-7]{32})&issuer=Our%20Voice&algorithm=SHA1&digits=6&period=30$/;

function expectEnrolment(stdout, login) {
  const s = secrets(stdout);
  assert.match(s.secret ?? '', /^[A-Z2-7]{32}$/, stdout);
  assert.equal(base32Decode(s.secret).length, 20);
  const m = URI.exec(s.uri ?? '');
  assert.ok(m, `uri: ${s.uri}`);
  assert.equal(m[1], login);
  assert.equal(m[2], s.secret);
  return s;
}

let dir;
let db;
let dropDb;

before(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'ourvoice-user-'));
  let dbEnv;
  ({ db, env: dbEnv, drop: dropDb } = await createDatabase(dir, 'u.db'));
  envOf.set(db, dbEnv);
  const init = ourvoice(['init', '--db', db, '--demo']);
  assert.equal(init.status, 0, init.stdout + init.stderr);
});
after(async () => {
  await dropDb?.();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('the JavaScript TOTP used below matches RFC 6238', () => {
  const rfc = Buffer.from('12345678901234567890');
  const b32 = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
  assert.deepEqual(base32Decode(b32), rfc);
  assert.equal(totp(b32, 59), '287082');
  assert.equal(totp(b32, 1111111109), '081804');
  assert.equal(totp(b32, 2000000000), '279037');
});

describe('user add', () => {
  test('an officer with a generated password, printed once, no second factor', () => {
    const n = auditEntries(db);
    const { stdout, stderr } = user(db, 'add', [
      '--login', 'officer.t1', '--name', 'Sok Dara', '--role', 'officer', '--office', 'C-120101',
    ]);
    assert.equal(stderr, '');
    assert.match(stdout, /^created officer\.t1: officer at C-120101\n/);
    const s = secrets(stdout);
    assert.match(s.password ?? '', /^[A-Za-z0-9]{16}$/, stdout);
    assert.equal(s.secret, null);
    assert.equal(s.uri, null);
    assert.deepEqual(list(db).row('officer.t1'), {
      LOGIN: 'officer.t1', NAME: 'Sok Dara', ROLE: 'officer', OFFICE: 'C-120101',
      ACTIVE: 'yes', '2FA': 'no',
    });
    assert.equal(auditEntries(db), n + 1);
  });

  test('two generated passwords differ', () => {
    const a = user(db, 'add', ['--login', 'head.t1', '--name', 'H', '--role', 'head', '--office', 'C-120101']);
    const b = user(db, 'add', ['--login', 'head.t2', '--name', 'H', '--role', 'head', '--office', 'C-120101']);
    assert.notEqual(secrets(a.stdout).password, secrets(b.stdout).password);
  });

  test('an ombudsman always gets a second factor: its URI and secret are printed once', () => {
    const { stdout } = user(db, 'add', [
      '--login', 'ombudsman.t1', '--name', 'សុខ ស្រីមុំ', '--role', 'ombudsman', '--office', 'DO-1201',
    ]);
    assert.match(stdout, /^created ombudsman\.t1: ombudsman at DO-1201, with a second factor\n/);
    expectEnrolment(stdout, 'ombudsman.t1');
    assert.match(secrets(stdout).password ?? '', /^[A-Za-z0-9]{16}$/);
    const row = list(db).row('ombudsman.t1');
    assert.equal(row.NAME, 'សុខ ស្រីមុំ');
    assert.equal(row['2FA'], 'yes');
  });

  test('provincial and national admins get one too; a national admin sits at MOI', () => {
    const p = user(db, 'add', [
      '--login', 'padmin.t1', '--name', 'P', '--role', 'provincial_admin', '--office', 'OWSU-12',
    ]);
    expectEnrolment(p.stdout, 'padmin.t1');
    const n = user(db, 'add', ['--login', 'admin.t1', '--name', 'N', '--role', 'national_admin']);
    expectEnrolment(n.stdout, 'admin.t1');
    const l = list(db);
    assert.deepEqual([l.row('padmin.t1').OFFICE, l.row('padmin.t1')['2FA']], ['OWSU-12', 'yes']);
    assert.deepEqual([l.row('admin.t1').OFFICE, l.row('admin.t1')['2FA']], ['MOI', 'yes']);
  });

  test('--password-stdin takes the first line and prints no password; --totp enrols anyone', () => {
    const { stdout } = user(
      db,
      'add',
      ['--login', 'analyst.t1', '--name', 'A', '--role', 'analyst', '--password-stdin', '--totp'],
      { input: 'a long enough password\nsecond line ignored\n' },
    );
    assert.match(stdout, /^created analyst\.t1: analyst, with a second factor\n/);
    assert.equal(secrets(stdout).password, null);
    assert.doesNotMatch(stdout, /a long enough password/);
    expectEnrolment(stdout, 'analyst.t1');
    assert.deepEqual(list(db).row('analyst.t1'), {
      LOGIN: 'analyst.t1', NAME: 'A', ROLE: 'analyst', OFFICE: '-', ACTIVE: 'yes', '2FA': 'yes',
    });
  });

  test('two secrets differ', () => {
    const a = user(db, 'add', ['--login', 'ccwc.t1', '--name', 'C', '--role', 'ccwc', '--office', 'C-120101', '--totp']);
    const b = user(db, 'add', ['--login', 'ccwc.t2', '--name', 'C', '--role', 'ccwc', '--office', 'C-120101', '--totp']);
    assert.notEqual(expectEnrolment(a.stdout, 'ccwc.t1').secret, expectEnrolment(b.stdout, 'ccwc.t2').secret);
  });
});

describe('user add refuses bad input and changes nothing', () => {
  const base = ['--name', 'N', '--role', 'officer', '--office', 'C-120101'];
  const cases = [
    // [what, args (after `user add --db DB`), stdin, status, stderr]
    ['a login with capitals', ['--login', 'Bad.Login', ...base], '', 2, /bad login/],
    ['a one-letter login', ['--login', 'x', ...base], '', 2, /bad login/],
    ['a login with a space', ['--login', 'a b', ...base], '', 2, /bad login/],
    ['a 65-character login', ['--login', 'a'.repeat(65), ...base], '', 2, /bad login/],
    ['an unknown role', ['--login', 'e.1', '--name', 'N', '--role', 'wizard', '--office', 'C-120101'], '', 2, /unknown role.*wizard/],
    ['a missing office', ['--login', 'e.1', '--name', 'N', '--role', 'officer'], '', 2, /officer needs --office/],
    ['an unknown office', ['--login', 'e.1', '--name', 'N', '--role', 'officer', '--office', 'NOPE-1'], '', 2, /unknown office: NOPE-1/],
    ['an ombudsman at a commune', ['--login', 'e.1', '--name', 'N', '--role', 'ombudsman', '--office', 'C-120101'], '', 2, /ombudsman office/],
    ['an analyst with an office', ['--login', 'e.1', '--name', 'N', '--role', 'analyst', '--office', 'MOI'], '', 2, /analyst has no office/],
    ['an empty name', ['--login', 'e.1', '--name', '', '--role', 'analyst'], '', 2, /bad name/],
    ['a name with a line break', ['--login', 'e.1', '--name', 'A\nB', '--role', 'analyst'], '', 2, /bad name/],
    ['a short password', ['--login', 'e.1', ...base, '--password-stdin'], 'short\n', 2, /shorter than 10/],
    ['a 9-character password', ['--login', 'e.1', ...base, '--password-stdin'], '123456789\n', 2, /shorter than 10/],
    ['no password on stdin', ['--login', 'e.1', ...base, '--password-stdin'], '', 2, /nothing on standard input/],
    ['4 Khmer characters (12 bytes) as a password', ['--login', 'e.1', ...base, '--password-stdin'], 'ក'.repeat(4) + '\n', 2, /shorter than 10 characters/],
    ['a 201-byte password before CR LF', ['--login', 'e.1', ...base, '--password-stdin'], 'p'.repeat(201) + '\r\n', 2, /longer than 200 bytes/],
    ['a password with a NUL byte', ['--login', 'e.1', ...base, '--password-stdin'], 'abcdefghij\0klm\n', 2, /NUL byte/],
    ['a 201-character password', ['--login', 'e.1', ...base, '--password-stdin'], 'p'.repeat(201) + '\n', 2, /longer than 200 bytes/],
    ['a taken login', ['--login', 'admin', '--name', 'N', '--role', 'analyst'], '', 1, /login admin is taken/],
    ['no --login', ['--name', 'N', '--role', 'analyst'], '', 2, /needs --login/],
    ['no --name', ['--login', 'e.1', '--role', 'analyst'], '', 2, /needs --name/],
    ['no --role', ['--login', 'e.1', '--name', 'N'], '', 2, /needs --role/],
    ['an unknown option', ['--login', 'e.1', '--name', 'N', '--role', 'analyst', '--bogus'], '', 2, /unknown option.*--bogus/],
    ['an option without its value', ['--login', 'e.1', '--name', 'N', '--role', 'analyst', '--office'], '', 2, /--office/],
    ['a stray argument', ['--login', 'e.1', '--name', 'N', '--role', 'analyst', 'extra'], '', 2, /unexpected argument: extra/],
  ];
  for (const [what, args, input, status, message] of cases) {
    test(what, () => {
      const before_ = list(db).stdout;
      const entries = auditEntries(db);
      const res = user(db, 'add', args, { input, status });
      assert.match(res.stderr, message);
      assert.equal(res.stdout, '');
      assert.equal(list(db).stdout, before_);
      assert.equal(auditEntries(db), entries);
    });
  }

  test('a 200-byte password is accepted (CR LF is not part of it), and 10 Khmer characters', () => {
    user(db, 'add', ['--login', 'long.pw', ...base, '--password-stdin'], { input: 'p'.repeat(200) + '\r\n' });
    user(db, 'add', ['--login', 'khmer.pw', ...base, '--password-stdin'], { input: 'ក'.repeat(10) });
    assert.ok(list(db).row('long.pw'));
    assert.ok(list(db).row('khmer.pw'));
  });
});

describe('user list', () => {
  test('shows every account, sorted by login, and never a hash, a password or a secret', () => {
    const printed = [];
    for (const [login, role, office] of [
      ['zz.list1', 'officer', 'C-120101'],
      ['zz.list2', 'ombudsman', 'PO-12'],
    ]) {
      const { stdout } = user(db, 'add', ['--login', login, '--name', 'L', '--role', role, '--office', office]);
      const s = secrets(stdout);
      printed.push(s.password, ...(s.secret ? [s.secret, s.uri] : []));
    }
    const { stdout, rows } = list(db);
    const logins = rows.map((r) => r.LOGIN);
    assert.deepEqual(logins, [...logins].sort());
    for (const demo of ['admin', 'analyst', 'officer.120101', 'ombudsman.1201', 'padmin.12']) {
      assert.ok(logins.includes(demo), demo);
    }
    assert.equal(rows.find((r) => r.LOGIN === 'analyst').OFFICE, '-');
    for (const r of rows) {
      assert.ok(['yes', 'no'].includes(r.ACTIVE), r.ACTIVE);
      assert.ok(['yes', 'no'].includes(r['2FA']), r['2FA']);
    }
    assert.doesNotMatch(stdout, /\$argon2|otpauth|secret|password/i);
    for (const p of printed) assert.ok(!stdout.includes(p), 'a printed secret shows in the list');
  });

  test('takes only --db', () => {
    const res = user(db, 'list', ['--login', 'admin'], { status: 2 });
    assert.match(res.stderr, /--login does not apply to `ourvoice user list`/);
    const noDb = ourvoice(['user', 'list']);
    assert.equal(noDb.status, 2);
    assert.match(noDb.stderr, /needs --db/);
  });

  test('a missing database is a failure, and is not created', () => {
    const missing = path.join(dir, 'missing.db');
    const res = ourvoice(['user', 'list', '--db', missing]);
    assert.equal(res.status, 1);
    assert.match(res.stderr, /no database at .*missing\.db/);
    assert.equal(existsSync(missing), false, 'the file was created');
  });
});

describe('user disable and enable', () => {
  test('disable, disable again, enable, enable again', () => {
    user(db, 'add', ['--login', 'toggle.t1', '--name', 'T', '--role', 'officer', '--office', 'C-120101']);
    const n = auditEntries(db);
    assert.equal(user(db, 'disable', ['--login', 'toggle.t1']).stdout, 'disabled toggle.t1\n');
    assert.equal(list(db).row('toggle.t1').ACTIVE, 'no');
    assert.equal(auditEntries(db), n + 1);
    assert.match(user(db, 'disable', ['--login', 'toggle.t1']).stdout, /already disabled/);
    assert.equal(auditEntries(db), n + 1, 'no change, no entry');
    assert.equal(user(db, 'enable', ['--login', 'toggle.t1']).stdout, 'enabled toggle.t1\n');
    assert.equal(list(db).row('toggle.t1').ACTIVE, 'yes');
    assert.match(user(db, 'enable', ['--login', 'toggle.t1']).stdout, /already enabled/);
    assert.equal(auditEntries(db), n + 2);
  });

  test('an unknown login fails; a missing --login or an extra option is a usage error', () => {
    for (const verb of ['disable', 'enable']) {
      assert.match(user(db, verb, ['--login', 'nobody'], { status: 1 }).stderr, /no account with login nobody/);
      assert.match(user(db, verb, [], { status: 2 }).stderr, /needs --login/);
      assert.match(user(db, verb, ['--login', 'admin', '--totp'], { status: 2 }).stderr, /--totp does not apply/);
    }
  });
});

describe('user reset', () => {
  test('a new generated password; the second factor is kept', () => {
    const add = user(db, 'add', ['--login', 'reset.t1', '--name', 'R', '--role', 'officer', '--office', 'C-120101', '--totp']);
    const old = secrets(add.stdout);
    const n = auditEntries(db);
    const { stdout } = user(db, 'reset', ['--login', 'reset.t1']);
    assert.match(stdout, /^reset reset\.t1: new password, failed sign-ins cleared\n/);
    const s = secrets(stdout);
    assert.match(s.password ?? '', /^[A-Za-z0-9]{16}$/);
    assert.notEqual(s.password, old.password);
    assert.equal(s.secret, null);
    assert.equal(list(db).row('reset.t1')['2FA'], 'yes');
    assert.equal(auditEntries(db), n + 1);
  });

  test('--password-stdin prints no password; --totp prints a new secret', () => {
    const add = user(db, 'add', ['--login', 'reset.t2', '--name', 'R', '--role', 'officer', '--office', 'C-120101', '--totp']);
    const old = secrets(add.stdout);
    const n = auditEntries(db);
    const { stdout } = user(db, 'reset', ['--login', 'reset.t2', '--password-stdin', '--totp'], {
      input: 'another good password\n',
    });
    assert.match(stdout, /new password \(from standard input\).*new second factor/);
    assert.equal(secrets(stdout).password, null);
    const s = expectEnrolment(stdout, 'reset.t2');
    assert.notEqual(s.secret, old.secret);
    assert.equal(auditEntries(db), n + 2, 'staff_reset and staff_totp_reset');
  });

  test('an ombudsman keeps a second factor through a reset, and gets one if it had none', () => {
    // `init --demo` may or may not have enrolled its ombudsman: both paths end enrolled
    const had = list(db).row('ombudsman.12')['2FA'];
    const { stdout } = user(db, 'reset', ['--login', 'ombudsman.12']);
    if (had === 'no') expectEnrolment(stdout, 'ombudsman.12');
    else assert.equal(secrets(stdout).secret, null, stdout);
    assert.equal(list(db).row('ombudsman.12')['2FA'], 'yes');
  });

  test('refusals', () => {
    const entries = auditEntries(db);
    assert.match(user(db, 'reset', ['--login', 'nobody'], { status: 1 }).stderr, /no account with login nobody/);
    assert.match(
      user(db, 'reset', ['--login', 'reset.t1', '--password-stdin'], { input: 'short\n', status: 2 }).stderr,
      /shorter than 10/,
    );
    assert.match(user(db, 'reset', ['--login', 'reset.t1', '--role', 'head'], { status: 2 }).stderr, /--role does not apply/);
    assert.match(
      user(db, 'reset', ['--login', 'reset.t1', '--totp', '--keys', path.join(dir, 'no.keys')], { status: 1 }).stderr,
      /key file/,
    );
    assert.equal(auditEntries(db), entries);
  });
});

describe('ourvoice user', () => {
  test('--help, no verb, an unknown verb, and no command that prints a TOTP code', () => {
    const help = ourvoice(['user', '--help']);
    assert.equal(help.status, 0);
    assert.match(help.stdout, /ourvoice user add/);
    assert.match(help.stdout, /ourvoice user reset/);
    assert.equal(ourvoice(['user', 'add', '--help']).status, 0);
    assert.equal(ourvoice(['user']).status, 2);
    for (const verb of ['totp-code', 'code', 'show', 'delete']) {
      const res = ourvoice(['user', verb, '--db', db, '--login', 'admin']);
      assert.equal(res.status, 2, verb);
      assert.match(res.stderr, /unknown user command/);
      assert.equal(res.stdout, '');
    }
    assert.match(ourvoice(['--help']).stdout, /^ {2}user /m);
  });
});

describe('accounts made by `ourvoice user` sign in', () => {
  let server;
  let sdb;
  before(async () => {
    server = await startServer();
    sdb = server.db;
    envOf.set(sdb, server.env.OURVOICE_KEYS ? { OURVOICE_KEYS: server.env.OURVOICE_KEYS } : {});
  });
  after(async () => {
    await server?.stop();
  });

  const login = (body) =>
    fetch(`${server.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  async function expectStatus(res, status, code) {
    const text = await res.text();
    assert.equal(res.status, status, text);
    if (code) assert.equal(JSON.parse(text).error.code, code);
    return JSON.parse(text);
  }

  test('password and the code of the printed secret; not without the code or with a wrong one', async () => {
    const { stdout } = user(sdb, 'add', ['--login', 'om.signin', '--name', 'O', '--role', 'ombudsman', '--office', 'DO-1201']);
    const { password, secret } = expectEnrolment(stdout, 'om.signin');
    await expectStatus(await login({ login: 'om.signin', password }), 401, 'totp_required');
    const now = Date.now() / 1000;
    const wrong = String((Number(totp(secret, now)) + 1) % 1000000).padStart(6, '0');
    await expectStatus(await login({ login: 'om.signin', password, totp: wrong }), 401, 'invalid_credentials');
    const me = await expectStatus(await login({ login: 'om.signin', password, totp: totp(secret) }), 200);
    assert.equal(me.user.login, 'om.signin');
    assert.equal(me.user.totp, true);
  });

  test('a password from stdin (CR LF stripped); disabled cannot, enabled can again', async () => {
    user(sdb, 'add', ['--login', 'off.signin', '--name', 'O', '--role', 'officer', '--office', 'C-120101', '--password-stdin'], {
      input: 'pass word from stdin\r\n',
    });
    const password = 'pass word from stdin';
    await expectStatus(await login({ login: 'off.signin', password }), 200);
    user(sdb, 'disable', ['--login', 'off.signin']);
    await expectStatus(await login({ login: 'off.signin', password }), 401, 'invalid_credentials');
    user(sdb, 'enable', ['--login', 'off.signin']);
    await expectStatus(await login({ login: 'off.signin', password }), 200);
  });

  test('reset: the old password stops working and the sign-in brake is lifted', async () => {
    const add = user(sdb, 'add', ['--login', 'braked.t1', '--name', 'B', '--role', 'officer', '--office', 'C-120101']);
    const old = secrets(add.stdout).password;
    let braked = false;
    for (let i = 0; i < 10 && !braked; i++) {
      const res = await login({ login: 'braked.t1', password: 'wrong password ' + i });
      assert.ok([401, 429].includes(res.status), `status ${res.status}`);
      braked = res.status === 429;
      await res.text();
    }
    assert.ok(braked, 'the account was never braked');
    await expectStatus(await login({ login: 'braked.t1', password: old }), 429, 'rate_limited');
    const { password } = secrets(user(sdb, 'reset', ['--login', 'braked.t1']).stdout);
    await expectStatus(await login({ login: 'braked.t1', password: old }), 401, 'invalid_credentials');
    await expectStatus(await login({ login: 'braked.t1', password }), 200);
  });
});
