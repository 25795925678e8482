// WCAG 2.2 AA (axe-core) on every public page, in every language, full and
// embedded, before and after a failed submission (with and without
// JavaScript), and on the demo host page with the widget's dialog open: zero
// violations. Pages "without JavaScript" are loaded with form.js blocked: axe
// itself needs JavaScript (nojs.test.js submits with JavaScript really off).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { axe, axeAll, frameOf, launch, watch } from '../lib/browser.js';
import { formIDs, startConsulta } from '../lib/consulta.js';

const LANGS = ['es', 'en', 'quc'];

describe('accessibility', () => {
  let srv, browser, forms;
  before(async () => {
    srv = await startConsulta({ CONSULTA_MIN_FILL_TIME: '0s' });
    browser = await launch();
    forms = await formIDs(srv.widget);
  });
  after(async () => {
    await browser?.close();
    await srv?.stop();
  });

  // check opens url in a new page, runs fn (the state to reach), then axe.
  async function check(ctx, url, fn, { js = true } = {}) {
    const page = await ctx.context.newPage();
    const problems = watch(page, [new URL(srv.widget).host, new URL(srv.host).host]);
    if (!js) await page.route('**/static/form.js', (r) => r.abort());
    try {
      const res = await page.goto(url);
      assert.ok(res.ok(), `${url}: HTTP ${res.status()}`);
      if (fn) await fn(page);
      const lang = await page.evaluate(() => document.documentElement.lang);
      assert.ok(lang, `${url}: no lang on <html>`);
      const violations = await axeAll(page);
      assert.deepEqual([...violations, ...problems], [], `${url}:\n${violations.join('\n')}\n${problems.join('\n')}`);
    } finally {
      await page.close();
    }
  }

  // failSubmit sends the blank form. Enter on the focused button, not a
  // click: a frame that is still being resized would move the click's target.
  async function failSubmit(frame) {
    await frame.press('form.cf button[type=submit]', 'Enter');
    await frame.waitForSelector('#error-summary:focus');
  }

  for (const lang of LANGS) {
    test(`index and other public pages (${lang})`, async () => {
      await check(browser, `${srv.widget}/?lang=${lang}`);
      for (const path of ['/datos', '/acciones']) {
        const res = await fetch(`${srv.widget}${path}?lang=${lang}`);
        if (res.ok) await check(browser, `${srv.widget}${path}?lang=${lang}`);
      }
    });

    test(`form pages, full and embedded, blank and in the error state (${lang})`, async () => {
      for (const form of forms) {
        for (const embed of ['', `&embed=1&page=${encodeURIComponent(srv.host + '/demo')}`]) {
          const url = `${srv.widget}/f/${form}?lang=${lang}${embed}`;
          await check(browser, url);
          await check(browser, url, failSubmit);
          await check(browser, `${srv.widget}/f/${form}/thanks?lang=${lang}${embed}`);
        }
      }
    });

    test(`form pages without JavaScript, in the error state (${lang})`, async () => {
      for (const form of forms) {
        for (const embed of ['', '&embed=1']) {
          await check(browser, `${srv.widget}/f/${form}?lang=${lang}${embed}`, async (page) => {
            await Promise.all([page.waitForNavigation(), page.click('form.cf button[type=submit]')]);
            await page.waitForSelector('#error-summary');
          }, { js: false });
        }
      }
    });

    test(`demo host page with every widget, and with the dialog open (${lang})`, async () => {
      const url = `${srv.host}/demo?lang=${lang}`;
      await check(browser, url, async (page) => {
        for (const form of forms) {
          if (await page.$(`script[data-form="${form}"]:not([data-mode])`)) await frameOf(page, form);
        }
      });
      await check(browser, url, async (page) => {
        await page.click('button[aria-haspopup=dialog]');
        await page.waitForSelector('dialog[open]');
        const frame = await frameOf(page, 'sugerencias');
        await frame.waitForFunction(() => document.activeElement && document.activeElement.id === 'form-title', null, { polling: 100 });
        await failSubmit(frame); // and the dialog in the error state
      });
    });
  }

  test('axe finds real problems (the check can fail)', async () => {
    const page = await browser.context.newPage();
    await page.setContent('<html><body><img src="x.png"><input type="text"></body></html>');
    const violations = await axe(page.mainFrame());
    await page.close();
    assert.ok(violations.some((v) => v.includes('image-alt')) && violations.some((v) => v.includes('label')), violations.join('\n'));
  });
});
