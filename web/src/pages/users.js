// Users (administrators): who may log in, with which role; adding and
// revoking is written into the audit log under the administrator's name.
import { api } from '../api.js';
import { h, problemText, say, table } from '../ui.js';

export default {
  id: 'users',
  title: 'Users',
  needs: 'admin',
  async render(main) {
    const box = h('div');
    const name = h('input', { id: 'user-name', autocomplete: 'off', required: true });
    const role = h('input', { id: 'user-role', list: 'roles', required: true, placeholder: 'analyst' });
    const pw = h('input', { id: 'user-password', type: 'password', autocomplete: 'new-password', minlength: 12, required: true });
    const form = h('form', { class: 'controls', onsubmit: async (e) => {
      e.preventDefault();
      try {
        await api('/api/users', { method: 'POST', body: { name: name.value, role: role.value, password: pw.value } });
        say(`Added ${name.value}`);
        form.reset();
        await draw();
      } catch (err) { say(problemText(err), true); }
    } },
    h('label', { for: 'user-name' }, 'Name', name), h('label', { for: 'user-role' }, 'Role', role),
    h('datalist', { id: 'roles' }, ['public', 'analyst', 'planner', 'signatory:', 'admin'].map((r) => h('option', { value: r }))),
    h('label', { for: 'user-password' }, 'Password (12+ characters)', pw), h('button', { type: 'submit' }, 'Add user'));
    main.append(h('h1', {}, 'Users'), form, box);
    const draw = async () => {
      const doc = await api('/api/users');
      box.replaceChildren(table(`${doc.users.length} users`, ['Name', 'Role', 'Added', 'By', 'Revoked', ''],
        doc.users.map((u) => h('tr', {}, h('th', { scope: 'row' }, u.name), h('td', {}, u.role), h('td', {}, u.created_at),
          h('td', {}, u.created_by), h('td', {}, u.revoked_at || '–'),
          h('td', {}, u.revoked_at ? '' : h('button', { type: 'button', class: 'secondary', onclick: async () => {
            try { await api(`/api/users/${encodeURIComponent(u.name)}`, { method: 'DELETE' }); await draw(); } catch (err) { say(problemText(err), true); }
          } }, `Revoke ${u.name}`)))), 'users-table'));
    };
    await draw();
  },
};
