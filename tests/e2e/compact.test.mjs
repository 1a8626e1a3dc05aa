// The compact playground (lessons, doc columns, embed.html), in Debian's Chromium under the strict
// CSP: the essentials in view and the secondary panels folded behind disclosure buttons that start
// closed and open by keyboard and mouse; picking a request opens "why"; a compact widget stays short
// in a 700 px column; the full layout keeps every panel in view; the docs page's Share buttons fit
// a phone, and Send with the burst, and the time buttons, each keep one line on the narrowest
// phones; the pictures' labels stay inside them. No sleeps: the page is awaited with
// waitForFunction.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startBrowser, screenshot } from './browser.mjs';

let browser;
before(async () => { browser = await startBrowser(); });
after(async () => { await browser?.close(); });

const WAIT = { timeout: 10000 };
const DRAWERS = ['why', 'log', 'clients', 'flask', 'code', 'share'];
// embed.html's default setup at 700 px measured 2136 px tall before compact folded anything and
// 810 px after; the lessons' widgets (652 px wide in a 700 px window) 796 px. The ceiling leaves
// room for font differences, and fails if any folded panel (the log alone is 330 px) shows again.
const MAX_COMPACT_HEIGHT = 860;

/** Opens embed.html (one compact playground) with `query` in a 700 px window, once it is ready. */
async function openEmbed(query = '') {
  const page = await browser.newPage({ viewport: { width: 700, height: 900 } });
  await page.goto(`${browser.base}/embed.html${query}`);
  await page.waitForFunction(() => document.querySelector('rate-limit-playground')?.engine, null, WAIT);
  await page.evaluate(() => document.querySelector('rate-limit-playground').ready);
  await frames(page);
  return page;
}

/** Opens `path` on `page` once every playground on it has its engine. */
async function goToWidgets(page, path) {
  await page.goto(`${browser.base}${path}`);
  await page.waitForFunction(() => [...document.querySelectorAll('rate-limit-playground')].every((p) => p.engine), null, WAIT);
}

/** Waits for two animation frames, so the element has rendered what it was told. */
const frames = (page) => page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));

/** What a learner can see of the element: each drawer's toggle state, and which parts are rendered. */
const visibility = (page, selector = 'rate-limit-playground') => page.evaluate((sel) => {
  const root = document.querySelector(sel).shadowRoot;
  const shown = (q) => {
    const el = root.querySelector(q);
    // Not rendered, or inside a closed <details> (content-visibility: hidden), is not in view.
    return Boolean(el?.checkVisibility({ visibilityProperty: true }));
  };
  const toggles = Object.fromEntries([...root.querySelectorAll('.drawer-toggle')].filter((b) => b.getClientRects().length)
    .map((b) => [b.dataset.drawer, b.getAttribute('aria-expanded')]));
  return {
    toggles,
    essentials: ['.rule-input', '.chip', '.algo-select, .algo-options', '.send', '.burst', '.play', '.scrubber', '.state-figure svg', '.timeline-canvas', '.totals']
      .filter((q) => !q.split(', ').some(shown)),
    secondary: {
      why: shown('.why-panel'), log: shown('.response-log'), clients: shown('.clients'), flask: shown('.flask-form'),
      code: shown('.code-block'), share: shown('.share-button'),
    },
  };
}, selector);

const height = (page, selector = 'rate-limit-playground') => page.evaluate((sel) => document.querySelector(sel).getBoundingClientRect().height, selector);

test('compact: the essentials are in view, the secondary panels start folded and open by keyboard', async () => {
  const page = await openEmbed();
  const start = await visibility(page);
  assert.deepEqual(start.essentials, [], 'every essential control is visible');
  assert.deepEqual(start.toggles, Object.fromEntries(DRAWERS.map((d) => [d, 'false'])));
  assert.deepEqual(start.secondary, { why: false, log: false, clients: false, flask: false, code: false, share: false });
  // The compare switch is drawn under the algorithm list, and Tab goes there next (not back up).
  await page.locator('rate-limit-playground .algo-select').focus();
  await page.keyboard.press('Tab');
  const next = await page.evaluate(() => {
    const root = document.querySelector('rate-limit-playground').shadowRoot;
    return { isSwitch: root.activeElement === root.querySelector('.switch input'),
             below: root.activeElement.getBoundingClientRect().top > root.querySelector('.algo-select').getBoundingClientRect().bottom };
  });
  assert.deepEqual(next, { isSwitch: true, below: true });

  // Each toggle is reached and operated by keyboard: Enter opens, Space closes, Enter opens again.
  const toggle = (name) => page.locator(`rate-limit-playground .drawer-toggle[data-drawer="${name}"]`);
  for (const name of DRAWERS) {
    await toggle(name).focus();
    await page.keyboard.press('Enter');
    assert.equal((await visibility(page)).secondary[name], true, `${name} opens with Enter`);
    await page.keyboard.press(' ');
    assert.equal((await visibility(page)).secondary[name], false, `${name} closes with Space`);
    await page.keyboard.press('Enter');
  }
  const open = await visibility(page);
  assert.deepEqual(open.toggles, Object.fromEntries(DRAWERS.map((d) => [d, 'true'])));
  assert.deepEqual(open.secondary, { why: true, log: true, clients: true, flask: true, code: true, share: true });
  // Each toggle names the drawer it controls.
  const wired = await page.evaluate(() => [...document.querySelector('rate-limit-playground').shadowRoot.querySelectorAll('.drawer-toggle')]
    .every((b) => b.getRootNode().getElementById(b.getAttribute('aria-controls'))?.dataset.drawer === b.dataset.drawer));
  assert.ok(wired, 'aria-controls points at each drawer');
  // And by mouse: a click folds the Flask app away again.
  await toggle('flask').click();
  assert.equal((await visibility(page)).secondary.flask, false);
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('compact: picking a request in the timeline or the log opens "why"; sending does not', async () => {
  const page = await openEmbed('?rule=10%2Fminute&traffic=constant&rate=0.5');
  await page.evaluate(() => document.querySelector('rate-limit-playground').advance(40));
  await page.evaluate(() => document.querySelector('rate-limit-playground').send());
  await frames(page);
  assert.equal((await visibility(page)).secondary.why, false, 'a request sent by hand is selected, but "why" stays folded');

  // Requests at t = 0, 2, …, 40 on a 2 min axis starting at -2.4 s; click the one at t = 20.
  const box = await page.locator('rate-limit-playground .timeline-canvas').first().boundingBox();
  const left = 104;
  const plot = box.width - 6 - left;
  await page.mouse.click(box.x + left + ((20 + 2.4) / 120) * plot, box.y + 15);
  const summary = () => page.evaluate(() => document.querySelector('rate-limit-playground').shadowRoot.querySelector('.why-summary')?.textContent ?? '');
  await page.waitForFunction(() => /request #11 .*t = 20\.000 s/.test(document.querySelector('rate-limit-playground').shadowRoot.querySelector('.why-summary')?.textContent), null, WAIT);
  const afterClick = await visibility(page);
  assert.equal(afterClick.toggles.why, 'true');
  assert.equal(afterClick.secondary.why, true);
  assert.equal(afterClick.secondary.log, false, 'only "why" opens');

  // Folded again, the keyboard on the timeline opens it too.
  await page.locator('rate-limit-playground .drawer-toggle[data-drawer="why"]').click();
  await page.locator('rate-limit-playground .timeline-canvas').first().focus();
  await page.keyboard.press('ArrowLeft');
  await page.waitForFunction(() => /request #10 /.test(document.querySelector('rate-limit-playground').shadowRoot.querySelector('.why-summary')?.textContent), null, WAIT);
  assert.equal((await visibility(page)).secondary.why, true);

  // A row of the response log, picked with the keyboard.
  await page.locator('rate-limit-playground .drawer-toggle[data-drawer="why"]').click();
  await page.locator('rate-limit-playground .drawer-toggle[data-drawer="log"]').click();
  await page.locator('rate-limit-playground .log-body .log-row[data-index="0"]').focus();
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => /request #1 /.test(document.querySelector('rate-limit-playground').shadowRoot.querySelector('.why-summary')?.textContent), null, WAIT);
  assert.equal((await visibility(page)).secondary.why, true);
  assert.match(await summary(), /200/);
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('compact: a widget in a 700 px column stays short; switching compact off shows every panel again', async () => {
  const page = await openEmbed();
  const short = await height(page);
  assert.ok(short <= MAX_COMPACT_HEIGHT, `compact at 700 px is ${short} px tall (ceiling ${MAX_COMPACT_HEIGHT})`);
  await page.evaluate(() => { document.querySelector('rate-limit-playground').compact = false; });
  await frames(page);
  const full = await visibility(page);
  assert.deepEqual(full.toggles, {}, 'no drawer toggles in the full layout');
  assert.deepEqual(full.essentials, []);
  assert.deepEqual(full.secondary, { why: true, log: true, clients: true, flask: false, code: false, share: true },
    'the full layout shows every panel (Flask app and Code stay behind their own summaries)');
  assert.ok(await height(page) > short + 600, 'the full layout is the long one');
  await page.evaluate(() => { document.querySelector('rate-limit-playground').compact = true; });
  await frames(page);
  assert.ok(await height(page) <= MAX_COMPACT_HEIGHT, 'and back');

  // Every lesson's widget in the walkthrough, in a 700 px window.
  await goToWidgets(page, '/index.html');
  await frames(page);
  const lessons = await page.evaluate(() => [...document.querySelectorAll('rate-limit-playground')].map((p) => ({
    lesson: p.closest('.lesson').id, height: Math.round(p.getBoundingClientRect().height),
    clients: p.clients, limits: p.engine.parseRule(p.rule).limits.length,
  })));
  // Each limit beyond the first is one more picture (measured 241 px), each client one more
  // timeline row and the picture's client picker (83 px): lessons 7 and 8 show them on purpose.
  for (const l of lessons) {
    const ceiling = MAX_COMPACT_HEIGHT + 260 * (l.limits - 1) + 100 * (l.clients - 1);
    assert.ok(l.height <= ceiling, `${l.lesson}: ${l.height} px (ceiling ${ceiling})`);
  }
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('the full playground page has no drawers: every panel in view as before', async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await goToWidgets(page, '/playground.html');
  await frames(page);
  const v = await visibility(page);
  assert.deepEqual(v.toggles, {});
  assert.deepEqual(v.secondary, { why: true, log: true, clients: true, flask: false, code: false, share: true });
  // The pills, not the compact drop-down, pick the algorithm; Send sits in the Requests panel.
  const layout = await page.evaluate(() => {
    const root = document.querySelector('rate-limit-playground').shadowRoot;
    return {
      pills: root.querySelector('.algo-options').getClientRects().length > 0,
      select: root.querySelector('.algo-select').getClientRects().length > 0,
      sendIn: root.querySelector('.send').closest('.requests, .pg-time').className,
    };
  });
  assert.deepEqual(layout, { pills: true, select: false, sendIn: 'requests' });
  // The Flask app and Code disclosures are named by their titles: the drawn triangle is not read.
  const cdp = await page.context().newCDPSession(page);
  const { nodes } = await cdp.send('Accessibility.getFullAXTree');
  const disclosures = nodes.filter((n) => n.role?.value === 'DisclosureTriangle').map((n) => n.name.value);
  assert.ok(disclosures.some((name) => name.startsWith('Flask app')) && disclosures.some((name) => name.startsWith('Code')), JSON.stringify(disclosures));
  assert.ok(disclosures.every((name) => !/[▸▾]/.test(name)), JSON.stringify(disclosures));
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('the docs page: the Share buttons fit a 360 px phone, and the widgets look right light and dark', async () => {
  for (const colorScheme of ['light', 'dark']) {
    for (const width of [700, 360]) {
      // (dark on a touch screen, whose controls are taller)
      const touch = colorScheme === 'dark';
      const page = await browser.newPage({ viewport: { width, height: 1100 }, colorScheme, hasTouch: touch, isMobile: touch });
      await goToWidgets(page, '/examples/docs-page.html');
      await page.evaluate(() => Promise.all([...document.querySelectorAll('rate-limit-playground')].map((p) => p.ready)));
      const el = page.locator('#search-demo');
      await el.locator('.drawer-toggle[data-drawer="share"]').click();
      await frames(page);
      const share = await page.evaluate(() => {
        const root = document.getElementById('search-demo').shadowRoot;
        const drawer = root.querySelector('.drawer[data-drawer="share"]');
        const box = drawer.getBoundingClientRect();
        const buttons = [...drawer.querySelectorAll('button')].map((b) => b.getBoundingClientRect());
        return {
          inside: buttons.every((b) => b.left >= box.left && b.right <= box.right + 0.5),
          clipped: [...drawer.querySelectorAll('button')].some((b) => b.scrollWidth > b.clientWidth),
          lines: new Set(buttons.map((b) => Math.round(b.top))).size,
          // Each line is filled: its last button ends at the drawer's padding, not short of it.
          ragged: buttons.some((b) => b.right < box.right - 20 && !buttons.some((o) => Math.round(o.top) === Math.round(b.top) && o.right > b.right)),
        };
      });
      assert.equal(share.inside, true, `${width} px: the buttons stay inside the widget`);
      assert.equal(share.clipped, false, `${width} px: no button label is cut`);
      assert.ok(share.lines <= 2, `${width} px: ${share.lines} lines of buttons`);
      assert.equal(share.ragged, false, `${width} px: the wrapped buttons fill their lines`);
      // The framed widget further down fits its frame: nothing cut off at the bottom.
      await page.waitForFunction(() => document.querySelector('iframe.frame').contentDocument?.querySelector('rate-limit-playground')?.engine, null, WAIT);
      await frames(page);
      const frame = await page.evaluate(() => {
        const f = document.querySelector('iframe.frame');
        return { inner: f.clientHeight, content: f.contentDocument.documentElement.scrollHeight };
      });
      assert.ok(frame.content <= frame.inner, `${width} px: the framed widget needs ${frame.content} px, the frame is ${frame.inner}`);
      await el.evaluate((e) => e.scrollIntoView());
      await screenshot(page, `compact-docs-page-${width}-${colorScheme}`);
      assert.deepEqual(page.problems, []);
      await page.context().close();
    }
  }
});

test('the docs page on the narrowest phones: Send and the burst on one line at 360 px, the time buttons at 320 px', async () => {
  const lines = { 360: [], 320: [] };
  for (const width of [360, 320]) {
    const page = await browser.newPage({ viewport: { width, height: 900 } });
    await goToWidgets(page, '/examples/docs-page.html');
    await frames(page);
    lines[width] = await page.evaluate(() => {
      const root = document.getElementById('search-demo').shadowRoot;
      const tops = (selector) => new Set([...root.querySelectorAll(selector)].map((b) => Math.round(b.getBoundingClientRect().top))).size;
      const clipped = [...root.querySelectorAll('.send-row button, .time-buttons button')].some((b) => b.scrollWidth > b.clientWidth);
      return [tops('.send-row button'), tops('.time-buttons button'), clipped];
    });
    assert.deepEqual(page.problems, []);
    await page.context().close();
  }
  assert.deepEqual(lines[360], [1, 1, false], 'at 360 px: [lines of Send / Send burst, lines of time buttons, a label cut]');
  assert.deepEqual(lines[320].slice(1), [1, false], 'at 320 px the five time buttons share one line');
});

test('a lesson, compact, at 1280 and 375 px, light and dark, with "why" open', async () => {
  for (const colorScheme of ['light', 'dark']) {
    for (const width of [1280, 375]) {
      const page = await browser.newPage({ viewport: { width, height: 1000 }, colorScheme });
      await goToWidgets(page, '/index.html#why');
      await page.evaluate(() => document.querySelector('#why rate-limit-playground').send({ count: 6 }));
      // As the lesson says: click the refused request (here with the keyboard on the timeline).
      await page.locator('#why rate-limit-playground .timeline-canvas').first().focus();
      await page.keyboard.press('End');
      await page.waitForFunction(() => /429/.test(document.querySelector('#why rate-limit-playground').shadowRoot.querySelector('.why-summary')?.textContent), null, WAIT);
      await frames(page);
      await page.evaluate(() => document.querySelector('#why .task').scrollIntoView());
      await screenshot(page, `compact-lesson-${width}-${colorScheme}`);
      await page.evaluate(() => document.querySelector('#why rate-limit-playground').scrollIntoView());
      await screenshot(page, `compact-lesson-${width}-${colorScheme}-widget`);
      assert.deepEqual(page.problems, []);
      await page.context().close();
    }
  }
});

test("on a touch phone, every control is a finger's size, fields have 16 px text, and no key hints show", async () => {
  for (const path of ['/index.html', '/playground.html']) {
    const page = await browser.newPage({ viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true });
    await goToWidgets(page, path);
    await page.evaluate(() => { for (const p of document.querySelectorAll('rate-limit-playground')) p.send({ count: 3 }); });
    await frames(page);
    const found = await page.evaluate(() => {
      const small = new Set();
      const tinyText = new Set();
      let hints = 0;
      for (const pg of document.querySelectorAll('rate-limit-playground')) {
        for (const c of pg.shadowRoot.querySelectorAll('button, input, select, .algo-option, .switch')) {
          const r = c.getBoundingClientRect();
          if (!r.width || ['checkbox', 'radio', 'file'].includes(c.type)) continue;
          if (r.height < 40) small.add(`${c.className || c.type} ${Math.round(r.height)} px`);
          if (c.matches('input:not([type=range]), select') && parseFloat(getComputedStyle(c).fontSize) < 16) tinyText.add(c.className || c.type);
        }
        hints += [...pg.shadowRoot.querySelectorAll('kbd')].filter((k) => k.getClientRects().length).length;
      }
      return { small: [...small], tinyText: [...tinyText], hints };
    });
    assert.deepEqual(found, { small: [], tinyText: [], hints: 0 }, path);
    // The rule field's highlight behind it is drawn at the field's own size, under its text.
    const rule = await page.evaluate(() => {
      const root = document.querySelector('rate-limit-playground').shadowRoot;
      const size = (q) => getComputedStyle(root.querySelector(q)).fontSize;
      return { field: size('.rule-input'), highlight: size('.rule-overlay') };
    });
    assert.equal(rule.field, rule.highlight, path);
    // At 320 px, with every drawer and panel open, nothing pushes the page sideways.
    await page.setViewportSize({ width: 320, height: 812 });
    await page.evaluate(() => {
      for (const pg of document.querySelectorAll('rate-limit-playground')) {
        for (const toggle of pg.shadowRoot.querySelectorAll('.drawer-toggle[aria-expanded="false"]')) toggle.click();
        for (const details of pg.shadowRoot.querySelectorAll('details')) details.open = true;
      }
    });
    await frames(page);
    assert.equal(await page.evaluate(() => document.documentElement.scrollWidth), 320, `${path} at 320 px`);
    assert.deepEqual(page.problems, []);
    await page.context().close();
  }
});

test("the timeline's axis labels are never cut by its edge", async () => {
  for (const width of [320, 375, 700]) {
    const page = await browser.newPage({ viewport: { width, height: 900 } });
    // Every centred label a canvas draws, with its right end and the canvas's width.
    await page.addInitScript(() => {
      window.cut = [];
      const fillText = CanvasRenderingContext2D.prototype.fillText;
      CanvasRenderingContext2D.prototype.fillText = function (text, x, y, ...rest) {
        const right = this.textAlign === 'center' ? x + this.measureText(text).width / 2 : x;
        if (right > this.canvas.clientWidth + 0.5) window.cut.push(`${text} ends at ${right.toFixed(1)} of ${this.canvas.clientWidth}`);
        return fillText.call(this, text, x, y, ...rest);
      };
    });
    await goToWidgets(page, '/index.html');
    // Lessons at their start and later on (the axis's labels move along).
    for (const seconds of [0, 7, 125]) {
      await page.evaluate((s) => { for (const p of document.querySelectorAll('rate-limit-playground')) { p.advance(s); p.scrollIntoView(); } }, seconds);
      await frames(page);
    }
    assert.deepEqual(await page.evaluate(() => window.cut), [], `${width} px`);
    assert.deepEqual(page.problems, []);
    await page.context().close();
  }
});

test('every label of every algorithm picture stays inside it, on a phone and in a wide column', async () => {
  for (const width of [390, 1280]) {
    const page = await browser.newPage({ viewport: { width, height: 900 } });
    await page.goto(`${browser.base}/embed.html`);
    await page.waitForFunction(() => document.querySelector('rate-limit-playground')?.engine, null, WAIT);
    const outside = [];
    for (const algorithm of ['fixed-window', 'fixed-window-elastic-expiry', 'moving-window', 'sliding-window-counter',
      'token-bucket', 'leaky-bucket', 'leaky-queue', 'gcra']) {
      await page.evaluate((a) => { document.querySelector('rate-limit-playground').algorithm = a; }, algorithm);
      // empty, after a burst, and 25 s on: the time axis and the state's own labels move
      for (const step of ['empty', 'burst', 'later']) {
        if (step === 'burst') {  // at the start, when what the algorithm remembers reaches furthest ahead
          await page.evaluate(() => {
            const el = document.querySelector('rate-limit-playground');
            el.reset();
            el.send({ count: 12 });
          });
        }
        if (step === 'later') await page.evaluate(() => document.querySelector('rate-limit-playground').advance(25));
        await frames(page);
        outside.push(...await page.evaluate((where) => {
          const found = [];
          for (const svg of document.querySelector('rate-limit-playground').shadowRoot.querySelectorAll('section.state-view svg')) {
            const box = svg.getBoundingClientRect();
            for (const text of svg.querySelectorAll('text')) {
              const r = text.getBoundingClientRect();
              if (r.width > 0 && (r.left < box.left - 0.5 || r.right > box.right + 0.5)) found.push(`${where}: "${text.textContent}"`);
            }
          }
          return found;
        }, `${width} px, ${algorithm}, ${step}`));
      }
    }
    assert.deepEqual(outside, []);
    assert.deepEqual(page.problems, []);
  }
});
