// Administration (national admin; a provincial admin for their province): a tab per
// section, each section a module of its own under screens/admin/.
import { h } from '/common/dom.js';
import { t } from '/common/i18n.js';
import { screenTitle } from '../lib/ui.js';

export const SECTIONS = ['offices', 'staff', 'services', 'deadlines', 'holidays', 'routing', 'templates', 'audit'];

export async function show(root, ctx) {
  const section = SECTIONS.includes(ctx.param) ? ctx.param : 'offices';
  const tabs = h('nav', { class: 'tabs', 'aria-label': t('staff.admin.sections') },
    h('ul', { role: 'list' }, SECTIONS.map((s) => h('li', {},
      h('a', { href: `#/admin/${s}`, id: `tab-${s}`, 'aria-current': s === section ? 'page' : false }, t(`staff.admin.${s}.tab`))))));
  const body = h('div', { class: 'admin-section', id: `admin-${section}` });
  const status = h('p', { class: 'ok', id: 'admin-status', role: 'status', hidden: true });
  root.append(screenTitle(t(`staff.admin.${section}.title`)), tabs, status, body);
  const module = await import(`./admin/${section}.js`);
  await module.show(body, ctx);
}
