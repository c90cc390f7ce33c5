// Placeholder home page: lists the capital and provinces from the public API, in Khmer by
// default or English. The full citizen app replaces this screen.
import { loadLanguage, savedLanguage, language, t, translate, errorMessage } from '/common/i18n.js';

let provinces = null;

function render() {
  translate();
  const list = document.getElementById('provinces');
  const status = document.getElementById('status');
  list.replaceChildren();
  if (!provinces) return;
  status.textContent = t('provinces.count', { n: provinces.length });
  for (const p of provinces) {
    const li = document.createElement('li');
    li.textContent = language() === 'km' ? p.name_km : p.name_en;
    li.lang = language();
    list.append(li);
  }
}

async function loadProvinces() {
  const status = document.getElementById('status');
  try {
    const res = await fetch('/api/v1/areas', { headers: { 'Accept-Language': language() } });
    const body = await res.json();
    if (!res.ok) {
      status.textContent = errorMessage(body);
      status.className = 'error';
      return;
    }
    provinces = body;
  } catch {
    status.textContent = t('error.network');
    status.className = 'error';
    return;
  }
  render();
}

document.getElementById('lang').addEventListener('click', async () => {
  await loadLanguage(language() === 'km' ? 'en' : 'km');
  render();
});

await loadLanguage(savedLanguage());
render();
await loadProvinces();
