// Keyboard only: on the demo host page (another origin than the widgets, with
// a strict Content-Security-Policy), a person fills and submits every shipped
// form through its widget with Tab, Space, arrows, typing and Enter; the
// button widget's dialog takes focus, keeps Tab inside, closes with Esc and
// gives focus back to its tab. The minimum fill time and rate limits are the
// defaults: a person at keyboard speed must never be blocked.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { frameOf, launch, watch } from '../lib/browser.js';
import { formIDs, startConsulta } from '../lib/consulta.js';

// focusInfo describes the focused element of a frame's document.
function focusInfo() {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const wrap = el.closest('[data-q]');
  const group = wrap && el.name ? [...wrap.querySelectorAll(`[name="${el.name}"]`)] : [];
  return {
    tag: el.tagName.toLowerCase(), type: el.type || '', name: el.name || '', id: el.id, value: el.value || '',
    qtype: wrap ? wrap.dataset.type : '', min: wrap ? wrap.dataset.min : undefined,
    checked: group.filter((i) => i.checked).length, isChecked: !!el.checked,
  };
}

// act answers the focused control the way a person would with the keyboard.
// It returns true when it pressed Enter on the submit button.
async function act(page, info) {
  if (!info) return false;
  const { tag, type, qtype, name } = info;
  if (tag === 'button' && type === 'submit') {
    await page.keyboard.press('Enter');
    return true;
  }
  if ((tag === 'input' && /^(text|email|tel)$/.test(type)) || tag === 'textarea') {
    if (info.value || name.endsWith('_other') || name === 'website') return false;
    const text = { email: 'ana.perez@example.org', phone: '5555 1234', number: '3' }[qtype] || 'Respuesta escrita solo con el teclado';
    await page.keyboard.type(text);
  } else if (tag === 'select' && !info.value) {
    await page.keyboard.press('ArrowDown');
  } else if (type === 'radio' && info.checked === 0) {
    await page.keyboard.press('Space');
  } else if (type === 'checkbox' && !info.isChecked && info.value !== 'other' && info.checked < Math.max(1, +(info.min || 0))) {
    await page.keyboard.press('Space');
  }
  return false;
}

// hostFocus tells where the host page's focus is: a widget's frame (its form
// id), the dialog's tab, or elsewhere.
function hostFocus() {
  const el = document.activeElement;
  if (el && el.tagName === 'IFRAME') return { frame: (el.src.match(/\/f\/([^?/]+)/) || [])[1] };
  if (el && el.getAttribute('aria-haspopup') === 'dialog') return { tab: true };
  return { other: el ? el.tagName : null, inDialog: !!(el && el.closest('dialog')) };
}

// tab presses Tab, and gives focus a moment to settle when it crosses between
// the page and a frame (two processes).
async function tab(page) {
  await page.keyboard.press('Tab');
  await page.waitForFunction(() => document.activeElement && document.activeElement !== document.body, null, { polling: 100, timeout: 200 }).catch(() => {});
}

// waitThanks waits for the thank-you page, whose title must have taken focus.
async function waitThanks(frame) {
  await frame.waitForURL(/\/thanks\?/, { timeout: 20000 });
  await frame.waitForFunction(() => document.activeElement && document.activeElement.id === 'thanks-title', null, { polling: 100, timeout: 5000 });
}

describe('keyboard only', () => {
  let srv, browser, forms;
  before(async () => {
    srv = await startConsulta();
    browser = await launch();
    forms = await formIDs(srv.widget);
  });
  after(async () => {
    await browser?.close();
    await srv?.stop();
  });

  for (const lang of ['es', 'quc']) {
    test(`every widget of the demo page is answered and sent (${lang})`, async () => {
      const page = await browser.context.newPage();
      const problems = watch(page, [new URL(srv.widget).host, new URL(srv.host).host]);
      await page.goto(`${srv.host}/demo?lang=${lang}`);
      const buttonForm = await page.getAttribute('script[data-mode=button]', 'data-form');
      const done = new Set();
      for (const form of forms) if (form !== buttonForm) await frameOf(page, form);

      for (let i = 0; i < 600 && done.size < forms.length; i++) {
        await tab(page);
        const where = await page.evaluate(hostFocus);
        if (where.frame && !done.has(where.frame)) {
          const frame = await frameOf(page, where.frame);
          if (await act(page, await frame.evaluate(focusInfo))) {
            await waitThanks(frame);
            done.add(where.frame);
          }
        } else if (where.tab && !done.has(buttonForm)) {
          await dialogByKeyboard(page, buttonForm);
          done.add(buttonForm);
        }
      }
      assert.deepEqual([...done].sort(), [...forms].sort(), 'not every form was sent by keyboard');
      assert.deepEqual(problems, []);
      assert.deepEqual(await browser.context.cookies(), [], 'a cookie was set');
      await page.close();
    });
  }

  // dialogByKeyboard opens the dialog from its focused tab, checks its focus
  // handling, then answers and sends its form.
  async function dialogByKeyboard(page, form) {
    await page.keyboard.press('Enter');
    await page.waitForSelector('dialog[open]');
    const frame = await frameOf(page, form);
    await frame.waitForFunction(() => document.activeElement && document.activeElement.id === 'form-title', null, { polling: 100, timeout: 10000 });
    assert.equal((await page.evaluate(hostFocus)).frame, form, 'focus did not move into the dialog');

    // Tab and Shift+Tab never leave the dialog.
    for (const [key, times] of [['Tab', 40], ['Shift+Tab', 15]]) {
      for (let i = 0; i < times; i++) {
        await page.keyboard.press(key);
        // Focus crossing between the frame and the page settles
        // asynchronously (they are two processes): wait for where it lands.
        const inside = await page.waitForFunction(() => {
          const el = document.activeElement;
          return !!el && !!el.closest('dialog[open]');
        }, null, { polling: 100, timeout: 2000 }).then(() => true, () => false);
        const where = inside ? '' : await page.evaluate(() => document.activeElement && document.activeElement.outerHTML.slice(0, 80));
        assert.ok(inside, `${key} #${i + 1} left the dialog, for ${where}`);
      }
    }
    // Esc closes it (focus may be in the form or on the close button) and
    // focus returns to the tab.
    await page.keyboard.press('Escape');
    await page.waitForSelector('dialog:not([open])', { state: 'attached' });
    assert.ok((await page.evaluate(hostFocus)).tab, 'focus did not return to the tab');

    // Open again and answer.
    await page.keyboard.press('Enter');
    await frame.waitForFunction(() => document.activeElement && document.activeElement.id === 'form-title', null, { polling: 100, timeout: 10000 });
    for (let i = 0; i < 200; i++) {
      await tab(page);
      if (await act(page, await frame.evaluate(focusInfo))) {
        await waitThanks(frame);
        assert.ok(await page.$('dialog[open]'), 'the dialog closed on submit');
        await page.keyboard.press('Escape');
        await page.waitForSelector('dialog:not([open])', { state: 'attached' });
        return;
      }
    }
    assert.fail('never reached the submit button of the dialog');
  }

  test('the dialog honours prefers-reduced-motion', async () => {
    for (const reducedMotion of ['reduce', 'no-preference']) {
      const page = await browser.context.newPage();
      await page.emulateMedia({ reducedMotion });
      await page.goto(`${srv.host}/demo`);
      await page.click('button[aria-haspopup=dialog]');
      const animations = await page.evaluate(() => document.querySelector('dialog').getAnimations().length);
      assert.equal(animations > 0, reducedMotion === 'no-preference', `${reducedMotion}: ${animations} animations`);
      await page.close();
    }
  });
});
