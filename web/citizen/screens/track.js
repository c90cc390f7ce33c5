// Following up a report with its receipt: the receipt is exchanged for a short session
// (with a proof of work when the server asks for one), then the case's status, due dates
// and public timeline; reply (with photos), rate the answer, appeal.
import { h, fill } from '/common/dom.js';
import { t, has, language, num, asciiDigits, formatDate } from '/common/i18n.js';
import { api, apiBlob, problem } from '/common/api.js';
import { textField, radioGroup, errorSummary, focusError, messageOf } from '../lib/form.js';
import { myReports } from '../lib/device.js';

const CRITERIA = ['timeliness', 'official_fee', 'courtesy', 'clear_information', 'women_safety', 'overall'];

let session = null; // {token, doc} — in memory only, ended when the screen is left
let entry = { receipt: '', error: null, busy: false, status: '' };
let forms = null;
let urls = [];
let rootEl = null;
let appRef = null;
let active = false;

export function leave() {
  active = false;
  endSession();
}

// Forgets the session and what was typed (on leaving, on "close", when it has expired).
function endSession() {
  session = null;
  entry = { receipt: '', error: null, busy: false, status: '' };
  forms = null;
  for (const u of urls) URL.revokeObjectURL(u);
  urls = [];
}

export function show(root, { app }) {
  rootEl = root;
  appRef = app;
  active = true;
  if (app.state.trackReceipt) {
    const r = app.state.trackReceipt;
    app.state.trackReceipt = null;
    open(r);
    return;
  }
  render();
}

function render() {
  if (session) renderCase();
  else renderEntry();
}

// ---- the receipt ----

function renderEntry() {
  if (!active) return;
  const kept = myReports();
  fill(rootEl, 
    h('h1', { class: 'screen-title', tabindex: '-1' }, t('track.title')),
    h('p', {}, t('track.intro', { n: 16 })),
    h('form', { class: 'track-form', novalidate: true, onsubmit: (e) => { e.preventDefault(); open(entry.receipt); } },
      textField({
        name: 'receipt', label: t('track.receipt'), hint: t('track.receipt_hint', { n: 16 }), value: entry.receipt,
        error: entry.error, context: 'track',
        attrs: { inputmode: 'numeric', autocomplete: 'off', autocapitalize: 'off', spellcheck: 'false', maxlength: 40, class: 'input receipt-input' },
        oninput: (v) => { entry.receipt = v; },
      }),
      h('button', { type: 'submit', class: 'button primary', id: 'track-open', disabled: entry.busy },
        entry.busy ? t('track.opening') : t('track.open')),
      h('p', { class: 'hint', role: 'status', id: 'track-status' }, entry.status)),
    kept.length ? h('section', { 'aria-labelledby': 'kept-title' },
      h('h2', { id: 'kept-title' }, t('track.kept')),
      h('ul', { class: 'links', role: 'list' }, kept.map((r) => h('li', {},
        h('button', { type: 'button', class: 'link-card', 'data-case': r.case, disabled: entry.busy, onclick: () => open(r.receipt) },
          h('span', { class: 'path-title' }, t(`kind.${r.kind}.name`)),
          h('span', { class: 'path-line' }, t('track.kept_line', { case: num(r.case), date: formatDate(r.saved_at, { time: false }) }))))))) : null);
  if (entry.error) focusError(rootEl);
}

async function login(receipt, pow = null, tries = 0) {
  try {
    return await api('/api/v1/track/session', { method: 'POST', body: pow ? { receipt, pow } : { receipt } });
  } catch (e) {
    if ((e.code === 'proof_of_work_required' || e.code === 'proof_of_work_invalid') && tries < 2) {
      setStatus(t('track.checking'));
      const ch = await api('/api/v1/track/challenge');
      const { solve } = await import('../lib/pow.js');
      const nonce = await solve(ch.challenge, ch.bits);
      return login(receipt, { challenge: ch.challenge, nonce }, tries + 1);
    }
    throw e;
  }
}

function setStatus(text) {
  entry.status = text;
  const el = document.getElementById('track-status');
  if (el) el.textContent = text;
}

async function open(receipt) {
  const digits = asciiDigits(receipt || '').replace(/[\s-]/g, '');
  entry.receipt = receipt || '';
  entry.error = null;
  if (!/^\d{16}$/.test(digits)) {
    entry.error = problem('invalid_receipt', 'receipt').body;
    renderEntry();
    return;
  }
  entry.busy = true;
  entry.status = t('track.opening_hint');
  renderEntry();
  try {
    const s = await login(digits);
    const doc = await api('/api/v1/track', { token: s.token });
    session = { token: s.token, doc };
    entry = { receipt: '', error: null, busy: false, status: '' };
    forms = null;
    renderCase();
    rootEl.querySelector('h1').focus();
  } catch (e) {
    entry.busy = false;
    entry.status = '';
    entry.error = e.body;
    renderEntry();
  }
}

// ---- the case ----

function officeName(o) {
  return o ? (language() === 'km' ? o.name_km : o.name_en) : '';
}

function newForms() {
  return {
    reply: { text: '', photos: [], error: null, busy: false },
    rate: { satisfied: null, score: null, comment: '', error: null, busy: false },
    appeal: { reason: '', error: null, busy: false },
    notice: '',
  };
}

function late(due, doneStatuses, status) {
  return due && !doneStatuses.includes(status) && new Date(due) < new Date();
}

function renderCase() {
  if (!active || !session) return;
  const d = session.doc;
  if (!forms) forms = newForms();
  const byEvent = new Map();
  for (const a of d.attachments || []) {
    if (!byEvent.has(a.event)) byEvent.set(a.event, []);
    byEvent.get(a.event).push(a);
  }
  const open = !['closed', 'rejected'].includes(d.status);
  fill(rootEl, 
    h('h1', { class: 'screen-title', tabindex: '-1' }, t(`kind.${d.kind}.name`), ' ', h('span', { class: 'case-no' }, num(d.case))),
    forms.notice ? h('p', { class: 'notice notice-ok', role: 'status' }, forms.notice) : null,
    h('p', { class: `status status-${d.status}`, id: 'case-status' }, t(`status.${d.status}`)),
    h('p', { class: 'hint' }, t(`status.${d.status}.hint`)),
    h('dl', { class: 'facts' },
      h('dt', {}, t('track.office')), h('dd', { id: 'case-office' }, officeName(d.office)),
      h('dt', {}, t('track.made')), h('dd', {}, formatDate(d.made_at)),
      d.due && d.due.acknowledge ? [h('dt', {}, t('due.acknowledge')), h('dd', {}, formatDate(d.due.acknowledge, { time: false }),
        late(d.due.acknowledge, ['acknowledged', 'in_progress', 'answered', 'closed', 'rejected'], d.status) ? h('span', { class: 'late' }, ` ${t('due.late')}`) : null)] : null,
      d.due && d.due.answer ? [h('dt', {}, t('due.answer')), h('dd', {}, formatDate(d.due.answer, { time: false }),
        late(d.due.answer, ['answered', 'closed', 'rejected'], d.status) ? h('span', { class: 'late' }, ` ${t('due.late')}`) : null)] : null),
    d.text ? h('section', { 'aria-labelledby': 'yours-title' },
      h('h2', { id: 'yours-title' }, t('track.yours')), h('p', { class: 'message-text' }, d.text)) : null,
    d.scores ? h('section', { 'aria-labelledby': 'scores-title' },
      h('h2', { id: 'scores-title' }, t('report.scores.title')),
      h('dl', { class: 'facts' }, CRITERIA.filter((c) => d.scores[c]).map((c) => [h('dt', {}, t(`criterion.${c}`)), h('dd', {}, t('score.of5', { n: d.scores[c], max: 5 }))]))) : null,
    h('section', { 'aria-labelledby': 'timeline-title' },
      h('h2', { id: 'timeline-title' }, t('track.timeline')),
      h('ol', { class: 'timeline', id: 'timeline' }, d.timeline.map((ev) => eventItem(ev, byEvent.get(ev.id) || [])))),
    d.can_rate ? rateForm() : null,
    d.can_appeal ? appealForm() : null,
    open ? replyForm() : null,
    h('div', { class: 'actions' },
      h('button', { type: 'button', class: 'button', id: 'track-refresh', onclick: refresh }, t('track.refresh')),
      h('button', { type: 'button', class: 'button', id: 'track-close', onclick: () => { endSession(); render(); rootEl.querySelector('h1').focus(); } }, t('track.close'))));
  loadAttachments();
}

function eventItem(ev, files) {
  return h('li', { class: `event event-${ev.type} actor-${ev.actor}`, 'data-type': ev.type },
    h('p', { class: 'event-head' },
      h('span', { class: 'event-title' }, has(`event.${ev.type}`) ? t(`event.${ev.type}`) : t('event.other')),
      h('span', { class: 'event-when' }, formatDate(ev.at))),
    ev.text ? h('p', { class: 'message-text' }, ev.text) : null,
    ev.reason ? h('p', { class: 'event-reason' }, t('event.reason', { reason: ev.reason })) : null,
    ev.to_office ? h('p', { class: 'event-to' }, t('event.to', { office: officeName(ev.to_office) })) : null,
    files.length ? h('ul', { class: 'files', role: 'list' }, files.map((f) => h('li', { class: 'file', 'data-attachment': f.id, 'data-type': f.type },
      h('span', { class: 'hint' }, t('track.file_loading'))))) : null);
}

async function loadAttachments() {
  const token = session && session.token;
  for (const el of rootEl.querySelectorAll('[data-attachment]')) {
    const id = el.dataset.attachment;
    const type = el.dataset.type || '';
    try {
      const blob = await apiBlob(`/api/v1/track/attachments/${encodeURIComponent(id)}`, { token });
      const url = URL.createObjectURL(blob);
      urls.push(url);
      if (type.startsWith('image/')) el.replaceChildren(h('img', { src: url, alt: t('track.photo'), class: 'photo' }));
      else if (type.startsWith('audio/')) el.replaceChildren(h('audio', { controls: true, src: url, 'aria-label': t('track.voice') }));
      else el.replaceChildren(h('a', { href: url, download: `ourvoice-${id}`, class: 'button small' }, t('track.download')));
    } catch (e) {
      el.replaceChildren(h('span', { class: 'field-error' }, messageOf(e)));
    }
  }
}

async function act(path, payload, form) {
  form.busy = true;
  form.error = null;
  renderCase();
  try {
    session.doc = await api(path, { method: 'POST', body: payload, token: session.token });
    forms = newForms();
    return true;
  } catch (e) {
    if (e.status === 401) {
      endSession();
      entry.error = e.body;
      renderEntry();
      return false;
    }
    form.error = e.body;
    return false;
  } finally {
    form.busy = false;
    if (session) {
      renderCase();
      if (form.error) focusError(rootEl);
    }
  }
}

async function refresh() {
  try {
    session.doc = await api('/api/v1/track', { token: session.token });
    renderCase();
    appRef.say(t('track.refreshed'));
  } catch (e) {
    if (e.status === 401) {
      endSession();
      entry.error = e.body;
      renderEntry();
    } else {
      forms.notice = messageOf(e);
      renderCase();
    }
  }
}

function replyForm() {
  const f = forms.reply;
  return h('form', { class: 'card', id: 'reply-form', novalidate: true, onsubmit: async (e) => {
    e.preventDefault();
    if (!f.text.trim()) {
      f.error = problem('missing_field', 'text').body;
      renderCase();
      focusError(rootEl);
      return;
    }
    const { attachmentsBody } = await import('../lib/media.js');
    const payload = { text: f.text.trim() };
    if (f.photos.length) payload.attachments = await attachmentsBody(f.photos);
    const photos = f.photos;
    if (await act('/api/v1/track/messages', payload, f)) {
      for (const p of photos) URL.revokeObjectURL(p.url);
      forms.notice = t('track.reply_sent');
      renderCase();
    }
  } },
  h('h2', {}, t('track.reply')),
  f.error && !f.error.error.field ? errorSummary({ x: f.error }) : null,
  textField({ name: 'reply', label: t('track.reply_label'), multiline: true, rows: 4, value: f.text,
    error: f.error && f.error.error.field === 'text' ? f.error : null, attrs: { maxlength: 6000 },
    oninput: (v) => { f.text = v; } }),
  h('ul', { class: 'thumbs', role: 'list' }, f.photos.map((p, i) => h('li', { class: 'thumb' },
    h('img', { src: p.url, alt: t('photo.alt', { n: i + 1 }) }),
    h('button', { type: 'button', class: 'button small', onclick: () => { URL.revokeObjectURL(p.url); f.photos.splice(i, 1); renderCase(); } }, t('photo.remove'))))),
  f.photos.length < 4 ? [
    h('input', { type: 'file', accept: 'image/*', id: 'reply-photo', class: 'visually-hidden', multiple: true, onchange: async (e) => {
      const { downscalePhoto } = await import('../lib/media.js');
      for (const file of Array.from(e.target.files || [])) {
        if (f.photos.length >= 4) break;
        try {
          const blob = await downscalePhoto(file);
          f.photos.push({ blob, url: URL.createObjectURL(blob) });
        } catch {
          f.error = problem('unsupported_file', 'attachments').body;
        }
      }
      renderCase();
    } }),
    h('label', { for: 'reply-photo', class: 'button file-button' }, t('photo.add'))] : null,
  f.error && f.error.error.field === 'attachments' ? h('p', { class: 'field-error' }, messageOf(f.error)) : null,
  h('button', { type: 'submit', class: 'button primary', id: 'reply-send', disabled: f.busy }, f.busy ? t('report.sending') : t('track.reply_send')));
}

function rateForm() {
  const f = forms.rate;
  return h('form', { class: 'card', id: 'rate-form', novalidate: true, onsubmit: (e) => {
    e.preventDefault();
    if (f.satisfied === null) {
      f.error = problem('missing_field', 'satisfied').body;
      renderCase();
      focusError(rootEl);
      return;
    }
    const payload = { satisfied: f.satisfied === 'yes' };
    if (f.score) payload.score = f.score;
    if (f.comment.trim()) payload.comment = f.comment.trim();
    act('/api/v1/track/rating', payload, f);
  } },
  h('h2', {}, t('rate.title')),
  f.error && f.error.error.field !== 'satisfied' ? errorSummary({ x: f.error }) : null,
  radioGroup({ name: 'satisfied', legend: t('rate.satisfied'), value: f.satisfied, required: true,
    error: f.error && f.error.error.field === 'satisfied' ? f.error : null,
    options: [{ value: 'yes', label: t('rate.yes') }, { value: 'no', label: t('rate.no') }],
    onchange: (v) => { f.satisfied = v; } }),
  radioGroup({ name: 'score', legend: t('rate.score'), hint: t('rate.score_hint', { a: 1, b: 5 }), value: f.score, scale: true,
    options: [1, 2, 3, 4, 5].map((n) => ({ value: n, label: num(n), hint: n === 1 ? t('score.1') : n === 5 ? t('score.5') : null })),
    onchange: (v) => { f.score = v; } }),
  textField({ name: 'comment', label: t('rate.comment'), multiline: true, rows: 3, value: f.comment, attrs: { maxlength: 600 },
    oninput: (v) => { f.comment = v; } }),
  h('button', { type: 'submit', class: 'button primary', id: 'rate-send', disabled: f.busy }, f.busy ? t('report.sending') : t('rate.send')));
}

function appealForm() {
  const f = forms.appeal;
  return h('form', { class: 'card', id: 'appeal-form', novalidate: true, onsubmit: (e) => {
    e.preventDefault();
    const payload = f.reason.trim() ? { reason: f.reason.trim() } : {};
    act('/api/v1/track/appeal', payload, f).then((ok) => { if (ok) { forms.notice = t('appeal.sent'); renderCase(); } });
  } },
  h('h2', {}, t('appeal.title')),
  h('p', { class: 'hint' }, t('appeal.hint')),
  f.error ? errorSummary({ x: f.error }) : null,
  textField({ name: 'appeal', label: t('appeal.reason'), multiline: true, rows: 3, value: f.reason, attrs: { maxlength: 600 },
    oninput: (v) => { f.reason = v; } }),
  h('button', { type: 'submit', class: 'button primary', id: 'appeal-send', disabled: f.busy }, f.busy ? t('report.sending') : t('appeal.send')));
}
