// Public holidays (working days skip them): add, remove.
import { h } from '/common/dom.js';
import { t } from '/common/i18n.js';
import { call } from '../../lib/session.js';
import { field, table, errorLine, date, busy } from '../../lib/ui.js';
import { listOf, apiForm, required, notify } from './common.js';

export async function show(root) {
  const err = errorLine();
  const results = h('div', { id: 'holidays-list' });
  const load = async () => {
    err.clear();
    try {
      const list = listOf(await call('/api/v1/admin/holidays'), 'holidays');
      list.sort((a, b) => (dayOf(a) < dayOf(b) ? -1 : 1));
      results.replaceChildren(render(list, load, err));
    } catch (e) {
      err.show(e, 'admin');
    }
  };
  root.append(h('section', {}, h('h2', {}, t('staff.admin.holidays.add')), addForm(load)),
    h('section', {}, h('h2', {}, t('staff.admin.holidays.list')), err, results));
  await load();
}

function dayOf(x) {
  return x.date || x.day;
}

function render(list, reload, err) {
  const rows = list.map((d) => {
    const del = h('button', { type: 'button', class: 'small danger', 'data-delete': dayOf(d) }, t('staff.admin.holidays.delete'));
    del.addEventListener('click', () => busy(del, async () => {
      if (!window.confirm(t('staff.admin.holidays.confirm', { date: date(`${dayOf(d)}T00:00:00+07:00`, { time: false }) }))) return;
      try {
        await call(`/api/v1/admin/holidays/${encodeURIComponent(dayOf(d))}`, { method: 'DELETE' });
        await reload();
        notify(t('staff.admin.holidays.deleted'));
      } catch (e) {
        err.show(e, 'admin');
      }
    }));
    return [h('time', { datetime: dayOf(d) }, date(`${dayOf(d)}T00:00:00+07:00`, { time: false })), d.name_km, d.name_en, del];
  });
  return h('div', {}, h('p', { class: 'muted', role: 'status' }, t('staff.admin.count', { n: list.length })),
    table([t('staff.admin.holidays.date'), t('staff.admin.name_km'), t('staff.admin.name_en'), ''], rows, { caption: t('staff.admin.holidays.title') }));
}

function addForm(reload) {
  const day = h('input', { id: 'hol-date', type: 'date' });
  const km = h('input', { id: 'hol-km', lang: 'km' });
  const en = h('input', { id: 'hol-en', lang: 'en' });
  const form = apiForm({
    id: 'holiday-add', submitText: t('staff.admin.holidays.add_button'),
    fields: [field(t('staff.admin.holidays.date'), day), field(t('staff.admin.name_km'), km), field(t('staff.admin.name_en'), en)],
    run: async () => {
      const body = { date: required(day, 'date'), name_km: required(km, 'name_km'), name_en: required(en, 'name_en') };
      await call('/api/v1/admin/holidays', { method: 'POST', body });
      form.reset();
      await reload();
      return t('staff.admin.saved');
    },
  });
  return form;
}
