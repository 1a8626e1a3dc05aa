// Export and import of a run as a scenario in ratelimit-sim's format, in Debian's Chromium under
// the strict CSP: the exported file, run by the native CLI (found at $CLI; CMake points it at
// build/cli/ratelimit-sim, which scripts/test.sh builds first), answers every request with the
// status the page showed, retries included; importing it back rebuilds the same run; bad files
// are refused with a message naming the field, nothing lost.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { startBrowser, screenshot, tmpdir } from './browser.mjs';
import { CSP } from '../../scripts/static-server.mjs';

const CLI = process.env.CLI ?? new URL('../../build/cli/ratelimit-sim', import.meta.url).pathname;

let browser;
before(async () => {
  if (!fs.existsSync(CLI)) throw new Error(`ratelimit-sim not found at ${CLI}: build the native tree first (scripts/test.sh does), or set CLI`);
  browser = await startBrowser();
});
after(async () => { await browser?.close(); });

const WAIT = { timeout: 10000 };
const FIXTURE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Scenario fixture</title></head>
<body><main></main><script src="rate-limit-playground.js"></script></body></html>`;

/** A page with one playground (id "pg", `attrs`) that records every status it decides in order. */
async function openPlayground(attrs) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.route('**/scenario-fixture.html', (route) => route.fulfill({
    status: 200, contentType: 'text/html; charset=utf-8', headers: { 'Content-Security-Policy': CSP }, body: FIXTURE,
  }));
  await page.goto(`${browser.base}/scenario-fixture.html`);
  await page.waitForFunction(() => customElements.get('rate-limit-playground'), null, WAIT);
  await page.evaluate(async (a) => {
    const el = document.createElement('rate-limit-playground');
    el.id = 'pg';
    for (const [name, value] of Object.entries(a)) el.setAttribute(name, String(value));
    window.decided = [];
    el.addEventListener('decision', (e) => window.decided.push(e.detail));
    el.addEventListener('decisions', (e) => window.decided.push(...e.detail));
    document.querySelector('main').append(el);
    await el.ready;
  }, attrs);
  return page;
}

/** Clicks "Export scenario" and returns the downloaded file's path. */
async function exportFile(page) {
  const [download] = await Promise.all([
    page.waitForEvent('download', WAIT),
    page.locator('#pg .export-button').click(),
  ]);
  const file = path.join(tmpdir(), download.suggestedFilename());
  await download.saveAs(file);
  return file;
}

/** Runs the CLI on a scenario file; its results. */
function simulate(file) {
  return JSON.parse(execFileSync(CLI, { input: fs.readFileSync(file) })).results;
}

const SETUPS = [
  // Two clients: the second retries at once, so its retries are requests of their own.
  { rule: '3 per 10 seconds', algorithm: 'fixed-window', traffic: 'constant', rate: 1, clients: 2 },
  { rule: '5/minute;2/5 seconds', algorithm: 'moving-window', traffic: 'poisson', rate: 2, clients: 3, seed: 7 },
  { rule: '4/10 seconds', algorithm: 'gcra', traffic: 'on-off', rate: 1.5, clients: 2 },
];

for (const setup of SETUPS) {
  test(`ratelimit-sim answers the exported ${setup.algorithm} run exactly as the page did`, async () => {
    const page = await openPlayground(setup);
    const shown = await page.evaluate(() => {
      const el = document.getElementById('pg');
      el.advance(25);
      el.send({ count: 4 });
      el.advance(20);
      return window.decided.map((d) => ({ t: d.t, key: d.key, path: d.path, status: d.status }));
    });
    assert.ok(shown.some((d) => d.status === 429) && shown.some((d) => d.status === 200), 'the run has both answers');
    if (setup.clients > 1) assert.ok(new Set(shown.map((d) => d.key)).size > 1);
    const file = await exportFile(page);
    const scenario = JSON.parse(fs.readFileSync(file, 'utf8'));
    assert.equal(scenario.strategy, setup.algorithm);
    assert.deepEqual(scenario.requests.map((r) => ({ t: r.t, key: r.key, path: r.path })), shown.map(({ status, ...r }) => r));
    assert.deepEqual(simulate(file).map((r) => r.status), shown.map((d) => d.status));
    assert.match(await page.locator('#pg .scenario-status').textContent(), new RegExp(`Exported ${shown.length} requests`));
    assert.deepEqual(page.problems, []);
  });
}

test('an exported scenario imports back into another playground as the same run', async () => {
  const source = await openPlayground(SETUPS[0]);
  const shown = await source.evaluate(() => {
    const el = document.getElementById('pg');
    el.advance(30);
    el.send({ count: 3 });
    return window.decided.map((d) => d.status);
  });
  const file = await exportFile(source);

  const page = await openPlayground({ rule: '100/hour', algorithm: 'token-bucket', traffic: 'constant', rate: 3 });
  await page.locator('#pg .scenario-file').setInputFiles(file);
  await page.locator('#pg .scenario-status').filter({ hasText: 'Imported' }).waitFor(WAIT);
  const imported = await page.evaluate(() => {
    const el = document.getElementById('pg');
    return { rule: el.rule, algorithm: el.algorithm, traffic: el.traffic, clients: el.clients, requests: el.exportScenario().requests };
  });
  assert.deepEqual({ ...imported, requests: undefined }, { rule: '3 per 10 seconds', algorithm: 'fixed-window', traffic: 'manual', clients: 2, requests: undefined });
  assert.deepEqual(imported.requests, JSON.parse(fs.readFileSync(file, 'utf8')).requests);
  const rejected = shown.filter((s) => s === 429).length;
  await page.waitForFunction((n) => document.getElementById('pg').shadowRoot.querySelector('.total-rejected strong')?.textContent === String(n), rejected, WAIT);
  await screenshot(page, 'scenario-imported');
  assert.deepEqual(page.problems, []);
});

test('a hand-written scenario with default limits imports as ratelimit-sim runs it: a route limit replaces them unless told not to', async () => {
  for (const overrideDefaults of [undefined, false]) {
    const scenario = { default_limits: ['1/minute'], requests: [{ t: 0 }, { t: 1 }],
      routes: [{ path: '/', limits: [{ limit: '5/second', ...(overrideDefaults === undefined ? {} : { override_defaults: overrideDefaults }) }] }] };
    const file = path.join(tmpdir(), 'defaults.json');
    fs.writeFileSync(file, JSON.stringify(scenario));
    const expected = overrideDefaults === false ? [200, 429] : [200, 200];
    assert.deepEqual(simulate(file).map((r) => r.status), expected, 'the CLI');
    const page = await openPlayground({ rule: '10/minute' });
    const shown = await page.evaluate((sc) => {
      const el = document.getElementById('pg');
      el.importScenario(sc);  // decided at once, the clock at the last request: play them again
      el.reset();
      el.seek(10);
      return window.decided.map((d) => d.status);
    }, scenario);
    assert.deepEqual(shown, expected, `the page, override_defaults ${overrideDefaults}`);
    assert.deepEqual(page.problems, []);
    await page.context().close();
  }
});

test('after an import, going back and changing the rule replays the same requests; Reset keeps them, not hand sends', async () => {
  const page = await openPlayground({ rule: '10/minute' });
  const result = await page.evaluate(() => {
    const el = document.getElementById('pg');
    // one request every 250 ms for 5 s: 2/second admits 2 of each 4
    el.importScenario({ strategy: 'fixed-window', routes: [{ path: '/', limits: ['2/second'] }],
      requests: Array.from({ length: 20 }, (_, i) => ({ t: i * 0.25, key: '10.0.0.7' })) });
    const statuses = () => {
      el.seek(1e6);  // to the end: every request decided
      return el.exportScenario().requests.length + ':' + window.decided.length + ':' + window.decided.filter((d) => d.status === 429).length;
    };
    const out = { imported: el.exportScenario().requests.length };
    el.seek(0);
    window.decided = [];
    el.rule = '3/second';  // the same requests under another rule
    out.looser = statuses();
    el.seek(2);
    el.send({ key: '10.0.0.9' });  // by hand, at 2 s: the scenario's later requests are dropped (the future is rewritten)
    out.afterHandSend = el.exportScenario().requests.length;
    window.decided = [];
    el.reset();  // back to the scenario's requests alone, at t = 0
    out.resetAt = el.time;
    out.reset = statuses();
    return out;
  });
  // requests : decisions heard (after Reset, the one at t = 0 too) : 429s
  assert.deepEqual(result, { imported: 20, looser: '20:19:5', afterHandSend: 10, resetAt: 0, reset: '20:20:5' });
  assert.deepEqual(page.problems, []);
});

test('playing an imported scenario pauses after its last request, says so, and plays on when asked', async () => {
  const page = await openPlayground({ rule: '10/minute', speed: '20' });
  await page.evaluate(() => {
    const el = document.getElementById('pg');
    el.importScenario({ routes: [{ path: '/', limits: ['2/second'] }], requests: [0, 0.5, 1, 1.5, 2].map((t) => ({ t, key: '10.0.0.7' })) });
    el.seek(0);
    el.play();
  });
  await page.waitForFunction(() => !document.getElementById('pg').playing, null, WAIT);
  const paused = await page.evaluate(() => {
    const el = document.getElementById('pg');
    return { t: el.time, notice: el.shadowRoot.querySelector('.notice').textContent };
  });
  assert.equal(paused.t, 2, 'paused at the last request, not a frame after it');
  assert.match(paused.notice, /^Paused after the last request, at t = 2\.00 s/);
  // Play again: the clock runs on past the end, and the notice goes.
  await page.evaluate(() => document.getElementById('pg').play());
  await page.waitForFunction(() => document.getElementById('pg').time > 4, null, WAIT);
  assert.equal(await page.evaluate(() => document.getElementById('pg').shadowRoot.querySelector('.notice').hidden), true);
  assert.deepEqual(page.problems, []);
});

test('a bad scenario file is refused with a message naming the problem; the run stays', async () => {
  const page = await openPlayground({ rule: '10/minute', algorithm: 'fixed-window' });
  await page.evaluate(() => document.getElementById('pg').send({ count: 2 }));
  const dir = tmpdir();
  const cases = [
    ['not-json.json', '{"routes": [', /not JSON/],
    ['bad-rule.json', JSON.stringify({ routes: [{ path: '/', limits: ['10/minits'] }], requests: [] }), /10\/minits|minits|granularity|unit/i],
    ['backwards.json', JSON.stringify({ routes: [{ path: '/', limits: ['1/second'] }], requests: [{ t: 2 }, { t: 1 }] }), /requests\[1\]\.t/],
    ['method.json', JSON.stringify({ routes: [{ path: '/', methods: ['POST'], limits: ['1/second'] }], requests: [] }), /routes\[0\]\.methods.*cannot show/],
    ['markup.json', JSON.stringify({ routes: [{ path: '/', limits: ['<img src=x onerror=alert(1)>'] }], requests: [] }), /Not imported/],
    ['strategy.json', JSON.stringify({ strategy: 'bogus', routes: [{ path: '/', limits: ['1/second'] }], requests: [] }), /strategy: unknown algorithm "bogus"/],
    ['no-limit.json', JSON.stringify({ routes: [{ path: '/' }], requests: [] }), /no "\/" route with a limit/],
    ['two-defaults.json', JSON.stringify({ default_limits: ['1/second', '5/minute'], routes: [{ path: '/', limits: ['1/second'] }], requests: [] }),
      /default_limits.*more than one limit group/],
  ];
  for (const [name, text, message] of cases) {
    const file = path.join(dir, name);
    fs.writeFileSync(file, text);
    await page.evaluate(() => { document.getElementById('pg').shadowRoot.querySelector('.scenario-status').textContent = ''; });
    await page.locator('#pg .scenario-file').setInputFiles(file);
    await page.waitForFunction(() => document.getElementById('pg').shadowRoot.querySelector('.scenario-status').textContent !== '', null, WAIT);
    const said = await page.locator('#pg .scenario-status').textContent();
    assert.match(said, message, name);
    assert.match(said, /^Not imported: /, name);
  }
  const after = await page.evaluate(() => {
    const el = document.getElementById('pg');
    return { rule: el.rule, requests: el.exportScenario().requests.length, images: el.shadowRoot.querySelectorAll('img').length };
  });
  assert.deepEqual(after, { rule: '10/minute', requests: 2, images: 0 });
  await screenshot(page, 'scenario-refused');
  assert.deepEqual(page.problems, []);
});
