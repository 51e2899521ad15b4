// Transition plan: a plan YAML (pasted or uploaded, with the localities CSV it
// names) run on the server as a job (POST /api/plan/run, the document of
// `endstate plan run --format json`); the latest finished plan is shown: the
// phases, troops per phase against the ceiling, the province exits on the map
// (coloured by the phase of their exit), the bases, closures and costs.
import { api, latestJob, runJob } from '../api.js';
import { chart } from '../chart.js';
import { addPoints, addPolygons, fit, makeMap, popups } from '../map.js';
import { fmt, h, legend, num, problemText, say, table } from '../ui.js';
import { planMore } from './plan_more.js';

// One colour per phase (up to 8, then repeated), grey for a province not exited within the plan.
const PHASES = ['#1b9e77', '#66a61e', '#e6ab02', '#d95f02', '#e7298a', '#7570b3', '#a6761d', '#1f78b4'];
const STAY = '#b0bec5';

/** The text of a chosen file. */
function readFile(input) {
  const f = input.files && input.files[0];
  return f ? f.text().then((t) => ({ name: f.name, text: t })) : Promise.resolve(null);
}

export default {
  id: 'plan',
  title: 'Transition plan',
  needs: 'run',
  async render(main) {
    const text = h('textarea', { id: 'plan-text', rows: 10, spellcheck: 'false', placeholder: 'plan:\n  id: ...' });
    const nameIn = h('input', { id: 'plan-name', value: 'plan.yaml' });
    const planFile = h('input', { id: 'plan-file', type: 'file', accept: '.yaml,.yml,text/yaml' });
    const locFile = h('input', { id: 'plan-localities', type: 'file', accept: '.csv,text/csv' });
    const samples = h('input', { id: 'plan-samples', type: 'number', min: 10, max: 100000, value: 500, inputmode: 'numeric' });
    const solver = h('select', { id: 'plan-solver' }, ['auto', 'exact', 'heuristic'].map((s) => h('option', { value: s }, s)));
    const run = h('button', { id: 'plan-run', type: 'button' }, 'Run plan');
    const jobText = h('p', { class: 'muted', id: 'plan-job' }, '');
    const head = h('div', {});
    const mapEl = h('div', { class: 'map', id: 'plan-map' });
    const chartEl = h('div', { class: 'chart', id: 'plan-troops' });
    const legendBox = h('div');
    const phasesBox = h('div', { class: 'scroll' });
    const provBox = h('div', { class: 'scroll' });
    const costBox = h('div', { class: 'scroll' });
    planFile.addEventListener('change', async () => {
      const f = await readFile(planFile);
      if (f) { text.value = f.text; nameIn.value = f.name; }
    });
    main.append(
      h('h1', {}, 'Transition plan'),
      h('p', { class: 'lead' }, 'A plan file (docs/plan.md) run on the store\'s data: each province exits per the policy ' +
        '(end-state, end-date or hybrid), then the bases open in each phase cover the most threatened population within ' +
        'the troop ceilings. The plan runs on the server as a job; the latest finished plan is shown.'),
      h('section', { class: 'panel' }, h('h2', {}, 'Plan file'),
        h('div', { class: 'controls' },
          h('label', { for: 'plan-file' }, 'Upload a plan (YAML)', planFile),
          h('label', { for: 'plan-localities' }, 'Localities it names (CSV)', locFile),
          h('label', { for: 'plan-name' }, 'File name', nameIn)),
        h('label', { for: 'plan-text' }, 'Plan YAML (paste or upload)'), text,
        h('div', { class: 'controls' },
          h('label', { for: 'plan-samples' }, 'Projection samples', samples),
          h('label', { for: 'plan-solver' }, 'Solver', solver), run)),
      jobText, head,
      h('div', { class: 'grid' },
        h('section', { class: 'panel' }, h('h2', {}, 'Province exits by phase'), mapEl, legendBox),
        h('section', { class: 'panel' }, h('h2', {}, 'Troops per phase'), chartEl)),
      h('section', { class: 'panel', style: 'margin-top:1rem' }, h('h2', {}, 'Phases'), phasesBox),
      h('section', { class: 'panel', style: 'margin-top:1rem' }, h('h2', {}, 'Provinces'), provBox),
      h('section', { class: 'panel', style: 'margin-top:1rem' }, h('h2', {}, 'Cost per budget year'), costBox));
    const map = await makeMap(mapEl, 'plan', 'Map of the provinces coloured by the phase of their exit, and the bases');

    const show = async (job, doc) => {
      jobText.textContent = `Plan job ${job.id} by ${job.user}, finished ${job.finished_at}`;
      const p = doc.plan;
      head.replaceChildren(h('p', { id: 'plan-head' }, `${p.name} (${p.file}): ${p.policy} policy, ${p.phases} phases ` +
        `${p.start} to ${p.end}, level ${p.level}; solver ${doc.solver}, ${doc.status}` +
        `${doc.binding.length ? `; binding: ${doc.binding.join(', ')}` : ''}.`));
      const areas = await api('/api/areas', { query: { level: p.level, format: 'geojson' } });
      const byId = new Map(doc.provinces.map((x) => [x.area_id, x]));
      const fc = { type: 'FeatureCollection', features: areas.features.filter((f) => byId.has(f.properties.id)).map((f) => {
        const x = byId.get(f.properties.id);
        return { type: 'Feature', geometry: f.geometry, properties: { id: x.area_id, name: x.name,
          exit_phase: x.exit_phase === null ? 0 : x.exit_phase, exit_month: x.exit_month || 'within no phase', why: x.why } };
      }) };
      const fill = ['match', ['get', 'exit_phase'], 0, STAY];
      doc.phases.forEach((ph) => fill.push(ph.phase, PHASES[(ph.phase - 1) % PHASES.length]));
      fill.push(STAY);
      const last = doc.phases.length - 1;
      const sites = { type: 'FeatureCollection', features: doc.sites.map((s) => ({ type: 'Feature',
        geometry: { type: 'Point', coordinates: [s.longitude, s.latitude] },
        properties: { name: s.name, open_now: s.status[0], open_end: s.status[last], troops: s.troops.join(' → ') } })) };
      if (map.getSource('plan-provinces')) {
        map.getSource('plan-provinces').setData(fc);
        map.setPaintProperty('plan-provinces-fill', 'fill-color', fill);
        map.getSource('plan-sites').setData(sites);
      } else {
        addPolygons(map, 'plan-provinces', fc, fill, 0.7);
        addPoints(map, 'plan-sites', sites, ['match', ['get', 'open_end'], 'open', '#263238', '#ffffff'], 4);
        popups(map, 'plan-provinces-fill', (x) => `<strong>${x.name}</strong><br>exit ${x.exit_month}<br>${x.why}`);
        popups(map, 'plan-sites-circle', (x) => `<strong>${x.name}</strong><br>troops per phase: ${x.troops}`);
      }
      fit(map, fc);
      legendBox.replaceChildren(legend([...doc.phases.map((ph) => [PHASES[(ph.phase - 1) % PHASES.length],
        `phase ${ph.phase} (${ph.from})`]), [STAY, 'not within the plan'], ['#263238', 'base open at the end']]));

      chartEl.replaceChildren();
      const rows = doc.phases.flatMap((ph) => [
        { phase: `${ph.phase}: ${ph.from}`, what: 'troops deployed', troops: ph.troops },
        { phase: `${ph.phase}: ${ph.from}`, what: 'ceiling', troops: ph.troop_ceiling }]);
      await chart(chartEl, 'plan-troops', {
        width: 'container', height: 260, data: { values: rows },
        layer: [
          { transform: [{ filter: "datum.what === 'troops deployed'" }], mark: { type: 'bar', color: '#4f6d7a' },
            encoding: { x: { field: 'phase', type: 'nominal', sort: null, title: 'phase', axis: { labelAngle: 0 } },
              y: { field: 'troops', type: 'quantitative', title: 'troops' },
              tooltip: [{ field: 'phase' }, { field: 'troops', format: ',' }] } },
          { transform: [{ filter: "datum.what === 'ceiling'" }], mark: { type: 'tick', color: '#c62828', thickness: 3 },
            encoding: { x: { field: 'phase', type: 'nominal', sort: null }, y: { field: 'troops', type: 'quantitative' },
              tooltip: [{ field: 'phase' }, { field: 'what' }, { field: 'troops', format: ',' }] } },
        ],
      }, 'Bar chart of the troops deployed in each phase, with the troop ceiling as a red tick');

      phasesBox.replaceChildren(table(`${doc.phases.length} phases`, [{ label: 'Phase', num: true }, 'Months', 'Budget year',
        { label: 'Ceiling', num: true }, { label: 'Troops', num: true }, { label: 'Bases open', num: true },
        { label: 'Opened', num: true }, { label: 'Closed', num: true }, 'Exits', { label: 'Coverage share', num: true },
        { label: 'Gap', num: true }, { label: 'Police', num: true }, { label: 'Civilians', num: true }, 'Threat from'],
      doc.phases.map((ph) => h('tr', { 'data-phase': ph.phase }, num(ph.phase, 0, 'phase'),
        h('th', { scope: 'row' }, `${ph.from} – ${ph.to}`), h('td', {}, ph.budget_year), num(ph.troop_ceiling, 0, 'troop_ceiling'),
        num(ph.troops, 0, 'troops'), num(ph.sites_open, 0, 'sites_open'), num(ph.opened, 0, 'opened'),
        num(ph.closed, 0, 'closed'), h('td', {}, ph.exits.join(', ')), num(ph.share, 3, 'share'), num(ph.gap, 2, 'gap'),
        num(ph.police, 0, 'police'), num(ph.civilians, 0, 'civilians'), h('td', {}, ph.threat_source))), 'plan-phases'));
      provBox.replaceChildren(table(`${doc.provinces.length} provinces`, ['Province', { label: 'Exit phase', num: true },
        'Exit month', 'Reason', 'Ready from', 'Why'],
      doc.provinces.map((x) => h('tr', { 'data-area': x.area_id }, h('th', { scope: 'row' }, x.name),
        num(x.exit_phase, 0, 'exit_phase'), h('td', { 'data-testid': 'exit_month' }, x.exit_month || '–'),
        h('td', {}, x.reason), h('td', {}, x.ready_from || '–'), h('td', {}, x.why))), 'plan-provinces'));
      costBox.replaceChildren(table(`${p.currency}; the plan's total ${fmt(doc.totals.cost)}`, ['Budget year',
        { label: 'Months', num: true }, { label: 'Troops', num: true }, { label: 'Police', num: true },
        { label: 'Civilians', num: true }, { label: 'Bases', num: true }, { label: 'Closures', num: true },
        { label: 'Openings', num: true }, { label: 'Total', num: true }],
      doc.costs.map((c) => h('tr', { 'data-year': c.budget_year }, h('th', { scope: 'row' }, c.budget_year),
        num(c.months, 0, 'months'), num(c.troops, 0, 'troops'), num(c.police, 0, 'police'), num(c.civilians, 0, 'civilians'),
        num(c.bases, 0, 'bases'), num(c.closures, 0, 'closures'), num(c.openings, 0, 'openings'),
        num(c.total, 0, 'total'))), 'plan-costs'));
    };

    try {
      const job = await latestJob('plan_run');
      if (job && job.content_type && job.content_type.startsWith('application/json')) await show(job, await api(job.result));
      else jobText.textContent = 'No plan has been run yet: paste or upload a plan file and run it.';
    } catch (e) { say(problemText(e), true); }

    run.addEventListener('click', async () => {
      run.disabled = true;
      try {
        const body = { plan: text.value, file_name: nameIn.value, projection_samples: Number(samples.value),
          solver: solver.value, format: 'json' };
        const loc = await readFile(locFile);
        if (loc) body.localities = loc.text;
        const { job, result } = await runJob('/api/plan/run', body, (j) => {
          jobText.textContent = `Job ${j.id}: ${j.state}${j.progress.stage ? `, ${j.progress.stage}` : ''}`;
        });
        await show(job, result);
        say(`Plan job ${job.id} finished`);
      } catch (e) { say(problemText(e), true); jobText.textContent = problemText(e); }
      run.disabled = false;
    });
    await planMore(main, { text, nameIn, locFile, samples, solver });
  },
};
