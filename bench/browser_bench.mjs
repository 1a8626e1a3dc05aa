// The site in Debian's headless Chromium (tests/e2e/browser.mjs: served under the strict CSP):
// time from navigation to the first playground's `ready`; with all eight algorithms side by side
// at 1,000 requests per second, the p95 frame time (frame-rate limit off) and the p95 interval at
// 60 Hz; the replay of a million log lines; and the gzip size of the whole site and of the engine
// module. Prints tab-separated lines for scripts/bench.sh:
//   browser <figure> <detail> <value>
// Usage: SITE_DIR=build-wasm/site node bench/browser_bench.mjs ENGINE_DIR
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { startBrowser, SITE } from '../tests/e2e/browser.mjs';

const engineDir = path.resolve(process.argv[2] ?? 'build-wasm/engine');
// BENCH_QUICK (scripts/test.sh's smoke run): one navigation, 1.5 s of frames and a 20,000-line
// replay, only to show that every measurement still runs; its figures mean nothing. (Half a
// second of frames was too short: on a busy machine the first ten frames, which are left out
// as the playground's start-up, were all there were.)
const QUICK = Boolean(process.env.BENCH_QUICK);
const REPLAY_LINES = QUICK ? 20_000 : 1_000_000;
const FRAMES_MS = QUICK ? 1500 : 4000;
const print = (...fields) => console.log(['browser', ...fields].join('\t'));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Sum of each file's gzip -9 size: what a static host serving gzip sends. */
function gzipBytes(dir, filter = () => true) {
  let total = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    const file = path.join(entry.parentPath ?? entry.path, entry.name);
    if (entry.isFile() && filter(file)) total += zlib.gzipSync(fs.readFileSync(file), { level: 9 }).length;
  }
  return total;
}

print('site-gzip', 'bytes', gzipBytes(SITE));
// The single-file downloads beside the site (build-wasm/single-file), which no page fetches.
const singleFile = path.join(SITE, '..', 'single-file');
if (fs.existsSync(singleFile)) print('single-file-gzip', 'bytes', gzipBytes(singleFile));
print('engine-gzip', 'bytes', gzipBytes(engineDir, (f) => /ratelimit-engine\.(js|wasm)$/.test(f)));

/**
 * Replay of a generated 1,000,000-line (REPLAY_LINES) access log (common log format, 10,000 clients, 100
 * requests a second) through every algorithm by <rate-limit-replay> on replay.html
 * (web/replay/README.md): from handing it the file to its drawn result. Prints nothing while
 * the site has no such page or element.
 */
async function replay(browser) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const response = await page.goto(`${browser.base}/replay.html`);
  if (!response.ok()) return;
  const run = await page.evaluate(async (count) => {
    await new Promise((resolve) => (document.readyState === 'complete' ? resolve() : addEventListener('load', resolve)));
    if (!customElements.get('rate-limit-replay')) return null;
    const el = document.querySelector('rate-limit-replay') ?? document.body.appendChild(document.createElement('rate-limit-replay'));
    await el.ready;
    // Encoded to bytes 10,000 lines at a time, as a dropped file's bytes are: a million strings
    // left for the page's garbage collector would run it during the replay, on the same two
    // CPUs as the worker (the replay read 430-900 ms that way; 450-470 like this).
    const parts = [];
    let lines = [];
    const encoder = new TextEncoder();
    const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
    const start = Date.UTC(2026, 10, 28, 12) / 1000;
    const pad = (n) => String(n).padStart(2, '0');
    let state = 12345;
    for (let i = 0; i < count; ++i) {
      state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
      const client = state % 10000;
      const d = new Date((start + i / 100) * 1000);
      const stamp = `${pad(d.getUTCDate())}/${months[d.getUTCMonth()]}/${d.getUTCFullYear()}:${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +0000`;
      lines.push(`10.0.${client >> 8}.${client & 255} - - [${stamp}] "GET /api HTTP/1.1" 200 512\n`);
      if (lines.length === 10000 || i === count - 1) {
        parts.push(encoder.encode(lines.join('')));
        lines = [];
      }
    }
    const log = new Blob(parts, { type: 'text/plain' });  // a file as a user drops it
    const options = { rule: '10/second', strategy: 'all', key: 'ip' };
    const t0 = performance.now();
    const result = await el.replayFile(log, options);
    const ms = performance.now() - t0;
    // The same file again, in the same worker. A first run often pays for V8 compiling the
    // engine's code for the replay, which it does on first call: with --no-wasm-lazy-compilation
    // --no-wasm-dynamic-tiering (everything compiled up front) the gap closed.
    const again = result.error ? result : await el.replayFile(log, options);
    return { ms, requests: result.requests, error: result.error, timing: result.timing, again: again.timing };
  }, REPLAY_LINES);
  if (run?.error || (run && run.requests !== REPLAY_LINES)) {
    print('problems', 1, `replay: ${run.error ?? `${run.requests} requests read`}`);
  } else if (run) {
    print('replay-ms', `${REPLAY_LINES.toLocaleString('en-US')} lines, all algorithms`, run.ms.toFixed(0));
    // The worker's own timing of the engine's part: the parsed log through the eight algorithms.
    print('replay-engine-ms', 'in the worker', run.timing.replayMs.toFixed(0));
    print('replay-engine-again-ms', 'in the worker', run.again.replayMs.toFixed(0));
  }
  if (page.problems.length) print('problems', page.problems.length, page.problems.join(' | '));
}

/** gzip bytes of the site's files that loading `page` (a path) fetches until its element is ready. */
async function pageBytes(browser, page, element) {
  const tab = await browser.newPage();
  const fetched = new Set();
  tab.on('request', (r) => fetched.add(new URL(r.url()).pathname));
  tab.context().on('request', (r) => fetched.add(new URL(r.url()).pathname));  // workers' fetches too
  await tab.goto(`${browser.base}${page}`);
  await tab.waitForFunction((name) => document.querySelector(name)?.ready, element);
  await tab.evaluate((name) => document.querySelector(name).ready, element);
  await tab.context().close();
  const files = [...fetched].map((p) => path.join(SITE, p.endsWith('/') ? `${p}index.html` : p));
  return files.filter((f) => fs.existsSync(f))
    .reduce((sum, f) => sum + zlib.gzipSync(fs.readFileSync(f), { level: 9 }).length, 0);
}

const p95 = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(0.95 * xs.length)];

/**
 * Four seconds (FRAMES_MS) of frames on `page` (the home page served at `base`, its content replaced by one
 * compare playground, all eight lanes, playing Poisson traffic at 1,000 req/s; or by nothing).
 * Per frame: the interval since the previous one, and the main thread's time from the frame's
 * start until a message posted during it arrives, after the frame's style, layout and paint.
 */
async function measureFrames(page, base, withPlayground) {
  await page.goto(`${base}/`);
  return page.evaluate(async ([playground, duration]) => {
    const main = document.querySelector('main');
    main.replaceChildren();
    if (playground) {
      const el = document.createElement('rate-limit-playground');
      for (const [name, value] of Object.entries({ rule: '10/minute', traffic: 'poisson', rate: '1000', compare: '' })) {
        el.setAttribute(name, value);
      }
      main.append(el);
      await el.ready;
      el.play();
    }
    return new Promise((resolve) => {
      const intervals = [];
      const work = [];
      let last = performance.now();
      const started = last;
      const tick = (now) => {
        intervals.push(now - last);
        last = now;
        const channel = new MessageChannel();
        channel.port1.onmessage = () => work.push(performance.now() - now);
        channel.port2.postMessage(0);
        if (now - started < duration) requestAnimationFrame(tick);
        else setTimeout(() => resolve({ intervals: intervals.slice(10), work: work.slice(10) }), 50);
      };
      requestAnimationFrame(tick);
    });
  }, [withPlayground, FRAMES_MS]);
}

const browser = await startBrowser();
try {
  print('page-gzip', 'index.html', await pageBytes(browser, '/', 'rate-limit-playground'));
  if (fs.existsSync(path.join(SITE, 'replay.html'))) {
    print('page-gzip', 'replay.html', await pageBytes(browser, '/replay.html', 'rate-limit-replay'));
  }
  // Navigation to ready: a fresh context (no cache) each time, median of five.
  const readies = [];
  for (let i = 0; i < (QUICK ? 1 : 5); ++i) {
    const page = await browser.newPage();
    await page.addInitScript(() => {
      customElements.whenDefined('rate-limit-playground').then(() => {
        document.querySelector('rate-limit-playground').ready.then(() => { window.benchReadyAt = performance.now(); });
      });
    });
    await page.goto(`${browser.base}/`);
    readies.push(await (await page.waitForFunction(() => window.benchReadyAt)).jsonValue());
    await page.context().close();
  }
  print('ready-ms', `median of ${readies.length}`, median(readies).toFixed(1));

  // Frames at 60 Hz (what a visitor's display shows), with the same page emptied as the baseline.
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  for (const playground of [false, true]) {
    const frames = await measureFrames(page, browser.base, playground);
    const late = frames.intervals.filter((t) => t > 20).length;  // a missed vsync at 60 Hz
    const what = `${frames.intervals.length} frames, ${late} over 20 ms`;
    if (!playground) {
      print('frame-idle-p95-ms', what, p95(frames.intervals).toFixed(2));
      continue;
    }
    print('frame-p95-ms', what, p95(frames.intervals).toFixed(2));
    print('frame-work-p95-ms', 'main thread per frame', p95(frames.work).toFixed(2));
  }
  if (page.problems.length) print('problems', page.problems.length, page.problems.join(' | '));
  await page.context().close();
  await replay(browser);
} finally {
  await browser.close();
}

// Frame time: under vsync every interval is pinned to 16.67 ms (Chromium's timestamps, coarsened
// to 0.1 ms, read 16.7 or 16.8 even for an empty page), which says nothing about what a frame
// costs. With the frame-rate limit off, Chromium makes the next frame as soon as one is done, so
// each interval is one frame's whole cost: script, style, layout, paint and compositing.
const uncapped = await startBrowser({ args: ['--disable-frame-rate-limit', '--disable-gpu-vsync'] });
try {
  const page = await uncapped.newPage({ viewport: { width: 1280, height: 900 } });
  const { intervals } = await measureFrames(page, uncapped.base, true);
  print('frame-uncapped-p95-ms', `${intervals.length} frames in ${FRAMES_MS / 1000} s, median ${median(intervals).toFixed(1)} ms`,
    p95(intervals).toFixed(2));
  if (page.problems.length) print('problems', page.problems.length, page.problems.join(' | '));
} finally {
  await uncapped.close();
}
