// Offline and server failures: the answers are kept on the device with their
// idempotency key, the person is told in their language, and they are sent
// when the connection returns or a form page is next opened: stored once.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { clickInFrame, frameOf, launch } from '../lib/browser.js';
import { replayed, startConsulta } from '../lib/consulta.js';

const texts = (frame) => frame.evaluate(() => JSON.parse(document.getElementById('cf-i18n').textContent));
const queue = (frame) => frame.evaluate(() => JSON.parse(localStorage.getItem('consulta.queue') || '[]'));

// keptEntries returns what is kept for a widget: in the frame's own storage,
// or, where the browser blocks storage in third-party frames (as Chromium
// does here), in the host page's, where the loader keeps it.
async function keptEntries(page, frame, widgetOrigin) {
  const own = await frame.evaluate(() => {
    try { return JSON.parse(localStorage.getItem('consulta.queue') || '[]'); } catch { return null; }
  });
  if (own !== null) return own;
  return page.evaluate((key) => JSON.parse(localStorage.getItem(key) || '[]'), `consulta.queue@${widgetOrigin}`);
}

// created counts the submissions the server accepted, per idempotency key.
function countCreated(page) {
  const byKey = {};
  page.on('response', (res) => {
    if (res.request().method() === 'POST' && res.url().includes('/responses') && res.status() === 201) {
      const key = res.request().headers()['idempotency-key'];
      byKey[key] = (byKey[key] || 0) + 1;
    }
  });
  return byKey;
}

describe('offline', () => {
  let srv, browser;
  before(async () => {
    srv = await startConsulta();
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
    await srv?.stop();
  });

  test('an answer given offline in a widget is sent once when the connection returns (en)', async () => {
    const page = await browser.context.newPage();
    const created = countCreated(page);
    await page.goto(`${srv.host}/demo?lang=en`);
    const frame = await frameOf(page, 'utilidad-pagina');
    const t = await texts(frame);
    await frame.check('#q-useful-false');
    await frame.fill('#q-looking_for', 'School budgets by municipality');
    await page.waitForTimeout(2200);

    let entry;
    await browser.context.setOffline(true);
    try {
      await clickInFrame(frame, 'form.cf button[type=submit]');
      await frame.waitForFunction((msg) => document.getElementById('live').textContent === msg, t['offline.queued'], { polling: 100 });
      assert.match(t['offline.queued'], /connection/i, 'the message is not in English');
      const kept = await keptEntries(page, frame, srv.widget);
      assert.equal(kept.length, 1);
      entry = kept[0];
      assert.equal(entry.key, await frame.inputValue('[name=_key]'));
    } finally {
      await browser.context.setOffline(false);
    }
    await frame.waitForURL(/\/thanks\?/, { timeout: 20000 });
    assert.deepEqual(await keptEntries(page, frame, srv.widget), []);
    assert.deepEqual(created, { [entry.key]: 1 });
    const again = await replayed(srv.widget, entry.form, entry.key, entry.body);
    assert.deepEqual(again, { status: 201, replayed: true }, 'the server did not have it, or had it under another body');
    await page.close();
  });

  test('an answer given offline in a widget is sent when the host page is next opened (quc)', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${srv.host}/demo?lang=quc`);
    const frame = await frameOf(page, 'utilidad-pagina');
    const t = await texts(frame);
    await frame.check('#q-useful');
    await page.waitForTimeout(2200);
    let entry;
    await browser.context.setOffline(true);
    try {
      await clickInFrame(frame, 'form.cf button[type=submit]');
      await frame.waitForFunction((msg) => document.getElementById('live').textContent === msg, t['offline.queued'], { polling: 100 });
      [entry] = await keptEntries(page, frame, srv.widget);
      await page.close(); // the person leaves while still offline
    } finally {
      await browser.context.setOffline(false);
    }
    const next = await browser.context.newPage();
    const created = countCreated(next);
    await next.goto(`${srv.host}/demo?lang=quc`);
    // Whichever widget loads first sends it, and says so.
    const deadline = Date.now() + 15000;
    while (!created[entry.key] && Date.now() < deadline) await next.waitForTimeout(100);
    assert.deepEqual(created, { [entry.key]: 1 });
    let announced = false;
    for (const f of next.frames()) {
      if (f === next.mainFrame()) continue;
      announced ||= await f.evaluate((msg) => document.getElementById('live')?.textContent === msg, t['offline.sent']).catch(() => false);
    }
    assert.ok(announced, 'nobody was told the kept answers were sent');
    assert.deepEqual(await keptEntries(next, await frameOf(next, 'utilidad-pagina'), srv.widget), []);
    assert.deepEqual(await replayed(srv.widget, entry.form, entry.key, entry.body), { status: 201, replayed: true });
    await next.close();
  });

  test('an answer refused by a failing server is sent when a form page is next opened (es)', async () => {
    const page = await browser.context.newPage();
    const created = countCreated(page);
    await page.goto(`${srv.widget}/f/sugerencias?lang=es`);
    const t = await texts(page.mainFrame());
    await page.fill('#q-message', 'Publiquen la ejecución presupuestaria por escuela.');
    await page.waitForTimeout(2200);
    await page.route('**/api/v1/forms/*/responses', (route) => route.fulfill({
      status: 503, contentType: 'application/json', headers: { 'Retry-After': '5' },
      body: '{"errors":[{"code":"unavailable","message":"down"}]}',
    }));
    await page.click('form.cf button[type=submit]');
    await page.waitForFunction((msg) => document.getElementById('live').textContent === msg, t['offline.queued'], { polling: 100 });
    const [entry] = await queue(page.mainFrame());
    assert.ok(entry && entry.form === 'sugerencias');
    await page.unroute('**/api/v1/forms/*/responses');
    await page.close();

    // The next visit, to any form page of the site, sends it and says so.
    const next = await browser.context.newPage();
    const createdNext = countCreated(next);
    await next.goto(`${srv.widget}/f/utilidad-pagina?lang=es`);
    await next.waitForFunction((msg) => document.getElementById('live').textContent === msg, t['offline.sent'], { polling: 100 });
    assert.deepEqual(await queue(next.mainFrame()), []);
    assert.deepEqual({ ...created, ...createdNext }, { [entry.key]: 1 });
    assert.deepEqual(await replayed(srv.widget, entry.form, entry.key, entry.body), { status: 201, replayed: true });
    // Opening yet another page sends nothing again.
    const third = await browser.context.newPage();
    const createdThird = countCreated(third);
    await third.goto(`${srv.widget}/f/utilidad-pagina?lang=es`);
    await third.waitForTimeout(500);
    assert.deepEqual(createdThird, {});
    await next.close();
    await third.close();
  });
});
