// The place picker: province → district → commune from the gazetteer, with a search by
// Khmer or Latin name. No map.
import { h, uid } from '/common/dom.js';
import { t, language, number } from '/common/i18n.js';
import { api } from '/common/api.js';
import { messageOf } from './form.js';

const lists = new Map(); // parent code ('' for the provinces) → Promise of its children
let query = ''; // what is typed in the search box, kept while the screen is drawn again

export function clearSearch() {
  query = '';
}

export function children(parent = '') {
  if (!lists.has(parent)) {
    const p = api(parent ? `/api/v1/areas?parent=${encodeURIComponent(parent)}` : '/api/v1/areas');
    lists.set(parent, p);
    p.catch(() => lists.delete(parent));
  }
  return lists.get(parent);
}

export function areaName(a) {
  return language() === 'km' ? a.name_km : a.name_en;
}

export function areaLabel(a) {
  return t('place.named', { type: language() === 'km' ? a.type_km : a.type_en, name: areaName(a) });
}

async function find(code) {
  if (!code) return null;
  const parent = code.length <= 2 ? '' : code.slice(0, code.length - 2);
  try {
    return (await children(parent)).find((a) => a.code === code) || null;
  } catch {
    return null;
  }
}

// The names of the areas above one, nearest first ("Chamkar Mon, Phnom Penh").
async function context(a) {
  const codes = [];
  for (let n = a.code.length - 2; n >= 2; n -= 2) codes.push(a.code.slice(0, n));
  const found = await Promise.all(codes.map(find));
  return found.filter(Boolean).map(areaLabel).join(t('place.separator'));
}

// value: {province, district, commune}; onChange(value) when it changes; error: of 'area'.
export function placePicker({ value = {}, error, onChange }) {
  const state = { province: value.province || '', district: value.district || '', commune: value.commune || '' };
  const searchId = uid('place-search');
  const resultsId = `${searchId}-results`;
  const input = h('input', {
    id: searchId, type: 'search', class: 'input', autocomplete: 'off', enterkeyhint: 'search',
    spellcheck: 'false', 'aria-describedby': `${searchId}-hint`, 'aria-controls': resultsId,
    'data-field': 'place-search',
  });
  const status = h('p', { class: 'hint', role: 'status', 'aria-live': 'polite' });
  const results = h('ul', { id: resultsId, class: 'results', role: 'list', hidden: true });
  const selects = {};
  const errId = error ? uid('place-error') : null;

  function makeSelect(level) {
    const id = uid(`place-${level}`);
    const select = h('select', {
      id, class: 'input', name: level, 'data-field': level, disabled: true,
      'aria-invalid': error && !state[level] ? 'true' : null, 'aria-describedby': errId,
      onchange: () => choose(level, select.value),
    });
    selects[level] = select;
    return h('div', { class: 'field' }, h('label', { for: id, class: 'label' }, t(`place.${level}`)), select);
  }

  async function fill(level, parent, selected) {
    const select = selects[level];
    select.replaceChildren(h('option', { value: '' }, parent === null ? t('place.choose_above') : t('place.loading')));
    select.disabled = true;
    if (parent === null) return;
    let list;
    try {
      list = await children(parent);
    } catch (e) {
      select.replaceChildren(h('option', { value: '' }, messageOf(e)));
      return;
    }
    select.replaceChildren(h('option', { value: '' }, t(`place.choose_${level}`)),
      ...list.map((a) => h('option', { value: a.code, selected: a.code === selected }, areaLabel(a))));
    select.disabled = false;
  }

  function emit() {
    onChange({ ...state });
  }

  async function choose(level, code) {
    if (level === 'province') {
      Object.assign(state, { province: code, district: '', commune: '' });
      await Promise.all([fill('district', code || null, ''), fill('commune', null, '')]);
    } else if (level === 'district') {
      Object.assign(state, { district: code, commune: '' });
      await fill('commune', code || null, '');
    } else {
      state.commune = code;
    }
    emit();
  }

  async function pick(a) {
    const code = a.code;
    Object.assign(state, {
      province: code.slice(0, 2),
      district: code.length >= 4 ? code.slice(0, 4) : '',
      commune: code.length >= 6 ? code.slice(0, 6) : '',
    });
    input.value = '';
    query = '';
    results.hidden = true;
    results.replaceChildren();
    status.textContent = t('place.picked', { name: areaLabel(a) });
    await restore();
    emit();
    const next = !state.district ? selects.district : !state.commune ? selects.commune : null;
    (next || selects.commune).focus();
  }

  let searchSeq = 0;
  let timer = null;
  async function search() {
    const q = input.value.trim();
    const seq = ++searchSeq;
    if (q.length < 2) {
      results.hidden = true;
      results.replaceChildren();
      status.textContent = '';
      return;
    }
    status.textContent = t('place.searching');
    let found;
    try {
      found = await api(`/api/v1/areas?q=${encodeURIComponent(q)}`);
    } catch (e) {
      if (seq === searchSeq) status.textContent = messageOf(e);
      return;
    }
    found = found.slice(0, 8);
    const contexts = await Promise.all(found.map(context));
    if (seq !== searchSeq) return;
    results.replaceChildren(...found.map((a, i) => h('li', {},
      h('button', { type: 'button', class: 'result', 'data-code': a.code, onclick: () => pick(a) },
        h('span', { class: 'result-name' }, areaLabel(a)),
        contexts[i] ? h('span', { class: 'result-where' }, contexts[i]) : null))));
    results.hidden = found.length === 0;
    status.textContent = found.length ? t('place.found', { n: number(found.length) }) : t('place.none');
  }
  input.addEventListener('input', () => {
    query = input.value;
    clearTimeout(timer);
    timer = setTimeout(search, 250);
  });
  input.addEventListener('keydown', (e) => {
    if (e.key === 'Enter') {
      e.preventDefault();
      clearTimeout(timer);
      search();
    }
  });

  async function restore() {
    await fill('province', '', state.province);
    if (state.province && selects.province.value !== state.province) Object.assign(state, { province: '', district: '', commune: '' });
    await fill('district', state.province || null, state.district);
    if (state.district && selects.district.value !== state.district) Object.assign(state, { district: '', commune: '' });
    await fill('commune', state.district || null, state.commune);
    if (state.commune && selects.commune.value !== state.commune) state.commune = '';
  }

  const root = h('fieldset', { class: ['place', error && 'has-error'], 'data-field': 'area' },
    h('legend', { class: 'label' }, t('place.legend')),
    error ? h('p', { class: 'field-error', id: errId }, messageOf(error)) : null,
    h('div', { class: 'field' },
      h('label', { for: searchId, class: 'label' }, t('place.search')),
      h('p', { class: 'hint', id: `${searchId}-hint` }, t('place.search_hint')),
      input, status, results),
    h('p', { class: 'or' }, t('place.or_choose')),
    makeSelect('province'), makeSelect('district'), makeSelect('commune'));
  if (query) {
    input.value = query;
    search();
  }
  // ready resolves once the remembered choice is shown again
  root.ready = restore().then(() => {
    if (state.commune !== (value.commune || '') || state.district !== (value.district || '')) emit();
  });
  return root;
}
