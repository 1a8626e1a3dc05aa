// The replay page (web/replay.html, <rate-limit-replay>) in Debian's Chromium under the strict
// CSP: the sample log, a chosen file with bad lines, other log formats and gzip, files with no
// request, gzip that breaks off and other compressions, times without a zone, proxies and CDNs,
// rule errors in place, re-running under a new rule, tighter and looser rules, an offender watched
// in a playground, the command line that gives the same figures (run by the native CLI, found at
// $CLI), cancelling a long replay, the JS API and its failures, and the page at 375 px and in
// dark mode.
// No sleeps: the UI is awaited with waitForFunction, and replays through their promises.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import zlib from 'node:zlib';
import { execFileSync } from 'node:child_process';
import { startBrowser, screenshot } from './browser.mjs';

const CLI = process.env.CLI ?? new URL('../../build/cli/ratelimit-sim', import.meta.url).pathname;
const SAMPLE_LOG = new URL('../../web/samples/access.log', import.meta.url).pathname;

let browser;
before(async () => { browser = await startBrowser(); });
after(async () => { await browser?.close(); });

const WAIT = { timeout: 15000 };

async function openReplay(options = {}) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, ...options });
  await page.goto(`${browser.base}/replay.html`);
  await page.waitForFunction(() => customElements.get('rate-limit-replay'), null, WAIT);
  await page.evaluate(() => document.querySelector('rate-limit-replay').ready);
  return page;
}

/** Text of the first match of `selector` in the element's shadow root. */
const shadowText = (page, selector) => page.evaluate((s) => document.querySelector('rate-limit-replay').shadowRoot.querySelector(s)?.textContent ?? null, selector);

const waitShadow = (page, selector, pattern) => page.waitForFunction(([s, p]) => {
  const el = document.querySelector('rate-limit-replay').shadowRoot.querySelector(s);
  return el && !el.closest('[hidden]') && new RegExp(p).test(el.textContent);
}, [selector, pattern.source], WAIT);

const click = (page, selector) => page.locator('rate-limit-replay').locator(selector).first().click();

test('the sample log: totals for all eight algorithms, offenders, timeline, no bad lines', async () => {
  const page = await openReplay();
  await click(page, 'text=Try the sample log');
  await waitShadow(page, '.summary', /3,000 requests from 14 clients/);
  // said to screen readers, since the progress box that spoke goes away
  assert.equal(await shadowText(page, '.visually-hidden[role="status"]'), 'Replayed 3,000 requests under 2/second;60/minute: Fixed window denied 714.');
  assert.match(await shadowText(page, '.timing'), /^Read in (under 1 ms|\d+ ms|\d+\.\d\d s), replayed through all 8 algorithms in (under 1 ms|\d+ ms|\d+\.\d\d s), in your browser\.$/);
  assert.equal(await page.locator('rate-limit-replay').locator('.algo-totals:not(.scaled) .total-row').count(), 8);
  assert.match(await shadowText(page, '.offender-table tbody tr .client-name'), /198\.51\.100\.66/);
  assert.match(await shadowText(page, '.offender-summary'), /^\d+ of 14 clients had a request denied(:|; the 10 most denied:)$/);
  assert.ok(await page.locator('rate-limit-replay').locator('.timeline-bar').count() === 60);
  // every axis label is inside the chart, the last time tick included
  const outside = await page.evaluate(() => {
    const svg = document.querySelector('rate-limit-replay').shadowRoot.querySelector('.timeline-chart');
    const width = svg.viewBox.baseVal.width;
    return [...svg.querySelectorAll('.axis-label')].map((t) => [t.textContent, t.getBBox()]).filter(([, b]) => b.x < 0 || b.x + b.width > width).map(([text]) => text);
  });
  assert.deepEqual(outside, []);
  assert.match(await shadowText(page, '.bad-summary'), /No bad lines: all 3,000 lines read/);
  assert.match(await shadowText(page, '.same-as'), /^Token bucket, Leaky bucket \(meter\), Leaky bucket \(queue\) and GCRA admit exactly the same requests: they are one meter/);
  // selecting another algorithm redraws its timeline and offenders; the rows are toggle buttons
  // in a named group, as assistive technology sees them
  const algorithms = page.locator('rate-limit-replay').getByRole('group', { name: 'Algorithms' });
  assert.equal(await algorithms.getByRole('button').count(), 8);
  await algorithms.getByRole('button', { name: /^Token bucket:/ }).click();
  assert.equal(await algorithms.getByRole('button', { name: /^Token bucket:/ }).getAttribute('aria-pressed'), 'true');
  await waitShadow(page, '.pair .panel-title', /Token bucket/);
  // picking an offender draws its own denials over the timeline: they add up to its Denied cell
  const replay = page.locator('rate-limit-replay');
  await replay.locator('.client-pick', { hasText: '192.0.2.7' }).click();
  await waitShadow(page, '.timeline-legend', /^192\.0\.2\.7: [\d,]+ of the [\d,]+ denied$/);
  const picked = await page.evaluate(() => {
    const root = document.querySelector('rate-limit-replay').shadowRoot;
    const row = root.querySelector('.client-pick[aria-pressed="true"]').closest('tr');
    const fromBars = [...root.querySelectorAll('.timeline-bar-client title')].reduce((sum, t) => sum + Number(t.textContent.match(/: ([\d,]+) of/)[1].replace(/,/g, '')), 0);
    return { name: row.querySelector('.client-pick').textContent, denied: Number(row.children[2].textContent.replace(/,/g, '')), fromBars };
  });
  assert.equal(picked.name, '192.0.2.7');
  assert.ok(picked.denied > 0);
  assert.equal(picked.fromBars, picked.denied);
  await screenshot(page, 'replay-desktop', { fullPage: true });
  // it stays picked on another algorithm where it is an offender; a second click clears it
  await replay.locator('.total-row', { hasText: 'Moving window (log)' }).click();
  await waitShadow(page, '.pair .panel-title', /Moving window \(log\)/);
  assert.match(await shadowText(page, '.timeline-legend'), /^192\.0\.2\.7: /);
  await replay.locator('.client-pick', { hasText: '192.0.2.7' }).click();
  await waitShadow(page, '.timeline-legend', /^Pick an offender/);
  assert.equal(await replay.locator('.timeline-bar-client').count(), 0);
  // from the keyboard: Enter picks, and the focus stays on the (redrawn) button
  await replay.locator('.client-pick', { hasText: '198.51.100.66' }).focus();
  await page.keyboard.press('Enter');
  await waitShadow(page, '.timeline-legend', /^198\.51\.100\.66: /);
  assert.deepEqual(await page.evaluate(() => {
    const active = document.querySelector('rate-limit-replay').shadowRoot.activeElement;
    return [active?.textContent, active?.getAttribute('aria-pressed')];
  }), ['198.51.100.66', 'true']);
  assert.deepEqual(page.problems, []);
});

test('a chosen file with bad lines: counted, numbered, shown; the rest replayed', async () => {
  const page = await openReplay();
  const log = [
    '{"ts": 1700000000, "ip": "10.0.0.1"}',
    'this is not JSON',
    '{"ts": 1700000000.2, "ip": "10.0.0.1"}',
    '{"time": "tomorrow", "ip": "10.0.0.2"}',
    '{"ts": 1700000000.4, "ip": "10.0.0.1"}',
  ].join('\n');
  await page.locator('rate-limit-replay').locator('input[type=file]').setInputFiles({ name: 'mixed.jsonl', mimeType: 'text/plain', buffer: Buffer.from(log) });
  await waitShadow(page, '.summary', /mixed\.jsonl: 3 requests/);
  assert.match(await shadowText(page, '.bad-summary'), /2 bad lines were skipped/);
  const lines = await page.evaluate(() => [...document.querySelector('rate-limit-replay').shadowRoot.querySelectorAll('.bad-where')].map((e) => e.textContent));
  assert.deepEqual(lines, ['Line 2', 'Line 4']);
  assert.match(await shadowText(page, '.bad-list li:nth-child(2) .bad-reason'), /the time is not epoch seconds/);
  assert.deepEqual(page.problems, []);
});

test('requests that name no client are said, per client only', async () => {
  const page = await openReplay();
  const caddy = [
    '{"ts": 1700000000, "request": {"client_ip": "203.0.113.5"}, "user_id": ""}',
    '{"ts": 1700000000.2, "request": {"client_ip": "198.51.100.7"}, "user_id": ""}',
    '{"ts": 1700000000.4}',
  ].join('\n');
  await page.locator('rate-limit-replay').locator('input[type=file]').setInputFiles({ name: 'caddy.jsonl', mimeType: 'text/plain', buffer: Buffer.from(caddy) });
  await waitShadow(page, '.summary', /caddy\.jsonl: 3 requests from 3 clients/);
  assert.equal(await shadowText(page, '.no-client'), 'Requests without a client: 1. They count together as one client, “(no client field)”.');
  await click(page, 'text=Try the sample log');
  await waitShadow(page, '.summary', /3,000 requests/);
  assert.equal(await page.evaluate(() => document.querySelector('rate-limit-replay').shadowRoot.querySelector('.no-client').hidden), true);
  await page.evaluate(() => document.querySelector('rate-limit-replay').replayText('1700000000\n1700000001\n', { rule: '1/second' }));
  await waitShadow(page, '.no-client', /^No line has a client .* as with “everyone together”\.$/);
  await page.evaluate(() => document.querySelector('rate-limit-replay').replayText('1700000000\n1700000001\n', { rule: '1/second', key: 'none' }));
  await page.waitForFunction(() => document.querySelector('rate-limit-replay').shadowRoot.querySelector('.no-client').hidden, null, WAIT);
  assert.deepEqual(page.problems, []);
});

test("times without a zone: Flask's development server log is shown by its own clock, a mix says how many were read as UTC", async () => {
  const page = await openReplay();
  const werkzeug = '127.0.0.1 - - [29/Nov/2026 09:00:00] "GET / HTTP/1.1" 200 -\n127.0.0.1 - - [29/Nov/2026 09:00:01] "GET / HTTP/1.1" 429 -\n';
  await page.evaluate((text) => document.querySelector('rate-limit-replay').replayText(text, { rule: '1/second' }), werkzeug);
  await waitShadow(page, '.summary', /, 2026-11-29 09:00:00\.00 to 2026-11-29 09:00:01\.00 by the log's own clock, which names no zone \(read as common log\)\.$/);
  const mixed = '{"ts": "2026-11-29T09:00:00"}\n{"ts": "2026-11-29T09:00:01Z"}\n';
  await page.evaluate((text) => document.querySelector('rate-limit-replay').replayText(text, { rule: '1/second' }), mixed);
  await waitShadow(page, '.summary', /09:00:00\.00 UTC to 2026-11-29 09:00:01\.00 UTC \(read as JSON lines\)\. 1 request with no zone in the time, read as UTC\.$/);
  await click(page, 'text=Try the sample log');
  await waitShadow(page, '.summary', /^access\.log \(sample\): 3,000 requests from 14 clients, 2024-05-01 10:00:00\.00 UTC to 2024-05-01 10:15:00\.00 UTC \(read as combined log\)\./);
  assert.doesNotMatch(await shadowText(page, '.summary'), /zone/);
  assert.deepEqual(page.problems, []);
});

test('a log written behind a proxy: most requests from a private or loopback address, said with a link to the deployment traps', async () => {
  const page = await openReplay();
  const log = ['10.0.0.2', '10.0.0.2', '10.0.0.2', '203.0.113.9'].map((ip, i) => `${ip} - - [01/May/2024:10:00:0${i} +0000] "GET / HTTP/1.1" 200 5`).join('\n');
  await page.evaluate((text) => document.querySelector('rate-limit-replay').replayText(text, { rule: '1/second' }), log);
  await waitShadow(page, '.proxy', /^3 of 4 requests come from 10\.0\.0\.2, a private address: probably a proxy .* \(deployment traps\), and so does this replay/);
  const href = await page.evaluate(() => document.querySelector('rate-limit-replay').shadowRoot.querySelector('.proxy a').href);
  assert.equal(new URL(href).pathname + new URL(href).hash, '/index.html#deployment-traps');
  assert.equal((await (await fetch(href)).text()).includes('id="deployment-traps"'), true);  // the lesson is there
  // This machine itself: a local proxy, or Flask's development server tried from a browser.
  await page.evaluate((text) => document.querySelector('rate-limit-replay').replayText(text, { rule: '1/second' }), log.replaceAll('10.0.0.2', '127.0.0.1'));
  await waitShadow(page, '.proxy', /^3 of 4 requests come from 127\.0\.0\.1, this machine itself: a proxy on the same machine .*Flask's development server\. Behind a proxy without ProxyFix, /);
  await page.evaluate((text) => document.querySelector('rate-limit-replay').replayText(text, { rule: '1/second', key: 'none' }), log);
  await page.waitForFunction(() => document.querySelector('rate-limit-replay').shadowRoot.querySelector('.proxy').hidden, null, WAIT);
  assert.deepEqual(page.problems, []);
});

test('behind a load balancer, nginx logs X-Forwarded-For: one button counts per the clients it names', async () => {
  const page = await openReplay();
  // nginx's default log format: combined, then "$http_x_forwarded_for". 203.0.113.7 sends three
  // requests in a second, the first time claiming to be someone else.
  const log = [['203.0.113.7', 0], ['1.2.3.4, 203.0.113.7', 0], ['203.0.113.7', 0], ['198.51.100.9', 1]]
    .map(([xff, s]) => `10.0.0.2 - - [01/May/2024:10:00:0${s} +0000] "GET / HTTP/1.1" 200 5 "-" "curl" "${xff}"`).join('\n');
  await page.evaluate((text) => document.querySelector('rate-limit-replay').replayText(text, { rule: '1/second', strategy: 'fixed-window' }), log);
  await waitShadow(page, '.proxy', /^4 of 4 requests come from 10\.0\.0\.2, .*and so does this replay\. 4 requests carry X-Forwarded-For, which names the client behind the proxy, as ProxyFix reads it: Count per X-Forwarded-For$/);
  await waitShadow(page, '.summary', /: 4 requests, /);  // one client: the proxy
  await page.locator('rate-limit-replay').getByRole('button', { name: 'Count per X-Forwarded-For' }).click();
  await waitShadow(page, '.summary', /4 requests from 2 clients,/);
  assert.equal(await page.evaluate(() => document.querySelector('rate-limit-replay').shadowRoot.querySelector('.proxy').hidden), true);
  // The form says what was done, and focus is on the field it set.
  const form = await page.evaluate(() => {
    const root = document.querySelector('rate-limit-replay').shadowRoot;
    return { field: root.querySelector('.key-field').value, key: root.querySelector('form').elements.key.value, focused: root.activeElement?.className };
  });
  assert.deepEqual(form, { field: 'x-forwarded-for', key: 'field', focused: 'key-field' });
  // 203.0.113.7: three requests in one second, two denied; the forged address is not a client.
  assert.match(await shadowText(page, '.offender-table tbody tr .client-name'), /^203\.0\.113\.7$/);
  assert.match(await shadowText(page, '.offender-summary'), /^1 of 2 clients had a request denied/);
  assert.deepEqual(page.problems, []);
});

test('behind a CDN, most requests carrying X-Forwarded-For are said to come through a proxy, with the same button', async () => {
  const page = await openReplay();
  const log = [['162.158.1.1', '203.0.113.7', 0], ['172.70.2.2', '203.0.113.7', 1], ['162.158.1.1', '198.51.100.9', 2], ['198.51.100.20', '-', 3]]
    .map(([edge, xff, s]) => `${edge} - - [01/May/2024:10:00:0${s} +0000] "GET / HTTP/1.1" 200 5 "-" "curl" "${xff}"`).join('\n');
  await page.evaluate((text) => document.querySelector('rate-limit-replay').replayText(text, { rule: '1/minute', strategy: 'fixed-window' }), log);
  await waitShadow(page, '.proxy', /^3 of 4 requests carry X-Forwarded-For: they came through a proxy or CDN .*counts each proxy address as a client \(deployment traps\)\. Count per the client the header names, as Flask-Limiter with ProxyFix set for your proxies does: Count per X-Forwarded-For$/);
  await waitShadow(page, '.summary', /4 requests from 3 clients/);  // the edges
  await page.locator('rate-limit-replay').getByRole('button', { name: 'Count per X-Forwarded-For' }).click();
  // two named clients and the line without one
  await waitShadow(page, '.no-client', /^Requests without a field “x-forwarded-for”: 1\. They count together as one client/);
  assert.equal(await page.evaluate(() => document.querySelector('rate-limit-replay').shadowRoot.querySelector('.proxy').hidden), true);
  assert.match(await shadowText(page, '.offender-table tbody tr .client-name'), /^203\.0\.113\.7$/);
  assert.deepEqual(page.problems, []);
});

test('behind a CDN and a load balancer, counted per X-Forwarded-For, the edges are said and can be skipped', async () => {
  const page = await openReplay();
  const replay = page.locator('rate-limit-replay');
  // CloudFront -> ALB -> nginx: the ALB appends the edge, so the header reads "client, edge".
  const log = [['203.0.113.7, 130.176.12.4', 0], ['203.0.113.7, 130.176.99.1', 1], ['198.51.100.9, 130.176.12.4', 2], ['192.0.2.1', 3]]
    .map(([xff, s]) => `10.0.0.5 - - [01/May/2024:10:00:0${s} +0000] "GET / HTTP/1.1" 200 5 "-" "curl" "${xff}"`).join('\n');
  assert.equal(await replay.locator('.proxies-row').isHidden(), true);  // until the count is per X-Forwarded-For
  await page.evaluate((text) => document.querySelector('rate-limit-replay').replayText(text, { rule: '1/minute', strategy: 'fixed-window', keyField: 'x-forwarded-for' }), log);
  await waitShadow(page, '.summary', /4 requests from 3 clients/);  // two edges and 192.0.2.1
  await waitShadow(page, '.proxy', /^3 of 4 requests name a public address in X-Forwarded-For before the one counted \(“client, edge”\): .*counts each edge as a client \(deployment traps\)\. Skip the public proxy$/);
  assert.equal(await replay.locator('.proxies-row select').inputValue(), '0');
  await replay.getByRole('button', { name: 'Skip the public proxy' }).click();
  await waitShadow(page, '.summary', /4 requests from 3 clients/);
  await page.waitForFunction(() => document.querySelector('rate-limit-replay').result.publicProxies === 1, null, WAIT);
  assert.equal(await replay.locator('.proxies-row select').inputValue(), '1');
  assert.equal(await page.evaluate(() => document.querySelector('rate-limit-replay').shadowRoot.querySelector('.proxy').hidden), true);
  assert.equal(await shadowText(page, '.offender-table tbody tr .client-name'), '203.0.113.7');  // its second request, denied
  // The list goes back as it is changed: the edges again.
  await replay.locator('.proxies-row select').selectOption('0');
  await page.waitForFunction(() => document.querySelector('rate-limit-replay').result.publicProxies === 0, null, WAIT);
  assert.equal(await shadowText(page, '.offender-table tbody tr .client-name'), '130.176.12.4');
  assert.deepEqual(page.problems, []);
});

test('past the most public proxies the form can skip, the notice says so without offering a button', async () => {
  const page = await openReplay();
  const replay = page.locator('rate-limit-replay');
  // five public proxies after each client: three skipped still count an edge
  const hops = ['130.176.1.1', '130.176.2.2', '130.176.3.3', '130.176.4.4', '130.176.5.5'].join(', ');
  const log = [0, 1, 2, 3].map((s) => `10.0.0.5 - - [01/May/2024:10:00:0${s} +0000] "GET / HTTP/1.1" 200 5 "-" "curl" "203.0.113.${s}, ${hops}"`).join('\n');
  await page.evaluate((text) => document.querySelector('rate-limit-replay').replayText(text, { rule: '1/minute', strategy: 'fixed-window', keyField: 'x-forwarded-for' }), log);
  await page.waitForFunction(() => document.querySelector('rate-limit-replay').result?.beyondPublicProxy, null, WAIT);
  await replay.locator('.proxies-row select').selectOption('3');
  await page.waitForFunction(() => document.querySelector('rate-limit-replay').result.publicProxies === 3, null, WAIT);
  await waitShadow(page, '.proxy', /^4 of 4 requests name a public address in X-Forwarded-For before the one counted .*\(deployment traps\)\.$/);
  assert.equal(await replay.locator('.skip-proxies').count(), 0, 'no button for a fourth: the list stops at three');
  assert.deepEqual(page.problems, []);
});

test('times in whole seconds are said to be too coarse for a rule of a few seconds, and not for a longer one', async () => {
  const page = await openReplay();
  const log = [0, 0, 1, 1, 2].map((s) => `203.0.113.5 - - [10/Oct/2024:12:00:0${s} +0000] "GET / HTTP/1.1" 200 5`).join('\n');
  const el = page.locator('rate-limit-replay');
  const coarse = async (rule) => {
    const result = await page.evaluate(([text, r]) => document.querySelector('rate-limit-replay').replayText(text, { rule: r }), [log, rule]);
    return { coarse: result.coarseTimes, said: await el.locator('.notice.coarse').isVisible() };
  };
  assert.deepEqual(await coarse('2/second'), { coarse: true, said: true });
  assert.match(await el.locator('.notice.coarse').textContent(), /^Every time in this log is a whole second, too coarse for a rule with a window of a few seconds: .* A log with sub-second times \(nginx’s \$msec, JSON with milliseconds\) replays exactly\.$/);
  assert.deepEqual(await coarse('2/minute'), { coarse: false, said: false });
  assert.deepEqual(page.problems, []);
});

test('an IIS log is detected by its #Fields directive; the Format list names every format', async () => {
  const page = await openReplay();
  const iis = '#Version: 1.0\n#Fields: date time cs-method cs-uri-stem c-ip sc-status\n' +
    '2024-05-01 10:00:00 GET /api 203.0.113.5 200\n2024-05-01 10:00:00 GET /api 203.0.113.5 200\n2024-05-01 10:00:01 GET / 198.51.100.7 200\n';
  await page.locator('rate-limit-replay').locator('input[type=file]').setInputFiles({ name: 'u_ex240501.log', mimeType: 'text/plain', buffer: Buffer.from(iis) });
  await waitShadow(page, '.summary', /u_ex240501\.log: 3 requests from 2 clients, .* \(read as W3C extended: IIS, CloudFront\)\./);
  const formats = await page.evaluate(() => [...document.querySelector('rate-limit-replay').shadowRoot.querySelectorAll('select option')]
    .filter((o) => o.parentElement.querySelector('option[value="w3c"]')).map((o) => o.value));
  const engineFormats = ['auto', 'common', 'combined', 'jsonl', 'csv', 'timestamps', 'w3c', 'elb', 'uwsgi', 'haproxy', 'heroku', 'envoy'];  // core/access_log.cpp
  assert.deepEqual(formats, engineFormats);
  // Another format reads the file again as that format (and the command line below says so).
  const format = page.locator('rate-limit-replay').locator('.field', { hasText: 'Format' }).locator('select');
  await format.selectOption('jsonl');
  await waitShadow(page, '.summary', /^No request could be read from u_ex240501\.log/);
  await waitShadow(page, '.command', /--format jsonl/);
  await format.selectOption('auto');
  await waitShadow(page, '.summary', /u_ex240501\.log: 3 requests from 2 clients/);
  assert.deepEqual(page.problems, []);
});

test('tighter or looser: the selected algorithm under the rule scaled; picking one replays it', async () => {
  const page = await openReplay();
  await click(page, 'text=Try the sample log');
  await waitShadow(page, '.summary', /3,000 requests/);
  const rows = () => page.evaluate(() => [...document.querySelector('rate-limit-replay').shadowRoot.querySelectorAll('.scaled .total-row')]
    .map((row) => ({ rule: row.querySelector('.total-name').textContent, pressed: row.getAttribute('aria-pressed'), denied: row.querySelector('.denied-text').textContent, focused: row.matches(':focus') })));
  const deniedOf = (algorithm) => page.evaluate((name) => [...document.querySelector('rate-limit-replay').shadowRoot.querySelectorAll('.algo-totals:not(.scaled) .total-row')]
    .find((row) => row.querySelector('.total-name').textContent === name).querySelector('.denied-text').textContent, algorithm);
  await waitShadow(page, '.scaled .total-row:last-child .total-name', /^16\/second;480\/minute$/);
  const scaled = await rows();
  assert.deepEqual(scaled.map((row) => row.rule), ['1/second;8/minute', '1/second;15/minute', '1/second;30/minute',
    '2/second;60/minute', '4/second;120/minute', '8/second;240/minute', '16/second;480/minute']);
  assert.deepEqual(scaled.map((row) => row.pressed), ['false', 'false', 'false', 'true', 'false', 'false', 'false']);
  assert.equal(scaled[3].denied, await deniedOf('Fixed window'));  // the rule in force: the totals' figures
  const denied = scaled.map((row) => Number(row.denied.replace(/,|\s.*/g, '')));
  assert.deepEqual([...denied].sort((a, b) => b - a), denied);  // a looser fixed window never denies more
  // Another algorithm: its own scaled rules.
  await page.locator('rate-limit-replay').locator('.total-row', { hasText: 'Moving window (log)' }).first().click();
  await waitShadow(page, '.card:has(.scaled) .panel-title', /^Tighter or looser: Moving window \(log\)$/);
  await page.waitForFunction(() => document.querySelector('rate-limit-replay').shadowRoot.querySelectorAll('.scaled .total-row').length === 7, null, WAIT);
  assert.equal((await rows())[3].denied, await deniedOf('Moving window (log)'));
  // Picking a looser rule (from the keyboard) puts it in the rule field and replays everything under it.
  await page.locator('rate-limit-replay').getByRole('group', { name: 'Tighter and looser rules' })
    .getByRole('button', { name: /^4\/second;120\/minute:/ }).focus();
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.querySelector('rate-limit-replay').shadowRoot.querySelector('.scaled .total-row[aria-pressed="true"] .total-name')?.textContent === '4/second;120/minute', null, WAIT);
  assert.equal(await page.locator('rate-limit-replay').locator('.rule-field input').inputValue(), '4/second;120/minute');
  const after = await rows();
  assert.equal(after.find((row) => row.pressed === 'true').denied, await deniedOf('Moving window (log)'));
  assert.equal(after.find((row) => row.focused)?.rule, '4/second;120/minute');  // the focus stays on the pick
  assert.deepEqual(page.problems, []);
});

test("an offender's requests can be watched in a playground, which denies exactly what the replay counted", async () => {
  const page = await openReplay();
  await click(page, 'text=Try the sample log');
  await waitShadow(page, '.summary', /3,000 requests from 14 clients/);
  const replay = page.locator('rate-limit-replay');
  await replay.getByRole('button', { name: /^192\.0\.2\.7:/ }).click();
  await replay.getByRole('button', { name: 'Watch 192.0.2.7 in the playground' }).click();
  await waitShadow(page, '.watch .panel-title', /^192\.0\.2\.7 in the playground$/);
  await page.waitForFunction(() => document.querySelector('rate-limit-replay').shadowRoot.activeElement?.matches('.watch .panel-title'), null, WAIT);  // the keyboard follows
  assert.match(await shadowText(page, '.watch .field-help'), /^Its 300 requests at their own times, under 2\/second;60\/minute with Fixed window, from 2024-05-01 \d\d:\d\d:\d\d\.\d\d UTC\. Press Play/);
  // The playground's script was loaded on demand, under the strict CSP; it starts at the client's first request.
  await page.waitForFunction(() => document.querySelector('rate-limit-replay').shadowRoot.querySelector('rate-limit-playground')?.engine, null, WAIT);
  const playgroundTime = () => page.evaluate(() => document.querySelector('rate-limit-replay').shadowRoot.querySelector('rate-limit-playground').time);
  assert.equal(await playgroundTime(), 0);
  // Next 429 runs to its first denial (t = 1 s: a burst at 10:00:01) and says why
  await replay.locator('rate-limit-playground .time-buttons button.next-429').click();
  await page.waitForFunction(() => document.querySelector('rate-limit-replay').shadowRoot.querySelector('rate-limit-playground').time > 0, null, WAIT);
  assert.match(await replay.locator('rate-limit-playground .why-summary').textContent(), /429 Too Many Requests · request #\d+ · 192\.0\.2\.7 → GET \/ · t = 1\.000 s/);
  const watched = await page.evaluate(() => {
    const playground = document.querySelector('rate-limit-replay').shadowRoot.querySelector('rate-limit-playground');
    playground.seek(1e6);  // to the end: every request decided
    return { algorithm: playground.algorithm, rule: playground.rule };
  });
  assert.deepEqual(watched, { algorithm: 'fixed-window', rule: '2/second;60/minute' });
  // drawn once every one of its 300 requests is counted
  await page.waitForFunction(() => document.querySelector('rate-limit-replay').shadowRoot.querySelector('rate-limit-playground').shadowRoot.querySelector('.total-requests strong')?.textContent === '300', null, WAIT);
  const denied = Number(await replay.locator('rate-limit-playground .total-rejected strong').textContent());
  const offender = await page.evaluate(() => document.querySelector('rate-limit-replay').result.algorithms[0].top.find((o) => o.client === '192.0.2.7'));
  assert.equal(denied, offender.denied);  // two engines, one answer: 259
  // A new rule is a new result: the playground, now showing the old one, is put away.
  await replay.locator('.rule-field input').first().fill('5/second');  // the replay's, above the playground's
  await page.waitForFunction(() => document.querySelector('rate-limit-replay').shadowRoot.querySelector('.watch').hidden, null, WAIT);
  assert.deepEqual(page.problems, []);
});

/** The words of a POSIX shell command as commandLine() writes it: plain, or single-quoted. */
const shellWords = (command) => [...command.matchAll(/'((?:[^']|'\\'')*)'|(\S+)/g)]
  .map(([, quoted, plain]) => (quoted === undefined ? plain : quoted.replaceAll("'\\''", "'")));

test('the command line under the results gives the same figures in the native CLI', async () => {
  const page = await openReplay();
  await click(page, 'text=Try the sample log');
  await waitShadow(page, '.summary', /3,000 requests from 14 clients/);
  assert.equal(await shadowText(page, '.command'), "ratelimit-sim replay --rule '2/second;60/minute' access.log");
  // one route and one algorithm, each said as the CLI spells it
  const replay = page.locator('rate-limit-replay');
  await replay.locator('.path-field input').fill('/api');
  await replay.locator('.path-field input').dispatchEvent('change');
  await replay.locator('select').first().selectOption('moving-window');
  await page.waitForFunction(() => {
    const { result } = document.querySelector('rate-limit-replay');
    return result.path === '/api' && result.algorithms.length === 1;
  }, null, WAIT);
  const command = await shadowText(page, '.command');
  assert.equal(command, "ratelimit-sim replay --rule '2/second;60/minute' --strategy moving-window --path /api access.log");
  const words = shellWords(command);
  const cli = JSON.parse(execFileSync(CLI, [...words.slice(1, -1), '--json', SAMPLE_LOG]));
  const shown = await page.evaluate(() => document.querySelector('rate-limit-replay').result);
  const totals = (algorithms) => algorithms.map(({ algorithm, allowed, denied }) => ({ algorithm, allowed, denied }));
  assert.deepEqual(totals(cli.algorithms), totals(shown.algorithms));
  assert.equal(cli.left_out, shown.leftOut);
  // quoting, and pasted text read from stdin
  await page.evaluate(() => document.querySelector('rate-limit-replay').replayText('1700000000\n', { rule: '5 per minute', key: 'none', format: 'timestamps' }));
  await waitShadow(page, '.command', /^ratelimit-sim replay --rule '5 per minute' --strategy moving-window --key none --path \/api --format timestamps -$/);
  assert.deepEqual(shellWords("a 'it'\\''s' b"), ['a', "it's", 'b']);
  assert.deepEqual(page.problems, []);
});

test('a setting changed while a log is read applies once it is read', async () => {
  const page = await openReplay();
  // a log long enough to be read for a while: 200,000 requests from 100 clients
  const reading = page.evaluate(() => {
    const lines = Array.from({ length: 200000 }, (_, i) => `10.0.0.${i % 100} - - [01/May/2024:10:00:00 +0000] "GET / HTTP/1.1" 200 5`);
    window.replaying = document.querySelector('rate-limit-replay').replayText(lines.join('\n'));
  });
  await reading;
  await page.waitForFunction(() => document.querySelector('rate-limit-replay').hasAttribute('busy'), null, WAIT);
  await page.locator('rate-limit-replay select').first().selectOption('gcra');  // while the log is read
  await page.evaluate(() => window.replaying);
  await page.waitForFunction(() => document.querySelector('rate-limit-replay').result?.algorithms.length === 1, null, WAIT);
  assert.equal(await page.evaluate(() => document.querySelector('rate-limit-replay').result.algorithms[0].algorithm), 'gcra');
  assert.deepEqual(page.problems, []);
});

test("when the playground's script cannot be loaded, watching an offender says so", async () => {
  const page = await openReplay();
  await page.route('**/rate-limit-playground.js', (route) => route.abort());
  await click(page, 'text=Try the sample log');
  await waitShadow(page, '.summary', /3,000 requests from 14 clients/);
  const replay = page.locator('rate-limit-replay');
  await replay.getByRole('button', { name: /^192\.0\.2\.7:/ }).click();
  await replay.getByRole('button', { name: 'Watch 192.0.2.7 in the playground' }).click();
  await waitShadow(page, '.progress-box.failed .status-text', /^The playground could not be loaded from http:\/\/127\.0\.0\.1:\d+\/rate-limit-playground\.js\.$/);
  assert.equal(await page.evaluate(() => document.querySelector('rate-limit-replay').shadowRoot.querySelector('.watch').hidden), true);
  // only the browser's own line for the aborted request; the page throws nothing
  assert.deepEqual(page.problems, ['console: Failed to load resource: net::ERR_FAILED']);
});

test('a gzipped log is read as it is', async () => {
  const page = await openReplay();
  const lines = Array.from({ length: 20000 }, (_, i) => `10.0.${(i >> 8) & 3}.${i & 255} - - [01/May/2024:10:${String(Math.floor(i / 600)).padStart(2, '0')}:${String(Math.floor(i / 10) % 60).padStart(2, '0')} +0000] "GET / HTTP/1.1" 200 5`);
  const gz = zlib.gzipSync(Buffer.from(lines.join('\n') + '\n'));
  await page.locator('rate-limit-replay').locator('input[type=file]').setInputFiles({ name: 'access.log.2.gz', mimeType: 'application/gzip', buffer: gz });
  await waitShadow(page, '.summary', /access\.log\.2\.gz: 20,000 requests from 1,024 clients, .*\(read as common log\)/);
  assert.match(await shadowText(page, '.bad-summary'), /No bad lines: all 20,000 lines read/);
  assert.deepEqual(page.problems, []);
});

test('a file with no request says why and shows only its bad lines; a gzip that breaks off is read up to there', async () => {
  const page = await openReplay();
  const input = page.locator('rate-limit-replay').locator('input[type=file]');
  await input.setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('hello\nworld\n') });
  await waitShadow(page, '.summary', /^No request could be read from notes\.txt: all 2 of its lines are bad \(below\)\.$/);
  assert.match(await shadowText(page, '.bad-summary'), /^2 bad lines were skipped\.$/);
  // no empty charts of zero requests: the totals, timeline, offenders and scaled rules are hidden
  assert.equal(await page.locator('rate-limit-replay').locator('.results > section.card:visible, .results > .pair:visible').count(), 1);
  assert.equal(await shadowText(page, '.timing'), '');
  // a file compressed other than with gzip: one bad line that says so, no garbage
  await input.setInputFiles({ name: 'access.log.1.zst', mimeType: 'application/zstd', buffer: Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 10, 1, 2, 10, 3]) });
  await waitShadow(page, '.summary', /^No request could be read from access\.log\.1\.zst: its only line is bad \(below\)\.$/);
  assert.equal(await shadowText(page, '.bad-reason'), 'the file is compressed with zstd: decompress it first, or compress it with gzip instead');
  assert.equal(await page.locator('rate-limit-replay').locator('.bad-text').count(), 0);
  assert.equal(await shadowText(page, '.notice.unread'), 'access.log.1.zst, line 1: the file is compressed with zstd: decompress it first, or compress it with gzip instead.');
  await input.setInputFiles({ name: 'blank.log', mimeType: 'text/plain', buffer: Buffer.from('\n\n') });
  await waitShadow(page, '.summary', /^No request could be read from blank\.log: its 2 lines are blank, headers or comments\.$/);
  await input.setInputFiles({ name: 'empty.log', mimeType: 'text/plain', buffer: Buffer.alloc(0) });
  await waitShadow(page, '.summary', /^No request could be read from empty\.log: it holds no line\.$/);
  assert.equal(await shadowText(page, '.bad-summary'), 'No bad lines: there was no line to read.');
  // a binary file: one bad line that says so, not pages of garbage
  await input.setInputFiles({ name: 'photo.log', mimeType: 'text/plain', buffer: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 10, 1, 2, 10]) });
  await waitShadow(page, '.summary', /^No request could be read from photo\.log: all 3 of its lines are bad \(below\)\.$/);
  assert.equal(await shadowText(page, '.notice.unread'), 'photo.log, line 3: the file is binary, not a text log (line 3 holds a NUL byte).');
  // a replay that reads: everything shows again
  await click(page, 'text=Try the sample log');
  await waitShadow(page, '.summary', /3,000 requests from 14 clients/);
  assert.equal(await page.locator('rate-limit-replay').locator('.results > section.card:visible, .results > .pair:visible').count(), 4);
  // a gzip that breaks off (copied while it was written) is read up to there; the cut line is bad
  const line = (i) => `10.0.0.${i % 7} - - [01/May/2024:10:${String(Math.floor(i / 60)).padStart(2, '0')}:${String(i % 60).padStart(2, '0')} +0000] "GET / HTTP/1.1" 200 5\n`;
  const gz = zlib.gzipSync(Buffer.from(Array.from({ length: 3000 }, (_, i) => line(i)).join('')));
  await input.setInputFiles({ name: 'access.log.3.gz', mimeType: 'application/gzip', buffer: gz.subarray(0, gz.length >> 1) });
  await waitShadow(page, '.summary', /^access\.log\.3\.gz: [\d,]+ requests from 7 clients/);
  const read = await page.evaluate(() => document.querySelector('rate-limit-replay').result.requests);
  assert.ok(read > 0 && read < 3000, String(read));
  assert.equal(await shadowText(page, '.bad-summary'), '1 bad line was skipped.');
  assert.equal(await shadowText(page, '.bad-where'), `Line ${(read + 1).toLocaleString('en-US')}`);
  assert.match(await shadowText(page, '.bad-reason'), /^the file breaks off here \(.+\); the lines before it were read$/);
  assert.ok(line(read).startsWith(await shadowText(page, '.bad-text')));
  // and said under the summary, which the bad lines may be far below
  assert.match(await shadowText(page, '.notice.unread'), new RegExp(`^access\\.log\\.3\\.gz, line ${(read + 1).toLocaleString('en-US')}: the file breaks off here \\(.+\\); the lines before it were read\\.$`));
  assert.deepEqual(page.problems, []);
});

test('rotated files chosen together are one log: in any order, gzipped or not, bad lines named by file', async () => {
  const page = await openReplay();
  const line = (second) => `203.0.113.9 - - [01/May/2024:10:00:${String(second).padStart(2, '0')} +0000] "GET / HTTP/1.1" 200 5`;
  // access.log (the newest, one line out of order, the last without a newline) first, then
  // access.log.1.gz, older: that file coming second is no disorder.
  const files = [
    { name: 'access.log', mimeType: 'text/plain', buffer: Buffer.from([line(31), line(30), line(31)].join('\n')) },
    { name: 'access.log.1.gz', mimeType: 'application/gzip', buffer: zlib.gzipSync(Buffer.from(['oops', line(0), line(1)].join('\n') + '\n')) },
  ];
  await page.locator('rate-limit-replay').locator('.rule-field input').fill('1/second');
  await page.locator('rate-limit-replay').locator('input[type=file]').setInputFiles(files);
  await waitShadow(page, '.summary', /^access\.log and access\.log\.1\.gz: 5 requests, 2024-05-01 10:00:00\.00 UTC to 2024-05-01 10:00:31\.00 UTC \(read as common log\)\. 1 request out of order in its file was replayed at its own time\.$/);
  assert.match(await shadowText(page, '.bad-list'), /^access\.log\.1\.gz, line 1/);
  assert.equal(await page.evaluate(() => document.querySelector('rate-limit-replay').result.files.length), 2);
  // Under 1/second, the two requests at 10:00:31 are one too many; the files' order did not matter.
  assert.match(await shadowText(page, '.total-row .denied-text'), /^1 denied/);
  // Counting per a field reads the same files again.
  await page.locator('rate-limit-replay').getByRole('combobox', { name: 'Field to count per' }).fill('user');
  await page.locator('rate-limit-replay').getByRole('combobox', { name: 'Field to count per' }).press('Enter');
  await waitShadow(page, '.no-client', /^No line has a field “user”/);
  await waitShadow(page, '.summary', /^access\.log and access\.log\.1\.gz: 5 requests, /);
  assert.deepEqual(page.problems, []);
});

test('only one path and method: the log is read again keeping the requests to them, and a new rule keeps to them', async () => {
  const page = await openReplay();
  await click(page, 'text=Try the sample log');
  await waitShadow(page, '.summary', /3,000 requests from 14 clients/);
  const path = page.locator('rate-limit-replay').getByRole('textbox', { name: 'Only path' });
  await path.fill('api');  // given its leading '/'
  await path.press('Enter');
  // /api/items and /api/items/42 (scripts/sample_log.py): 531 + 456
  await waitShadow(page, '.summary', /^access\.log \(sample\): 987 requests from 14 clients, .* Only requests to \/api and below it: 2,013 others left out\.$/);
  assert.equal(await page.evaluate(() => document.querySelector('rate-limit-replay').result.path), '/api');
  await page.locator('rate-limit-replay').locator('.rule-field input').fill('1/second');
  await waitShadow(page, '.summary', /987 requests/);
  await page.waitForFunction(() => document.querySelector('rate-limit-replay').result.rule === '1/second', null, WAIT);
  assert.equal(await page.evaluate(() => document.querySelector('rate-limit-replay').result.requests), 987);
  // The sample's requests are all GETs (scripts/sample_log.py).
  const method = page.locator('rate-limit-replay').getByRole('combobox', { name: 'Only the method' });
  await method.selectOption('POST');
  await waitShadow(page, '.summary', /^No request could be read from access\.log \(sample\)\. Only POST requests to \/api and below it: 3,000 others left out\.$/);
  await method.selectOption('GET');
  await waitShadow(page, '.summary', /987 requests .* Only GET requests to \/api and below it: 2,013 others left out\.$/);
  await method.selectOption('');
  await path.fill('');
  await path.press('Enter');
  await waitShadow(page, '.summary', /^access\.log \(sample\): 3,000 requests from 14 clients, [^O]*$/);
  // Through the JS API, as @limiter.limit("1/minute", methods=["POST"]) on /login: the form shows it.
  const log = ['GET', 'POST', 'POST', 'GET'].map((verb, i) => `203.0.113.9 - - [01/May/2024:10:00:0${i} +0000] "${verb} /login HTTP/1.1" 200 5`).join('\n');
  const result = await page.evaluate((text) => document.querySelector('rate-limit-replay').replayText(text, { rule: '1/minute', strategy: 'fixed-window', path: '/login', methods: 'POST' }), log);
  assert.deepEqual([result.requests, result.leftOut, result.algorithms[0].denied], [2, 2, 1]);
  assert.equal(await method.inputValue(), 'POST');
  assert.equal(await path.inputValue(), '/login');
  assert.deepEqual(page.problems, []);
});

test('counting per a field: the log is read again, its values are the clients; back to the address', async () => {
  const page = await openReplay();
  const log = ['alice', 'bob', 'alice', 'carol'].map((user, i) => `{"ts": ${1700000000 + i / 10}, "ip": "10.0.0.9", "user": {"name": "${user}"}}`).join('\n');
  await page.locator('rate-limit-replay').locator('input[type=file]').setInputFiles({ name: 'users.jsonl', mimeType: 'text/plain', buffer: Buffer.from(log) });
  await waitShadow(page, '.summary', /^users\.jsonl: 4 requests, /);  // one address
  const field = page.locator('rate-limit-replay').getByRole('combobox', { name: 'Field to count per' });
  // The field's suggestions are the log's own fields.
  assert.deepEqual(await page.evaluate(() => {
    const root = document.querySelector('rate-limit-replay').shadowRoot;
    return [...root.querySelector('.key-field').list.options].map((option) => option.value);
  }), ['ts', 'ip', 'name']);
  await click(page, 'input[value="field"]');
  assert.equal(await page.evaluate(() => document.querySelector('rate-limit-replay').shadowRoot.activeElement?.getAttribute('aria-label')), 'Field to count per');
  await field.fill('name');
  await field.press('Enter');
  await waitShadow(page, '.summary', /^users\.jsonl: 4 requests from 3 clients, /);
  assert.equal(await page.evaluate(() => document.querySelector('rate-limit-replay').shadowRoot.querySelector('input[value="field"]').checked), true);
  assert.equal(await page.evaluate(() => document.querySelector('rate-limit-replay').result.keyField), 'name');
  await field.fill('api_key');
  await field.press('Enter');
  await waitShadow(page, '.no-client', /^No line has a field “api_key”, so every request counts against one limit.* The fields of this log: ts, ip, name\.$/);
  await click(page, 'input[value="ip"]');
  await waitShadow(page, '.summary', /^users\.jsonl: 4 requests, /);
  assert.equal(await page.evaluate(() => document.querySelector('rate-limit-replay').shadowRoot.querySelector('.no-client').hidden), true);
  assert.deepEqual(page.problems, []);
});

test('a bad rule is shown in place; a good one re-runs the same log', async () => {
  const page = await openReplay();
  await click(page, 'text=Try the sample log');
  await waitShadow(page, '.summary', /3,000 requests/);
  const rule = page.locator('rate-limit-replay').locator('.rule-field input');
  await rule.fill('10/minits');
  await waitShadow(page, '.rule-error', /unknown time unit/);
  assert.equal(await shadowText(page, '.rule-error'), 'unknown time unit "minits" — did you mean "minute"? e.g. 10/minute. The results below are under 2/second;60/minute.');
  assert.equal(await rule.getAttribute('aria-invalid'), '');
  const before = await shadowText(page, '.total-row .denied-text');
  await rule.fill('1/second');
  await page.waitForFunction((b) => document.querySelector('rate-limit-replay').shadowRoot.querySelector('.total-row .denied-text').textContent !== b, before, WAIT);
  assert.equal(await shadowText(page, '.rule-error'), '');
  // a re-run reads nothing: only the replay is timed
  assert.match(await shadowText(page, '.timing'), /^Replayed through all 8 algorithms in .+, in your browser\.$/);
  assert.deepEqual(page.problems, []);
});

test('the JS API: replayText resolves with the result; one algorithm, one shared key', async () => {
  const page = await openReplay();
  const result = await page.evaluate(() => document.querySelector('rate-limit-replay').replayText(
    '1700000000\n1700000000.1\n1700000000.2\n1700000001.5\n', { rule: '2/second', strategy: 'fixed-window', key: 'none' }));
  assert.equal(result.format, 'timestamps');
  assert.equal(result.requests, 4);
  assert.deepEqual(result.algorithms.map((a) => [a.algorithm, a.allowed, a.denied]), [['fixed-window', 3, 1]]);
  assert.ok(result.timing.readMs >= 0 && result.timing.replayMs >= 0, JSON.stringify(result.timing));
  assert.match(await shadowText(page, '.timing'), /replayed through one algorithm in/);
  assert.equal(await page.evaluate(() => document.querySelector('rate-limit-replay').shadowRoot.querySelector('.same-as').hidden), true);
  await waitShadow(page, '.offenders .empty', /shared one key/);
  assert.equal(await page.evaluate(() => document.querySelector('rate-limit-replay').shadowRoot.querySelector('.timeline-legend').hidden), true);
  // The form shows the options the result was replayed under, so a change there starts from them.
  const form = () => page.evaluate(() => {
    const root = document.querySelector('rate-limit-replay').shadowRoot;
    const [rule, strategy] = [root.querySelector('.rule-field input'), root.querySelector('select')];
    return [rule.value, strategy.value, root.querySelector('form').elements.key.value];
  });
  assert.deepEqual(await form(), ['2/second', 'fixed-window', 'none']);
  await page.locator('rate-limit-replay').locator('select').first().selectOption('moving-window');
  // Re-run under 2/second with one shared key: the request at 0.2 s is the third in a second.
  await waitShadow(page, '.algo-totals', /^Moving window \(log\).*3 allowed.*1 denied/);
  assert.deepEqual(await form(), ['2/second', 'moving-window', 'none']);
  // A replay the engine throws on (an option of the wrong type) rejects, says so on the page with
  // what was being read, and hides the last results: the worker no longer holds that log.
  const rejected = await page.evaluate(() => document.querySelector('rate-limit-replay').replayText('1700000000\n', { format: 5 }).then(() => 'resolved', (e) => e.message));
  assert.match(rejected, /^Pasted text could not be read\. \S/);
  await waitShadow(page, '.progress-box.failed .status-text', /^Pasted text could not be read\. /);
  assert.equal(await page.locator('rate-limit-replay').locator('.results').isHidden(), true);
  assert.deepEqual(page.problems, []);
});

test('a long replay shows progress and can be cancelled; the element works again after', async () => {
  const page = await openReplay();
  await click(page, 'text=Try the sample log');
  await waitShadow(page, '.scaled .total-row[aria-pressed="true"]', /2\/second;60\/minute/);
  const outcome = page.evaluate(() => {
    const line = '203.0.113.9 - - [01/May/2024:12:00:00 +0000] "GET / HTTP/1.1" 200 5 "-" "x"\n';
    const big = new Blob(Array.from({ length: 400 }, () => line.repeat(5000)));
    return document.querySelector('rate-limit-replay').replayFile(big, { rule: '1/second' }).then(() => 'finished', (e) => e.name);
  });
  await waitShadow(page, '.status-text', /Reading .*lines/);
  await click(page, 'button:text("Cancel")');
  assert.equal(await outcome, 'AbortError');
  await waitShadow(page, '.status-text', /Cancelled/);
  await page.evaluate(() => document.querySelector('rate-limit-replay').ready);
  // The sample's result stays on show; its tighter and looser rules need the log, now gone.
  await page.locator('rate-limit-replay').locator('.total-row', { hasText: 'gcra' }).click();
  await waitShadow(page, '.scaled', /^Read the log again to see tighter and looser rules\.$/);
  const after = await page.evaluate(() => document.querySelector('rate-limit-replay').replayText('1700000000\n', { rule: '1/second' }));
  assert.equal(after.requests, 1);
  assert.deepEqual(page.problems, []);
});

test('the file input is reached through its button only, not as a second tab stop', async () => {
  const page = await openReplay();
  const replay = page.locator('rate-limit-replay');
  const focused = () => page.evaluate(() => {
    const active = document.querySelector('rate-limit-replay').shadowRoot.activeElement;
    return active?.type === 'file' ? 'the file input' : active?.textContent || active?.getAttribute('aria-label') || active?.id;
  });
  await replay.getByRole('button', { name: 'Choose a file…' }).focus();
  await page.keyboard.press('Tab');
  assert.equal(await focused(), 'Try the sample log');
  await page.keyboard.press('Tab');
  assert.notEqual(await focused(), 'the file input');
  assert.deepEqual(page.problems, []);
});

test('at 375 px and in dark mode the page fits and reads', async () => {
  // (reduced motion: the page scrolls at once, so where it ends is known when the results are)
  const phone = await openReplay({ viewport: { width: 375, height: 800 }, deviceScaleFactor: 2, reducedMotion: 'reduce' });
  await click(phone, 'text=Try the sample log');
  await waitShadow(phone, '.summary', /3,000 requests/);
  const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 0, `the page is ${overflow} px wider than the phone`);
  // Each algorithm's name ends before its figures begin ("Fixed window, elastic expiry" wraps).
  const overlapping = await phone.evaluate(() => [...document.querySelector('rate-limit-replay').shadowRoot.querySelectorAll('.algo-totals:not(.scaled) .total-row')]
    .filter((row) => {
      const name = row.querySelector('.total-name');
      const range = document.createRange();
      range.selectNodeContents(name);
      return Math.max(...[...range.getClientRects()].map((r) => r.right)) > row.querySelector('.total-numbers').getBoundingClientRect().left;
    }).map((row) => row.querySelector('.total-name').textContent));
  assert.deepEqual(overlapping, []);
  // The results, a screen below the button on a phone, come into view, at the top.
  await phone.waitForFunction(() => Math.abs(document.querySelector('rate-limit-replay').shadowRoot.querySelector('.results').getBoundingClientRect().top) < 2, null, WAIT);
  // Changing a setting reads the same log again where the reader is: the page stays put.
  await phone.evaluate(() => {
    window.scrollTo(0, 0);
    const replay = document.querySelector('rate-limit-replay');
    window.before = replay.result;
    const format = [...replay.shadowRoot.querySelectorAll('select')].find((s) => [...s.options].some((o) => o.value === 'combined'));
    format.value = 'combined';
    format.dispatchEvent(new Event('change'));
  });
  await phone.waitForFunction(() => document.querySelector('rate-limit-replay').result !== window.before, null, WAIT);
  assert.equal(await phone.evaluate(() => window.scrollY), 0);
  await screenshot(phone, 'replay-phone', { fullPage: true });
  const dark = await openReplay({ colorScheme: 'dark' });
  await click(dark, 'text=Try the sample log');
  await waitShadow(dark, '.summary', /3,000 requests/);
  await screenshot(dark, 'replay-dark', { fullPage: true });
  assert.deepEqual([...phone.problems, ...dark.problems], []);
});
