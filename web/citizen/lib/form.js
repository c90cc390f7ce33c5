// Form parts shared by the screens: labelled fields, radio groups (large 1–5 scales),
// check boxes, and the display of errors in the API's shape next to their field.
import { h, uid } from '/common/dom.js';
import { t, errorMessage } from '/common/i18n.js';

// The message of an error (an ApiError or its body) for a field, or null.
export function messageOf(err, context) {
  if (!err) return null;
  return errorMessage(err.body || err, context);
}

function describedBy(...ids) {
  const list = ids.filter(Boolean);
  return list.length ? list.join(' ') : null;
}

function errorLine(id, err, context) {
  const text = messageOf(err, context);
  return text ? h('p', { class: 'field-error', id }, text) : null;
}

// A text input or textarea with its label, hint and error.
export function textField({ name, label, hint, value = '', type = 'text', multiline = false, rows = 5,
  error, context, oninput, attrs = {} }) {
  const id = uid(name.replace(/\W/g, '-'));
  const hintId = hint ? `${id}-hint` : null;
  const errId = error ? `${id}-error` : null;
  const input = h(multiline ? 'textarea' : 'input', {
    id, name, class: 'input', value, rows: multiline ? rows : null, type: multiline ? null : type,
    'aria-describedby': describedBy(hintId, errId), 'aria-invalid': error ? 'true' : null,
    'data-field': name, ...attrs,
    oninput: (e) => oninput && oninput(e.target.value),
  });
  return h('div', { class: ['field', error && 'has-error'] },
    h('label', { for: id, class: 'label' }, label),
    hint ? h('p', { class: 'hint', id: hintId }, hint) : null,
    errorLine(errId, error, context),
    input);
}

// A group of radio buttons. options: [{value, label, hint}] (or {heading} between them).
// scale: a row of large 1–5.
export function radioGroup({ name, legend, hint, options, value, onchange, error, context, scale = false,
  required = false }) {
  const gid = uid(name.replace(/\W/g, '-'));
  const hintId = hint ? `${gid}-hint` : null;
  const errId = error ? `${gid}-error` : null;
  return h('fieldset', {
    class: ['group', scale && 'scale', error && 'has-error'], 'data-field': name,
    'aria-describedby': describedBy(hintId, errId), 'aria-invalid': error ? 'true' : null,
    'aria-required': required ? 'true' : null,
  },
  h('legend', { class: 'label' }, legend),
  hint ? h('p', { class: 'hint', id: hintId }, hint) : null,
  errorLine(errId, error, context),
  h('div', { class: 'choices' }, options.map((o) => {
    if (o.heading) return h('p', { class: 'choice-group' }, o.heading);
    const id = `${gid}-${String(o.value).replace(/\W/g, '_')}`;
    return h('div', { class: 'choice' },
      h('input', {
        type: 'radio', id, name: gid, value: String(o.value), class: 'choice-input',
        checked: value !== undefined && value !== null && String(value) === String(o.value),
        'data-value': String(o.value),
        onchange: (e) => { if (e.target.checked) onchange(o.value); },
      }),
      h('label', { for: id, class: 'choice-label' },
        h('span', { class: 'choice-text' }, o.label),
        o.hint ? h('span', { class: 'choice-hint' }, o.hint) : null,
        o.extra || null));
  })));
}

// A check box with a label and an optional hint under it.
export function checkbox({ name, label, hint, checked, onchange }) {
  const id = uid(name);
  const hintId = hint ? `${id}-hint` : null;
  return h('div', { class: 'check' },
    h('input', {
      type: 'checkbox', id, name, checked, class: 'check-input', 'data-field': name,
      'aria-describedby': hintId, onchange: (e) => onchange(e.target.checked),
    }),
    h('label', { for: id, class: 'check-label' },
      h('span', { class: 'choice-text' }, label),
      hint ? h('span', { class: 'choice-hint', id: hintId }, hint) : null));
}

// An alert listing the errors of a form (each an error body), focused so it is read.
export function errorSummary(errors, context) {
  const list = Object.values(errors).filter(Boolean);
  if (!list.length) return null;
  return h('div', { class: 'error-box', role: 'alert', tabindex: '-1' },
    h('p', { class: 'error-title' }, t('form.fix')),
    h('ul', {}, list.map((e) => h('li', {}, messageOf(e, context)))));
}

// Moves focus to the first field that has an error, or the summary.
export function focusError(root) {
  const el = root.querySelector('[aria-invalid="true"]') || root.querySelector('.error-box');
  if (!el) return;
  const target = el.matches('fieldset') ? el.querySelector('input') || el : el;
  target.focus();
  if (target.scrollIntoView) target.scrollIntoView({ block: 'center' });
}
