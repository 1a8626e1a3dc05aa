// The single-file build (rate-limit-playground.standalone.js: the element with the engine inlined)
// in Debian's Chromium from file://, where nothing can be fetched: copied alone next to a page,
// it starts two playgrounds that decide, under the strict CSP given in a <meta> tag.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startBrowser, screenshot, tmpdir, SITE } from './browser.mjs';

// The single-file builds sit beside the site (build-wasm/single-file), not in it.
const SINGLE_FILE = process.env.SINGLE_FILE_DIR ?? path.join(SITE, '..', 'single-file');
import { CSP } from '../../scripts/static-server.mjs';

let browser;
before(async () => { browser = await startBrowser(); });
after(async () => { await browser?.close(); });

test('the single-file build runs from file:// with nothing beside it', async () => {
  const dir = tmpdir();
  fs.copyFileSync(path.join(SINGLE_FILE, 'rate-limit-playground.standalone.js'), path.join(dir, 'rate-limit-playground.standalone.js'));
  fs.writeFileSync(path.join(dir, 'page.html'), `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<title>Offline</title></head>
<body>
<rate-limit-playground id="a" rule="2/second" compact></rate-limit-playground>
<rate-limit-playground id="b" rule="1/minute" algorithm="gcra" compact></rate-limit-playground>
<script src="rate-limit-playground.standalone.js"></script>
</body></html>`);
  const page = await browser.newPage({ viewport: { width: 900, height: 900 } });
  const requested = [];
  page.on('request', (r) => requested.push(r.url()));
  await page.goto(`file://${path.join(dir, 'page.html')}`);
  const statuses = await page.evaluate(async () => {
    const [a, b] = document.querySelectorAll('rate-limit-playground');
    await Promise.all([a.ready, b.ready]);
    return { a: a.send({ count: 3 }).map((d) => d.status), b: b.send({ count: 2 }).map((d) => d.status) };
  });
  assert.deepEqual(statuses, { a: [200, 200, 429], b: [200, 429] });
  assert.deepEqual(requested.map((u) => path.basename(new URL(u).pathname)), ['page.html', 'rate-limit-playground.standalone.js'],
    'no .wasm (or anything else) is fetched');
  await screenshot(page, 'standalone-file');
  assert.deepEqual(page.problems, []);
});

test('the single-file page (rate-limit-playground.html) works opened from file://, alone', async () => {
  const dir = tmpdir();
  const file = path.join(dir, 'rate-limit-playground.html');
  fs.copyFileSync(path.join(SINGLE_FILE, 'rate-limit-playground.html'), file);
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const requested = [];
  page.on('request', (r) => requested.push(r.url()));
  await page.goto(`file://${file}`);
  const result = await page.evaluate(async () => {
    const all = [...document.querySelectorAll('rate-limit-playground')];
    await Promise.all(all.map((p) => p.ready));
    return { count: all.length, compare: all[1].compare, statuses: all[0].send({ count: 11, key: '192.0.2.1' }).map((d) => d.status),
      embed: all[0].shadowRoot.querySelectorAll('.embed-button').length, link: all[0].shadowRoot.querySelectorAll('.share-button').length,
      intro: document.querySelector('.lede').textContent };
  });
  assert.doesNotMatch(result.intro, /embed code/, 'the page does not name a button it does not have');
  assert.match(result.intro, /Copy link shares an experiment\./);
  assert.equal(result.count, 2, 'the playground and the compare widget');
  assert.equal(result.compare, true);
  assert.deepEqual(result.statuses, [...Array(10).fill(200), 429], '10/minute: a new client\'s eleventh is refused');
  assert.deepEqual([result.link, result.embed], [1, 0], 'Copy link, but no embed code: no embed.html is beside this file');
  assert.deepEqual(requested.map((u) => new URL(u).protocol), ['file:'], 'only the page itself is loaded');
  assert.deepEqual(page.problems, []);
});

test('a scenario attribute on a page opened from file:// says why it cannot load and what to do', async () => {
  const dir = tmpdir();
  fs.copyFileSync(path.join(SINGLE_FILE, 'rate-limit-playground.standalone.js'), path.join(dir, 'rate-limit-playground.standalone.js'));
  fs.copyFileSync(new URL('../../web/examples/boundary-burst.json', import.meta.url), path.join(dir, 'burst.json'));
  fs.writeFileSync(path.join(dir, 'page.html'), `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Offline</title></head>
<body><rate-limit-playground scenario="burst.json" compact></rate-limit-playground>
<script>window.errors = []; document.addEventListener('scenario-error', (e) => window.errors.push(e.detail.message));</script>
<script src="rate-limit-playground.standalone.js"></script></body></html>`);
  const page = await browser.newPage();
  await page.goto(`file://${path.join(dir, 'page.html')}`);
  await page.waitForFunction(() => window.errors.length > 0, null, { timeout: 10000 });
  assert.deepEqual(await page.evaluate(() => window.errors), ['a page opened from a file (file://) cannot fetch files; serve the page, or give the scenario to importScenario()']);
});
