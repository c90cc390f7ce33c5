// Deadlines in working days (Cambodian time, weekends and public holidays skipped) and the automatic escalation when one is breached, driven by the clock and jobs test hooks.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';

import {
  cambodianDate, expectError, holidaySet, resetStaff, runDeadlineJob, servicesAt, setClock, signIn,
  startServer, submitFeedback, workingDayDeadline,
} from './harness.mjs';

const DAY = 86400;
let server, base, svc, holidays, ombudsmanAccount, offset = 0;

// One server per test: the clock and the deadline job act on every case of a server.
beforeEach(async () => {
  server = await startServer({ env: { OURVOICE_JOBS_INTERVAL: '3600' } }); // no background pass
  base = server.url;
  svc = await servicesAt(base, '120101');
  holidays = await holidaySet();
  ombudsmanAccount = await resetStaff(server, 'ombudsman.1201', { totp: true });
});

afterEach(async () => {
  if (server) {
    await setClock(base, 0).catch(() => {});
    offset = 0;
    await server.stop();
  }
});

/** Moves the server's clock so that its "now" is `ms` (a real instant). */
async function clockTo(ms) {
  offset = Math.round((ms - Date.now()) / 1000);
  const now = await setClock(base, offset);
  assert.ok(Math.abs(Date.parse(now) - ms) < 5000, `the server's now is ${now}`);
  return now;
}

/** Signs in at the server's current (moved) time. */
function officer() {
  return signIn(base, { login: 'officer.120101', password: server.passwords['officer.120101'] }, { clockOffset: offset });
}
function ombudsman() {
  return signIn(base, ombudsmanAccount, { clockOffset: offset });
}

/** 10:00 Cambodian time on a date YYYY-MM-DD, as ms. */
function at10(date) {
  return Date.parse(`${date}T10:00:00+07:00`);
}

const working = (date) => {
  const d = new Date(`${date}T00:00:00Z`).getUTCDay();
  return d !== 0 && d !== 6 && !holidays.has(date);
};
const addDays = (date, n) => new Date(Date.parse(`${date}T00:00:00Z`) + n * DAY * 1000).toISOString().slice(0, 10);
const weekday = (date) => new Date(`${date}T00:00:00Z`).getUTCDay(); // 0 Sunday … 6 Saturday

/** The first date from `from` on for which pred holds (within 380 days). */
function findDate(from, pred) {
  for (let i = 0; i < 380; i++) {
    const d = addDays(from, i);
    if (pred(d)) return d;
  }
  return null;
}

async function submitComplaint() {
  return submitFeedback(base, {
    kind: 'complaint', area: '120101', service: svc.commune, text: 'Nobody answered my request.', language: 'en',
  });
}

/** Submits at the given instant and checks the due dates against the computed ones. */
async function submitAt(ms) {
  await clockTo(ms);
  const sub = await submitComplaint();
  const me = await officer();
  const c = await me.case(sub.case);
  const created = Date.parse(c.created_at);
  assert.ok(Math.abs(created - ms) < 5000, `created_at ${c.created_at}`);
  const due = {
    acknowledge: workingDayDeadline(created, 2, holidays),
    answer: workingDayDeadline(created, 15, holidays),
  };
  assert.deepEqual(sub.due, due, `the 201's due dates for a case made ${c.created_at}`);
  assert.deepEqual(c.due, due, 'the case shows the same due dates');
  const listed = (await me.get('/api/v1/cases')).cases.find((x) => x.case === sub.case);
  assert.deepEqual(listed.due, due, 'the list shows the same due dates');
  return { sub, created, due };
}

describe('the acknowledge deadline', () => {
  test('a Thursday submission: due at the end of Monday; escalated once, just after it, to DO-1201', async () => {
    const today = cambodianDate(Date.now());
    // a Thursday whose Friday and Monday are working days: the weekend is the only gap
    const thursday = findDate(addDays(today, 1), (d) => weekday(d) === 4 && working(d) && working(addDays(d, 1)) && working(addDays(d, 4)));
    assert.ok(thursday, 'a plain Thursday within a year');
    const { sub, due } = await submitAt(at10(thursday));
    assert.equal(due.acknowledge, `${addDays(thursday, 4)}T17:00:00Z`, 'Monday 24:00 in Phnom Penh');

    // just before the deadline: nothing moves
    await clockTo(Date.parse(due.acknowledge) - 60e3);
    assert.equal(await runDeadlineJob(base), 0);
    let me = await officer();
    let c = await me.case(sub.case);
    assert.equal(c.office.code, 'C-120101');
    assert.equal(c.overdue, false);
    assert.deepEqual(c.timeline.map((e) => e.type), ['submitted']);

    // just after: overdue everywhere it is listed, then escalated exactly once
    await clockTo(Date.parse(due.acknowledge) + 60e3);
    me = await officer();
    const row = (await me.get('/api/v1/cases')).cases.find((x) => x.case === sub.case);
    assert.equal(row.overdue, true, 'the list shows the breach');
    assert.ok((await me.get('/api/v1/cases?overdue=true')).cases.some((x) => x.case === sub.case));
    assert.equal(await runDeadlineJob(base), 1);
    assert.equal(await runDeadlineJob(base), 0, 'a second pass escalates nothing more');

    await expectError(await me.request(`/api/v1/cases/${sub.case}`), 404, 'not_found');
    const om = await ombudsman();
    c = await om.case(sub.case);
    assert.equal(c.office.code, 'DO-1201');
    assert.equal(c.status, 'submitted');
    assert.equal(c.escalation_level, 1);
    const escalations = c.timeline.filter((e) => e.type === 'escalated');
    assert.equal(escalations.length, 1);
    const e = escalations[0];
    assert.equal(e.actor, 'system');
    assert.match(e.reason, /acknowledge/);
    assert.equal(e.to_office.code, 'DO-1201');
    assert.deepEqual(c.timeline.map((x) => x.type), ['submitted', 'escalated']);
    // the new office gets fresh deadlines counted from the escalation
    assert.deepEqual(c.due, {
      acknowledge: workingDayDeadline(Date.parse(e.at), 2, holidays),
      answer: workingDayDeadline(Date.parse(e.at), 15, holidays),
    });
    assert.equal(c.overdue, false);
  });

  test('a Saturday submission counts from Monday: due at the end of Tuesday', async () => {
    const today = cambodianDate(Date.now());
    const saturday = findDate(addDays(today, 1), (d) => weekday(d) === 6 && working(addDays(d, 2)) && working(addDays(d, 3)));
    assert.ok(saturday);
    const { due } = await submitAt(at10(saturday));
    assert.equal(due.acknowledge, `${addDays(saturday, 3)}T17:00:00Z`);
  });

  test('public holidays are skipped', async (t) => {
    const today = cambodianDate(Date.now());
    // a working day followed by a weekday holiday
    const day = findDate(addDays(today, 1), (d) => working(d) && weekday(addDays(d, 1)) >= 1 && weekday(addDays(d, 1)) <= 5 && holidays.has(addDays(d, 1)));
    if (!day) return t.skip('no weekday holiday in data/holidays.csv within a year');
    const { sub, due } = await submitAt(at10(day));
    const weekendsOnly = workingDayDeadline(at10(day), 2, new Set());
    assert.ok(due.acknowledge > weekendsOnly, `the holiday ${addDays(day, 1)} moves the deadline`);
    // and the deadline job agrees: nothing before, one escalation after
    await clockTo(Date.parse(weekendsOnly) + 60e3);
    assert.equal(await runDeadlineJob(base), 0, 'not overdue on the day a holiday-blind count would say');
    await clockTo(Date.parse(due.acknowledge) + 60e3);
    assert.equal(await runDeadlineJob(base), 1);
    const c = await (await ombudsman()).case(sub.case);
    assert.equal(c.office.code, 'DO-1201');
  });
});

describe('the answer deadline', () => {
  test('an acknowledged question not answered in 5 working days is escalated once', async () => {
    const today = cambodianDate(Date.now());
    const monday = findDate(addDays(today, 1), (d) => weekday(d) === 1 && [0, 1, 2, 3, 4, 7].every((i) => working(addDays(d, i))));
    assert.ok(monday);
    await clockTo(at10(monday));
    const sub = await submitFeedback(base, { kind: 'information', area: '120101', service: svc.commune, text: 'What documents?' });
    const me = await officer();
    const created = Date.parse((await me.case(sub.case)).created_at);
    assert.equal(sub.due.answer, workingDayDeadline(created, 5, holidays));
    assert.equal(sub.due.answer, `${addDays(monday, 7)}T17:00:00Z`, 'the next Monday');
    await me.act(sub.case, { action: 'acknowledge' });

    await clockTo(Date.parse(sub.due.answer) - 60e3);
    assert.equal(await runDeadlineJob(base), 0);
    await clockTo(Date.parse(sub.due.answer) + 60e3);
    assert.equal(await runDeadlineJob(base), 1);
    assert.equal(await runDeadlineJob(base), 0);
    const c = await (await ombudsman()).case(sub.case);
    assert.equal(c.office.code, 'DO-1201');
    const e = c.timeline.filter((x) => x.type === 'escalated');
    assert.equal(e.length, 1);
    assert.equal(e[0].actor, 'system');
    assert.match(e[0].reason, /answer/);
  });
});
