// The policy comparison's calibration part: the sample paths the comparison
// runs on, simulated from past origins and scored against what happened
// (POST /api/simulate/backtest, a job: the document of `endstate simulate
// backtest --format json`): coverage of the 50/80/90% intervals and CRPS per
// month ahead and for each area's total over the horizon, with the PIT
// histograms.
import { latestResult, runJob } from '../api.js';
import { chart } from '../chart.js';
import { fmt, h, jobState, legend, num, problemText, say, table } from '../ui.js';

const LEVELS = { cover_50: ['50%', '#90caf9'], cover_80: ['80%', '#1e88e5'], cover_90: ['90%', '#0d47a1'] };

/** Adds the calibration panel under the comparison. */
export async function calibration(main) {
  const from = h('input', { id: 'sb-from', type: 'month', value: '' });
  const step = h('input', { id: 'sb-step', type: 'number', min: 1, max: 120, value: 6, inputmode: 'numeric' });
  const horizon = h('input', { id: 'sb-horizon', type: 'number', min: 1, max: 120, value: 12, inputmode: 'numeric' });
  const paths = h('input', { id: 'sb-paths', type: 'number', min: 10, max: 100000, value: 500, inputmode: 'numeric' });
  const run = h('button', { id: 'sb-run', type: 'button' }, 'Check calibration');
  const jobText = h('p', { class: 'muted', id: 'sb-job' }, '');
  const chartEl = h('div', { class: 'chart', id: 'sb-chart' });
  const box = h('div', { class: 'scroll' });
  main.append(h('section', { class: 'panel', style: 'margin-top:1rem' }, h('h2', {}, 'Calibration of the sample paths'),
    h('p', { class: 'muted' }, 'The paths the comparison runs on, simulated from past origins (fit strictly before each) ' +
      'and scored against what happened: the share of outcomes inside the 50%, 80% and 90% intervals (calibrated when ' +
      'close to the nominal level), CRPS (lower is better) and the PIT histogram (flat when calibrated), per month ahead ' +
      'and for each area\'s total over the horizon. Runs on the server as a job; the latest finished one is shown.'),
    h('div', { class: 'controls' }, h('label', { for: 'sb-from' }, 'First origin (empty: 36 months before the last)', from),
      h('label', { for: 'sb-step' }, 'Months between origins', step), h('label', { for: 'sb-horizon' }, 'Months ahead', horizon),
      h('label', { for: 'sb-paths' }, 'Sample paths', paths), run),
    jobText, chartEl,
    legend([...Object.values(LEVELS).map(([l, c]) => [c, `inside the ${l} interval`]), ['#9e9e9e', 'nominal level']]),
    box));

  const show = async (job, d) => {
    jobText.textContent = `Calibration job ${job.id} by ${job.user}, finished ${job.finished_at}: ${d.target} by ${d.level} ` +
      `(${fmt(d.areas)} areas), model ${d.model}, origins ${d.origins.join(', ')}, ${d.horizon} months ahead, ` +
      `${fmt(d.paths)} paths (seed ${d.seed}).`;
    const ahead = (r) => (r.h === 'total' ? 'total' : String(r.h));
    const order = d.rows.map(ahead);
    const values = d.rows.flatMap((r) => Object.entries(LEVELS).map(([k, [l]]) => ({ h: ahead(r), interval: l, share: r[k],
      nominal: Number(l.replace('%', '')) / 100 })));
    chartEl.replaceChildren();
    await chart(chartEl, 'sb-coverage', {
      width: 'container', height: 220, data: { values },
      layer: [
        { mark: { type: 'line', point: true },
          encoding: { x: { field: 'h', type: 'ordinal', sort: order, title: 'months ahead (and the total over the horizon)', axis: { labelAngle: 0 } },
            y: { field: 'share', type: 'quantitative', title: 'share inside the interval', scale: { domain: [0, 1] }, axis: { format: '.0%' } },
            color: { field: 'interval', type: 'nominal', legend: null, scale: { domain: Object.values(LEVELS).map((x) => x[0]),
              range: Object.values(LEVELS).map((x) => x[1]) } },
            tooltip: [{ field: 'h', title: 'months ahead' }, { field: 'interval' }, { field: 'share', format: '.3f' }] } },
        { mark: { type: 'rule', strokeDash: [4, 3], color: '#9e9e9e' }, encoding: { y: { field: 'nominal', type: 'quantitative' } } },
      ],
    }, 'Line chart of the share of outcomes inside the 50%, 80% and 90% intervals per month ahead, with the nominal levels as dashed lines');
    box.replaceChildren(table(`${d.rows.length} rows; n: area-origins scored`, ['Months ahead', { label: 'n', num: true },
      { label: 'Inside 50%', num: true }, { label: 'Inside 80%', num: true }, { label: 'Inside 90%', num: true },
      { label: 'CRPS', num: true }, 'PIT histogram (10 bins)'],
    d.rows.map((r) => h('tr', { 'data-h': ahead(r) }, h('th', { scope: 'row' }, ahead(r)), num(r.n, 0, 'n'),
      num(r.cover_50, 3, 'cover_50'), num(r.cover_80, 3, 'cover_80'), num(r.cover_90, 3, 'cover_90'), num(r.crps, 2, 'crps'),
      h('td', { 'aria-label': `PIT: ${r.pit.map((p) => fmt(p, 2)).join(', ')}` }, spark(r.pit)))), 'sb-table'));
  };

  try {
    const last = await latestResult('simulate_backtest');
    if (last) await show(last.job, last.result);
    else jobText.textContent = 'The calibration has not been checked yet.';
  } catch (e) { say(problemText(e), true); }
  run.addEventListener('click', async () => {
    run.disabled = true;
    try {
      const body = { step_months: Number(step.value), horizon: Number(horizon.value), paths: Number(paths.value), format: 'json' };
      if (from.value) body.from = from.value;
      const { job, result } = await runJob('/api/simulate/backtest', body, (j) => { jobText.textContent = jobState(j); });
      await show(job, result);
      say(`Calibration job ${job.id} finished`);
    } catch (e) { say(problemText(e), true); jobText.textContent = problemText(e); }
    run.disabled = false;
  });
}

/** A PIT histogram as ten small bars (inline SVG; the values are in the cell's label). */
function spark(pit) {
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('width', '80');
  svg.setAttribute('height', '20');
  svg.setAttribute('aria-hidden', 'true');
  const top = Math.max(0.2, ...pit);
  pit.forEach((p, i) => {
    const r = document.createElementNS(ns, 'rect');
    const hgt = Math.max(0.5, (20 * p) / top);
    r.setAttribute('x', String(i * 8));
    r.setAttribute('y', String(20 - hgt));
    r.setAttribute('width', '7');
    r.setAttribute('height', String(hgt));
    r.setAttribute('fill', '#4f6d7a');
    svg.append(r);
  });
  const line = document.createElementNS(ns, 'line');
  const y = String(20 - 20 * (0.1 / top));
  for (const [k, v] of [['x1', '0'], ['x2', '80'], ['y1', y], ['y2', y], ['stroke', '#c62828'], ['stroke-dasharray', '2 2']]) line.setAttribute(k, v);
  svg.append(line);
  return svg;
}
