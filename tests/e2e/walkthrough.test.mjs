// The walkthrough (index.html) in Debian's Chromium under the strict CSP: every lesson's task can be
// completed through its playground's JS API or controls and the page recognises it; progress is
// kept across a reload and can be reset; #lesson-id deep links land on (and focus) the lesson; no
// console errors. No sleeps: simulated time moves through advance(), the page is awaited with
// waitForFunction. Each test closes its page: a background tab gets no animation frames.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startBrowser, screenshot } from './browser.mjs';

let browser;
before(async () => { browser = await startBrowser(); });
after(async () => { await browser?.close(); });

const WAIT = { timeout: 15000 };

/** Opens the walkthrough (optionally at `hash`) and waits until every playground is ready. */
async function openWalkthrough(page, hash = '') {
  await page.goto(`${browser.base}/index.html${hash}`);
  await page.waitForFunction(() => {
    const all = [...document.querySelectorAll('rate-limit-playground')];
    return all.length > 0 && all.every((p) => p.engine && p.shadowRoot?.childElementCount);
  }, null, WAIT);
  await page.evaluate(() => Promise.all([...document.querySelectorAll('rate-limit-playground')].map((p) => p.ready)));
}

/**
 * Each task's solution, run in the page with the lesson's playground `el` (the one after the
 * task's box). Written as a learner would do it with the element's API; the page must notice.
 */
const SOLUTIONS = {
  'first-429': async (el) => {
    el.send({ count: 6 });
    // Picks the refused sixth in the response log, once a frame has drawn it (in view, as a
    // learner has it).
    el.scrollIntoView();
    const row = () => el.shadowRoot.querySelector('.log-body .log-row[data-index="5"]');
    while (!row()) await new Promise(requestAnimationFrame);
    row().click();
  },
  'two-limits': (el) => { el.rule = '3 per second; 20/minute'; },
  'boundary-burst': (el) => {
    el.send();                 // opens the window [0 s, 60 s)
    el.advance(59);
    el.send({ count: 9 });     // the rest of the first window
    el.advance(1.5);           // past the reset: a new window
    el.send({ count: 10 });    // 19 admitted within 1.5 s
  },
  'elastic-lockout': (el) => {
    el.algorithm = 'fixed-window-elastic-expiry';
    el.advance(150);           // one request every 10 s: each refusal pushes the end back
  },
  'estimate-off': (el) => {
    // The counter's windows follow the clock: simulated t = 0 is 20 s into a minute.
    el.advance(40);
    el.send({ count: 10 });    // the whole limit at the start of the window [40 s, 100 s)
    el.advance(60.5);          // those ten are now more than a minute old…
    el.send({ count: 2 });     // …but ⌊1 + 10 × 59.5/60⌋ = 10: the second is refused
  },
  'refill': (el) => {
    el.send({ count: 11 });    // the 11th is refused
    el.advance(6.5);           // one token back after 6 s
    el.send();
  },
  'served-late': (el) => {
    el.algorithm = 'leaky-queue';
    el.send({ count: 4 });
  },
  'later-limit': (el) => {
    el.send({ count: 2 });
    el.advance(1.1);
    el.send({ count: 2 });
    el.advance(1.1);
    el.send({ count: 2 });     // the 6th in the minute: the per-second limit still passes it
  },
  'shared-key': (el) => {
    // Through the Flask panel, as the lesson says ("Open Flask app under it"): every client
    // arrives from the proxy's address. The compact widget folds the panel until it is opened.
    const flask = el.shadowRoot.querySelector('.drawer-toggle[data-drawer="flask"]');
    const proxy = [...el.shadowRoot.querySelectorAll('.flask-panel select')].find((s) => s.querySelector('option[value="no-proxyfix"]'));
    if (proxy.checkVisibility()) throw new Error('the Flask app panel should start folded');
    flask.click();
    if (!proxy.checkVisibility()) throw new Error('"Flask app" did not open the panel');
    proxy.value = 'no-proxyfix';
    proxy.dispatchEvent(new Event('change'));
    el.advance(30);
  },
  'forged-header': (el) => {
    el.reset();
    el.proxy = 'trusted-xff';  // 10.0.0.1 forges a new X-Forwarded-For every second
    el.advance(40);
  },
  'workers': (el) => {
    el.reset();
    el.proxy = 'direct';
    el.workers = 3;            // three memory:// storages: 30 a minute get through
    el.advance(40);
  },
  'burst-two-ways': (el) => {
    el.send({ count: 10 });
    el.algorithm = 'leaky-queue';  // the same burst, answered again by the queue
  },
  'retry-early': (el) => {
    // Through the Clients panel, as the lesson says; the attribute follows it.
    el.shadowRoot.querySelector('.drawer-toggle[data-drawer="clients"]').click();
    const retry = el.shadowRoot.querySelector('select[aria-label="Client 1 on 429"]');
    if (!retry.checkVisibility()) throw new Error('"Clients" did not open the panel');
    retry.value = 'retry-after';
    retry.dispatchEvent(new Event('change'));
    if (el.retry !== 'retry-after' || el.getAttribute('retry') !== 'retry-after') throw new Error('the retry attribute did not follow the panel');
    el.advance(60);            // the first retry back too early comes at about 22 s
  },
  'retry-margin': (el) => {
    el.retry = 'retry-after-jitter';
    el.advance(60);
  },
  'herd': (el) => {
    el.retry = 'retry-after';  // all six follow the first: one counter, the first herd at about 22 s
    el.advance(40);
  },
  'herd-calm': (el) => {
    // Through the first client's On 429 in the Clients panel: all six follow it.
    el.shadowRoot.querySelector('.drawer-toggle[data-drawer="clients"]').click();
    const retry = el.shadowRoot.querySelector('select[aria-label="Client 1 on 429"]');
    retry.value = 'retry-after-jitter';
    retry.dispatchEvent(new Event('change'));
    el.advance(70);            // a calm minute only if all six wait the extra second or two
  },
  'side-by-side': (el) => {
    el.compare = true;
    el.advance(61);
  },
};

/**
 * What a learner might do that comes close to a task without doing it: each runs on a fresh
 * page, and the task must stay not done (and its status line read `status`, when given). With
 * `done`, another way of doing the task, which must count.
 */
const NEAR_MISSES = [
  { task: 'first-429', what: 'a 429 not picked', status: /^Refused: now click that request to read its headers$/,
    run: (el) => { el.send({ count: 6 }); } },
  { task: 'two-limits', what: 'a third limit besides the two', run: (el) => { el.rule = '3/second;20/minute;100/hour'; } },
  { task: 'boundary-burst', what: '18 admitted within two seconds',
    run: (el) => { el.send(); el.advance(59); el.send({ count: 8 }); el.advance(1.5); el.send({ count: 10 }); } },
  { task: 'boundary-burst', what: '19 at once through a looser rule', run: (el) => { el.rule = '20/minute'; el.send({ count: 19 }); } },
  { task: 'elastic-lockout', what: 'refused 50 s in a row', status: /^Refused 5\d s in a row so far, under elastic expiry$/,
    run: (el) => { el.algorithm = 'fixed-window-elastic-expiry'; el.advance(70); } },
  { task: 'elastic-lockout', what: 'a long lockout under the plain fixed window', run: (el) => { el.rule = '2/hour'; el.advance(100); } },
  { task: 'estimate-off', what: 'an ordinary 429, with the whole limit admitted', status: /^The 429 at 0\.0 s was an ordinary one: 10 were admitted in the 60 s before it$/,
    run: (el) => { el.send({ count: 11 }); } },
  { task: 'refill', what: 'a fixed window\'s reset, not a refill',
    run: (el) => { el.algorithm = 'fixed-window'; el.send(); el.advance(55); el.send({ count: 10 }); el.advance(6); el.send(); } },
  { task: 'refill', what: 'admitted 12 s after the refusal', run: (el) => { el.send({ count: 11 }); el.advance(12); el.send(); } },
  { task: 'refill', what: 'a rule whose window is shorter than 10 s',
    run: (el) => { el.rule = '10/second'; el.send({ count: 11 }); el.advance(0.5); el.send(); } },
  { task: 'later-limit', what: 'refused by the per-second limit', run: (el) => { el.send({ count: 3 }); } },
  { task: 'forged-header', what: 'not yet twice the limit', run: (el) => { el.reset(); el.proxy = 'trusted-xff'; el.advance(15); } },
  { task: 'forged-header', what: 'more than the limit through workers, not a forged header', run: SOLUTIONS.workers },
  { task: 'burst-two-ways', what: 'only the token bucket\'s half', run: (el) => { el.send({ count: 10 }); } },
  { task: 'burst-two-ways', what: 'bursts of five',
    run: (el) => { el.send({ count: 5 }); el.algorithm = 'leaky-queue'; el.advance(5); el.send({ count: 5 }); } },
  { task: 'burst-two-ways', what: 'a burst forgotten by Reset before the switch',
    run: (el) => { el.send({ count: 10 }); el.reset(); el.algorithm = 'leaky-queue'; } },
  { task: 'burst-two-ways', what: 'a burst sent under each', done: true,
    run: (el) => { el.send({ count: 10 }); el.algorithm = 'leaky-queue'; el.advance(5); el.send({ count: 10 }); } },
  { task: 'retry-margin', what: 'two retries admitted of three', status: /^2 of 3 admitted so far$/,
    run: (el) => {
      el.retry = 'retry-after-jitter';
      const status = document.querySelector('.task[data-task="retry-margin"] .task-status');
      for (let i = 0; i < 240 && !status.textContent.startsWith('2 of 3'); i++) el.advance(0.25);
    } },
  { task: 'herd-calm', what: '45 calm seconds', status: /^Calm for 4\d s of 60$/,
    run: (el) => { el.algorithm = 'token-bucket'; el.advance(45); } },
  { task: 'herd-calm', what: 'GCRA on the server', done: true, run: (el) => { el.algorithm = 'gcra'; el.advance(70); } },
  { task: 'side-by-side', what: '50 s compared', status: /^Comparing: 50 s of 60 played$/,
    run: (el) => { el.compare = true; el.advance(50); } },
];

/** Runs `source`, a function of the playground after `task`'s box, in the page (awaited when async). */
function runIn(page, task, source) {
  return page.evaluate(([id, fn]) => {
    const el = document.querySelector(`.task[data-task="${id}"] ~ rate-limit-playground`);
    // eslint-disable-next-line no-new-func -- test-side only; the page's CSP does not apply to CDP
    return new Function('el', `return (${fn})(el);`)(el);
  }, [task, source]);
}

/** Runs the solution of `task` against its lesson's playground. */
const solve = (page, task) => runIn(page, task, SOLUTIONS[task].toString());

const isDone = (page, task) => page.evaluate((id) => document.querySelector(`.task[data-task="${id}"]`).classList.contains('done'), task);
/** The status line under `task`'s box ("Not done yet", or how far the learner has got). */
const statusOf = (page, task) => page.textContent(`.task[data-task="${task}"] .task-status`);

test('every lesson has a task with a solution, a playground and its own heading link', async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await openWalkthrough(page);
  const lessons = await page.evaluate(() => [...document.querySelectorAll('section.lesson')].map((s) => ({
    id: s.id,
    tasks: [...s.querySelectorAll('.task[data-task]')].map((t) => t.dataset.task),
    playgrounds: s.querySelectorAll('rate-limit-playground').length,
    navLink: !!document.querySelector(`#lesson-list a[href="#${s.id}"]`),
  })));
  assert.equal(lessons.length, 12);
  for (const lesson of lessons) {
    assert.ok(lesson.tasks.length >= 1, `${lesson.id} has a task`);
    assert.ok(lesson.playgrounds >= 1, `${lesson.id} has a playground`);
    assert.ok(lesson.navLink, `${lesson.id} is in the lesson list`);
  }
  assert.deepEqual(lessons.flatMap((l) => l.tasks).sort(), Object.keys(SOLUTIONS).sort());
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('nothing is marked done by merely loading the page or playing the presets', async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await openWalkthrough(page);
  // The presets' own traffic must not solve the tasks for the learner.
  await page.evaluate(() => document.querySelectorAll('rate-limit-playground').forEach((p) => p.advance(90)));
  const done = await page.evaluate(() => [...document.querySelectorAll('.task.done')].map((t) => t.dataset.task));
  assert.deepEqual(done, []);
  assert.equal(await page.textContent('#progress-text'), `0 of ${Object.keys(SOLUTIONS).length} tasks done`);
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('a near miss does not count: each task asks for exactly what its lesson says', async () => {
  for (const { task, what, run, status: expected, done = false } of NEAR_MISSES) {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await openWalkthrough(page);
    await runIn(page, task, run.toString());
    if (done) {
      await page.waitForFunction((id) => document.querySelector(`.task[data-task="${id}"]`).classList.contains('done'), task, WAIT);
    } else {
      assert.equal(await isDone(page, task), false, `${task}: ${what}`);
      if (expected) assert.match(await statusOf(page, task), expected, `${task}: ${what}`);
    }
    assert.deepEqual(page.problems, [], `${task}: ${what}`);
    await page.context().close();
  }
  // A lesson is done when all its tasks are: one of lesson 8's three is not enough.
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await openWalkthrough(page);
  await solve(page, 'shared-key');
  await page.waitForFunction(() => document.querySelector('.task[data-task="shared-key"]').classList.contains('done'), null, WAIT);
  assert.equal(await page.locator('#lesson-list li:has(a[href="#deployment-traps"])').evaluate((li) => li.classList.contains('done')), false);
  assert.equal(await page.locator('#lesson-list li:has(a[href="#why"])').evaluate((li) => li.classList.contains('done')), false);
  await page.context().close();
});

test('each task is recognised once solved, and progress survives a reload until reset', async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await openWalkthrough(page);
  const tasks = Object.keys(SOLUTIONS);
  for (const [i, task] of tasks.entries()) {
    assert.equal(await isDone(page, task), false, `${task} not done before its solution`);
    await solve(page, task);
    await page.waitForFunction((id) => document.querySelector(`.task[data-task="${id}"]`).classList.contains('done'), task, WAIT)
      .catch((e) => { throw new Error(`task ${task} was not recognised (${e.message})\n${page.problems.join('\n')}`); });
    assert.equal(await page.textContent('#progress-text'), `${i + 1} of ${tasks.length} tasks done`);
  }
  assert.equal(await page.locator('#lesson-list li.done').count(), 12);
  // The bar fills all the way (once its transition has run), and the screenshot shows it so.
  await page.waitForFunction(() => {
    const fill = document.getElementById('progress-fill').getBoundingClientRect().width;
    return fill > 0 && fill === document.getElementById('progress-fill').parentElement.getBoundingClientRect().width;
  }, null, WAIT);
  await screenshot(page, 'walkthrough-all-done', { fullPage: false });

  await page.reload();
  await page.waitForFunction(() => document.getElementById('progress-text').textContent.startsWith('17 of'), null, WAIT);
  for (const task of tasks) assert.equal(await isDone(page, task), true, `${task} still done after reload`);

  await page.click('#reset-progress');
  assert.equal(await page.textContent('#progress-text'), `0 of ${tasks.length} tasks done`);
  await page.reload();
  await page.waitForFunction(() => document.getElementById('progress-text').textContent.startsWith('0 of'), null, WAIT);
  assert.equal(await page.locator('.task.done').count(), 0);
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('a task is solved through the controls too: Send until refused, then read its headers', async () => {
  const page = await browser.newPage({ viewport: { width: 375, height: 800 } });
  await openWalkthrough(page, '#why');
  const widget = page.locator('#why rate-limit-playground');
  const send = widget.getByRole('button', { name: /^Send/ }).first();
  for (let i = 0; i < 6; i++) await send.click();
  await page.waitForFunction(() => document.querySelector('.task[data-task="first-429"] .task-status').textContent === 'Refused: now click that request to read its headers', null, WAIT);
  // As the lesson says: open Responses, click the refused request, read its headers in "why".
  await widget.getByRole('button', { name: 'Responses', exact: true }).click();
  await widget.locator('.log-body .log-row[data-index="5"]').click();
  await page.waitForFunction(() => document.querySelector('.task[data-task="first-429"]').classList.contains('done'), null, WAIT);
  const why = widget.locator('.why-panel');
  await why.waitFor({ state: 'visible', ...WAIT });
  await page.waitForFunction(() => /429.*request #6/.test(document.querySelector('#why rate-limit-playground').shadowRoot.querySelector('.why-summary')?.textContent), null, WAIT);
  assert.match(await why.locator('.header-gen dl').first().textContent(), /X-RateLimit-Limit:5X-RateLimit-Remaining:0/);
  assert.equal(await widget.getByRole('button', { name: 'Why this answer' }).getAttribute('aria-expanded'), 'true');
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('the herd is calmed from the server\'s side too (a token bucket), and not by playing on', async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await openWalkthrough(page, '#herd');
  const run = (fn) => page.evaluate(`(${fn})(document.querySelector('#herd rate-limit-playground'))`);
  await run((el) => { el.retry = 'retry-after'; el.advance(22.5); });  // the herd is arriving
  assert.match(await statusOf(page, 'herd'), /^Most so far: [1-9] retries? refused within one second, from [12] clients?$/, 'the herd task says how far it has got');
  await run((el) => el.advance(47.5));
  assert.equal(await isDone(page, 'herd'), true);
  assert.equal(await isDone(page, 'herd-calm'), false, 'playing on with neither fix does not count');
  assert.equal(await statusOf(page, 'herd-calm'), 'Not done yet');
  await run((el) => { el.algorithm = 'token-bucket'; el.advance(30); });
  assert.match(await statusOf(page, 'herd-calm'), /^Calm for (29|30) s of 60$/);
  await run((el) => el.advance(40));
  await page.waitForFunction(() => document.querySelector('.task[data-task="herd-calm"]').classList.contains('done'), null, WAIT);
  assert.equal(await run((el) => el.retry), 'retry-after', 'the clients still obey Retry-After to the letter');
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('long tasks say how far the learner has got (a lockout under elastic expiry, a minute of comparing), and Reset progress forgets it', async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await openWalkthrough(page);
  // The progress line is a live region, which speaks at every write: a task's report leaves it
  // alone while the count is the same.
  await page.evaluate(() => {
    window.progressWrites = 0;
    new MutationObserver((m) => { window.progressWrites += m.length; })
      .observe(document.getElementById('progress-text'), { childList: true, characterData: true, subtree: true });
  });
  await runIn(page, 'elastic-lockout', "(el) => { el.algorithm = 'fixed-window-elastic-expiry'; el.advance(45); }");
  assert.match(await statusOf(page, 'elastic-lockout'), /^Refused (2\d) s in a row so far, under elastic expiry$/);
  assert.equal(await page.evaluate(() => window.progressWrites), 0);
  // Half of lesson 9's task (a burst under the token bucket) before Reset progress ...
  await runIn(page, 'burst-two-ways', '(el) => { el.send({ count: 10 }); }');
  await page.click('#reset-progress');
  assert.equal(await statusOf(page, 'elastic-lockout'), 'Not done yet', 'Reset progress clears the line');
  // ... does not count after it: the other half alone leaves the task to do.
  await runIn(page, 'burst-two-ways', "(el) => { el.algorithm = 'leaky-queue'; }");
  assert.equal(await statusOf(page, 'burst-two-ways'), 'Not done yet', 'what was seen before Reset progress is forgotten');
  await runIn(page, 'side-by-side', '(el) => { el.compare = true; el.advance(30); }');
  await page.waitForFunction(() => /^Comparing: 30 s of 60 played$/.test(document.querySelector('.task[data-task="side-by-side"] .task-status').textContent), null, WAIT);
  await runIn(page, 'side-by-side', '(el) => { el.compare = false; el.advance(1); }');
  assert.equal(await statusOf(page, 'side-by-side'), 'Not done yet');
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('from the keyboard, a link before each playground skips past its few dozen tab stops', async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await openWalkthrough(page);
  // Lesson 1: Tab from the task's box reaches the skip link (drawn when focused), and Enter moves
  // on to the text after the playground.
  await page.evaluate(() => document.querySelector('.task[data-task="first-429"] .task-status').setAttribute('tabindex', '-1'));
  await page.focus('.task[data-task="first-429"] .task-status');
  const widget = () => page.evaluate(() => document.querySelector('#why rate-limit-playground').getBoundingClientRect().top);
  const before = await widget();
  await page.keyboard.press('Tab');
  const link = await page.evaluate(() => ({ text: document.activeElement.textContent, width: document.activeElement.getBoundingClientRect().width }));
  assert.equal(link.text, 'Skip past the playground of Lesson 1');
  assert.ok(link.width > 50, 'drawn while it has the keyboard');
  assert.equal(await widget(), before, 'over the playground: nothing moves');
  await page.keyboard.press('Enter');
  assert.equal(await page.evaluate(() => document.activeElement.textContent.trim()), 'What the headers of a response say:');
  // The last playground of a lesson skips to the next lesson's title.
  const last = await page.evaluate(() => {
    const skip = [...document.querySelectorAll('#notation .skip-link')].at(-1);
    skip.click();
    return document.activeElement.id;
  });
  assert.equal(last, 'fixed-window-title');
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('a task done out of sight of its status says so at the foot of the window, and leads on', async () => {
  const page = await browser.newPage({ viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true });
  await openWalkthrough(page);
  const toast = page.locator('#task-toast');
  // Lesson 2's task, its status in view: it says "Done ✓" there, and nothing more.
  await page.locator('.task[data-task="two-limits"] .task-status').scrollIntoViewIfNeeded();
  await solve(page, 'two-limits');
  await page.waitForFunction(() => document.querySelector('.task[data-task="two-limits"]').classList.contains('done'), null, WAIT);
  assert.equal(await toast.isVisible(), false);
  // Lesson 1's, with the reader down at its widget (its status a screen above, on a phone).
  // It can be closed, and shows again for the next task done out of sight.
  await solve(page, 'first-429');
  await page.waitForFunction(() => document.querySelector('.task[data-task="first-429"]').classList.contains('done'), null, WAIT);
  await toast.waitFor({ state: 'visible', timeout: WAIT.timeout });
  assert.equal(await page.textContent('#task-toast-text'), '✓ Lesson 1: task done (2 of 17)');
  const close = await page.locator('#task-toast-close').boundingBox();
  assert.ok(close.width >= 44 && close.height >= 44, 'a finger-sized close button');
  await page.locator('#task-toast-close').tap();
  assert.equal(await toast.isVisible(), false);
  await page.evaluate(() => { document.getElementById('task-toast').hidden = false; });  // shown again, to follow its link
  await page.locator('#task-toast-next').tap();
  await page.waitForFunction(() => document.activeElement?.id === 'notation-title', null, WAIT);
  assert.equal(await toast.isVisible(), false);
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('a #lesson-id deep link lands on the lesson and focuses its title', async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await openWalkthrough(page, '#token-bucket');
  await page.waitForFunction(() => {
    const title = document.getElementById('token-bucket-title');
    const top = title.getBoundingClientRect().top;
    const current = document.querySelector('#lesson-list a[aria-current="location"]');
    return document.activeElement === title && top >= 0 && top < innerHeight / 2
      && current?.getAttribute('href') === '#token-bucket';
  }, null, WAIT).catch(async (e) => {
    const state = await page.evaluate(() => ({
      focus: document.activeElement?.id,
      top: document.getElementById('token-bucket-title').getBoundingClientRect().top,
      current: document.querySelector('#lesson-list a[aria-current="location"]')?.getAttribute('href'),
    }));
    throw new Error(`deep link did not land: ${JSON.stringify(state)} (${e.message})`);
  });
  // Following a link in the lesson list moves there too.
  await page.click('#lesson-list a[href="#deployment-traps"]');
  await page.waitForFunction(() => document.activeElement?.id === 'deployment-traps-title', null, WAIT);
  // From the keyboard, the title that took the focus shows it.
  await page.focus('#lesson-list a[href="#herd"]');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.activeElement?.id === 'herd-title', null, WAIT);
  assert.notEqual(await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle), 'none');
  // Back at the top of the page, the list marks the first lesson, not the last one seen.
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.waitForFunction(() => document.querySelector('#lesson-list a[aria-current="location"]')?.getAttribute('href') === '#why', null, WAIT);
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('the free playground page has one full playground and the compare widget', async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(`${browser.base}/playground.html`);
  await page.waitForFunction(() => [...document.querySelectorAll('rate-limit-playground')].every((p) => p.engine), null, WAIT);
  const playgrounds = await page.evaluate(() => [...document.querySelectorAll('rate-limit-playground')].map((p) => ({ compare: p.compare, compact: p.hasAttribute('compact') })));
  assert.deepEqual(playgrounds, [{ compare: false, compact: false }, { compare: true, compact: false }]);
  assert.equal(await page.getAttribute('.site-nav a[href="./"]', 'href'), './');
  assert.deepEqual(page.problems, []);
  await page.context().close();
});
