// Offices: find (area, kind, name), create, rename, deactivate and reactivate.
import { h } from '/common/dom.js';
import { t, number } from '/common/i18n.js';
import { call } from '../../lib/session.js';
import { OFFICE_KINDS, field, select, checkbox, label, table, errorLine } from '../../lib/ui.js';
import { listOf, apiForm, required, editableRow, LIMIT_SHOWN, notify } from './common.js';

const filters = { area: '', kind: '', q: '' };

export async function show(root) {
  const area = h('input', { id: 'o-area', value: filters.area, inputmode: 'numeric', autocomplete: 'off' });
  const kind = select({ id: 'o-kind' }, [['', t('staff.filter.any_kind')], ...OFFICE_KINDS.map((k) => [k, label('office_kind', k)])], filters.kind);
  const q = h('input', { id: 'o-q', type: 'search', value: filters.q, autocomplete: 'off' });
  const err = errorLine();
  const results = h('div', { id: 'offices-list' });
  const find = h('form', { class: 'filters filter-row', role: 'search' },
    field(t('staff.admin.offices.area'), area, { hint: t('staff.admin.offices.area_hint') }),
    field(t('staff.admin.offices.kind'), kind), field(t('staff.admin.offices.q'), q),
    h('div', { class: 'actions' }, h('button', { type: 'submit', id: 'o-find' }, t('staff.filter.search_button'))));
  const load = async () => {
    filters.area = area.value.trim();
    filters.kind = kind.value;
    filters.q = q.value.trim();
    err.clear();
    try {
      const list = listOf(await call('/api/v1/admin/offices', { query: filters }), 'offices');
      results.replaceChildren(render(list, load));
    } catch (e) {
      err.show(e, 'admin');
    }
  };
  find.addEventListener('submit', (ev) => { ev.preventDefault(); load(); });
  root.append(h('section', {}, h('h2', {}, t('staff.admin.offices.find')), find, err, results),
    h('section', {}, h('h2', {}, t('staff.admin.offices.create')), createForm(load)));
  await load();
}

function render(list, reload) {
  const shown = list.slice(0, LIMIT_SHOWN);
  const rows = [];
  for (const o of shown) {
    rows.push(...editableRow([
      h('code', {}, o.code), label('office_kind', o.kind), o.name_km, o.name_en, o.area || '—',
      o.active === false ? h('span', { class: 'tag tag-off' }, t('staff.admin.inactive')) : t('staff.admin.active'),
    ], (close) => editForm(o, close, reload), t('staff.admin.edit'), o.code));
  }
  return h('div', {},
    h('p', { class: 'muted', role: 'status' }, list.length > shown.length
      ? t('staff.admin.shown_of', { n: shown.length, of: number(list.length) }) : t('staff.admin.count', { n: list.length })),
    table([t('staff.admin.offices.code'), t('staff.admin.offices.kind'), t('staff.admin.name_km'), t('staff.admin.name_en'),
      t('staff.admin.offices.area'), t('staff.admin.state'), ''], rows, { caption: t('staff.admin.offices.title') }));
}

function editForm(o, close, reload) {
  const km = h('input', { id: `oe-km-${o.code}`, value: o.name_km || '', lang: 'km' });
  const en = h('input', { id: `oe-en-${o.code}`, value: o.name_en || '', lang: 'en' });
  const active = checkbox(t('staff.admin.active_box'), { id: `oe-active-${o.code}`, checked: o.active !== false });
  return apiForm({
    className: 'inline-form', submitText: t('staff.admin.save'),
    fields: [field(t('staff.admin.name_km'), km), field(t('staff.admin.name_en'), en), active],
    run: async () => {
      const body = { name_km: required(km, 'name_km'), name_en: required(en, 'name_en'), active: active.querySelector('input').checked };
      await call(`/api/v1/admin/offices/${encodeURIComponent(o.code)}`, { method: 'POST', body });
      close();
      await reload();
      notify(t('staff.admin.saved'));
      return '';
    },
  });
}

function createForm(reload) {
  const code = h('input', { id: 'oc-code', autocomplete: 'off', autocapitalize: 'characters' });
  const kind = select({ id: 'oc-kind' }, OFFICE_KINDS.map((k) => [k, label('office_kind', k)]), 'commune');
  const area = h('input', { id: 'oc-area', inputmode: 'numeric', autocomplete: 'off' });
  const km = h('input', { id: 'oc-km', lang: 'km' });
  const en = h('input', { id: 'oc-en', lang: 'en' });
  const form = apiForm({
    id: 'office-create', submitText: t('staff.admin.offices.create_button'),
    fields: [field(t('staff.admin.offices.code'), code, { hint: t('staff.admin.offices.code_hint') }), field(t('staff.admin.offices.kind'), kind),
      field(t('staff.admin.offices.area'), area, { hint: t('staff.admin.offices.area_hint') }),
      field(t('staff.admin.name_km'), km), field(t('staff.admin.name_en'), en)],
    run: async () => {
      const body = {
        code: required(code, 'code').toUpperCase(), kind: kind.value, area: area.value.trim() || null,
        name_km: required(km, 'name_km'), name_en: required(en, 'name_en'),
      };
      const made = await call('/api/v1/admin/offices', { method: 'POST', body });
      form.reset();
      await reload();
      return t('staff.admin.offices.created', { code: (made && made.code) || body.code });
    },
  });
  return form;
}
