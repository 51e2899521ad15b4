// Policy comparison: plan files (one policy each: end-state, end-date,
// hybrid) simulated on the same joint sample paths of violence as a job
// (POST /api/simulate, the document of `endstate simulate run --format json`);
// the latest finished comparison is shown: per policy the median and 80%
// interval of the mission's end, fatalities, civilian deaths, hotspot months
// without a responder, troop-months and cost, the paired differences against
// the first plan, the exit month of each province, and fan charts over time.
import { api, latestJob, runJob } from '../api.js';
import { chart } from '../chart.js';
import { fmt, h, num, problemText, say, table } from '../ui.js';
import { calibration } from './compare_more.js';

const SERIES = { target: 'fatalities per month', troops: 'troops deployed', provinces_exited: 'provinces exited' };
const MEASURES = [['fatalities', 'Fatalities'], ['civilian_deaths', 'Civilian deaths'],
  ['hotspot_months_unreached', 'Hotspot months unreached'], ['troop_months', 'Troop-months'], ['cost', 'Cost']];

function interval(q, digits = 0) {
  if (!q || q.median === null || q.median === undefined) return '–';
  return `${fmt(q.median, digits)} [${fmt(q.lo80, digits)}, ${fmt(q.hi80, digits)}]`;
}

/** A cell with the median as its data-value and the 80% interval in its text. */
function qcell(q, testid, digits = 0) {
  return h('td', { class: 'num', 'data-testid': testid, 'data-value': q && q.median !== null ? String(q.median) : 'null' },
    interval(q, digits));
}

export default {
  id: 'compare',
  title: 'Policy comparison',
  needs: 'run',
  async render(main) {
    const files = h('input', { id: 'compare-files', type: 'file', multiple: true, accept: '.yaml,.yml,text/yaml' });
    const paths = h('input', { id: 'compare-paths', type: 'number', min: 1, max: 1000000, value: 1000, inputmode: 'numeric' });
    const horizon = h('input', { id: 'compare-horizon', type: 'number', min: 1, max: 240, value: 36, inputmode: 'numeric' });
    const seed = h('input', { id: 'compare-seed', type: 'number', min: 0, value: 1, inputmode: 'numeric' });
    const run = h('button', { id: 'compare-run', type: 'button' }, 'Compare');
    const jobText = h('p', { class: 'muted', id: 'compare-job' }, '');
    const head = h('div', {});
    const summaryBox = h('div', { class: 'scroll' });
    const diffBox = h('div', { class: 'scroll' });
    const exitsBox = h('div', { class: 'scroll' });
    const fanEl = h('div', { class: 'chart', id: 'compare-fan' });
    main.append(
      h('h1', {}, 'Policy comparison'),
      h('p', { class: 'lead' }, 'Transition policies (one plan file each) on the same joint sample paths of violence: ' +
        'each path feeds its simulated months back into the model, readiness is recomputed along it, each policy ' +
        'exits provinces on it and violence responds to the presence of troops. Medians with 80% intervals; ' +
        'differences are paired (common random numbers) against the first plan.'),
      h('section', { class: 'panel' }, h('h2', {}, 'Plans and paths'),
        h('div', { class: 'controls' },
          h('label', { for: 'compare-files' }, 'Plan files (YAML; the first is the reference)', files),
          h('label', { for: 'compare-paths' }, 'Sample paths', paths),
          h('label', { for: 'compare-horizon' }, 'Months', horizon),
          h('label', { for: 'compare-seed' }, 'Seed', seed), run)),
      jobText, head,
      h('section', { class: 'panel', style: 'margin-top:1rem' }, h('h2', {}, 'Policies'), summaryBox),
      h('section', { class: 'panel', style: 'margin-top:1rem' }, h('h2', {}, 'Fan charts'), fanEl),
      h('section', { class: 'panel', style: 'margin-top:1rem' }, h('h2', {}, 'Differences against the reference'), diffBox),
      h('section', { class: 'panel', style: 'margin-top:1rem' }, h('h2', {}, 'Exit month by province'), exitsBox));

    const show = async (job, doc) => {
      jobText.textContent = `Comparison job ${job.id} by ${job.user}, finished ${job.finished_at}`;
      head.replaceChildren(h('p', { id: 'compare-head' }, `${doc.paths} paths of ${doc.horizon} months from ${doc.origin} ` +
        `(seed ${doc.seed}), model ${doc.model}, presence effect ${doc.presence_effect.id}, level ${doc.level}; ` +
        `${doc.currency} for costs.`));
      summaryBox.replaceChildren(table(`${doc.policies.length} policies`, ['Policy', 'Kind', 'File',
        { label: 'Mission end', num: true }, { label: 'Ends within', num: true },
        ...MEASURES.map(([, label]) => ({ label, num: true }))],
      doc.policies.map((p) => h('tr', { 'data-policy': p.name }, h('th', { scope: 'row' }, p.name), h('td', {}, p.policy),
        h('td', {}, p.file), h('td', { class: 'num' }, p.mission_end.median === null ? 'not within' :
          `${p.mission_end.median} [${p.mission_end.lo80}, ${p.mission_end.hi80}]`),
        num(p.mission_end_within, 2, 'mission_end_within'),
        ...MEASURES.map(([k]) => qcell(p[k], k)))), 'compare-policies'));
      diffBox.replaceChildren(doc.differences.length ? table(`paired differences (policy − reference), medians with 80% intervals`,
        ['Policy', 'Reference', { label: 'Mission end (months)', num: true },
          ...MEASURES.map(([, label]) => ({ label, num: true })), { label: 'Share of paths with more fatalities', num: true }],
        doc.differences.map((d) => h('tr', { 'data-policy': d.policy }, h('th', { scope: 'row' }, d.policy),
          h('td', {}, d.reference), qcell(d.mission_end_months, 'mission_end_months', 1),
          ...MEASURES.map(([k]) => qcell(d[k], k)), num(d.share_more_fatalities, 2, 'share_more_fatalities'))),
        'compare-differences') : h('p', {}, 'One plan: nothing to compare it with.'));
      const names = new Map(doc.provinces.map((p) => [p.id, p.name]));
      exitsBox.replaceChildren(table('median exit month [80% interval]; share of paths exiting within the horizon',
        ['Province', ...doc.policies.map((p) => p.name)],
        doc.provinces.map((pr) => h('tr', { 'data-area': pr.id }, h('th', { scope: 'row' }, names.get(pr.id)),
          doc.policies.map((p) => {
            const e = p.exits.find((x) => x.province_id === pr.id);
            return h('td', { 'data-policy': p.name, 'data-value': String(e.share_within) },
              e.median === null ? `not within (${fmt(e.share_within, 2)})` :
                `${e.median} [${e.lo80}, ${e.hi80}] (${fmt(e.share_within, 2)})`);
          }))), 'compare-exits'));

      fanEl.replaceChildren();
      const rows = doc.fan.map((f) => ({ ...f, series: SERIES[f.series] || f.series }));
      await chart(fanEl, 'compare-fan', {
        data: { values: rows },
        facet: { row: { field: 'series', type: 'nominal', title: null, sort: Object.values(SERIES) } },
        resolve: { scale: { y: 'independent' } },
        spec: {
          width: 560, height: 150,
          layer: [
            { mark: { type: 'area', opacity: 0.18 },
              encoding: { x: { field: 'month', type: 'temporal', title: 'month' }, y: { field: 'q05', type: 'quantitative', title: null },
                y2: { field: 'q95' }, color: { field: 'policy', type: 'nominal', title: 'policy' } } },
            { mark: { type: 'area', opacity: 0.3 },
              encoding: { x: { field: 'month', type: 'temporal' }, y: { field: 'q25', type: 'quantitative' }, y2: { field: 'q75' },
                color: { field: 'policy', type: 'nominal' } } },
            { mark: { type: 'line' },
              encoding: { x: { field: 'month', type: 'temporal' }, y: { field: 'q50', type: 'quantitative' },
                color: { field: 'policy', type: 'nominal' },
                tooltip: [{ field: 'policy' }, { field: 'month' }, { field: 'q50', title: 'median', format: ',.1f' },
                  { field: 'q05', format: ',.1f' }, { field: 'q95', format: ',.1f' }] } },
          ],
        },
      }, 'Fan charts per policy over the months simulated: the median line, the 25-75% and 5-95% bands, for fatalities, ' +
        'troops deployed and provinces exited');
    };

    try {
      const job = await latestJob('simulate_run');
      if (job && job.content_type && job.content_type.startsWith('application/json')) await show(job, await api(job.result));
      else jobText.textContent = 'No comparison has been run yet: choose plan files and compare them.';
    } catch (e) { say(problemText(e), true); }

    run.addEventListener('click', async () => {
      run.disabled = true;
      try {
        const chosen = [...files.files];
        if (!chosen.length) throw new Error('choose at least one plan file');
        const texts = await Promise.all(chosen.map((f) => f.text()));
        const { job, result } = await runJob('/api/simulate', {
          plans: texts, plan_names: chosen.map((f) => f.name), paths: Number(paths.value), horizon: Number(horizon.value),
          seed: Number(seed.value), format: 'json',
        }, (j) => {
          jobText.textContent = `Job ${j.id}: ${j.state}${j.progress.stage ? `, ${j.progress.stage}` : ''}`;
        });
        await show(job, result);
        say(`Comparison job ${job.id} finished`);
      } catch (e) { say(problemText(e), true); jobText.textContent = problemText(e); }
      run.disabled = false;
    });
    await calibration(main);
  },
};
