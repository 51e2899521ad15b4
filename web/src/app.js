// The dashboard: a login, then the pages the user's role may see. Pages are
// modules listed in PAGES (id, title, the capability they need, render);
// a new analysis (the transition plan, the policy comparison) is a new
// module in pages/ added to this list, calling its API route the same way.
import { api, ApiError, setToken, token } from './api.js';
import alerts from './pages/alerts.js';
import audit from './pages/audit.js';
import backtest from './pages/backtest.js';
import compare from './pages/compare.js';
import footprint from './pages/footprint.js';
import forecast from './pages/forecast.js';
import hotspots from './pages/hotspots.js';
import notices from './pages/notices.js';
import outlook from './pages/outlook.js';
import plan from './pages/plan.js';
import published from './pages/published.js';
import readiness from './pages/readiness.js';
import signoff from './pages/signoff.js';
import tasks from './pages/tasks.js';
import threat from './pages/threat.js';
import users from './pages/users.js';
import { h, problemText, say } from './ui.js';

const PAGES = [threat, hotspots, alerts, forecast, backtest, readiness, outlook, footprint, plan, tasks, compare, notices, signoff,
  published, audit, users];

const main = document.getElementById('main');
const nav = document.getElementById('nav');
const who = document.getElementById('who');
let ctx = null;
let rendering = 0;

function visible(me) { return PAGES.filter((p) => me.capabilities.includes(p.needs)); }

function loginPage() {
  nav.replaceChildren();
  who.replaceChildren();
  const name = h('input', { id: 'login-name', autocomplete: 'username', required: true });
  const pw = h('input', { id: 'login-password', type: 'password', autocomplete: 'current-password', required: true });
  const err = h('p', { class: 'error-text', role: 'alert', id: 'login-error' });
  const form = h('form', { onsubmit: async (e) => {
    e.preventDefault();
    err.textContent = '';
    try {
      const s = await api('/api/login', { method: 'POST', body: { name: name.value, password: pw.value } });
      setToken(s.token);
      await start();
    } catch (x) { err.textContent = x instanceof ApiError ? problemText(x) : String(x); }
  } }, h('label', { for: 'login-name' }, 'Name'), name, h('label', { for: 'login-password' }, 'Password'), pw,
  h('button', { type: 'submit' }, 'Log in'), err);
  main.replaceChildren(h('section', { class: 'login panel' }, h('h1', {}, 'Log in'), form));
  name.focus();
}

async function show() {
  const me = ctx.me;
  const pages = visible(me);
  const id = (window.location.hash.replace(/^#\/?/, '') || (pages[0] && pages[0].id) || '');
  const page = pages.find((p) => p.id === id) || pages[0];
  nav.replaceChildren(...pages.map((p) => h('li', {}, h('a', { href: `#/${p.id}`, 'aria-current': p === page ? 'page' : null }, p.title))));
  const ticket = ++rendering;
  // Each render draws into a box of its own: a page left before it has finished
  // drawing goes on drawing into its box, which is no longer in the document.
  const box = h('div', { class: 'page' });
  main.replaceChildren(box);
  document.body.dataset.page = '';
  if (!page) { box.append(h('p', {}, 'Your role has no pages.')); return; }
  document.title = `${page.title} · endstate`;
  try {
    await page.render(box, ctx);
    if (ticket === rendering) document.body.dataset.page = page.id;  // the browser tests wait for this
  } catch (e) {
    if (ticket !== rendering) return;
    box.append(h('p', { class: 'error-text', role: 'alert' }, e instanceof ApiError ? problemText(e) : String(e)));
    document.body.dataset.page = `${page.id}:error`;
  }
  main.focus();
}

async function start() {
  if (!token()) { loginPage(); return; }
  try {
    const me = await api('/api/me');
    const status = me.capabilities.includes('read') ? await api('/api/status') : null;
    ctx = { me, status };
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) { loginPage(); return; }
    say(problemText(e), true);
    return;
  }
  who.replaceChildren(h('span', { id: 'who-name' }, `${ctx.me.name} (${ctx.me.role})`),
    h('button', { type: 'button', class: 'secondary', onclick: async () => {
      try { await api('/api/logout', { method: 'POST' }); } catch { /* the token is gone either way */ }
      setToken(null);
      ctx = null;
      window.location.hash = '';
      loginPage();
    } }, 'Log out'));
  await show();
}

window.addEventListener('hashchange', () => { if (ctx) show(); });
// The skip link focuses the content without changing the hash (the hash is the page).
document.querySelector('a.skip').addEventListener('click', (e) => { e.preventDefault(); main.focus(); });
window.addEventListener('endstate:logout', () => { ctx = null; loginPage(); });
start();
