// Notices and report: public notices for every locality a closure affects
// (POST /api/notices, a job: the table of `endstate notices --format json`,
// and its print-ready HTML pages), from a list of bases that close or from a
// transition plan's closures and exits; the consultation log (GET
// /api/consultations); and the briefing for the Security Council (POST
// /api/report/council, a job answering the self-contained HTML page). The
// HTML documents are shown in a sandboxed frame (no scripts; the page's
// policy allows blob: frames) and offered as a download.
import { api, latestJob, runJob } from '../api.js';
import { fmt, h, jobState, kpi, num, problemText, say, select, table } from '../ui.js';

const SHOWN = 100;  // notices listed at once (the HTML and the CSV have them all)

function readFile(input) {
  const f = input.files && input.files[0];
  return f ? f.text().then((t) => ({ name: f.name, text: t })) : Promise.resolve(null);
}

/** A sandboxed frame and download and open links for an HTML text; the previous URL is revoked. */
function htmlView(box, html, fileName, title, testid, publishJob) {
  if (box.dataset.url) URL.revokeObjectURL(box.dataset.url);
  const u = URL.createObjectURL(new Blob([html], { type: 'text/html' }));
  box.dataset.url = u;
  box.replaceChildren(
    h('p', {}, h('a', { href: u, download: fileName, 'data-testid': `${testid}-download` }, `Download ${fileName}`), ' · ',
      h('a', { href: u, target: '_blank', rel: 'noopener' }, 'Open in a new tab'),
      h('span', { class: 'muted', 'data-testid': `${testid}-bytes`, 'data-value': String(new Blob([html]).size) },
        ` (${fmt(new Blob([html]).size)} bytes)`)),
    h('iframe', { src: u, title, sandbox: 'allow-same-origin', 'data-testid': testid,
      style: 'width:100%;height:520px;border:1px solid var(--line);background:#fff' }));
  if (publishJob) {
    // planners publish the document for the public role (audited with their name)
    const done = h('span', { class: 'muted', 'data-testid': `${testid}-published` });
    const button = h('button', { type: 'button', 'data-testid': `${testid}-publish` }, 'Publish for the public');
    button.addEventListener('click', async () => {
      button.disabled = true;
      try {
        const rec = await api(`/api/jobs/${publishJob}/publish`, { method: 'POST', body: {} });
        done.textContent = ` Published (record ${rec.id}): the public sees it on Published maps.`;
      } catch (e) {
        done.textContent = ` ${problemText(e)}`;
        button.disabled = false;
      }
    });
    box.append(h('p', {}, button, done));
  }
}

export default {
  id: 'notices',
  title: 'Notices and report',
  needs: 'run',
  async render(main, ctx) {
    const canRead = ctx.me.capabilities.includes('read');
    const canPublish = ctx.me.capabilities.includes('plan');
    const month = ctx.status && ctx.status.last_event ? ctx.status.last_event.slice(0, 7) : '';
    const sites = canRead ? (await api('/api/sites', { query: { month, format: 'json' } })).sites.filter((s) => s.active) : [];
    const locFile = h('input', { id: 'nt-localities', type: 'file', accept: '.csv,text/csv' });
    const source = select('nt-source', [['close', 'bases that close'], ['plan', 'a transition plan']], 'close');
    const closeSel = h('select', { id: 'nt-close', multiple: true, size: 6 },
      sites.map((s) => h('option', { value: s.name }, `${s.name} (${fmt(s.troops)} troops)`)));
    const planFile = h('input', { id: 'nt-plan', type: 'file', accept: '.yaml,.yml,text/yaml' });
    const tasksFile = h('input', { id: 'nt-tasks', type: 'file', accept: '.yaml,.yml,text/yaml' });
    const monthIn = h('input', { id: 'nt-month', type: 'month' });
    const hours = h('input', { id: 'nt-hours', type: 'number', min: 0.5, max: 72, step: 0.5, value: 2, inputmode: 'decimal' });
    const run = h('button', { id: 'nt-run', type: 'button' }, 'Generate notices');
    const runHtml = h('button', { id: 'nt-html-run', type: 'button', class: 'secondary' }, 'Printable notices (HTML)');
    const jobText = h('p', { class: 'muted', id: 'nt-job' }, '');
    const kpis = h('div', { class: 'kpis', id: 'nt-kpis' });
    const summaryBox = h('div', { class: 'scroll' });
    const areaSel = h('select', { id: 'nt-area' });
    const listBox = h('div', { class: 'scroll tall' });
    const htmlBox = h('div', { id: 'nt-html' });
    const consBox = h('div', { class: 'scroll' });
    const crMonth = h('input', { id: 'cr-month', type: 'month', value: month });
    const crReps = h('input', { id: 'cr-reps', type: 'number', min: 9, max: 9999, value: 99, inputmode: 'numeric' });
    const crSamples = h('input', { id: 'cr-samples', type: 'number', min: 10, max: 100000, value: 200, inputmode: 'numeric' });
    const crRun = h('button', { id: 'cr-run', type: 'button' }, 'Generate the Council report');
    const crText = h('p', { class: 'muted', id: 'cr-job' }, '');
    const crBox = h('div', { id: 'cr-html' });
    const closeLabel = h('label', { for: 'nt-close' }, 'Bases that close', closeSel);
    const planLabel = h('label', { for: 'nt-plan' }, 'Transition plan (YAML)', planFile);
    const showSource = () => {
      closeLabel.style.display = source.value === 'close' ? '' : 'none';
      planLabel.style.display = source.value === 'plan' ? '' : 'none';
    };
    source.addEventListener('change', showSource);
    showSource();
    main.append(
      h('h1', {}, 'Notices and report'),
      h('p', { class: 'lead' }, 'Public notices for every locality a closure affects, in the languages of its territory: ' +
        'the change, where security is then found and how long it takes to get there, how to raise an alert and give ' +
        'feedback, and what is missing (contacts, feedback channels, translations). Then the consultation log and the ' +
        'briefing for the Security Council.'),
      h('section', { class: 'panel' }, h('h2', {}, 'Public notices'),
        h('div', { class: 'controls' },
          h('label', { for: 'nt-localities' }, 'Localities (CSV)', locFile),
          h('label', { for: 'nt-source' }, 'Notices for', source), closeLabel, planLabel,
          h('label', { for: 'nt-month' }, 'Month (closures; a plan: that phase only)', monthIn),
          h('label', { for: 'nt-hours' }, 'Response hours', hours),
          h('label', { for: 'nt-tasks' }, 'Task register for the alert contacts (optional)', tasksFile)),
        h('div', { class: 'controls' }, run, runHtml),
        jobText, kpis, summaryBox,
        h('div', { class: 'controls' }, h('label', { for: 'nt-area' }, 'Notices in', areaSel)), listBox,
        h('h3', {}, 'Printable notices'), htmlBox),
      h('section', { class: 'panel', style: 'margin-top:1rem' }, h('h2', {}, 'Consultation log'), consBox),
      h('section', { class: 'panel', style: 'margin-top:1rem' }, h('h2', {}, 'Briefing for the Security Council'),
        h('p', { class: 'muted' }, 'One self-contained HTML page (maps and charts as inline SVG, every figure\'s provenance in ' +
          'an annex) built from the store: the threat picture, alerts, readiness and the protection footprint. Runs on the ' +
          'server as a job; the latest finished report is shown.'),
        h('div', { class: 'controls' }, h('label', { for: 'cr-month' }, 'Month reported', crMonth),
          h('label', { for: 'cr-reps' }, 'Scan replications', crReps), h('label', { for: 'cr-samples' }, 'Projection samples', crSamples),
          crRun),
        crText, crBox));

    // The notices: figures, a summary per area, the notices of one area.
    let notices = null;
    const drawList = () => {
      if (!notices) return;
      const rows = notices.filter((n) => n.area === areaSel.value);
      listBox.replaceChildren(table(`${rows.length > SHOWN ? `first ${SHOWN} of ` : ''}${fmt(rows.length)} notices in ${areaSel.value}`,
        ['Locality', 'Language', 'Change', 'Base', 'Month', 'Security', 'From', { label: 'Hours', num: true },
          { label: 'Consultations', num: true }, { label: 'SMS parts', num: true }, 'Missing', 'SMS'],
        rows.slice(0, SHOWN).map((n) => h('tr', { 'data-locality': n.locality, 'data-language': n.language },
          h('th', { scope: 'row' }, n.locality), h('td', {}, n.language), h('td', {}, n.change), h('td', {}, n.site),
          h('td', { class: 'nowrap' }, n.month), h('td', {}, n.security), h('td', {}, n.security_site || '–'),
          num(n.security_hours, 2, 'security_hours'), num(n.consultations, 0, 'consultations'), num(n.sms_parts.length, 0, 'sms_parts'),
          h('td', {}, n.missing.join(', ') || '–'), h('td', { style: 'font-size:.8rem' }, n.sms_parts.join(' ')))), 'notices-table'));
    };
    const show = (job, doc) => {
      notices = doc.notices;
      jobText.textContent = `Notices job ${job.id} by ${job.user}, finished ${job.finished_at}: ` +
        `${job.params.close ? `bases closing: ${[].concat(job.params.close).join(', ')}` : 'the closures and exits of a plan'}.`;
      const localities = new Set(notices.map((n) => n.locality));
      const missing = notices.filter((n) => n.missing.length).length;
      kpis.replaceChildren(kpi('notices', notices.length, 'kpi-nt-notices'), kpi('localities', localities.size, 'kpi-nt-localities'),
        kpi('languages', new Set(notices.map((n) => n.language)).size, 'kpi-nt-languages'),
        kpi('notices missing something', missing, 'kpi-nt-missing'));
      const areas = new Map();
      for (const n of notices) {
        const a = areas.get(n.area) || { area: n.area, province: n.province, localities: new Set(), notices: 0, languages: new Set(),
          missing: 0, hours: [] };
        a.localities.add(n.locality);
        a.notices += 1;
        a.languages.add(n.language);
        a.missing += n.missing.length ? 1 : 0;
        if (n.security_hours !== null) a.hours.push(n.security_hours);
        areas.set(n.area, a);
      }
      const list = [...areas.values()].sort((x, y) => y.notices - x.notices || x.area.localeCompare(y.area));
      summaryBox.replaceChildren(table(`${list.length} areas affected`, ['Area', 'Province', { label: 'Localities', num: true },
        { label: 'Notices', num: true }, 'Languages', { label: 'Longest way to security (hours)', num: true },
        { label: 'Missing something', num: true }],
      list.map((a) => h('tr', { 'data-area': a.area }, h('th', { scope: 'row' }, a.area), h('td', {}, a.province),
        num(a.localities.size, 0, 'localities'), num(a.notices, 0, 'notices'), h('td', {}, [...a.languages].join(', ')),
        num(a.hours.length ? Math.max(...a.hours) : null, 2, 'max_hours'), num(a.missing, 0, 'missing'))), 'notices-summary'));
      const keep = areaSel.value;
      areaSel.replaceChildren(...list.map((a) => h('option', { value: a.area }, a.area)));
      if (list.some((a) => a.area === keep)) areaSel.value = keep;
      drawList();
    };
    areaSel.addEventListener('change', drawList);

    const body = async (format) => {
      const loc = await readFile(locFile);
      if (!loc) throw new Error('choose the localities file (CSV)');
      const b = { localities: loc.text, response_hours: Number(hours.value), format };
      if (monthIn.value) b.month = monthIn.value;
      if (source.value === 'close') {
        const chosen = [...closeSel.selectedOptions].map((o) => o.value);
        if (!chosen.length) throw new Error('choose the bases that close');
        b.close = chosen;
      } else {
        const plan = await readFile(planFile);
        if (!plan) throw new Error('choose the plan file');
        b.plan = plan.text;
        b.plan_file_name = plan.name;
      }
      const tasks = await readFile(tasksFile);
      if (tasks) { b.tasks = tasks.text; b.tasks_file_name = tasks.name; }
      return b;
    };
    const go = async (button, format, done) => {
      button.disabled = true;
      try {
        const { job, result } = await runJob('/api/notices', await body(format), (j) => { jobText.textContent = jobState(j); });
        done(job, result);
        say(`Notices job ${job.id} finished`);
      } catch (e) { say(problemText(e), true); jobText.textContent = problemText(e); }
      button.disabled = false;
    };
    run.addEventListener('click', () => go(run, 'json', show));
    runHtml.addEventListener('click', () => go(runHtml, 'html', (job, html) => {
      jobText.textContent = `Printable notices job ${job.id} by ${job.user}, finished ${job.finished_at}.`;
      htmlView(htmlBox, html, `notices-${job.id}.html`, 'The printable notices', 'notices-frame', canPublish ? job.id : null);
    }));

    // The latest notices (the table) and the latest report, if any.
    try {
      // The latest notices with a table (a later printable run answers HTML).
      const jobs = (await api('/api/jobs', { query: { operation: 'notices', state: 'done', limit: 20 } })).jobs;
      const job = jobs.find((j) => j.content_type && j.content_type.startsWith('application/json'));
      if (job) show(job, await api(job.result));
      else jobText.textContent = 'No notices have been generated yet: choose the localities and the bases that close.';
      const rep = await latestJob('report_council');
      if (rep) {
        crText.textContent = `Report job ${rep.id} by ${rep.user}, finished ${rep.finished_at}.`;
        htmlView(crBox, await api(rep.result), `council-report-${rep.id}.html`, 'The Council report', 'council-frame',
          canPublish ? rep.id : null);
      } else crText.textContent = 'No report has been generated yet.';
    } catch (e) { say(problemText(e), true); }

    if (canRead) {
      const log = await api('/api/consultations', { query: { format: 'json' } });
      consBox.replaceChildren(table(log.consultations.length ? `${fmt(log.consultations.length)} consultations` :
        'No consultation has been recorded (endstate consultations import).', ['Date', 'Locality', 'Territory', 'Channel', 'Who',
        'Summary', 'Concerns'],
      log.consultations.map((c, i) => h('tr', { 'data-row': i }, h('td', { class: 'nowrap' }, c.date), h('th', { scope: 'row' }, c.locality),
        h('td', {}, c.territory || '–'), h('td', {}, c.channel), h('td', {}, c.who || '–'), h('td', {}, c.summary),
        h('td', {}, (c.concerns || []).join(', ') || '–'))), 'consultations-table'));
    } else consBox.replaceChildren(h('p', { class: 'muted' }, 'Your role may not read the consultation log.'));

    crRun.addEventListener('click', async () => {
      crRun.disabled = true;
      try {
        const b = { replications: Number(crReps.value), projection_samples: Number(crSamples.value), format: 'html' };
        if (crMonth.value) b.month = crMonth.value;
        const { job, result } = await runJob('/api/report/council', b, (j) => { crText.textContent = jobState(j); });
        crText.textContent = `Report job ${job.id} by ${job.user}, finished ${job.finished_at}.`;
        htmlView(crBox, result, `council-report-${job.id}.html`, 'The Council report', 'council-frame', canPublish ? job.id : null);
        say(`Report job ${job.id} finished`);
      } catch (e) { say(problemText(e), true); crText.textContent = problemText(e); }
      crRun.disabled = false;
    });
  },
};
