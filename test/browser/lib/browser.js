// Debian's headless Chromium through playwright-core (no browser download),
// with axe-core, and watchers for what a page must never do.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);
const AXE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

// The machine has no internet: these flags keep Chromium from trying.
const FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

// launch starts Chromium with a new empty profile; options are Playwright
// context options (javaScriptEnabled, locale...).
export async function launch(options = {}) {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} not found: apt-get install chromium (or set CHROMIUM)`);
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'consulta-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM, headless: true, args: FLAGS, ...options,
  });
  return {
    context,
    async close() {
      await context.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}

// watch records, for a page, every request to a host other than allowed ones,
// Content-Security-Policy violations and page errors.
export function watch(page, allowedHosts) {
  const problems = [];
  page.on('request', (req) => {
    const u = new URL(req.url());
    if (/^(http|https|ws|wss):$/.test(u.protocol) && !allowedHosts.includes(u.host)) problems.push(`request to ${req.url()}`);
  });
  page.on('console', (msg) => {
    if (/Content.Security.Policy|Refused to/i.test(msg.text())) problems.push(`CSP: ${msg.text()}`);
  });
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  return problems;
}

// The rules of WCAG 2.0, 2.1 and 2.2 at levels A and AA, and axe's best practices.
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'];

// axe checks one frame (not its child frames: each frame is checked on its
// own, whatever its origin) and returns its violations as readable lines.
export async function axe(frame) {
  await frame.evaluate(AXE);
  const violations = await frame.evaluate(async (tags) => {
    const r = await window.axe.run(document, { runOnly: { type: 'tag', values: tags }, iframes: false, resultTypes: ['violations'] });
    return r.violations.map((v) => `${v.id} (${v.impact}): ${v.help}\n    ${v.nodes.map((n) => `${n.target.join(' ')}: ${n.failureSummary.replace(/\s+/g, ' ')}`).join('\n    ')}`);
  }, TAGS);
  return violations.map((v) => `${frame.url()}: ${v}`);
}

// axeAll checks a page and every frame in it.
export async function axeAll(page) {
  const out = [];
  for (const frame of page.frames()) {
    if (frame.url() === 'about:blank') continue;
    out.push(...await axe(frame));
  }
  return out;
}

// frameOf waits for the frame of a form inside page, enhanced by form.js and
// sized to its content (so that clicks do not race the resizing).
export async function frameOf(page, formID, urlPart = `/f/${formID}`) {
  const deadline = Date.now() + 20000;
  while (Date.now() < deadline) {
    const f = page.frames().find((fr) => fr !== page.mainFrame() && fr.url().includes(urlPart));
    if (f) {
      await f.waitForLoadState('load');
      await f.waitForFunction(() => performance.getEntriesByName('consulta-ready').length > 0, null, { polling: 100 });
      await settled(f);
      return f;
    }
    await page.waitForTimeout(50);
  }
  throw new Error(`no frame of ${formID} (${urlPart}) in ${page.url()}`);
}

// untilStill polls box() every 50 ms (at most 100 times) until it returns
// the same box `times` times in a row and accept(box) holds.
async function untilStill(frame, box, times, accept = () => true) {
  let last = null, still = 0;
  for (let i = 0; i < 100 && still < times; i++) {
    const b = await box();
    const same = b && last && accept(b) && b.x === last.x && b.y === last.y && b.height === last.height;
    still = same ? still + 1 : 0;
    last = b;
    await frame.waitForTimeout(50);
  }
}

// settled waits until a frame's element is as tall as its content and has
// stopped moving: another widget above it on the page may still be growing
// to its own content.
async function settled(frame) {
  const element = await frame.frameElement();
  let content = 0;
  await untilStill(frame, async () => {
    content = await frame.evaluate(() => document.body.getBoundingClientRect().height);
    return element.boundingBox();
  }, 4, (box) => Math.abs(box.height - content) <= 2);
}

// clickInFrame clicks an element of a cross-origin frame once it has been
// scrolled into view and stopped moving. Playwright's own click scrolls and
// clicks in one step; with the frame in another renderer process the click
// sometimes reached the old position and nothing at all (the offline test,
// about one run in eight here).
export async function clickInFrame(frame, selector) {
  const target = frame.locator(selector);
  await target.scrollIntoViewIfNeeded();
  await untilStill(frame, () => target.boundingBox(), 1);
  await target.click();
}
