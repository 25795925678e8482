// Helpers for the workspace journeys: accounts made with `consulta user add`
// against a running server's data directory, keyboard moves, form posts that
// must land somewhere, and downloads.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { axe } from './browser.js';
import { ROOT } from './consulta.js';

export const PASSWORD = 'una clave larga de prueba';
const BIN = process.env.CONSULTA_BIN || path.join(ROOT, 'bin', 'consulta');

// userAdd runs `consulta user add`, typing the password on its standard input.
export function userAdd(dataDir, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(BIN, ['user', 'add', ...args], {
      cwd: ROOT,
      env: {
        ...process.env, CONSULTA_DATA_DIR: dataDir, CONSULTA_FORMS_DIR: path.join(ROOT, 'forms'),
        CONSULTA_LOG_LEVEL: 'warn',
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (b) => { out += b; });
    child.stderr.on('data', (b) => { out += b; });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`user add ${args.join(' ')}: exit ${code}\n${out}`))));
    child.stdin.end(`${PASSWORD}\n`);
  });
}

// guatemalaLocal is a datetime-local value offsetMs from now in Guatemala,
// which has no daylight saving time: UTC-6 all year.
export function guatemalaLocal(offsetMs) {
  return new Date(Date.now() - 6 * 3600e3 + offsetMs).toISOString().slice(0, 16);
}

// tabTo presses Tab until the focused element matches selector.
export async function tabTo(page, selector, max = 60) {
  for (let i = 0; i < max; i++) {
    if (await page.evaluate((s) => !!document.activeElement && document.activeElement.matches(s), selector)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`Tab never reached ${selector} on ${page.url()}`);
}

// submit does action (a click or a key press that sends a form) and waits
// for the browser to land on a URL matching url; on failure it tells where
// the browser is and what the page says.
export async function submit(page, url, action) {
  try {
    await Promise.all([page.waitForURL(url, { timeout: 15000 }), action()]);
  } catch (err) {
    const said = await page.evaluate(() => (document.querySelector('.error-summary, main') || document.body).innerText.slice(0, 500));
    throw new Error(`expected ${url} after submitting, at ${page.url()}: ${said}`, { cause: err });
  }
}

// downloadOf does action (a click or key press that downloads) and returns
// the downloaded file's bytes.
export async function downloadOf(page, action) {
  const [download] = await Promise.all([page.waitForEvent('download'), action()]);
  return fs.readFileSync(await download.path());
}

// staffSteps are the moves of every workspace journey, each page visited
// checked with axe-core into violations. page() and base() are read when a
// step runs, since the tests make the page and the server in before().
export function staffSteps(page, base, violations) {
  const check = async () => { violations.push(...await axe(page().mainFrame())); };
  // visit opens a workspace page (a path or a whole URL) and checks it.
  const visit = async (url) => {
    const res = await page().goto(url.startsWith('http') ? url : base() + url);
    assert.ok(res.ok(), `${url}: status ${res.status()}`);
    await check();
  };
  // signIn fills the login page with the keyboard alone.
  const signIn = async (email) => {
    await visit('/admin/login');
    assert.equal(await page().evaluate(() => document.activeElement.id), 'email', 'the e-mail field is not focused');
    await page().keyboard.type(email);
    await page().keyboard.press('Tab');
    await page().keyboard.type(PASSWORD);
    await submit(page(), `${base()}/admin/`, () => page().keyboard.press('Enter'));
    await check();
  };
  const signOut = () => submit(page(), /\/admin\/login$/, () => page().click('form.logout button[type=submit]'));
  // createFacilitator makes the journeys' facilitator from the users page,
  // as a signed-in admin.
  const createFacilitator = async () => {
    await visit('/admin/users');
    await page().fill('#email', 'facilitadora@asoc-xela.test');
    await page().fill('#name', 'Facilitadora de Xela');
    await page().selectOption('#role', 'facilitator');
    await page().fill('#org', 'asoc-xela');
    await page().fill('#password', PASSWORD);
    await submit(page(), /notice=n_user_created/, () => page().click('text=Crear la cuenta'));
    await check();
  };
  return { check, visit, signIn, signOut, createFacilitator };
}
