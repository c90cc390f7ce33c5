// Settings: language, Khmer digits, and "forget this phone".
import { h, fill } from '/common/dom.js';
import { t, language, usesKhmerDigits, setKhmerDigits } from '/common/i18n.js';
import { radioGroup, checkbox } from '../lib/form.js';
import * as device from '../lib/device.js';

let confirming = false;
let done = false;

export function leave() {
  confirming = false;
}

export function show(root, { app }) {
  if (done || device.isForgotten()) {
    fill(root, 
      h('h1', { class: 'screen-title', tabindex: '-1' }, t('forget.done_title')),
      h('p', { class: 'notice notice-ok', role: 'status', id: 'forgotten' }, t('forget.done')),
      h('p', {}, t('forget.done_hint')));
    return;
  }
  fill(root, 
    h('h1', { class: 'screen-title', tabindex: '-1' }, t('settings.title')),
    radioGroup({
      name: 'language', legend: t('settings.language'), value: language(),
      options: [{ value: 'km', label: 'ខ្មែរ' }, { value: 'en', label: 'English' }],
      onchange: (v) => app.setLanguage(v),
    }),
    checkbox({
      name: 'khmer_digits', label: t('settings.digits'), hint: t('settings.digits_hint'), checked: usesKhmerDigits(),
      onchange: (v) => { setKhmerDigits(v, { save: !device.isForgotten() }); app.rerender(); },
    }),
    h('section', { class: 'forget-section', 'aria-labelledby': 'forget-title' },
      h('h2', { id: 'forget-title' }, t('forget.title')),
      h('p', {}, t('forget.what')),
      h('p', { class: 'hint' }, t('forget.note')),
      confirming
        ? h('div', { class: 'confirm', role: 'alert' },
          h('p', { class: 'warning' }, t('forget.sure')),
          h('div', { class: 'actions' },
            h('button', { type: 'button', class: 'button danger', id: 'forget-yes', onclick: async (e) => {
              e.target.disabled = true;
              await device.forget();
              app.state = {};
              done = true;
              confirming = false;
              await app.refreshNotices();
              app.rerender();
              app.say(t('forget.done'));
            } }, t('forget.yes')),
            h('button', { type: 'button', class: 'button', id: 'forget-no', onclick: () => { confirming = false; app.rerender(); } }, t('action.cancel'))))
        : h('button', { type: 'button', class: 'button danger', id: 'forget', onclick: () => { confirming = true; app.rerender().then(() => document.getElementById('forget-yes')?.focus()); } }, t('forget.button'))));
}
