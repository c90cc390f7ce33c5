// My reports: receipts the citizen chose to keep on this phone, reports made offline that
// wait to be sent, and the receipts of those sent since.
import { h, fill } from '/common/dom.js';
import { t, num, formatDate } from '/common/i18n.js';
import { messageOf } from '../lib/form.js';
import * as device from '../lib/device.js';

export async function show(root, { app }) {
  const outbox = await import('../lib/outbox.js');
  let waiting = [], sent = [];
  try {
    [waiting, sent] = await Promise.all([outbox.waiting(), outbox.sent()]);
  } catch { /* no IndexedDB */ }
  const kept = device.myReports();
  const queued = app.state.queued;
  app.state.queued = null;
  fill(root, 
    h('h1', { class: 'screen-title', tabindex: '-1' }, t('mine.title')),
    queued ? h('p', { class: 'notice notice-ok', role: 'status', id: 'queued' }, t('mine.queued')) : null,
    h('section', { 'aria-labelledby': 'waiting-title', id: 'waiting' },
      h('h2', { id: 'waiting-title' }, t('mine.waiting')),
      waiting.length === 0 ? h('p', { class: 'hint' }, t('mine.waiting_none')) : [
        h('p', { class: 'hint' }, t('mine.waiting_hint')),
        h('ul', { class: 'items', role: 'list' }, waiting.map((w) => h('li', { class: 'item', 'data-waiting': w.id },
          h('p', { class: 'item-title' }, t(`kind.${w.kind}.name`)),
          h('p', { class: 'hint' }, t('mine.made', { date: formatDate(w.made_at) })),
          w.failed
            ? [h('p', { class: 'field-error' }, t('mine.failed'), ' ', messageOf(w.failed)),
              h('button', { type: 'button', class: 'button small', onclick: async () => { await outbox.remove(w.id); await app.refreshNotices(); app.rerender(); } }, t('mine.delete'))]
            : h('p', { class: 'state-waiting' }, navigator.onLine ? t('mine.state_sending') : t('mine.state_offline'))))),
        navigator.onLine ? h('button', { type: 'button', class: 'button', id: 'send-now', onclick: () => app.flush() }, t('mine.send_now')) : null]),
    sent.length ? h('section', { 'aria-labelledby': 'sent-title', id: 'sent' },
      h('h2', { id: 'sent-title' }, t('mine.sent')),
      h('ul', { class: 'items', role: 'list' }, sent.map((s) => h('li', { class: 'item' },
        h('p', { class: 'item-title' }, t(`kind.${s.kind}.name`)),
        h('p', { class: 'hint' }, t('mine.made', { date: formatDate(s.made_at) })),
        h('button', { type: 'button', class: 'button primary', 'data-sent': s.id, onclick: () => app.showSent(s.id) }, t('notice.sent_show')))))) : null,
    h('section', { 'aria-labelledby': 'kept-title', id: 'kept' },
      h('h2', { id: 'kept-title' }, t('mine.kept')),
      kept.length === 0 ? h('p', { class: 'hint' }, t('mine.kept_none')) : [
        h('p', { class: 'hint' }, t('mine.kept_hint')),
        h('ul', { class: 'items', role: 'list' }, kept.map((r) => h('li', { class: 'item', 'data-case': r.case },
          h('p', { class: 'item-title' }, t(`kind.${r.kind}.name`), ' ', h('span', { class: 'case-no' }, num(r.case))),
          h('p', { class: 'hint' }, t('mine.saved', { date: formatDate(r.saved_at, { time: false }) })),
          h('div', { class: 'actions' },
            h('button', { type: 'button', class: 'button primary', onclick: () => { app.state.trackReceipt = r.receipt; app.go('#/track'); } }, t('mine.follow')),
            h('button', { type: 'button', class: 'button', onclick: () => { device.removeReport(r.receipt); app.rerender(); } }, t('mine.remove'))))))]),
    h('p', {}, h('a', { href: '#/settings' }, t('mine.forget_link'))));
}
