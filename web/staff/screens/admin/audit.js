// The audit log: who did what, when, to which case — filtered by action, actor and case,
// paged by cursor; and the verification of its hash chain.
import { h } from '/common/dom.js';
import { t, number } from '/common/i18n.js';
import { call } from '../../lib/session.js';
import { field, table, labelCells, errorLine, date, busy, label } from '../../lib/ui.js';

const filters = { action: '', actor: '', case: '' };
const HEAD = () => [t('staff.admin.audit.at'), t('staff.admin.audit.actor'), t('staff.admin.audit.action'), t('staff.admin.audit.case'), t('staff.admin.audit.detail')];
let lastVerdict = null; // the last verification, shown again after a change of language

// What the server records (src/**/audit_append): suggested in the action filter.
const ACTIONS = ['login', 'login_failed', 'logout', 'password_changed', 'password_change_failed', 'case_submitted',
  'case_read', 'attachment_read', 'name_decrypted', 'contact_decrypted', 'case_escalated_overdue', 'cases_exported',
  'case_acknowledge', 'case_assign', 'case_message', 'case_note', 'case_transfer', 'case_escalate', 'case_answer',
  'case_close', 'case_reject', 'case_approve_public', 'case_rate', 'case_appeal',
  'office_created', 'office_updated', 'staff_created', 'staff_updated', 'staff_add', 'staff_totp_reset',
  'service_created', 'service_updated', 'deadline_changed', 'holiday_added', 'holiday_changed', 'holiday_removed',
  'routing_rule_changed', 'template_created', 'template_updated'];

export async function show(root) {
  const action = h('input', { id: 'au-action', value: filters.action, autocomplete: 'off', autocapitalize: 'none', list: 'au-actions' });
  const actions = h('datalist', { id: 'au-actions' }, ACTIONS.map((a) => h('option', { value: a })));
  const actor = h('input', { id: 'au-actor', value: filters.actor, autocomplete: 'off', autocapitalize: 'none' });
  const caseNo = h('input', { id: 'au-case', value: filters.case, autocomplete: 'off', autocapitalize: 'characters' });
  const err = errorLine();
  const body = h('tbody', {});
  const summary = h('p', { class: 'muted', role: 'status', id: 'audit-summary' });
  const more = h('button', { type: 'button', id: 'audit-more', hidden: true }, t('staff.inbox.more'));
  const verify = h('button', { type: 'button', id: 'audit-verify', class: 'primary' }, t('staff.admin.audit.verify'));
  const verdict = h('p', { id: 'audit-verdict', role: 'status' });
  let next = null;
  let count = 0;

  const fetchPage = async (cursor) => {
    const doc = await call('/api/v1/admin/audit', { query: { ...filters, cursor } });
    const entries = doc.entries || [];
    body.append(...entries.map(entryRow));
    labelCells(body, HEAD());
    count += entries.length;
    next = doc.next_cursor || null;
    more.hidden = !next;
    summary.textContent = count ? t(next ? 'staff.admin.count_more' : 'staff.admin.count', { n: count }) : t('staff.admin.audit.empty');
  };
  const load = async () => {
    filters.action = action.value.trim();
    filters.actor = actor.value.trim();
    filters.case = caseNo.value.trim();
    err.clear();
    body.replaceChildren();
    count = 0;
    try {
      await fetchPage(null);
    } catch (e) {
      err.show(e, 'admin');
    }
  };
  const find = h('form', { class: 'filters filter-row', role: 'search' },
    field(t('staff.admin.audit.action'), action), actions, field(t('staff.admin.audit.actor'), actor), field(t('staff.admin.audit.case'), caseNo),
    h('div', { class: 'actions' }, h('button', { type: 'submit', id: 'au-find' }, t('staff.filter.search_button'))));
  find.addEventListener('submit', (ev) => { ev.preventDefault(); load(); });
  more.addEventListener('click', () => busy(more, async () => {
    try { await fetchPage(next); } catch (e) { err.show(e, 'admin'); }
  }));
  const say = (doc) => {
    verdict.className = doc.intact ? 'ok verdict' : 'error verdict';
    verdict.textContent = doc.intact
      ? t('staff.admin.audit.intact', { n: number(doc.entries || 0) })
      : t('staff.admin.audit.broken', { n: number(doc.entries || 0), id: doc.first_bad_id ?? '?' });
  };
  if (lastVerdict) say(lastVerdict);
  verify.addEventListener('click', () => busy(verify, async () => {
    verdict.textContent = '';
    verdict.className = '';
    try {
      lastVerdict = await call('/api/v1/admin/audit/verify', { method: 'POST' });
      say(lastVerdict);
    } catch (e) {
      verdict.className = 'error verdict';
      verdict.textContent = '';
      err.show(e, 'admin');
    }
  }));
  const grid = table(HEAD(), [], { caption: t('staff.admin.audit.title') });
  grid.querySelector('tbody').replaceWith(body);
  root.append(h('section', { class: 'verify' }, h('p', {}, t('staff.admin.audit.verify_lead')), verify, verdict),
    find, err, summary, grid, more);
  await load();
}

function actorText(e) {
  const who = e.actor_login || (typeof e.actor === 'object' && e.actor ? e.actor.login : e.actor);
  const kind = e.actor_kind ? label('actor', e.actor_kind) : '';
  return [kind, who].filter(Boolean).join(' · ') || '—';
}

function entryRow(e) {
  return h('tr', { 'data-audit': e.id },
    h('td', {}, date(e.at)), h('td', {}, actorText(e)), h('td', {}, h('code', {}, e.action)),
    h('td', {}, e.case ? h('a', { href: `#/case/${encodeURIComponent(e.case)}` }, e.case) : '—'),
    h('td', { class: 'clip' }, e.detail || ''));
}
