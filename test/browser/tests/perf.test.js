// Low bandwidth: page weight and time until the form is usable on an emulated
// slow 3G connection (Chrome DevTools' preset: 2 s round trips, 50 kB/s each
// way) on a CPU slowed 4x, with a cold cache; figures for docs/performance.md
// (`make -C test/browser perf` prints only these).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { launch } from '../lib/browser.js';
import { startConsulta } from '../lib/consulta.js';

const SLOW_3G = { offline: false, latency: 2000, downloadThroughput: 50000, uploadThroughput: 50000 };
// Generous ceilings: a regression that doubles the time fails the test.
const USABLE_CEILING_MS = 15000;

// measure loads url in a fresh page and returns bytes on the wire, requests,
// and times from navigation start: first paint with the form (it works
// without JavaScript from then on) and form.js's "consulta-ready" mark, in the
// page and in each frame.
async function measure(context, url, frames = 0) {
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.clearBrowserCache'); // a first visit
  await cdp.send('Network.emulateNetworkConditions', SLOW_3G);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
  let bytes = 0, requests = 0;
  cdp.on('Network.loadingFinished', (e) => { bytes += e.encodedDataLength; requests++; });
  const start = Date.now();
  await page.goto(url, { waitUntil: 'commit', timeout: 60000 });
  const readyIn = async (frame) => {
    await frame.waitForFunction(() => performance.getEntriesByName('consulta-ready').length > 0, null, { polling: 100, timeout: 60000, polling: 50 });
    return Date.now() - start;
  };
  let ready;
  if (frames) {
    const forms = () => page.frames().filter((f) => f.url().includes('/f/'));
    while (forms().length < frames) await page.waitForTimeout(50);
    const times = await Promise.all(forms().map(readyIn));
    ready = Math.max(...times);
  } else {
    ready = await readyIn(page.mainFrame());
  }
  const paint = await page.evaluate(() => {
    const p = performance.getEntriesByName('first-contentful-paint')[0];
    return p ? Math.round(p.startTime) : null;
  });
  await page.close();
  return { bytes, requests, paint, ready };
}

// gzipped returns the bytes the server sends for url to a client taking gzip.
function gzipped(url) {
  return new Promise((resolve, reject) => {
    http.get(url, { headers: { 'Accept-Encoding': 'gzip' } }, (res) => {
      let n = 0;
      res.on('data', (b) => { n += b.length; });
      res.on('end', () => resolve({ n, body: res.headers['content-encoding'] === 'gzip', status: res.statusCode }));
    }).on('error', reject);
  });
}

describe('slow 3G', () => {
  let srv, browser, inProcess;
  before(async () => {
    srv = await startConsulta();
    browser = await launch();
    // Frames in the page's process, so that the page's emulated network also
    // slows the widgets' frames.
    inProcess = await launch({ args: ['--disable-site-isolation-trials', '--disable-features=IsolateOrigins,site-per-process'] });
  });
  after(async () => {
    await browser?.close();
    await inProcess?.close();
    await srv?.stop();
  });

  test('budgets: the loader and the first load of the needs assessment, gzipped', async (t) => {
    const loader = await gzipped(`${srv.widget}/embed.js`);
    t.diagnostic(`budget: /embed.js ${loader.n} B gzipped (budget 2048)`);
    assert.ok(loader.body && loader.n <= 2048);
    const page = `${srv.widget}/f/necesidades-informacion?embed=1&lang=es`;
    const html = await (await fetch(page)).text();
    const subs = [...html.matchAll(/<(?:link rel="stylesheet" href|script src)="([^"]+)"/g)].map((m) => m[1]);
    let total = (await gzipped(page)).n;
    for (const sub of subs) total += (await gzipped(srv.widget + sub)).n;
    t.diagnostic(`budget: necesidades-informacion first load ${total} B gzipped (HTML, ${subs.join(', ')}; budget 20480)`);
    assert.ok(total <= 20480);
  });

  const pages = [
    ['necesidades-informacion, embedded', '/f/necesidades-informacion?embed=1&lang=es'],
    ['necesidades-informacion, full page', '/f/necesidades-informacion?lang=quc'],
    ['sugerencias, embedded', '/f/sugerencias?embed=1&lang=es'],
    ['utilidad-pagina, embedded', '/f/utilidad-pagina?embed=1&lang=es'],
  ];
  for (const [name, path] of pages) {
    test(name, async (t) => {
      const m = await measure(browser.context, srv.widget + path);
      t.diagnostic(`slow 3G: ${name}: ${(m.bytes / 1024).toFixed(1)} KiB in ${m.requests} requests; first paint ${m.paint} ms; usable with JavaScript ${m.ready} ms`);
      assert.ok(m.ready < USABLE_CEILING_MS, `${name}: usable after ${m.ready} ms`);
    });
  }

  test('demo host page, until both inline widgets are usable', async (t) => {
    const m = await measure(inProcess.context, `${srv.host}/demo?lang=es`, 2);
    t.diagnostic(`slow 3G: demo page with 2 inline widgets and 1 button: ${(m.bytes / 1024).toFixed(1)} KiB in ${m.requests} requests; host first paint ${m.paint} ms; both widgets usable ${m.ready} ms`);
    assert.ok(m.ready < 2 * USABLE_CEILING_MS, `widgets usable after ${m.ready} ms`);
  });
});
