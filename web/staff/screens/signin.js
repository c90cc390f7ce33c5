// Sign-in: login and password; the 6-digit code of the authenticator app is asked for
// when the server answers totp_required (ombudsmen and administrators). Shows why the
// user is here again (the session ended, signed out).
import { h } from '/common/dom.js';
import { t, asciiDigits } from '/common/i18n.js';
import * as session from '../lib/session.js';
import { screenTitle, field, errorLine, busy, message } from '../lib/ui.js';

let keepLogin = ''; // what was typed, kept across a change of language
let kept = { notice: null, noticeError: null }; // why the user is here, kept likewise

export function show(root, { app, rerender }) {
  if (!rerender) kept = { notice: app.state.notice, noticeError: app.state.noticeError };
  const { notice, noticeError } = kept;
  app.state.notice = null;
  app.state.noticeError = null;

  const login = h('input', { name: 'login', id: 'login', autocomplete: 'username', required: true, autocapitalize: 'none', spellcheck: 'false', value: keepLogin });
  const password = h('input', { name: 'password', id: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const totp = h('input', {
    name: 'totp', id: 'totp', inputmode: 'numeric', autocomplete: 'one-time-code', pattern: '[0-9០-៩]{6}', maxlength: '6',
  });
  const totpField = field(t('staff.signin.totp'), totp, { hint: t('staff.signin.totp_hint') });
  totpField.hidden = true;
  const err = errorLine();
  const submit = h('button', { type: 'submit', class: 'primary', id: 'signin-submit' }, t('staff.signin.submit'));

  const form = h('form', { class: 'form signin', novalidate: true },
    field(t('staff.signin.login'), login),
    field(t('staff.signin.password'), password),
    totpField,
    err,
    h('div', { class: 'actions' }, submit));

  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    err.clear();
    keepLogin = login.value.trim();
    if (!login.value.trim() || !password.value) {
      err.show({ body: { error: { code: 'missing_field', field: !login.value.trim() ? 'login' : 'password' } } }, 'signin');
      return;
    }
    const code = asciiDigits(totp.value.trim());
    if (!totpField.hidden && !/^\d{6}$/.test(code)) {
      err.show({ body: { error: { code: 'totp_required', field: 'totp' } } });
      totp.focus();
      return;
    }
    await busy(submit, async () => {
      try {
        await session.login(login.value.trim(), password.value, totpField.hidden ? null : code);
        keepLogin = '';
        await app.signedIn();
      } catch (e) {
        if (e.code === 'totp_required') {
          const first = totpField.hidden;
          totpField.hidden = false;
          if (first) {
            err.clear();
            app.say(t('staff.signin.totp_hint'));
          } else {
            err.show(e);
          }
          totp.focus();
          return;
        }
        err.show(e, 'signin');
        if (e.code === 'invalid_credentials') {
          password.value = '';
          totp.value = '';
          password.focus();
        }
      }
    });
  });

  root.append(...[
    screenTitle(t('staff.signin.title')),
    notice && h('p', { class: 'notice notice-info', role: 'alert', id: 'signin-notice' }, t(notice)),
    noticeError && h('p', { class: 'error', role: 'alert' }, message(noticeError)),
    h('p', { class: 'lead' }, t('staff.signin.lead')),
    form].filter(Boolean));
}
