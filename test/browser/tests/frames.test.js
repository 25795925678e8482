// Embedded forms on a phone (360 px wide), issue 11 item 7: the embedding
// page chooses the language, so a frame has no language links and its first
// tab stop is the question; stand-alone pages keep their switcher; the
// floating "button" tab never covers an inline form's title and steps aside
// while its dialog is open; axe finds nothing.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { axeAll, frameOf, launch, watch } from '../lib/browser.js';
import { startConsulta } from '../lib/consulta.js';

const PHONE = { width: 360, height: 640 };
const INLINE = ['utilidad-pagina', 'necesidades-informacion'];

// overlap tells whether two boxes ({x, y, width, height}) share any area.
function overlap(a, b) {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

describe('embedded frames on a phone', () => {
  let srv, browser;
  before(async () => {
    srv = await startConsulta();
    browser = await launch({ viewport: PHONE });
  });
  after(async () => {
    await browser?.close();
    await srv?.stop();
  });

  test('a frame has no language links: Tab reaches the question first', async () => {
    const page = await browser.context.newPage();
    const problems = watch(page, [new URL(srv.widget).host, new URL(srv.host).host]);
    await page.goto(`${srv.host}/demo?lang=quc`);
    // One switcher on /demo: the host page's own.
    assert.equal(await page.locator('a[hreflang]').count(), 3, 'the host page keeps its three language links');
    for (const form of INLINE) {
      const frame = await frameOf(page, form);
      assert.equal(await frame.locator('a[hreflang], nav').count(), 0, `${form}: language links in the frame`);
      assert.equal(await frame.evaluate(() => document.documentElement.lang), 'quc', `${form}: the page's language is the frame's`);
      await page.$eval(`iframe[src*="/f/${form}?"]`, (f) => f.focus());
      await frame.evaluate(() => document.activeElement && document.activeElement.blur());
      await page.keyboard.press('Tab');
      await frame.waitForFunction(() => document.activeElement && document.activeElement !== document.body, null, { polling: 50 });
      const first = await frame.evaluate(() => {
        const el = document.activeElement;
        const q = el.closest('[data-q]');
        return { tag: el.tagName, question: q ? q.dataset.q : null };
      });
      assert.ok(first.question, `${form}: the first tab stop is ${first.tag}, not a question's control`);
    }
    assert.deepEqual(problems, []);
    await page.close();
  });

  test('a stand-alone form page keeps its language switcher', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${srv.widget}/f/utilidad-pagina?lang=es`);
    assert.equal(await page.locator('header a[hreflang]').count(), 3);
    await page.close();
  });

  test('the tab never covers an inline form\'s title, and steps aside while its dialog is open', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${srv.host}/demo?lang=es`);
    const frames = [];
    for (const form of INLINE) frames.push({ form, frame: await frameOf(page, form) });
    const tab = page.locator('button[aria-haspopup=dialog]');
    await tab.waitFor();
    const height = await page.evaluate(() => document.documentElement.scrollHeight);
    let underTab = 0; // scroll positions where a title lies where the tab is
    for (let y = 0; y <= height; y += 40) {
      await page.evaluate((top) => window.scrollTo(0, top), y);
      await page.waitForTimeout(30);
      const tabBox = await tab.boundingBox();
      const shown = await tab.evaluate((el) => getComputedStyle(el).opacity !== '0' && getComputedStyle(el).pointerEvents !== 'none');
      for (const { form, frame } of frames) {
        const frameBox = await (await frame.frameElement()).boundingBox();
        const title = await frame.locator('#form-title').boundingBox();
        const titleBox = { ...title, x: frameBox.x + title.x, y: frameBox.y + title.y };
        if (!overlap(tabBox, titleBox)) continue;
        underTab++;
        assert.ok(!shown, `scrolled to ${y}: the tab covers the title of ${form} (${JSON.stringify(tabBox)} over ${JSON.stringify(titleBox)})`);
      }
    }
    assert.ok(underTab > 0, 'no scroll position put a title where the tab is: the test proves nothing');

    // The dialog: the tab steps aside while it is open, and comes back,
    // focused, when it closes.
    await page.evaluate(() => window.scrollTo(0, 0));
    await tab.focus();
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.querySelector('dialog').open, null, { polling: 50 });
    await frameOf(page, 'sugerencias');
    assert.equal(await tab.evaluate((el) => getComputedStyle(el).opacity), '0', 'the tab shows over its open dialog');
    const violations = await axeAll(page);
    assert.deepEqual(violations, [], violations.join('\n'));
    await page.keyboard.press('Escape');
    await page.waitForFunction(() => !document.querySelector('dialog').open, null, { polling: 50 });
    await page.waitForFunction(() => document.activeElement.getAttribute('aria-haspopup') === 'dialog', null, { polling: 50 });
    assert.equal(await tab.evaluate((el) => getComputedStyle(el).opacity), '1', 'the focused tab is not shown');
    await page.close();
  });

  test('axe: the demo page and its frames at 360 px', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${srv.host}/demo?lang=en`);
    for (const form of INLINE) await frameOf(page, form);
    const violations = await axeAll(page);
    assert.deepEqual(violations, [], violations.join('\n'));
    await page.close();
  });
});
