// One case as the user's role may see it: the text, attachments (photos shown, recordings
// playable), area, service with its official fee, demographics, the timeline with internal
// notes set apart, and the actions the role may take at the case's stage, each with the
// inputs it needs and, for words sent to the citizen, response templates to pick and edit.
import { h, uid } from '/common/dom.js';
import { t, language } from '/common/i18n.js';
import { call, hasRole } from '../lib/session.js';
import { serviceMap, areaChain, officesCovering } from '../lib/refdata.js';
import {
  screenTitle, field, select, errorLine, okLine, busy, label, localName, date, deadlineBadge,
  statusBadge, money, facts, CRITERIA,
} from '../lib/ui.js';

const OPEN = ['submitted', 'acknowledged', 'in_progress', 'answered'];
const templateCache = new Map(); // action → Promise of templates

// The actions this user may take on the case now (mirrors src/domain/authz.c and the
// workflow; the server decides in the end).
export function allowedActions(c) {
  const handles = hasRole('officer', 'head', 'ombudsman');
  const lead = hasRole('head', 'ombudsman');
  const admin = hasRole('provincial_admin', 'national_admin');
  const st = c.status;
  const open = OPEN.includes(st);
  const out = [];
  if (handles && st === 'submitted') out.push('acknowledge');
  if (handles && (st === 'acknowledged' || st === 'in_progress')) out.push('answer');
  if ((handles || hasRole('ccwc')) && ['acknowledged', 'in_progress', 'answered'].includes(st)) out.push('message');
  out.push('note');
  if (lead && open) out.push('assign');
  if (lead && (st === 'answered' || (c.kind === 'evaluation' && (st === 'acknowledged' || st === 'in_progress')))) out.push('close');
  if (handles && open) out.push('escalate');
  if ((lead || admin) && open) out.push('transfer');
  if (lead && ['submitted', 'acknowledged', 'in_progress'].includes(st)) out.push('reject');
  if (lead && c.public_consent && !c.public_approved) out.push('approve_public');
  return out;
}

// What each action asks for: text (to the citizen or internal), to (a colleague or an
// office), reason (required or optional), and whether templates apply.
const NEEDS = {
  acknowledge: {},
  assign: { to: 'staff' },
  message: { text: true, templates: true },
  note: { text: true, templates: true },
  transfer: { to: 'office', reason: 'required', templates: true },
  escalate: { reason: 'optional', templates: true },
  answer: { text: true, templates: true },
  close: {},
  reject: { reason: 'required', templates: true },
  approve_public: {},
};

export async function show(root, { app, param }) {
  const number_ = param;
  const back = h('p', { class: 'back' }, h('a', { href: '#/inbox', id: 'back' }, t('staff.case.back')));
  let c;
  try {
    c = await call(`/api/v1/cases/${encodeURIComponent(number_)}`);
  } catch (e) {
    const err = errorLine();
    err.show(e, 'case');
    root.append(back, screenTitle(t('staff.case.title', { case: number_ })), err);
    return;
  }
  const services = await serviceMap().catch(() => new Map());
  const chain = await areaChain(c.area).catch(() => []);
  render(root, c, { app, services, chain, back });
}

function render(root, c, ctx) {
  const { app, services, chain, back } = ctx;
  const ok = okLine();
  ok.id = 'case-ok';
  const svc = c.service ? services.get(c.service) : null;
  const rerender = (updated, done) => {
    const fresh = h('div', { class: 'screen screen-case' });
    render(fresh, updated, ctx);
    root.replaceWith(fresh);
    const line = fresh.querySelector('#case-ok');
    if (done && line) line.say(done);
    if (done) app.say(done);
  };

  root.replaceChildren(
    back,
    screenTitle(t('staff.case.title', { case: c.case })),
    h('div', { class: 'case-summary' },
      statusBadge(c.status),
      h('span', { class: 'tag' }, label('kind', c.kind)),
      c.sensitive ? h('span', { class: 'tag tag-sensitive' }, t('staff.case.sensitive')) : null,
      c.escalation_level ? h('span', { class: 'tag' }, t('staff.case.escalated_level', { n: c.escalation_level })) : null,
      deadlineBadge(c)),
    ok,
    h('div', { class: 'case-layout' },
      h('section', { class: 'case-text', 'aria-labelledby': 'h-text' },
        h('h2', { id: 'h-text' }, t('staff.case.text')),
        h('p', { class: 'text-block', lang: c.language || '', id: 'case-text' }, c.text),
        attachments(c)),
      h('section', { class: 'case-details', 'aria-labelledby': 'h-details' },
        h('h2', { id: 'h-details' }, t('staff.case.details')),
        details(c, svc, chain)),
      h('section', { class: 'case-actions', 'aria-labelledby': 'h-actions' },
        h('h2', { id: 'h-actions' }, t('staff.case.actions')),
        actions(c, svc, chain, rerender)),
      h('section', { class: 'case-timeline', 'aria-labelledby': 'h-timeline' },
        h('h2', { id: 'h-timeline' }, t('staff.case.timeline')),
        timeline(c))));
}

function attachmentUrl(c, a) {
  return `/api/v1/cases/${encodeURIComponent(c.case)}/attachments/${encodeURIComponent(a.id)}`;
}

function attachments(c) {
  const list = c.attachments || [];
  if (!list.length) return h('p', { class: 'muted' }, t('staff.case.no_attachments'));
  return h('div', { class: 'attachments' },
    h('h3', {}, t('staff.case.attachments', { n: list.length })),
    h('ul', { role: 'list', class: 'attachment-list' }, list.map((a, i) => {
      const url = attachmentUrl(c, a);
      const caption = h('figcaption', {}, t('staff.case.attachment_caption', { n: i + 1, size: kb(a.bytes), date: date(a.at) }));
      let body;
      if (a.type.startsWith('image/')) {
        body = h('a', { href: url, target: '_blank', rel: 'noopener' },
          h('img', { src: url, alt: t('staff.case.photo_alt', { n: i + 1 }), loading: 'lazy', class: 'attachment-image' }));
      } else if (a.type.startsWith('audio/')) {
        body = h('audio', { controls: true, preload: 'metadata', src: url, class: 'attachment-audio', 'aria-label': t('staff.case.audio_label', { n: i + 1 }) });
      } else {
        body = h('a', { href: url, target: '_blank', rel: 'noopener', class: 'button-link' }, t('staff.case.open_document'));
      }
      return h('li', {}, h('figure', { 'data-type': a.type }, body, caption));
    })));
}

function kb(bytes) {
  return t('staff.size_kb', { n: Math.max(1, Math.round((bytes || 0) / 1024)) });
}

function yesNo(v) {
  if (v === null || v === undefined) return t('staff.unsaid');
  return t(v ? 'staff.yes' : 'staff.no');
}

function officeText(o) {
  return o ? `${localName(o)} (${o.code})` : '—';
}

// "Sangkat Tonle Basak": the area's type and name, unless the name already says it.
function areaName(a) {
  const type = language() === 'km' ? a.type_km : a.type_en;
  const name = localName(a);
  return !type || name.toLowerCase().startsWith(type.toLowerCase()) ? name : `${type} ${name}`;
}

function details(c, svc, chain) {
  const d = c.demographics || {};
  const serviceCell = svc
    ? h('span', {}, h('span', { class: 'service-name' }, localName(svc)), h('br'),
      h('span', { class: 'fee', id: 'case-fee' }, t('staff.case.fee', { fee: money(svc.fee_khr) })),
      svc.days !== null && svc.days !== undefined ? [h('br'), h('span', {}, t('staff.case.service_days', { n: svc.days }))] : null)
    : (c.service || t('staff.case.no_service'));
  const areaCell = chain.length ? chain.map(areaName).join(' · ') : c.area;
  const scores = c.scores && typeof c.scores === 'object'
    ? h('ul', { class: 'plain compact' }, CRITERIA.filter((k) => c.scores[k] !== undefined).map((k) =>
      h('li', {}, `${label('criterion', k)}: ${t('staff.score_of5', { n: c.scores[k] })}`)))
    : undefined;
  const rating = c.rating
    ? `${t(c.rating.satisfied ? 'staff.case.satisfied' : 'staff.case.unsatisfied')}${c.rating.score ? ` · ${t('staff.score_of5', { n: c.rating.score })}` : ''}${c.rating.comment ? ` · “${c.rating.comment}”` : ''}`
    : undefined;
  return facts([
    [t('staff.case.office'), officeText(c.office)],
    c.origin_office && (!c.office || c.origin_office.code !== c.office.code) ? [t('staff.case.origin_office'), officeText(c.origin_office)] : null,
    c.ccwc_office ? [t('staff.case.ccwc_office'), officeText(c.ccwc_office)] : null,
    [t('staff.case.area'), h('span', { id: 'case-area' }, areaCell)],
    [t('staff.case.service'), serviceCell],
    [t('staff.case.received'), date(c.created_at)],
    c.made_at && c.made_at !== c.created_at ? [t('staff.case.made_at'), date(c.made_at)] : null,
    [t('staff.case.due_acknowledge'), date(c.due && c.due.acknowledge)],
    c.due && c.due.answer ? [t('staff.case.due_answer'), date(c.due.answer)] : null,
    [t('staff.case.language'), label('language', c.language)],
    [t('staff.case.sex'), label('sex', d.sex || 'unsaid')],
    [t('staff.case.age'), d.age_band ? label('age', d.age_band) : t('staff.unsaid')],
    [t('staff.case.disability'), yesNo(d.disability)],
    [t('staff.case.identity'), c.identity && c.identity.name ? h('span', { id: 'case-identity' }, c.identity.name) : t('staff.case.anonymous')],
    [t('staff.case.contact'), t(c.has_contact ? 'staff.case.contact_yes' : 'staff.case.contact_no')],
    scores ? [t('staff.case.scores'), scores] : null,
    rating ? [t('staff.case.rating'), rating] : null,
    c.public_consent ? [t('staff.case.public'), t(c.public_approved ? 'staff.case.public_approved' : 'staff.case.public_consent')] : null,
  ], 'case-facts');
}

function timeline(c) {
  const events = c.timeline || [];
  return h('ol', { class: 'timeline', id: 'timeline', role: 'list' }, events.map((e) => {
    const internal = e.visibility === 'internal';
    return h('li', { class: ['event', `event-${e.type}`, internal ? 'internal' : 'public', `actor-${e.actor}`], 'data-type': e.type },
      h('div', { class: 'event-head' },
        internal ? h('span', { class: 'tag tag-internal' }, t('staff.case.internal')) : null,
        h('strong', {}, label('event', e.type)), ' ',
        h('span', { class: 'muted' }, `${label('actor', e.actor)} · ${date(e.at)}`)),
      e.text ? h('p', { class: 'event-text' }, e.text) : null,
      e.reason ? h('p', { class: 'event-reason' }, t('staff.case.reason_is', { reason: e.reason })) : null,
      e.to_office ? h('p', { class: 'event-to' }, t('staff.case.to_office', { office: officeText(e.to_office) })) : null);
  }));
}

function templates(action) {
  if (!templateCache.has(action)) {
    templateCache.set(action, call('/api/v1/templates', { query: { action } }).catch(() => {
      templateCache.delete(action);
      return [];
    }));
  }
  return templateCache.get(action);
}

function fill(text, c) {
  return String(text).replaceAll('{case}', c.case).replaceAll('{office}', c.office ? localName(c.office) : '');
}

function actions(c, svc, chain, rerender) {
  const allowed = allowedActions(c);
  const panel = h('div', { class: 'action-panel', id: 'action-panel' });
  const buttons = allowed.map((a) => h('button', {
    type: 'button', class: ['action', a === 'note' && 'action-internal'], 'data-action': a, 'aria-expanded': 'false', 'aria-controls': 'action-panel',
    onclick: (ev) => {
      for (const b of bar.querySelectorAll('button')) b.setAttribute('aria-expanded', 'false');
      ev.currentTarget.setAttribute('aria-expanded', 'true');
      panel.replaceChildren(actionForm(a, c, svc, chain, rerender));
      const first = panel.querySelector('textarea, input, select, button.primary');
      if (first) first.focus();
    },
  }, label('action', a)));
  const bar = h('div', { class: 'action-bar', role: 'group', 'aria-label': t('staff.case.actions') }, buttons);
  return h('div', {}, bar, panel);
}

function actionForm(action, c, svc, chain, rerender) {
  const need = NEEDS[action];
  const err = errorLine();
  const parts = [h('h3', {}, label('action', action)), h('p', { class: 'hint' }, t(`staff.action_help.${action}`))];
  let text = null, to = null, reason = null;

  if (need.text) {
    text = h('textarea', { id: 'action-text', name: 'text', rows: '6', required: true, maxlength: '8000' });
    const words = t(action === 'note' ? 'staff.case.note_text' : 'staff.case.citizen_text');
    parts.push(field(words, text));
  }
  if (need.reason) {
    reason = h('textarea', { id: 'action-reason', name: 'reason', rows: '3', required: need.reason === 'required', maxlength: '2000' });
    parts.push(field(t(action === 'reject' ? 'staff.case.reason_citizen' : need.reason === 'required' ? 'staff.case.reason' : 'staff.case.reason_optional'), reason));
  }
  if (need.to) {
    const listId = uid('list');
    to = h('input', { id: 'action-to', name: 'to', required: true, list: listId, autocomplete: 'off', autocapitalize: 'none' });
    const datalist = h('datalist', { id: listId });
    parts.push(field(t(need.to === 'staff' ? 'staff.case.to_staff' : 'staff.case.to_office_code'), to,
      { hint: t(need.to === 'staff' ? 'staff.case.to_staff_hint' : 'staff.case.to_office_hint') }), datalist);
    if (need.to === 'staff') {
      call('/api/v1/office/staff').then((list) => datalist.replaceChildren(...list.map((u) =>
        h('option', { value: u.login }, u.name)))).catch(() => {});
    }
    if (need.to === 'office') {
      officesCovering(c.area).then((list) => datalist.replaceChildren(...list.filter((o) => !c.office || o.code !== c.office.code).map((o) =>
        h('option', { value: o.code }, localName(o))))).catch(() => {});
    }
  }
  if (need.templates) {
    const target = text || reason;
    const picker = h('select', { id: 'action-template', name: 'template' }, h('option', { value: '' }, t('staff.case.template_none')));
    const box = field(t('staff.case.template'), picker, { hint: t('staff.case.template_hint'), className: 'template-field' });
    box.hidden = true;
    parts.splice(2, 0, box);
    templates(action).then((list) => {
      const fit = list.filter((tp) => !tp.service || tp.service === c.service);
      if (!fit.length) return;
      const byLang = (lang) => fit.filter((tp) => tp.language === lang);
      const group = (lang) => h('optgroup', { label: label('language', lang) }, byLang(lang).map((tp) =>
        h('option', { value: String(tp.id) }, tp.service ? `${tp.title} · ${svc ? localName(svc) : tp.service}` : tp.title)));
      const first = c.language === 'en' ? ['en', 'km'] : ['km', 'en'];
      picker.append(...first.filter((l) => byLang(l).length).map(group));
      box.hidden = false;
      picker.addEventListener('change', () => {
        const tp = fit.find((x) => String(x.id) === picker.value);
        if (!tp) return;
        if (target.value.trim() && target.value !== target.dataset.fromTemplate && !window.confirm(t('staff.case.template_replace'))) return;
        target.value = fill(tp.text, c);
        target.dataset.fromTemplate = target.value;
        target.focus();
      });
    });
  }

  const submit = h('button', { type: 'submit', class: ['primary', action === 'reject' && 'danger'], id: 'action-submit' },
    t(`staff.action_submit.${action}`));
  parts.push(err, h('div', { class: 'actions' }, submit));
  const form = h('form', { class: ['form', 'action-form', action === 'note' && 'internal-form'], 'data-form': action, novalidate: true }, parts);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    err.clear();
    const body = { action };
    if (text) body.text = text.value.trim();
    if (reason && reason.value.trim()) body.reason = reason.value.trim();
    if (to) body.to = to.value.trim();
    for (const [el, name] of [[text, 'text'], [to, 'to'], [reason && need.reason === 'required' ? reason : null, 'reason']]) {
      if (el && !el.value.trim()) {
        err.show({ body: { error: { code: 'missing_field', field: name } } }, 'action');
        el.focus();
        return;
      }
    }
    await busy(submit, async () => {
      try {
        const updated = await call(`/api/v1/cases/${encodeURIComponent(c.case)}/actions`, { method: 'POST', body });
        if (!updated.timeline) {
          // after a transfer the case may have left the user's sight
          form.replaceWith(h('p', { class: 'ok', role: 'status', id: 'case-gone' }, t('staff.case.gone', { case: c.case })));
          return;
        }
        rerender(updated, t(`staff.action_done.${action}`));
      } catch (e) {
        err.show(e, 'action');
      }
    });
  });
  return form;
}

