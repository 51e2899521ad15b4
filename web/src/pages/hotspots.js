// Hotspots: the space-time scan runs as a job (progress, cancel); the latest
// finished scan is shown: clusters on the map over the areas, their windows in
// time, and the table of clusters with p-values.
import { api, latestJob, runJob } from '../api.js';
import { chart } from '../chart.js';
import { addOutlines, addPolygons, fit, makeMap, popups } from '../map.js';
import { defaultLevel, fmt, h, num, problemText, say, table } from '../ui.js';

export default {
  id: 'hotspots',
  title: 'Hotspots',
  needs: 'read',
  async render(main, ctx) {
    const level = defaultLevel(ctx.status);
    const mode = h('select', { id: 'hs-mode' }, ['retrospective', 'prospective'].map((m) => h('option', { value: m }, m)));
    const reps = h('input', { id: 'hs-reps', type: 'number', min: 0, max: 100000, value: 999, inputmode: 'numeric' });
    const months = h('input', { id: 'hs-months', type: 'number', min: 1, max: 600, value: 12, inputmode: 'numeric' });
    const run = h('button', { id: 'hs-run', type: 'button' }, 'Run scan');
    const cancel = h('button', { id: 'hs-cancel', type: 'button', class: 'secondary', disabled: true }, 'Cancel');
    const bar = h('div', {});
    const barBox = h('div', { class: 'progress', role: 'progressbar', 'aria-label': 'scan progress', 'aria-valuemin': 0, 'aria-valuemax': 100 }, bar);
    const jobText = h('p', { class: 'muted', id: 'hs-job' }, '');
    const mapEl = h('div', { class: 'map', id: 'hotspots-map' });
    const chartEl = h('div', { class: 'chart', id: 'hotspots-chart' });
    const tableBox = h('div', { class: 'scroll' });
    const canRun = ctx.me.capabilities.includes('run');
    main.append(
      h('h1', {}, 'Hotspots of violence against civilians'),
      h('p', { class: 'lead' }, 'Kulldorff space-time scan: circles of areas over runs of months with more events than ' +
        'expected, with Monte Carlo p-values. The scan runs on the server as a job; the latest finished scan is shown.'),
      canRun ? h('div', { class: 'controls' },
        h('label', { for: 'hs-mode' }, 'Mode', mode), h('label', { for: 'hs-reps' }, 'Replications', reps),
        h('label', { for: 'hs-months' }, 'Longest window (months)', months), run, cancel) : null,
      barBox, jobText,
      h('div', { class: 'grid' },
        h('section', { class: 'panel' }, h('h2', {}, 'Clusters'), mapEl),
        h('section', { class: 'panel' }, h('h2', {}, 'When'), chartEl)),
      h('section', { class: 'panel', style: 'margin-top:1rem' }, h('h2', {}, 'Cluster table'), tableBox));
    const [map, areas] = await Promise.all([
      makeMap(mapEl, 'hotspots', 'Map of the hotspot clusters over the areas'),
      api('/api/areas', { query: { level, format: 'geojson' } }),
    ]);
    addOutlines(map, 'areas', areas);
    fit(map, areas);
    const show = async (job, fc) => {
      jobText.textContent = `Scan job ${job.id} by ${job.user}, finished ${job.finished_at}; parameters ${JSON.stringify(job.params)}`;
      if (map.getSource('clusters')) map.getSource('clusters').setData(fc);
      else {
        addPolygons(map, 'clusters', fc, ['case', ['<=', ['get', 'p_value'], 0.05], '#c62828', '#f9a825'], 0.45);
        popups(map, 'clusters-fill', (p) => `<strong>#${p.rank} ${p.centre_name}</strong><br>${p.start} to ${p.end}` +
          `<br>observed ${fmt(p.observed)}, expected ${fmt(p.expected)}<br>p = ${fmt(p.p_value, 3)}`);
      }
      const rows = fc.features.map((f) => f.properties);
      tableBox.replaceChildren(table(`${rows.length} clusters`, [{ label: 'Rank', num: true }, 'Centre', 'Months',
        { label: 'Areas', num: true }, { label: 'Observed', num: true }, { label: 'Expected', num: true },
        { label: 'Relative risk', num: true }, { label: 'LLR', num: true }, { label: 'p-value', num: true }],
      rows.map((p) => h('tr', { 'data-rank': p.rank }, num(p.rank, 0, 'rank'), h('th', { scope: 'row' }, p.centre_name),
        h('td', {}, `${p.start} – ${p.end}`), num(p.n_areas, 0, 'n_areas'), num(p.observed, 0, 'observed'),
        num(p.expected, 2, 'expected'), num(p.relative_risk, 2, 'relative_risk'), num(p.llr, 2, 'llr'),
        num(p.p_value, 3, 'p_value'))), 'hotspots-table'));
      chartEl.replaceChildren();
      await chart(chartEl, 'hotspots-windows', {
        width: 'container', height: Math.max(120, 26 * rows.length),
        data: { values: rows.map((p) => ({ cluster: `#${p.rank} ${p.centre_name}`, start: p.start, end: p.end, p: p.p_value, significant: p.p_value <= 0.05 ? 'p ≤ 0.05' : 'p > 0.05' })) },
        mark: { type: 'bar', cornerRadius: 2 },
        encoding: {
          y: { field: 'cluster', type: 'nominal', sort: null, title: null },
          x: { field: 'start', type: 'temporal', title: 'months' },
          x2: { field: 'end' },
          color: { field: 'significant', type: 'nominal', scale: { domain: ['p ≤ 0.05', 'p > 0.05'], range: ['#c62828', '#f9a825'] }, title: null },
          tooltip: [{ field: 'cluster' }, { field: 'start' }, { field: 'end' }, { field: 'p', format: '.3f' }],
        },
      }, 'Timeline of the months each cluster spans');
    };
    try {
      const job = await latestJob('threat_hotspots');
      if (job && job.content_type && job.content_type.includes('geo+json')) await show(job, await api(job.result));
      else if (!job) jobText.textContent = 'No scan has been run yet.';
    } catch (e) { say(problemText(e), true); }
    let stop = false;
    run.addEventListener('click', async () => {
      run.disabled = true; cancel.disabled = false; stop = false;
      try {
        const { job, result } = await runJob('/api/threat/hotspots', {
          level, mode: mode.value, replications: Number(reps.value), max_months: Number(months.value), format: 'geojson',
        }, (j) => {
          const pct = j.progress.total > 0 ? Math.round((100 * j.progress.done) / j.progress.total) : (j.state === 'done' ? 100 : 10);
          bar.style.width = `${pct}%`;
          barBox.setAttribute('aria-valuenow', pct);
          jobText.textContent = `Job ${j.id}: ${j.state}${j.progress.stage ? `, ${j.progress.stage}` : ''}`;
        }, () => stop);
        await show(job, result);
        say(`Scan job ${job.id} finished`);
      } catch (e) { say(problemText(e), true); jobText.textContent = problemText(e); }
      run.disabled = false; cancel.disabled = true;
    });
    cancel.addEventListener('click', () => { stop = true; cancel.disabled = true; });
  },
};
