// A page left open longer than its token's life (CONSULTA_TOKEN_MAX_AGE), and
// an answer kept offline that long: the server refuses the expired token, and
// form.js sends the answer once more without it, under the same key: it is
// stored once, and the person reaches the thank-you page (docs/widgets.md,
// "Abuse control").
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch } from '../lib/browser.js';
import { replayed, startConsulta } from '../lib/consulta.js';

const MAX_AGE_MS = 4000;

// posts records the submissions of a page: status, key, token sent, body.
function posts(page) {
  const out = [];
  page.on('response', (res) => {
    const req = res.request();
    if (req.method() === 'POST' && res.url().includes('/responses')) {
      const h = req.headers();
      out.push({ status: res.status(), key: h['idempotency-key'], token: h['consulta-token'] || '', body: req.postData() });
    }
  });
  return out;
}

describe('expired page tokens', () => {
  let srv, browser;
  before(async () => {
    srv = await startConsulta({ CONSULTA_TOKEN_MAX_AGE: `${MAX_AGE_MS}ms` });
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
    await srv?.stop();
  });

  test('a page left open too long still sends its answer, once', async () => {
    const page = await browser.context.newPage();
    const sent = posts(page);
    await page.goto(`${srv.widget}/f/utilidad-pagina?lang=es`);
    const key = await page.inputValue('[name=_key]');
    await page.check('#q-useful');
    await page.waitForTimeout(MAX_AGE_MS + 500);
    await page.click('form.cf button[type=submit]');
    await page.waitForURL(/\/thanks\?/, { timeout: 20000 });
    assert.deepEqual(sent.map((p) => [p.status, p.key, p.token !== '']), [[403, key, true], [201, key, false]]);
    assert.deepEqual(await replayed(srv.widget, 'utilidad-pagina', key, sent[1].body), { status: 201, replayed: true });
    await page.close();
  });

  test('an answer kept offline longer than its token is sent, once', async () => {
    const page = await browser.context.newPage();
    const sent = posts(page);
    await page.goto(`${srv.widget}/f/sugerencias?lang=es`);
    const key = await page.inputValue('[name=_key]');
    await page.fill('#q-message', 'Publiquen los listados de becas por municipio.');
    await page.waitForTimeout(2200);
    await browser.context.setOffline(true);
    try {
      await page.click('form.cf button[type=submit]');
      await page.waitForFunction(() => JSON.parse(localStorage.getItem('consulta.queue') || '[]').length === 1, null, { polling: 100 });
      await page.waitForTimeout(MAX_AGE_MS);
    } finally {
      await browser.context.setOffline(false);
    }
    await page.waitForURL(/\/thanks\?/, { timeout: 40000 });
    const answered = sent.filter((p) => p.status !== 0);
    assert.deepEqual(answered.map((p) => [p.status, p.key, p.token !== '']), [[403, key, true], [201, key, false]]);
    assert.deepEqual(await replayed(srv.widget, 'sugerencias', key, answered[1].body), { status: 201, replayed: true });
    await page.close();
  });
});
