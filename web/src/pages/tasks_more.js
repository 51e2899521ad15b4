// The mandate tasks page's second half: the continuity of protection per
// territory after each phase (POST /api/tasks/continuity, a job: the document
// of `endstate tasks continuity --format json`): local protection committees,
// community alert networks and human rights monitoring, each territory
// covered (a mechanism not run by the mission), mission only, or none; and
// the register checked against the store without scheduling (POST
// /api/tasks/validate, answered at once: tasks, partners, mechanisms, or the
// problem naming the file, line and field). Both take the files chosen in the
// register form above them.
import { api, latestResult, runJob } from '../api.js';
import { addPolygons, fit, makeMap, popups } from '../map.js';
import { h, jobState, kpi, legend, num, problemText, say, table } from '../ui.js';

const STATUS = { none: '#c62828', mission_only: '#f9a825', covered: '#2e7d32' };
const LABEL = { none: 'no mechanism', mission_only: 'the mission only', covered: 'covered by others' };
const NOT_REPORTED = '#cfd8dc';

function readFile(input) {
  const f = input.files && input.files[0];
  return f ? f.text().then((t) => ({ name: f.name, text: t })) : Promise.resolve(null);
}

/** The findings of a register validation, or its problem. */
function findings(box, doc, error) {
  if (error) {
    box.replaceChildren(h('p', { class: 'error-text', role: 'alert', id: 'tasks-check-error' }, error));
    return;
  }
  const r = doc.register;
  const years = r.budget_years;
  box.replaceChildren(
    h('p', { id: 'tasks-check-head' }, `${r.name} (${r.file}) is valid: budget years ${years.join(', ')}, ` +
      `${r.period_months}-month periods, level ${doc.level}, territories at level ${doc.territory_level}, ` +
      `framework version ${doc.framework_version}, costs in ${r.currency}.`),
    h('div', { class: 'kpis' }, kpi('tasks', doc.tasks.length, 'kpi-check-tasks'),
      kpi('task-places', doc.task_places, 'kpi-check-task-places'), kpi('partners', doc.partners.length, 'kpi-check-partners'),
      kpi('protection mechanisms', doc.continuity.length, 'kpi-check-mechanisms')),
    h('div', { class: 'scroll' }, table(`${doc.tasks.length} tasks`, ['Task', 'Area', { label: 'Tier', num: true },
      { label: 'Places', num: true }, 'Depends on', 'Benchmarks', 'Partner', 'Ends with the mission'],
    doc.tasks.map((t) => h('tr', { 'data-task': t.task }, h('th', { scope: 'row' }, t.name), h('td', {}, t.area), num(t.tier, 0, 'tier'),
      num(t.places.length, 0, 'places'), h('td', {}, t.depends_on.join(', ') || '–'), h('td', {}, t.benchmarks.join(', ') || '–'),
      h('td', {}, t.partner || '–'), h('td', {}, t.ends_with_mission ? 'yes' : 'no'))), 'tasks-check-tasks')),
    h('div', { class: 'scroll' }, table(`${doc.partners.length} partners: capacity (handovers) and funding (${r.currency}) per budget year`,
      ['Partner', 'Kind', ...years.map((y) => ({ label: `Capacity ${y}`, num: true })), ...years.map((y) => ({ label: `Funding ${y}`, num: true })),
        'Contact'],
      doc.partners.map((p) => h('tr', { 'data-partner': p.id }, h('th', { scope: 'row' }, p.name), h('td', {}, p.kind),
        p.capacity.map((c) => num(c, 0, 'capacity')), p.funding.map((f) => num(f, 0, 'funding')),
        h('td', {}, p.contact ? [p.contact.name, p.contact.phone, p.contact.radio, p.contact.email].filter(Boolean).join(', ') : '–'))),
      'tasks-check-partners')));
}

/** Adds the continuity and check panels; `form` gives the register form's inputs (regFile, planFile, locFile, samples). */
export async function tasksMore(main, form) {
  const check = h('button', { id: 'tasks-check', type: 'button', class: 'secondary' }, 'Check the register');
  const checkBox = h('div', { id: 'tasks-check-box', 'aria-live': 'polite' },
    h('p', { class: 'muted' }, 'Checks the register chosen above against the store without scheduling: tasks, places, ' +
      'partners with their capacity and funding, protection mechanisms.'));
  const run = h('button', { id: 'tc-run', type: 'button' }, 'Continuity of protection');
  const jobText = h('p', { class: 'muted', id: 'tc-job' }, '');
  const phaseSel = h('select', { id: 'tc-phase' });
  const kpis = h('div', { class: 'kpis', id: 'tc-kpis' });
  const mapEl = h('div', { class: 'map', id: 'continuity-map' });
  const tableBox = h('div', { class: 'scroll tall' });
  main.append(
    h('section', { class: 'panel', style: 'margin-top:1rem' }, h('h2', {}, 'Continuity of protection'),
      h('p', { class: 'muted' }, 'Local protection committees, community alert networks and human rights monitoring per ' +
        'territory after each phase: covered (a mechanism run by others than the mission), the mission only (it ends with ' +
        'the exit) or none. Uses the register, plan and localities chosen above; runs on the server as a job, the latest ' +
        'finished one is shown.'),
      h('div', { class: 'controls' }, run, h('label', { for: 'tc-phase' }, 'After phase', phaseSel)),
      jobText, kpis,
      mapEl, legend([...Object.entries(STATUS).map(([k, c]) => [c, LABEL[k]]), [NOT_REPORTED, 'not in the register']]),
      h('h3', {}, 'Territories'), tableBox),
    h('section', { class: 'panel', style: 'margin-top:1rem' }, h('h2', {}, 'Check the register'),
      h('div', { class: 'controls' }, check), checkBox));
  const map = await makeMap(mapEl, 'continuity', 'Map of the territories coloured by their protection after the chosen phase');

  check.addEventListener('click', async () => {
    check.disabled = true;
    try {
      const reg = await readFile(form.regFile);
      if (!reg) throw new Error('choose a task register');
      findings(checkBox, await api('/api/tasks/validate', { method: 'POST', body: { register: reg.text, file_name: reg.name } }));
    } catch (e) { findings(checkBox, null, problemText(e)); }
    check.disabled = false;
  });

  let current = null;
  let terr = null;
  const draw = async () => {
    if (!current) return;
    const { job, result: doc } = current;
    const i = Math.max(0, doc.phases.findIndex((p) => p.label === phaseSel.value));
    jobText.textContent = `Continuity job ${job.id} by ${job.user}, finished ${job.finished_at}: ${doc.register.name}, ` +
      `exits from ${doc.exits_source}; ${doc.continuity.length} territories.`;
    const count = { none: 0, mission_only: 0, covered: 0 };
    for (const c of doc.continuity) count[c.statuses[i]] += 1;
    kpis.replaceChildren(...Object.keys(STATUS).map((k) => kpi(`${LABEL[k]} after ${doc.phases[i].label}`, count[k], `kpi-tc-${k}`)));
    if (!terr || terr.level !== doc.territory_level) {
      terr = { level: doc.territory_level, fc: await api('/api/areas', { query: { level: doc.territory_level, format: 'geojson' } }) };
    }
    const byId = new Map(doc.continuity.map((c) => [c.territory_id, c]));
    const fc = { type: 'FeatureCollection', features: terr.fc.features.map((f) => {
      const c = byId.get(f.properties.id);
      return { type: 'Feature', geometry: f.geometry, properties: { id: f.properties.id, name: f.properties.name,
        status: c ? c.statuses[i] : 'not_reported', mechanisms: c ? c.mechanisms.map((m) => `${m.kind} (${m.run_by})`).join(', ') : '' } };
    }) };
    const fill = ['match', ['get', 'status'], ...Object.entries(STATUS).flat(), NOT_REPORTED];
    if (map.getSource('tc-territories')) {
      map.getSource('tc-territories').setData(fc);
    } else {
      addPolygons(map, 'tc-territories', fc, fill, 0.75);
      popups(map, 'tc-territories-fill', (p) => `<strong>${p.name}</strong><br>${LABEL[p.status] || 'not in the register'}` +
        `${p.mechanisms ? `<br>${p.mechanisms}` : ''}`);
    }
    fit(map, fc);
    tableBox.replaceChildren(table(`${doc.continuity.length} territories; the status after each phase`, ['Territory', 'Province',
      'Mechanisms', ...doc.phases.map((p) => p.label), 'First without'],
    doc.continuity.map((c) => h('tr', { 'data-territory': c.territory_id }, h('th', { scope: 'row' }, c.territory), h('td', {}, c.province),
      h('td', {}, c.mechanisms.map((m) => `${m.kind.replaceAll('_', ' ')} (${m.run_by}${m.until ? ` to ${m.until}` : ''})`).join('; ')),
      c.statuses.map((s, k) => h('td', { 'data-phase': k, class: 'nowrap', style: `color:${STATUS[s]}` }, LABEL[s])),
      h('td', { class: 'nowrap' }, c.first_without || '–'))), 'continuity-table'));
  };
  const setPhases = (doc) => {
    const keep = phaseSel.value;
    phaseSel.replaceChildren(...doc.phases.map((p) => h('option', { value: p.label }, p.label)));
    phaseSel.value = doc.phases.some((p) => p.label === keep) ? keep : doc.phases[doc.phases.length - 1].label;
  };
  phaseSel.addEventListener('change', draw);
  try {
    current = await latestResult('tasks_continuity');
    if (current) { setPhases(current.result); await draw(); } else jobText.textContent = 'Continuity has not been computed yet.';
  } catch (e) { say(problemText(e), true); }

  run.addEventListener('click', async () => {
    run.disabled = true;
    try {
      const reg = await readFile(form.regFile);
      if (!reg) throw new Error('choose a task register');
      const body = { register: reg.text, file_name: reg.name, projection_samples: Number(form.samples.value), format: 'json' };
      const plan = await readFile(form.planFile);
      if (plan) { body.plan = plan.text; body.plan_file_name = plan.name; }
      const loc = await readFile(form.locFile);
      if (plan && loc) body.localities = loc.text;
      current = await runJob('/api/tasks/continuity', body, (j) => { jobText.textContent = jobState(j); });
      setPhases(current.result);
      await draw();
      say(`Continuity job ${current.job.id} finished`);
    } catch (e) { say(problemText(e), true); jobText.textContent = problemText(e); }
    run.disabled = false;
  });
}
