// The dashboard in a real browser: Debian's chromium, headless, driven by
// playwright-core, against `endstate serve` on the Carana demo, started here
// on a free loopback port with a temporary database (harness.mjs) and stopped
// at the end. Each page renders (features drawn on its maps, charts present,
// numbers equal to the API's), role restrictions hold, and no request leaves
// the machine: every request to an address other than the loopback is blocked
// and counted, and the count must be zero. Screenshots of every page go to
// ENDSTATE_SCREENSHOTS (the build folder's screenshots/).
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { passwordOf as pw, TestServer, USERS } from './harness.mjs';

const require = createRequire(join(process.env.ENDSTATE_WEB_SOURCE || '.', 'package.json'));
const { chromium } = require('playwright-core');

const SHOTS = process.env.ENDSTATE_SCREENSHOTS || join(tmpdir(), 'endstate-screenshots');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

let server; let base; let context; let profile; const errors = [];
const blocked = [];  // every request to another address, once each

function isLoopback(u) {
  if (!/^(https?|wss?|ftp):$/.test(u.protocol)) return true;  // data:, blob:, about:
  const h = u.hostname.replace(/^\[|\]$/g, '');
  return h === 'localhost' || h === '::1' || /^127\./.test(h);
}

async function api(path, user, init = {}) {
  const res = await fetch(base + path, { ...init, headers: { Authorization: `Bearer ${server.tokens[user]}`, ...(init.headers || {}) } });
  const text = await res.text();
  return { status: res.status, body: text.startsWith('{') ? JSON.parse(text) : text };
}

async function newPage() {
  const page = await context.newPage();
  page.on('pageerror', (e) => errors.push(String(e)));
  return page;
}

async function login(user) {
  const page = await newPage();
  await page.goto(`${base}/`);
  await page.fill('#login-name', user);
  await page.fill('#login-password', pw(user));
  await page.click('button[type=submit]');
  await page.waitForSelector('#who-name');
  return page;
}

async function open(page, id) {
  await page.evaluate((p) => { window.location.hash = `#/${p}`; }, id);
  await page.waitForFunction((p) => document.body.dataset.page === p || document.body.dataset.page === `${p}:error`, id,
    { timeout: 120000 });
  const state = await page.evaluate(() => document.body.dataset.page);
  if (state !== id) assert.fail(`page ${id}: ${await page.locator('#main .error-text').first().textContent()}`);
}

/** Features of `layer` drawn on map `m`, once the map has finished painting. */
async function drawn(page, m, layer) {
  return page.evaluate(async ([name, l]) => {
    const map = window.__endstate.maps[name];
    if (!map.loaded() || !map.areTilesLoaded()) await new Promise((r) => map.once('idle', r));
    return map.queryRenderedFeatures({ layers: [l] }).length;
  }, [m, layer]);
}

/** Every number shown in a numeric cell or key figure uses the one format: en-US digit groups ("5,818", "5,797.40"). */
async function formatted(page) {
  const bad = await page.$$eval('td.num, .kpi .v', (els) => els.flatMap((e) => e.textContent.split(/[\s[\]();–/]+/)
    .map((t) => t.replace(/[,.%]+$/, '')).filter((t) => /^-?[\d,]+(\.\d+)?$/.test(t) && !/^-?\d{1,3}(,\d{3})*(\.\d+)?$/.test(t))));
  assert.deepEqual(bad, [], 'numbers without digit groups');
}

/** The page fits the window's width (nothing to scroll sideways). */
async function fits(page, id) {
  const over = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(over <= 0, `${id} is ${over}px wider than the screen`);
}

/** Every form control has a label. */
async function labelled(page) {
  const missing = await page.$$eval('#main input, #main select', (els) => els.filter((e) => !e.labels || !e.labels.length).map((e) => e.id));
  assert.deepEqual(missing, [], 'controls without a label');
}

async function shot(page, name) {
  await formatted(page);
  await page.evaluate(() => document.getElementById('status').replaceChildren());  // the passing messages would cover the page
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

/** The document of the latest finished job of an operation. */
async function latest(operation, user = 'ana') {
  const jobs = (await api(`/api/jobs?operation=${operation}&state=done&limit=1`, user)).body.jobs;
  assert.equal(jobs.length, 1, `a finished ${operation} job`);
  return { job: jobs[0], doc: (await api(jobs[0].result, user)).body };
}

/** Clicks `button`, waits for the job to end (the button enabled again), then for `text` to start `started` and rows in `rowsOf`. */
async function runFromPage(page, button, text, started, rowsOf) {
  await page.click(button);
  await page.waitForFunction((b) => !document.querySelector(b).disabled, button, { timeout: 300000 });
  const said = await page.textContent(text);
  assert.ok(said.startsWith(started), `${button}: ${said}`);
  await page.waitForSelector(`[data-testid=${rowsOf}] tbody tr`);
}

/** POSTs a JSON body to the API as `user`. */
function post(path, user, body) {
  return api(path, user, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
}

/** The HTML document shown in frame `testid` is the text `html` (same body text), and its size as shown is its size. */
async function showsHtml(page, testid, html) {
  await page.waitForFunction((t) => {
    const f = document.querySelector(`[data-testid=${t}]`);
    return f && f.contentDocument && f.contentDocument.readyState === 'complete' && f.contentDocument.body &&
      f.contentDocument.body.textContent.length > 0;
  }, testid);
  const same = await page.evaluate(([t, text]) => {
    const shown = document.querySelector(`[data-testid=${t}]`).contentDocument.body.textContent;
    return shown === new DOMParser().parseFromString(text, 'text/html').body.textContent;
  }, [testid, html]);
  assert.ok(same, `${testid} shows the job's document`);
  assert.equal(Number(await page.getAttribute(`[data-testid=${testid}-bytes]`, 'data-value')), Buffer.byteLength(html));
  const href = await page.getAttribute(`[data-testid=${testid}-download]`, 'href');
  assert.match(href, /^blob:/);
}

/** data-value of every cell with data-testid=`field`, by the row's data-`key`. */
async function cells(page, table, key, field) {
  return page.$$eval(`[data-testid=${table}] tbody tr`, (rows, [k, f]) => Object.fromEntries(rows.map((r) => [
    r.dataset[k], Number(r.querySelector(`[data-testid=${f}]`).dataset.value)])), [key, field]);
}

before(async () => {
  mkdirSync(SHOTS, { recursive: true });
  server = await new TestServer().start();
  base = server.base;
  profile = mkdtempSync(join(tmpdir(), 'endstate-chromium-'));
  context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1366, height: 768 },  // a laptop
    serviceWorkers: 'block',
    // WebGL for MapLibre without a GPU (ANGLE's software renderer); no background traffic of the browser's own.
    args: ['--no-sandbox', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage',
      '--enable-unsafe-swiftshader', '--use-angle=swiftshader', '--ignore-gpu-blocklist'],
  });
  await context.route('**/*', (route) => {
    const u = new URL(route.request().url());
    if (isLoopback(u)) return route.continue();
    if (!blocked.includes(u.href)) blocked.push(u.href);
    return route.abort('blockedbyclient');
  });
  // A shared, loaded machine can take long to start the browser and parse the bundle.
  context.setDefaultTimeout(180000);
  context.setDefaultNavigationTimeout(180000);
  context.on('request', (req) => {
    const u = new URL(req.url());
    if (!isLoopback(u) && !blocked.includes(u.href)) blocked.push(u.href);
  });
});

after(async () => {
  if (context) await context.close();
  if (server) await server.stop();
  if (profile) rmSync(profile, { recursive: true, force: true });
});

describe('offline', () => {
  test('the page allows its own origin only, and the guard blocks and counts any other', async () => {
    const r = await fetch(`${base}/`);
    const csp = r.headers.get('content-security-policy') || '';
    assert.match(csp, /default-src 'self'/);
    assert.match(csp, /connect-src 'self'/);
    assert.doesNotMatch(csp, /unsafe-eval/);
    // The guard itself: from a blank page (no policy of ours), a request to a
    // documentation address (RFC 5737) is blocked and counted.
    const page = await newPage();
    const n = blocked.length;
    await page.evaluate(() => fetch('http://192.0.2.1/canary').catch(() => null));
    assert.deepEqual(blocked.splice(n), ['http://192.0.2.1/canary']);
    await page.close();
  });
});

describe('analyst', () => {
  let page;
  before(async () => { page = await login('ana'); });

  test('threat picture: map drawn, trend chart, numbers as the API', async () => {
    await open(page, 'threat');
    assert.ok(await drawn(page, 'threat', 'threat-fill') > 0, 'area polygons drawn');
    assert.ok(await page.$('#threat-chart svg path'), 'trend chart drawn');
    const month = await page.inputValue('#threat-month');
    const doc = (await api(`/api/threat/index?month=${month}&format=json`, 'ana')).body;
    const shown = await cells(page, 'threat-table', 'area', 'ewma');
    assert.equal(Object.keys(shown).length, doc.rows.length);
    for (const r of doc.rows) assert.equal(shown[r.area_id], r.ewma, r.area_id);
    await shot(page, 'threat');
  });

  test('hotspots: a scan run as a job from the page, clusters on the map as the job result', async () => {
    await open(page, 'hotspots');
    await page.fill('#hs-reps', '99');
    await page.click('#hs-run');
    await page.waitForSelector('[data-testid=hotspots-table] tbody tr', { timeout: 300000 });
    await page.waitForFunction(() => !document.querySelector('#hs-run').disabled);
    const jobs = (await api('/api/jobs?operation=threat_hotspots&state=done&limit=1', 'ana')).body.jobs;
    const result = (await api(jobs[0].result, 'ana')).body;
    const shown = await cells(page, 'hotspots-table', 'rank', 'llr');
    assert.equal(Object.keys(shown).length, result.features.length);
    for (const f of result.features) assert.equal(shown[f.properties.rank], f.properties.llr);
    assert.ok(await drawn(page, 'hotspots', 'clusters-fill') > 0, 'clusters drawn');
    assert.ok(await drawn(page, 'hotspots', 'areas-fill') > 0, 'areas drawn');
    assert.ok(await page.$('#hotspots-chart svg path'), 'timeline drawn');
    await shot(page, 'hotspots');
  });

  test('alerts: levels, responders and unreached areas as the API', async () => {
    await open(page, 'alerts');
    const month = await page.inputValue('#alerts-month');
    const doc = (await api(`/api/alerts?month=${month}&level=province&response_hours=6&format=json`, 'ana')).body;
    for (const k of ['green', 'amber', 'red', 'response_gaps']) {
      assert.equal(Number(await page.getAttribute(`[data-testid=kpi-${k}]`, 'data-value')), doc.counts[k], k);
    }
    const p25 = await cells(page, 'alerts-table', 'area', 'p_ge_25');
    for (const a of doc.alerts) assert.equal(p25[a.area_id], a.p_ge_25, a.area_id);
    const reach = await cells(page, 'alerts-table', 'area', 'responders_in_reach');
    for (const a of doc.alerts) assert.equal(reach[a.area_id], a.responders_in_reach, a.area_id);
    assert.ok(await drawn(page, 'alerts', 'alerts-fill') > 0, 'areas drawn');
    assert.ok(await drawn(page, 'alerts', 'sites-circle') > 0, 'active sites drawn');
    assert.ok(await page.$('#alerts-chart svg path'), 'chart drawn');
    // A short response time leaves areas out of reach: the table lists exactly the API's.
    await page.fill('#alerts-hours', '0.5');
    await page.dispatchEvent('#alerts-hours', 'change');
    await page.waitForFunction(() => document.querySelector('[data-testid=kpi-response_gaps]') &&
      document.querySelector('[data-testid=kpi-response_gaps]').dataset.value !== undefined);
    await page.waitForTimeout(1500);
    const short = (await api(`/api/alerts?month=${month}&level=province&response_hours=0.5&format=json`, 'ana')).body;
    const gaps = await page.$$eval('[data-testid=gaps-table] tbody tr', (rows) => rows.map((r) => r.dataset.area));
    assert.deepEqual(gaps.sort(), short.alerts.filter((a) => a.response_gap).map((a) => a.area_id).sort());
    assert.ok(gaps.length > 0, 'some areas are out of reach in half an hour');
    await shot(page, 'alerts');
  });

  test('readiness by province and stakeholder, small multiples, disagreements', async () => {
    await open(page, 'readiness');
    const doc = (await api('/api/benchmarks/assessment?format=json', 'ana')).body;
    for (const a of doc.areas) {
      for (const s of a.stakeholders) {
        const cell = await page.$(`[data-testid=readiness-table] tr[data-area="${a.id}"] td[data-stakeholder="${s.id}"]`);
        assert.equal(await cell.getAttribute('data-readiness'), s.readiness, `${a.id} ${s.id}`);
        assert.equal(Number(await cell.getAttribute('data-core-met')), s.core_met);
      }
    }
    assert.ok(await drawn(page, 'readiness', 'readiness-fill') > 0, 'map drawn');
    // One geoshape per area and stakeholder: with d3's orientation each is a small path, not the whole globe.
    const paths = await page.$$eval('#readiness-multiples svg path[aria-roledescription="geoshape"]', (ps) =>
      ps.map((p) => p.getBBox()).map((b) => b.width * b.height));
    assert.equal(paths.length, doc.areas.length * doc.areas[0].stakeholders.length);
    assert.ok(Math.max(...paths) < 200 * 170, 'no shape fills its whole panel (rings rewound for d3)');
    const dis = (await api('/api/benchmarks/disagreements?format=json', 'ana')).body;
    const rows = await page.$$('[data-testid=disagreements-table] tbody tr');
    assert.equal(rows.length, dis.disagreements.length);
    await shot(page, 'readiness');
  });

  test('transition plan: a plan file uploaded and run as a job, phases, exits and costs as the API', async () => {
    await open(page, 'plan');
    const inputs = join(server.dir, 'demo', 'inputs');
    await page.setInputFiles('#plan-file', join(inputs, 'plan_end_state.yaml'));
    await page.waitForFunction(() => document.querySelector('#plan-text').value.includes('plan_end_state'));
    assert.equal(await page.inputValue('#plan-name'), 'plan_end_state.yaml');
    await page.setInputFiles('#plan-localities', join(inputs, 'localities.csv'));
    await page.fill('#plan-samples', '50');
    await page.selectOption('#plan-solver', 'heuristic');
    await page.click('#plan-run');
    await page.waitForFunction(() => document.querySelector('#plan-job').textContent.startsWith('Plan job'), null,
      { timeout: 300000 });
    await page.waitForSelector('[data-testid=plan-costs] tbody tr');
    const jobs = (await api('/api/jobs?operation=plan_run&state=done&limit=1', 'ana')).body.jobs;
    assert.equal(jobs[0].params.solver, 'heuristic');
    const doc = (await api(jobs[0].result, 'ana')).body;
    assert.equal(doc.plan.file, 'plan_end_state.yaml');
    for (const field of ['troops', 'troop_ceiling', 'sites_open', 'share', 'gap']) {
      const shown = await cells(page, 'plan-phases', 'phase', field);
      assert.equal(Object.keys(shown).length, doc.phases.length);
      for (const ph of doc.phases) assert.equal(shown[ph.phase], ph[field], `phase ${ph.phase} ${field}`);
    }
    const exits = await page.$$eval('[data-testid=plan-provinces] tbody tr', (rows) => Object.fromEntries(rows.map((r) =>
      [r.dataset.area, r.querySelector('[data-testid=exit_month]').textContent])));
    for (const x of doc.provinces) assert.equal(exits[x.area_id], x.exit_month || '–', x.area_id);
    assert.ok(doc.provinces.some((x) => x.exit_month), 'some province exits within the plan');
    const totals = await cells(page, 'plan-costs', 'year', 'total');
    for (const c of doc.costs) assert.equal(totals[c.budget_year], c.total, c.budget_year);
    assert.ok(await drawn(page, 'plan', 'plan-provinces-fill') > 0, 'provinces drawn');
    assert.ok(await drawn(page, 'plan', 'plan-sites-circle') > 0, 'bases drawn');
    assert.ok(await page.$('#plan-troops svg path'), 'troops chart drawn');

    // The plan file checked: the findings as the API's.
    await labelled(page);
    await page.click('#plan-check');
    await page.waitForSelector('#plan-check-head');
    const plan = await page.inputValue('#plan-text');
    const localities = readFileSync(join(inputs, 'localities.csv'), 'utf8');
    const check = (await post('/api/plan/validate', 'ana', { plan, file_name: 'plan_end_state.yaml', localities })).body;
    assert.equal(check.kind, 'plan_validate');
    for (const [k, v] of [['phases', check.phases.length], ['provinces', check.provinces.length], ['bases', check.bases],
      ['candidates', check.candidates], ['police', check.police_posts], ['demand', check.demand_points]]) {
      assert.equal(Number(await page.getAttribute(`[data-testid=kpi-check-${k}]`, 'data-value')), v, k);
    }
    const ceilings = await cells(page, 'plan-check-phases', 'phase', 'troop_ceiling');
    for (const ph of check.phases) assert.equal(ceilings[ph.phase], ph.troop_ceiling, `phase ${ph.phase}`);

    // Compared with the end-date plan: exits, coverage and gap per phase, troop-months and cost as the job.
    await page.setInputFiles('#plan-b-file', join(inputs, 'plan_end_date.yaml'));
    await runFromPage(page, '#plan-compare-run', '#plan-compare-job', 'Comparison job', 'plan-compare-totals');
    const { job: cjob, doc: cmp } = await latest('plan_compare');
    assert.deepEqual([cmp.a.file, cmp.b.file, cjob.params.solver], ['plan_end_state.yaml', 'plan_end_date.yaml', 'heuristic']);
    for (const field of ['troop_months', 'cost', 'exits', 'gap']) {
      const shown = await cells(page, 'plan-compare-totals', 'plan', field);
      assert.deepEqual([shown.a, shown.b], cmp.totals.map((t) => t[field]), field);
    }
    for (const field of ['a_share', 'b_share', 'a_gap', 'b_gap']) {
      const shown = await cells(page, 'plan-compare-phases', 'month', field);
      for (const ph of cmp.phases) assert.equal(shown[ph.month], ph[field], `${ph.month} ${field}`);
    }
    const bexits = await page.$$eval('[data-testid=plan-compare-provinces] tbody tr', (rows) => Object.fromEntries(rows.map((r) =>
      [r.dataset.area, r.querySelector('[data-testid=b_exit]').textContent])));
    for (const x of cmp.provinces) assert.ok(bexits[x.area_id].startsWith(x.b_exit || '–'), x.area_id);
    assert.ok(cmp.provinces.some((x) => x.a_exit !== x.b_exit), 'the plans exit differently');
    assert.equal((await page.$$('#plan-compare-chart svg .mark-rect path')).length, 4 * cmp.phases.length,
      'a bar per phase, plan and measure');
    await fits(page, 'plan');
    await shot(page, 'plan');

    // A plan with a mistake: the problem names the field.
    await page.fill('#plan-text', plan.replace('kind: end-state', 'kind: sometimes'));
    await page.click('#plan-check');
    await page.waitForSelector('#plan-check-error');
    assert.match(await page.textContent('#plan-check-error'), /bad policy 'sometimes'.*\(in plan_end_state\.yaml, line 14, field plan\.policy\.kind\)/);
  });

  test('mandate tasks: a register and a plan scheduled as a job, risks and shortfall as the API', async () => {
    await open(page, 'tasks');
    const inputs = join(server.dir, 'demo', 'inputs');
    await page.setInputFiles('#tasks-register', join(inputs, 'tasks.yaml'));
    await page.setInputFiles('#tasks-plan', join(inputs, 'plan_end_date.yaml'));
    await page.setInputFiles('#tasks-localities', join(inputs, 'localities.csv'));
    await page.fill('#tasks-samples', '20');
    await page.click('#tasks-run');
    await page.waitForFunction(() => document.querySelector('#tasks-job').textContent.startsWith('Schedule job'), null,
      { timeout: 300000 });
    await page.waitForSelector('[data-testid=tasks-shortfall] tbody tr');
    const jobs = (await api('/api/jobs?operation=tasks_schedule&state=done&limit=1', 'ana')).body.jobs;
    const doc = (await api(jobs[0].result, 'ana')).body;
    assert.equal(doc.register.file, 'tasks.yaml');
    assert.equal(doc.exits_source, 'plan:plan_end_date');
    for (const field of ['mission_shortfall', 'partner_gap', 'shortfall']) {
      const shown = await cells(page, 'tasks-shortfall', 'year', field);
      for (const s of doc.shortfall) assert.equal(shown[s.budget_year], s[field], `${s.budget_year} ${field}`);
    }
    const risks = await page.$$eval('[data-testid=tasks-risks] tbody tr', (rows) => rows.map((r) =>
      `${r.dataset.task}@${r.dataset.place}:${r.querySelector('[data-testid=risk]').textContent}`));
    assert.deepEqual(risks, doc.risks.map((x) => `${x.task}@${x.place}:${x.risk}`));
    assert.ok(await drawn(page, 'tasks', 'tasks-territories-fill') > 0, 'territories drawn');
    assert.ok(await page.$('#tasks-timeline svg path'), 'periods chart drawn');

    // Continuity of protection from the same files: the statuses after the chosen phase as the job.
    await labelled(page);
    await runFromPage(page, '#tc-run', '#tc-job', 'Continuity job', 'continuity-table');
    const cont = (await latest('tasks_continuity')).doc;
    assert.equal(cont.exits_source, 'plan:plan_end_date');
    const last = cont.phases.length - 1;
    assert.equal(await page.inputValue('#tc-phase'), cont.phases[last].label);
    for (const k of ['none', 'mission_only', 'covered']) {
      assert.equal(Number(await page.getAttribute(`[data-testid=kpi-tc-${k}]`, 'data-value')),
        cont.continuity.filter((c) => c.statuses[last] === k).length, k);
    }
    assert.ok(cont.continuity.some((c) => c.statuses[last] === 'none'), 'some territory is left without protection');
    assert.equal((await page.$$('[data-testid=continuity-table] tbody tr')).length, cont.continuity.length);
    assert.ok(await drawn(page, 'continuity', 'tc-territories-fill') > 0, 'territories drawn');
    await page.selectOption('#tc-phase', cont.phases[0].label);
    assert.equal(Number(await page.getAttribute('[data-testid=kpi-tc-none]', 'data-value')),
      cont.continuity.filter((c) => c.statuses[0] === 'none').length, 'none after the first phase');

    // The register checked: the findings as the API's.
    await page.click('#tasks-check');
    await page.waitForSelector('#tasks-check-head');
    const reg = (await post('/api/tasks/validate', 'ana', { register: readFileSync(join(inputs, 'tasks.yaml'), 'utf8'),
      file_name: 'tasks.yaml' })).body;
    assert.equal(Number(await page.getAttribute('[data-testid=kpi-check-task-places]', 'data-value')), reg.task_places);
    assert.equal(Number(await page.getAttribute('[data-testid=kpi-check-tasks]', 'data-value')), reg.tasks.length);
    assert.equal((await page.$$('[data-testid=tasks-check-partners] tbody tr')).length, reg.partners.length);
    await fits(page, 'tasks');
    await shot(page, 'tasks');
  });

  test('policy comparison: two plans simulated as a job, policies, differences and fan charts as the API', async () => {
    await open(page, 'compare');
    const inputs = join(server.dir, 'demo', 'inputs');
    await page.setInputFiles('#compare-files', [join(inputs, 'plan_end_state.yaml'), join(inputs, 'plan_end_date.yaml')]);
    await page.fill('#compare-paths', '40');
    await page.fill('#compare-horizon', '24');
    await page.click('#compare-run');
    await page.waitForFunction(() => document.querySelector('#compare-job').textContent.startsWith('Comparison job'), null,
      { timeout: 300000 });
    const jobs = (await api('/api/jobs?operation=simulate_run&state=done&limit=1', 'ana')).body.jobs;
    const doc = (await api(jobs[0].result, 'ana')).body;
    assert.deepEqual(doc.policies.map((p) => p.file), ['plan_end_state.yaml', 'plan_end_date.yaml']);
    assert.equal(doc.paths, 40);
    for (const field of ['fatalities', 'civilian_deaths', 'troop_months', 'cost']) {
      const shown = await cells(page, 'compare-policies', 'policy', field);
      assert.equal(Object.keys(shown).length, doc.policies.length);
      for (const p of doc.policies) assert.equal(shown[p.name], p[field].median, `${p.name} ${field}`);
    }
    const diff = await cells(page, 'compare-differences', 'policy', 'fatalities');
    for (const d of doc.differences) assert.equal(diff[d.policy], d.fatalities.median, d.policy);
    const rows = await page.$$('[data-testid=compare-exits] tbody tr');
    assert.equal(rows.length, doc.provinces.length);
    const bands = await page.$$('#compare-fan svg path');
    assert.ok(bands.length >= 3 * doc.policies.length, 'fan bands and medians drawn');

    // The calibration of the sample paths, small: coverage and CRPS per month ahead as the job.
    await labelled(page);
    await page.fill('#sb-step', '12');
    await page.fill('#sb-horizon', '6');
    await page.fill('#sb-paths', '50');
    await runFromPage(page, '#sb-run', '#sb-job', 'Calibration job', 'sb-table');
    const sb = (await latest('simulate_backtest')).doc;
    assert.deepEqual([sb.horizon, sb.paths], [6, 50]);
    for (const field of ['cover_50', 'cover_80', 'cover_90', 'crps', 'n']) {
      const shown = await cells(page, 'sb-table', 'h', field);
      assert.equal(Object.keys(shown).length, sb.rows.length);
      for (const r of sb.rows) assert.equal(shown[String(r.h)], r[field], `${r.h} ${field}`);
    }
    assert.equal((await page.$$('#sb-chart svg .mark-symbol path')).length, 3 * sb.rows.length, 'a point per interval and row');
    await fits(page, 'compare');
    await shot(page, 'compare');
  });

  test('forecast: run as a job from the page, a month on the map, the fan chart, numbers as the job', async () => {
    await open(page, 'forecast');
    await labelled(page);
    await page.fill('#fc-horizon', '6');
    await page.fill('#fc-samples', '200');
    await runFromPage(page, '#fc-run', '#fc-job', 'Forecast job', 'forecast-table');
    const { doc } = await latest('forecast_run');
    assert.deepEqual([doc.target, doc.horizon, doc.samples], ['vac-fatalities', 6, 200]);
    const months = [...new Set(doc.forecasts.map((f) => f.month))];
    assert.equal(await page.inputValue('#fc-month'), doc.first_month);
    for (const month of [months[0], months[months.length - 1]]) {
      await page.selectOption('#fc-month', month);
      const rows = doc.forecasts.filter((f) => f.month === month);
      for (const field of ['mean', 'p_ge_1', 'p_ge_25']) {
        const shown = await cells(page, 'forecast-table', 'area', field);
        assert.equal(Object.keys(shown).length, rows.length);
        for (const f of rows) assert.equal(shown[f.area_id], f[field], `${month} ${f.area_id} ${field}`);
      }
    }
    await page.selectOption('#fc-measure', 'p_ge_1');
    assert.ok(await drawn(page, 'forecast', 'forecast-fill') > 0, 'areas drawn');
    // The fan chart: the area with the highest expected value in the first month, both bands and the median.
    const top = doc.forecasts.filter((f) => f.month === doc.first_month).sort((a, b) => b.mean - a.mean)[0];
    assert.equal(await page.inputValue('#fc-area'), top.area_id);
    assert.ok((await page.$$('#forecast-fan svg .mark-area path')).length >= 2, 'both intervals drawn');
    assert.ok((await page.$$('#forecast-fan svg .mark-line path')).length >= 2, 'median and observed lines drawn');
    await fits(page, 'forecast');
    await shot(page, 'forecast');
  });

  test('forecast skill: a backtest run as a job from the page, ranking, per year, PIT and reliability as the job', async () => {
    await open(page, 'backtest');
    await labelled(page);
    await page.fill('#bt-from', '2024-01');
    await page.fill('#bt-horizon', '3');
    await page.fill('#bt-samples', '100');
    await page.uncheck('#bt-model-conflictology');
    await runFromPage(page, '#bt-run', '#bt-job', 'Backtest job', 'backtest-ranking');
    const { job, doc } = await latest('forecast_backtest');
    assert.equal(doc.from, '2024-01');
    assert.ok(!job.params.models.includes('conflictology'));
    const order = await page.$$eval('[data-testid=backtest-ranking] tbody tr', (rows) => rows.map((r) => r.dataset.model));
    assert.deepEqual(order, doc.overall.map((o) => o.model));
    for (const field of ['crps', 'ign', 'cover_90', 'observed_ge_25']) {
      const shown = await cells(page, 'backtest-ranking', 'model', field);
      for (const o of doc.overall) assert.equal(shown[o.model], o[field], `${o.model} ${field}`);
    }
    const years = new Set(doc.by_year.map((r) => r.year)).size;
    assert.equal((await page.$$('#backtest-years svg .mark-symbol.role-mark path')).length, doc.overall.length * years, 'a point per model and year');
    assert.equal((await page.$$('#backtest-pit svg .mark-rect path')).length, 10 * doc.calibration.length, 'ten PIT bars per model');
    assert.ok((await page.$$('#backtest-reliability svg .mark-line path')).length >= 2, 'reliability lines and the diagonal');
    await page.selectOption('#bt-score', 'cover_90');
    await page.selectOption('#bt-at-least', '25');
    assert.ok(await page.$('#backtest-reliability svg .mark-line path'), 'reliability of P(>=25) drawn');
    await fits(page, 'backtest');
    await shot(page, 'backtest');
  });

  test('benchmark outlook: an area\'s readiness over time and the projections run from the page, as the API', async () => {
    await open(page, 'outlook');
    await labelled(page);
    const area = await page.inputValue('#ol-area');
    const from = await page.inputValue('#ol-from');
    const hist = (await api(`/api/benchmarks/history?area=${area}&from=${from}&format=json`, 'ana')).body;
    const lastMonth = hist.months[hist.months.length - 1].month;
    const met = await cells(page, 'outlook-status', 'stakeholder', 'core_met');
    const last = hist.months.filter((m) => m.month === lastMonth);
    assert.equal(Object.keys(met).length, last.length);
    for (const m of last) assert.equal(met[m.stakeholder], m.core_met, m.stakeholder);
    assert.equal((await page.$$('#outlook-history svg .mark-rect path')).length, hist.months.length, 'a cell per month and stakeholder');
    await page.fill('#ol-horizon', '24');
    await page.fill('#ol-samples', '100');
    await runFromPage(page, '#ol-run', '#ol-job', 'Projection job', 'outlook-table');
    const { doc } = await latest('benchmarks_project');
    assert.deepEqual([doc.horizon_months, doc.samples], [24, 100]);
    const stakeholder = await page.inputValue('#ol-stakeholder');
    const mine = doc.projections.filter((x) => x.stakeholder === stakeholder);
    const medians = await page.$$eval('[data-testid=outlook-table] tbody tr', (rows) => Object.fromEntries(rows.map((r) =>
      [`${r.dataset.area}/${r.dataset.benchmark}`, r.querySelector('[data-testid=median]').textContent])));
    assert.equal(Object.keys(medians).length, mine.length);
    for (const x of mine) assert.equal(medians[`${x.area_id}/${x.benchmark}`], x.median || '–', `${x.area_id} ${x.benchmark}`);
    assert.ok(mine.some((x) => x.median), 'some benchmark is expected met within the horizon');
    assert.equal((await page.$$('#outlook-projections svg .mark-symbol path')).length, mine.length, 'a median point per benchmark');
    const share = await cells(page, 'outlook-table', 'benchmark', 'share_within_horizon');
    await page.selectOption('#ol-province', mine[0].area_id);
    const one = mine.filter((x) => x.area_id === mine[0].area_id);
    assert.equal((await page.$$('[data-testid=outlook-table] tbody tr')).length, one.length);
    assert.ok(Object.keys(share).length > 0);
    await page.selectOption('#ol-province', '');

    // Ready by a month: the probabilities per province and stakeholder as the job.
    await page.fill('#rb-month', '2026-06');
    await page.fill('#rb-paths', '50');
    await runFromPage(page, '#rb-run', '#rb-job', 'Ready-by job', 'ready-by-table');
    const rb = (await latest('benchmarks_ready_by')).doc;
    assert.deepEqual([rb.month, rb.paths], ['2026-06', 50]);
    for (const s of new Set(rb.rows.map((x) => x.stakeholder))) {
      const shown = await cells(page, 'ready-by-table', 'area', `p_${s}`);
      for (const x of rb.rows.filter((y) => y.stakeholder === s)) assert.equal(shown[x.province_id], x.p_ready_by, `${x.province_id} ${s}`);
    }
    assert.ok(rb.rows.some((x) => x.p_ready_by > 0 && x.p_ready_by < 1), 'some probability is neither 0 nor 1');
    assert.equal((await page.$$('#ready-by-chart svg .mark-rect.role-mark path')).length, rb.rows.length, 'a cell per province and stakeholder');
    await fits(page, 'outlook');
    await shot(page, 'outlook');
  });

  test('footprint: optimised and gaps computed as jobs from the page, sites and coverage as the jobs', async () => {
    await open(page, 'footprint');
    await labelled(page);
    await page.selectOption('#fp-demand-level', 'territory');
    await page.fill('#fp-air-km', '0');
    await page.fill('#fp-max-sites', '5');
    await runFromPage(page, '#fp-run', '#fp-job', 'Footprint job', 'footprint-coverage');
    const { job, doc } = await latest('footprint_optimize');
    assert.deepEqual([job.params.demand_level, job.params.air_max_km, job.params.max_sites], ['territory', 0, 5]);
    assert.equal(doc.model.demand_points, 40);
    for (const [k, v] of [['share', doc.recommended.share], ['share-today', doc.today.share], ['sites', doc.recommended.sites],
      ['sites-today', doc.today.sites], ['troops', doc.recommended.troops], ['troops-today', doc.today.troops]]) {
      assert.equal(Number(await page.getAttribute(`[data-testid=kpi-${k}]`, 'data-value')), v, k);
    }
    assert.ok(doc.recommended.share < doc.today.share, 'five sites without helicopters cover less than today');
    const share = await cells(page, 'footprint-coverage', 'area', 'share');
    assert.equal(Object.keys(share).length, doc.coverage.length);
    for (const c of doc.coverage) assert.equal(share[c.area_id], c.share, c.area_id);
    const troops = await cells(page, 'footprint-sites', 'site', 'troops');
    for (const x of doc.sites.filter((y) => y.open)) assert.equal(troops[x.id], x.troops, x.name);
    assert.equal(await drawn(page, 'footprint', 'fp-open-circle'), doc.recommended.sites, 'a circle per open site');
    assert.ok(await drawn(page, 'footprint', 'fp-areas-fill') > 0, 'provinces drawn');

    await runFromPage(page, '#fp-gaps-run', '#fp-gaps-job', 'Gaps job', 'gaps-table');
    const gaps = (await latest('footprint_gaps')).doc;
    const lost = await cells(page, 'gaps-table', 'site', 'share_lost');
    assert.equal(Object.keys(lost).length, gaps.sites.length);
    for (const x of gaps.sites) assert.equal(lost[x.id], x.share_lost, x.name);
    assert.ok(gaps.sites.some((x) => x.share_lost > 0), 'some site leaves a gap without helicopters');
    assert.ok(await drawn(page, 'gaps', 'gaps-circle') > 0, 'sites drawn');
    assert.equal((await page.$$('#gaps-chart svg .mark-rect path')).length, Math.min(20, gaps.sites.filter((x) => x.share_lost > 0).length),
      'a bar per site that leaves a gap');
    assert.equal(await page.$('[data-testid=kpi-close-share]'), null, 'no closure asked for');
    // Two sites closed together: what they lose, the points left and their mitigation.
    const two = gaps.sites.filter((x) => x.share_lost > 0).slice(0, 2);
    await page.selectOption('#fp-close', two.map((x) => x.id));
    await runFromPage(page, '#fp-gaps-run', '#fp-gaps-job', 'Gaps job', 'closure-table');
    const closure = (await latest('footprint_gaps')).doc;
    assert.deepEqual([...closure.closure.closed].sort(), two.map((x) => x.id).sort());
    assert.equal(Number(await page.getAttribute('[data-testid=kpi-close-share]', 'data-value')), closure.closure.share_lost);
    assert.ok(closure.closure.share_lost >= two[0].share_lost + two[1].share_lost - 1e-12, 'at least the two gaps');
    const weights = await cells(page, 'closure-table', 'point', 'weight');
    assert.equal(Object.keys(weights).length, closure.coverage.length);
    for (const x of closure.coverage) assert.equal(weights[x.id], x.weight, x.name);
    assert.ok(await drawn(page, 'gaps', 'gap-points-circle') > 0, 'the points left drawn');
    await fits(page, 'footprint');
    await shot(page, 'footprint');
  });

  test('notices and report: notices for a closure as a job, the printable HTML, the consultation log and the Council report', async () => {
    await open(page, 'notices');
    await labelled(page);
    const inputs = join(server.dir, 'demo', 'inputs');
    // The consultation log as the API's.
    const log = (await api('/api/consultations?format=json', 'ana')).body;
    assert.equal(log.consultations.length, 2);
    const shownLog = await page.$$eval('[data-testid=consultations-table] tbody tr', (rows) => rows.map((r) => r.querySelector('th').textContent));
    assert.deepEqual(shownLog, log.consultations.map((c) => c.locality));

    await page.setInputFiles('#nt-localities', join(inputs, 'localities.csv'));
    await page.selectOption('#nt-close', 'Fomi');
    await runFromPage(page, '#nt-run', '#nt-job', 'Notices job', 'notices-summary');
    const { job, doc } = await latest('notices');
    assert.deepEqual(job.params.close, ['Fomi']);
    assert.equal(Number(await page.getAttribute('[data-testid=kpi-nt-notices]', 'data-value')), doc.notices.length);
    assert.equal(Number(await page.getAttribute('[data-testid=kpi-nt-localities]', 'data-value')),
      new Set(doc.notices.map((n) => n.locality)).size);
    const perArea = await cells(page, 'notices-summary', 'area', 'notices');
    const counted = {};
    for (const n of doc.notices) counted[n.area] = (counted[n.area] || 0) + 1;
    assert.deepEqual(perArea, counted);
    const area = await page.inputValue('#nt-area');
    const hours = await page.$$eval('[data-testid=notices-table] tbody tr', (rows) => rows.map((r) =>
      [`${r.dataset.locality}/${r.dataset.language}`, Number(r.querySelector('[data-testid=security_hours]').dataset.value)]));
    const mine = doc.notices.filter((n) => n.area === area).slice(0, 100);
    assert.deepEqual(hours, mine.map((n) => [`${n.locality}/${n.language}`, n.security_hours]));

    // The printable notices: the job's HTML in the frame, as a download.
    await page.click('#nt-html-run');
    await page.waitForFunction(() => !document.querySelector('#nt-html-run').disabled, null, { timeout: 300000 });
    const html = await latest('notices');
    assert.equal(html.job.params.format, 'html');
    await showsHtml(page, 'notices-frame', html.doc);
    assert.ok(html.doc.includes(doc.notices[0].locality));

    // The Council report, small.
    await page.fill('#cr-reps', '9');
    await page.fill('#cr-samples', '20');
    await page.click('#cr-run');
    await page.waitForFunction(() => !document.querySelector('#cr-run').disabled, null, { timeout: 300000 });
    assert.match(await page.textContent('#cr-job'), /^Report job/);
    const report = await latest('report_council');
    assert.equal(report.job.params.replications, 9);
    await showsHtml(page, 'council-frame', report.doc);
    await fits(page, 'notices');
    await shot(page, 'notices');
  });

  test('audit log: the entries with their users and the chain check, as the API', async () => {
    await open(page, 'audit');
    await labelled(page);
    const log = (await api('/api/audit/log?format=json', 'ana')).body;
    const check = (await api('/api/audit/verify', 'ana')).body;
    assert.equal(Number(await page.getAttribute('[data-testid=kpi-entries]', 'data-value')), check.entries);
    assert.equal(await page.textContent('[data-testid=kpi-intact] .v'), 'intact');
    assert.equal((await page.$$('[data-testid=audit-table] tbody tr')).length, log.entries.length);
    await page.selectOption('#audit-kind', 'user_add');
    const by = await page.$$eval('[data-testid=audit-table] tbody tr', (rows) => rows.map((r) =>
      `${r.dataset.seq}:${r.querySelector('[data-testid=by]').textContent}`));
    assert.deepEqual(by, log.entries.filter((e) => e.kind === 'user_add').reverse().map((e) => `${e.seq}:${e.payload.user}`));
    assert.equal(by.length, Object.keys(USERS).length);
    await page.selectOption('#audit-kind', '');
    await shot(page, 'audit');
  });

  test('keyboard: skip link, then the pages from the navigation', async () => {
    await page.goto(`${base}/#/threat`);
    await page.waitForFunction(() => document.body.dataset.page === 'threat', null, { timeout: 120000 });
    // The skip link comes first in the tab order and moves the focus to the page content.
    const first = await page.evaluate(() => [...document.querySelectorAll('a[href], button, input, select, [tabindex]')]
      .find((e) => e.tabIndex >= 0 && !e.disabled).className);
    assert.equal(first, 'skip');
    await page.focus('a.skip');
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement.textContent), 'Threat picture');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement.textContent), 'Alerts');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.body.dataset.page === 'alerts', null, { timeout: 60000 });
    // The skip link moves the focus to the content and stays on the page (the routes are hashes too).
    await page.focus('a.skip');
    await page.keyboard.press('Enter');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'main');
    assert.equal(await page.evaluate(() => window.location.hash), '#/alerts');
    assert.equal(await page.evaluate(() => document.body.dataset.page), 'alerts');
    const labelled = await page.$$eval('input, select', (els) => els.every((e) => e.labels && e.labels.length > 0));
    assert.ok(labelled, 'every control has a label');
  });

  test('pages stack on a tablet (768 x 1024) without scrolling sideways', async () => {
    await page.setViewportSize({ width: 768, height: 1024 });
    for (const id of ['threat', 'alerts', 'readiness', 'forecast', 'backtest', 'outlook', 'footprint', 'notices', 'audit']) {
      await open(page, id);
      await fits(page, id);
      await shot(page, `tablet-${id}`);
    }
    await page.setViewportSize({ width: 1366, height: 768 });
  });

});

describe('signatory', () => {
  test('signs for its own stakeholder only', async () => {
    const page = await login('sig_un');
    const nav = await page.$$eval('nav a', (as) => as.map((a) => a.textContent));
    assert.deepEqual(nav, ['Readiness', 'Benchmark outlook', 'Sign-off', 'Published maps']);
    // The outlook: the readiness over time, without the projections (they run as jobs, which a signatory may not).
    // Opened while the page before (readiness) is still waiting for its data: that page's drawing must not land on this one.
    await page.route('**/api/benchmarks/assessment*', async (route) => {
      await new Promise((r) => setTimeout(r, 800));
      await route.continue();
    });
    await page.evaluate(() => { window.location.hash = '#/readiness'; });
    await open(page, 'outlook');
    await page.waitForLoadState('networkidle');
    await page.waitForTimeout(300);
    await page.unroute('**/api/benchmarks/assessment*');
    assert.deepEqual(await page.$$eval('#main h1', (hs) => hs.map((x) => x.textContent)), ['Benchmark outlook']);
    assert.equal((await page.$$('[data-testid=outlook-status] tbody tr')).length, 4);
    assert.ok(await page.$('#outlook-history svg .mark-rect path'), 'readiness over time drawn');
    assert.equal(await page.$('#ol-run'), null);
    assert.equal(await page.$('[data-testid=outlook-table]'), null);
    await shot(page, 'signatory-outlook');
    await open(page, 'signoff');
    await page.click('[data-testid=sign-1]');
    await page.waitForFunction(() => [...document.querySelectorAll('[data-testid=signed-by]')].some((c) => c.textContent.includes('un (sig_un')));
    const versions = (await api('/api/benchmarks/versions', 'sig_un')).body.versions;
    assert.ok(versions[0].signoffs.some((s) => s.stakeholder === 'un' && s.by === 'sig_un'));
    const status = await page.evaluate(async () => (await fetch('/api/benchmarks/signoffs', {
      method: 'POST',
      headers: { Authorization: `Bearer ${sessionStorage.getItem('endstate.token')}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ stakeholder: 'government' }),
    })).status);
    assert.equal(status, 403);
    assert.equal(await page.$('[data-testid=sign-1]'), null);
    await shot(page, 'signoff');
    const threat = await page.evaluate(async () => (await fetch('/api/threat/index', {
      headers: { Authorization: `Bearer ${sessionStorage.getItem('endstate.token')}` } })).status);
    assert.equal(threat, 403);
  });
});

describe('planner', () => {
  // No browser login (each costs the bundle's parse, ~15 s on a loaded machine): the navigation is the pages whose
  // capability /api/me lists, so the capabilities and the routes decide what a planner sees.
  test('may generate notices and read the consultation log (the notices page is shown)', async () => {
    const me = (await api('/api/me', 'pat')).body;
    assert.ok(me.capabilities.includes('run') && me.capabilities.includes('read'), me.capabilities.join());
    assert.equal((await api('/api/consultations?format=json', 'pat')).body.consultations.length, 2);
    const r = await post('/api/notices', 'pat', { localities: 'id,name,latitude,longitude\nL1,Somewhere,-5.0,31.2\n', close: ['Fomi'] });
    assert.equal(r.status, 202);
  });

  test('publishes the Council report and printable notices for the public (audited)', async () => {
    const report = await latest('report_council');
    let r = await post(`/api/jobs/${report.job.id}/publish`, 'ana', {});
    assert.equal(r.status, 403, 'analysts run, planners publish');
    r = await post(`/api/jobs/${report.job.id}/publish`, 'pat', {});
    assert.equal(r.status, 201, JSON.stringify(r.body));
    r = await post('/api/notices', 'pat', { localities: readFileSync(join(server.dir, 'demo', 'inputs', 'localities.csv'), 'utf8'), close: ['Fomi'], format: 'html' });
    assert.equal(r.status, 202);
    let job = r.body;
    for (let i = 0; i < 600 && (job.state === 'queued' || job.state === 'running'); ++i) {
      await new Promise((res) => setTimeout(res, 100));
      job = (await api(`/api/jobs/${job.id}`, 'pat')).body;
    }
    assert.equal(job.state, 'done', JSON.stringify(job));
    r = await post(`/api/jobs/${job.id}/publish`, 'pat', {});
    assert.equal(r.status, 201, JSON.stringify(r.body));
    const log = (await api('/api/audit/log?format=json', 'pat')).body.entries.filter((e) => e.kind === 'publish');
    assert.equal(log.length, 2);
    for (const e of log) assert.equal(e.payload.user, 'pat');
  });
});

describe('public', () => {
  test('sees the published maps and nothing else', async () => {
    const page = await login('pub');
    const nav = await page.$$eval('nav a', (as) => as.map((a) => a.textContent));
    assert.deepEqual(nav, ['Published maps']);
    await open(page, 'published');
    assert.ok(await drawn(page, 'published-threat', 'threat-fill') > 0);
    assert.ok(await drawn(page, 'published-readiness', 'ready-fill') > 0);
    const threat = (await api('/api/published/threat', 'pub')).body;
    const shown = await cells(page, 'published-table', 'area', 'ewma');
    for (const f of threat.features) assert.equal(shown[f.properties.area_id], f.properties.ewma);
    // what a planner published: the Council report and the printable notices, as the public API serves them
    const report = (await api('/api/published/report', 'pub'));
    const notices = (await api('/api/published/notices', 'pub'));
    assert.equal(report.status, 200);
    assert.equal(notices.status, 200);
    await showsHtml(page, 'published-report', report.body);
    await showsHtml(page, 'published-notices', notices.body);
    await shot(page, 'published');
    // Asking for an analyst page shows the published maps instead; the API refuses the data.
    await page.evaluate(() => { window.location.hash = '#/alerts'; });
    await page.waitForTimeout(500);
    assert.equal(await page.$$eval('nav a[aria-current=page]', (as) => as.map((a) => a.textContent).join()), 'Published maps');
    for (const path of ['/api/threat/index', '/api/events', '/api/sites', '/api/status', '/api/alerts?month=2024-07',
      '/api/benchmarks/assessment', '/api/benchmarks/history?area=ilundu', '/api/consultations', '/api/audit/log', '/api/audit/verify', '/api/jobs',
      '/api/jobs?operation=forecast_run']) {
      const s = await page.evaluate(async (p) => (await fetch(p, {
        headers: { Authorization: `Bearer ${sessionStorage.getItem('endstate.token')}` } })).status, path);
      assert.equal(s, 403, path);
    }
  });
});

describe('administrator', () => {
  test('manages users', async () => {
    const page = await login('adm');
    assert.deepEqual(await page.$$eval('nav a', (as) => as.map((a) => a.textContent)), ['Published maps', 'Audit log', 'Users']);
    await open(page, 'audit');
    assert.equal(await page.textContent('[data-testid=kpi-intact] .v'), 'intact');
    await open(page, 'users');
    const names = await page.$$eval('[data-testid=users-table] tbody th', (ths) => ths.map((t) => t.textContent));
    assert.deepEqual(names.sort(), Object.keys(USERS).sort());
    await shot(page, 'users');
  });

  test('the login page', async () => {
    const page = await newPage();
    await page.goto(`${base}/`);
    await page.waitForSelector('#login-name');
    await page.fill('#login-name', 'ana');
    await page.fill('#login-password', 'not the password');
    await page.click('button[type=submit]');
    await page.waitForFunction(() => document.querySelector('#login-error').textContent.includes('wrong name or password'));
    await shot(page, 'login');
  });
});


describe('afterwards', () => {
  test('no request left the machine', () => {
    assert.deepEqual(blocked, [], `requests to other addresses: ${blocked.join(', ')}`);
  });
  test('no page threw', () => { assert.deepEqual(errors, []); });
  test('the server stops cleanly', async () => {
    await server.stop();
    assert.deepEqual(server.stopped, { code: 0, signal: null }, server.stderr);
  });
});
