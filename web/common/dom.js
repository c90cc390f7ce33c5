// A small helper to build elements without markup strings (and so without inline styles
// or scripts, which the Content-Security-Policy refuses).
let counter = 0;

export function uid(prefix = 'id') {
  counter += 1;
  return `${prefix}-${counter}`;
}

// h('button', {class: 'big', onclick: fn, 'aria-label': '…'}, 'text', child, [more]).
// A false, null or undefined attribute is left out; true sets an empty attribute.
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = Array.isArray(v) ? v.filter(Boolean).join(' ') : v;
    else if (k === 'text') el.textContent = v;
    else if (k === 'value') el.value = v;
    else if (k === 'checked' || k === 'selected' || k === 'disabled') el[k] = !!v;
    else if (k === 'for') el.htmlFor = v;
    else if (k === 'style') throw new Error('inline styles are refused by the CSP');
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

// Replaces the children of el (skipping null, false and undefined, flattening arrays).
export function fill(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}
