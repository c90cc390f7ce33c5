// Staff sign-in for the feedback benchmark (bench/feedback.sh): reads the account lines
// that `ourvoice init --demo` printed, signs each named account in once (computing the
// TOTP code, RFC 6238 with SHA-1, 6 digits, 30 s, when the account has a secret) and prints
// one line per account: LOGIN COOKIE CSRF. Loopback only; the load itself is run by wrk.
//
//   node bench/feedback_auth.mjs URL INIT_OUTPUT LOGIN...
import crypto from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';

const [base, initFile, ...logins] = process.argv.slice(2);
const url = new URL(base);
if (url.hostname !== '127.0.0.1') throw new Error('the benchmark runs on loopback only');

// "  officer.120101  officer  C-120101  PASSWORD" or "... PASSWORD  totp secret BASE32"
const accounts = {};
for (const line of readFileSync(initFile, 'utf8').split('\n')) {
  const m = line.match(/^ {2}(\S+)\s+\S+\s+\S+\s+(\S+)(?:\s+totp secret (\S+))?\s*$/);
  if (m) accounts[m[1]] = { password: m[2], secret: m[3] };
}

function totp(secret, at = Date.now()) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const ch of secret.replace(/=+$/, '').toUpperCase()) {
    const v = alphabet.indexOf(ch);
    if (v < 0) throw new Error('the TOTP secret is not base32');
    bits += v.toString(2).padStart(5, '0');
  }
  const key = Buffer.from((bits.match(/.{8}/g) || []).map((b) => parseInt(b, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(at / 30000)));
  const mac = crypto.createHmac('sha1', key).update(counter).digest();
  const o = mac[mac.length - 1] & 15;
  return String((mac.readUInt32BE(o) & 0x7fffffff) % 1e6).padStart(6, '0');
}

function post(path, body) {
  return new Promise((resolve, reject) => {
    const data = Buffer.from(JSON.stringify(body));
    const req = http.request({
      host: url.hostname, port: url.port, method: 'POST', path, timeout: 10000,
      headers: { 'Content-Type': 'application/json', 'Content-Length': data.length },
    }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers,
        body: Buffer.concat(chunks).toString() }));
    });
    req.on('timeout', () => req.destroy(new Error(`${path}: no answer in 10 s`)));
    req.on('error', reject);
    req.end(data);
  });
}

for (const login of logins) {
  const a = accounts[login];
  if (!a) throw new Error(`${login}: not in the init output`);
  // a code in its last 2 seconds might expire on the way: wait for the next one
  if (a.secret && Date.now() % 30000 > 28000) await new Promise((r) => setTimeout(r, 2100));
  const res = await post('/api/v1/auth/login',
    { login, password: a.password, ...(a.secret ? { totp: totp(a.secret) } : {}) });
  const cookie = (res.headers['set-cookie'] || []).map((c) => c.split(';')[0])
    .find((c) => c.startsWith('ov_session='));
  if (res.status !== 200 || !cookie) throw new Error(`sign-in ${login}: ${res.status} ${res.body}`);
  console.log(`${login} ${cookie} ${JSON.parse(res.body).csrf}`);
}
