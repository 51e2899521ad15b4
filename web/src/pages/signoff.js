// Sign-off: the stored framework versions with who signed them; a signatory
// signs a version for their own stakeholder, as themselves.
import { api } from '../api.js';
import { h, problemText, say, table } from '../ui.js';

export default {
  id: 'signoff',
  title: 'Sign-off',
  needs: 'read_benchmarks',
  async render(main, ctx) {
    const box = h('div');
    const mine = ctx.me.stakeholder;
    main.append(h('h1', {}, 'Framework sign-off'),
      h('p', { class: 'lead' }, mine
        ? `You sign for the stakeholder “${mine}”. Your sign-off records the version's SHA-256 in the audit log under your name.`
        : 'Each stakeholder\'s signatory signs the framework version they agree to; the sign-off records its SHA-256.'),
      box);
    const draw = async () => {
      const doc = await api('/api/benchmarks/versions');
      box.replaceChildren(table(`${doc.versions.length} framework versions`,
        [{ label: 'Version', num: true }, 'Framework', 'Label', 'SHA-256', 'Signed by', mine ? 'Action' : null].filter(Boolean),
        doc.versions.map((v) => {
          const signed = v.signoffs.some((s) => s.stakeholder === mine);
          return h('tr', { 'data-version': v.version },
            h('td', { class: 'num' }, v.version), h('td', {}, v.framework_id), h('td', {}, v.label),
            h('td', {}, h('code', { title: v.sha256 }, v.sha256.slice(0, 12))),
            h('td', { 'data-testid': 'signed-by' }, v.signoffs.map((s) => `${s.stakeholder} (${s.by}, ${String(s.at).slice(0, 10)})`).join('; ') || '–'),
            mine ? h('td', {}, signed ? 'signed' : h('button', {
              type: 'button', 'data-testid': `sign-${v.version}`,
              onclick: async (e) => {
                e.target.disabled = true;
                try {
                  await api('/api/benchmarks/signoffs', { method: 'POST', body: { version: v.version } });
                  say(`Signed version ${v.version} for ${mine}`);
                  await draw();
                } catch (err) { say(problemText(err), true); e.target.disabled = false; }
              },
            }, `Sign version ${v.version} for ${mine}`)) : null);
        }), 'versions-table'));
    };
    await draw();
  },
};
