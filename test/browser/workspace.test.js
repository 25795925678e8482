// The workspace story of issue 5, played by people in headless Chromium: an
// admin creates a facilitator; the facilitator creates a session and prints
// its handout; participants answer with the code on their phones; the
// facilitator batch-enters three paper forms and imports a CSV; the live view
// of the room refreshes itself and shows the room's results; the summary PDF
// downloads; an analyst triages a suggestion and publishes an action that
// shows on /acciones; the audit log shows all of it. Every workspace page
// visited passes axe-core with zero violations.
//
// Staff share one browser (signing out between people, as on an office
// computer); participants use another. The first accounts are made with
// `consulta user add` against the running server's data directory.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { axe, launch, watch } from './lib/browser.js';
import { startConsulta } from './lib/consulta.js';
import { PASSWORD, downloadOf, guatemalaLocal, submit, tabTo, userAdd, staffSteps } from './lib/staff.js';


describe('workspace story', () => {
  let srv, staff, phones, dataDir, page, seen;
  const violations = [];

  before(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'consulta-workspace-'));
    srv = await startConsulta({ CONSULTA_DATA_DIR: dataDir });
    await userAdd(dataDir, ['--email', 'admin@mineduc.test', '--role', 'admin', '--name', 'Admin']);
    await userAdd(dataDir, ['--email', 'analyst@mineduc.test', '--role', 'analyst', '--name', 'Analista']);
    // Browsers in Guatemala: the workspace and the forms answer in Spanish.
    staff = await launch({ locale: 'es-GT' });
    phones = await launch({ locale: 'es-GT' });
    page = await staff.context.newPage();
    seen = watch(page, [new URL(srv.widget).host]);
  });
  after(async () => {
    await staff?.close();
    await phones?.close();
    await srv?.stop();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const { check, visit, signIn, signOut, createFacilitator } = staffSteps(() => page, () => srv.widget, violations);

  let code;
  const results = [];

  test('an admin creates a facilitator', async () => {
    await signIn('admin@mineduc.test');
    await createFacilitator();
    assert.match(await page.textContent('table.list'), /facilitadora@asoc-xela\.test/);
    await signOut();
  });

  test('the facilitator creates a session and prints its handout', async () => {
    await signIn('facilitadora@asoc-xela.test');
    await visit('/admin/sessions/new');
    await page.selectOption('#form', 'sugerencias');
    await page.selectOption('#lang', 'es');
    await page.fill('#date', guatemalaLocal(0).slice(0, 10));
    await page.selectOption('#municipality', '0901'); // Quetzaltenango
    await page.fill('#place_name', 'Escuela Oficial Rural Mixta');
    await page.fill('#expected', '12');
    await page.fill('#opens', guatemalaLocal(-3600e3));
    await page.fill('#closes', guatemalaLocal(3 * 3600e3));
    await submit(page, /\/admin\/sessions\/[A-Z0-9]{6}/, () => page.click('text=Crear la sesión'));
    await check();
    code = page.url().match(/\/admin\/sessions\/([A-Z0-9]{6})/)[1];
    assert.match(await page.textContent('strong.code'), new RegExp(code));
    const qr = await page.evaluate(() => { const i = document.querySelector('img.qr'); return i.complete && i.naturalWidth; });
    assert.ok(qr > 0, 'the QR image did not load');
    // The handout opens inline for printing: fetch it with the facilitator's cookies.
    const href = await page.getAttribute('a[href$="/handout.pdf"]', 'href');
    const res = await staff.context.request.get(srv.widget + href);
    assert.equal(res.headers()['content-type'], 'application/pdf');
    assert.equal((await res.body()).subarray(0, 4).toString(), '%PDF');
  });

  test('participants answer with the code', async () => {
    const link = await page.getAttribute('dl.meta a', 'href');
    assert.match(link, new RegExp(`session=${code}`));
    for (const [topic, message] of [['docentes', 'Queremos saber cuántos docentes tiene cada escuela de la sala'],
      ['establecimientos', 'Mapa de escuelas del municipio, por favor']]) {
      const phone = await phones.context.newPage();
      const seen = watch(phone, [new URL(srv.widget).host]);
      await phone.goto(link);
      assert.match(await phone.textContent('p.session'), new RegExp(code));
      await phone.selectOption('#q-topic', topic);
      await phone.fill('#q-message', message);
      await phone.waitForTimeout(2100); // a person takes longer than the minimum fill time
      await submit(phone, /\/thanks/, () => phone.click('form.cf button[type=submit]'));
      assert.deepEqual(seen, []);
      await phone.close();
    }
  });

  test('the facilitator batch-enters three paper forms with the keyboard', async () => {
    await visit(`/admin/sessions/${code}/entry`);
    for (let i = 0; i < 3; i++) {
      // "Save and next" brings the form back empty with its first option
      // focused: Space picks it, each ArrowDown the next.
      await page.keyboard.press('Space');
      for (let j = 0; j < i; j++) await page.keyboard.press('ArrowDown');
      await page.keyboard.press('Tab');
      await page.keyboard.type(`Formulario en papel número ${i + 1}`);
      await tabTo(page, 'form.entry button[type=submit]');
      await submit(page, new RegExp(`entry\\?saved=${i + 1}`), () => page.keyboard.press('Enter'));
      await check();
      assert.match(await page.textContent('p.notice'), new RegExp(`Van ${i + 1} `));
    }
  });

  test('the live view refreshes itself as the CSV import arrives', async () => {
    await visit(`/admin/sessions/${code}/live`);
    assert.match(await page.textContent('.live-count'), /^5 respuestas de 12/);
    // The updates can be paused and resumed from the keyboard (WCAG 2.2.1).
    await tabTo(page, '#live-toggle');
    await page.keyboard.press('Enter');
    assert.equal(await page.textContent('#live-toggle'), 'Reanudar la actualización');
    await page.keyboard.press('Enter');
    assert.equal(await page.textContent('#live-toggle'), 'Pausar la actualización');
    const room = page;
    page = await staff.context.newPage();
    try {
      await visit(`/admin/sessions/${code}/import`);
      const template = (await downloadOf(page, () => page.click(`a[href="/admin/forms/sugerencias/template.csv"]`))).toString('utf8');
      assert.ok(template.startsWith('\ufefftopic,message,'), `template: ${template}`);
      const blanks = ','.repeat(template.trim().split(',').length - 2);
      const csv = `${template.trim()}\r\nDocentes,Pidieron la lista de docentes${blanks}\r\nestadisticas_educativas,Datos de inscripción${blanks}\r\n`;
      await page.setInputFiles('#file', { name: 'papel.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
      await submit(page, /import\?stored=2/, () => page.click('form[enctype] button[type=submit]'));
      await check();
      assert.match(await page.textContent('p.notice'), /Se importaron 2 respuestas/);
    } finally {
      await page.close();
      page = room;
    }
    await page.waitForFunction(() => /^7 respuestas/.test(document.querySelector('.live-count').textContent), null, { polling: 100, timeout: 25000 });
    await check();
    const bars = Object.fromEntries(await page.$$eval('.live-q li', (lis) => lis.map((li) => [
      li.querySelector('.bar-label').textContent.trim(), li.querySelector('.bar-n').textContent.trim()])));
    assert.match(bars.Docentes || '', /^2 \(/, `live results: ${JSON.stringify(bars)}`);
  });

  test('the summary PDF downloads', async () => {
    await visit(`/admin/sessions/${code}`);
    const pdf = await downloadOf(page, () => page.click(`a[href$="/summary.pdf"]`));
    assert.equal(pdf.subarray(0, 4).toString(), '%PDF');
    await signOut();
  });

  test('an analyst triages a suggestion and publishes an action', async () => {
    await signIn('analyst@mineduc.test');
    await visit(`/admin/responses?session=${code}&q=docentes`);
    const rows = await page.$$('table.list tbody a[href^="/admin/responses/"]');
    assert.ok(rows.length >= 1, 'no response of the session matched');
    // The response keeps the list's filter, for «Volver» (issue 12).
    await submit(page, /\/admin\/responses\/[a-z0-9]+\?.*session=/, () => page.click('table.list tbody a >> nth=0'));
    await check();
    await page.focus('#status');
    await page.selectOption('#status', 'actioned');
    await page.keyboard.press('Tab');
    await page.keyboard.type('docentes, datos abiertos');
    await page.focus('#note');
    await page.keyboard.type('Revisado con el equipo de estadística.');
    await page.keyboard.press('Tab');
    await page.keyboard.type('Publicamos la lista de docentes por escuela en la sección de transparencia.');
    await tabTo(page, 'form.stack button[type=submit]');
    await submit(page, /notice=n_saved/, () => page.keyboard.press('Enter'));
    await check();
    assert.match(await page.textContent('ul.notes'), /Revisado con el equipo/);
    assert.match(await page.getAttribute('main p a:text-is("Volver")', 'href'), new RegExp(`session=${code}`));

    const citizen = await phones.context.newPage();
    await citizen.goto(`${srv.widget}/acciones`);
    assert.match(await citizen.textContent('main'), /Publicamos la lista de docentes por escuela/);
    violations.push(...await axe(citizen.mainFrame()));
    await citizen.close();
    await signOut();
  });

  test('the audit log shows all of it', async () => {
    await signIn('admin@mineduc.test');
    await visit('/admin/audit');
    const log = await page.textContent('table.list');
    for (const want of ['Inicio de sesión', 'Cuenta creada', 'Sesión creada', 'Importación CSV',
      'Resumen de sesión descargado', 'Cambio de estado', 'Acción pública', 'Cierre de sesión',
      'facilitadora@asoc-xela.test', 'analyst@mineduc.test', code]) {
      assert.ok(log.includes(want), `the audit log lacks ${want}`);
    }
    // Filter by who: only the facilitator's entries remain.
    await page.fill('#a-actor', 'facilitadora@asoc-xela.test');
    await submit(page, /actor=/, () => page.click('form.filters button[type=submit]'));
    await check();
    const actors = await page.$$eval('table.list tbody tr td:nth-child(2)', (tds) => tds.map((td) => td.textContent));
    assert.ok(actors.length >= 3 && actors.every((a) => a.startsWith('facilitadora@asoc-xela.test')), `actors: ${actors}`);
  });

  test('no accessibility violations, outside requests or page errors', () => {
    assert.deepEqual(violations, []);
    assert.deepEqual(seen, []);
  });
});
