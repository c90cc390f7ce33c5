// Load generator for the feedback benchmark (bench/feedback.sh): durable submissions,
// durable writes without a hash (citizen messages, staff notes), receipt checks and the
// inbox query, each at 8 and 64 concurrent clients. Prints one JSON object of results.
import crypto from 'node:crypto';
import http from 'node:http';

const [base, accountsJson, secondsArg] = process.argv.slice(2);
const accounts = JSON.parse(accountsJson);
const SECONDS = Number(secondsArg || 10);
const url = new URL(base);

function request(agent, method, path, body, headers = {}) {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const req = http.request({ host: url.hostname, port: url.port, method, path, agent,
      headers: { ...(data ? { 'Content-Type': 'application/json', 'Content-Length': data.length } : {}), ...headers } },
    (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks).toString() }));
    });
    req.on('error', reject);
    if (data) req.write(data);
    req.end();
  });
}

async function load(concurrency, make) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const latencies = [];
  let errors = 0;
  const end = Date.now() + SECONDS * 1000;
  const started = process.hrtime.bigint();
  await Promise.all(Array.from({ length: concurrency }, async (_, worker) => {
    for (let i = 0; Date.now() < end; i++) {
      const [method, path, body, headers, keep] = make(worker, i);
      const t0 = process.hrtime.bigint();
      const res = await request(agent, method, path, body, headers);
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      if (res.status >= 200 && res.status < 300) {
        latencies.push(ms);
        if (keep) keep(res);
      } else errors++;
    }
  }));
  const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const at = (q) => latencies.length ? latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] : null;
  return { rate: latencies.length / elapsed, p50: at(0.5), p99: at(0.99), ok: latencies.length, errors };
}

function totp(secret) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const ch of secret) bits += alphabet.indexOf(ch).toString(2).padStart(5, '0');
  const key = Buffer.from(bits.match(/.{8}/g).map((b) => parseInt(b, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(Date.now() / 30000)));
  const mac = crypto.createHmac('sha1', key).update(counter).digest();
  const o = mac[mac.length - 1] & 15;
  return String((mac.readUInt32BE(o) & 0x7fffffff) % 1e6).padStart(6, '0');
}

async function signIn(login) {
  const a = accounts[login];
  const res = await request(undefined, 'POST', '/api/v1/auth/login',
    { login, password: a.password, ...(a.secret ? { totp: totp(a.secret) } : {}) });
  if (res.status !== 200) throw new Error(`sign-in ${login}: ${res.status} ${res.body}`);
  return { cookie: res.headers['set-cookie'][0].split(';')[0], csrf: JSON.parse(res.body).csrf };
}

const complaint = (i) => ({ kind: 'complaint', area: '120101', language: 'en',
  text: `Benchmark complaint ${i}: I was asked for an unofficial fee.` });

const results = {};
const receipts = [];
for (const c of [8, 64]) {
  results[`submit_${c}`] = await load(c, (w, i) => ['POST', '/api/v1/feedback', complaint(`${w}-${i}`), {},
    (res) => { if (receipts.length < 2000) receipts.push(JSON.parse(res.body).receipt); }]);
}
// Writes are spread over many cases, as in life: a case has a handful of events, and
// every answer carries the case's timeline.
const tokens = [];
for (const receipt of receipts.slice(0, 256)) {
  const res = await request(undefined, 'POST', '/api/v1/track/session', { receipt });
  if (res.status === 200) tokens.push(JSON.parse(res.body).token);
}
const officer = await signIn('officer.120101');
const inbox = JSON.parse((await request(undefined, 'GET', '/api/v1/cases?limit=200&status=submitted', undefined,
  { Cookie: officer.cookie })).body).cases.map((c) => c.case).filter((n) => !n.startsWith('BENCH-'));
for (const c of [8, 64]) {
  results[`message_${c}`] = await load(c, (w, i) => ['POST', '/api/v1/track/messages', { text: 'More details.' },
    { Authorization: `Bearer ${tokens[(w * 31 + i) % tokens.length]}` }]);
  results[`note_${c}`] = await load(c, (w, i) => ['POST', `/api/v1/cases/${inbox[(w * 31 + i) % inbox.length]}/actions`,
    { action: 'note', text: 'Checked the fee table.' }, { Cookie: officer.cookie, 'X-CSRF-Token': officer.csrf }]);
  results[`receipt_${c}`] = await load(c, (w, i) => ['POST', '/api/v1/track/session',
    { receipt: receipts[(w * 7919 + i) % receipts.length] }]);
}
const admin = await signIn('admin');
for (const c of [8, 64]) {
  results[`inbox_officer_${c}`] = await load(c, () => ['GET', '/api/v1/cases?limit=50', undefined, { Cookie: officer.cookie }]);
  results[`inbox_national_${c}`] = await load(c, () => ['GET', '/api/v1/cases?limit=50', undefined, { Cookie: admin.cookie }]);
  results[`inbox_search_${c}`] = await load(c, () => ['GET', '/api/v1/cases?limit=50&q=case%2077777', undefined, { Cookie: officer.cookie }]);
}
console.log(JSON.stringify(results));
