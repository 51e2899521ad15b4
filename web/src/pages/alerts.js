// Alerts: the early-warning level of each area for a month, the active sites
// that respond, and the areas no one reaches in time.
import { api } from '../api.js';
import { chart } from '../chart.js';
import { addPoints, addPolygons, fit, makeMap, popups } from '../map.js';
import { defaultLevel, fmt, h, legend, nextMonth, num, table } from '../ui.js';

const ALERT_COLORS = { green: '#66bb6a', amber: '#ffa726', red: '#e53935' };

export default {
  id: 'alerts',
  title: 'Alerts',
  needs: 'read',
  async render(main, ctx) {
    const level = defaultLevel(ctx.status);
    const last = ctx.status.last_event.slice(0, 7);
    const monthIn = h('input', { id: 'alerts-month', type: 'month', value: nextMonth(last), max: nextMonth(last),
      min: nextMonth(ctx.status.first_event.slice(0, 7), 12) });
    const hours = h('input', { id: 'alerts-hours', type: 'number', min: 0.5, max: 72, step: 0.5, value: 6 });
    const kpis = h('div', { class: 'kpis', id: 'alerts-kpis' });
    const mapEl = h('div', { class: 'map', id: 'alerts-map' });
    const chartEl = h('div', { class: 'chart', id: 'alerts-chart' });
    const gapBox = h('div', { class: 'scroll' });
    const tableBox = h('div', { class: 'scroll' });
    main.append(
      h('h1', {}, 'Alerts and response'),
      h('p', { class: 'lead' }, 'Early warning per area (forecast exceedance probabilities and observed escalation) ' +
        'and early response: the sites with troops or police that reach each area within the response time.'),
      h('div', { class: 'controls' }, h('label', { for: 'alerts-month' }, 'Month warned for', monthIn),
        h('label', { for: 'alerts-hours' }, 'Response time (hours)', hours)),
      kpis,
      h('div', { class: 'grid' },
        h('section', { class: 'panel' }, h('h2', {}, 'Alert level and responders'), mapEl,
          legend([[ALERT_COLORS.green, 'green'], [ALERT_COLORS.amber, 'amber'], [ALERT_COLORS.red, 'red'], ['#0b5fa5', 'active site']])),
        h('section', { class: 'panel' }, h('h2', {}, 'Areas no one reaches in time'), gapBox)),
      h('section', { class: 'panel', style: 'margin-top:1rem' }, h('h2', {}, 'Probability of 25 or more fatalities'), chartEl),
      h('section', { class: 'panel', style: 'margin-top:1rem' }, h('h2', {}, 'Every area'), tableBox));
    const [map, areas] = await Promise.all([
      makeMap(mapEl, 'alerts', 'Map of alert levels by area with the active sites'),
      api('/api/areas', { query: { level, format: 'geojson' } }),
    ]);
    let first = true;
    const draw = async () => {
      const month = monthIn.value;
      const [doc, sites] = await Promise.all([
        api('/api/alerts', { query: { month, level, response_hours: hours.value, format: 'json' } }),
        api('/api/sites', { query: { month: nextMonth(month, -1), format: 'geojson' } }),
      ]);
      const byId = new Map(doc.alerts.map((a) => [a.area_id, a]));
      const fc = { type: 'FeatureCollection', features: areas.features.filter((f) => byId.has(f.properties.id)).map((f) => {
        const a = byId.get(f.properties.id);
        return { type: 'Feature', geometry: f.geometry, properties: { area_id: a.area_id, area_name: a.area_name, alert: a.alert,
          p_ge_25: a.p_ge_25, responders_in_reach: a.responders_in_reach, response_gap: a.response_gap } };
      }) };
      const active = { type: 'FeatureCollection', features: sites.features.filter((f) => f.properties.active) };
      const fill = ['match', ['get', 'alert'], 'red', ALERT_COLORS.red, 'amber', ALERT_COLORS.amber, ALERT_COLORS.green];
      if (map.getSource('alerts')) {
        map.getSource('alerts').setData(fc);
        map.getSource('sites').setData(active);
      } else {
        addPolygons(map, 'alerts', fc, fill, 0.7);
        addPoints(map, 'sites', active, '#0b5fa5', 5);
        popups(map, 'alerts-fill', (p) => `<strong>${p.area_name}</strong><br>${p.alert}; P(≥25) ${fmt(p.p_ge_25, 3)}` +
          `<br>${p.responders_in_reach} responders in reach${p.response_gap ? '<br><strong>no one reaches it in time</strong>' : ''}`);
        popups(map, 'sites-circle', (p) => `<strong>${p.name}</strong><br>troops ${fmt(p.troops)}, police ${fmt(p.police)}`);
      }
      if (first) { fit(map, fc); first = false; }
      const c = doc.counts;
      kpis.replaceChildren(...[['green', c.green], ['amber', c.amber], ['red', c.red], ['response_gaps', c.response_gaps]].map(([k, v]) =>
        h('div', { class: 'kpi', 'data-testid': `kpi-${k}`, 'data-value': v }, h('div', { class: 'v' }, fmt(v)),
          h('div', { class: 'k' }, k === 'response_gaps' ? 'areas no one reaches' : `${k} areas`))));
      const gaps = doc.alerts.filter((a) => a.response_gap);
      gapBox.replaceChildren(gaps.length ? table(`${gaps.length} areas out of reach within ${hours.value} h`,
        ['Area', 'Alert', 'Nearest site', { label: 'Hours', num: true }],
        gaps.map((a) => h('tr', { 'data-area': a.area_id }, h('th', { scope: 'row' }, a.area_name),
          h('td', {}, h('span', { class: `badge ${a.alert}` }, a.alert)), h('td', {}, a.nearest_site || '–'),
          num(a.nearest_hours, 1, 'nearest_hours'))), 'gaps-table') : h('p', {}, 'Every area is reached in time.'));
      tableBox.replaceChildren(table(`Alerts for ${doc.month} (model ${doc.model}, ${doc.samples} draws)`,
        ['Area', 'Alert', { label: 'Expected', num: true }, { label: 'P(≥1)', num: true }, { label: 'P(≥10)', num: true },
          { label: 'P(≥25)', num: true }, { label: 'Responders', num: true }, 'Reasons'],
        doc.alerts.map((a) => h('tr', { 'data-area': a.area_id }, h('th', { scope: 'row' }, a.area_name),
          h('td', {}, h('span', { class: `badge ${a.alert}` }, a.alert)), num(a.expected, 2, 'expected'),
          num(a.p_ge_1, 3, 'p_ge_1'), num(a.p_ge_10, 3, 'p_ge_10'), num(a.p_ge_25, 3, 'p_ge_25'),
          num(a.responders_in_reach, 0, 'responders_in_reach'), h('td', {}, (a.reasons || []).join('; ')))), 'alerts-table'));
      chartEl.replaceChildren();
      await chart(chartEl, 'alerts-p25', {
        width: 'container', height: 260,
        data: { values: doc.alerts.map((a) => ({ area: a.area_name, p: a.p_ge_25, alert: a.alert })) },
        mark: 'bar',
        encoding: {
          x: { field: 'area', type: 'nominal', sort: '-y', title: null },
          y: { field: 'p', type: 'quantitative', title: 'P(≥25 fatalities)', scale: { domain: [0, 1] } },
          color: { field: 'alert', type: 'nominal', scale: { domain: ['green', 'amber', 'red'], range: [ALERT_COLORS.green, ALERT_COLORS.amber, ALERT_COLORS.red] } },
          tooltip: [{ field: 'area' }, { field: 'alert' }, { field: 'p', format: '.3f' }],
        },
      }, 'Bar chart of the probability of 25 or more fatalities per area');
    };
    monthIn.addEventListener('change', draw);
    hours.addEventListener('change', draw);
    await draw();
  },
};
