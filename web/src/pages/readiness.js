// Benchmark readiness: each area's readiness by each stakeholder's standard
// (map for one stakeholder, small multiples for all), the table behind them,
// and where stakeholders disagree.
import { api } from '../api.js';
import { chart } from '../chart.js';
import { rewindForD3 } from '../geo.js';
import { addPolygons, fit, makeMap, popups } from '../map.js';
import { fmt, h, legend, num, table } from '../ui.js';

const READY = { ready: '#2e7d32', not_ready: '#c62828', no_data: '#9e9e9e' };

export default {
  id: 'readiness',
  title: 'Readiness',
  needs: 'read_benchmarks',
  async render(main) {
    const doc = await api('/api/benchmarks/assessment', { query: { format: 'json' } });
    const stakeholders = doc.areas.length ? doc.areas[0].stakeholders.map((s) => s.id) : [];
    const sel = h('select', { id: 'ready-stakeholder' }, stakeholders.map((s) => h('option', { value: s }, s)));
    const mapEl = h('div', { class: 'map', id: 'readiness-map' });
    const multiples = h('div', { class: 'chart', id: 'readiness-multiples' });
    const tableBox = h('div', { class: 'scroll' });
    const disBox = h('div', { class: 'scroll' });
    main.append(
      h('h1', {}, 'Benchmark readiness'),
      h('p', { class: 'lead' }, `Framework version ${doc.framework_version}, month ${doc.month}, level ${doc.level}. ` +
        'An area is ready for a stakeholder when every core benchmark is met and sustained by that stakeholder\'s thresholds.'),
      h('div', { class: 'controls' }, h('label', { for: 'ready-stakeholder' }, 'Stakeholder on the map', sel)),
      h('div', { class: 'grid' },
        h('section', { class: 'panel' }, h('h2', {}, 'Readiness by this stakeholder\'s standard'), mapEl,
          legend([[READY.ready, 'ready'], [READY.not_ready, 'not ready'], [READY.no_data, 'no data']])),
        h('section', { class: 'panel' }, h('h2', {}, 'Every stakeholder'), multiples)),
      h('section', { class: 'panel', style: 'margin-top:1rem' }, h('h2', {}, 'Readiness by area and stakeholder'), tableBox),
      h('section', { class: 'panel', style: 'margin-top:1rem' }, h('h2', {}, 'Disagreements'), disBox));
    const [map, areas, dis] = await Promise.all([
      makeMap(mapEl, 'readiness', 'Map of readiness by area for the chosen stakeholder'),
      api('/api/areas', { query: { level: doc.level, format: 'geojson' } }),
      api('/api/benchmarks/disagreements', { query: { month: doc.month, version: doc.framework_version, format: 'json' } }),
    ]);
    const byId = new Map(doc.areas.map((a) => [a.id, a]));
    const shapes = areas.features.filter((f) => byId.has(f.properties.id));
    const featuresFor = (s) => ({ type: 'FeatureCollection', features: shapes.map((f) => {
      const a = byId.get(f.properties.id);
      const st = a.stakeholders.find((x) => x.id === s);
      return { type: 'Feature', geometry: f.geometry, properties: { id: a.id, name: a.name, stakeholder: s,
        readiness: st.readiness, core_met: st.core_met, core_total: st.core_total } };
    }) });
    const fill = ['match', ['get', 'readiness'], 'ready', READY.ready, 'not_ready', READY.not_ready, READY.no_data];
    const fc = featuresFor(sel.value);
    addPolygons(map, 'readiness', fc, fill, 0.7);
    popups(map, 'readiness-fill', (p) => `<strong>${p.name}</strong><br>${p.stakeholder}: ${p.readiness.replace('_', ' ')}` +
      `<br>core benchmarks met ${p.core_met} of ${p.core_total}`);
    fit(map, fc);
    sel.addEventListener('change', () => map.getSource('readiness').setData(featuresFor(sel.value)));

    // Small multiples with Vega-Lite: d3's projection wants clockwise exterior rings.
    const all = [];
    for (const s of stakeholders) all.push(...rewindForD3(featuresFor(s)).features);
    // One small map per stakeholder (concatenated: a faceted geoshape gets no projection fit).
    await chart(multiples, 'readiness-multiples', {
      data: { values: all },
      columns: 2,
      concat: stakeholders.map((s) => ({
        title: s,
        width: 200, height: 170,
        transform: [{ filter: { field: 'properties.stakeholder', equal: s } }],
        projection: { type: 'mercator' },
        mark: { type: 'geoshape', stroke: '#34495e', strokeWidth: 0.5 },
        encoding: {
          color: { field: 'properties.readiness', type: 'nominal', title: 'readiness',
            scale: { domain: ['ready', 'not_ready', 'no_data'], range: [READY.ready, READY.not_ready, READY.no_data] } },
          tooltip: [{ field: 'properties.name', title: 'area' }, { field: 'properties.readiness', title: 'readiness' }],
        },
      })),
      config: { legend: { orient: 'bottom' } },
    }, 'Small maps of readiness, one per stakeholder');

    tableBox.replaceChildren(table(`${doc.areas.length} areas × ${stakeholders.length} stakeholders`,
      ['Area', ...stakeholders.map((s) => ({ label: s }))],
      doc.areas.map((a) => h('tr', { 'data-area': a.id }, h('th', { scope: 'row' }, a.name),
        a.stakeholders.map((s) => h('td', { 'data-stakeholder': s.id, 'data-readiness': s.readiness, 'data-core-met': s.core_met },
          h('span', { class: `badge ${s.readiness}` }, s.readiness.replace('_', ' ')), ` ${s.core_met}/${s.core_total}`)))),
      'readiness-table'));
    disBox.replaceChildren(dis.disagreements.length ? table(`${dis.disagreements.length} disagreements`,
      ['Area', 'Benchmark', 'Indicator', { label: 'Value', num: true }, 'Met by', 'Not met by', 'What it takes'],
      dis.disagreements.map((d) => h('tr', {}, h('th', { scope: 'row' }, d.area_id), h('td', {}, d.benchmark), h('td', {}, d.indicator),
        num(d.value, 2, 'value'), h('td', {}, d.met_by.join(', ')), h('td', {}, d.not_met_by.join(', ')),
        h('td', {}, d.gaps.map((g) => `${g.stakeholder}: threshold ${fmt(g.threshold)} (move ${fmt(g.move)})`).join('; ')))),
      'disagreements-table') : h('p', {}, 'The stakeholders agree on every indicator this month.'));
  },
};
