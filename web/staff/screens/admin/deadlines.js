// Deadlines per kind of feedback, in working days: to acknowledge and to answer (empty:
// no answer deadline).
import { h } from '/common/dom.js';
import { t } from '/common/i18n.js';
import { call } from '../../lib/session.js';
import { KINDS, field, label, errorLine } from '../../lib/ui.js';
import { listOf, apiForm, wholeNumber } from './common.js';

export async function show(root) {
  const err = errorLine();
  let list = [];
  try {
    const doc = await call('/api/v1/admin/deadlines');
    list = Array.isArray(doc) || (doc && doc.deadlines) ? listOf(doc, 'deadlines')
      : Object.entries(doc || {}).map(([kind, v]) => ({ kind, ...v }));
  } catch (e) {
    err.show(e, 'admin');
  }
  const byKind = new Map(list.map((d) => [d.kind, d]));
  root.append(h('p', { class: 'lead' }, t('staff.admin.deadlines.lead')), err,
    h('div', { class: 'deadline-forms' }, KINDS.map((k) => kindForm(k, byKind.get(k) || {}))));
}

function kindForm(kind, d) {
  const ack = h('input', { id: `dl-ack-${kind}`, inputmode: 'numeric', value: d.acknowledge_days ?? '' });
  const ans = h('input', { id: `dl-ans-${kind}`, inputmode: 'numeric', value: d.answer_days ?? '' });
  return apiForm({
    id: `deadline-${kind}`, className: 'card-form',
    fields: [h('h2', {}, label('kind', kind)),
      field(t('staff.admin.deadlines.acknowledge'), ack),
      field(t('staff.admin.deadlines.answer'), ans, { hint: t('staff.admin.deadlines.answer_hint') })],
    submitText: t('staff.admin.save'),
    run: async () => {
      const body = { kind, acknowledge_days: wholeNumber(ack, 'acknowledge_days'), answer_days: wholeNumber(ans, 'answer_days', { optional: true }) };
      await call('/api/v1/admin/deadlines', { method: 'POST', body });
      return t('staff.admin.saved');
    },
  });
}
