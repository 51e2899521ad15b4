// Published maps: what every logged-in user, the public role included, may
// see: the threat index of the last month and the readiness per area; and the
// public notices and the Council report a planner published (the documents of
// finished jobs, POST /api/jobs/{id}/publish), in sandboxed frames.
import { api, ApiError } from '../api.js';
import { addPolygons, fit, makeMap, popups, steps } from '../map.js';
import { fmt, h, legend, num, table } from '../ui.js';

export default {
  id: 'published',
  title: 'Published maps',
  needs: 'published',
  async render(main) {
    const tMap = h('div', { class: 'map', id: 'published-threat-map' });
    const rMap = h('div', { class: 'map', id: 'published-readiness-map' });
    const tBox = h('div', { class: 'scroll' });
    main.append(h('h1', {}, 'Published maps'),
      h('p', { class: 'lead' }, 'The threat picture and the readiness of each area as published: the same numbers analysts see.'),
      h('div', { class: 'grid' },
        h('section', { class: 'panel' }, h('h2', {}, 'Threat index, last month'), tMap,
          legend([['#fff5eb', 'low'], ['#fd8d3c', 'middle'], ['#7f2704', 'high']])),
        h('section', { class: 'panel' }, h('h2', {}, 'Stakeholders for whom the area is ready'), rMap,
          legend([['#c62828', 'none'], ['#f9a825', 'some'], ['#2e7d32', 'all']]))),
      h('section', { class: 'panel', style: 'margin-top:1rem' }, h('h2', {}, 'Areas'), tBox));
    for (const [path, title, testid] of [['/api/published/notices', 'Public notices', 'published-notices'],
      ['/api/published/report', 'Briefing for the Security Council', 'published-report']]) {
      const box = h('div', { 'data-testid': `${testid}-box` });
      main.append(h('section', { class: 'panel', style: 'margin-top:1rem' }, h('h2', {}, title), box));
      api(path).then((doc) => {
        const text = typeof doc === 'string' ? doc : JSON.stringify(doc, null, 1);
        const isHtml = typeof doc === 'string' && /<html/i.test(doc);
        const u = URL.createObjectURL(new Blob([text], { type: isHtml ? 'text/html' : 'text/plain' }));
        box.replaceChildren(
          h('p', {}, h('a', { href: u, download: `${testid}.${isHtml ? 'html' : 'txt'}`, 'data-testid': `${testid}-download` }, 'Download'), ' · ',
            h('a', { href: u, target: '_blank', rel: 'noopener' }, 'Open in a new tab'),
            h('span', { class: 'muted', 'data-testid': `${testid}-bytes`, 'data-value': String(new Blob([text]).size) },
              ` (${fmt(new Blob([text]).size)} bytes)`)),
          h('iframe', { src: u, title, sandbox: 'allow-same-origin', 'data-testid': testid,
            style: 'width:100%;height:420px;border:1px solid var(--line);background:#fff' }));
      }).catch((e) => {
        if (e instanceof ApiError && e.status === 404) {
          box.replaceChildren(h('p', { class: 'muted', 'data-testid': `${testid}-none` }, 'Nothing is published yet.'));
        } else {
          box.replaceChildren(h('p', { role: 'alert' }, String(e.message || e)));
        }
      });
    }
    const [m1, m2, threat, ready] = await Promise.all([
      makeMap(tMap, 'published-threat', 'Published map of the threat index'),
      makeMap(rMap, 'published-readiness', 'Published map of readiness'),
      api('/api/published/threat'),
      api('/api/published/readiness'),
    ]);
    const ewma = threat.features.map((f) => f.properties.ewma).sort((a, b) => a - b);
    const q = (p) => ewma[Math.min(ewma.length - 1, Math.floor(p * ewma.length))] || 0;
    const stops = [q(0.33), q(0.66)].map((v, i) => v + i * 1e-9);
    addPolygons(m1, 'threat', threat, steps('ewma', stops, ['#fff5eb', '#fd8d3c', '#7f2704']));
    popups(m1, 'threat-fill', (p) => `<strong>${p.area_name}</strong><br>EWMA ${fmt(p.ewma)} (${p.trend})`);
    fit(m1, threat);
    addPolygons(m2, 'ready', ready, ['case', ['==', ['get', 'ready_for'], 0], '#c62828',
      ['==', ['get', 'ready_for'], ['get', 'stakeholders']], '#2e7d32', '#f9a825'], 0.7);
    popups(m2, 'ready-fill', (p) => `<strong>${p.name}</strong><br>ready for ${p.ready_for} of ${p.stakeholders} stakeholders`);
    fit(m2, ready);
    const readyById = new Map(ready.features.map((f) => [f.properties.id, f.properties]));
    tBox.replaceChildren(table(`Threat ${threat.features[0] ? threat.features[0].properties.month : ''}, readiness ${ready.features[0] ? ready.features[0].properties.month : ''}`,
      ['Area', { label: 'Threat (EWMA)', num: true }, 'Trend', { label: 'Ready for', num: true }],
      threat.features.map((f) => f.properties).map((p) => {
        const r = readyById.get(p.area_id);
        return h('tr', { 'data-area': p.area_id }, h('th', { scope: 'row' }, p.area_name), num(p.ewma, 2, 'ewma'), h('td', {}, p.trend),
          r ? num(r.ready_for, 0, 'ready_for') : h('td', {}, '–'));
      }), 'published-table'));
  },
};
