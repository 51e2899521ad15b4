// Footprint: the recommended open sites and troops per site (maximal covering
// location, POST /api/footprint/optimize) against today's footprint, and the
// protection gap each open site would leave if it closed (POST
// /api/footprint/gaps); both run on the server as jobs (the documents of
// `endstate footprint optimize|gaps --format json`) and the latest finished
// ones are shown: sites on the map over the provinces coloured by the share of
// threat-weighted demand covered, coverage figures, the gaps as a bar chart.
import { api, latestResult, runJob } from '../api.js';
import { chart } from '../chart.js';
import { addOutlines, addPoints, addPolygons, fit, makeMap, popups } from '../map.js';
import { defaultLevel, fmt, h, jobState, kpi, legend, num, pct, problemText, say, select, table } from '../ui.js';

const SHARE = ['#c62828', '#ef6c00', '#f9a825', '#9ccc65', '#2e7d32'];
const THREATS = [['recent', 'observed violence against civilians (recent months)'], ['forecast', 'forecast violence against civilians'],
  ['index', 'threat index'], ['none', 'population only']];

/** A point feature per site. */
const points = (sites, props) => ({ type: 'FeatureCollection', features: sites.map((s) => ({ type: 'Feature',
  geometry: { type: 'Point', coordinates: [s.longitude, s.latitude] }, properties: props(s) })) });

export default {
  id: 'footprint',
  title: 'Footprint',
  needs: 'run',
  async render(main, ctx) {
    const level = defaultLevel(ctx.status);
    const levels = Object.keys(ctx.status.areas_by_level).filter((l) => l !== 'country');
    const demandLevel = select('fp-demand-level', levels, levels.includes('territory') ? 'territory' : level);
    const threat = select('fp-threat', THREATS, 'recent');
    const hours = h('input', { id: 'fp-hours', type: 'number', min: 0.5, max: 72, step: 0.5, value: 6, inputmode: 'decimal' });
    const airKm = h('input', { id: 'fp-air-km', type: 'number', min: 0, max: 5000, value: 300, inputmode: 'numeric' });
    const ceiling = h('input', { id: 'fp-ceiling', type: 'number', min: 0, max: 10000000, value: 5000, inputmode: 'numeric' });
    const maxSites = h('input', { id: 'fp-max-sites', type: 'number', min: 0, max: 1000000, value: 0, inputmode: 'numeric' });
    const minTroops = h('input', { id: 'fp-min-troops', type: 'number', min: 0, max: 100000, value: 150, inputmode: 'numeric' });
    const solver = select('fp-solver', ['auto', 'exact', 'heuristic'], 'auto');
    const keepToday = h('input', { id: 'fp-keep-today', type: 'checkbox' });
    const closeSel = h('select', { id: 'fp-close', multiple: true, size: 5 });
    const runOpt = h('button', { id: 'fp-run', type: 'button' }, 'Optimise footprint');
    const runGaps = h('button', { id: 'fp-gaps-run', type: 'button', class: 'secondary' }, 'Gaps of closing each site');
    const jobText = h('p', { class: 'muted', id: 'fp-job' }, '');
    const gapsText = h('p', { class: 'muted', id: 'fp-gaps-job' }, '');
    const kpis = h('div', { class: 'kpis', id: 'fp-kpis' });
    const mapEl = h('div', { class: 'map', id: 'footprint-map' });
    const sitesBox = h('div', { class: 'scroll' });
    const coverBox = h('div', { class: 'scroll' });
    const gapMapEl = h('div', { class: 'map', id: 'gaps-map' });
    const gapChartEl = h('div', { class: 'chart', id: 'gaps-chart' });
    const gapBox = h('div', { class: 'scroll' });
    const closeKpis = h('div', { class: 'kpis', id: 'fp-close-kpis' });
    const closeBox = h('div', { class: 'scroll' });
    main.append(
      h('h1', {}, 'Footprint'),
      h('p', { class: 'lead' }, 'Where the mission\'s sites and troops protect the most threatened people: demand points ' +
        '(area centroids) weighted by population and threat are covered by a site that reaches them within the response ' +
        'time (by road, or by helicopter from a site with aviation). The recommendation opens sites and sizes their troops ' +
        'within the ceiling; the gaps are the demand only one open site covers today. Both run on the server as jobs.'),
      h('section', { class: 'panel' }, h('h2', {}, 'Model'),
        h('div', { class: 'controls' },
          h('label', { for: 'fp-demand-level' }, 'Demand points: centroids of', demandLevel),
          h('label', { for: 'fp-threat' }, 'Threat weight', threat),
          h('label', { for: 'fp-hours' }, 'Response time (hours)', hours),
          h('label', { for: 'fp-air-km' }, 'Helicopter radius (km)', airKm)),
        h('div', { class: 'controls' },
          h('label', { for: 'fp-ceiling' }, 'Troop ceiling', ceiling),
          h('label', { for: 'fp-max-sites' }, 'At most sites (0 = any)', maxSites),
          h('label', { for: 'fp-min-troops' }, 'Troops an open site needs', minTroops),
          h('label', { for: 'fp-solver' }, 'Solver', solver),
          h('label', { for: 'fp-keep-today', class: 'check' }, keepToday, 'Keep every site open today'), runOpt),
        h('div', { class: 'controls' },
          h('label', { for: 'fp-close' }, 'Sites to close together (none chosen: the gap of each alone)', closeSel), runGaps)),
      h('h2', {}, 'Recommended footprint'), jobText, kpis,
      h('div', { class: 'grid' },
        h('section', { class: 'panel' }, h('h2', {}, 'Sites and coverage by province'), mapEl,
          legend([['#0b5fa5', 'open (size: troops)'], ['#ffffff', 'open today, closed in the recommendation'],
            [SHARE[0], '< 60% covered'], [SHARE[1], '60–80%'], [SHARE[2], '80–90%'], [SHARE[3], '90–99%'], [SHARE[4], '≥ 99%']])),
        h('section', { class: 'panel' }, h('h2', {}, 'Coverage by province'), coverBox)),
      h('section', { class: 'panel', style: 'margin-top:1rem' }, h('h2', {}, 'Sites'), sitesBox),
      h('h2', {}, 'Protection gaps of closing a site'), gapsText, closeKpis, closeBox,
      h('div', { class: 'grid' },
        h('section', { class: 'panel' }, h('h2', {}, 'Open sites by the gap they would leave'), gapMapEl,
          legend([['#c62828', 'leaves a gap'], ['#90a4ae', 'no gap: others cover it'],
            ['#000000', 'demand point a closure leaves (police or civilians)'], ['#7b1fa2', '(helicopters)']])),
        h('section', { class: 'panel' }, h('h2', {}, 'Share of demand only this site covers'), gapChartEl)),
      h('section', { class: 'panel', style: 'margin-top:1rem' }, h('h2', {}, 'Gaps'), gapBox));

    const [map, gapMap, areas, today] = await Promise.all([
      makeMap(mapEl, 'footprint', 'Map of the recommended sites over the provinces coloured by the share covered'),
      makeMap(gapMapEl, 'gaps', 'Map of the open sites sized by the protection gap their closure would leave'),
      api('/api/areas', { query: { level, format: 'geojson' } }),
      api('/api/sites', { query: { month: ctx.status.last_event.slice(0, 7), format: 'json' } }),
    ]);
    const areaName = new Map(areas.features.map((f) => [f.properties.id, f.properties.name]));
    closeSel.replaceChildren(...today.sites.filter((s) => s.active).sort((a, b) => a.name.localeCompare(b.name))
      .map((s) => h('option', { value: s.key }, s.name)));
    addOutlines(gapMap, 'gap-areas', areas);
    fit(gapMap, areas);

    const model = () => ({ level, demand_level: demandLevel.value, threat: threat.value, response_hours: Number(hours.value),
      air_max_km: Number(airKm.value), format: 'json' });

    const showOpt = (job, doc) => {
      const p = job.params || {};
      jobText.textContent = `Footprint job ${job.id} by ${job.user}, finished ${job.finished_at}: ${doc.model.demand_points} ` +
        `demand points (${p.demand_level || doc.model.level}), ${doc.model.candidate_sites} candidate sites, response within ` +
        `${fmt(doc.model.response_hours)} h, ${doc.model.month}; solver ${doc.solver}, ${doc.status}` +
        `${doc.binding.length ? `; binding: ${doc.binding.join(', ')}` : ''}.`;
      const r = doc.recommended; const t = doc.today;
      kpis.replaceChildren(
        kpi('covered, recommended', r.share, 'kpi-share', undefined, pct(r.share)),
        kpi('covered today', t.share, 'kpi-share-today', undefined, pct(t.share)),
        kpi('sites open, recommended', r.sites, 'kpi-sites'), kpi('sites open today', t.sites, 'kpi-sites-today'),
        kpi('troops, recommended', r.troops, 'kpi-troops'), kpi('troops today', t.troops, 'kpi-troops-today'),
        kpi('covered twice, recommended', r.covered_twice / doc.model.total_weight, 'kpi-twice', undefined,
          pct(r.covered_twice / doc.model.total_weight)));
      const byId = new Map(doc.coverage.map((c) => [c.area_id, c]));
      const fc = { type: 'FeatureCollection', features: areas.features.filter((f) => byId.has(f.properties.id)).map((f) => {
        const c = byId.get(f.properties.id);
        return { type: 'Feature', geometry: f.geometry, properties: { name: c.area_name, share: c.share, share_today: c.share_today } };
      }) };
      const open = points(doc.sites.filter((s) => s.open), (s) => ({ name: s.name, troops: s.troops, troops_today: s.troops_today,
        existing: s.existing, covered: s.covered_weight }));
      const closed = points(doc.sites.filter((s) => !s.open && s.existing), (s) => ({ name: s.name, troops_today: s.troops_today }));
      const fill = ['step', ['get', 'share'], SHARE[0], 0.6, SHARE[1], 0.8, SHARE[2], 0.9, SHARE[3], 0.99, SHARE[4]];
      if (map.getSource('fp-areas')) {
        map.getSource('fp-areas').setData(fc);
        map.getSource('fp-open').setData(open);
        map.getSource('fp-closed').setData(closed);
      } else {
        addPolygons(map, 'fp-areas', fc, fill, 0.55);
        addPoints(map, 'fp-closed', closed, '#ffffff', 4);
        map.setPaintProperty('fp-closed-circle', 'circle-stroke-color', '#37474f');
        addPoints(map, 'fp-open', open, '#0b5fa5', 5);
        map.setPaintProperty('fp-open-circle', 'circle-radius', ['interpolate', ['linear'], ['sqrt', ['get', 'troops']], 0, 3, 40, 14]);
        popups(map, 'fp-areas-fill', (x) => `<strong>${x.name}</strong><br>covered ${pct(x.share)} (today ${pct(x.share_today)})`);
        popups(map, 'fp-open-circle', (x) => `<strong>${x.name}</strong><br>troops ${fmt(x.troops)} (today ${fmt(x.troops_today)})` +
          `${x.existing ? '' : '<br>a new site'}`);
        popups(map, 'fp-closed-circle', (x) => `<strong>${x.name}</strong><br>closed in the recommendation (today ${fmt(x.troops_today)} troops)`);
        fit(map, fc);
      }
      coverBox.replaceChildren(table(`share of the threat-weighted demand covered; population ${fmt(doc.model.total_population)}`,
        ['Province', { label: 'Weight', num: true }, { label: 'Covered', num: true }, { label: 'Covered today', num: true },
          { label: 'Population covered', num: true }],
        doc.coverage.map((c) => h('tr', { 'data-area': c.area_id }, h('th', { scope: 'row' }, c.area_name), num(c.weight, 1, 'weight'),
          num(c.share, 3, 'share'), num(c.share_today, 3, 'share_today'), num(c.population_covered, 0, 'population_covered'))),
        'footprint-coverage'));
      const nameOf = new Map(doc.coverage.map((c) => [c.area_id, c.area_name]));
      const rows = doc.sites.filter((s) => s.open || s.existing).sort((a, b) => b.troops - a.troops || a.name.localeCompare(b.name));
      sitesBox.replaceChildren(table(`${r.sites} sites open in the recommendation, ${t.sites} today`, ['Site', 'Province', 'Change',
        { label: 'Troops', num: true }, { label: 'Troops today', num: true }, { label: 'Police today', num: true }, 'Aviation',
        { label: 'Weight covered', num: true }],
      rows.map((s) => h('tr', { 'data-site': s.id }, h('th', { scope: 'row' }, s.name), h('td', {}, nameOf.get(s.area_id) || s.area_id),
        h('td', {}, !s.open ? 'close' : s.existing ? 'keep' : 'open'), num(s.troops, 0, 'troops'), num(s.troops_today, 0, 'troops_today'),
        num(s.police_today, 0, 'police_today'), h('td', {}, s.has_air ? 'yes' : 'no'), num(s.covered_weight, 1, 'covered_weight'))),
      'footprint-sites'));
    };

    const showGaps = async (job, doc) => {
      gapsText.textContent = `Gaps job ${job.id} by ${job.user}, finished ${job.finished_at}: today covers ` +
        `${pct(doc.covered_today / doc.total_weight)} of the weight; a lost point is mitigated by helicopters within ` +
        `${fmt(doc.mitigation_hours)} h.`;
      // A proposed closure: what it loses together, and the demand points it leaves with their mitigation.
      const c = doc.closure;
      const names = new Map(doc.sites.map((s) => [s.id, s.name]));
      closeKpis.replaceChildren(...(c ? [
        kpi(`lost by closing ${c.closed.map((id) => names.get(id) || id).join(', ')}`, c.share_lost, 'kpi-close-share', undefined, pct(c.share_lost, 2)),
        kpi('weight lost', c.weight_lost, 'kpi-close-weight', 2), kpi('demand points lost', doc.coverage.length, 'kpi-close-points'),
        kpi('provinces losing coverage', c.areas.length, 'kpi-close-areas', undefined, c.areas.join(', ') || 'none')] : []));
      closeBox.replaceChildren(...(c && doc.coverage.length ? [table(`${doc.coverage.length} demand points lose their coverage; mitigation by ` +
        `helicopter within ${fmt(doc.mitigation_hours)} h where a remaining site reaches them, else police or civilian presence`,
      ['Demand point', 'Province', { label: 'Weight', num: true }, 'Mitigation', 'Helicopters from', { label: 'Hours', num: true }],
      doc.coverage.map((p) => h('tr', { 'data-point': p.id }, h('th', { scope: 'row' }, p.name), h('td', {}, areaName.get(p.area_id) || p.area_id),
        num(p.weight, 2, 'weight'), h('td', {}, p.mitigation.replaceAll('_', ' ')), h('td', {}, p.air_site ? names.get(p.air_site) || p.air_site : '–'),
        num(p.air_hours, 1, 'air_hours'))), 'closure-table')] : []));
      const lostPoints = points(c ? doc.coverage : [], (p) => ({ name: p.name, weight: p.weight, mitigation: p.mitigation }));
      const fc = points(doc.sites, (s) => ({ name: s.name, rank: s.rank, share_lost: s.share_lost, points_lost: s.points_lost,
        areas: s.areas.join(', ') }));
      const paint = ['case', ['>', ['get', 'share_lost'], 0], '#c62828', '#90a4ae'];
      if (gapMap.getSource('gaps')) {
        gapMap.getSource('gaps').setData(fc);
        gapMap.getSource('gap-points').setData(lostPoints);
      } else {
        addPoints(gapMap, 'gap-points', lostPoints, ['match', ['get', 'mitigation'], 'air', '#7b1fa2', '#000000'], 6);
        popups(gapMap, 'gap-points-circle', (x) => `<strong>${x.name}</strong><br>loses coverage (weight ${fmt(x.weight, 2)})` +
          `<br>mitigation: ${x.mitigation.replaceAll('_', ' ')}`);
        addPoints(gapMap, 'gaps', fc, paint, 5);
        gapMap.setPaintProperty('gaps-circle', 'circle-radius', ['interpolate', ['linear'], ['get', 'share_lost'], 0, 4, 0.05, 16]);
        popups(gapMap, 'gaps-circle', (x) => `<strong>#${x.rank} ${x.name}</strong><br>${pct(x.share_lost, 2)} of the weight ` +
          `only it covers (${x.points_lost} points)${x.areas ? `<br>in ${x.areas}` : ''}`);
      }
      const lost = doc.sites.filter((s) => s.share_lost > 0);
      gapChartEl.replaceChildren();
      if (!lost.length) gapChartEl.append(h('p', {}, 'No open site leaves a gap: every point it covers is covered by another.'));
      else await chart(gapChartEl, 'gaps', {
        width: 'container', height: Math.max(100, 26 * Math.min(lost.length, 20)),
        data: { values: lost.slice(0, 20).map((s) => ({ site: `#${s.rank} ${s.name}`, share: s.share_lost, points: s.points_lost })) },
        mark: { type: 'bar', color: '#c62828' },
        encoding: { y: { field: 'site', type: 'nominal', sort: null, title: null },
          x: { field: 'share', type: 'quantitative', title: 'share of the weight lost', axis: { format: '.1%' } },
          tooltip: [{ field: 'site' }, { field: 'share', format: '.2%' }, { field: 'points', title: 'demand points lost' }] },
      }, `Bar chart of the share of the threat-weighted demand each open site alone covers, the ${Math.min(lost.length, 20)} largest`);
      gapBox.replaceChildren(table(`${doc.sites.length} open sites, ${lost.length} leave a gap if closed`, [{ label: 'Rank', num: true },
        'Site', { label: 'Share lost', num: true }, { label: 'Weight lost', num: true }, { label: 'Points lost', num: true }, 'Areas'],
      doc.sites.map((s) => h('tr', { 'data-site': s.id }, num(s.rank, 0, 'rank'), h('th', { scope: 'row' }, s.name),
        num(s.share_lost, 4, 'share_lost'), num(s.weight_lost, 2, 'weight_lost'), num(s.points_lost, 0, 'points_lost'),
        h('td', {}, s.areas.join(', ') || '–'))), 'gaps-table'));
    };

    try {
      const [opt, gaps] = await Promise.all([latestResult('footprint_optimize'), latestResult('footprint_gaps')]);
      if (opt) showOpt(opt.job, opt.result);
      else jobText.textContent = 'No footprint has been optimised yet: set a ceiling or a number of sites and optimise.';
      if (gaps) await showGaps(gaps.job, gaps.result);
      else gapsText.textContent = 'No gaps have been computed yet.';
    } catch (e) { say(problemText(e), true); }

    runOpt.addEventListener('click', async () => {
      runOpt.disabled = true;
      try {
        const body = { ...model(), min_troops: Number(minTroops.value), max_sites: Number(maxSites.value), solver: solver.value,
          keep_today: keepToday.checked };
        if (ceiling.value !== '') body.ceiling = Number(ceiling.value);
        const { job, result } = await runJob('/api/footprint/optimize', body, (j) => { jobText.textContent = jobState(j); });
        showOpt(job, result);
        say(`Footprint job ${job.id} finished`);
      } catch (e) { say(problemText(e), true); jobText.textContent = problemText(e); }
      runOpt.disabled = false;
    });
    runGaps.addEventListener('click', async () => {
      runGaps.disabled = true;
      try {
        const close = [...closeSel.selectedOptions].map((o) => o.value);
        const { job, result } = await runJob('/api/footprint/gaps', { ...model(), ...(close.length ? { close } : {}) },
          (j) => { gapsText.textContent = jobState(j); });
        await showGaps(job, result);
        say(`Gaps job ${job.id} finished`);
      } catch (e) { say(problemText(e), true); gapsText.textContent = problemText(e); }
      runGaps.disabled = false;
    });
  },
};
