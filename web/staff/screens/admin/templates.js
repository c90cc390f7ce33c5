// Response templates, in Khmer and English, per service (or for every service) and per
// action: create and edit. Staff pick one in a case and edit it before sending.
import { h } from '/common/dom.js';
import { t } from '/common/i18n.js';
import { call, hasRole } from '../../lib/session.js';
import { serviceMap } from '../../lib/refdata.js';
import { field, select, checkbox, label, table, errorLine, localName } from '../../lib/ui.js';
import { listOf, apiForm, required, editableRow, notify } from './common.js';

export const TEMPLATE_ACTIONS = ['answer', 'message', 'reject', 'note', 'acknowledge', 'transfer', 'escalate', 'close'];
const LANGUAGES = ['km', 'en'];

export async function show(root) {
  const services = await serviceMap().catch(() => new Map());
  const err = errorLine();
  const results = h('div', { id: 'templates-list' });
  const load = async () => {
    err.clear();
    try {
      const list = listOf(await call('/api/v1/templates', { query: { all: hasRole('national_admin') } }), 'templates');
      results.replaceChildren(render(list, services, load));
    } catch (e) {
      err.show(e, 'admin');
    }
  };
  root.append(h('section', {}, h('h2', {}, t('staff.admin.templates.create')), templateForm(null, services, () => {}, load)),
    h('section', {}, h('h2', {}, t('staff.admin.templates.list')), err, results));
  await load();
}

function serviceName(services, code) {
  if (!code) return t('staff.admin.templates.all_services');
  const s = services.get(code);
  return s ? localName(s) : code;
}

function render(list, services, reload) {
  const rows = [];
  for (const tp of list) {
    rows.push(...editableRow([tp.title, label('action', tp.action), label('language', tp.language), serviceName(services, tp.service),
      h('span', { class: 'clip' }, tp.text),
      tp.active === false ? h('span', { class: 'tag tag-off' }, t('staff.admin.inactive')) : t('staff.admin.active')],
    (close) => templateForm(tp, services, close, reload), t('staff.admin.edit'), String(tp.id)));
  }
  return h('div', {}, h('p', { class: 'muted', role: 'status' }, t('staff.admin.count', { n: list.length })),
    table([t('staff.admin.templates.name'), t('staff.admin.templates.action'), t('staff.admin.templates.language'),
      t('staff.admin.templates.service'), t('staff.admin.templates.text'), t('staff.admin.state'), ''], rows, { caption: t('staff.admin.templates.title') }));
}

function templateForm(tp, services, close, reload) {
  const key = tp ? String(tp.id) : 'new';
  const svcOptions = [['', t('staff.admin.templates.all_services')],
    ...[...services.values()].sort((a, b) => localName(a).localeCompare(localName(b))).map((s) => [s.code, localName(s)])];
  // what a template is for is fixed once made: an edit changes its words or retires it
  const service = select({ id: `tp-service-${key}`, disabled: !!tp }, svcOptions, tp ? tp.service || '' : '');
  const action = select({ id: `tp-action-${key}`, disabled: !!tp }, TEMPLATE_ACTIONS.map((a) => [a, label('action', a)]), tp ? tp.action : 'answer');
  const language = select({ id: `tp-language-${key}`, disabled: !!tp }, LANGUAGES.map((l) => [l, label('language', l)]), tp ? tp.language : 'km');
  const active = tp ? checkbox(t('staff.admin.active_box'), { id: `tp-active-${key}`, checked: tp.active !== false }) : null;
  const title = h('input', { id: `tp-title-${key}`, value: tp ? tp.title : '' });
  const text = h('textarea', { id: `tp-text-${key}`, rows: '5' });
  text.value = tp ? tp.text : '';
  const form = apiForm({
    id: tp ? undefined : 'template-create', className: tp ? 'inline-form' : null,
    submitText: t(tp ? 'staff.admin.save' : 'staff.admin.templates.create_button'),
    fields: [field(t('staff.admin.templates.service'), service), field(t('staff.admin.templates.action'), action),
      field(t('staff.admin.templates.language'), language), field(t('staff.admin.templates.name'), title),
      field(t('staff.admin.templates.text'), text, { hint: t('staff.admin.templates.text_hint') }), active],
    run: async () => {
      const body = tp
        ? { title: required(title, 'title'), text: required(text, 'text'), active: active.querySelector('input').checked }
        : { service: service.value || null, action: action.value, language: language.value, title: required(title, 'title'), text: required(text, 'text') };
      await call(tp ? `/api/v1/admin/templates/${encodeURIComponent(tp.id)}` : '/api/v1/admin/templates', { method: 'POST', body });
      close();
      if (!tp) form.reset();
      await reload();
      if (tp) notify(t('staff.admin.saved'));
      return tp ? '' : t('staff.admin.saved');
    },
  });
  return form;
}
