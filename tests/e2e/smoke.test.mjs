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
