import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startBrowser, screenshot } from './browser.mjs';

let browser;
before(async () => { browser = await startBrowser(); });
after(async () => { await browser?.close(); });

test('the page loads the engine under the strict CSP without a console error', async () => {
  const page = await browser.newPage();
  await page.goto(browser.base + '/');
  await page.waitForFunction(() => {
    const element = document.querySelector('rate-limit-playground');
    return element && element.engine;
  }, null, { timeout: 10000 }).catch((e) => { throw new Error(`${e.message}\n${page.problems.join('\n')}`); });
  await screenshot(page, 'smoke');
  assert.deepEqual(page.problems, []);
});

test('every page reflows to a 320 px wide window: nothing makes the page scroll sideways', async () => {
  // WCAG 1.4.10 (reflow): 320 CSS px is a 1280 px screen at 400% zoom, or a small phone.
  for (const path of ['/', '/playground.html', '/replay.html', '/embed.html', '/examples/docs-page.html']) {
    const page = await browser.newPage({ viewport: { width: 320, height: 700 } });
    await page.goto(browser.base + path);
    await page.waitForFunction(() => [...document.querySelectorAll('rate-limit-playground')].every((p) => p.engine)
      && (!customElements.get('rate-limit-replay') || !document.querySelector('rate-limit-replay') || document.querySelector('rate-limit-replay').shadowRoot), null, { timeout: 10000 });
    // with content: requests sent, and the replay's results for the sample log
    await page.evaluate(() => { for (const p of document.querySelectorAll('rate-limit-playground')) p.send({ count: 12 }); });
    if (path === '/replay.html') {
      await page.evaluate(async () => {
        const replay = document.querySelector('rate-limit-replay');
        await replay.ready;
        const log = await (await fetch('samples/access.log')).text();
        await replay.replayText(log);
      });
    }
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.equal(width, 320, `${path} is ${width} px wide`);
    assert.deepEqual(page.problems, [], path);
  }
});
