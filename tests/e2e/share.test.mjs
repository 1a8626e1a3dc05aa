// Sharing a playground's experiment as a link, in Debian's Chromium under the strict CSP: "Copy
// link" builds page URL + the element's parameters + #id, opening that link restores the
// experiment in the element it names (and only there), the clipboard fallback, and hostile URL
// values (clamped or ignored; a rule with markup is shown as text and never runs).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startBrowser, screenshot } from './browser.mjs';
import { CSP } from '../../scripts/static-server.mjs';

let browser;
before(async () => { browser = await startBrowser(); });
after(async () => { await browser?.close(); });

const WAIT = { timeout: 10000 };

// Two playgrounds: one named by its section's id, one by its own.
const FIXTURE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Share fixture</title></head>
<body>
<section id="first"><h2>First</h2><rate-limit-playground rule="10/minute"></rate-limit-playground></section>
<rate-limit-playground id="second" rule="2/second" compact></rate-limit-playground>
<script src="rate-limit-playground.js"></script>
</body></html>`;

/** Opens the fixture page (with `suffix`: ?query#hash) once both playgrounds are ready. */
async function openFixture(suffix = '', options = {}) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, ...options });
  page.on('dialog', (d) => { page.problems.push(`dialog: ${d.message()}`); d.dismiss(); });
  await page.route('**/share-fixture.html*', (route) => route.fulfill({
    status: 200, contentType: 'text/html; charset=utf-8', headers: { 'Content-Security-Policy': CSP }, body: FIXTURE,
  }));
  await page.goto(`${browser.base}/share-fixture.html${suffix}`);
  await page.waitForFunction(() => customElements.get('rate-limit-playground'), null, WAIT);
  await page.evaluate(() => Promise.all([...document.querySelectorAll('rate-limit-playground')].map((el) => el.ready)));
  return page;
}

/** The shared setup of every playground on the page, in document order. */
const setups = (page) => page.evaluate(() => [...document.querySelectorAll('rate-limit-playground')].map((el) => ({
  rule: el.rule, algorithm: el.algorithm, traffic: el.traffic, rate: el.rate, retry: el.retry, clients: el.clients,
  alike: el.alike, speed: el.speed, seed: el.seed, compare: el.compare, keyFunc: el.keyFunc,
})));

const DEFAULTS = { algorithm: 'fixed-window', traffic: 'manual', rate: 1, retry: 'ignore', clients: 1, alike: false, speed: 1, seed: 1, compare: false, keyFunc: 'remote' };

/** Clicks "Copy link" in the n-th playground. */
const clickCopy = (page, n) => page.evaluate((i) => {
  document.querySelectorAll('rate-limit-playground')[i].shadowRoot.querySelector('.share-button').click();
}, n);

const shareStatus = (page, n) => page.evaluate((i) => document.querySelectorAll('rate-limit-playground')[i].shadowRoot.querySelector('.share-status').textContent, n);

test('Copy link round-trips the experiment into the element it names, and only that one', async () => {
  const page = await openFixture('', { permissions: ['clipboard-read', 'clipboard-write'] });
  await page.evaluate(() => {
    const el = document.getElementById('second');
    Object.assign(el, { rule: '5 per 10 seconds', algorithm: 'token-bucket', traffic: 'poisson', rate: 2.5, retry: 'retry-after-jitter', clients: 3, alike: true, speed: 5, seed: 42, compare: true });
  });
  const before = (await setups(page))[1];
  await page.bringToFront();  // the clipboard is written only from a focused page
  await clickCopy(page, 1);
  await page.waitForFunction(() => /copied/i.test(document.getElementById('second').shadowRoot.querySelector('.share-status').textContent), null, WAIT);
  const link = await page.evaluate(() => navigator.clipboard.readText());
  const url = new URL(link);
  assert.equal(url.origin + url.pathname, `${browser.base}/share-fixture.html`);
  assert.equal(url.hash, '#second');
  assert.deepEqual(Object.fromEntries(url.searchParams), {
    rule: '5 per 10 seconds', algorithm: 'token-bucket', traffic: 'poisson', rate: '2.5', retry: 'retry-after-jitter', clients: '3', alike: '1', speed: '5', seed: '42', compare: '1',
    'key-func': 'remote', workers: '1', proxy: 'direct',
  }, 'clients alike to the first and the default app need no setup parameter');
  assert.deepEqual(page.problems, []);

  // The first playground's link names its section.
  await clickCopy(page, 0);
  await page.waitForFunction(() => /copied/i.test(document.querySelector('#first rate-limit-playground').shadowRoot.querySelector('.share-status').textContent), null, WAIT);
  assert.match(await page.evaluate(() => navigator.clipboard.readText()), /\?rule=10%2Fminute&.*#first$/);
  // A rule being typed and not valid yet is not shared: the link carries the one in force.
  await page.evaluate(() => { document.querySelector('#first rate-limit-playground').rule = '5/sec'; });
  await page.evaluate(() => navigator.clipboard.writeText(''));
  await clickCopy(page, 0);
  await page.waitForFunction(async () => (await navigator.clipboard.readText()) !== '', null, WAIT);
  assert.match(await page.evaluate(() => navigator.clipboard.readText()), /\?rule=10%2Fminute&.*#first$/);

  const opened = await openFixture(url.search + url.hash);
  const [first, second] = await setups(opened);
  assert.deepEqual(second, before);
  assert.deepEqual(first, { rule: '10/minute', ...DEFAULTS }, 'the other playground keeps its own setup');
  await screenshot(opened, 'share-opened-link');
  assert.deepEqual(opened.problems, []);
});

test('widgets pasted without ids: a link names its widget by its place on the page', async () => {
  const body = '<main id="docs"><p>Fixed window:</p><rate-limit-playground rule="5/second" compact></rate-limit-playground>' +
    '<p>Token bucket:</p><rate-limit-playground rule="100/hour" algorithm="token-bucket" compact></rate-limit-playground></main>' +
    '<script src="rate-limit-playground.js"></script>';
  const open = async (suffix) => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, permissions: ['clipboard-read', 'clipboard-write'] });
    await page.route('**/pasted-fixture.html*', (route) => route.fulfill({
      status: 200, contentType: 'text/html; charset=utf-8', headers: { 'Content-Security-Policy': CSP },
      body: `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Pasted</title></head><body>${body}</body></html>`,
    }));
    await page.goto(`${browser.base}/pasted-fixture.html${suffix}`);
    await page.waitForFunction(() => customElements.get('rate-limit-playground'), null, WAIT);
    await page.evaluate(() => Promise.all([...document.querySelectorAll('rate-limit-playground')].map((el) => el.ready)));
    return page;
  };
  const page = await open('');
  await page.evaluate(() => { document.querySelectorAll('rate-limit-playground')[1].rule = '7/hour'; });
  await page.bringToFront();
  await page.evaluate(() => document.querySelectorAll('rate-limit-playground')[1].shadowRoot.querySelector('.share-button').click());
  await page.waitForFunction(async () => /#rate-limit-playground-2$/.test(await navigator.clipboard.readText()), null, WAIT);
  const url = new URL(await page.evaluate(() => navigator.clipboard.readText()));
  const opened = await open(url.search + url.hash);
  assert.deepEqual(await opened.evaluate(() => [...document.querySelectorAll('rate-limit-playground')].map((el) => `${el.rule} ${el.algorithm}`)),
    ['5/second fixed-window', '7/hour token-bucket']);
  assert.deepEqual([...page.problems, ...opened.problems], []);
});

test('a link whose hash names no playground goes to the first one', async () => {
  const page = await openFixture('?rule=3%2Fsecond&algorithm=gcra#nowhere');
  const [first, second] = await setups(page);
  assert.equal(first.rule, '3/second');
  assert.equal(first.algorithm, 'gcra');
  assert.equal(second.rule, '2/second');
  assert.equal(second.algorithm, 'fixed-window');
  assert.deepEqual(page.problems, []);
});

test('the parameters are applied once: a playground added later keeps its own setup', async () => {
  const page = await openFixture('?rule=3%2Fsecond');
  const rule = await page.evaluate(async () => {
    const el = document.createElement('rate-limit-playground');
    el.setAttribute('rule', '7/hour');
    document.body.prepend(el);
    await el.ready;
    return el.rule;
  });
  assert.equal(rule, '7/hour');
  assert.deepEqual(page.problems, []);
});

test('without clipboard access the link is shown selected in a read-only field, with how to copy it', async () => {
  for (const touch of [false, true]) {
    const page = await browser.newPage({ viewport: { width: 375, height: 800 }, hasTouch: touch, isMobile: touch });
    // The page cannot be made to refuse the clipboard portably; a rejecting writeText stands in.
    await page.addInitScript(() => {
      Object.defineProperty(navigator, 'clipboard', { value: { writeText: () => Promise.reject(new Error('denied')) } });
    });
    await page.route('**/share-fixture.html*', (route) => route.fulfill({
      status: 200, contentType: 'text/html; charset=utf-8', headers: { 'Content-Security-Policy': CSP }, body: FIXTURE,
    }));
    await page.goto(`${browser.base}/share-fixture.html`);
    await page.waitForFunction(() => customElements.get('rate-limit-playground'), null, WAIT);
    await page.evaluate(() => document.getElementById('second').ready);
    // This compact widget keeps Copy link in its folded Share drawer: open it as a reader would.
    await page.locator('#second .drawer-toggle[data-drawer="share"]').click();
    await clickCopy(page, 1);
    await page.waitForFunction(() => !document.getElementById('second').shadowRoot.querySelector('.share-field').hidden, null, WAIT);
    const field = await page.evaluate(() => {
      const root = document.getElementById('second').shadowRoot;
      const input = root.querySelector('.share-field');
      return { value: input.value, readOnly: input.readOnly, focused: root.activeElement === input,
        selected: input.selectionEnd - input.selectionStart === input.value.length };
    });
    assert.match(field.value, /share-fixture\.html\?rule=2%2Fsecond&.*#second$/);
    assert.ok(field.readOnly && field.focused && field.selected, JSON.stringify(field));
    // the keys with a keyboard; a phone has none, but a menu on the selection
    assert.match(await shareStatus(page, 1), touch ? /^The link is selected: touch and hold it, then Copy\.$/ : /^The link is selected: press Ctrl\+C\.$/);
    await page.evaluate(() => document.getElementById('second').scrollIntoView());
    await screenshot(page, `share-fallback-${touch ? 'phone' : 'narrow-window'}`);
    assert.deepEqual(page.problems, []);
    await page.context().close();
  }
});

/** Sets a select or text field in a playground's shadow DOM as a learner would, once rendered. */
async function setField(page, id, selector, value) {
  const field = await page.waitForFunction(([i, sel]) => document.getElementById(i).shadowRoot.querySelector(sel), [id, selector], WAIT);
  await field.evaluate((f, v) => {
    f.value = v;
    f.dispatchEvent(new Event('change'));
  }, value);
}

/** Every decision the playground `selector` names makes while its clock runs `seconds` ahead. */
const decisionsOver = (page, selector, seconds) => page.evaluate(([sel, s]) => {
  const el = document.querySelector(sel);
  const out = [];
  const one = (d) => out.push(`${d.t.toFixed(3)} ${d.key} ${d.path} ${d.status}`);
  el.addEventListener('decision', (e) => one(e.detail));
  el.addEventListener('decisions', (e) => e.detail.forEach(one));
  el.advance(s);
  return out;
}, [selector, seconds]);

/**
 * Resets `page`'s #second and plays `seconds` of it and of the playground `selector` names on
 * `other`: the same experiment answers the same requests the same way. `exercised(decisions)`
 * checks that the run shows what the test is about (`message` if not). Neither page logged a
 * problem.
 */
async function assertSameRun(page, other, selector, seconds, exercised, message) {
  await page.evaluate(() => document.getElementById('second').reset());
  const expected = await decisionsOver(page, '#second', seconds);
  const got = await decisionsOver(other, selector, seconds);
  assert.ok(exercised(expected), message);
  assert.deepEqual(got, expected);
  assert.deepEqual(other.problems, []);
  assert.deepEqual(page.problems, []);
}

test("a link carries each client's behaviour and the Flask app, and reproduces the run", async () => {
  const page = await openFixture('', { permissions: ['clipboard-read', 'clipboard-write'] });
  await page.evaluate(() => document.getElementById('second').scrollIntoView());  // it renders while on screen
  await page.evaluate(() => Object.assign(document.getElementById('second'), { rule: '3/10 seconds', traffic: 'constant', rate: 2, clients: 2, keyFunc: 'header', workers: 2, proxy: 'no-proxyfix' }));
  // The second client: Poisson traffic that retries at once; a route with its own limit that it
  // calls; default limits; a custom 429 handler left off.
  await setField(page, 'second', '[aria-label="Client 2 traffic"]', 'poisson');
  await setField(page, 'second', '[aria-label="Client 2 on 429"]', 'immediate');
  await page.evaluate(() => document.getElementById('second').shadowRoot.querySelector('.add-route').click());
  await setField(page, 'second', '[aria-label="Route 2 limit"]', '1/second');
  await setField(page, 'second', '[aria-label="Client 2 path"]', '/api');
  await setField(page, 'second', '.limit-input', '20/minute');
  await page.bringToFront();
  await clickCopy(page, 1);
  await page.waitForFunction(() => /copied/i.test(document.getElementById('second').shadowRoot.querySelector('.share-status').textContent), null, WAIT);
  const url = new URL(await page.evaluate(() => navigator.clipboard.readText()));
  assert.equal(url.searchParams.get('workers'), '2');
  assert.equal(url.searchParams.get('proxy'), 'no-proxyfix');
  const setup = JSON.parse(url.searchParams.get('setup'));
  assert.deepEqual(setup.clients.map((c) => [c.pattern, c.retry, c.path]), [['constant', 'ignore', '/'], ['poisson', 'immediate', '/api']]);
  assert.deepEqual(setup.routes, [{ path: '/api', limit: '1/second', exempt: false, overrideDefaults: true }]);
  assert.equal(setup.defaultLimits, '20/minute');
  assert.equal(setup.keyFunc, 'header');
  assert.equal(url.searchParams.get('key-func'), 'header');
  assert.equal(url.searchParams.get('alike'), '0');

  const opened = await openFixture(url.search + url.hash, { permissions: ['clipboard-read', 'clipboard-write'] });
  await opened.bringToFront();
  await clickCopy(opened, 1);
  await opened.waitForFunction(() => /copied/i.test(document.getElementById('second').shadowRoot.querySelector('.share-status').textContent), null, WAIT);
  assert.equal(await opened.evaluate(() => navigator.clipboard.readText()), url.href, 'the opened experiment shares as the same link');
  assert.equal(await opened.evaluate(() => document.getElementById('second').keyFunc), 'header');
  // The same experiment: both playgrounds, reset to t = 0, answer the same requests the same way.
  await assertSameRun(page, opened, '#second', 30,
    (ds) => ds.some((d) => d.endsWith(' 429')) && ds.some((d) => d.includes(' /api ')), 'the run exercises the route and 429s');
});

test('Copy embed code gives an <iframe> of embed.html that opens the same experiment', async () => {
  const page = await openFixture('', { permissions: ['clipboard-read', 'clipboard-write'] });
  await page.evaluate(() => document.getElementById('second').scrollIntoView());
  await page.evaluate(() => Object.assign(document.getElementById('second'), {
    rule: '10/10 seconds', algorithm: 'gcra', keyFunc: 'constant', traffic: 'poisson', rate: 0.4, retry: 'retry-after', clients: 4, alike: true,
  }));
  await setField(page, 'second', '[aria-label="Client 3 address"]', '192.0.2.7');
  await page.bringToFront();
  await page.evaluate(() => document.getElementById('second').shadowRoot.querySelector('.embed-button').click());
  await page.waitForFunction(() => /Embed code copied/.test(document.getElementById('second').shadowRoot.querySelector('.embed-button + .share-status').textContent), null, WAIT);
  const code = await page.evaluate(() => navigator.clipboard.readText());
  const match = /^<iframe src="([^"<>]+)" title="Rate-limit playground" width="100%" height="(\d+)" allow="clipboard-write" loading="lazy"><\/iframe>$/.exec(code);
  assert.ok(match, code);
  const src = new URL(match[1].replaceAll('&amp;', '&'));
  assert.ok(!/&(?!amp;)/.test(match[1]), 'every ampersand is escaped in the attribute');
  assert.equal(src.origin + src.pathname, `${browser.base}/embed.html`, 'embed.html beside the script');
  assert.equal(src.searchParams.get('alike'), '1');
  assert.equal(src.searchParams.get('key-func'), 'constant');
  assert.equal(JSON.parse(src.searchParams.get('setup')).clients[2].key, '192.0.2.7', 'a renamed client needs the setup');

  // The framed page (as a wiki would show it) runs the same experiment.
  const framed = await browser.newPage({ viewport: { width: 700, height: 900 } });
  await framed.goto(src.href);
  await framed.evaluate(() => document.querySelector('rate-limit-playground').ready);
  const [original] = (await setups(page)).slice(1);
  assert.deepEqual((await setups(framed))[0], original);
  await assertSameRun(page, framed, 'rate-limit-playground', 40,
    (ds) => ds.some((d) => d.includes(' 192.0.2.7 ')) && ds.some((d) => d.endsWith(' 429')), 'the run has the renamed client and 429s');

  // The frame is tall enough for the whole widget in a 640 px column: with this setup (four
  // clients), and with two limits side by side; on a touch screen too, whose controls are taller.
  // Not much taller than it needs with a mouse: at most what touch adds, and 100 px.
  const touch = await browser.newPage({ viewport: { width: 640, height: 900 }, hasTouch: true, isMobile: true });
  const neededIn = async (frame, url) => {
    await frame.goto(url);
    await frame.evaluate(() => document.querySelector('rate-limit-playground').ready);
    await frame.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
    return frame.evaluate(() => document.documentElement.scrollHeight);
  };
  const fits = async (height, url) => {
    await framed.setViewportSize({ width: 640, height: 900 });
    const needed = await neededIn(framed, url);
    const byTouch = await neededIn(touch, url);
    assert.ok(needed <= height && byTouch <= height && height - byTouch < 100,
      `${url}: needs ${needed} px (${byTouch} by touch), the frame is ${height}`);
  };
  await fits(Number(match[2]), src.href);
  await page.evaluate(() => Object.assign(document.getElementById('second'), { rule: '5/second;60/minute', compare: true, clients: 1 }));
  await page.evaluate(() => navigator.clipboard.writeText(''));
  await page.evaluate(() => document.getElementById('second').shadowRoot.querySelector('.embed-button').click());
  await page.waitForFunction(async () => (await navigator.clipboard.readText()) !== '', null, WAIT);
  const [, compared, height] = /src="([^"]+)" .* height="(\d+)"/.exec(await page.evaluate(() => navigator.clipboard.readText()));
  await fits(Number(height), compared.replaceAll('&amp;', '&'));
  assert.deepEqual(framed.problems, []);
});

test('Copy embed code is offered only where embed.html is beside the script', async () => {
  const page = await browser.newPage();
  await page.route('**/embed.html', (route) => route.fulfill({ status: 404, body: 'not found' }));
  await page.goto(`${browser.base}/playground.html`);
  await page.evaluate(() => document.querySelector('rate-limit-playground').ready);
  await page.waitForFunction(() => document.querySelector('rate-limit-playground').shadowRoot.querySelector('.embed-button')?.closest('[hidden]'), null, WAIT);
  const shown = await page.evaluate(() => [...document.querySelector('rate-limit-playground').shadowRoot.querySelectorAll('.share-button, .embed-button')]
    .map((b) => `${b.textContent}: ${b.closest('[hidden]') ? 'hidden' : 'shown'}`));
  assert.deepEqual(shown, ['Copy link: shown', 'Copy embed code: hidden']);
});

test('a tampered setup parameter is ignored as a whole, and its texts never run', async () => {
  const setup = {
    clients: [{ key: '<img src=x onerror=alert(1)>', apiKey: 'k', path: '/', pattern: 'constant', rate: 5, retry: 'ignore' }],
    keyFunc: 'remote', root: { exempt: false, overrideDefaults: true },
    routes: [{ path: '/<b>x</b>', limit: '<script>alert(1)</script>', exempt: false, overrideDefaults: true }],
    defaultLimits: '', applicationLimits: '', customErrorHandler: false,
  };
  const shown = async (page) => page.evaluate(() => {
    const root = document.getElementById('second').shadowRoot;
    return {
      markup: root.querySelectorAll('img, script, b').length + document.querySelectorAll('img, script:not([src]), b').length,
      keys: [...root.querySelectorAll('.client-key')].map((k) => k.value),
      routes: [...root.querySelectorAll('.route-limit')].map((r) => r.value),
    };
  });
  // Well-formed: the texts arrive as field values, never as markup.
  const page = await openFixture(`?${new URLSearchParams({ setup: JSON.stringify(setup) })}#second`);
  assert.deepEqual(await shown(page), { markup: 0, keys: ['<img src=x onerror=alert(1)>'], routes: ['<script>alert(1)</script>'] });
  assert.deepEqual(page.problems, []);
  // One field of the wrong kind voids it all: the element keeps its plain setup.
  const route = { path: '/a', limit: '1/second', exempt: false, overrideDefaults: true };
  for (const bad of [{ ...setup, keyFunc: 'eval' }, { ...setup, clients: [] }, { ...setup, clients: [{ ...setup.clients[0], rate: 'fast' }] },
    { ...setup, clients: [{ ...setup.clients[0], key: '   ' }] }, { ...setup, routes: [route, route] }, 'not json']) {
    const tampered = await openFixture(`?${new URLSearchParams({ setup: typeof bad === 'string' ? bad : JSON.stringify(bad) })}#second`);
    assert.deepEqual(await shown(tampered), { markup: 0, keys: ['10.0.0.1'], routes: [] }, JSON.stringify(bad).slice(0, 80));
    assert.deepEqual(tampered.problems, []);
  }
  // Well-formed but out of reach: a path that names no route sends to "/", a rate is clamped.
  const far = { ...setup, clients: [{ ...setup.clients[0], key: '10.0.0.5', path: '/nowhere', rate: 1e6 }], routes: [route] };
  const clamped = await openFixture(`?${new URLSearchParams({ setup: JSON.stringify(far) })}#second`);
  assert.deepEqual(await clamped.evaluate(() => {
    const el = document.getElementById('second');
    el.advance(0.01);  // the client's own traffic: 1,000 a second
    return { key: el.shadowRoot.querySelector('.client-key').value, rate: el.rate,
      paths: [...new Set(el.exportScenario().requests.map((r) => r.path))] };
  }), { key: '10.0.0.5', rate: 1000, paths: ['/'] });
  assert.deepEqual(clamped.problems, []);
});

test('hostile URL values are ignored or clamped; a rule with markup is shown as text and never runs', async () => {
  const query = new URLSearchParams({
    rule: '<img src=x onerror=alert(1)>', algorithm: '"><script>alert(1)</script>', traffic: 'nope',
    rate: '1e9', retry: '<b>x</b>', clients: '99', alike: '<b>', 'key-func': 'constant()', speed: '-5', seed: 'NaN', compare: 'maybe', evil: '<b>x</b>',
  });
  const page = await openFixture(`?${query}#second`);
  const [first, second] = await setups(page);
  assert.equal(first.rule, '10/minute');
  assert.deepEqual(second, { rule: '<img src=x onerror=alert(1)>', algorithm: 'fixed-window', traffic: 'manual', rate: 1000, retry: 'ignore', clients: 6, alike: false, speed: 1, seed: 1, compare: false, keyFunc: 'remote' });
  const shown = await page.evaluate(() => {
    const root = document.getElementById('second').shadowRoot;
    return {
      images: root.querySelectorAll('img, script').length + document.querySelectorAll('img, script:not([src])').length,
      field: root.querySelector('.rule-input').value,
      message: root.querySelector('.rule-message').textContent,
      chips: [...root.querySelectorAll('.rule-editor .chip')].map((c) => c.textContent),
    };
  });
  assert.equal(shown.images, 0, 'no markup from the URL reached the page');
  assert.equal(shown.field, '<img src=x onerror=alert(1)>');
  assert.notEqual(shown.message, '', 'the bad rule is reported');
  assert.deepEqual(shown.chips, ['2 per 1 second'], 'the markup-bearing rule is not in force; the element\'s own rule is');
  assert.deepEqual(page.problems, [], 'no dialog, no CSP violation, no console error');
  // Numbers that are not above 0 are ignored, not clamped: the element keeps its own.
  const zeros = await openFixture(`?${new URLSearchParams({ rate: '0', clients: '-1', speed: '0' })}#second`);
  const [, kept] = await setups(zeros);
  assert.deepEqual([kept.rate, kept.clients, kept.speed], [1, 1, 1]);
  assert.deepEqual(zeros.problems, []);
});
