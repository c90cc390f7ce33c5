// The first screen: the four paths, each in one plain line, and the ways back to a report.
// index.html holds this screen in Khmer too, usable before the modules arrive on a slow
// connection; keep the two alike (tests/browser/citizen-app.test.mjs compares them).
import { h, fill } from '/common/dom.js';
import { t } from '/common/i18n.js';
import { myReports } from '../lib/device.js';

export const KINDS = ['complaint', 'support', 'information', 'evaluation'];

export function show(root) {
  const kept = myReports().length;
  fill(root, 
    h('h1', { class: 'screen-title', tabindex: '-1' }, t('home.title')),
    h('p', { class: 'lead' }, t('app.tagline')),
    h('ul', { class: 'paths', role: 'list' }, KINDS.map((k) => h('li', {},
      h('a', { class: `path path-${k}`, href: `#/new/${k}`, 'data-kind': k },
        h('span', { class: 'path-icon', 'aria-hidden': 'true' }),
        h('span', { class: 'path-text' },
          h('span', { class: 'path-title' }, t(`kind.${k}.action`)),
          h('span', { class: 'path-line' }, t(`kind.${k}.line`, { a: 1, b: 5 }))))))),
    h('h2', {}, t('home.after')),
    h('ul', { class: 'links', role: 'list' },
      h('li', {}, h('a', { class: 'link-card', href: '#/track', id: 'go-track' },
        h('span', { class: 'path-title' }, t('home.track')),
        h('span', { class: 'path-line' }, t('home.track_line')))),
      h('li', {}, h('a', { class: 'link-card', href: '#/mine', id: 'go-mine' },
        h('span', { class: 'path-title' }, t('home.mine')),
        h('span', { class: 'path-line' }, kept ? t('home.mine_count', { n: kept }) : t('home.mine_line')))),
      h('li', {}, h('a', { class: 'link-card', href: '#/settings', id: 'go-settings' },
        h('span', { class: 'path-title' }, t('home.settings')),
        h('span', { class: 'path-line' }, t('home.settings_line'))))),
    h('p', { class: 'promise' }, t('home.promise')),
  );
}
