// Audit log: every write (framework imports, sign-offs, saved assessments,
// user changes) in the hash chain with the user who made it (GET
// /api/audit/log), and the chain recomputed (GET /api/audit/verify).
import { api } from '../api.js';
import { h, kpi, select, table } from '../ui.js';

/** Who made an entry: the payload's user (the server's writes), else the signatory named (a sign-off from the CLI). */
function actor(e) {
  const p = e.payload || {};
  return p.user || p.by || '–';
}

export default {
  id: 'audit',
  title: 'Audit log',
  needs: 'audit',
  async render(main) {
    const [log, check] = await Promise.all([api('/api/audit/log', { query: { format: 'json' } }), api('/api/audit/verify')]);
    const kinds = [...new Set(log.entries.map((e) => e.kind))].sort();
    const kindSel = select('audit-kind', [['', 'every kind'], ...kinds], '');
    const box = h('div', { class: 'scroll tall' });
    main.append(
      h('h1', {}, 'Audit log'),
      h('p', { class: 'lead' }, 'Each entry is hashed with the previous one (SHA-256), so a changed or removed entry breaks ' +
        'the chain from there on; the check below recomputes it.'),
      h('div', { class: 'kpis', id: 'audit-kpis' },
        kpi('chain', check.intact ? 1 : 0, 'kpi-intact', undefined, check.intact ? 'intact' : 'broken'),
        kpi('entries', check.entries, 'kpi-entries'), kpi('entries that fail', check.problems.length, 'kpi-problems'),
        kpi('results not sealed', check.unsealed_results, 'kpi-unsealed')),
      h('p', { class: 'muted', id: 'audit-head' }, check.head_hash
        ? `Head: entry ${check.head_entries}, hash ${check.head_hash}.` : 'The log is empty.'),
      ...(check.problems.length ? [h('section', { class: 'panel', role: 'alert' }, h('h2', {}, 'Entries that fail the check'),
        table(`${check.problems.length} entries`, [{ label: 'Entry', num: true }, 'Problem'],
          check.problems.map((p) => h('tr', { 'data-seq': p.seq }, h('td', { class: 'num' }, p.seq), h('td', {}, p.problem))),
          'audit-problems'))] : []),
      h('section', { class: 'panel', style: 'margin-top:1rem' }, h('h2', {}, 'Entries, newest first'),
        h('div', { class: 'controls' }, h('label', { for: 'audit-kind' }, 'Kind', kindSel)), box));
    const bad = new Set(check.problems.map((p) => p.seq));
    const draw = () => {
      const rows = log.entries.filter((e) => !kindSel.value || e.kind === kindSel.value).reverse();
      box.replaceChildren(table(`${rows.length} of ${log.entries.length} entries`, [{ label: 'Entry', num: true }, 'At', 'Kind',
        'Subject', 'By', 'Hash', 'Details'],
      rows.map((e) => h('tr', { 'data-seq': e.seq, class: bad.has(e.seq) ? 'bad' : null }, h('td', { class: 'num' }, e.seq),
        h('td', {}, e.at), h('td', {}, e.kind), h('th', { scope: 'row' }, e.subject), h('td', { 'data-testid': 'by' }, actor(e)),
        h('td', {}, h('code', { title: e.hash }, e.hash.slice(0, 12))),
        h('td', {}, e.payload ? h('details', {}, h('summary', {}, 'payload'), h('pre', {}, JSON.stringify(e.payload, null, 2))) : '–'))),
      'audit-table'));
    };
    kindSel.addEventListener('change', draw);
    draw();
  },
};
