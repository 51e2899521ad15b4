// Benchmark outlook: an area's readiness month by month by each stakeholder's
// standard (GET /api/benchmarks/history), and when each benchmark not met now
// is expected to be met, with its 80% interval, per province (POST
// /api/benchmarks/projections, a job: the document of `endstate benchmarks
// project --format json`; the latest finished projection is shown to the
// roles that may run analyses).
import { api, latestResult, runJob } from '../api.js';
import { chart } from '../chart.js';
import { fmt, h, jobState, legend, nextMonth, num, problemText, say, select, table } from '../ui.js';
import { readyBy } from './outlook_more.js';

const READY = { ready: '#2e7d32', not_ready: '#c62828', no_data: '#9e9e9e' };
const STATUS = { met: '#2e7d32', not_met: '#c62828', no_data: '#9e9e9e' };

export default {
  id: 'outlook',
  title: 'Benchmark outlook',
  needs: 'read_benchmarks',
  async render(main, ctx) {
    const doc = await api('/api/benchmarks/assessment', { query: { format: 'json' } });
    const stakeholders = doc.areas.length ? doc.areas[0].stakeholders.map((s) => s.id) : [];
    const names = new Map(doc.areas.map((a) => [a.id, a.name]));
    const canRun = ctx.me.capabilities.includes('run');
    const areaSel = select('ol-area', doc.areas.map((a) => [a.id, a.name]), doc.areas.length ? doc.areas[0].id : '');
    const fromIn = h('input', { id: 'ol-from', type: 'month', value: nextMonth(doc.month, -59), max: doc.month });
    const histEl = h('div', { class: 'chart', id: 'outlook-history' });
    const statusBox = h('div', { class: 'scroll' });
    main.append(
      h('h1', {}, 'Benchmark outlook'),
      h('p', { class: 'lead' }, `Framework version ${doc.framework_version}, level ${doc.level}, assessed to ${doc.month}. ` +
        'How an area\'s readiness has moved by each stakeholder\'s standard, and when the benchmarks not met now may be met ' +
        '(projected from the forecast of violence and the trend of the other indicators).'),
      h('section', { class: 'panel' }, h('h2', { id: 'ol-history-h' }, 'Readiness over time'),
        h('div', { class: 'controls' }, h('label', { for: 'ol-area' }, 'Area', areaSel), h('label', { for: 'ol-from' }, 'From', fromIn)),
        histEl, legend([[READY.ready, 'ready'], [READY.not_ready, 'not ready'], [READY.no_data, 'no data']]),
        h('h3', { id: 'ol-status-h' }, 'Benchmarks in the last month'), statusBox));

    const drawHistory = async () => {
      const hist = await api('/api/benchmarks/history', { query: { area: areaSel.value, from: fromIn.value || undefined, format: 'json' } });
      const name = names.get(hist.area_id) || hist.area_id;
      document.getElementById('ol-history-h').textContent = `Readiness over time: ${name}`;
      const rows = hist.months.map((m) => ({ month: m.month, stakeholder: m.stakeholder, readiness: m.readiness,
        core_met: m.core_met, core_total: m.core_total, contextual: m.contextual_share }));
      histEl.replaceChildren();
      const x = { field: 'month', type: 'temporal', title: 'month' };
      await chart(histEl, 'outlook-history', {
        data: { values: rows },
        resolve: { scale: { color: 'independent' } },
        vconcat: [
          { width: 'container', height: 22 * stakeholders.length, mark: { type: 'rect' },
            encoding: { x: { ...x, timeUnit: 'yearmonth', title: null }, y: { field: 'stakeholder', type: 'nominal', title: null, sort: stakeholders },
              color: { field: 'readiness', type: 'nominal', legend: null,
                scale: { domain: Object.keys(READY), range: Object.values(READY) } },
              tooltip: [{ field: 'stakeholder' }, { field: 'month' }, { field: 'readiness' }, { field: 'core_met', title: 'core met' }] } },
          { width: 'container', height: 180, mark: { type: 'line', interpolate: 'step-after' },
            encoding: { x, y: { field: 'core_met', type: 'quantitative', title: 'core benchmarks met', axis: { tickMinStep: 1 } },
              color: { field: 'stakeholder', type: 'nominal', sort: stakeholders, legend: { orient: 'bottom', title: null } },
              tooltip: [{ field: 'stakeholder' }, { field: 'month' }, { field: 'core_met', title: 'core met' },
                { field: 'core_total', title: 'core benchmarks' }, { field: 'contextual', title: 'contextual share', format: '.2f' }] } },
        ],
      }, `Readiness of ${name} per stakeholder month by month, and the core benchmarks each stakeholder counts as met`);
      const lastMonth = hist.months.length ? hist.months[hist.months.length - 1].month : null;
      const last = hist.months.filter((m) => m.month === lastMonth);
      const benchmarks = last.length ? Object.keys(last[0].benchmarks) : [];
      document.getElementById('ol-status-h').textContent = `Benchmarks in ${lastMonth || 'the last month'}`;
      statusBox.replaceChildren(table(`${name}, ${lastMonth}: each benchmark by each stakeholder's thresholds`,
        ['Stakeholder', 'Readiness', { label: 'Core met', num: true }, { label: 'Contextual share', num: true },
          ...benchmarks.map((b) => ({ label: b }))],
        last.map((m) => h('tr', { 'data-stakeholder': m.stakeholder }, h('th', { scope: 'row' }, m.stakeholder),
          h('td', {}, h('span', { class: `badge ${m.readiness}` }, m.readiness.replace('_', ' '))),
          h('td', { class: 'num', 'data-testid': 'core_met', 'data-value': m.core_met }, `${m.core_met} of ${m.core_total}`),
          num(m.contextual_share, 2, 'contextual_share'),
          benchmarks.map((b) => h('td', { 'data-benchmark': b, style: `color:${STATUS[m.benchmarks[b]] || 'inherit'}` },
            m.benchmarks[b].replace('_', ' '))))), 'outlook-status'));
    };
    areaSel.addEventListener('change', drawHistory);
    fromIn.addEventListener('change', drawHistory);
    await drawHistory();
    if (!canRun) return;

    const horizon = h('input', { id: 'ol-horizon', type: 'number', min: 1, max: 240, value: 36, inputmode: 'numeric' });
    const samples = h('input', { id: 'ol-samples', type: 'number', min: 10, max: 100000, value: 1000, inputmode: 'numeric' });
    const run = h('button', { id: 'ol-run', type: 'button' }, 'Project');
    const jobText = h('p', { class: 'muted', id: 'ol-job' }, '');
    const stakeSel = select('ol-stakeholder', stakeholders, stakeholders[0]);
    const provSel = select('ol-province', [['', 'every area'], ...doc.areas.map((a) => [a.id, a.name])], '');
    const lineEl = h('div', { class: 'chart', id: 'outlook-projections' });
    const projBox = h('div', { class: 'scroll' });
    main.append(h('section', { class: 'panel', style: 'margin-top:1rem' }, h('h2', {}, 'When benchmarks may be met'),
      h('p', { class: 'muted' }, 'For every benchmark not met now: the month by which it is met on half of the sample paths ' +
        '(the point; grey at the horizon\'s end when it is not) and the 10% and 90% months (the bar; running to the ' +
        'horizon\'s end when the 90% month is beyond it, absent when not even 10% of the paths meet it in time). The ' +
        'projection runs on the server as a job; the latest finished one is shown.'),
      h('div', { class: 'controls' }, h('label', { for: 'ol-horizon' }, 'Months ahead', horizon),
        h('label', { for: 'ol-samples' }, 'Sample paths', samples), run),
      jobText,
      h('div', { class: 'controls' }, h('label', { for: 'ol-stakeholder' }, 'Stakeholder', stakeSel),
        h('label', { for: 'ol-province' }, 'Area', provSel)),
      lineEl, legend([['#0b5fa5', 'median month, within the horizon'], ['#9e9e9e', 'not met on half the paths within the horizon'],
        ['#90caf9', '10%–90% months']]),
      h('h3', {}, 'Projections'), projBox));

    let current = null;
    const drawProjections = async () => {
      if (!current) return;
      const { job, result: p } = current;
      const end = nextMonth(p.from_month, p.horizon_months);
      jobText.textContent = `Projection job ${job.id} by ${job.user}, finished ${job.finished_at}: from ${p.from_month}, ` +
        `${p.horizon_months} months ahead (to ${end}), ${fmt(p.samples)} paths (seed ${p.seed}), framework version ${p.framework_version}.`;
      const rows = p.projections.filter((x) => x.stakeholder === stakeSel.value && (!provSel.value || x.area_id === provSel.value));
      const label = (x) => (provSel.value ? x.benchmark : `${names.get(x.area_id) || x.area_id} · ${x.benchmark}`);
      // The bar from the 10% month to the 90% month (to the horizon's end when later); none when not met by 10% of the paths.
      const values = rows.map((x) => ({ row: label(x), area: names.get(x.area_id) || x.area_id, benchmark: x.benchmark,
        lo: x.low_10, hi: x.low_10 ? x.high_90 || end : null, median: x.median || end,
        within: x.median ? 'within the horizon' : 'beyond the horizon', share: x.share_within_horizon, method: x.method,
        shown_median: x.median || `after ${end}` }));
      const order = values.map((v) => v.row);
      lineEl.replaceChildren();
      await chart(lineEl, 'outlook-projections', {
        width: 'container', height: Math.max(80, 18 * values.length), data: { values },
        layer: [
          { transform: [{ filter: 'datum.lo !== null' }], mark: { type: 'bar', color: '#90caf9', height: 8 },
            encoding: { y: { field: 'row', type: 'nominal', sort: order, title: null },
              x: { field: 'lo', type: 'temporal', title: 'month met', scale: { domain: [p.from_month, end] },
                axis: { format: '%Y-%m', labelAngle: 0, tickCount: { interval: 'month', step: 3 } } }, x2: { field: 'hi' } } },
          { mark: { type: 'point', filled: true, size: 60 },
            encoding: { y: { field: 'row', type: 'nominal', sort: order }, x: { field: 'median', type: 'temporal' },
              color: { field: 'within', type: 'nominal', legend: null,
                scale: { domain: ['within the horizon', 'beyond the horizon'], range: ['#0b5fa5', '#9e9e9e'] } },
              tooltip: [{ field: 'area' }, { field: 'benchmark' }, { field: 'shown_median', title: 'median month' },
                { field: 'lo', title: '10%' }, { field: 'hi', title: '90% (or the horizon)' }, { field: 'share', title: 'share of paths within', format: '.2f' },
                { field: 'method' }] } },
        ],
      }, `Timeline of the month each benchmark not met now is expected to be met by ${stakeSel.value}'s standard, with its 80% interval`);
      projBox.replaceChildren(table(`${rows.length} benchmarks not met now by ${stakeSel.value}'s standard`,
        ['Area', 'Benchmark', 'Median month', '10%', '90%', { label: 'Share within horizon', num: true }, 'Method', 'Note'],
        rows.map((x) => h('tr', { 'data-area': x.area_id, 'data-benchmark': x.benchmark }, h('th', { scope: 'row' }, names.get(x.area_id) || x.area_id),
          h('td', {}, x.benchmark), h('td', { 'data-testid': 'median', class: 'nowrap' }, x.median || '–'),
          h('td', { class: 'nowrap' }, x.low_10 || '–'), h('td', { class: 'nowrap' }, x.high_90 || '–'), num(x.share_within_horizon, 2, 'share_within_horizon'), h('td', {}, x.method),
          h('td', {}, x.note || ''))), 'outlook-table'));
    };
    stakeSel.addEventListener('change', drawProjections);
    provSel.addEventListener('change', drawProjections);
    try {
      current = await latestResult('benchmarks_project');
      if (current) await drawProjections();
      else jobText.textContent = 'No projection has been run yet.';
    } catch (e) { say(problemText(e), true); }
    run.addEventListener('click', async () => {
      run.disabled = true;
      try {
        current = await runJob('/api/benchmarks/projections', { horizon: Number(horizon.value), samples: Number(samples.value),
          version: doc.framework_version, format: 'json' }, (j) => { jobText.textContent = jobState(j); });
        await drawProjections();
        say(`Projection job ${current.job.id} finished`);
      } catch (e) { say(problemText(e), true); jobText.textContent = problemText(e); }
      run.disabled = false;
    });
    await readyBy(main, doc);
  },
};
