// The benchmark outlook's ready-by part, for the roles that run analyses: the
// probability that each province is ready by a chosen month by each
// stakeholder's standard (POST /api/benchmarks/ready-by, a job: the document
// of `endstate benchmarks ready-by --format json`), as a heat map and a table.
import { latestResult, runJob } from '../api.js';
import { chart } from '../chart.js';
import { fmt, h, jobState, nextMonth, num, problemText, say, table } from '../ui.js';

/** Adds the ready-by panel under the projections; `doc` is the page's assessment. */
export async function readyBy(main, doc) {
  const month = h('input', { id: 'rb-month', type: 'month', value: nextMonth(doc.month, 18), min: nextMonth(doc.month, 1) });
  const paths = h('input', { id: 'rb-paths', type: 'number', min: 10, max: 100000, value: 500, inputmode: 'numeric' });
  const run = h('button', { id: 'rb-run', type: 'button' }, 'Probabilities');
  const jobText = h('p', { class: 'muted', id: 'rb-job' }, '');
  const chartEl = h('div', { class: 'chart', id: 'ready-by-chart' });
  const box = h('div', { class: 'scroll' });
  main.append(h('section', { class: 'panel', style: 'margin-top:1rem' }, h('h2', {}, 'Ready by a month'),
    h('p', { class: 'muted' }, 'The share of sample paths of violence (with the other indicators\' trends) on which each ' +
      'province is ready by the chosen month by each stakeholder\'s standard. Runs on the server as a job; the latest ' +
      'finished one is shown.'),
    h('div', { class: 'controls' }, h('label', { for: 'rb-month' }, 'Ready by', month),
      h('label', { for: 'rb-paths' }, 'Sample paths', paths), run),
    jobText, chartEl, box));

  const show = async (job, r) => {
    jobText.textContent = `Ready-by job ${job.id} by ${job.user}, finished ${job.finished_at}: ready by ${r.month}, ` +
      `history to ${r.history_to}, model ${r.model}, ${fmt(r.paths)} paths (seed ${r.seed}), level ${r.level}.`;
    const stakeholders = [...new Set(r.rows.map((x) => x.stakeholder))];
    const provinces = [...new Map(r.rows.map((x) => [x.province_id, x.province])).entries()];
    const rows = r.rows.map((x) => ({ ...x, label: `${fmt(100 * x.p_ready_by, 0)}%${x.ready_now ? ' (now)' : ''}` }));
    chartEl.replaceChildren();
    await chart(chartEl, 'ready-by', {
      width: 'container', height: 26 * provinces.length, data: { values: rows },
      encoding: { y: { field: 'province', type: 'nominal', title: null, sort: provinces.map((p) => p[1]) },
        x: { field: 'stakeholder', type: 'nominal', title: null, sort: stakeholders, axis: { orient: 'top', labelAngle: 0 } } },
      layer: [
        { mark: { type: 'rect' },
          encoding: { color: { field: 'p_ready_by', type: 'quantitative', title: `P(ready by ${r.month})`,
            scale: { domain: [0, 1], range: ['#f7f7f7', '#1b5e20'] }, legend: { format: '.0%', orient: 'bottom' } },
          tooltip: [{ field: 'province' }, { field: 'stakeholder' }, { field: 'p_ready_by', title: 'probability', format: '.2f' },
            { field: 'ready_now', title: 'ready now' }] } },
        { mark: { type: 'text', fontSize: 11 },
          encoding: { text: { field: 'label' },
            color: { condition: { test: 'datum.p_ready_by > 0.6', value: 'white' }, value: 'black' } } },
      ],
    }, `Heat map of the probability that each province is ready by ${r.month} for each stakeholder`);
    const by = new Map(r.rows.map((x) => [`${x.province_id}/${x.stakeholder}`, x]));
    box.replaceChildren(table(`P(ready by ${r.month}) per province and stakeholder; "now": ready in ${r.history_to}`,
      ['Province', ...stakeholders.map((s) => ({ label: s, num: true }))],
      provinces.map(([id, name]) => h('tr', { 'data-area': id }, h('th', { scope: 'row' }, name),
        stakeholders.map((s) => {
          const x = by.get(`${id}/${s}`);
          const cell = num(x ? x.p_ready_by : null, 2, `p_${s}`);
          if (x && x.ready_now) cell.append(' (now)');
          return cell;
        }))), 'ready-by-table'));
  };
  try {
    const last = await latestResult('benchmarks_ready_by');
    if (last) await show(last.job, last.result);
    else jobText.textContent = 'No ready-by probabilities have been computed yet.';
  } catch (e) { say(problemText(e), true); }
  run.addEventListener('click', async () => {
    run.disabled = true;
    try {
      const { job, result } = await runJob('/api/benchmarks/ready-by', { month: month.value, paths: Number(paths.value),
        version: doc.framework_version, format: 'json' }, (j) => { jobText.textContent = jobState(j); });
      await show(job, result);
      say(`Ready-by job ${job.id} finished`);
    } catch (e) { say(problemText(e), true); jobText.textContent = problemText(e); }
    run.disabled = false;
  });
}
