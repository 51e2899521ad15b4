// The browser tests' own server: the Carana demo database written into a
// temporary folder, one user per role, `endstate serve` started on a free
// loopback port and stopped at the end. Nothing here is shared with other tests.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const BIN = process.env.ENDSTATE_BIN;

/** name -> role; each password is `<name>-password-1`. */
export const USERS = {
  pub: 'public', ana: 'analyst', pat: 'planner', sig_un: 'signatory:un', sig_gov: 'signatory:government', adm: 'admin',
};
export const passwordOf = (name) => `${name}-password-1`;

/** Two consultations in Carana's localities (imported with `endstate consultations import`). */
export const CONSULTATIONS = 'locality,territory,date,channel,who,summary,concerns\n' +
  'Alunyofe,Ambayoro,2024-11-12,meeting,village chiefs,Asked when the base closes,security;roads\n' +
  'Mawuti,,2024-12-03,radio,listeners,Call-in on the drawdown,patrols\n';

function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.unref();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

function run(args, input) {
  const r = spawnSync(BIN, args, { input, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`endstate ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
  return r.stdout;
}

export class TestServer {
  async start() {
    if (!BIN) throw new Error('ENDSTATE_BIN is not set (run through ctest)');
    this.dir = mkdtempSync(join(tmpdir(), 'endstate-browser-'));
    run(['demo', '--out', join(this.dir, 'demo')]);
    this.db = join(this.dir, 'demo', 'endstate.db');
    for (const [name, role] of Object.entries(USERS)) {
      run(['--db', this.db, 'users', 'add', '--name', name, '--role', role, '--password-file', '-'], `${passwordOf(name)}\n`);
    }
    // A consultation log (the demo has none), for the notices page.
    writeFileSync(join(this.dir, 'consultations.csv'), CONSULTATIONS);
    run(['--db', this.db, 'consultations', 'import', join(this.dir, 'consultations.csv')]);
    this.port = await freePort();
    this.base = `http://127.0.0.1:${this.port}`;
    const args = ['--db', this.db, 'serve', '--listen', `127.0.0.1:${this.port}`];
    if (process.env.ENDSTATE_WEB_DIST) args.push('--web-root', process.env.ENDSTATE_WEB_DIST);
    this.proc = spawn(BIN, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    this.stderr = '';
    this.proc.stderr.on('data', (d) => { this.stderr += d; });
    this.exited = new Promise((resolve) => this.proc.on('exit', (code, signal) => resolve({ code, signal })));
    for (let i = 0; i < 200; i++) {
      try {
        const r = await fetch(`${this.base}/api/health`);
        if (r.ok) break;
      } catch { /* not listening yet */ }
      if (this.proc.exitCode !== null) throw new Error(`endstate serve exited: ${this.stderr}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    this.tokens = {};
    for (const name of Object.keys(USERS)) this.tokens[name] = (await this.login(name)).token;
    return this;
  }

  async login(name) {
    const r = await fetch(`${this.base}/api/login`, {
      method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ name, password: passwordOf(name) }),
    });
    if (!r.ok) throw new Error(`login of ${name}: ${r.status} ${await r.text()}`);
    return r.json();
  }

  /** The API as `user` (JSON documents), for comparing with what the page shows. */
  async api(user, path, query = {}) {
    const u = new URL(path, this.base);
    for (const [k, v] of Object.entries(query)) u.searchParams.set(k, String(v));
    const r = await fetch(u, { headers: { Authorization: `Bearer ${this.tokens[user]}` } });
    if (!r.ok) throw new Error(`${path}: ${r.status} ${await r.text()}`);
    return r.json();
  }

  async stop() {
    if (this.proc && this.proc.exitCode === null) {
      this.proc.kill('SIGTERM');
      const { code, signal } = await this.exited;
      this.stopped = { code, signal };
    }
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
  }
}
