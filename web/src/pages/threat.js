// Threat picture: the composite index of a month on the map, its trend over
// time for the areas with the highest level, and the table behind both.
import { api } from '../api.js';
import { chart } from '../chart.js';
import { addPolygons, fit, makeMap, popups, quantileStops, steps } from '../map.js';
import { defaultLevel, fmt, h, legend, num, table } from '../ui.js';

const COLORS = ['#fff5eb', '#fdd0a2', '#fd8d3c', '#d94801', '#7f2704'];

export default {
  id: 'threat',
  title: 'Threat picture',
  needs: 'read',
  async render(main, ctx) {
    const level = defaultLevel(ctx.status);
    const last = ctx.status.last_event.slice(0, 7);
    const levelSel = h('select', { id: 'threat-level' },
      Object.keys(ctx.status.areas_by_level).map((l) => h('option', { value: l, selected: l === level }, l)));
    const monthIn = h('input', { id: 'threat-month', type: 'month', value: last, max: last,
      min: ctx.status.first_event.slice(0, 7) });
    const mapEl = h('div', { class: 'map', id: 'threat-map' });
    const chartEl = h('div', { class: 'chart', id: 'threat-chart' });
    const tableBox = h('div', { class: 'scroll' });
    const legendBox = h('div');
    main.append(
      h('h1', {}, 'Threat picture'),
      h('p', { class: 'lead' }, 'Composite threat index per area (violence against civilians and battles per capita), ' +
        'its smoothed level (EWMA) and Mann-Kendall trend. The map shows one month; the chart the level over time.'),
      h('div', { class: 'controls' }, h('label', { for: 'threat-level' }, 'Level', levelSel),
        h('label', { for: 'threat-month' }, 'Month', monthIn)),
      h('div', { class: 'grid' },
        h('section', { class: 'panel', 'aria-labelledby': 'threat-map-h' }, h('h2', { id: 'threat-map-h' }, 'Index level (EWMA) by area'), mapEl, legendBox),
        h('section', { class: 'panel', 'aria-labelledby': 'threat-trend-h' }, h('h2', { id: 'threat-trend-h' }, 'Trend of the areas with the highest level'), chartEl)),
      h('section', { class: 'panel', style: 'margin-top:1rem' }, h('h2', {}, 'Areas'), tableBox));
    const map = await makeMap(mapEl, 'threat', 'Map of the threat index by area');
    let first = true;
    const draw = async () => {
      const q = { level: levelSel.value, month: monthIn.value, format: 'geojson' };
      const [fc, all] = await Promise.all([
        api('/api/threat/index', { query: q }),
        api('/api/threat/index', { query: { level: levelSel.value, format: 'json' } }),
      ]);
      const stops = quantileStops(fc.features.map((f) => f.properties.ewma));
      const fill = steps('ewma', stops, COLORS);
      if (map.getSource('threat')) {
        map.getSource('threat').setData(fc);
        map.setPaintProperty('threat-fill', 'fill-color', fill);
      } else {
        addPolygons(map, 'threat', fc, fill);
        popups(map, 'threat-fill', (p) => `<strong>${p.area_name}</strong><br>index ${fmt(p.index)}<br>EWMA ${fmt(p.ewma)}<br>trend ${p.trend}`);
      }
      if (first) { fit(map, fc); first = false; }
      legendBox.replaceChildren(legend([[COLORS[0], `< ${fmt(stops[0])}`], [COLORS[1], `${fmt(stops[0])}–${fmt(stops[1])}`],
        [COLORS[2], `${fmt(stops[1])}–${fmt(stops[2])}`], [COLORS[3], `${fmt(stops[2])}–${fmt(stops[3])}`], [COLORS[4], `≥ ${fmt(stops[3])}`]]));
      const rows = fc.features.map((f) => f.properties).sort((a, b) => b.ewma - a.ewma);
      tableBox.replaceChildren(table(`Threat index, ${monthIn.value}, level ${levelSel.value}`,
        ['Area', { label: 'Index', num: true }, { label: 'EWMA', num: true }, 'Trend', { label: 'Sen slope', num: true }],
        rows.map((p) => h('tr', { 'data-area': p.area_id }, h('th', { scope: 'row' }, p.area_name), num(p.index, 2, 'index'),
          num(p.ewma, 2, 'ewma'), h('td', {}, p.trend), num(p.sen_slope, 3, 'sen_slope'))), 'threat-table'));
      const top = new Set(rows.slice(0, 6).map((p) => p.area_id));
      const series = all.rows.filter((r) => top.has(r.area_id)).map((r) => ({ area: r.area_name, month: r.month, ewma: r.ewma }));
      chartEl.replaceChildren();
      await chart(chartEl, 'threat-trend', {
        width: 'container', height: 300, data: { values: series },
        mark: { type: 'line', point: false },
        encoding: {
          x: { field: 'month', type: 'temporal', title: 'month' },
          y: { field: 'ewma', type: 'quantitative', title: 'index level (EWMA)' },
          color: { field: 'area', type: 'nominal', title: 'area' },
          tooltip: [{ field: 'area' }, { field: 'month' }, { field: 'ewma', format: '.2f' }],
        },
      }, 'Line chart of the threat index level over time for the six areas with the highest level');
    };
    levelSel.addEventListener('change', () => { first = true; draw(); });
    monthIn.addEventListener('change', draw);
    await draw();
  },
};
