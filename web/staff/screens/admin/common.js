// Helpers of the administration sections: lists from the API, edit forms that open in
// place, and a form's submit wired to an API call with its error and success lines.
import { h } from '/common/dom.js';
import { errorLine, okLine, busy } from '../../lib/ui.js';

export const LIMIT_SHOWN = 100;

// The array of an answer that is either an array or {"<key>": [...]}.
export function listOf(doc, key) {
  if (Array.isArray(doc)) return doc;
  if (doc && Array.isArray(doc[key])) return doc[key];
  if (doc && Array.isArray(doc.items)) return doc.items;
  return [];
}

// A form whose submit runs `run(form)` (an async function returning the success text or
// nothing) with the button disabled, errors shown in the form's language.
export function apiForm({ id, className, fields, submitText, run, extra = [] }) {
  const err = errorLine();
  const ok = okLine();
  const submit = h('button', { type: 'submit', class: 'primary', id: id ? `${id}-submit` : undefined }, submitText);
  const form = h('form', { class: ['form', className], id, novalidate: true }, fields, extra, err, ok, h('div', { class: 'actions' }, submit));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    err.clear();
    ok.say('');
    await busy(submit, async () => {
      try {
        const said = await run(form);
        if (said) ok.say(said);
      } catch (e) {
        err.show(e, 'admin');
      }
    });
  });
  form.err = err;
  form.ok = ok;
  return form;
}

// A missing value as the API would report it (so the same words show).
export function missing(field) {
  const e = new Error('missing_field');
  e.body = { error: { code: 'missing_field', field, message: '' } };
  return e;
}

export function required(input, name) {
  const v = input.value.trim();
  if (!v) {
    input.focus();
    throw missing(name);
  }
  return v;
}

// A whole number ≥ 0 from an input, or null when empty and allowed.
export function wholeNumber(input, name, { optional = false } = {}) {
  const v = input.value.trim();
  if (!v && optional) return null;
  if (!/^\d+$/.test(v)) {
    input.focus();
    const e = new Error('invalid_value');
    e.body = { error: { code: v ? 'invalid_value' : 'missing_field', field: name, message: '' } };
    throw e;
  }
  return Number(v);
}

// A row that opens an edit form under it: returns [row, holder].
export function editableRow(cells, openForm, buttonText, id) {
  const holder = h('tr', { class: 'edit-row', hidden: true }, h('td', { colspan: String(cells.length + 1) }));
  const button = h('button', { type: 'button', class: 'small', 'data-edit': id, 'aria-expanded': 'false' }, buttonText);
  button.addEventListener('click', () => {
    const open = holder.hidden;
    holder.hidden = !open;
    button.setAttribute('aria-expanded', String(open));
    if (open) {
      holder.firstChild.replaceChildren(openForm(() => { holder.hidden = true; button.setAttribute('aria-expanded', 'false'); }));
      const first = holder.querySelector('input, select, textarea');
      if (first) first.focus();
    }
  });
  const row = h('tr', { 'data-row': id }, cells.map((c) => h('td', {}, c)), h('td', {}, button));
  return [row, holder];
}

// The section's status line (shown above the section), for changes made in forms that
// close when saved.
export function notify(text) {
  const el = document.getElementById('admin-status');
  if (!el) return;
  el.textContent = '';
  el.hidden = false;
  setTimeout(() => { el.textContent = text; }, 30);
}
