// The "Code" view, in Debian's Chromium under the strict CSP: the generated app.py compiles with
// /usr/bin/python3 and, run by the real Flask-Limiter 3.3 on a simulated clock (drive_app.py),
// answers a scripted run with the statuses the page showed; so does the generated server.js of a
// fixed window, run by the real express-rate-limit (drive_express.mjs); the nginx and Go tabs
// carry the limits (limit_req_zone/limit_req with burst and nodelay; rate.NewLimiter) and a note each;
// client.py, run against scripted 429s (drive_client.py), waits as its retry behaviour says.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import { startBrowser, screenshot, tmpdir } from './browser.mjs';
import { CSP } from '../../scripts/static-server.mjs';

const PYTHON = '/usr/bin/python3';
const CLI = process.env.CLI ?? new URL('../../build/cli/ratelimit-sim', import.meta.url).pathname;
const repoRequire = createRequire(new URL('../../package.json', import.meta.url));
const DRIVER = new URL('drive_app.py', import.meta.url).pathname;
const EXPRESS_DRIVER = new URL('drive_express.mjs', import.meta.url).pathname;
const CLIENT_DRIVER = new URL('drive_client.py', import.meta.url).pathname;

let browser;
before(async () => { browser = await startBrowser(); });
after(async () => { await browser?.close(); });

const WAIT = { timeout: 10000 };
const FIXTURE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Code fixture</title></head>
<body><main></main><script src="rate-limit-playground.js"></script></body></html>`;

async function openPlayground(viewport = { width: 1280, height: 900 }) {
  const page = await browser.newPage({ viewport });
  await page.route('**/code-fixture.html', (route) => route.fulfill({
    status: 200, contentType: 'text/html; charset=utf-8', headers: { 'Content-Security-Policy': CSP }, body: FIXTURE,
  }));
  await page.goto(`${browser.base}/code-fixture.html`);
  await page.waitForFunction(() => customElements.get('rate-limit-playground'), null, WAIT);
  await page.evaluate(async () => {
    const el = document.createElement('rate-limit-playground');
    el.id = 'pg';
    document.querySelector('main').append(el);
    await el.ready;
  });
  return page;
}

/** The text of the code tab `name` (app.py, nginx.conf, main.go) once rendered. */
async function codeOf(page, name) {
  if (!(await page.locator('#pg .code-panel').evaluate((panel) => panel.open))) await page.locator('#pg .code-panel > summary').click();
  await page.locator('#pg .code-tab', { hasText: name }).click();
  return page.locator('#pg .code-tab-panel:not([hidden]) code').textContent();
}

const APPS = [
  {
    name: 'fixed window, three routes (one named like a Python keyword), default limits, the custom 429 handler',
    app: {
      strategy: 'fixed-window', default_limits: ['4/minute'], error_handler: 'custom',
      routes: [{ path: '/', limits: ['3 per 10 seconds'] }, { path: '/import', limits: [] }, { path: '/health', exempt: true }],
    },
    paths: ['/', '/import', '/health'],
  },
  {
    name: 'fixed window, application limits, several units on one route, defaults kept',
    app: {
      strategy: 'fixed-window', default_limits: ['3 per 10 seconds'], application_limits: ['7/minute'],
      routes: [{ path: '/', limits: [{ limit: '2/minute;1 per 4 seconds', override_defaults: false }] }, { path: '/api/v1-items', limits: [] }],
    },
    paths: ['/', '/api/v1-items'],
  },
  {
    name: 'moving window keyed by an API key header',
    app: {
      strategy: 'moving-window',
      routes: [{ path: '/', limits: [{ limit: '2/5 seconds;5/minute', key_func: 'header:X-Api-Key' }] }],
    },
    paths: ['/'],
  },
];

for (const { name, app, paths } of APPS) {
  test(`app.py (${name}) runs under the real Flask-Limiter with the page's statuses`, async () => {
    const page = await openPlayground();
    const { decided, scenario } = await page.evaluate(({ setup, routes }) => {
      const el = document.getElementById('pg');
      el.importScenario({ ...setup, requests: [] });
      Object.assign(el, { traffic: 'constant', rate: 0.8, clients: 2 });
      const out = [];
      el.addEventListener('decision', (e) => out.push(e.detail));
      el.addEventListener('decisions', (e) => out.push(...e.detail));
      for (let i = 0; i < 12; i++) {
        el.advance(2.5);
        el.send({ count: 2, path: routes[i % routes.length] });
      }
      return { decided: out.map((d) => ({ status: d.status, path: d.path })), scenario: el.exportScenario() };
    }, { setup: app, routes: paths });
    assert.equal(scenario.requests.length, decided.length);
    assert.ok(decided.some((d) => d.status === 429) && decided.some((d) => d.status === 200));

    const source = await codeOf(page, 'app.py');
    const dir = tmpdir();
    fs.writeFileSync(path.join(dir, 'app.py'), `${source}\n`);
    fs.writeFileSync(path.join(dir, 'scenario.json'), JSON.stringify(scenario));
    execFileSync(PYTHON, ['-m', 'pyflakes', path.join(dir, 'app.py')]);  // compiles, no unused import or undefined name
    const { answers: answered, keys } = JSON.parse(execFileSync(PYTHON, [DRIVER, path.join(dir, 'app.py'), path.join(dir, 'scenario.json')]));
    assert.deepEqual(answered.map(([status]) => status), decided.map((d) => d.status));
    // The limits were counted under the storage keys the engine names (ratelimit-sim --trace on
    // the same scenario): app.py's view names are the engine's endpoints.
    const traced = JSON.parse(execFileSync(CLI, ['--trace'], { input: JSON.stringify(scenario) }));
    assert.deepEqual([...new Set(traced.results.flatMap((r) => r.trace.map((c) => c.key).filter(Boolean)))].sort(), keys);
    if (app.error_handler === 'custom') {
      assert.match(source, /@app\.errorhandler\(429\)/);
      assert.ok(answered.filter(([s]) => s === 429).every(([, body]) => body.startsWith('rate limited: ')));
    }
    if (app.strategy === 'fixed-window') {
      // server.js answers the same run the same way under the real express-rate-limit
      const server = await codeOf(page, 'server.js');
      fs.writeFileSync(path.join(dir, 'server.js'), `${server}\n`);
      const express = JSON.parse(execFileSync(process.execPath, [EXPRESS_DRIVER, path.join(dir, 'server.js'), path.join(dir, 'scenario.json')]));
      assert.deepEqual(express.map(([status]) => status), decided.map((d) => d.status));
      if (app.error_handler === 'custom') assert.deepEqual(express.filter(([s]) => s === 429), answered.filter(([s]) => s === 429));
    }
    assert.deepEqual(page.problems, []);
  });
}

/** Go's rule: every package main.go imports is used in it (the file does not compile otherwise). */
function importsUsed(go) {
  const [block, imports] = go.match(/import \(\n([\s\S]*?)\n\)/);
  const rest = go.slice(go.indexOf(block) + block.length);
  for (const [, pkg] of imports.matchAll(/"([^"]+)"/g)) {
    assert.match(rest, new RegExp(`\\b${pkg.split('/').pop()}\\.`), `${pkg} is imported and not used:\n${go}`);
  }
}

test('nginx.conf limits each route at its own path only, as Flask matches it', async () => {
  const page = await openPlayground();
  await page.evaluate(() => document.getElementById('pg').importScenario({
    routes: [{ path: '/', limits: ['10/minute'] }, { path: '/b', limits: ['2/second'] }], requests: [] }));
  const nginx = await codeOf(page, 'nginx.conf');
  // A prefix location (`location /b`) would limit /bar and /b/x too, which Flask answers 404.
  assert.deepEqual(nginx.split('\n').filter((line) => line.trim().startsWith('location')).map((line) => line.trim()), ['location = / {', 'location = /b {']);
  assert.deepEqual(page.problems, []);
});

test('the nginx and Go tabs carry the limits, each with a note; tabs work from the keyboard', async () => {
  const page = await openPlayground();
  await page.evaluate(() => { document.getElementById('pg').rule = '10/minute;2/second'; });
  const nginx = await codeOf(page, 'nginx.conf');
  assert.match(nginx, /limit_req_zone \$binary_remote_addr zone=\w+:10m rate=10r\/m;/);
  assert.match(nginx, /limit_req_zone \$binary_remote_addr zone=\w+:10m rate=2r\/s;/);
  assert.match(nginx, /limit_req zone=\w+ burst=9 nodelay;/);
  assert.match(nginx, /limit_req zone=\w+ burst=1 nodelay;/);
  assert.match(nginx, /limit_req_status 429;/);
  assert.match(await page.locator('#pg .code-tab-panel:not([hidden]) .code-note').textContent(), /leaky bucket.*all of them or to none/);
  // Rates nginx says exactly carry no comment (1000/60 s is not a whole number per second, but
  // exactly 1000r/m); the others say how far off they are, and nginx has nothing slower than 1r/m.
  await page.evaluate(() => { document.getElementById('pg').rule = '1000/minute;100/hour;50/day'; });
  await page.waitForFunction(() => /50 per 1 day/.test(document.getElementById('pg').shadowRoot.querySelector('.code-tab-panel:not([hidden]) code').textContent), null, WAIT);
  const zones = (await codeOf(page, 'nginx.conf')).split('\n').filter((line) => line.startsWith('limit_req_zone')).map((line) => line.replace(/^.*rate=/, ''));
  assert.deepEqual(zones, ['1000r/m;  # 1000 per 1 minute', "2r/m;  # 100 per 1 hour (rounded from 1.67r/m)", "1r/m;  # 50 per 1 day (1r/m is nginx's slowest rate: 29 times this one)"]);
  await page.evaluate(() => { document.getElementById('pg').rule = '0/minute'; });
  await page.waitForFunction(() => /0 per 1 minute/.test(document.getElementById('pg').shadowRoot.querySelector('.code-tab-panel:not([hidden]) code').textContent), null, WAIT);
  const refused = await codeOf(page, 'nginx.conf');
  assert.match(refused, /location = \/ \{\n        return 429;  # 0 per 1 minute: nothing is admitted\n/);
  assert.doesNotMatch(refused, /limit_req_zone/, 'nginx has no rate of 0');
  assert.match(await codeOf(page, 'main.go'), /\trate\.NewLimiter\(0, 0\), \/\/ 0 per 1 minute\n/);
  // Go compiles no file with an unused import: here no duration (no "time"), and with each key
  // function only what it reads (an API key or a constant needs no "net").
  for (const keyFunc of ['remote', 'header', 'constant']) {
    await page.evaluate((k) => { document.getElementById('pg').keyFunc = k; }, keyFunc);
    await page.waitForFunction((k) => document.getElementById('pg').getAttribute('key-func') === k, keyFunc, WAIT);
    importsUsed(await codeOf(page, 'main.go'));
  }
  assert.match(await codeOf(page, 'main.go'), /key := "global"/);
  await page.evaluate(() => { document.getElementById('pg').keyFunc = 'remote'; });
  await page.locator('#pg .code-tab', { hasText: 'nginx.conf' }).click();
  // Under the leaky queue, limit_req queues what is beyond the burst (no nodelay).
  await page.evaluate(() => Object.assign(document.getElementById('pg'), { rule: '5/second', algorithm: 'leaky-queue' }));
  await page.waitForFunction(() => /burst=4;/.test(document.getElementById('pg').shadowRoot.querySelector('.code-tab-panel:not([hidden]) code').textContent), null, WAIT);
  assert.match(await page.locator('#pg .code-tab-panel:not([hidden]) .code-note').textContent(), /without nodelay is the leaky queue/);
  assert.doesNotMatch(await page.locator('#pg .code-tab-panel:not([hidden]) .code-note').textContent(), /all of them or to none/, 'one limit_req here');
  await page.evaluate(() => Object.assign(document.getElementById('pg'), { rule: '10/minute;2/second', algorithm: 'fixed-window' }));

  // Arrow keys move between tabs.
  await page.locator('#pg .code-tab', { hasText: 'nginx.conf' }).press('ArrowRight');
  const go = await page.locator('#pg .code-tab-panel:not([hidden]) code').textContent();
  assert.match(go, /"golang.org\/x\/time\/rate"/);
  assert.match(go, /rate\.NewLimiter\(rate\.Every\(6 \* time\.Second\), 10\), \/\/ 10 per 1 minute/);
  assert.match(go, /rate\.NewLimiter\(rate\.Every\(500 \* time\.Millisecond\), 2\), \/\/ 2 per 1 second/);
  importsUsed(go);
  assert.match(await page.locator('#pg .code-tab-panel:not([hidden]) .code-note').textContent(), /token bucket/);
  assert.equal(await page.evaluate(() => document.getElementById('pg').shadowRoot.activeElement?.textContent), 'main.go');

  // The app.py tab's handler switch changes the app the page runs.
  await page.locator('#pg .code-tab', { hasText: 'app.py' }).click();
  await page.locator('#pg .code-option input').check();
  await page.waitForFunction(() => /@app\.errorhandler\(429\)/.test(document.getElementById('pg').shadowRoot.querySelector('.code-tab-panel:not([hidden]) code').textContent), null, WAIT);
  assert.equal(await page.evaluate(() => document.getElementById('pg').exportScenario().error_handler), 'custom');
  await page.locator('#pg .code-panel').scrollIntoViewIfNeeded();
  await screenshot(page, 'code-view');
  await page.setViewportSize({ width: 375, height: 800 });
  await page.locator('#pg .code-tab', { hasText: 'nginx.conf' }).click();
  await page.locator('#pg .code-panel').scrollIntoViewIfNeeded();
  const widths = await page.evaluate(() => {
    const pg = document.getElementById('pg').shadowRoot.querySelector('.pg');
    return { doc: document.documentElement.scrollWidth, view: innerWidth, scroll: pg.scrollWidth, client: pg.clientWidth };
  });
  assert.ok(widths.doc <= widths.view && widths.scroll <= widths.client, `no horizontal scroll at 375 px: ${JSON.stringify(widths)}`);
  await screenshot(page, 'code-view-phone');
  assert.deepEqual(page.problems, []);
});

test('server.js flags a window longer than the memory store can time, as express-rate-limit itself does', async () => {
  const page = await openPlayground();
  await page.evaluate(() => { document.getElementById('pg').rule = '5/30 days;100/day'; });
  const server = await codeOf(page, 'server.js');
  const line = (text) => server.split('\n').find((l) => l.includes(`// ${text}`));
  assert.match(line('5 per 30 day'), /limited\(5, 2_592_000_000\), \/\/ 5 per 30 day \(longer than the memory store can time: it would forget clients; use another store\)/);
  assert.doesNotMatch(line('100 per 1 day'), /longer than/, 'a day fits its timer');
  // The library agrees: its own check refuses a 30-day windowMs with the default MemoryStore and
  // accepts a day (it reports through console.error, which this test catches).
  const refusals = (windowMs) => {
    const said = [];
    const error = console.error;
    console.error = (...args) => said.push(args.join(' '));
    try {
      repoRequire('express-rate-limit').rateLimit({ windowMs, limit: 5 });
    } finally {
      console.error = error;
    }
    return said.filter((s) => s.includes('ERR_ERL_WINDOW_MS'));
  };
  assert.equal(refusals(30 * 86400 * 1000).length, 1);
  assert.deepEqual(refusals(86400 * 1000), []);
  assert.deepEqual(page.problems, []);
});

test('behind a proxy without ProxyFix, app.py under the real Flask-Limiter answers as the page: defaults count the proxy', async () => {
  // Flask sees the proxy's address on every request, so Limiter(get_remote_address) counts the
  // default and application limits for everyone at once, as well as the route's own limit.
  const page = await openPlayground();
  const decided = await page.evaluate(() => {
    const el = document.getElementById('pg');
    el.importScenario({ strategy: 'fixed-window', epoch: 1700000000, default_limits: ['3/minute'], application_limits: ['5/minute'],
      routes: [{ path: '/', limits: [{ limit: '100/minute', override_defaults: false }] }, { path: '/b', limits: [] }], requests: [] });
    Object.assign(el, { traffic: 'constant', rate: 0.5, clients: 3, proxy: 'no-proxyfix' });
    const out = [];
    el.addEventListener('decisions', (e) => out.push(...e.detail));
    el.advance(6);
    for (let i = 0; i < 4; i++) {
      el.advance(1);
      el.send({ path: '/b' });
    }
    return out.map((d) => ({ t: d.t, key: d.key, path: d.path, status: d.status }));
  });
  assert.ok(new Set(decided.map((d) => d.key)).size > 1, 'several clients');
  assert.ok(decided.some((d) => d.status === 429) && decided.some((d) => d.status === 200));
  const source = await codeOf(page, 'app.py');
  const dir = tmpdir();
  fs.writeFileSync(path.join(dir, 'app.py'), `${source}\n`);
  const requests = decided.map((d) => ({ t: d.t, key: '10.0.0.254', path: d.path }));
  fs.writeFileSync(path.join(dir, 'scenario.json'), JSON.stringify({ epoch: 1700000000, requests }));
  const { answers } = JSON.parse(execFileSync(PYTHON, [DRIVER, path.join(dir, 'app.py'), path.join(dir, 'scenario.json')]));
  assert.deepEqual(answers.map(([status]) => status), decided.map((d) => d.status));
  assert.deepEqual(page.problems, []);
});

test('app.py shows the deployment: workers, a proxy without ProxyFix, a key from X-Forwarded-For', async () => {
  const page = await openPlayground();
  await codeOf(page, 'app.py');  // opens the Code panel on its app.py tab
  const appFor = async (attributes, marker) => {
    await page.evaluate((a) => Object.assign(document.getElementById('pg'), a), attributes);
    const code = await page.waitForFunction((m) => {
      const text = document.getElementById('pg').shadowRoot.querySelector('.code-tab-panel:not([hidden]) code').textContent;
      return text.includes(m) && text;
    }, marker, WAIT);
    return code.jsonValue();
  };
  const compiles = (source) => {
    const file = path.join(tmpdir(), 'app.py');
    fs.writeFileSync(file, `${source}\n`);
    execFileSync(PYTHON, ['-m', 'pyflakes', file]);  // compiles, no unused import or undefined name
    return file;
  };

  const workers = await appFor({ workers: 3, proxy: 'no-proxyfix' }, 'without ProxyFix');
  compiles(workers);
  assert.match(workers, /# Served by 3 worker processes \(gunicorn -w 3 app:app\)/);
  assert.match(workers, /without ProxyFix[\s\S]*# app\.wsgi_app = ProxyFix\(app\.wsgi_app, x_for=1\)/);
  assert.match(workers, /limiter = Limiter\(\n {4}get_remote_address,/);
  assert.match(workers, /^from flask import Flask\n/);  // no `request`: nothing here reads it

  const trusting = await appFor({ workers: 1, proxy: 'trusted-xff' }, 'def forwarded_for');
  assert.doesNotMatch(trusting, /worker processes/);
  assert.match(trusting, /limiter = Limiter\(\n {4}forwarded_for,/);
  assert.match(trusting, /^from flask import Flask, request\n/);
  assert.doesNotMatch(trusting, /^from flask_limiter\.util import get_remote_address$/m);  // not used
  // Under the real Flask-Limiter, one address that sends two X-Forwarded-For values gets two
  // counters: the client picks its own key, as the page shows.
  const rule = await page.evaluate(() => document.getElementById('pg').rule);
  assert.equal(rule, '10/minute');
  const requests = [...Array(12)].map((_, i) => ({ t: i, key: '10.0.0.254', path: '/', headers: { 'X-Forwarded-For': i < 11 ? '192.0.2.1' : '192.0.2.99' } }));
  const scenario = path.join(tmpdir(), 'scenario.json');
  fs.writeFileSync(scenario, JSON.stringify({ epoch: 1700000000, requests }));
  const { answers, keys } = JSON.parse(execFileSync(PYTHON, [DRIVER, compiles(trusting), scenario]));
  assert.deepEqual(answers.map(([status]) => status), [...Array(10).fill(200), 429, 200]);
  assert.deepEqual(keys, ['LIMITER/192.0.2.1/index/10/1/minute', 'LIMITER/192.0.2.99/index/10/1/minute']);
  assert.deepEqual(page.problems, []);
});

test('client.py retries a 429 as the page\'s first client does, for each behaviour', async () => {
  const page = await openPlayground();
  await codeOf(page, 'client.py');  // opens the Code panel on its client.py tab
  /** client.py for the first client with retry behaviour `retry`, run against `answers`. */
  const run = async (retry, answers, attributes = {}) => {
    await page.evaluate(([r, a]) => Object.assign(document.getElementById('pg'), a, { retry: r }), [retry, attributes]);
    const label = await page.evaluate((r) => document.getElementById('pg').shadowRoot
      .querySelector(`select[aria-label="Client 1 on 429"] option[value="${r}"]`).textContent, retry);
    const source = await (await page.waitForFunction((l) => {
      const text = document.getElementById('pg').shadowRoot.querySelector('.code-tab-panel:not([hidden]) code').textContent;
      return text.includes(`on a 429: ${l}.`) && text;
    }, label, WAIT)).jsonValue();
    const file = path.join(tmpdir(), 'client.py');
    fs.writeFileSync(file, `${source}\n`);
    execFileSync(PYTHON, ['-m', 'pyflakes', file]);  // compiles, no unused import or undefined name
    return JSON.parse(execFileSync(PYTHON, [CLIENT_DRIVER, file, ...answers]));
  };
  const settings = await page.evaluate(() => document.getElementById('pg').engine.retrySettings());
  const refusedThrice = ['429:3', '429:2', '429:7', '200:0'];

  const ignore = await run('ignore', refusedThrice);
  assert.deepEqual({ calls: ignore.calls.length, sleeps: ignore.sleeps, status: ignore.status }, { calls: 1, sleeps: [], status: 429 });
  assert.deepEqual(ignore.calls[0], { url: 'http://localhost:5000/', headers: {} });

  const immediate = await run('immediate', refusedThrice);
  assert.deepEqual({ sleeps: immediate.sleeps, status: immediate.status }, { sleeps: [0, 0, 0], status: 200 });

  const backoff = await run('backoff', refusedThrice);
  assert.deepEqual({ sleeps: backoff.sleeps.length, status: backoff.status }, { sleeps: 3, status: 200 });
  backoff.sleeps.forEach((s, attempt) => assert.ok(s >= 0 && s <= Math.min(settings.backoffCap, settings.backoffBase * 2 ** attempt), `wait ${s} after attempt ${attempt}`));

  const obeys = await run('retry-after', refusedThrice);
  assert.deepEqual({ sleeps: obeys.sleeps, status: obeys.status }, { sleeps: [3, 2, 7], status: 200 });

  const margin = await run('retry-after-jitter', refusedThrice);
  assert.equal(margin.sleeps.length, 3);
  margin.sleeps.forEach((s, i) => assert.ok(s >= [3, 2, 7][i] + 1 && s < [3, 2, 7][i] + 2, `wait ${s} for Retry-After ${[3, 2, 7][i]}`));

  // Always refused: it gives up after as many retries as the page's clients make.
  const storm = await run('immediate', ['429:0']);
  const pageRetries = await page.evaluate(() => {
    const el = document.getElementById('pg');
    Object.assign(el, { rule: '1/hour', traffic: 'constant', rate: 0.1 });
    el.reset();
    const attempts = [];
    el.addEventListener('decisions', (e) => attempts.push(...e.detail.map((d) => d.attempt)));
    el.advance(15);  // the arrival at 10 s is refused, then each of its retries
    return Math.max(...attempts);
  });
  assert.equal(pageRetries, settings.maxRetries);
  assert.equal(storm.calls.length, settings.maxRetries + 1);
  assert.equal(storm.status, 429);

  // Keyed by an API key header (the Flask panel's key function): the client sends its key.
  await page.evaluate(() => {
    const select = [...document.getElementById('pg').shadowRoot.querySelectorAll('.flask-panel select')].find((s) => s.querySelector('option[value="header"]'));
    select.value = 'header';
    select.dispatchEvent(new Event('change'));
  });
  const keyed = await run('retry-after-jitter', ['200:0']);
  assert.deepEqual(keyed.calls, [{ url: 'http://localhost:5000/', headers: { 'X-Api-Key': 'key-1' } }]);
  assert.deepEqual(page.problems, []);
});
