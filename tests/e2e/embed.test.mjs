// Embedding the playground in someone else's docs, in Debian's Chromium under the strict CSP:
// the example docs page (three widgets with different rules in prose, one from a scenario file,
// and an iframe of embed.html), a scenario attribute that cannot be loaded,
// embed.html's setup from its query, one .wasm download for the widgets of one page, and a script
// that adds nothing to `window`.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startBrowser, screenshot } from './browser.mjs';
import { CSP } from '../../scripts/static-server.mjs';

let browser;
before(async () => { browser = await startBrowser(); });
after(async () => { await browser?.close(); });

const WAIT = { timeout: 10000 };

/** The shared setup of every playground in `frame`, in document order, once all are ready. */
const setups = (frame) => frame.evaluate(async () => {
  const els = [...document.querySelectorAll('rate-limit-playground')];
  await Promise.all(els.map((el) => el.ready));
  return els.map((el) => ({ id: el.id, rule: el.rule, algorithm: el.algorithm, traffic: el.traffic, rate: el.rate, compact: el.compact }));
});

test('the docs page: three widgets with their own rules share one .wasm download; the iframe holds a fourth', async () => {
  const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
  const wasm = [];
  page.on('request', (r) => { if (r.url().endsWith('.wasm')) wasm.push(r.frame() === page.mainFrame() ? 'page' : 'iframe'); });
  // The third widget's scenario file is loaded after `ready`, and its rule is the default's: so
  // the test waits for the widget's scenario-load event, heard from before the page loads.
  await page.addInitScript(() => document.addEventListener('scenario-load', () => { window.scenarioLoaded = true; }, true));
  await page.goto(`${browser.base}/examples/docs-page.html`);
  await page.waitForFunction(() => customElements.get('rate-limit-playground'), null, WAIT);
  await page.waitForFunction(() => window.scenarioLoaded === true, null, WAIT);
  assert.deepEqual(await setups(page.mainFrame()), [
    { id: 'search-demo', rule: '5/second', algorithm: 'fixed-window', traffic: 'manual', rate: 1, compact: true },
    { id: 'export-demo', rule: '100/hour', algorithm: 'token-bucket', traffic: 'poisson', rate: 0.5, compact: true },
    { id: 'login-demo', rule: '10/minute', algorithm: 'fixed-window', traffic: 'manual', rate: 0.5, compact: true },
  ]);
  // Each widget decides on its own: a burst of 6 at the first ends in one 429; the second is untouched.
  const statuses = await page.evaluate(() => {
    const [a, b] = document.querySelectorAll('rate-limit-playground');
    return { a: a.send({ count: 6 }).map((d) => d.status), b: b.send().status };
  });
  assert.deepEqual(statuses, { a: [200, 200, 200, 200, 200, 429], b: 200 });
  assert.deepEqual(wasm.filter((w) => w === 'page'), ['page'], 'one .wasm fetch for the three widgets');
  // The scenario widget starts at t = 0 with the file's requests to come: the fixed window admits
  // all twenty, nineteen of them within one second; the moving window refuses nine.
  const login = await page.evaluate(() => {
    const el = document.getElementById('login-demo');
    const at = el.time;
    const statuses = [];
    el.addEventListener('decisions', (e) => statuses.push(...e.detail.map((d) => d.status)));
    el.seek(61);
    const fixed = statuses.splice(0);
    el.seek(0);
    el.algorithm = 'moving-window';
    el.seek(61);
    return { at, decided: el.exportScenario().requests.length, heard: fixed.length, fixed: fixed.filter((s) => s === 429).length, moving: statuses.filter((s) => s === 429).length };
  });
  // `heard`: the listener hears every request, the one at t = 0 too
  assert.deepEqual(login, { at: 0, decided: 20, heard: 20, fixed: 0, moving: 9 });

  const frame = page.frames().find((f) => f.url().includes('embed.html'));
  assert.ok(frame, 'the iframe loaded embed.html');
  await frame.waitForFunction(() => customElements.get('rate-limit-playground'), null, WAIT);
  assert.deepEqual(await setups(frame), [
    { id: '', rule: '2/second', algorithm: 'gcra', traffic: 'constant', rate: 3, compact: true },
  ]);
  await screenshot(page, 'embed-docs-page', { fullPage: true });
  assert.deepEqual(page.problems, []);
});

test('a link to the scenario widget changes its setup and keeps its requests', async () => {
  const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
  await page.goto(`${browser.base}/examples/docs-page.html?algorithm=moving-window#login-demo`);
  await page.waitForFunction(() => document.getElementById('login-demo')?.algorithm === 'moving-window', null, WAIT);
  const shown = await page.evaluate(() => {
    const el = document.getElementById('login-demo');
    const rejected = [];
    el.addEventListener('decisions', (e) => rejected.push(...e.detail.filter((d) => d.status === 429)));
    el.seek(61);
    return { rule: el.rule, requests: el.exportScenario().requests.length, rejected: rejected.length };
  });
  assert.deepEqual(shown, { rule: '10/minute', requests: 20, rejected: 9 });
  assert.deepEqual(page.problems, []);
});

test('a scenario attribute that cannot be loaded is said in the element, which keeps its setup', async () => {
  const page = await browser.newPage({ viewport: { width: 900, height: 800 } });
  await page.route('**/scenario-fixture.html', (route) => route.fulfill({
    status: 200, contentType: 'text/html; charset=utf-8', headers: { 'Content-Security-Policy': CSP },
    body: '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Scenario fixture</title></head><body>' +
      '<rate-limit-playground id="missing" rule="5/second" scenario="examples/no-such-file.json" compact></rate-limit-playground>' +
      '<rate-limit-playground id="invalid" rule="5/second" scenario="examples/docs-page.css" compact></rate-limit-playground>' +
      '<script src="rate-limit-playground.js"></script></body></html>',
  }));
  await page.addInitScript(() => {
    window.scenarioErrors = [];
    document.addEventListener('scenario-error', (e) => window.scenarioErrors.push(e.target.id));
  });
  await page.goto(`${browser.base}/scenario-fixture.html`);
  // Said where the widget is (it draws only while in view).
  const notice = async (id) => {
    await page.locator(`#${id}`).scrollIntoViewIfNeeded();
    await page.waitForFunction((i) => document.getElementById(i).shadowRoot.querySelector('.notice')?.textContent, id, WAIT);
    return page.evaluate((i) => document.getElementById(i).shadowRoot.querySelector('.notice').textContent, id);
  };
  assert.equal(await notice('missing'), 'The scenario examples/no-such-file.json could not be loaded: the server answered 404.');
  assert.match(await notice('invalid'), /^The scenario examples\/docs-page\.css could not be loaded: .*JSON/);
  assert.deepEqual(await setups(page.mainFrame()), [
    { id: 'missing', rule: '5/second', algorithm: 'fixed-window', traffic: 'manual', rate: 1, compact: true },
    { id: 'invalid', rule: '5/second', algorithm: 'fixed-window', traffic: 'manual', rate: 1, compact: true },
  ]);
  assert.deepEqual(await page.evaluate(() => window.scenarioErrors.sort()), ['invalid', 'missing']);
  // only the browser's own line for the missing file: the element throws nothing
  assert.deepEqual(page.problems, ['console: Failed to load resource: the server responded with a status of 404 (Not Found)']);
});

test('embed.html takes its setup from the query and has no page chrome', async () => {
  const page = await browser.newPage({ viewport: { width: 640, height: 800 } });
  await page.goto(`${browser.base}/embed.html?rule=3%2Fsecond&algorithm=sliding-window-counter&traffic=on-off&rate=4`);
  await page.waitForFunction(() => customElements.get('rate-limit-playground'), null, WAIT);
  assert.deepEqual(await setups(page.mainFrame()), [
    { id: '', rule: '3/second', algorithm: 'sliding-window-counter', traffic: 'on-off', rate: 4, compact: true },
  ]);
  const chrome = await page.evaluate(() => ({
    children: [...document.body.children].map((c) => c.localName),
    margin: getComputedStyle(document.body).margin,
  }));
  assert.deepEqual(chrome, { children: ['rate-limit-playground', 'script'], margin: '0px' });
  await screenshot(page, 'embed-frame');
  await page.setViewportSize({ width: 375, height: 800 });
  await screenshot(page, 'embed-frame-phone');
  assert.deepEqual(page.problems, []);
});

test('the script defines the custom element and adds nothing to window', async () => {
  const page = await browser.newPage();
  await page.route('**/blank-fixture.html', (route) => route.fulfill({
    status: 200, contentType: 'text/html; charset=utf-8', headers: { 'Content-Security-Policy': CSP },
    body: '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Blank</title></head><body></body></html>',
  }));
  await page.goto(`${browser.base}/blank-fixture.html`);
  const added = await page.evaluate(async () => {
    const before = new Set(Object.keys(window));
    const script = document.createElement('script');
    script.src = 'rate-limit-playground.js';
    await new Promise((resolve, reject) => { script.onload = resolve; script.onerror = reject; document.body.append(script); });
    const el = document.createElement('rate-limit-playground');
    document.body.append(el);
    await el.ready;
    el.send();
    return { keys: Object.keys(window).filter((k) => !before.has(k)), defined: Boolean(customElements.get('rate-limit-playground')) };
  });
  assert.deepEqual(added, { keys: [], defined: true });
  assert.deepEqual(page.problems, []);
});

test("a docs theme's text styles stop at the widget; properties set before the script loads, and the script twice, are fine", async () => {
  const page = await browser.newPage();
  await page.route('**/host-fixture.css', (route) => route.fulfill({
    status: 200, contentType: 'text/css',
    body: 'body { text-align: justify; text-indent: 2em; letter-spacing: 0.2em; word-spacing: 1em; text-transform: uppercase; white-space: pre; }',
  }));
  await page.route('**/host-fixture.html', (route) => route.fulfill({
    status: 200, contentType: 'text/html; charset=utf-8', headers: { 'Content-Security-Policy': CSP },
    body: '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Host</title><link rel="stylesheet" href="host-fixture.css"></head>' +
      '<body><rate-limit-playground id="early" compact></rate-limit-playground></body></html>',
  }));
  await page.goto(`${browser.base}/host-fixture.html`);
  const r = await page.evaluate(async () => {
    const el = document.getElementById('early');
    // As a framework or a page script that runs before the element is defined would.
    Object.assign(el, { rule: '1/second', algorithm: 'gcra', keyFunc: 'constant' });
    for (let i = 0; i < 2; ++i) {  // two embeds pasted, each with its script
      const script = document.createElement('script');
      script.src = 'rate-limit-playground.js';
      await new Promise((resolve, reject) => { script.onload = resolve; script.onerror = reject; document.body.append(script); });
    }
    await el.ready;
    const text = getComputedStyle(el.shadowRoot.querySelector('.algo-description'));
    return {
      setup: { rule: el.rule, attribute: el.getAttribute('rule'), algorithm: el.algorithm, keyFunc: el.keyFunc, decision: el.send().limit },
      style: [text.textAlign, text.textIndent, text.letterSpacing, text.wordSpacing, text.textTransform, text.whiteSpace],
    };
  });
  assert.deepEqual(r.setup, { rule: '1/second', attribute: '1/second', algorithm: 'gcra', keyFunc: 'constant', decision: '1 per 1 second' });
  assert.deepEqual(r.style, ['start', '0px', 'normal', '0px', 'none', 'normal']);
  assert.deepEqual(page.problems, [], 'the second script defines nothing twice');
});

test('from a sub-path and as a module script the engine is found beside the script; a missing engine is named', async () => {
  const page = await browser.newPage();
  await page.route('**/docs/guide/module-fixture.html', (route) => route.fulfill({
    status: 200, contentType: 'text/html; charset=utf-8', headers: { 'Content-Security-Policy': CSP },
    body: '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Guide</title></head>' +
      '<body><rate-limit-playground rule="2/second"></rate-limit-playground><script type="module" src="../../rate-limit-playground.js"></script></body></html>',
  }));
  await page.goto(`${browser.base}/docs/guide/module-fixture.html`);
  await page.waitForFunction(() => customElements.get('rate-limit-playground'), null, WAIT);
  assert.equal(await page.evaluate(async () => (await document.querySelector('rate-limit-playground').ready).send().limit), '2 per 1 second');
  assert.deepEqual(page.problems, []);

  const missing = await browser.newPage();
  await missing.route('**/ratelimit-engine.wasm', (route) => route.fulfill({ status: 404, body: 'not found' }));
  await missing.goto(`${browser.base}/playground.html`);
  await missing.waitForFunction(() => /could not start/.test(document.querySelector('rate-limit-playground')?.shadowRoot?.querySelector('.loading')?.textContent), null, WAIT);
  const said = await missing.evaluate(() => document.querySelector('rate-limit-playground').shadowRoot.querySelector('.loading').textContent);
  assert.ok(said.includes(`the engine at ${browser.base}/ratelimit-engine.wasm`), said);
});

test("theme: a docs site's own light or dark switch sets it; without it the reader's system decides", async () => {
  const page = await browser.newPage({ colorScheme: 'dark' });
  await page.route('**/theme-fixture.html', (route) => route.fulfill({
    status: 200, contentType: 'text/html; charset=utf-8', headers: { 'Content-Security-Policy': CSP },
    body: '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Theme</title></head><body>' +
      '<rate-limit-playground theme="light" compact></rate-limit-playground><rate-limit-replay theme="dark"></rate-limit-replay>' +
      '<script src="rate-limit-playground.js"></script><script src="rate-limit-replay.js"></script></body></html>',
  }));
  await page.goto(`${browser.base}/theme-fixture.html`);
  await page.evaluate(() => document.querySelector('rate-limit-playground').ready);
  const backgrounds = () => page.evaluate(() => ['rate-limit-playground', 'rate-limit-replay'].map((name) => {
    const el = document.querySelector(name);
    return `${el.theme} ${getComputedStyle(el.shadowRoot.querySelector('.pg')).backgroundColor}`;
  }));
  const [light, dark] = ['rgb(255, 255, 255)', 'rgb(21, 24, 29)'];
  assert.deepEqual(await backgrounds(), [`light ${light}`, `dark ${dark}`], 'the attribute beats the dark system');
  await page.evaluate(() => { document.querySelector('rate-limit-playground').theme = 'dark'; document.querySelector('rate-limit-replay').theme = 'light'; });
  assert.deepEqual(await backgrounds(), [`dark ${dark}`, `light ${light}`]);
  await page.evaluate(() => { for (const el of document.querySelectorAll('rate-limit-playground, rate-limit-replay')) el.removeAttribute('theme'); });
  assert.deepEqual(await backgrounds(), [`auto ${dark}`, `auto ${dark}`], 'the system decides again');
  await page.emulateMedia({ colorScheme: 'light' });  // the change event comes after: wait for it
  await page.waitForFunction((bg) => ['rate-limit-playground', 'rate-limit-replay'].every((name) =>
    getComputedStyle(document.querySelector(name).shadowRoot.querySelector('.pg')).backgroundColor === bg), light, WAIT);
  assert.deepEqual(page.problems, []);
});
