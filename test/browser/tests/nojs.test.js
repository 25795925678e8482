// JavaScript off: from the demo host page's <noscript> link, a person opens
// every shipped form, answers every question (hidden conditions do not apply
// without JavaScript: every question shows, with its condition in words) and
// sends it with the plain form post, in every language; and a blank
// submission comes back with the error summary linking to the fields.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch } from '../lib/browser.js';
import { formIDs, startConsulta } from '../lib/consulta.js';

// fillAll answers every question of the page with a valid value, using only
// what a browser without JavaScript does: typing, ticking, choosing.
async function fillAll(page) {
  const questions = await page.$$eval('[data-q]', (els) => els.map((w) => ({
    id: w.dataset.q, type: w.dataset.type, min: w.dataset.min, max: w.dataset.max,
    select: !!w.querySelector(`select[name="${w.dataset.q}"]`),
  })));
  for (const q of questions) {
    const sel = `[name="${q.id}"]`;
    switch (q.type) {
      case 'text': case 'textarea':
        await page.fill(sel, 'Respuesta enviada sin JavaScript');
        break;
      case 'email':
        await page.fill(sel, 'ana.perez@example.org');
        break;
      case 'phone':
        await page.fill(sel, '2411 9595');
        break;
      case 'number':
        await page.fill(sel, String(q.min ?? 1));
        break;
      case 'single':
        if (q.select) await page.selectOption(sel, { index: 1 });
        else await page.check(`${sel} >> nth=0`);
        break;
      case 'scale': case 'rating': case 'yesno':
        await page.check(`${sel} >> nth=0`);
        break;
      case 'consent':
        await page.check(sel);
        break;
      case 'multiple': {
        const n = Math.max(1, +(q.min || 0));
        for (let i = 0; i < n; i++) await page.check(`${sel}:not([value=other]) >> nth=${i}`);
        break;
      }
      case 'geo': {
        const dep = await page.$eval(`[name="${q.id}[department]"] option:nth-child(2)`, (o) => o.value);
        await page.selectOption(`[name="${q.id}[department]"]`, dep);
        const mun = await page.$eval(`optgroup[data-dep="${dep}"] option`, (o) => o.value);
        await page.selectOption(`[name="${q.id}[municipality]"]`, mun);
        break;
      }
      default:
        throw new Error(`no way to answer a ${q.type} question`);
    }
  }
}

describe('JavaScript off', () => {
  let srv, browser, forms;
  before(async () => {
    srv = await startConsulta();
    browser = await launch({ javaScriptEnabled: false });
    forms = await formIDs(srv.widget);
  });
  after(async () => {
    await browser?.close();
    await srv?.stop();
  });

  for (const lang of ['es', 'en', 'quc']) {
    test(`every form is sent from the demo page's links (${lang})`, async () => {
      const page = await browser.context.newPage();
      for (const form of forms) {
        await page.goto(`${srv.host}/demo?lang=${lang}`);
        await Promise.all([page.waitForNavigation(), page.click(`a[href*="/f/${form}?"]`)]);
        const loaded = Date.now();
        assert.match(page.url(), new RegExp(`/f/${form}\\?lang=${lang}`));
        assert.equal(await page.getAttribute('html', 'lang'), lang);
        await fillAll(page);
        // A person takes longer than the minimum fill time (2 s).
        await page.waitForTimeout(Math.max(0, 2200 - (Date.now() - loaded)));
        await Promise.all([page.waitForURL(/\/thanks\?/), page.click('form.cf button[type=submit]')]);
        assert.ok(await page.$('#thanks-title'), `${form}: no thank-you page`);
        assert.match(page.url(), new RegExp(`lang=${lang}`), 'the thank-you page changed language');
      }
      await page.close();
    });
  }

  test('a blank submission comes back with the error summary and the answers kept', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${srv.widget}/f/sugerencias?lang=es`);
    await page.selectOption('[name=topic]', { index: 1 });
    await page.waitForTimeout(2200);
    const [res] = await Promise.all([page.waitForNavigation(), page.click('form.cf button[type=submit]')]);
    assert.equal(res.status(), 422);
    const links = await page.$$eval('#error-summary a', (as) => as.map((a) => a.getAttribute('href')));
    assert.deepEqual(links, ['#q-message']);
    assert.notEqual(await page.inputValue('[name=topic]'), '', 'the chosen topic was lost');
    assert.equal(await page.getAttribute('#q-message', 'aria-invalid'), 'true');
    assert.match(await page.getAttribute('#q-message', 'aria-describedby'), /q-message-error/);
    await page.close();
  });
});
