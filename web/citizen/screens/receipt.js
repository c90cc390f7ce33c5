// The receipt, shown once: large, in groups of four, with copy and "save as image", a
// plain warning, and the choice to keep it on this phone (My reports).
import { h, fill } from '/common/dom.js';
import { t, num, language, formatDate } from '/common/i18n.js';
import * as device from '../lib/device.js';

let shown = null;

export function leave(app) {
  // shown once: gone from memory when the citizen moves on
  app.state.receipt = null;
  shown = null;
}

function officeName(o) {
  if (!o) return '';
  return language() === 'km' ? o.name_km : o.name_en;
}

export function show(root, { app }) {
  const r = app.state.receipt;
  shown = r;
  if (!r) {
    fill(root, 
      h('h1', { class: 'screen-title', tabindex: '-1' }, t('receipt.gone.title')),
      h('p', {}, t('receipt.gone.text')),
      h('a', { class: 'button primary', href: '#/' }, t('action.home')));
    return;
  }
  const digits = r.receipt.replace(/\D/g, '');
  const groups = digits.match(/.{1,4}/g) || [];
  const status = h('p', { class: 'hint', role: 'status', id: 'receipt-status' });
  const kept = device.isKept(r.receipt);
  fill(root, 
    h('h1', { class: 'screen-title', tabindex: '-1' }, t('receipt.title')),
    h('p', {}, t('receipt.intro')),
    h('p', { class: 'receipt', id: 'receipt-code', 'data-receipt': groups.join('-') },
      groups.map((g) => h('span', { class: 'receipt-group' }, num(g)))),
    h('p', { class: 'warning', id: 'receipt-warning' }, t('receipt.once')),
    h('div', { class: 'actions' },
      h('button', { type: 'button', class: 'button primary', id: 'copy', onclick: () => copy(groups.join('-'), status) }, t('receipt.copy')),
      h('button', { type: 'button', class: 'button', id: 'save-image', onclick: () => saveImage(r, groups, status) }, t('receipt.save_image')),
      kept
        ? h('p', { class: 'kept', id: 'kept' }, t('receipt.kept'))
        : h('button', { type: 'button', class: 'button', id: 'keep', onclick: () => { device.keepReport(r); app.say(t('receipt.kept')); app.rerender(); } }, t('receipt.keep'))),
    kept ? null : h('p', { class: 'hint' }, t('receipt.keep_hint')),
    status,
    h('dl', { class: 'facts' },
      h('dt', {}, t('receipt.case')), h('dd', { id: 'receipt-case' }, num(r.case)),
      h('dt', {}, t('receipt.office')), h('dd', { id: 'receipt-office' }, officeName(r.office)),
      r.due && r.due.acknowledge ? [h('dt', {}, t('due.acknowledge')), h('dd', {}, formatDate(r.due.acknowledge, { time: false }))] : null,
      r.due && r.due.answer ? [h('dt', {}, t('due.answer')), h('dd', {}, formatDate(r.due.answer, { time: false }))] : null),
    h('p', { class: 'hint' }, t('receipt.follow_hint')),
    h('a', { class: 'button', href: '#/', id: 'done' }, t('receipt.done')));
}

async function copy(text, status) {
  let ok = false;
  try {
    await navigator.clipboard.writeText(text);
    ok = true;
  } catch {
    const area = document.createElement('textarea');
    area.value = text;
    area.setAttribute('readonly', '');
    area.className = 'visually-hidden';
    document.body.append(area);
    area.select();
    try { ok = document.execCommand('copy'); } catch { ok = false; }
    area.remove();
  }
  status.textContent = ok ? t('receipt.copied') : t('receipt.copy_failed');
}

// Draws the receipt on a canvas and downloads it as a PNG.
function saveImage(r, groups, status) {
  const canvas = document.createElement('canvas');
  const W = 900, H = 520;
  canvas.width = W;
  canvas.height = H;
  const ctx = canvas.getContext('2d');
  const font = '"Noto Sans Khmer", "Khmer OS System", "Khmer OS", system-ui, sans-serif';
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, W, H);
  ctx.fillStyle = '#005a9c';
  ctx.fillRect(0, 0, W, 110);
  ctx.fillStyle = '#ffffff';
  ctx.font = `bold 44px ${font}`;
  ctx.textBaseline = 'middle';
  ctx.fillText(t('app.name'), 40, 58, W - 80);
  ctx.fillStyle = '#1b1b1f';
  ctx.font = `30px ${font}`;
  ctx.fillText(t('receipt.image.title'), 40, 170, W - 80);
  ctx.font = `bold 84px ${font}`;
  ctx.fillText(groups.map((g) => num(g)).join(' '), 40, 270, W - 80);
  ctx.font = `26px ${font}`;
  ctx.fillStyle = '#50505a';
  ctx.fillText(`${t('receipt.case')}: ${num(r.case)}`, 40, 370, W - 80);
  ctx.fillText(formatDate(new Date()), 40, 415, W - 80);
  ctx.fillStyle = '#a40000';
  ctx.fillText(t('receipt.image.keep_secret'), 40, 470, W - 80);
  canvas.toBlob((blob) => {
    if (!blob) {
      status.textContent = t('receipt.save_failed');
      return;
    }
    const url = URL.createObjectURL(blob);
    const a = document.createElement('a');
    a.href = url;
    a.download = 'ourvoice-receipt.png';
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
    status.textContent = t('receipt.saved');
  }, 'image/png');
}

export function current() {
  return shown;
}
