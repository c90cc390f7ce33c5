// Password change: the current password and the new one twice (POST /api/v1/auth/password).
import { h } from '/common/dom.js';
import { t } from '/common/i18n.js';
import { call } from '../lib/session.js';
import { screenTitle, field, errorLine, okLine, busy } from '../lib/ui.js';

export const MIN_LENGTH = 10;

export function show(root) {
  const current = h('input', { type: 'password', id: 'pw-current', autocomplete: 'current-password', required: true });
  const next = h('input', { type: 'password', id: 'pw-new', autocomplete: 'new-password', required: true, minlength: String(MIN_LENGTH) });
  const again = h('input', { type: 'password', id: 'pw-again', autocomplete: 'new-password', required: true });
  const err = errorLine();
  const ok = okLine();
  const submit = h('button', { type: 'submit', class: 'primary', id: 'pw-submit' }, t('staff.password.submit'));
  const form = h('form', { class: 'form', novalidate: true },
    field(t('staff.password.current'), current),
    field(t('staff.password.new'), next, { hint: t('staff.password.rule', { n: MIN_LENGTH }) }),
    field(t('staff.password.again'), again),
    err, ok,
    h('div', { class: 'actions' }, submit));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    err.clear();
    ok.say('');
    if (!current.value || !next.value) {
      err.show({ body: { error: { code: 'missing_field', field: current.value ? 'new' : 'current' } } }, 'password');
      return;
    }
    if (next.value.length < MIN_LENGTH) {
      err.textContent = t('staff.password.rule', { n: MIN_LENGTH });
      err.hidden = false;
      next.focus();
      return;
    }
    if (next.value !== again.value) {
      err.textContent = t('staff.password.mismatch');
      err.hidden = false;
      again.focus();
      return;
    }
    await busy(submit, async () => {
      try {
        await call('/api/v1/auth/password', { method: 'POST', body: { current: current.value, new: next.value } });
        form.reset();
        ok.say(t('staff.password.done'));
      } catch (e) {
        err.show(e, 'password');
      }
    });
  });
  root.append(screenTitle(t('staff.password.title')), form);
}
