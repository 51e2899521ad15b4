// Forecast skill: the rolling-origin backtest of the benchmark and learned
// models run on the server as a job (POST /api/forecast/backtest, the document
// of `endstate forecast backtest --format json`); the latest finished backtest
// is shown: the ranking by CRPS with the other scores, a score per year and
// model, each model's PIT histogram and its reliability for P(>=1/10/25).
import { latestResult, runJob } from '../api.js';
import { chart } from '../chart.js';
import { fmt, h, jobState, num, problemText, say, select, table } from '../ui.js';

const MODELS = ['zero', 'last', 'bootstrap', 'conflictology', 'nb', 'hurdle'];
const TARGETS = [['fatalities', 'fatalities (all violence)'], ['vac-fatalities', 'fatalities in violence against civilians'],
  ['vac-events', 'events of violence against civilians']];
const SCORES = [['crps', 'CRPS (lower is better)'], ['ign', 'ignorance (lower is better)'], ['mis', 'MIS, 90% interval (lower is better)'],
  ['mse', 'MSE (lower is better)'], ['brier_25', 'Brier score of ≥25 (lower is better)'],
  ['cover_90', 'coverage of the 90% interval (0.9 is right)'], ['cover_50', 'coverage of the 50% interval (0.5 is right)']];

export default {
  id: 'backtest',
  title: 'Forecast skill',
  needs: 'run',
  async render(main, ctx) {
    const last = ctx.status.last_event.slice(0, 7);
    const from = h('input', { id: 'bt-from', type: 'month', max: last, min: ctx.status.first_event.slice(0, 7) });
    const to = h('input', { id: 'bt-to', type: 'month', max: last, min: ctx.status.first_event.slice(0, 7) });
    const target = select('bt-target', TARGETS, 'fatalities');
    const horizon = h('input', { id: 'bt-horizon', type: 'number', min: 1, max: 120, value: 12, inputmode: 'numeric' });
    const samples = h('input', { id: 'bt-samples', type: 'number', min: 1, max: 100000, value: 500, inputmode: 'numeric' });
    const boxes = MODELS.map((m) => h('input', { type: 'checkbox', id: `bt-model-${m}`, value: m, checked: true }));
    const run = h('button', { id: 'bt-run', type: 'button' }, 'Run backtest');
    const jobText = h('p', { class: 'muted', id: 'bt-job' }, '');
    const head = h('div', {});
    const rankBox = h('div', { class: 'scroll' });
    const scoreSel = select('bt-score', SCORES, 'crps');
    const yearEl = h('div', { class: 'chart', id: 'backtest-years' });
    const pitEl = h('div', { class: 'chart', id: 'backtest-pit' });
    const relSel = select('bt-at-least', [[1, 'at least 1'], [10, 'at least 10'], [25, 'at least 25']], 1);
    const relEl = h('div', { class: 'chart', id: 'backtest-reliability' });
    const sizeBox = h('div', { class: 'scroll' });
    main.append(
      h('h1', {}, 'Forecast skill'),
      h('p', { class: 'lead' }, 'Rolling-origin backtest: at each origin every model is fitted on the months strictly before ' +
        'it and forecasts the months ahead, scored against what happened (CRPS, ignorance and interval score as the ViEWS ' +
        'challenge defines them, MSE, Brier scores, interval coverage). The backtest runs on the server as a job; the ' +
        `latest finished one is shown. Empty months mean the defaults: origins from 36 months before ${last} to ${last}.`),
      h('section', { class: 'panel' }, h('h2', {}, 'Run a backtest'),
        h('div', { class: 'controls' },
          h('label', { for: 'bt-from' }, 'First origin', from), h('label', { for: 'bt-to' }, 'Last origin', to),
          h('label', { for: 'bt-target' }, 'What is forecast', target),
          h('label', { for: 'bt-horizon' }, 'Months ahead', horizon), h('label', { for: 'bt-samples' }, 'Draws', samples)),
        h('fieldset', { class: 'checks' }, h('legend', {}, 'Models'),
          boxes.map((b) => h('label', { for: b.id, class: 'check' }, b, b.value))),
        run),
      jobText, head,
      h('section', { class: 'panel', style: 'margin-top:1rem' }, h('h2', {}, 'Ranking'), rankBox),
      h('div', { class: 'grid', style: 'margin-top:1rem' },
        h('section', { class: 'panel' }, h('h2', {}, 'Score per year'),
          h('div', { class: 'controls' }, h('label', { for: 'bt-score' }, 'Score', scoreSel)), yearEl),
        h('section', { class: 'panel' }, h('h2', {}, 'Reliability'),
          h('div', { class: 'controls' }, h('label', { for: 'bt-at-least' }, 'Event', relSel)), relEl)),
      h('section', { class: 'panel', style: 'margin-top:1rem' },
        h('h2', {}, 'Calibration: PIT histograms'),
        h('p', { class: 'muted' }, 'Where each outcome fell in its forecast distribution, in tenths: a calibrated model fills ' +
          'each tenth with a tenth of the outcomes (the line); a U shape means intervals too narrow, a hump too wide.'),
        pitEl),
      h('section', { class: 'panel', style: 'margin-top:1rem' }, h('h2', {}, 'Interval coverage by outcome size'), sizeBox));

    const show = async (job, doc) => {
      jobText.textContent = `Backtest job ${job.id} by ${job.user}, finished ${job.finished_at}`;
      head.replaceChildren(h('p', { id: 'bt-head' }, `${doc.target}, level ${doc.level} (${doc.areas} areas): ${doc.origins} ` +
        `origins ${doc.from} to ${doc.to}, ${doc.horizon} months ahead, ${fmt(doc.samples)} draws (seed ${doc.seed}).`));
      rankBox.replaceChildren(table(`${doc.overall.length} models ranked by CRPS over ${fmt(doc.overall.length ? doc.overall[0].n : 0)} ` +
        'area-months forecast; expected against observed months with at least 25', [{ label: 'Rank', num: true }, 'Model',
        { label: 'CRPS', num: true }, { label: 'Ignorance', num: true }, { label: 'MIS', num: true }, { label: 'MSE', num: true },
        { label: 'Brier ≥1', num: true }, { label: 'Brier ≥25', num: true }, { label: 'Cover 50%', num: true },
        { label: 'Cover 90%', num: true }, { label: 'CRPS, non-zero', num: true }, { label: '≥25 expected', num: true },
        { label: '≥25 observed', num: true }],
      doc.overall.map((o) => h('tr', { 'data-model': o.model }, num(o.rank, 0, 'rank'), h('th', { scope: 'row' }, o.model),
        num(o.crps, 3, 'crps'), num(o.ign, 3, 'ign'), num(o.mis, 1, 'mis'), num(o.mse, 1, 'mse'), num(o.brier_1, 3, 'brier_1'),
        num(o.brier_25, 3, 'brier_25'), num(o.cover_50, 3, 'cover_50'), num(o.cover_90, 3, 'cover_90'),
        num(o.crps_nonzero, 3, 'crps_nonzero'), num(o.expected_ge_25, 1, 'expected_ge_25'),
        num(o.observed_ge_25, 0, 'observed_ge_25'))), 'backtest-ranking'));
      const order = doc.overall.map((o) => o.model);
      const color = { field: 'model', type: 'nominal', title: 'model', sort: order };

      const drawYears = async () => {
        const k = scoreSel.value;
        yearEl.replaceChildren();
        await chart(yearEl, 'backtest-years', {
          width: 'container', height: 260, data: { values: doc.by_year.map((r) => ({ model: r.model, year: String(r.year), v: r[k] })) },
          mark: { type: 'line', point: true },
          encoding: { x: { field: 'year', type: 'ordinal', title: 'year forecast', axis: { labelAngle: 0 } },
            y: { field: 'v', type: 'quantitative', title: (SCORES.find(([s]) => s === k) || [k, k])[1] }, color,
            tooltip: [{ field: 'model' }, { field: 'year' }, { field: 'v', title: k, format: ',.3f' }] },
        }, `Line chart of the ${k} of each model per year`);
      };
      const drawReliability = async () => {
        const at = Number(relSel.value);
        const rows = doc.calibration.flatMap((c) => ((c.reliability || []).find((r) => r.at_least === at) || { bins: [] }).bins
          .filter((b) => b.n > 0 && b.forecast !== null).map((b) => ({ model: c.model, forecast: b.forecast, observed: b.observed, n: b.n })));
        relEl.replaceChildren();
        await chart(relEl, 'backtest-reliability', {
          width: 'container', height: 260,
          layer: [
            { data: { values: [{ x: 0, y: 0 }, { x: 1, y: 1 }] }, mark: { type: 'line', color: '#9e9e9e', strokeDash: [4, 4] },
              encoding: { x: { field: 'x', type: 'quantitative' }, y: { field: 'y', type: 'quantitative' } } },
            { data: { values: rows }, mark: { type: 'line', point: true },
              encoding: { x: { field: 'forecast', type: 'quantitative', title: `forecast P(≥${at})`, scale: { domain: [0, 1] } },
                y: { field: 'observed', type: 'quantitative', title: 'observed frequency', scale: { domain: [0, 1] } }, color,
                tooltip: [{ field: 'model' }, { field: 'forecast', format: '.3f' }, { field: 'observed', format: '.3f' }, { field: 'n', format: ',' }] } },
          ],
        }, `Reliability diagram of P(≥${at}): the observed frequency against the forecast probability, per model; the diagonal is perfect`);
      };
      await drawYears();
      await drawReliability();
      pitEl.replaceChildren();
      const pit = doc.calibration.flatMap((c) => c.pit.map((v, i) => ({ model: c.model, bin: (i + 0.5) / 10, from: i / 10, to: (i + 1) / 10, share: v })));
      await chart(pitEl, 'backtest-pit', {
        data: { values: pit },
        facet: { field: 'model', type: 'nominal', title: null, sort: order },
        columns: 3,
        spec: {
          width: 200, height: 120,
          layer: [
            { mark: { type: 'rect', color: '#4f6d7a', stroke: '#fff', strokeWidth: 0.5 },
              encoding: { x: { field: 'from', type: 'quantitative', title: 'PIT', scale: { domain: [0, 1] } }, x2: { field: 'to' },
                y: { field: 'share', type: 'quantitative', title: 'share of outcomes' }, y2: { datum: 0 },
                tooltip: [{ field: 'model' }, { field: 'from', title: 'from' }, { field: 'to', title: 'to' }, { field: 'share', format: '.3f' }] } },
            { mark: { type: 'rule', color: '#c62828', strokeDash: [4, 3] }, encoding: { y: { datum: 0.1 } } },
          ],
        },
      }, 'PIT histograms, one per model: the share of outcomes in each tenth of the forecast distribution, against the uniform tenth');
      const sizes = ['0', '1-9', '10-24', '25+'];
      sizeBox.replaceChildren(table('share of outcomes inside the 50% and 90% intervals, by the size of the outcome',
        ['Model', ...sizes.flatMap((s) => [{ label: `${s}: 50%`, num: true }, { label: `${s}: 90%`, num: true }])],
        doc.calibration.map((c) => h('tr', { 'data-model': c.model }, h('th', { scope: 'row' }, c.model),
          sizes.flatMap((s) => {
            const x = c.coverage_by_size.find((r) => r.size === s) || {};
            return [num(x.cover_50, 2, `cover_50_${s}`), num(x.cover_90, 2, `cover_90_${s}`)];
          }))), 'backtest-sizes'));
      scoreSel.onchange = drawYears;
      relSel.onchange = drawReliability;
    };

    try {
      const done = await latestResult('forecast_backtest');
      if (done) await show(done.job, done.result);
      else jobText.textContent = 'No backtest has been run yet: choose the origins and models and run it.';
    } catch (e) { say(problemText(e), true); }

    run.addEventListener('click', async () => {
      run.disabled = true;
      try {
        const models = boxes.filter((b) => b.checked).map((b) => b.value);
        if (!models.length) throw new Error('choose at least one model');
        const { job, result } = await runJob('/api/forecast/backtest', { from: from.value || undefined, to: to.value || undefined,
          target: target.value, models, horizon: Number(horizon.value), samples: Number(samples.value), format: 'json' },
        (j) => { jobText.textContent = jobState(j); });
        await show(job, result);
        say(`Backtest job ${job.id} finished`);
      } catch (e) { say(problemText(e), true); jobText.textContent = problemText(e); }
      run.disabled = false;
    });
  },
};
