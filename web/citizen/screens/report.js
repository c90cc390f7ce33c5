// Making a report of one of the four kinds, in three steps: where and what; say it (or,
// for an evaluation, the scores); who may know (confidentiality), then send. Offline, the
// report is kept on the phone and sent later (lib/outbox.js).
import { h, fill } from '/common/dom.js';
import { t, language, number, num, asciiDigits } from '/common/i18n.js';
import { api, problem, isNetworkError } from '/common/api.js';
import { placePicker, clearSearch } from '../lib/places.js';
import { textField, radioGroup, checkbox, errorSummary, focusError, messageOf } from '../lib/form.js';
import { downscalePhoto, attachmentsBody, voiceSupported, VoiceRecorder, MAX_ATTACHMENTS } from '../lib/media.js';
import * as device from '../lib/device.js';

const KINDS = ['complaint', 'support', 'information', 'evaluation'];
export const CRITERIA = ['timeliness', 'official_fee', 'courtesy', 'clear_information', 'women_safety', 'overall'];
const SEXES = ['female', 'male', 'other', 'unsaid'];
const AGES = ['under_18', '18_24', '25_34', '35_44', '45_59', '60_plus'];
const AGE_PARAMS = { under_18: { a: 18 }, '18_24': { a: 18, b: 24 }, '25_34': { a: 25, b: 34 }, '35_44': { a: 35, b: 44 }, '45_59': { a: 45, b: 59 }, '60_plus': { a: 60 } };
const OFFICE_KINDS = ['commune', 'owso', 'owsu'];
const OTHER = '__other';
const TEXT_MAX = 6000; // characters; the server takes 20000 bytes (Khmer takes 3 a character)

let draft = null;
let active = false; // this screen is shown (late answers draw nothing once it is left)
let recorder = null;
let rootEl = null;
let appRef = null;

function newDraft(kind) {
  return {
    kind, step: 1, place: device.lastPlace(), service: undefined, services: null, servicesError: null,
    text: '', scores: {}, attachments: [], phone: '', email: '', telegram: '', shareName: false, name: '',
    bypass: false, sensitive: false, overcharged: false, publicConsent: false, sex: null, age: null, disability: null,
    errors: {}, sending: false, voiceState: 'idle', voiceSeconds: 0,
  };
}

// Which step shows an error of a field.
function stepOf(field) {
  if (!field) return 3;
  if (field === 'area' || field === 'service') return 1;
  if (field === 'text' || field.startsWith('scores') || field === 'attachments' || field === 'overcharged') return 2;
  return 3;
}

export function show(root, { app, param }) {
  appRef = app;
  rootEl = root;
  active = true;
  if (!KINDS.includes(param)) {
    app.go('#/');
    return;
  }
  if (!draft || draft.kind !== param) {
    dropDraft();
    clearSearch();
    draft = newDraft(param);
  }
  render();
}

export function leave() {
  active = false;
  if (recorder) {
    recorder.cancel();
    recorder = null;
    if (draft) draft.voiceState = 'idle';
  }
}

function dropDraft() {
  if (draft) for (const a of draft.attachments) URL.revokeObjectURL(a.url);
  draft = null;
}

function render({ focus = false } = {}) {
  if (!active || !draft) return;
  const d = draft;
  const steps = [t('report.step.where'), d.kind === 'evaluation' ? t('report.step.scores') : t('report.step.say'), t('report.step.privacy')];
  const form = h('form', { class: 'report', novalidate: true, onsubmit: (e) => { e.preventDefault(); next(); } },
    errorSummary(d.errors),
    d.step === 1 ? stepWhere() : d.step === 2 ? stepSay() : stepPrivacy(),
    h('div', { class: 'nav' },
      d.step > 1 ? h('button', { type: 'button', class: 'button', id: 'back', onclick: back, disabled: d.sending }, t('action.back')) : null,
      h('button', { type: 'submit', class: 'button primary', id: d.step < 3 ? 'next' : 'send', disabled: d.sending },
        d.step < 3 ? t('action.next') : d.sending ? t('report.sending') : t('report.send'))),
    d.sending ? h('p', { class: 'hint', role: 'status' }, t('report.sending_hint')) : null);
  fill(rootEl, 
    h('h1', { class: 'screen-title', tabindex: '-1' }, t(`kind.${d.kind}.action`)),
    h('p', { class: 'steps', 'data-step': d.step }, t('report.step_of', { n: d.step, total: 3 }), ' · ', steps[d.step - 1]),
    h('ol', { class: 'progress', 'aria-hidden': 'true' }, steps.map((s, i) => h('li', { class: i + 1 <= d.step ? 'done' : null }))),
    form);
  if (focus) focusError(rootEl);
}

// ---- step 1: where and what ----

function stepWhere() {
  const d = draft;
  const picker = placePicker({
    value: d.place,
    error: d.errors.area,
    onChange: (place) => {
      const changed = place.commune !== d.place.commune;
      d.place = place;
      delete d.errors.area;
      if (place.commune) device.savePlace(place);
      if (changed) {
        d.service = undefined;
        d.services = null;
        loadServices();
      }
    },
  });
  const box = h('div', { class: 'services', id: 'services' });
  d.servicesBox = box;
  renderServices();
  if (d.place.commune && !d.services && !d.servicesError) picker.ready.then(() => loadServices());
  return h('div', { class: 'step' },
    h('h2', {}, t('report.where.title')),
    h('p', { class: 'hint' }, t(`report.where.hint.${d.kind}`)),
    picker, box);
}

let servicesSeq = 0;
async function loadServices() {
  const d = draft;
  const seq = ++servicesSeq;
  d.services = null;
  d.servicesError = null;
  renderServices();
  if (!d.place.commune) return;
  try {
    const list = await api(`/api/v1/services?area=${encodeURIComponent(d.place.commune)}`);
    if (seq !== servicesSeq || d !== draft) return;
    d.services = list;
  } catch (e) {
    if (seq !== servicesSeq || d !== draft) return;
    d.servicesError = e;
  }
  renderServices();
}

function feeLine(s) {
  if (s.fee_khr === null || s.fee_khr === undefined) return t('service.fee_unknown');
  if (s.fee_khr === 0) return t('service.fee_free');
  return t('service.fee', { amount: number(s.fee_khr) });
}

function daysLine(s) {
  if (s.days === null || s.days === undefined) return t('service.days_unknown');
  return t('service.days', { n: number(s.days) });
}

function renderServices() {
  const d = draft;
  const box = d.servicesBox;
  if (!box) return;
  if (!d.place.commune) {
    box.replaceChildren(...(d.errors.service ? [h('p', { class: 'field-error' }, messageOf(d.errors.service))] : []));
    return;
  }
  if (d.servicesError) {
    box.replaceChildren(h('p', { class: 'error', role: 'alert' }, messageOf(d.servicesError)),
      h('button', { type: 'button', class: 'button', onclick: loadServices }, t('action.retry')));
    return;
  }
  if (!d.services) {
    box.replaceChildren(h('p', { class: 'hint', role: 'status' }, t('service.loading')));
    return;
  }
  const name = (s) => (language() === 'km' ? s.name_km : s.name_en);
  const options = [];
  for (const kind of OFFICE_KINDS) {
    const list = d.services.filter((x) => x.office_kind === kind);
    if (list.length) options.push({ heading: t(`office_kind.${kind}`) });
    for (const s of list) {
      const unknown = (s.fee_khr === null || s.fee_khr === undefined) && (s.days === null || s.days === undefined);
      options.push({
        value: s.code,
        label: name(s),
        extra: h('span', { class: 'service-meta' },
          unknown ? h('span', {}, t('service.unknown')) : [h('span', { class: 'fee' }, feeLine(s)), h('span', { class: 'days' }, daysLine(s))]),
      });
    }
  }
  options.push({ heading: t('service.other_heading') });
  options.push({ value: OTHER, label: t('service.other'), hint: t('service.other_hint') });
  box.replaceChildren(radioGroup({
    name: 'service', legend: t('service.legend'), hint: t('service.hint'), options,
    value: d.service === null ? OTHER : d.service, error: d.errors.service, required: true,
    onchange: (v) => { d.service = v === OTHER ? null : v; delete d.errors.service; },
  }));
}

// ---- step 2: say it, or the scores ----

function stepSay() {
  const d = draft;
  const parts = [];
  if (d.kind === 'evaluation') {
    parts.push(h('h2', {}, t('report.scores.title')), h('p', { class: 'hint' }, t('report.scores.hint', { a: 1, b: 5 })));
    for (const c of CRITERIA) {
      parts.push(radioGroup({
        name: `scores.${c}`, legend: t(`criterion.${c}`), hint: t(`criterion.${c}.hint`), scale: true,
        required: c === 'overall', error: d.errors[`scores.${c}`] || (c === 'overall' ? d.errors.scores : null),
        options: [1, 2, 3, 4, 5].map((n) => ({ value: n, label: num(n), hint: n === 1 ? t('score.1') : n === 5 ? t('score.5') : null })),
        value: d.scores[c],
        onchange: (v) => { d.scores[c] = v; delete d.errors[`scores.${c}`]; delete d.errors.scores; },
      }));
    }
    parts.push(textField({
      name: 'text', label: t('report.comment'), hint: t('report.comment_hint'), multiline: true, rows: 4,
      value: d.text, error: d.errors.text, attrs: { maxlength: TEXT_MAX }, oninput: (v) => { d.text = v; },
    }));
  } else {
    parts.push(h('h2', {}, t(`report.say.title.${d.kind}`)), textField({
      name: 'text', label: t(`report.say.label.${d.kind}`), hint: t(`report.say.hint.${d.kind}`), multiline: true,
      rows: 7, value: d.text, error: d.errors.text, attrs: { maxlength: TEXT_MAX, required: true },
      oninput: (v) => { d.text = v; delete d.errors.text; },
    }));
  }
  if (d.kind === 'complaint') parts.push(overchargedPart());
  parts.push(attachmentsPart());
  return h('div', { class: 'step' }, parts);
}

// A complaint may say the citizen was asked for more than the official fee (counted in the
// statistics per service); the fee is shown beside it when the catalogue has one.
function overchargedPart() {
  const d = draft;
  const service = d.service && d.services ? d.services.find((s) => s.code === d.service) : null;
  const known = service && service.fee_khr !== null && service.fee_khr !== undefined;
  return h('div', { class: 'field overcharged' },
    checkbox({ name: 'overcharged', label: t('report.overcharged'), hint: known ? feeLine(service) : null,
      checked: d.overcharged, onchange: (v) => { d.overcharged = v; delete d.errors.overcharged; } }),
    d.errors.overcharged ? h('p', { class: 'field-error' }, messageOf(d.errors.overcharged)) : null);
}

function attachmentsPart() {
  const d = draft;
  const room = MAX_ATTACHMENTS - d.attachments.length - (d.voiceState === 'recording' ? 1 : 0);
  const fileInput = h('input', {
    type: 'file', accept: 'image/*', multiple: true, id: 'photo-input', class: 'visually-hidden',
    disabled: room <= 0, onchange: (e) => addPhotos(e.target.files),
  });
  const photos = d.attachments.filter((a) => a.type === 'photo');
  const voice = d.attachments.find((a) => a.type === 'voice');
  return h('div', { class: 'attachments', 'data-field': 'attachments' },
    d.errors.attachments ? h('p', { class: 'field-error' }, messageOf(d.errors.attachments)) : null,
    h('h3', {}, t('photo.title')),
    h('p', { class: 'hint' }, t('photo.hint')),
    h('ul', { class: 'thumbs', role: 'list' }, photos.map((a, i) => h('li', { class: 'thumb' },
      h('img', { src: a.url, alt: t('photo.alt', { n: i + 1 }) }),
      h('button', { type: 'button', class: 'button small', onclick: () => removeAttachment(a) },
        t('photo.remove'), h('span', { class: 'visually-hidden' }, ` ${num(i + 1)}`))))),
    room > 0 ? h('label', { for: 'photo-input', class: 'button file-button', id: 'add-photo' }, t('photo.add')) : h('p', { class: 'hint' }, t('photo.full', { n: MAX_ATTACHMENTS })),
    fileInput,
    voiceSupported() ? voicePart(voice, room) : null);
}

function voicePart(voice, room) {
  const d = draft;
  const parts = [h('h3', {}, t('voice.title')), h('p', { class: 'hint' }, t('voice.hint', { n: 5 }))];
  if (voice) {
    parts.push(h('audio', { controls: true, src: voice.url, class: 'audio', 'aria-label': t('voice.yours') }),
      h('button', { type: 'button', class: 'button small', id: 'voice-remove', onclick: () => removeAttachment(voice) }, t('voice.remove')));
  } else if (d.voiceState === 'recording') {
    parts.push(h('p', { class: 'recording', role: 'status', id: 'voice-time' }, t('voice.recording', { time: clock(d.voiceSeconds) })),
      h('button', { type: 'button', class: 'button primary', id: 'voice-stop', onclick: stopVoice }, t('voice.stop')));
  } else if (room > 0) {
    parts.push(h('button', { type: 'button', class: 'button', id: 'voice-start', onclick: startVoice }, t('voice.start')));
  }
  if (d.voiceError) parts.push(h('p', { class: 'field-error', role: 'alert' }, messageOf(d.voiceError)));
  return h('div', { class: 'voice' }, parts);
}

function clock(s) {
  return num(`${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`);
}

async function addPhotos(files) {
  const d = draft;
  delete d.errors.attachments;
  for (const file of Array.from(files || [])) {
    if (d.attachments.length >= MAX_ATTACHMENTS) break;
    try {
      const blob = await downscalePhoto(file);
      d.attachments.push({ type: 'photo', blob, url: URL.createObjectURL(blob) });
    } catch {
      d.errors.attachments = problem('unsupported_file', 'attachments').body;
    }
  }
  if (d === draft) render();
  const add = document.getElementById('add-photo');
  if (add) add.focus();
}

function removeAttachment(a) {
  const d = draft;
  URL.revokeObjectURL(a.url);
  d.attachments = d.attachments.filter((x) => x !== a);
  render();
}

async function startVoice() {
  const d = draft;
  d.voiceError = null;
  recorder = new VoiceRecorder({
    onTick: (s) => {
      d.voiceSeconds = s;
      const el = document.getElementById('voice-time');
      if (el) el.textContent = t('voice.recording', { time: clock(s) });
    },
    onLimit: () => stopVoice(),
  });
  try {
    await recorder.start();
  } catch {
    recorder = null;
    d.voiceError = problem('microphone_denied').body;
    render();
    return;
  }
  d.voiceState = 'recording';
  d.voiceSeconds = 0;
  render();
  const stop = document.getElementById('voice-stop');
  if (stop) stop.focus();
}

async function stopVoice() {
  const d = draft;
  if (!recorder) return;
  const r = recorder;
  recorder = null;
  const blob = await r.stop();
  d.voiceState = 'idle';
  if (blob.size > 0) d.attachments.push({ type: 'voice', blob, url: URL.createObjectURL(blob) });
  if (d === draft) render();
  const remove = document.getElementById('voice-remove');
  if (remove) remove.focus();
}

// ---- step 3: who may know ----

function stepPrivacy() {
  const d = draft;
  const complaint = d.kind === 'complaint';
  return h('div', { class: 'step' },
    h('h2', {}, t('privacy.title')),
    h('p', { class: 'callout' }, t('privacy.anonymous')),
    h('fieldset', { class: 'group' },
      h('legend', { class: 'label' }, t('privacy.contact.legend')),
      h('p', { class: 'hint' }, t('privacy.contact.hint')),
      h('p', { class: 'warning' }, t('privacy.contact.warning')),
      textField({ name: 'contact.phone', label: t('privacy.phone'), type: 'tel', value: d.phone, error: d.errors['contact.phone'],
        attrs: { inputmode: 'tel', autocomplete: 'off', maxlength: 32 }, oninput: (v) => { d.phone = v; delete d.errors['contact.phone']; } }),
      textField({ name: 'contact.email', label: t('privacy.email'), type: 'email', value: d.email, error: d.errors['contact.email'],
        attrs: { autocomplete: 'off', maxlength: 254, spellcheck: 'false' }, oninput: (v) => { d.email = v; delete d.errors['contact.email']; } }),
      textField({ name: 'contact.telegram', label: t('privacy.telegram'), hint: t('privacy.telegram_hint'), value: d.telegram,
        error: d.errors['contact.telegram'], attrs: { autocomplete: 'off', maxlength: 64, spellcheck: 'false' },
        oninput: (v) => { d.telegram = v; delete d.errors['contact.telegram']; } })),
    h('fieldset', { class: 'group' },
      h('legend', { class: 'label' }, t('privacy.name.legend')),
      checkbox({ name: 'share_identity', label: t('privacy.name.share'), hint: t('privacy.name.hint'), checked: d.shareName,
        onchange: (v) => { d.shareName = v; render(); if (v) { const el = rootEl.querySelector('[data-field="contact.name"]'); if (el) el.focus(); } } }),
      d.shareName ? textField({ name: 'contact.name', label: t('privacy.name.label'), value: d.name, error: d.errors['contact.name'],
        attrs: { autocomplete: 'name', maxlength: 200 }, oninput: (v) => { d.name = v; delete d.errors['contact.name']; } }) : null),
    complaint ? h('fieldset', { class: 'group' },
      h('legend', { class: 'label' }, t('privacy.complaint.legend')),
      checkbox({ name: 'bypass_office', label: t('privacy.bypass'), hint: t('privacy.bypass_hint'), checked: d.bypass,
        onchange: (v) => { d.bypass = v; } }),
      checkbox({ name: 'sensitive', label: t('privacy.sensitive'), hint: t('privacy.sensitive_hint'), checked: d.sensitive,
        onchange: (v) => { d.sensitive = v; } })) : null,
    h('fieldset', { class: 'group' },
      h('legend', { class: 'label' }, t('privacy.public.legend')),
      checkbox({ name: 'public_consent', label: t('privacy.public'), hint: t('privacy.public_hint'), checked: d.publicConsent,
        onchange: (v) => { d.publicConsent = v; } })),
    h('section', { class: 'demographics', 'aria-labelledby': 'demo-title' },
      h('h2', { id: 'demo-title' }, t('demo.title')),
      h('p', { class: 'hint' }, t('demo.why')),
      radioGroup({ name: 'demographics.sex', legend: t('demo.sex'), value: d.sex, error: d.errors['demographics.sex'],
        options: SEXES.map((v) => ({ value: v, label: t(`sex.${v}`) })), onchange: (v) => { d.sex = v; } }),
      radioGroup({ name: 'demographics.age_band', legend: t('demo.age'), value: d.age, error: d.errors['demographics.age_band'],
        options: AGES.map((v) => ({ value: v, label: t(`age.${v}`, AGE_PARAMS[v]) })), onchange: (v) => { d.age = v; } }),
      radioGroup({ name: 'demographics.disability', legend: t('demo.disability'), hint: t('demo.disability_hint'), value: d.disability,
        error: d.errors['demographics.disability'],
        options: [{ value: 'yes', label: t('answer.yes') }, { value: 'no', label: t('answer.no') }, { value: 'unsaid', label: t('answer.unsaid') }],
        onchange: (v) => { d.disability = v; } })));
}

// ---- moving between steps, checking and sending ----

function check(step) {
  const d = draft;
  const errors = {};
  if (step === 1) {
    if (!d.place.commune) errors.area = problem('missing_field', 'area').body;
    if (d.place.commune && d.service === undefined) errors.service = problem('missing_field', 'service').body;
  } else if (step === 2) {
    if (d.kind === 'evaluation' && !d.scores.overall) errors['scores.overall'] = problem('missing_field', 'scores.overall').body;
    if (d.kind !== 'evaluation' && !d.text.trim()) errors.text = problem('missing_field', 'text').body;
    if (d.voiceState === 'recording') errors.attachments = problem('still_recording', 'attachments').body;
  } else if (step === 3) {
    if (d.shareName && !d.name.trim()) errors['contact.name'] = problem('missing_field', 'contact.name').body;
  }
  return errors;
}

function back() {
  draft.errors = {};
  draft.step -= 1;
  render();
  rootEl.querySelector('h1').focus();
}

async function next() {
  const d = draft;
  if (d.sending) return;
  d.errors = check(d.step);
  if (Object.keys(d.errors).length) {
    render({ focus: true });
    return;
  }
  if (d.step < 3) {
    d.step += 1;
    render();
    rootEl.querySelector('h1').focus();
    window.scrollTo(0, 0);
    return;
  }
  await send();
}

async function body() {
  const d = draft;
  const b = { kind: d.kind, area: d.place.commune, service: d.service ?? null, language: language() };
  if (d.text.trim()) b.text = d.text.trim();
  if (d.kind === 'evaluation') b.scores = { ...d.scores };
  if (d.kind === 'complaint') {
    if (d.bypass) b.bypass_office = true;
    if (d.sensitive) b.sensitive = true;
    if (d.overcharged) b.overcharged = true;
  }
  if (d.publicConsent) b.public_consent = true;
  const contact = {};
  if (d.phone.trim()) contact.phone = asciiDigits(d.phone.trim());
  if (d.email.trim()) contact.email = d.email.trim();
  if (d.telegram.trim()) contact.telegram = d.telegram.trim();
  if (d.shareName && d.name.trim()) Object.assign(contact, { name: d.name.trim(), share_identity: true });
  if (Object.keys(contact).length) b.contact = contact;
  const demo = {};
  if (d.sex) demo.sex = d.sex;
  if (d.age) demo.age_band = d.age;
  if (d.disability === 'yes' || d.disability === 'no') demo.disability = d.disability === 'yes';
  if (Object.keys(demo).length) b.demographics = demo;
  if (d.attachments.length) b.attachments = await attachmentsBody(d.attachments);
  return b;
}

function madeAt() {
  return new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
}

async function keepForLater(b) {
  try {
    const outbox = await import('../lib/outbox.js');
    await outbox.add({ ...b, made_at: madeAt() });
  } catch {
    // no IndexedDB (or no room): the report stays on the screen, to send later by hand
    draft.sending = false;
    draft.errors = { _form: problem('network').body };
    render({ focus: true });
    return;
  }
  const kind = draft.kind;
  dropDraft();
  appRef.state.queued = kind;
  await appRef.refreshNotices();
  appRef.go('#/mine');
}

async function send() {
  const d = draft;
  d.sending = true;
  render();
  let b;
  try {
    b = await body();
  } catch {
    d.sending = false;
    d.errors = { attachments: problem('unsupported_file', 'attachments').body };
    d.step = 2;
    render({ focus: true });
    return;
  }
  if (!navigator.onLine) {
    await keepForLater(b);
    return;
  }
  let answer;
  try {
    answer = await api('/api/v1/feedback', { method: 'POST', body: b });
  } catch (e) {
    if (isNetworkError(e)) {
      await keepForLater(b);
      return;
    }
    if (d !== draft) return;
    d.sending = false;
    const field = e.field || null;
    d.errors = { [field || '_form']: e.body };
    d.step = stepOf(field);
    render({ focus: true });
    return;
  }
  const kind = d.kind;
  dropDraft();
  appRef.showReceipt(answer, kind);
}
