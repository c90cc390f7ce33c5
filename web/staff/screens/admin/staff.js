// Staff accounts: list by office, create (the one-time password and the TOTP QR code are
// shown once), change name, role and office, disable, reset the password or the second
// factor.
import { h } from '/common/dom.js';
import { t } from '/common/i18n.js';
import { call } from '../../lib/session.js';
import { ROLES, field, select, checkbox, label, table, errorLine, oneTimePanel, localName } from '../../lib/ui.js';
import { listOf, apiForm, required, editableRow, LIMIT_SHOWN, notify } from './common.js';

const filters = { office: '' };

export async function show(root) {
  const office = h('input', { id: 's-office', value: filters.office, autocomplete: 'off', autocapitalize: 'characters' });
  const err = errorLine();
  const results = h('div', { id: 'staff-list' });
  const once = h('div', { id: 'once' });
  const find = h('form', { class: 'filters filter-row', role: 'search' },
    field(t('staff.admin.staff.office'), office, { hint: t('staff.admin.staff.office_hint') }),
    h('div', { class: 'actions' }, h('button', { type: 'submit', id: 's-find' }, t('staff.filter.search_button'))));
  const load = async () => {
    filters.office = office.value.trim().toUpperCase();
    err.clear();
    try {
      const list = listOf(await call('/api/v1/admin/staff', { query: filters }), 'staff');
      results.replaceChildren(render(list, load, once));
    } catch (e) {
      err.show(e, 'admin');
    }
  };
  find.addEventListener('submit', (ev) => { ev.preventDefault(); load(); });
  root.append(once,
    h('section', {}, h('h2', {}, t('staff.admin.staff.create')), createForm(load, once)),
    h('section', {}, h('h2', {}, t('staff.admin.staff.find')), find, err, results));
  await load();
}

function officeCode(s) {
  if (!s.office) return '—';
  return typeof s.office === 'object' ? s.office.code : s.office;
}

function render(list, reload, once) {
  const rows = [];
  for (const s of list.slice(0, LIMIT_SHOWN)) {
    rows.push(...editableRow([
      h('code', {}, s.login), s.name || '', label('role', s.role),
      typeof s.office === 'object' && s.office ? `${localName(s.office)} (${s.office.code})` : officeCode(s),
      s.active === false ? h('span', { class: 'tag tag-off' }, t('staff.admin.inactive')) : t('staff.admin.active'),
      s.totp ? t('staff.admin.staff.totp_on') : t('staff.admin.staff.totp_off'),
    ], (close) => editForm(s, close, reload, once), t('staff.admin.edit'), s.login));
  }
  return h('div', {},
    h('p', { class: 'muted', role: 'status' }, t('staff.admin.count', { n: list.length })),
    table([t('staff.admin.staff.login'), t('staff.admin.staff.name'), t('staff.admin.staff.role'), t('staff.admin.staff.office'),
      t('staff.admin.state'), t('staff.admin.staff.totp'), ''], rows, { caption: t('staff.admin.staff.title') }));
}

function showOnce(once, doc) {
  once.replaceChildren(oneTimePanel(doc));
  once.scrollIntoView({ block: 'start' });
  const first = once.querySelector('h3');
  if (first) {
    first.tabIndex = -1;
    first.focus();
  }
}

function editForm(s, close, reload, once) {
  const id = s.login.replace(/[^a-zA-Z0-9_-]/g, '_');
  const name = h('input', { id: `se-name-${id}`, value: s.name || '' });
  const role = select({ id: `se-role-${id}` }, ROLES.map((r) => [r, label('role', r)]), s.role);
  const office = h('input', { id: `se-office-${id}`, value: officeCode(s) === '—' ? '' : officeCode(s), autocapitalize: 'characters' });
  const active = checkbox(t('staff.admin.active_box'), { id: `se-active-${id}`, checked: s.active !== false });
  const resetPw = checkbox(t('staff.admin.staff.reset_password'), { id: `se-rpw-${id}` });
  const resetTotp = checkbox(t('staff.admin.staff.reset_totp'), { id: `se-rtotp-${id}` });
  return apiForm({
    className: 'inline-form', submitText: t('staff.admin.save'),
    fields: [field(t('staff.admin.staff.name'), name), field(t('staff.admin.staff.role'), role),
      field(t('staff.admin.staff.office'), office), active, resetPw, resetTotp],
    run: async () => {
      const body = { name: required(name, 'name'), role: role.value, active: active.querySelector('input').checked };
      const code = office.value.trim().toUpperCase();
      if (code !== (officeCode(s) === '—' ? '' : officeCode(s))) body.office = code || null;
      if (resetPw.querySelector('input').checked) body.reset_password = true;
      if (resetTotp.querySelector('input').checked) body.reset_totp = true;
      const doc = await call(`/api/v1/admin/staff/${encodeURIComponent(s.login)}`, { method: 'POST', body });
      close();
      await reload();
      if (doc && (doc.password || doc.totp)) showOnce(once, { ...doc, user: s.login });
      notify(t('staff.admin.saved'));
      return '';
    },
  });
}

function createForm(reload, once) {
  const login = h('input', { id: 'sc-login', autocomplete: 'off', autocapitalize: 'none', spellcheck: 'false' });
  const name = h('input', { id: 'sc-name', autocomplete: 'off' });
  const role = select({ id: 'sc-role' }, ROLES.map((r) => [r, label('role', r)]), 'officer');
  const office = h('input', { id: 'sc-office', autocomplete: 'off', autocapitalize: 'characters' });
  const form = apiForm({
    id: 'staff-create', submitText: t('staff.admin.staff.create_button'),
    fields: [field(t('staff.admin.staff.login'), login), field(t('staff.admin.staff.name'), name),
      field(t('staff.admin.staff.role'), role), field(t('staff.admin.staff.office'), office, { hint: t('staff.admin.staff.office_code_hint') })],
    run: async () => {
      const body = {
        login: required(login, 'login'), name: required(name, 'name'), role: role.value,
        office: office.value.trim().toUpperCase() || null,
      };
      const doc = await call('/api/v1/admin/staff', { method: 'POST', body });
      form.reset();
      showOnce(once, { ...doc, user: (doc.user && doc.user.login) || body.login });
      await reload();
      return t('staff.admin.staff.created', { login: body.login });
    },
  });
  return form;
}
