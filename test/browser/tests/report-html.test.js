// The accessible HTML twin of a report (issue 11 item 14), in headless
// Chromium: an analyst makes a report now in the workspace, finds its "HTML"
// link beside the "PDF" one (with accessible names that tell them apart),
// opens the twin and axe-core finds no violation there nor on the list. The
// twin needs no JavaScript: as served it has every table and no script. The
// public twin under /datos (the published figures of a semester, no written
// answers) is checked the same way.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { axe, launch, watch } from '../lib/browser.js';
import { ROOT, startConsulta } from '../lib/consulta.js';
import { PASSWORD, submit, userAdd } from '../lib/staff.js';

const BIN = process.env.CONSULTA_BIN || path.join(ROOT, 'bin', 'consulta');

// seed stores synthetic responses with `consulta seed` in the running
// server's store.
function seed(dataDir, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(BIN, ['seed', ...args], {
      cwd: ROOT,
      env: { ...process.env, CONSULTA_DATA_DIR: dataDir, CONSULTA_FORMS_DIR: path.join(ROOT, 'forms'), CONSULTA_LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (b) => { out += b; });
    child.stderr.on('data', (b) => { out += b; });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`seed: exit ${code}\n${out}`))));
  });
}

describe('HTML twin of reports', () => {
  let srv, browser, dataDir, page, seen;

  before(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'consulta-twin-'));
    srv = await startConsulta({ CONSULTA_DATA_DIR: dataDir });
    await userAdd(dataDir, ['--email', 'analyst@mineduc.test', '--role', 'analyst', '--name', 'Analista']);
    await seed(dataDir, ['--form', 'necesidades-informacion', '--n', '400', '--seed', '5', '--from', '2026-01-01', '--to', '2026-06-30']);
    browser = await launch({ locale: 'es-GT' });
    page = await browser.context.newPage();
    seen = watch(page, [new URL(srv.widget).host]);
  });
  after(async () => {
    await browser?.close();
    await srv?.stop();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  test('an analyst opens the HTML twin of a report made now: 0 axe violations', async () => {
    await page.goto(`${srv.widget}/admin/login`);
    await page.fill('#email', 'analyst@mineduc.test');
    await page.fill('#password', PASSWORD);
    await submit(page, `${srv.widget}/admin/`, () => page.press('#password', 'Enter'));

    await page.goto(`${srv.widget}/admin/reports?lang=es`);
    await page.selectOption('#report-form', 'necesidades-informacion');
    await page.fill('#report-from', '2026-01-01');
    await page.fill('#report-to', '2026-06-30');
    await page.selectOption('#report-lang', 'es');
    await submit(page, /\/admin\/reports\?notice=/, () => page.click('form[action="/admin/reports"][method="post"] button[type=submit]'));
    const listViolations = await axe(page.mainFrame());
    assert.deepEqual(listViolations, [], `/admin/reports:\n${listViolations.join('\n')}`);

    const pdf = page.locator('a[href^="/admin/reports/download?id="]').first();
    const html = page.locator('a[href^="/admin/reports/html?id="]').first();
    const [pdfName, htmlName] = [await pdf.textContent(), await html.textContent()];
    assert.match(htmlName, /^HTML/);
    assert.notEqual(pdfName.replace(/^PDF/, ''), htmlName.replace(/^HTML/, ''), 'the two links have the same accessible name');

    const twinURL = srv.widget + await html.getAttribute('href');
    await submit(page, /\/admin\/reports\/html\?id=/, () => html.click());
    const violations = await axe(page.mainFrame());
    assert.deepEqual(violations, [], `${twinURL}:\n${violations.join('\n')}`);
    const shape = await page.evaluate(() => ({
      lang: document.documentElement.lang,
      h1: document.querySelectorAll('h1').length,
      h2: document.querySelectorAll('h2').length,
      tables: document.querySelectorAll('table').length,
      captioned: document.querySelectorAll('table > caption').length,
      scripts: document.querySelectorAll('script').length,
      english: [...document.querySelectorAll('th[lang="en"]')].map((e) => e.textContent),
    }));
    assert.equal(shape.lang, 'es');
    assert.equal(shape.h1, 1);
    assert.ok(shape.h2 >= 4, `only ${shape.h2} h2`);
    assert.ok(shape.tables >= 8, `only ${shape.tables} tables`);
    assert.equal(shape.captioned, shape.tables, 'a table without caption');
    assert.equal(shape.scripts, 0);
    assert.deepEqual(seen, []);

    // Without JavaScript the page is the same document: as served, it has
    // every table and no script.
    const res = await page.request.get(twinURL);
    const body = await res.text();
    assert.ok(res.ok(), `as served: HTTP ${res.status()}`);
    assert.equal((body.match(/<table/g) || []).length, shape.tables);
    assert.ok(!/<script/i.test(body), 'the page as served has a script');
  });

  test('the public page of a published semester under /datos: 0 axe violations, no quotes', async () => {
    // The server again on the same store, with the scheduler on: it makes
    // the open-data snapshots on its first pass.
    const { port } = srv;
    await srv.stop();
    srv = undefined;
    const pub = await startConsulta({ CONSULTA_DATA_DIR: dataDir, CONSULTA_SCHEDULER: 'true' }, { port });
    try {
      const deadline = Date.now() + 120000;
      let index = '';
      while (Date.now() < deadline) {
        index = await (await fetch(`${pub.widget}/datos?lang=es`)).text();
        if (index.includes('necesidades-informacion.html') && !index.includes('En preparación')) break;
        await new Promise((r) => setTimeout(r, 500));
      }
      assert.ok(index.includes('necesidades-informacion.html'), 'no HTML link on /datos');
      const p = await browser.context.newPage();
      await p.goto(`${pub.widget}/datos?lang=es`);
      let violations = await axe(p.mainFrame());
      assert.deepEqual(violations, [], `/datos:\n${violations.join('\n')}`);
      await submit(p, /\/datos\/necesidades-informacion\.html/, () => p.click('a[href*="necesidades-informacion.html"][href*="period=2026-S1"]'));
      violations = await axe(p.mainFrame());
      assert.deepEqual(violations, [], `${p.url()}:\n${violations.join('\n')}`);
      const shape = await p.evaluate(() => ({
        lang: document.documentElement.lang,
        tables: document.querySelectorAll('table').length,
        captioned: document.querySelectorAll('table > caption').length,
        quotes: document.querySelectorAll('blockquote').length,
        scripts: document.querySelectorAll('script').length,
      }));
      assert.equal(shape.lang, 'es');
      assert.ok(shape.tables >= 8, `only ${shape.tables} tables`);
      assert.equal(shape.captioned, shape.tables, 'a table without caption');
      assert.equal(shape.quotes, 0, 'the public page quotes what people wrote');
      assert.equal(shape.scripts, 0);
      await p.close();
    } finally {
      await pub.stop();
    }
  });
});
