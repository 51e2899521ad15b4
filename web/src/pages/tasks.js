// Mandate tasks: a task register (and optionally a transition plan with the
// localities it names) scheduled on the server as a job (POST
// /api/tasks/schedule, the document of `endstate tasks schedule --format
// json`); the latest finished schedule is shown: handovers per period by
// state, the territories left without any protection mechanism after each
// phase on the map, the tasks at risk and the shortfall per budget year.
import { api, latestJob, runJob } from '../api.js';
import { chart } from '../chart.js';
import { addPolygons, fit, makeMap, popups } from '../map.js';
import { h, legend, num, problemText, say, table } from '../ui.js';
import { tasksMore } from './tasks_more.js';

const CELLS = { mission: '#4f6d7a', handover: '#f9a825', partner: '#2e7d32', forced: '#c62828', uncovered: '#6d4c41' };
const LEFT = ['#7f0000', '#b71c1c', '#e53935', '#ef6c00', '#f9a825', '#fdd835', '#c0ca33', '#7cb342'];
const KEPT = '#cfd8dc';

function readFile(input) {
  const f = input.files && input.files[0];
  return f ? f.text().then((t) => ({ name: f.name, text: t })) : Promise.resolve(null);
}

export default {
  id: 'tasks',
  title: 'Mandate tasks',
  needs: 'run',
  async render(main) {
    const regFile = h('input', { id: 'tasks-register', type: 'file', accept: '.yaml,.yml,text/yaml' });
    const planFile = h('input', { id: 'tasks-plan', type: 'file', accept: '.yaml,.yml,text/yaml' });
    const locFile = h('input', { id: 'tasks-localities', type: 'file', accept: '.csv,text/csv' });
    const samples = h('input', { id: 'tasks-samples', type: 'number', min: 10, max: 100000, value: 200, inputmode: 'numeric' });
    const run = h('button', { id: 'tasks-run', type: 'button' }, 'Schedule');
    const jobText = h('p', { class: 'muted', id: 'tasks-job' }, '');
    const head = h('div', {});
    const mapEl = h('div', { class: 'map', id: 'tasks-map' });
    const legendBox = h('div');
    const chartEl = h('div', { class: 'chart', id: 'tasks-timeline' });
    const riskBox = h('div', { class: 'scroll' });
    const shortBox = h('div', { class: 'scroll' });
    main.append(
      h('h1', {}, 'Mandate tasks and handovers'),
      h('p', { class: 'lead' }, 'The task register (docs/tasks.md) sequenced and each handover scheduled before its ' +
        'province\'s exit within the partners\' capacity and funding per budget year; the exits come from a transition ' +
        'plan when one is given, else from the register. The schedule runs on the server as a job; the latest is shown.'),
      h('section', { class: 'panel' }, h('h2', {}, 'Register and plan'),
        h('div', { class: 'controls' },
          h('label', { for: 'tasks-register' }, 'Task register (YAML)', regFile),
          h('label', { for: 'tasks-plan' }, 'Transition plan (YAML, optional)', planFile),
          h('label', { for: 'tasks-localities' }, 'Localities the plan names (CSV)', locFile),
          h('label', { for: 'tasks-samples' }, 'Projection samples', samples), run)),
      jobText, head,
      h('div', { class: 'grid' },
        h('section', { class: 'panel' }, h('h2', {}, 'Territories left without protection, by phase'), mapEl, legendBox),
        h('section', { class: 'panel' }, h('h2', {}, 'Task-places per period'), chartEl)),
      h('section', { class: 'panel', style: 'margin-top:1rem' }, h('h2', {}, 'Tasks at risk'), riskBox),
      h('section', { class: 'panel', style: 'margin-top:1rem' }, h('h2', {}, 'Shortfall per budget year'), shortBox));
    const map = await makeMap(mapEl, 'tasks', 'Map of the territories coloured by the first phase after which no protection mechanism is left');

    const show = async (job, doc) => {
      jobText.textContent = `Schedule job ${job.id} by ${job.user}, finished ${job.finished_at}`;
      const r = doc.register;
      head.replaceChildren(h('p', { id: 'tasks-head' }, `${r.name} (${r.file}): ${doc.handovers.length} task-places, ` +
        `exits from ${doc.exits_source}; ${doc.solver.rule}, ${doc.solver.status}.`));
      // The first phase after which each territory has no mechanism left.
      const idOf = new Map(doc.continuity.map((c) => [c.territory, c.territory_id]));
      const firstLeft = new Map();
      doc.without.forEach((w, i) => w.territories.forEach((t) => {
        const id = idOf.get(t) || t;
        if (!firstLeft.has(id)) firstLeft.set(id, i);
      }));
      const terr = await api('/api/areas', { query: { level: doc.territory_level, format: 'geojson' } });
      const fc = { type: 'FeatureCollection', features: terr.features.map((f) => ({ type: 'Feature', geometry: f.geometry,
        properties: { id: f.properties.id, name: f.properties.name,
          left: firstLeft.has(f.properties.id) ? firstLeft.get(f.properties.id) : -1,
          phase: firstLeft.has(f.properties.id) ? doc.without[firstLeft.get(f.properties.id)].phase : 'never' } })) };
      const fill = ['match', ['get', 'left'], -1, KEPT];
      doc.without.forEach((w, i) => fill.push(i, LEFT[i % LEFT.length]));
      fill.push(KEPT);
      if (map.getSource('tasks-territories')) {
        map.getSource('tasks-territories').setData(fc);
        map.setPaintProperty('tasks-territories-fill', 'fill-color', fill);
      } else {
        addPolygons(map, 'tasks-territories', fc, fill, 0.75);
        popups(map, 'tasks-territories-fill', (p) => `<strong>${p.name}</strong><br>without protection after: ${p.phase}`);
      }
      fit(map, fc);
      legendBox.replaceChildren(legend([...doc.without.map((w, i) => [LEFT[i % LEFT.length], `after ${w.phase}`]),
        [KEPT, 'covered throughout']]));

      chartEl.replaceChildren();
      const counts = [];
      doc.periods.forEach((p, i) => {
        const by = {};
        for (const t of doc.timeline) by[t.cells[i]] = (by[t.cells[i]] || 0) + 1;
        for (const [state, n] of Object.entries(by)) counts.push({ period: p.label, state, n });
      });
      await chart(chartEl, 'tasks-timeline', {
        width: 'container', height: 260, data: { values: counts },
        mark: { type: 'bar' },
        encoding: {
          x: { field: 'period', type: 'nominal', sort: null, title: 'period', axis: { labelAngle: -30 } },
          y: { field: 'n', type: 'quantitative', title: 'task-places', stack: true },
          color: { field: 'state', type: 'nominal', title: 'state',
            scale: { domain: Object.keys(CELLS), range: Object.values(CELLS) } },
          tooltip: [{ field: 'period' }, { field: 'state' }, { field: 'n' }],
        },
      }, 'Stacked bars of the task-places per period: with the mission, handing over, with a partner, forced out, uncovered');

      riskBox.replaceChildren(table(`${doc.risks.length} task-places at risk`, ['Task', 'Place', 'Partner', 'Exit', 'Risk', 'Detail'],
        doc.risks.map((x) => h('tr', { 'data-task': x.task, 'data-place': x.place }, h('th', { scope: 'row' }, x.name),
          h('td', {}, x.place), h('td', {}, x.partner || '–'), h('td', {}, x.exit || '–'),
          h('td', { 'data-testid': 'risk' }, x.risk), h('td', {}, x.detail))), 'tasks-risks'));
      shortBox.replaceChildren(table(r.currency, ['Budget year', { label: 'Mission tasks', num: true },
        { label: 'Plan cost', num: true }, { label: 'Mission budget', num: true }, { label: 'Mission shortfall', num: true },
        { label: 'Partner demand', num: true }, { label: 'Partner funding', num: true }, { label: 'Partner gap', num: true },
        { label: 'Shortfall', num: true }],
      doc.shortfall.map((s) => h('tr', { 'data-year': s.budget_year }, h('th', { scope: 'row' }, s.budget_year),
        num(s.mission_tasks, 0, 'mission_tasks'), num(s.plan_cost, 0, 'plan_cost'), num(s.mission_budget, 0, 'mission_budget'),
        num(s.mission_shortfall, 0, 'mission_shortfall'), num(s.partner_demand, 0, 'partner_demand'),
        num(s.partner_funding, 0, 'partner_funding'), num(s.partner_gap, 0, 'partner_gap'),
        num(s.shortfall, 0, 'shortfall'))), 'tasks-shortfall'));
    };

    try {
      const job = await latestJob('tasks_schedule');
      if (job && job.content_type && job.content_type.startsWith('application/json')) await show(job, await api(job.result));
      else jobText.textContent = 'No schedule has been made yet: choose a task register and schedule it.';
    } catch (e) { say(problemText(e), true); }

    run.addEventListener('click', async () => {
      run.disabled = true;
      try {
        const reg = await readFile(regFile);
        if (!reg) throw new Error('choose a task register');
        const body = { register: reg.text, file_name: reg.name, projection_samples: Number(samples.value), format: 'json' };
        const plan = await readFile(planFile);
        if (plan) { body.plan = plan.text; body.plan_file_name = plan.name; }
        const loc = await readFile(locFile);
        if (plan && loc) body.localities = loc.text;
        const { job, result } = await runJob('/api/tasks/schedule', body, (j) => {
          jobText.textContent = `Job ${j.id}: ${j.state}${j.progress.stage ? `, ${j.progress.stage}` : ''}`;
        });
        await show(job, result);
        say(`Schedule job ${job.id} finished`);
      } catch (e) { say(problemText(e), true); jobText.textContent = problemText(e); }
      run.disabled = false;
    });
    await tasksMore(main, { regFile, planFile, locFile, samples });
  },
};
