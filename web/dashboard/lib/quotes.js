// Quotations: the texts citizens agreed to publish and staff approved
// (GET /api/v1/stats/quotes), each with its kind, service and month — nothing else.
// The text is set as text: never read as markup.
import { h } from '/common/dom.js';
import { t, has } from '/common/i18n.js';
import { localName, monthName } from './stats.js';

export function quoteList(doc, serviceMap = new Map()) {
  const list = (doc && doc.quotes) || [];
  if (!list.length) return h('p', { class: 'muted', id: 'no-quotes' }, t('dash.quotes.none'));
  return h('ul', { class: 'quotes', role: 'list' }, list.map((q) => {
    const service = q.service_code ? serviceMap.get(q.service_code) : null;
    const kind = has(`dash.kind.${q.kind}`) ? t(`dash.kind.${q.kind}`) : '';
    const meta = [kind, service ? localName(service) : (q.service_code ? t('dash.quotes.other_service') : ''), q.month ? monthName(q.month) : '']
      .filter(Boolean).join(' · ');
    return h('li', { class: 'quote' }, h('blockquote', {}, h('p', {}, `“${q.text}”`)), h('p', { class: 'quote-meta' }, meta));
  }));
}
