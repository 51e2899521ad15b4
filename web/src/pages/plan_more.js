// The transition plan page's second half: the plan file checked against the
// store without solving (POST /api/plan/validate, answered at once: the
// document of `endstate plan validate --format json`, or the problem naming
// the file, line and field), and the plan compared with a second plan on the
// same data (POST /api/plan/compare, a job: `endstate plan compare --format
// json`): exit month per province side by side, coverage and gap per phase,
// troop-months and cost. Both take the plan text, name and localities of the
// plan form above them.
import { api, latestResult, runJob } from '../api.js';
import { chart } from '../chart.js';
import { h, jobState, kpi, num, problemText, say, table } from '../ui.js';

const AB = { a: '#0b5fa5', b: '#ef6c00' };

function readFile(input) {
  const f = input.files && input.files[0];
  return f ? f.text().then((t) => ({ name: f.name, text: t })) : Promise.resolve(null);
}

function list(items) { return items.length ? items.join(', ') : 'none'; }

/** The findings of a plan validation, or its problem. */
function findings(box, doc, error) {
  if (error) {
    box.replaceChildren(h('p', { class: 'error-text', role: 'alert', id: 'plan-check-error' }, error));
    return;
  }
  const p = doc.plan;
  box.replaceChildren(
    h('p', { id: 'plan-check-head' }, `${p.name} (${p.file}) is valid: ${p.policy} policy at level ${p.level}, ` +
      `stakeholders ${p.stakeholders.join(', ')}, framework version ${p.framework_version}, data to ${p.data_last}.`),
    h('div', { class: 'kpis' }, kpi('phases', doc.phases.length, 'kpi-check-phases'),
      kpi('provinces', doc.provinces.length, 'kpi-check-provinces'), kpi('bases today', doc.bases, 'kpi-check-bases'),
      kpi('candidate sites', doc.candidates, 'kpi-check-candidates'), kpi('police posts', doc.police_posts, 'kpi-check-police'),
      kpi('demand points', doc.demand_points, 'kpi-check-demand')),
    h('ul', { id: 'plan-check-list' },
      h('li', {}, `Bases locked for the whole plan: ${list(doc.locked)}`),
      h('li', {}, `Bases locked until their province exits: ${list(doc.until_exit)}`),
      h('li', {}, `Bases never opened: ${list(doc.forbidden)}`),
      h('li', {}, `Exit dates set by the plan: ${doc.exit_dates.length ? doc.exit_dates.map((e) => `${e.province} in phase ${e.phase}`).join(', ') : 'none'}`)),
    h('div', { class: 'scroll' }, table(`${doc.phases.length} phases as resolved`, [{ label: 'Phase', num: true }, 'Months',
      'Budget year', { label: 'Troop ceiling', num: true }, { label: 'Police ceiling', num: true },
      { label: 'Civilian ceiling', num: true }, { label: 'Closures at most', num: true }],
    doc.phases.map((ph) => h('tr', { 'data-phase': ph.phase }, num(ph.phase, 0, 'phase'), h('th', { scope: 'row' }, `${ph.from} – ${ph.to}`),
      h('td', {}, ph.budget_year), num(ph.troop_ceiling, 0, 'troop_ceiling'), num(ph.police_ceiling, 0, 'police_ceiling'),
      num(ph.civilian_ceiling, 0, 'civilian_ceiling'), num(ph.max_closures, 0, 'max_closures'))), 'plan-check-phases')));
}

/** Adds the check and comparison panels; `form` gives the plan form's fields (text, nameIn, locFile, samples, solver). */
export async function planMore(main, form) {
  const check = h('button', { id: 'plan-check', type: 'button', class: 'secondary' }, 'Check the plan file');
  const checkBox = h('div', { id: 'plan-check-box', 'aria-live': 'polite' },
    h('p', { class: 'muted' }, 'Checks the plan above against the store without solving it: phases and ceilings, provinces, ' +
      'locked and forbidden bases, the files it names.'));
  const bFile = h('input', { id: 'plan-b-file', type: 'file', accept: '.yaml,.yml,text/yaml' });
  const compare = h('button', { id: 'plan-compare-run', type: 'button' }, 'Compare');
  const jobText = h('p', { class: 'muted', id: 'plan-compare-job' }, '');
  const head = h('div', {});
  const totalsBox = h('div', { class: 'scroll' });
  const chartEl = h('div', { class: 'chart', id: 'plan-compare-chart' });
  const phasesBox = h('div', { class: 'scroll' });
  const provBox = h('div', { class: 'scroll' });
  main.append(
    h('section', { class: 'panel', style: 'margin-top:1rem' }, h('h2', {}, 'Check the plan file'),
      h('div', { class: 'controls' }, check), checkBox),
    h('section', { class: 'panel', style: 'margin-top:1rem' }, h('h2', {}, 'Compare with another plan'),
      h('p', { class: 'muted' }, 'The plan above (A) and a second plan (B, e.g. end-date against end-state) run on the same ' +
        'data and forecast, with the localities file above shared by both. Runs on the server as a job; the latest ' +
        'finished comparison is shown.'),
      h('div', { class: 'controls' }, h('label', { for: 'plan-b-file' }, 'Second plan, B (YAML)', bFile), compare),
      jobText, head, totalsBox,
      h('h3', {}, 'Coverage and gap per phase'), chartEl, phasesBox,
      h('h3', {}, 'Exit month per province'), provBox));

  check.addEventListener('click', async () => {
    check.disabled = true;
    try {
      const body = { plan: form.text.value, file_name: form.nameIn.value };
      const loc = await readFile(form.locFile);
      if (loc) body.localities = loc.text;
      findings(checkBox, await api('/api/plan/validate', { method: 'POST', body }));
    } catch (e) { findings(checkBox, null, problemText(e)); }
    check.disabled = false;
  });

  const show = async (job, doc) => {
    const { a, b } = doc;
    jobText.textContent = `Comparison job ${job.id} by ${job.user}, finished ${job.finished_at}`;
    head.replaceChildren(h('p', { id: 'plan-compare-head' }, `A: ${a.name} (${a.file}), ${a.policy}, ${a.status}; ` +
      `B: ${b.name} (${b.file}), ${b.policy}, ${b.status}; ${a.start} to ${a.end}, level ${a.level}, costs in ${a.currency}.`));
    totalsBox.replaceChildren(table('totals over the plan period', ['Plan', 'File', 'Policy', 'Status',
      { label: 'Exits', num: true }, { label: 'Exited before ready', num: true }, { label: 'Covered', num: true },
      { label: 'Gap', num: true }, { label: 'Handed over', num: true }, { label: 'Troop-months', num: true },
      { label: 'Police-months', num: true }, { label: 'Base-months', num: true }, { label: 'Cost', num: true }],
    doc.totals.map((t, i) => h('tr', { 'data-plan': i ? 'b' : 'a' }, h('th', { scope: 'row' }, `${i ? 'B' : 'A'}: ${t.plan}`),
      h('td', {}, t.file), h('td', {}, t.policy), h('td', {}, t.status), num(t.exits, 0, 'exits'),
      num(t.exited_before_ready, 0, 'exited_before_ready'), num(t.covered, 1, 'covered'), num(t.gap, 1, 'gap'),
      num(t.handed_over, 1, 'handed_over'), num(t.troop_months, 0, 'troop_months'), num(t.police_months, 0, 'police_months'),
      num(t.base_months, 0, 'base_months'), num(t.cost, 0, 'cost'))), 'plan-compare-totals'));

    const rows = doc.phases.flatMap((ph) => ['a', 'b'].flatMap((k) => [
      { month: ph.month, plan: `${k.toUpperCase()}: ${doc[k].id}`, measure: 'coverage share', value: ph[`${k}_share`] },
      { month: ph.month, plan: `${k.toUpperCase()}: ${doc[k].id}`, measure: 'gap (threat-weighted demand uncovered)', value: ph[`${k}_gap`] }]));
    chartEl.replaceChildren();
    await chart(chartEl, 'plan-compare-phases', {
      data: { values: rows },
      facet: { column: { field: 'measure', type: 'nominal', title: null } },
      resolve: { scale: { y: 'independent' } },
      spec: { width: 420, height: 200, mark: { type: 'bar' },
        encoding: { x: { field: 'month', type: 'nominal', title: 'phase from', axis: { labelAngle: 0 } },
          xOffset: { field: 'plan', type: 'nominal' }, y: { field: 'value', type: 'quantitative', title: null },
          color: { field: 'plan', type: 'nominal', title: null, scale: { range: [AB.a, AB.b] }, legend: { orient: 'bottom' } },
          tooltip: [{ field: 'plan' }, { field: 'month' }, { field: 'measure' }, { field: 'value', format: ',.3f' }] } },
    }, 'Grouped bars per phase of the coverage share and the gap of plan A and plan B');
    phasesBox.replaceChildren(table('per phase, A against B', ['Phase from', { label: 'Troops A', num: true },
      { label: 'Troops B', num: true }, { label: 'Bases A', num: true }, { label: 'Bases B', num: true },
      { label: 'Share A', num: true }, { label: 'Share B', num: true }, { label: 'Gap A', num: true }, { label: 'Gap B', num: true },
      { label: 'Handed over A', num: true }, { label: 'Handed over B', num: true }],
    doc.phases.map((ph) => h('tr', { 'data-month': ph.month }, h('th', { scope: 'row' }, ph.month),
      num(ph.a_troops, 0, 'a_troops'), num(ph.b_troops, 0, 'b_troops'), num(ph.a_sites, 0, 'a_sites'), num(ph.b_sites, 0, 'b_sites'),
      num(ph.a_share, 3, 'a_share'), num(ph.b_share, 3, 'b_share'), num(ph.a_gap, 2, 'a_gap'), num(ph.b_gap, 2, 'b_gap'),
      num(ph.a_handed_over, 2, 'a_handed_over'), num(ph.b_handed_over, 2, 'b_handed_over'))), 'plan-compare-phases'));
    const ready = (v) => (v === null ? '' : v ? ' (ready)' : ' (not ready)');
    provBox.replaceChildren(table(`${doc.provinces.length} provinces; the exit month is the first month without the mission`,
      ['Province', 'Exit A', 'Reason A', 'Exit B', 'Reason B', 'Ready from'],
      doc.provinces.map((x) => h('tr', { 'data-area': x.area_id },
        h('th', { scope: 'row' }, x.province), h('td', { 'data-testid': 'a_exit' }, x.a_exit ? `${x.a_exit}${ready(x.a_ready_at_exit)}` : '–'),
        h('td', {}, x.a_reason), h('td', { 'data-testid': 'b_exit' }, x.b_exit ? `${x.b_exit}${ready(x.b_ready_at_exit)}` : '–'),
        h('td', {}, x.b_reason), h('td', {}, x.ready_from || '–'))), 'plan-compare-provinces'));
  };

  try {
    const last = await latestResult('plan_compare');
    if (last) await show(last.job, last.result);
    else jobText.textContent = 'No comparison has been run yet: choose a second plan and compare.';
  } catch (e) { say(problemText(e), true); }

  compare.addEventListener('click', async () => {
    compare.disabled = true;
    try {
      const b = await readFile(bFile);
      if (!b) throw new Error('choose the second plan file (B)');
      const body = { plan_a: form.text.value, file_name_a: form.nameIn.value, plan_b: b.text, file_name_b: b.name,
        projection_samples: Number(form.samples.value), solver: form.solver.value, format: 'json' };
      const loc = await readFile(form.locFile);
      if (loc) body.localities = loc.text;
      const { job, result } = await runJob('/api/plan/compare', body, (j) => { jobText.textContent = jobState(j); });
      await show(job, result);
      say(`Comparison job ${job.id} finished`);
    } catch (e) { say(problemText(e), true); jobText.textContent = problemText(e); }
    compare.disabled = false;
  });
}
