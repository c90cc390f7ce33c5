// Routing rules: which kind of office handles a new case, by the office kind that
// delivered the service, the kind of feedback and the condition (default, the citizen
// bypassed the office, a gender-sensitive complaint).
import { h } from '/common/dom.js';
import { t } from '/common/i18n.js';
import { call } from '../../lib/session.js';
import { KINDS, OFFICE_KINDS, SERVICE_OFFICE_KINDS, field, select, label, table, errorLine } from '../../lib/ui.js';
import { listOf, apiForm } from './common.js';

const CONDITIONS = ['default', 'bypass', 'sensitive'];

export async function show(root) {
  const err = errorLine();
  const results = h('div', { id: 'routing-list' });
  const form = ruleForm(() => load());
  const load = async () => {
    err.clear();
    try {
      const list = listOf(await call('/api/v1/admin/routing'), 'rules');
      results.replaceChildren(render(list, form));
    } catch (e) {
      err.show(e, 'admin');
    }
  };
  root.append(h('p', { class: 'lead' }, t('staff.admin.routing.lead')),
    h('section', {}, h('h2', {}, t('staff.admin.routing.list')), err, results),
    h('section', {}, h('h2', {}, t('staff.admin.routing.set')), form));
  await load();
}

function render(list, form) {
  const rows = list.map((r) => {
    const edit = h('button', { type: 'button', class: 'small' }, t('staff.admin.edit'));
    edit.addEventListener('click', () => form.fill(r));
    return [label('office_kind', r.delivered_by), r.kind === '*' ? t('staff.admin.routing.any_kind') : label('kind', r.kind),
      label('condition', r.condition), label('office_kind', r.target_kind), edit];
  });
  return table([t('staff.admin.routing.delivered_by'), t('staff.admin.routing.kind'), t('staff.admin.routing.condition'),
    t('staff.admin.routing.target'), ''], rows, { caption: t('staff.admin.routing.title') });
}

function ruleForm(reload) {
  const deliveredBy = select({ id: 'rt-delivered' }, SERVICE_OFFICE_KINDS.map((k) => [k, label('office_kind', k)]));
  const kind = select({ id: 'rt-kind' }, [['*', t('staff.admin.routing.any_kind')], ...KINDS.map((k) => [k, label('kind', k)])]);
  const condition = select({ id: 'rt-condition' }, CONDITIONS.map((c) => [c, label('condition', c)]));
  const target = select({ id: 'rt-target' }, OFFICE_KINDS.map((k) => [k, label('office_kind', k)]));
  const form = apiForm({
    id: 'routing-set', submitText: t('staff.admin.save'),
    fields: [field(t('staff.admin.routing.delivered_by'), deliveredBy), field(t('staff.admin.routing.kind'), kind),
      field(t('staff.admin.routing.condition'), condition), field(t('staff.admin.routing.target'), target)],
    run: async () => {
      await call('/api/v1/admin/routing', { method: 'POST', body: { delivered_by: deliveredBy.value, kind: kind.value, condition: condition.value, target_kind: target.value } });
      await reload();
      return t('staff.admin.saved');
    },
  });
  form.fill = (r) => {
    deliveredBy.value = r.delivered_by;
    kind.value = r.kind;
    condition.value = r.condition;
    target.value = r.target_kind;
    target.focus();
  };
  return form;
}
