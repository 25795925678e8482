// The loader on a host page with a strict Content-Security-Policy: several
// widgets, one global, frames sized to their content, the page's URL passed
// along, messages only with the widgets' origin.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { frameOf, launch, watch } from '../lib/browser.js';
import { startConsulta } from '../lib/consulta.js';

describe('embedding', () => {
  let srv, browser;
  before(async () => {
    srv = await startConsulta();
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
    await srv?.stop();
  });

  test('several widgets, one global, sized frames, the page URL passed along', async () => {
    const page = await browser.context.newPage();
    const problems = watch(page, [new URL(srv.widget).host, new URL(srv.host).host]);
    await page.addInitScript(() => {
      window.__before = Object.getOwnPropertyNames(window);
      window.__origins = [];
      window.addEventListener('message', (e) => window.__origins.push(e.origin));
    });
    const url = `${srv.host}/demo?lang=en`;
    await page.goto(url);
    const inline = ['utilidad-pagina', 'necesidades-informacion'];
    for (const form of inline) {
      const frame = await frameOf(page, form);
      await frame.waitForFunction(() => performance.getEntriesByName('consulta-ready').length > 0, null, { polling: 100 });
      // The query string never travels on: only scheme, host and path are kept
      // (docs/widgets.md, intake.CleanPage).
      assert.equal(await frame.inputValue('[name=_page]'), `${srv.host}/demo`, `${form}: the embedding page's URL`);
    }
    await page.waitForTimeout(300); // the last height message
    const sizes = await page.$$eval('iframe', (fs) => fs.map((f) => ({ src: f.src, height: f.getBoundingClientRect().height })));
    for (const form of inline) {
      const frame = await frameOf(page, form);
      const content = await frame.evaluate(() => document.body.getBoundingClientRect().height);
      const { height } = sizes.find((s) => s.src.includes(`/f/${form}?`));
      assert.ok(Math.abs(height - content) <= 2, `${form}: frame ${height}px for ${content}px of content`);
    }
    // Answering changes the content: the frame follows.
    const frame = await frameOf(page, 'utilidad-pagina');
    const before = await page.$eval('iframe[src*="utilidad-pagina"]', (f) => f.getBoundingClientRect().height);
    await frame.check('#q-useful-false'); // shows "what were you looking for?"
    await page.waitForFunction((h) => document.querySelector('iframe[src*="utilidad-pagina"]').getBoundingClientRect().height > h + 40, before, { polling: 100 });

    const added = await page.evaluate(() => Object.getOwnPropertyNames(window).filter((k) => !window.__before.includes(k) && !k.startsWith('__') && !/^\d+$/.test(k))); // 0, 1...: the frames
    assert.deepEqual(added, ['Consulta'], 'the loader added other globals');
    const origins = [...new Set(await page.evaluate(() => window.__origins))];
    assert.deepEqual(origins, [srv.widget], 'messages came from other origins');
    assert.deepEqual(problems, []);
    await page.close();
  });

  test('a frame ignores messages from anyone but its embedding page', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${srv.host}/demo`);
    const frame = await frameOf(page, 'sugerencias', '/f/necesidades-informacion');
    await frame.waitForFunction(() => performance.getEntriesByName('consulta-ready').length > 0, null, { polling: 100 });
    // The host page is the frame's parent, but a message with the wrong
    // origin claim cannot be made; a message from the frame itself (any
    // script in it, or a sibling) must be ignored: only the parent counts.
    await frame.evaluate(() => window.postMessage({ consulta: 'focus', at: 'last' }, '*'));
    await page.waitForTimeout(200);
    assert.notEqual(await frame.evaluate(() => document.activeElement.tagName), 'BUTTON', 'a message from the frame itself moved focus');
    // From the real parent and origin, it works.
    await page.evaluate(() => {
      const f = document.querySelector('iframe[src*="necesidades-informacion"]');
      f.focus();
      f.contentWindow.postMessage({ consulta: 'focus', at: 'last' }, new URL(f.src).origin);
    });
    await frame.waitForFunction(() => document.activeElement.tagName === 'BUTTON', null, { polling: 100 });
    await page.close();
  });
});
