// The three staff journeys of issue 12, end to end in headless Chromium,
// every page visited checked with axe-core, the keyboard used where a person
// would use it (signing in, moving through a form, opening a disclosure):
//
// - the admin sets up a facilitator and, at the end, reviews reports, mail,
//   webhooks and the audit log, which holds the day's refused import and
//   export;
// - the facilitator creates a session, reads "Columnas y códigos aceptados",
//   downloads the sheet of municipalities, has a Windows-1252 semicolon file
//   refused in words meant for her, then imports it corrected (labels in
//   English, «Otro», codes without zeros, places by name);
// - the analyst filters the responses by the session, opens one and goes
//   back to the same list, and exports exactly those rows from a page that
//   names the form by its title; the JSON browser gives her no e-mail.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { axe, launch, watch } from '../lib/browser.js';
import { startConsulta } from '../lib/consulta.js';
import { PASSWORD, downloadOf, guatemalaLocal, submit, tabTo, userAdd, staffSteps } from '../lib/staff.js';

const FORM_TITLE = '¿Qué información educativa necesita?';
const EMAIL = 'ana.perez@example.com';

// paperFile is a spreadsheet saved by Spanish Excel as "CSV": semicolons,
// Windows-1252 (Latin-1 covers every character used here).
function paperFile(rows) {
  const text = ['role;location.department;location.municipality;info_sought;info_sought_other;missing', ...rows].join('\r\n') + '\r\n';
  return Buffer.from(text, 'latin1');
}

describe('workspace journeys', () => {
  let srv, browser, dataDir, page, seen, code;
  const violations = [];

  before(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'consulta-journeys-'));
    srv = await startConsulta({ CONSULTA_DATA_DIR: dataDir });
    await userAdd(dataDir, ['--email', 'admin@mineduc.test', '--role', 'admin', '--name', 'Admin']);
    await userAdd(dataDir, ['--email', 'analyst@mineduc.test', '--role', 'analyst', '--name', 'Analista']);
    browser = await launch({ locale: 'es-GT', acceptDownloads: true });
    page = await browser.context.newPage();
    seen = watch(page, [new URL(srv.widget).host]);
  });
  after(async () => {
    await browser?.close();
    await srv?.stop();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const { check, visit, signIn, signOut, createFacilitator } = staffSteps(() => page, () => srv.widget, violations);
  // upload sends a file from the import page and returns the answer's status.
  async function upload(name, buffer) {
    await page.setInputFiles('#file', { name, mimeType: 'text/csv', buffer });
    const [res] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith('/import')),
      page.click('form[enctype] button[type=submit]'),
    ]);
    await page.waitForLoadState('load');
    await check();
    return res.status();
  }

  test('admin: sets up a facilitator', async () => {
    await signIn('admin@mineduc.test');
    await createFacilitator();
    await signOut();
  });

  test('facilitator: creates a session and imports paper forms from a spreadsheet', async () => {
    await signIn('facilitadora@asoc-xela.test');
    await visit('/admin/sessions/new');
    await page.selectOption('#form', 'necesidades-informacion');
    await page.fill('#date', guatemalaLocal(0).slice(0, 10));
    await page.selectOption('#municipality', '0901');
    await page.fill('#expected', '15');
    await page.fill('#opens', guatemalaLocal(-3600e3));
    await page.fill('#closes', guatemalaLocal(3 * 3600e3));
    await submit(page, /\/admin\/sessions\/[A-Z0-9]{6}(\?|$)/, () => page.click('text=Crear la sesión'));
    await check();
    code = page.url().match(/\/admin\/sessions\/([A-Z0-9]{6})/)[1];

    await tabTo(page, `a[href="/admin/sessions/${code}/import"]`);
    await submit(page, /\/import$/, () => page.keyboard.press('Enter'));
    await check();

    // What the file may hold: opened from the keyboard.
    await tabTo(page, 'details summary');
    await page.keyboard.press('Enter');
    assert.ok(await page.evaluate(() => document.querySelector('details').open), 'the list did not open');
    await check();
    const codes = await page.textContent('details');
    for (const want of ['info_sought_other', 'other · Otro', 'docente · Docente', 'location.municipality', '340 municipios']) {
      assert.ok(codes.includes(want), `"Columnas y códigos aceptados" lacks ${want}`);
    }
    const sheet = await downloadOf(page, () => page.click('details p a[href="/admin/places.xlsx"]'));
    assert.equal(sheet.subarray(0, 4).toString('latin1'), 'PK\x03\x04', 'the municipalities are not an XLSX file');

    // A word that is no option: refused, nothing stored, told to her.
    const bad = paperFile(['Astronauta;9;901;Docentes;;', 'Teacher;9;901;docentes;;']);
    assert.equal(await upload('papel.csv', bad), 422);
    const summary = await page.textContent('.error-summary');
    assert.match(summary, /Fila 2, role: «Astronauta» no es una opción de esta pregunta/);
    assert.match(summary, /Columnas y códigos aceptados/);

    // Corrected: English labels, «Otro», codes without zeros, names.
    const good = paperFile([
      'Teacher;9;901;School meals, Otro;Becas;Datos por escuela, escríbanme a ' + EMAIL,
      'Docente;Quetzaltenango;Salcajá;Matrícula y estudiantes;;',
    ]);
    assert.equal(await upload('papel.csv', good), 303);
    assert.match(page.url(), /import\?stored=2/);
    assert.match(await page.textContent('p.notice'), /Se importaron 2 respuestas/);
    await signOut();
  });

  test('analyst: filters by the session, goes back to the list, exports those rows', async () => {
    await signIn('analyst@mineduc.test');
    await visit('/admin/responses');
    await page.focus('#f-session');
    await page.keyboard.type(code);
    await submit(page, new RegExp(`session=${code}`), () => page.keyboard.press('Enter'));
    await check();
    assert.equal(await page.locator('table.list tbody a[href^="/admin/responses/"]').count(), 2);
    assert.ok(!(await page.textContent('table.list')).includes(EMAIL), 'an analyst sees an e-mail in the list');

    await submit(page, /\/admin\/responses\/[a-z0-9]+\?/, () => page.click('table.list tbody a >> nth=0'));
    await check();
    assert.ok(!(await page.textContent('main')).includes(EMAIL), 'an analyst sees an e-mail in a response');
    // «Volver» leads to the same filtered list, not to every response.
    await submit(page, (u) => u.pathname === '/admin/responses' && u.searchParams.get('session') === code,
      () => page.click('main p a:text-is("Volver")'));
    assert.equal(await page.locator('table.list tbody a[href^="/admin/responses/"]').count(), 2);

    await submit(page, /\/admin\/export\?/, () => page.click('text=Exportar estas respuestas'));
    await check();
    assert.equal(await page.$eval('#form', (s) => s.selectedOptions[0].textContent), FORM_TITLE);
    assert.match(await page.textContent('main dl'), new RegExp(code));
    await page.check('input[name=format][value=csv]');
    const csv = (await downloadOf(page, () => page.click('form.stack button[type=submit]'))).toString('utf8');
    const lines = csv.trim().split(/\r?\n/);
    assert.equal(lines.length, 3, `the export holds other rows than the session's two:\n${csv}`);

    const api = await browser.context.request.get(`${srv.widget}/admin/api/responses?session=${code}`);
    assert.equal(api.status(), 200);
    const body = await api.text();
    assert.ok(body.includes('Datos por escuela') && !body.includes(EMAIL), `the JSON browser: ${body}`);
    await signOut();
  });

  test('admin: reviews reports, mail, webhooks and the audit log', async () => {
    await signIn('admin@mineduc.test');
    for (const url of ['/admin/users', '/admin/reports', '/admin/mail', '/admin/webhooks', `/admin/sessions/${code}`]) {
      await visit(url);
    }
    await visit('/admin/audit');
    const log = await page.textContent('table.list');
    for (const want of ['Importación rechazada', 'Exportación', 'Cuenta creada', 'facilitadora@asoc-xela.test', 'analyst@mineduc.test', code]) {
      assert.ok(log.includes(want), `the audit log lacks ${want}`);
    }
    await signOut();
  });

  test('no accessibility violations, outside requests or page errors', () => {
    assert.deepEqual(violations, []);
    assert.deepEqual(seen, []);
  });
});
