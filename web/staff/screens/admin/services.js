// The services catalogue: names, official fee, statutory days, office kind, sector,
// active; create a service. Citizens see the change at once (GET /api/v1/services).
import { h } from '/common/dom.js';
import { t } from '/common/i18n.js';
import { call } from '../../lib/session.js';
import { serviceMap } from '../../lib/refdata.js';
import { SERVICE_OFFICE_KINDS, field, select, checkbox, label, table, errorLine, money, localName } from '../../lib/ui.js';
import { listOf, apiForm, required, wholeNumber, editableRow, notify } from './common.js';

export async function show(root) {
  const err = errorLine();
  const results = h('div', { id: 'services-list' });
  const load = async () => {
    err.clear();
    try {
      const list = listOf(await call('/api/v1/admin/services'), 'services');
      serviceMap({ fresh: true }).catch(() => {}); // the names elsewhere in the console
      list.sort((a, b) => a.office_kind.localeCompare(b.office_kind) || localName(a).localeCompare(localName(b)));
      results.replaceChildren(render(list, load));
    } catch (e) {
      err.show(e, 'admin');
    }
  };
  root.append(h('section', {}, h('h2', {}, t('staff.admin.services.list')), err, results),
    h('section', {}, h('h2', {}, t('staff.admin.services.create')), serviceForm(null, () => {}, load)));
  await load();
}

function render(list, reload) {
  const rows = [];
  for (const s of list) {
    rows.push(...editableRow([
      h('code', {}, s.code), localName(s), label('office_kind', s.office_kind), s.sector || '—',
      h('span', { 'data-fee': s.code }, money(s.fee_khr)),
      s.days === null || s.days === undefined ? '—' : t('staff.admin.services.days_n', { n: s.days }),
      s.active === false ? h('span', { class: 'tag tag-off' }, t('staff.admin.inactive')) : t('staff.admin.active'),
    ], (close) => serviceForm(s, close, reload), t('staff.admin.edit'), s.code));
  }
  return h('div', {}, h('p', { class: 'muted', role: 'status' }, t('staff.admin.count', { n: list.length })),
    table([t('staff.admin.services.code'), t('staff.admin.services.name'), t('staff.admin.services.office_kind'),
      t('staff.admin.services.sector'), t('staff.admin.services.fee'), t('staff.admin.services.days'), t('staff.admin.state'), ''], rows,
    { caption: t('staff.admin.services.title') }));
}

// The form to edit a service (s) or create one (s null).
function serviceForm(s, close, reload) {
  const key = s ? s.code.replace(/[^a-zA-Z0-9_-]/g, '_') : 'new';
  const code = s ? null : h('input', { id: 'svc-code', autocomplete: 'off' });
  const km = h('input', { id: `svc-km-${key}`, value: s ? s.name_km : '', lang: 'km' });
  const en = h('input', { id: `svc-en-${key}`, value: s ? s.name_en : '', lang: 'en' });
  const fee = h('input', { id: `svc-fee-${key}`, inputmode: 'numeric', value: s && s.fee_khr !== null && s.fee_khr !== undefined ? String(s.fee_khr) : '' });
  const days = h('input', { id: `svc-days-${key}`, inputmode: 'numeric', value: s && s.days !== null && s.days !== undefined ? String(s.days) : '' });
  const kind = select({ id: `svc-kind-${key}` }, SERVICE_OFFICE_KINDS.map((k) => [k, label('office_kind', k)]), s ? s.office_kind : 'commune');
  const sector = h('input', { id: `svc-sector-${key}`, value: s ? s.sector || '' : '' });
  const active = s ? checkbox(t('staff.admin.active_box'), { id: `svc-active-${key}`, checked: s.active !== false }) : null;
  const fields = [
    code ? field(t('staff.admin.services.code'), code) : null,
    field(t('staff.admin.name_km'), km), field(t('staff.admin.name_en'), en),
    field(t('staff.admin.services.fee'), fee, { hint: t('staff.admin.services.fee_hint') }),
    field(t('staff.admin.services.days'), days, { hint: t('staff.admin.services.days_hint') }),
    field(t('staff.admin.services.office_kind'), kind), field(t('staff.admin.services.sector'), sector), active,
  ];
  const form = apiForm({
    id: s ? undefined : 'service-create', className: s ? 'inline-form' : null,
    submitText: t(s ? 'staff.admin.save' : 'staff.admin.services.create_button'), fields,
    run: async () => {
      const body = {
        name_km: required(km, 'name_km'), name_en: required(en, 'name_en'),
        fee_khr: wholeNumber(fee, 'fee_khr', { optional: true }), days: wholeNumber(days, 'days', { optional: true }),
        office_kind: kind.value, sector: sector.value.trim(),
      };
      if (active) body.active = active.querySelector('input').checked; // a new service starts active
      if (code) body.code = required(code, 'code');
      const path = s ? `/api/v1/admin/services/${encodeURIComponent(s.code)}` : '/api/v1/admin/services';
      await call(path, { method: 'POST', body });
      close();
      if (!s) form.reset();
      await reload();
      if (s) notify(t('staff.admin.saved', {}));
      return s ? '' : t('staff.admin.saved');
    },
  });
  return form;
}
