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
    // nor does a table inside it (lesson 9's: its third column was 87 px, cut off)
    const tables = await page.evaluate(() => [...document.querySelectorAll('.table-wrap')].filter((t) => t.scrollWidth > t.clientWidth).length);
    assert.equal(tables, 0, `${path}: a table scrolls sideways`);
    assert.deepEqual(page.problems, [], path);
  }
});

test('every page\'s headings step down one level at a time, and are read as they are written', async () => {
  // Screen-reader users move by headings: a jump from h1 to h3 reads as a missing section. And
  // capitals drawn by CSS (text-transform) reach the accessible names, where a reader may spell
  // "RULE" letter by letter: small capitals are drawn by the font and leave the names alone.
  // (embed.html is only the widget, framed in someone else's page, under their headings)
  for (const path of ['/', '/playground.html', '/replay.html', '/embed.html']) {
    const page = await browser.newPage();
    await page.goto(browser.base + path);
    await page.waitForFunction(() => [...document.querySelectorAll('rate-limit-playground, rate-limit-replay')].every((p) => p.shadowRoot?.querySelector('h3')), null, { timeout: 10000 });
    // in the order they are read: the document with each widget's shadow tree in its place
    const headings = await page.evaluate(() => {
      const found = [];
      (function walk(node) {
        for (const child of (node.shadowRoot ?? node).children) {
          if (/^H[1-6]$/.test(child.tagName) && child.getClientRects().length) found.push({ name: child.textContent, level: Number(child.tagName[1]) });
          walk(child);
        }
      })(document.body);
      return found;
    });
    assert.ok(headings.length > 1, path);
    if (path !== '/embed.html') headings.reduce((previous, h) => {
      assert.ok(h.level <= previous + 1, `${path}: "${h.name}" is h${h.level} after h${previous}`);
      return h.level;
    }, 0);
    const cdp = await page.context().newCDPSession(page);
    const { nodes } = await cdp.send('Accessibility.getFullAXTree');
    const named = nodes.filter((n) => ['heading', 'combobox', 'textbox', 'slider', 'spinbutton'].includes(n.role?.value))
      .map((n) => n.name?.value ?? '').filter((name) => /[A-Z]{4}/.test(name) && name === name.toUpperCase());
    assert.deepEqual(named, [], path);
    assert.deepEqual(page.problems, [], path);
    await page.context().close();
  }
});

test('the text colors read at 4.5:1 or more on every panel, light and dark', async () => {
  // WCAG AA for small text. The playground's palette (custom properties on its .pg): each color
  // used for text against each background a panel has.
  for (const colorScheme of ['light', 'dark']) {
    const page = await browser.newPage({ colorScheme });
    await page.goto(browser.base + '/embed.html');
    await page.waitForFunction(() => document.querySelector('rate-limit-playground')?.engine, null, { timeout: 10000 });
    const low = await page.evaluate(() => {
      const style = getComputedStyle(document.querySelector('rate-limit-playground').shadowRoot.querySelector('.pg'));
      const rgb = (name) => style.getPropertyValue(name).trim().match(/[0-9a-f]{2}/gi).map((h) => parseInt(h, 16) / 255);
      const luminance = (name) => {
        const [r, g, b] = rgb(name).map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
        return 0.2126 * r + 0.7152 * g + 0.0722 * b;
      };
      const found = [];
      for (const text of ['--text', '--muted', '--faint', '--accent', '--ok', '--rejected', '--delayed']) {
        for (const back of ['--bg', '--panel', '--panel-2']) {
          const [hi, lo] = [luminance(text), luminance(back)].sort((a, b) => b - a);
          const ratio = (hi + 0.05) / (lo + 0.05);
          if (ratio < 4.5) found.push(`${text} on ${back}: ${ratio.toFixed(2)}`);
        }
      }
      return found;
    });
    assert.deepEqual(low, [], colorScheme);
  }
});
