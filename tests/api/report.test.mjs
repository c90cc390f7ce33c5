// `ourvoice report`: the dialogue report of a province printed to an A4 PDF by headless
// Chromium from the dashboard's report page; the PDF's text holds the province's name and
// the same case count as the API, and its pages are kept as PNG in artifacts/.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';

import { REPO, getJson, ourvoice, serveDatabase } from './harness.mjs';

const run = promisify(execFile);
const CHROMIUM = process.env.OURVOICE_CHROMIUM || '/usr/bin/chromium';

test('a province report as PDF, with the figures of the API', { timeout: 180000 }, async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'ourvoice-report-'));
  try {
    const db = path.join(dir, 'r.db');
    await ourvoice(['init', '--db', db, '--demo']);
    await ourvoice(['seed', '--db', db, '--synthetic', '600', '--seed', '5', '--months', '6']);
    const now = new Date();
    const to = now.toISOString().slice(0, 7);
    const from = new Date(now.getTime() - 150 * 86400e3).toISOString().slice(0, 7);

    const s = await serveDatabase(db);
    let figures;
    try {
      figures = await getJson(s.url, `/api/v1/stats?area=12&from=${from}&to=${to}`);
    } finally {
      await s.stop();
    }
    assert.ok(figures.total.cases >= 5, 'the province has cases to report');

    const pdf = path.join(dir, 'report.pdf');
    const out = await ourvoice(['report', '--db', db, '--area', '12', '--from', from, '--to', to,
      '--out', pdf, '--chromium', CHROMIUM]);
    assert.match(out.stdout, /report written to/);
    assert.ok((await stat(pdf)).size > 10000);

    const { stdout: text } = await run('pdftotext', ['-layout', pdf, '-']);
    assert.match(text, /ភ្នំពេញ/, 'the province name in Khmer');
    const cases = String(figures.total.cases);
    assert.ok(text.includes(cases) || text.includes(toKhmerDigits(cases)),
      `the case count ${cases} is printed`);

    const artifacts = path.join(REPO, 'artifacts', 'report');
    await mkdir(artifacts, { recursive: true });
    await run('pdftoppm', ['-r', '60', '-png', pdf, path.join(artifacts, 'province-12')]);
    const pages = (await readdir(artifacts)).filter((f) => f.startsWith('province-12') && f.endsWith('.png'));
    assert.ok(pages.length >= 1, 'at least one page');

    await assert.rejects(ourvoice(['report', '--db', db, '--area', '12', '--out', pdf, '--from', '2026-13']),
      /--from and --to are months/);
    await assert.rejects(ourvoice(['report', '--db', db, '--out', pdf]), /--area CODE or --office ID/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

function toKhmerDigits(s) {
  return s.replace(/[0-9]/g, (d) => '០១២៣៤៥៦៧៨៩'[d]);
}
