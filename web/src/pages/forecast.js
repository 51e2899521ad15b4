// Forecast: the distribution of fatalities or violence against civilians per
// area and month ahead, run on the server as a job (POST /api/forecast, the
// document of `endstate forecast run --format json`); the latest finished
// forecast is shown: one month's expected value or probability per area on the
// map, the fan chart (median, 50% and 90% intervals) of one area after the
// months observed before it, and the month's table.
import { api, latestResult, runJob } from '../api.js';
import { chart } from '../chart.js';
import { addPolygons, fit, makeMap, popups, quantileStops, steps } from '../map.js';
import { fmt, h, jobState, legend, nextMonth, num, problemText, say, select, stepLegend, table } from '../ui.js';

const COLORS = ['#f2f0f7', '#cbc9e2', '#9e9ac8', '#756bb1', '#54278f'];
const TARGETS = [['vac-fatalities', 'fatalities in violence against civilians'], ['vac-events', 'events of violence against civilians'],
  ['fatalities', 'fatalities (all violence)']];
const MODELS = ['best', 'hurdle', 'nb', 'bootstrap', 'conflictology', 'last', 'zero'];
const MEASURES = [['mean', 'expected value'], ['p_ge_1', 'P(≥1)'], ['p_ge_10', 'P(≥10)'], ['p_ge_25', 'P(≥25)']];
// The panel's column observed for each target (fatalities: every type of violence).
const OBSERVED = { fatalities: 'fatalities_total', 'vac-events': 'events_vac', 'vac-fatalities': 'fatalities_vac' };

export default {
  id: 'forecast',
  title: 'Forecast',
  needs: 'run',
  async render(main) {
    const target = select('fc-target', TARGETS, 'vac-fatalities');
    const model = select('fc-model', MODELS, 'best');
    const horizon = h('input', { id: 'fc-horizon', type: 'number', min: 1, max: 120, value: 12, inputmode: 'numeric' });
    const samples = h('input', { id: 'fc-samples', type: 'number', min: 1, max: 100000, value: 1000, inputmode: 'numeric' });
    const run = h('button', { id: 'fc-run', type: 'button' }, 'Run forecast');
    const jobText = h('p', { class: 'muted', id: 'fc-job' }, '');
    const head = h('div', {});
    const view = h('div', { class: 'controls' });
    const mapEl = h('div', { class: 'map', id: 'forecast-map' });
    const legendBox = h('div');
    const fanEl = h('div', { class: 'chart', id: 'forecast-fan' });
    const tableBox = h('div', { class: 'scroll' });
    main.append(
      h('h1', {}, 'Forecast'),
      h('p', { class: 'lead' }, 'The forecast distribution per area and month ahead, from the models fitted on the store\'s ' +
        'history (the best model of the backtests unless another is chosen): expected value, quantiles and the ' +
        'probability of at least 1, 10 and 25. The forecast runs on the server as a job; the latest finished one is shown.'),
      h('section', { class: 'panel' }, h('h2', {}, 'Run a forecast'),
        h('div', { class: 'controls' },
          h('label', { for: 'fc-target' }, 'What is forecast', target), h('label', { for: 'fc-model' }, 'Model', model),
          h('label', { for: 'fc-horizon' }, 'Months ahead', horizon), h('label', { for: 'fc-samples' }, 'Draws per area and month', samples),
          run)),
      jobText, head, view,
      h('div', { class: 'grid' },
        h('section', { class: 'panel' }, h('h2', { id: 'forecast-map-h' }, 'By area'), mapEl, legendBox),
        h('section', { class: 'panel' }, h('h2', { id: 'forecast-fan-h' }, 'Fan chart'), fanEl,
          legend([['#54278f', 'median'], ['#b6b2d6', '50% interval'], ['#e0def0', '90% interval'], ['#263238', 'observed']]))),
      h('section', { class: 'panel', style: 'margin-top:1rem' }, h('h2', {}, 'The month\'s forecast'), tableBox));
    const map = await makeMap(mapEl, 'forecast', 'Map of the forecast per area for the chosen month');
    let pick = () => {};  // clicking an area shows its fan chart (the latest document's)

    const show = async (job, doc) => {
      jobText.textContent = `Forecast job ${job.id} by ${job.user}, finished ${job.finished_at}`;
      const what = (TARGETS.find(([k]) => k === doc.target) || [doc.target, doc.target])[1];
      head.replaceChildren(h('p', { id: 'fc-head' }, `Forecast of ${what}, model ${doc.model}, level ${doc.level}: history ` +
        `${doc.history_from} to ${doc.history_to}, ${doc.horizon} months from ${doc.first_month}, ${fmt(doc.samples)} draws ` +
        `(seed ${doc.seed}).`));
      const months = [...new Set(doc.forecasts.map((f) => f.month))];
      const names = new Map(doc.forecasts.map((f) => [f.area_id, f.area_name]));
      const monthSel = select('fc-month', months, months[0]);
      const measureSel = select('fc-measure', MEASURES, 'mean');
      // The area of the fan chart: the one with the highest expected value in the first month.
      const first = doc.forecasts.filter((f) => f.month === months[0]).sort((a, b) => b.mean - a.mean);
      const areaSel = select('fc-area', [...names].map(([id, n]) => [id, n]), first.length ? first[0].area_id : '');
      view.replaceChildren(h('label', { for: 'fc-month' }, 'Month on the map', monthSel),
        h('label', { for: 'fc-measure' }, 'Shown on the map', measureSel), h('label', { for: 'fc-area' }, 'Area of the fan chart', areaSel));
      const [areas, panel] = await Promise.all([
        api('/api/areas', { query: { level: doc.level, format: 'geojson' } }),
        api('/api/threat/panel', { query: { level: doc.level, from: nextMonth(doc.history_to, -23), to: doc.history_to, format: 'json' } }),
      ]);

      const drawMap = () => {
        const rows = doc.forecasts.filter((f) => f.month === monthSel.value);
        const byId = new Map(rows.map((f) => [f.area_id, f]));
        const fc = { type: 'FeatureCollection', features: areas.features.filter((f) => byId.has(f.properties.id)).map((f) => ({
          type: 'Feature', geometry: f.geometry, properties: { ...byId.get(f.properties.id) } })) };
        const m = measureSel.value;
        const stops = m === 'mean' ? quantileStops(rows.map((f) => f.mean)) : [0.2, 0.4, 0.6, 0.8];
        const fill = steps(m, stops, COLORS);
        if (map.getSource('forecast')) {
          map.getSource('forecast').setData(fc);
          map.setPaintProperty('forecast-fill', 'fill-color', fill);
        } else {
          addPolygons(map, 'forecast', fc, fill, 0.8);
          popups(map, 'forecast-fill', (p) => `<strong>${p.area_name}</strong><br>${p.month}: expected ${fmt(p.mean)}` +
            `<br>median ${fmt(p.q50)}, 90% ${fmt(p.q05)}–${fmt(p.q95)}<br>P(≥1) ${fmt(p.p_ge_1, 3)}, P(≥25) ${fmt(p.p_ge_25, 3)}`);
          map.on('click', 'forecast-fill', (e) => {
            const f = e.features && e.features[0];
            if (f) pick(f.properties.area_id);
          });
          fit(map, fc);
        }
        document.getElementById('forecast-map-h').textContent =
          `${(MEASURES.find(([k]) => k === m) || [m, m])[1]} by area, ${monthSel.value}`;
        legendBox.replaceChildren(stepLegend(stops, COLORS, m === 'mean' ? 1 : 2));
        tableBox.replaceChildren(table(`${monthSel.value}, ${rows.length} areas; intervals from the ${fmt(doc.samples)} draws`,
          ['Area', { label: 'Expected', num: true }, { label: 'Median', num: true }, { label: '50% interval', num: true },
            { label: '90% interval', num: true }, { label: 'P(≥1)', num: true }, { label: 'P(≥10)', num: true },
            { label: 'P(≥25)', num: true }],
          [...rows].sort((a, b) => b.mean - a.mean).map((f) => h('tr', { 'data-area': f.area_id },
            h('th', { scope: 'row' }, f.area_name), num(f.mean, 2, 'mean'), num(f.q50, 1, 'q50'),
            h('td', { class: 'num' }, `${fmt(f.q25, 1)}–${fmt(f.q75, 1)}`), h('td', { class: 'num' }, `${fmt(f.q05, 1)}–${fmt(f.q95, 1)}`),
            num(f.p_ge_1, 3, 'p_ge_1'), num(f.p_ge_10, 3, 'p_ge_10'), num(f.p_ge_25, 3, 'p_ge_25'))), 'forecast-table'));
      };

      const drawFan = async () => {
        const id = areaSel.value;
        const col = OBSERVED[doc.target];
        const observed = panel.rows.filter((r) => r.area_id === id).map((r) => ({ month: r.month, observed: r[col] }));
        const ahead = doc.forecasts.filter((f) => f.area_id === id);
        // The band starts at the last observed month so that the fan joins the history.
        const last = observed.length ? observed[observed.length - 1] : null;
        const band = [...(last ? [{ month: last.month, q05: last.observed, q25: last.observed, q50: last.observed,
          q75: last.observed, q95: last.observed }] : []), ...ahead];
        document.getElementById('forecast-fan-h').textContent = `Fan chart: ${names.get(id)}`;
        fanEl.replaceChildren();
        const x = { field: 'month', type: 'temporal', title: 'month' };
        await chart(fanEl, 'forecast-fan', {
          width: 'container', height: 280,
          layer: [
            { data: { values: band }, mark: { type: 'area', color: '#cbc9e2', opacity: 0.6 },
              encoding: { x, y: { field: 'q05', type: 'quantitative', title: (TARGETS.find(([k]) => k === doc.target) || [0, doc.target])[1] },
                y2: { field: 'q95' } } },
            { data: { values: band }, mark: { type: 'area', color: '#9e9ac8', opacity: 0.6 },
              encoding: { x, y: { field: 'q25', type: 'quantitative' }, y2: { field: 'q75' } } },
            { data: { values: band }, mark: { type: 'line', color: '#54278f', point: true },
              encoding: { x, y: { field: 'q50', type: 'quantitative' },
                tooltip: [{ field: 'month', type: 'temporal', timeUnit: 'yearmonth', title: 'month' },
                  { field: 'q50', title: 'median', format: ',.1f' }, { field: 'q25', title: '25%', format: ',.1f' },
                  { field: 'q75', title: '75%', format: ',.1f' }, { field: 'q05', title: '5%', format: ',.1f' },
                  { field: 'q95', title: '95%', format: ',.1f' }, { field: 'mean', title: 'expected', format: ',.2f' }] } },
            { data: { values: observed }, mark: { type: 'line', color: '#263238', strokeWidth: 1.5 },
              encoding: { x, y: { field: 'observed', type: 'quantitative' },
                tooltip: [{ field: 'month', type: 'temporal', timeUnit: 'yearmonth', title: 'month' }, { field: 'observed', format: ',' }] } },
          ],
        }, `Fan chart of the forecast for ${names.get(id)}: the observed months, then the median with the 50% and 90% intervals`);
      };
      monthSel.addEventListener('change', drawMap);
      measureSel.addEventListener('change', drawMap);
      areaSel.addEventListener('change', drawFan);
      pick = (id) => { areaSel.value = id; drawFan(); };
      drawMap();
      await drawFan();
    };

    try {
      const last = await latestResult('forecast_run');
      if (last) await show(last.job, last.result);
      else jobText.textContent = 'No forecast has been run yet: choose what to forecast and run it.';
    } catch (e) { say(problemText(e), true); }

    run.addEventListener('click', async () => {
      run.disabled = true;
      try {
        const { job, result } = await runJob('/api/forecast', { target: target.value, model: model.value,
          horizon: Number(horizon.value), samples: Number(samples.value), format: 'json' },
        (j) => { jobText.textContent = jobState(j); });
        await show(job, result);
        say(`Forecast job ${job.id} finished`);
      } catch (e) { say(problemText(e), true); jobText.textContent = problemText(e); }
      run.disabled = false;
    });
  },
};
