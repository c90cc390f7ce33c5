// Public statistics (docs/statistics.md) against a hand-computed fixture: 17 cases made and
// handled through the API at known times, and every figure of GET /api/v1/stats checked —
// small cells hidden, and hidden cells that the total minus the others would give away
// hidden too. Then the roll-ups against a full recount after a random run of submissions
// and state changes (`ourvoice stats check`).
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import {
  expectError, getJson, ourvoice, parseCsv, serveDatabase, servicesAt, setClock, signIn, startServer,
  submitFeedback, track, trackSession,
} from './harness.mjs';

const DAY = 86400;
const HOUR = 3600;
const T0 = Date.parse('2026-03-02T10:00:00+07:00'); // a Monday
const PERIOD = 'from=2026-03&to=2026-03';

let server, base, svc, offset0;

function headAt(seconds) {
  return signIn(base, { login: 'head.120101', password: server.passwords['head.120101'] },
    { clockOffset: seconds });
}

/** Moves the server's clock to T0 + days (+ 1 hour), signs the head of office in then. */
async function dayOf(days) {
  const offset = offset0 + days * DAY + HOUR;
  await setClock(base, offset);
  return headAt(offset);
}

const feedback = (kind, sex, extra = {}) => ({
  kind, area: '120101', service: svc.commune, language: 'km',
  text: kind === 'evaluation' ? undefined : `${kind} about the office`,
  demographics: { sex }, ...extra,
});

// The fixture, by hand:
//   complaints  5 (female 3, male 2): acknowledged after 0,0,1,1,2 days; two answered after
//               6 and 20 days (in time: 15 working days), one rejected, two left open; two
//               said they were overcharged; one consented to publication and was approved,
//               one consented and was not.
//   information 5 (female 4, male 1): acknowledged after 0,1,1,3,5 days; answered after
//               2,3,3,4,10 days (5 working days: the one after 10 days is late).
//   support     2 (female): acknowledged the same day, left open.
//   evaluation  5 (female 4, male 1): overall 5,4,4,3,2; timeliness 4 each; courtesy in
//               three only; never acknowledged.
//   female 13, male 4. Ratings of five answers: satisfied 4 of 5, scores 5,4,4,3,1.
const fixture = {};

before(async () => {
  server = await startServer({ env: { OURVOICE_JOBS_INTERVAL: '3600' } });
  base = server.url;
  svc = await servicesAt(base, '120101');
  offset0 = Math.round((T0 - Date.now()) / 1000);
  await setClock(base, offset0);
  const make = async (name, body) => (fixture[name] = await submitFeedback(base, body));
  const sexes = { c: ['female', 'female', 'female', 'male', 'male'], i: ['female', 'female', 'female', 'female', 'male'] };
  for (let n = 0; n < 5; n++) {
    await make(`c${n}`, feedback('complaint', sexes.c[n], {
      overcharged: n < 2, public_consent: n >= 3,
      text: n === 3 ? 'The office asked me to pay twice the fee.' : `complaint ${n}`,
    }));
  }
  for (let n = 0; n < 5; n++) await make(`i${n}`, feedback('information', sexes.i[n]));
  for (let n = 0; n < 2; n++) await make(`s${n}`, feedback('support', 'female'));
  const overall = [5, 4, 4, 3, 2];
  for (let n = 0; n < 5; n++) {
    const scores = { overall: overall[n], timeliness: 4, ...(n < 3 ? { courtesy: 5 } : {}) };
    await make(`e${n}`, feedback('evaluation', n === 4 ? 'male' : 'female', { scores }));
  }

  const plan = [ // [day, case, action]
    [0, 'c0', 'acknowledge'], [0, 'c1', 'acknowledge'], [0, 'i0', 'acknowledge'],
    [0, 's0', 'acknowledge'], [0, 's1', 'acknowledge'],
    [1, 'c2', 'acknowledge'], [1, 'c3', 'acknowledge'], [1, 'i1', 'acknowledge'], [1, 'i2', 'acknowledge'],
    [2, 'c4', 'acknowledge'], [2, 'i0', 'answer'],
    [3, 'i3', 'acknowledge'], [3, 'i1', 'answer'], [3, 'i2', 'answer'],
    [4, 'c2', 'reject'], [4, 'i3', 'answer'],
    [5, 'i4', 'acknowledge'], [6, 'c0', 'answer'], [10, 'i4', 'answer'], [20, 'c1', 'answer'],
  ];
  let day = -1, officer;
  for (const [d, name, action] of plan) {
    if (d !== day) officer = await dayOf((day = d));
    const body = { action };
    if (action === 'answer') body.text = 'Here is the answer.';
    if (action === 'reject') body.reason = 'Duplicate of another case.';
    await officer.act(fixture[name].case, body);
  }
  await officer.act(fixture.c3.case, { action: 'approve_public' });
  const ratings = [['i0', true, 5], ['i1', true, 4], ['i2', true, 4], ['i3', false, 3], ['c0', true, 1]];
  for (const [name, satisfied, score] of ratings) {
    const token = await trackSession(base, fixture[name].receipt);
    const res = await track(base, token, '/api/v1/track/rating', { satisfied, score });
    assert.equal(res.status, 200, await res.text());
  }
  await setClock(base, 0);
});

after(async () => {
  await server?.stop();
});

describe('statistics against the hand-computed fixture', () => {
  test('headline figures of the commune, its district, province and the nation', async () => {
    for (const area of ['120101', '1201', '12', '']) {
      const s = await getJson(base, `/api/v1/stats?area=${area}&${PERIOD}`);
      assert.deepEqual(s.period, { from: '2026-03', to: '2026-03' });
      assert.equal(s.min_cell, 5);
      const t = s.total;
      assert.equal(t.cases, 17, area);
      assert.equal(t.suppressed, false);
      // support 2 is hidden; alone it would be 17 - 5 - 5 - 5: the first 5 (complaints) goes too
      assert.equal(t.support, null);
      assert.equal(t.complaints, null);
      assert.equal(t.information, 5);
      assert.equal(t.evaluation, 5);
      // open: complaints c3 c4, support 2, evaluations 5 = 9 (8 not open)
      assert.equal(t.open, 9);
      assert.equal(t.overcharged, null);
      assert.equal(t.response_rate, 0.667); // 8 of 12 complaints, support and information
      assert.deepEqual(t.acknowledge_days, { median: 1, p90: 3 }); // 0,0,0,0,0,1,1,1,1,2,3,5
      assert.deepEqual(t.answer_days, { median: 4, p90: 20 }); // 2,3,3,4,6,10,20
      assert.equal(t.answered_in_time, 0.857); // 6 of 7
      assert.equal(t.satisfaction, 0.8);
      assert.equal(t.rating, 3.4);
      assert.equal(t.scores.overall, 3.6);
      assert.equal(t.scores.timeliness, 4);
      assert.equal(t.scores.courtesy, null); // three evaluations only
      assert.equal(t.scores.women_safety, null);
    }
  });

  test('by sex: the 4 men are hidden, and so are the women (17 - 4 would show them)', async () => {
    const s = await getJson(base, `/api/v1/stats?area=12&by=sex&${PERIOD}`);
    assert.equal(s.by, 'sex');
    assert.deepEqual(s.rows.map((r) => r.key), ['female', 'male']);
    const [female, male] = s.rows;
    assert.equal(male.cases, null);
    assert.equal(male.suppressed, true);
    assert.equal(female.cases, null);
    assert.equal(female.suppressed, true);
    assert.equal(s.total.cases, 17);
    assert.equal(female.label_en, 'Female');
    assert.equal(female.label_km, 'ស្រី');
    // shares over 5 or more are still given; under 5 they are not
    assert.equal(female.response_rate, 0.778); // 7 of 9: c0 c1 answered, c2 rejected, i0–i3
    assert.equal(male.response_rate, null);
  });

  test('by kind, by month and by area', async () => {
    const kinds = await getJson(base, `/api/v1/stats?area=1201&by=kind&${PERIOD}`);
    const k = Object.fromEntries(kinds.rows.map((r) => [r.key, r.cases]));
    assert.deepEqual(k, { complaint: null, support: null, information: 5, evaluation: 5 });
    const months = await getJson(base, `/api/v1/stats?by=month&from=2026-01&to=2026-04`);
    assert.deepEqual(months.rows.map((r) => [r.key, r.cases]),
      [['2026-01', 0], ['2026-02', 0], ['2026-03', 17], ['2026-04', 0]]);
    const areas = await getJson(base, `/api/v1/stats?area=1201&by=area&${PERIOD}`);
    const communes = await getJson(base, '/api/v1/areas?parent=1201');
    assert.deepEqual(areas.rows.map((r) => r.key), communes.map((a) => a.code), 'every commune, in order');
    const commune = areas.rows.find((r) => r.key === '120101');
    assert.equal(commune.cases, 17);
    assert.ok(areas.rows.filter((r) => r.key !== '120101').every((r) => r.cases === 0));
    const provinces = await getJson(base, `/api/v1/stats?by=area&${PERIOD}`);
    assert.equal(provinces.rows.length, 25);
  });

  test('the office scorecard counts the cases the office handles', async () => {
    const c = await getJson(base, `/api/v1/stats?area=120101&by=office&${PERIOD}`);
    assert.equal(c.rows.length, 1);
    const office = c.rows[0];
    assert.equal(office.cases, 17);
    assert.match(office.label_en, /Tonle Basak|Commune|Sangkat/i);
    const s = await getJson(base, `/api/v1/stats?office=${office.key}&by=sex&${PERIOD}`);
    assert.equal(s.scope.office, Number(office.key));
    assert.equal(s.total.cases, 17);
    assert.equal(s.total.answered_in_time, 0.857);
    // a province's breakdown by office (computed on a worker) and the nation's give it too
    for (const scope of ['area=12&', '']) {
      const p = await getJson(base, `/api/v1/stats?${scope}by=office&${PERIOD}`);
      assert.deepEqual(p.rows.filter((r) => r.cases !== 0), c.rows);
    }
  });

  test('CSV download: "<5" where hidden, the total last', async () => {
    const res = await fetch(`${base}/api/v1/stats?area=12&by=kind&${PERIOD}&format=csv`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type'), /^text\/csv/);
    assert.match(res.headers.get('content-disposition'), /attachment; filename="ourvoice-stats-12-2026-03-2026-03-by-kind\.csv"/);
    const rows = parseCsv(await res.text());
    const byKey = Object.fromEntries(rows.map((r) => [r.key, r]));
    assert.equal(byKey.support.cases, '<5');
    assert.equal(byKey.support.label_km, 'សុំជំនួយ');
    assert.equal(byKey.information.cases, '5');
    assert.equal(byKey.total.cases, '17');
    assert.equal(byKey.total.response_rate, '0.667');
    assert.equal(byKey.total.answer_days_p90, '20');
    assert.equal(rows[rows.length - 1].key, 'total');
  });

  test('quotations: only the consented and approved text', async () => {
    const q = await getJson(base, `/api/v1/stats/quotes?area=12&${PERIOD}`);
    assert.deepEqual(q.quotes, [{
      kind: 'complaint', service_code: svc.commune, month: '2026-03',
      text: 'The office asked me to pay twice the fee.',
    }]);
    const none = await getJson(base, `/api/v1/stats/quotes?area=01&${PERIOD}`);
    assert.deepEqual(none.quotes, []);
  });

  test('the data dictionary names every figure', async () => {
    const d = await getJson(base, '/api/v1/stats/dictionary');
    const names = d.fields.map((f) => f.name);
    for (const n of ['cases', 'response_rate', 'answer_days', 'satisfaction', 'scores', 'overcharged']) {
      assert.ok(names.includes(n), n);
    }
    assert.equal(d.suppression.min_cell, 5);
  });

  test('bad input gets a clear error', async () => {
    await expectError(await fetch(`${base}/api/v1/stats?by=colour`), 400, 'invalid_value', 'by');
    await expectError(await fetch(`${base}/api/v1/stats?from=2026-13`), 400, 'invalid_value', 'from');
    await expectError(await fetch(`${base}/api/v1/stats?from=2026-05&to=2026-01`), 400, 'invalid_value', 'from');
    await expectError(await fetch(`${base}/api/v1/stats?from=2000-01&to=2026-01`), 400, 'invalid_value', 'from');
    await expectError(await fetch(`${base}/api/v1/stats?area=99`), 400, 'unknown_area', 'area');
    await expectError(await fetch(`${base}/api/v1/stats?office=999999`), 404, 'not_found');
    await expectError(await fetch(`${base}/api/v1/stats?office=1&by=area`), 400, 'invalid_value', 'by');
    await expectError(await fetch(`${base}/api/v1/stats?format=xml`), 400, 'invalid_value', 'format');
    await expectError(await fetch(`${base}/api/v1/stats/quotes?limit=500`), 400, 'out_of_range', 'limit');
    await expectError(await fetch(`${base}/api/v1/feedback`, {
      method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(feedback('information', 'female', { overcharged: true })),
    }), 400, 'invalid_value', 'overcharged');
  });
});

describe('roll-ups equal a full recount', () => {
  test('after a random run of submissions and state changes', async () => {
    const other = await startServer({ env: { OURVOICE_JOBS_INTERVAL: '3600' } });
    try {
      const b = other.url;
      const services = await servicesAt(b, '120101');
      let seed = 20261129;
      const rand = (n) => ((seed = (seed * 1103515245 + 12345) % 2147483648) % n);
      const kinds = ['complaint', 'support', 'information', 'evaluation'];
      const sexes = ['female', 'male', 'other', 'unsaid', undefined];
      const cases = [];
      const head = await signIn(b, { login: 'head.120101', password: other.passwords['head.120101'] });
      for (let step = 0; step < 60; step++) {
        if (cases.length < 3 || rand(3) === 0) {
          const kind = kinds[rand(4)];
          const body = {
            kind, area: '120101', service: rand(4) ? services.commune : undefined, language: 'km',
            text: kind === 'evaluation' ? undefined : `case ${step}`,
            demographics: { sex: sexes[rand(5)] }, overcharged: kind === 'complaint' && rand(2) === 0,
            scores: kind === 'evaluation' ? { overall: 1 + rand(5), courtesy: 1 + rand(5) } : undefined,
          };
          cases.push(await submitFeedback(b, body));
          continue;
        }
        const c = cases[rand(cases.length)];
        const action = ['acknowledge', 'answer', 'close', 'reject', 'transfer', 'rate'][rand(6)];
        if (action === 'rate') {
          const token = await trackSession(b, c.receipt);
          await track(b, token, '/api/v1/track/rating', { satisfied: rand(2) === 0, score: 1 + rand(5) });
          continue;
        }
        const body = { action, text: 'text', reason: 'reason' };
        if (action === 'transfer') body.to = 'OWSO-1201';
        await head.action(c.case, body); // refused transitions (409) are part of the run
      }
      const one = await getJson(b, '/api/v1/stats');
      assert.equal(one.total.cases, cases.length);
    } finally {
      await other.stop('SIGTERM', {
        inspect: async () => {
          const out = await ourvoice(['stats', 'check', '--db', other.db]);
          assert.match(out.stdout, /statistics agree: 0 roll-up rows differ/);
        },
      });
    }
  });
});

describe('answers kept in the reply cache (--stats-cache)', () => {
  test('reused for the seconds given, then read afresh; gzipped when asked; CSV keeps its name', async () => {
    const s = await startServer({ args: ['--stats-cache', '2'] });
    try {
      const area = '120101';
      const services = await servicesAt(s.url, area);
      const add = () => submitFeedback(s.url, {
        kind: 'information', area, service: services.commune, language: 'en', text: 'Which papers?',
        demographics: { sex: 'female' },
      });
      for (let n = 0; n < 5; n++) await add();
      const ask = `/api/v1/stats?area=${area}`;
      const first = await fetch(s.url + ask);
      assert.equal(first.headers.get('cache-control'), 'public, max-age=2');
      assert.equal((await first.json()).total.cases, 5);
      await add();
      assert.equal((await getJson(s.url, ask)).total.cases, 5, 'the kept answer');
      assert.equal((await getJson(s.url, `${ask}&by=kind`)).total.cases, 6, 'another question reads afresh');
      await new Promise((resolve) => setTimeout(resolve, 2200));
      assert.equal((await getJson(s.url, ask)).total.cases, 6, 'read again once expired');

      const big = `/api/v1/stats?area=12&by=service`;
      const plain = await fetch(s.url + big, { headers: { 'accept-encoding': 'identity' } });
      const plainText = await plain.text();
      assert.ok(plainText.length > 1024, 'a large answer');
      assert.equal(plain.headers.get('content-encoding'), null);
      for (let n = 0; n < 2; n++) { // built, then kept: both gzipped
        const gz = await fetch(s.url + big, { headers: { 'accept-encoding': 'gzip' } });
        assert.equal(gz.headers.get('content-encoding'), 'gzip');
        assert.equal(gz.headers.get('vary'), 'Accept-Encoding');
        assert.ok(Number(gz.headers.get('content-length')) < plainText.length / 2, 'compressed');
        assert.deepEqual(await gz.json(), JSON.parse(plainText));
      }
      for (let n = 0; n < 2; n++) {
        const csv = await fetch(s.url + `${ask}&by=sex&format=csv`);
        assert.equal(csv.status, 200);
        assert.match(csv.headers.get('content-type'), /^text\/csv/);
        assert.match(csv.headers.get('content-disposition'), /^attachment; filename="ourvoice-stats-120101-.*-by-sex\.csv"$/);
        assert.match(await csv.text(), /^key,label_en,label_km,cases,/);
      }
      const none = await fetch(base + ask); // the fixture's server runs with --stats-cache 0
      assert.equal(none.headers.get('cache-control'), 'no-store');
      await none.text();
    } finally {
      await s.stop();
    }
  });

  test('--stats-cache takes whole seconds up to an hour', async () => {
    await assert.rejects(ourvoice(['serve', '--db', 'none.db', '--stats-cache', '3601']), /--stats-cache/);
    await assert.rejects(ourvoice(['serve', '--db', 'none.db', '--stats-cache', 'soon']), /--stats-cache/);
  });
});

describe('synthetic cases', () => {
  test('seed spreads cases over the country; its rebuild equals the recount', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'ourvoice-seed-'));
    try {
      const db = path.join(dir, 's.db');
      await ourvoice(['init', '--db', db, '--demo']);
      const seeded = await ourvoice(['seed', '--db', db, '--synthetic', '400', '--seed', '3']);
      assert.match(seeded.stdout, /^400 synthetic cases added/m);
      assert.match((await ourvoice(['stats', 'check', '--db', db])).stdout, /statistics agree/);
      assert.match((await ourvoice(['stats', 'rebuild', '--db', db])).stdout, /rebuilt/);
      assert.match((await ourvoice(['stats', 'check', '--db', db])).stdout, /statistics agree/);
      const s = await serveDatabase(db);
      try {
        const since = new Date(Date.now() - 30 * 31 * DAY * 1000).toISOString().slice(0, 7);
        const nation = await getJson(s.url, `/api/v1/stats?by=area&from=${since}`);
        assert.equal(nation.total.cases, 400);
        assert.ok(nation.rows.filter((r) => r.cases === null || r.cases > 0).length >= 15,
          'cases in most provinces');
        const kinds = await getJson(s.url, `/api/v1/stats?by=kind&from=${since}`);
        assert.equal(kinds.rows.length, 4);
        assert.ok(nation.total.response_rate > 0 && nation.total.response_rate < 1);
        const offices = await getJson(s.url, `/api/v1/stats?by=office&from=${since}`);
        assert.ok(offices.rows.length > 20);
        assert.ok(offices.rows.every((r) => r.label_en && r.label_en !== r.key), 'every office named');
        const sum = offices.rows.reduce((n, r) => n + (r.cases ?? 0), 0);
        assert.ok(sum <= 400, `the shown office counts (${sum}) stay within the total`);
        // national breakdowns by office run on a worker, one at a time: others at that
        // moment are told to come back (503 unavailable, Retry-After)
        const months = Array.from({ length: 8 }, (_, i) => new Date(Date.now() - (i + 2) * 31 * DAY * 1000).toISOString().slice(0, 7));
        const answers = await Promise.all(months.map((m) => fetch(`${s.url}/api/v1/stats?by=office&from=${m}`)));
        for (const res of answers) {
          const body = await res.json();
          if (res.status === 503) {
            assert.equal(body.error.code, 'unavailable');
            assert.equal(res.headers.get('retry-after'), '5');
          } else {
            assert.equal(res.status, 200, JSON.stringify(body));
            assert.ok(body.rows.length > 20);
          }
        }
        assert.ok(answers.some((res) => res.status === 200));
        assert.ok((await getJson(s.url, `/api/v1/stats?by=office&from=${months[7]}`)).rows.length > 20, 'free again');
      } finally {
        await s.stop();
      }
      await assert.rejects(ourvoice(['seed', '--db', db, '--synthetic', 'many']), /--synthetic/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
