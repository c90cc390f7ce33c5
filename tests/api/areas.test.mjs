// Public reads: the gazetteer's areas (list, children, one area, search), offices and services.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import {
  DATA_DIR,
  GAZETTEER,
  expectError,
  getJson,
  readCsv,
  startServer,
} from './harness.mjs';

let server;
let url;
let units; // admin_units.csv of the data init loaded: provinces, districts, communes
let villages;

before(async () => {
  server = await startServer();
  url = server.url;
  units = await readCsv(path.join(DATA_DIR, 'gazetteer', 'admin_units.csv'));
  villages = await readCsv(path.join(DATA_DIR, 'gazetteer', 'villages.csv'));
});
after(async () => {
  await server?.stop();
});

const AREA_KEYS = ['code', 'level', 'name_en', 'name_km', 'parent', 'type_en', 'type_km'];
const byCode = (a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0);
const q = (s) => encodeURIComponent(s);

function expectArea(a) {
  assert.deepEqual(Object.keys(a).sort(), AREA_KEYS, JSON.stringify(a));
  assert.ok(['province', 'district', 'commune', 'village'].includes(a.level), a.level);
  assert.equal(typeof a.name_km, 'string');
  assert.equal(typeof a.name_en, 'string');
  assert.ok(a.name_km.length > 0 && a.name_en.length > 0);
}

/** The gazetteer's own rows for the children of `parent`, as the API shapes them. */
function childrenInCsv(parent) {
  return [...units, ...villages]
    .filter((u) => u.parent_code === parent)
    .map((u) => ({ code: u.code, level: u.level, name_km: u.name_km, name_en: u.name_en, parent }))
    .sort(byCode);
}
const pick = ({ code, level, name_km, name_en, parent }) => ({ code, level, name_km, name_en, parent });

describe('GET /api/v1/areas', () => {
  test('lists the 25 provinces exactly as provinces.csv names them', async () => {
    const provinces = await readCsv(path.join(GAZETTEER, 'provinces.csv'));
    assert.equal(provinces.length, 25);
    const got = await getJson(url, '/api/v1/areas');
    assert.ok(Array.isArray(got));
    assert.equal(got.length, 25);
    got.forEach(expectArea);
    for (const a of got) {
      assert.equal(a.level, 'province');
      assert.equal(a.parent, null);
    }
    assert.deepEqual(
      got.map(({ code, name_km, name_en }) => ({ code, name_km, name_en })).sort(byCode),
      provinces.map(({ code, name_km, name_en }) => ({ code, name_km, name_en })).sort(byCode),
    );
  });

  test('a few Khmer names, byte for byte', async () => {
    const got = new Map((await getJson(url, '/api/v1/areas')).map((a) => [a.code, a]));
    assert.equal(got.get('12').name_km, 'ភ្នំពេញ');
    assert.equal(got.get('12').name_en, 'Phnom Penh');
    assert.equal(got.get('02').name_km, 'បាត់ដំបង');
    assert.equal(got.get('10').name_km, 'ក្រចេះ');
    assert.equal(got.get('10').name_en, 'Kratié');
    assert.equal(got.get('17').name_km, 'សៀមរាប');
    assert.equal(got.get('25').name_km, 'ត្បូងឃ្មុំ');
    assert.equal(got.get('12').name_km.normalize('NFC'), got.get('12').name_km);
  });

  test('?parent=12 gives the 14 khans of Phnom Penh, 1201..1214', async () => {
    const got = await getJson(url, '/api/v1/areas?parent=12');
    assert.equal(got.length, 14);
    got.forEach(expectArea);
    assert.deepEqual(
      got.map((a) => a.code).sort(),
      Array.from({ length: 14 }, (_, i) => `12${String(i + 1).padStart(2, '0')}`),
    );
    for (const a of got) {
      assert.equal(a.level, 'district');
      assert.equal(a.parent, '12');
    }
    assert.deepEqual(got.map(pick).sort(byCode), childrenInCsv('12'));
  });

  test('?parent=1201 gives the sangkats of Chamkar Mon', async () => {
    const got = await getJson(url, '/api/v1/areas?parent=1201');
    const expected = childrenInCsv('1201');
    assert.ok(expected.length > 0);
    assert.equal(got.length, expected.length);
    got.forEach(expectArea);
    for (const a of got) {
      assert.equal(a.level, 'commune');
      assert.equal(a.parent, '1201');
      assert.match(a.code, /^1201\d\d$/);
    }
    assert.deepEqual(got.map(pick).sort(byCode), expected);
    assert.ok(got.some((a) => a.code === '120101' && a.name_en === 'Tonle Basak'));
  });

  test('?parent=120101 gives its villages; a village has no children', async () => {
    const got = await getJson(url, '/api/v1/areas?parent=120101');
    assert.deepEqual(got.map(pick).sort(byCode), childrenInCsv('120101'));
    assert.ok(got.length > 0);
    for (const a of got) assert.equal(a.level, 'village');
    assert.deepEqual(await getJson(url, `/api/v1/areas?parent=${got[0].code}`), []);
  });

  test('an unknown parent is 400 unknown_area, a malformed one 400 invalid_value', async () => {
    await expectError(await fetch(`${url}/api/v1/areas?parent=99`), 400, 'unknown_area', 'parent');
    await expectError(await fetch(`${url}/api/v1/areas?parent=1299`), 400, 'unknown_area', 'parent');
    for (const bad of ['abc', '1', '123', '12a', '', '%20', '12345678901', '-1'])
      await expectError(await fetch(`${url}/api/v1/areas?parent=${bad}`), 400, 'invalid_value', 'parent');
  });

  test('a query value longer than the limit is 400 too_long', async () => {
    await expectError(await fetch(`${url}/api/v1/areas?parent=${'1'.repeat(300)}`), 400, 'too_long', 'parent');
  });
});

describe('GET /api/v1/areas/CODE', () => {
  test('a district', async () => {
    const a = await getJson(url, '/api/v1/areas/1201');
    expectArea(a);
    assert.deepEqual(pick(a), {
      code: '1201',
      level: 'district',
      name_km: 'ចំការមន',
      name_en: 'Chamkar Mon',
      parent: '12',
    });
  });

  test('a province, a commune and a village match the gazetteer', async () => {
    const p = await getJson(url, '/api/v1/areas/12');
    assert.deepEqual(pick(p), { code: '12', level: 'province', name_km: 'ភ្នំពេញ', name_en: 'Phnom Penh', parent: null });
    assert.equal(p.type_en, 'Capital');
    const row = units.find((u) => u.code === '120101');
    const c = await getJson(url, '/api/v1/areas/120101');
    assert.deepEqual(pick(c), { code: '120101', level: 'commune', name_km: row.name_km, name_en: row.name_en, parent: '1201' });
    const v = villages[0];
    const got = await getJson(url, `/api/v1/areas/${v.code}`);
    assert.deepEqual(pick(got), { code: v.code, level: 'village', name_km: v.name_km, name_en: v.name_en, parent: v.parent_code });
  });

  test('unknown and malformed codes are 404 not_found', async () => {
    for (const code of ['99', '1299', '12999999', 'abc', '1', '123', 'x'.repeat(70), '%E1%9E%97'])
      await expectError(await fetch(`${url}/api/v1/areas/${code}`), 404, 'not_found');
  });
});

describe('GET /api/v1/areas?q= (search)', () => {
  test('Khmer: ភ្នំពេញ finds Phnom Penh (12) first', async () => {
    const got = await getJson(url, `/api/v1/areas?q=${q('ភ្នំពេញ')}`);
    got.forEach(expectArea);
    assert.ok(got.length >= 1);
    assert.equal(got[0].code, '12');
    assert.equal(got[0].level, 'province');
    for (const a of got) assert.ok(a.name_km.includes('ភ្នំពេញ'), a.name_km);
  });

  test('Latin: battambang finds the province and the municipality', async () => {
    const got = await getJson(url, '/api/v1/areas?q=battambang');
    assert.equal(got[0].code, '02');
    assert.ok(got.some((a) => a.code === '0203' && a.level === 'district'));
    for (const a of got) assert.match(a.name_en, /battambang/i);
  });

  test('case and accents are folded: kratie, KRATIE, Kratié all find 10', async () => {
    for (const term of ['kratie', 'KRATIE', 'Kratié', 'KRATIÉ', 'krati']) {
      const got = await getJson(url, `/api/v1/areas?q=${q(term)}`);
      assert.ok(got.length >= 1, term);
      assert.equal(got[0].code, '10', term);
      assert.equal(got[0].name_en, 'Kratié');
    }
  });

  test('a name of several words', async () => {
    const got = await getJson(url, `/api/v1/areas?q=${q('tonle basak')}`);
    assert.ok(got.some((a) => a.code === '120101'));
  });

  test('level filters by level', async () => {
    const all = await getJson(url, '/api/v1/areas?q=samraong');
    assert.ok(new Set(all.map((a) => a.level)).size > 1, 'the name is at several levels');
    for (const level of ['district', 'commune', 'village']) {
      const got = await getJson(url, `/api/v1/areas?q=samraong&level=${level}`);
      assert.ok(got.length > 0, level);
      for (const a of got) {
        assert.equal(a.level, level);
        assert.match(a.name_en, /samraong/i);
      }
    }
    assert.deepEqual(await getJson(url, '/api/v1/areas?q=samraong&level=province'), []);
  });

  test('within limits to the areas under a code; with level, exactly the gazetteer rows', async () => {
    const got = await getJson(url, '/api/v1/areas?q=samraong&within=12');
    assert.ok(got.length > 0);
    for (const a of got) assert.ok(a.code.startsWith('12') && a.code !== '12', a.code);
    const communes = await getJson(url, '/api/v1/areas?q=samraong&level=commune&within=12');
    const expected = units
      .filter((u) => u.level === 'commune' && u.code.startsWith('12') && /samraong/i.test(u.name_en))
      .map((u) => u.code)
      .sort();
    assert.ok(expected.length > 0);
    assert.deepEqual(communes.map((a) => a.code).sort(), expected);
  });

  test('no match is an empty array', async () => {
    assert.deepEqual(await getJson(url, '/api/v1/areas?q=zzqqxxnotaplace'), []);
  });

  test('bad filters are 400 naming the parameter', async () => {
    await expectError(await fetch(`${url}/api/v1/areas?q=a&level=city`), 400, 'not_allowed', 'level');
    await expectError(await fetch(`${url}/api/v1/areas?q=a&within=x1`), 400, 'invalid_value', 'within');
    await expectError(await fetch(`${url}/api/v1/areas?q=${'a'.repeat(101)}`), 400, 'too_long', 'q');
    await expectError(await fetch(`${url}/api/v1/areas?q=${'ក'.repeat(40)}`), 400, 'too_long', 'q');
  });
});

describe('GET /api/v1/offices', () => {
  test('for sangkat 120101: every level from the commune to the ministry', async () => {
    const got = await getJson(url, '/api/v1/offices?area=120101');
    for (const o of got) {
      assert.deepEqual(Object.keys(o).sort(), ['area', 'code', 'kind', 'name_en', 'name_km']);
      assert.ok(o.name_km.length > 0 && o.name_en.length > 0);
    }
    const byKind = Object.fromEntries(got.map((o) => [o.kind, o]));
    assert.deepEqual(Object.keys(byKind).sort(), [
      'commune',
      'district_ombudsman',
      'ministry',
      'owso',
      'owsu',
      'provincial_ombudsman',
    ]);
    assert.equal(got.length, 6);
    assert.deepEqual(
      Object.fromEntries(got.map((o) => [o.code, o.area])),
      { 'C-120101': '120101', 'OWSO-1201': '1201', 'DO-1201': '1201', 'OWSU-12': '12', 'PO-12': '12', MOI: null },
    );
    assert.equal(byKind.commune.code, 'C-120101');
    assert.equal(byKind.ministry.code, 'MOI');
  });

  test('a village is covered by the offices of its commune', async () => {
    const village = villages.find((v) => v.parent_code === '120101');
    const got = await getJson(url, `/api/v1/offices?area=${village.code}`);
    assert.deepEqual(
      got.map((o) => o.code).sort(),
      ['C-120101', 'DO-1201', 'MOI', 'OWSO-1201', 'OWSU-12', 'PO-12'],
    );
  });

  test('a province: its own offices and the ministry only', async () => {
    const got = await getJson(url, '/api/v1/offices?area=01');
    assert.deepEqual(got.map((o) => o.code).sort(), ['MOI', 'OWSU-01', 'PO-01']);
  });

  test('area is required and must be a known code', async () => {
    await expectError(await fetch(`${url}/api/v1/offices`), 400, 'missing_field', 'area');
    await expectError(await fetch(`${url}/api/v1/offices?area=99`), 400, 'unknown_area', 'area');
    await expectError(await fetch(`${url}/api/v1/offices?area=abc`), 400, 'invalid_value', 'area');
  });
});

describe('GET /api/v1/services', () => {
  const SERVICE_KEYS = ['code', 'days', 'fee_khr', 'name_en', 'name_km', 'office_kind', 'placeholder', 'sector'];

  test('the whole catalogue, as services.csv has it', async () => {
    const got = await getJson(url, '/api/v1/services');
    assert.ok(Array.isArray(got));
    assert.ok(got.length > 0);
    for (const s of got) {
      assert.deepEqual(Object.keys(s).sort(), SERVICE_KEYS);
      assert.ok(['commune', 'owso', 'owsu'].includes(s.office_kind), s.office_kind);
      assert.equal(typeof s.placeholder, 'boolean');
      assert.ok(s.fee_khr === null || Number.isInteger(s.fee_khr));
      assert.ok(s.days === null || Number.isInteger(s.days));
    }
    assert.equal(new Set(got.map((s) => s.code)).size, got.length, 'codes are unique');
    const csv = await readCsv(path.join(DATA_DIR, 'services.csv'));
    const num = (v) => (v === '' ? null : Number(v));
    assert.deepEqual(
      got.sort(byCode),
      csv
        .map((r) => ({
          code: r.code,
          name_km: r.name_km,
          name_en: r.name_en,
          office_kind: r.office_kind,
          sector: r.sector,
          fee_khr: num(r.fee_khr),
          days: num(r.days),
          placeholder: r.placeholder === '1',
        }))
        .sort(byCode),
    );
  });

  test('?area=: the services of the kinds of office that cover the place', async () => {
    const all = await getJson(url, '/api/v1/services');
    // 120101 has a commune office, an OWSO and an OWSU above it (demo offices)
    assert.deepEqual((await getJson(url, '/api/v1/services?area=120101')).sort(byCode), all.sort(byCode));
    // a province alone has only its OWSU
    const province = await getJson(url, '/api/v1/services?area=01');
    assert.deepEqual(
      province.map((s) => s.code).sort(),
      all.filter((s) => s.office_kind === 'owsu').map((s) => s.code).sort(),
    );
  });

  test('a bad area is 400', async () => {
    await expectError(await fetch(`${url}/api/v1/services?area=99`), 400, 'unknown_area', 'area');
    await expectError(await fetch(`${url}/api/v1/services?area=9`), 400, 'invalid_value', 'area');
  });
});
