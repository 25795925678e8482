// Starts and stops the consulta binary for the browser tests: a free port, a
// temporary data directory, and a copy of the shipped forms that also lets the
// test host page's origin embed them.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

// freePort asks the system for a loopback port nobody listens on.
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

// copyForms copies forms/*.yaml into dir, adding origin to each form's origins.
function copyForms(dir, origin) {
  fs.mkdirSync(dir, { recursive: true });
  for (const name of fs.readdirSync(path.join(ROOT, 'forms'))) {
    if (!/\.ya?ml$/.test(name)) continue;
    let text = fs.readFileSync(path.join(ROOT, 'forms', name), 'utf8');
    if (/^origins:[ \t]*$/m.test(text)) {
      text = text.replace(/^origins:[ \t]*$/m, `origins:\n  - ${origin}`);
    } else {
      text = text.replace(/^questions:/m, `origins:\n  - ${origin}\nquestions:`);
    }
    fs.writeFileSync(path.join(dir, name), text);
  }
}

async function waitReady(url, child, output) {
  const deadline = Date.now() + 60000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`consulta exited (${child.exitCode}):\n${output()}`);
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch { /* not listening yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`consulta did not become ready:\n${output()}`);
}

// startConsulta runs `consulta serve`. The widgets are served from
// http://127.0.0.1:PORT (the base URL) and the test host pages are opened as
// http://localhost:PORT: another origin, as a portal is.
//
// opts.port reuses a port, so that a server started again on the same data
// directory serves the same forms (their origins name the port).
export async function startConsulta(env = {}, opts = {}) {
  const bin = process.env.CONSULTA_BIN || path.join(ROOT, 'bin', 'consulta');
  if (!fs.existsSync(bin)) throw new Error(`${bin} not found: run "make build" at the top (the test target does)`);
  const port = opts.port || await freePort();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'consulta-browser-'));
  const widget = `http://127.0.0.1:${port}`;
  const host = `http://localhost:${port}`;
  copyForms(path.join(dir, 'forms'), host);
  fs.mkdirSync(path.join(dir, 'data'));
  let log = '';
  const child = spawn(bin, ['serve'], {
    env: {
      ...process.env,
      CONSULTA_ADDR: `127.0.0.1:${port}`,
      CONSULTA_DATA_DIR: path.join(dir, 'data'),
      CONSULTA_FORMS_DIR: path.join(dir, 'forms'),
      CONSULTA_BASE_URL: widget,
      CONSULTA_SCHEDULER: 'false',
      CONSULTA_LOG_LEVEL: 'warn',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.on('data', (b) => { log += b; });
  child.stderr.on('data', (b) => { log += b; });
  await waitReady(`${widget}/readyz`, child, () => log);
  return {
    widget,
    host,
    port,
    log: () => log,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 20000);
        await exited;
        clearTimeout(timer);
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

// forms lists the ids of the served forms.
export async function formIDs(base) {
  const res = await fetch(`${base}/api/v1/forms`);
  return (await res.json()).map((f) => f.id);
}

// replayed posts answers again with key and tells whether the server already
// had a response under it (stored once, not twice).
export async function replayed(base, form, key, body) {
  const res = await fetch(`${base}/api/v1/forms/${form}/responses`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'Idempotency-Key': key },
    body,
  });
  return { status: res.status, replayed: res.headers.get('Idempotent-Replayed') === 'true' };
}
