// Reads the tab-separated lines of every benchmark in bench/ on stdin and prints one table:
// ns per decision for each algorithm and workload side by side, the WebAssembly batch path's
// speed-up over each library (with its target), then the browser, size and memory figures.
import readline from 'node:readline';

const rows = [];
for await (const line of readline.createInterface({ input: process.stdin })) {
  const fields = line.split('\t');
  if (fields.length >= 4) rows.push(fields);
}
const find = (source, algorithm, workload) =>
  rows.find((r) => r[0] === source && r[1] === algorithm && r[2] === workload);
const ns = (source, algorithm, workload) => Number(find(source, algorithm, workload)?.[3] ?? NaN);
const browser = (figure) => rows.find((r) => r[0] === 'browser' && r[1] === figure);

const ALGORITHMS = ['fixed-window', 'fixed-window-elastic-expiry', 'moving-window', 'sliding-window-counter',
  'token-bucket', 'leaky-bucket', 'leaky-queue', 'gcra'];
const WORKLOADS = ['1 key', '10k keys'];
const LIMITS_HAS = new Set(['fixed-window', 'fixed-window-elastic-expiry', 'moving-window']);
const mark = (ok) => (ok ? '✓' : '✗');
const fmt = (x) => (Number.isFinite(x) ? (x >= 100 ? x.toFixed(0) : x.toFixed(1)) : '-');
const ratio = (theirs, ours, target) => {
  const r = theirs / ours;
  return Number.isFinite(r) ? `${r < 10 ? r.toFixed(2) : fmt(r)}x ${mark(r >= target)}` : '-';
};

const head = ['algorithm', 'workload', 'native', 'wasm batch', 'batch+keys', 'wasm 1 call',
  'vs limiter (>=5x)', 'vs r-l-flexible (>=100x)', 'vs express-r-l (>=100x)', 'vs limits 2.8 (>=100x)'];
const table = [head];
for (const workload of WORKLOADS) {
  for (const algorithm of ALGORITHMS) {
    const batch = ns('wasm-batch', algorithm, workload);
    const limitsStrategy = LIMITS_HAS.has(algorithm) ? algorithm : 'fixed-window';
    const native = ns('native', algorithm, workload);
    const nativeTarget = { 'fixed-window': 5, 'token-bucket': 5, 'moving-window': 10 }[algorithm];
    table.push([
      algorithm, workload,
      fmt(native) + (nativeTarget && workload === '1 key' ? ` ${mark(native <= nativeTarget)}` : ''),
      fmt(batch), fmt(ns('wasm-batch-keys', algorithm, workload)), fmt(ns('wasm-single', algorithm, workload)),
      ratio(ns('limiter', 'token-bucket', workload), batch, 5),
      ratio(ns('rate-limiter-flexible', 'fixed-window', workload), batch, 100),
      ratio(ns('express-rate-limit', 'fixed-window', workload), batch, 100),
      ratio(ns('limits', limitsStrategy, workload), batch, 100) + (LIMITS_HAS.has(algorithm) ? '' : ' (fw)'),
    ]);
  }
}
for (const workload of WORKLOADS) {
  table.push(['(libraries)', workload, '', '', '', '',
    `${fmt(ns('limiter', 'token-bucket', workload))} ns`,
    `${fmt(ns('rate-limiter-flexible', 'fixed-window', workload))} ns`,
    `${fmt(ns('express-rate-limit', 'fixed-window', workload))} ns`,
    ['fixed-window', 'fixed-window-elastic-expiry', 'moving-window']
      .map((s) => fmt(ns('limits', s, workload))).join(' / ') + ' ns']);
}
const widths = head.map((_, i) => Math.max(...table.map((r) => [...r[i]].length)));
const line = (r) => r.map((c, i) => c + ' '.repeat(widths[i] - [...c].length)).join('  ').trimEnd();
console.log('ns per decision, rule 10/second (lower is better); ratios = library ns / wasm batch ns');
console.log(line(table[0]));
console.log(widths.map((w) => '-'.repeat(w)).join('  '));
for (const r of table.slice(1)) console.log(line(r));
console.log('(limits 2.8 has only the three Flask-Limiter strategies; "(fw)" rows compare with its fixed window,');
console.log(' its fastest; the limits column of "(libraries)" lists fixed / elastic / moving window)');

const kb = (bytes) => `${(Number(bytes) / 1024).toFixed(1)} KB`;
const memory = rows.find((r) => r[0] === 'memory');
const figure = (name, value, target) => console.log(`${name.padEnd(64)}${value.padEnd(14)}${target}`.trimEnd());
console.log('');
figure('figure', 'measured', 'target');
const engine = browser('engine-gzip');
const site = browser('site-gzip');
const ready = browser('ready-ms');
const frame = browser('frame-p95-ms');
const replay = browser('replay-ms');
if (engine) figure('engine module (.js + .wasm), gzip', kb(engine[3]), `< 60 KB ${mark(engine[3] < 60 * 1024)}`);
if (site) figure('whole site, gzip (every file)', kb(site[3]), `< 150 KB ${mark(site[3] < 150 * 1024)}`);
for (const r of rows.filter((row) => row[0] === 'browser' && row[1] === 'page-gzip')) {
  figure(`  fetched by ${r[2]} until ready`, kb(r[3]), '');
}
const single = browser('single-file-gzip');
if (single) figure('  beside it: the single-file downloads (standalone .js, .html)', kb(single[3]), '');
if (ready) figure('Chromium: navigation to ready', `${ready[3]} ms`, `< 500 ms ${mark(ready[3] < 500)}`);
const uncapped = browser('frame-uncapped-p95-ms');
const work = browser('frame-work-p95-ms');
if (uncapped) {
  figure('Chromium: p95 frame time, 8 algorithms, 1,000 req/s', `${uncapped[3]} ms`,
    `< 16.7 ms ${mark(uncapped[3] < 16.7)} (frame-rate limit off: ${uncapped[2]})`);
}
if (frame) figure('  at 60 Hz: p95 interval between frames', `${frame[3]} ms`, `(pinned to the vsync, 16.67 ms; ${frame[2]})`);
if (work) figure('  at 60 Hz: p95 main-thread time per frame', `${work[3]} ms`, '');
const idle = browser('frame-idle-p95-ms');
if (idle) figure('  at 60 Hz, the page emptied: p95 interval', `${idle[3]} ms`, '(timestamps are coarsened to 0.1 ms)');
if (replay) figure(`Chromium: replay of ${replay[2]}`, `${replay[3]} ms`, `< 1000 ms ${mark(replay[3] < 1000)}`);
const replayEngine = browser('replay-engine-ms');
if (replayEngine) {
  figure('  its engine share: the parsed log through the 8 algorithms', `${replayEngine[3]} ms`,
    `well under 100 ms, read as < 50 ${mark(replayEngine[3] < 50)} (timed in the worker)`);
}
const replayAgain = browser('replay-engine-again-ms');
if (replayAgain) figure('  the same file again, same worker', `${replayAgain[3]} ms`, '(a first run is often slower: V8 compiles on first call)');
if (memory) {
  const perClient = (Number(memory[3]) - Number(memory[4])) / 100000;
  figure('wasm heap after 100,000 clients, moving window', kb(memory[3]), `${kb(memory[4])} with 1 client: ${perClient.toFixed(0)} bytes a client`);
}
for (const r of rows.filter((row) => row[0] === 'browser' && row[1] === 'problems')) {
  console.log(`console errors in Chromium while measuring: ${r.slice(3).join(' ')}`);
}

// Every figure must be there: a benchmark that stopped printing one is broken, not fast.
const expected = [];
for (const workload of WORKLOADS) {
  for (const algorithm of ALGORITHMS) {
    for (const source of ['native', 'wasm-batch', 'wasm-batch-keys', 'wasm-single']) expected.push([source, algorithm, workload]);
  }
  expected.push(['limiter', 'token-bucket', workload], ['rate-limiter-flexible', 'fixed-window', workload],
    ['express-rate-limit', 'fixed-window', workload], ...[...LIMITS_HAS].map((a) => ['limits', a, workload]));
}
const missing = expected.filter(([source, algorithm, workload]) => !Number.isFinite(ns(source, algorithm, workload)))
  .map((key) => key.join(' '));
for (const name of ['site-gzip', 'engine-gzip', 'ready-ms', 'frame-idle-p95-ms', 'frame-p95-ms', 'frame-work-p95-ms',
  'frame-uncapped-p95-ms', 'replay-ms', 'replay-engine-ms', 'replay-engine-again-ms']) {
  if (!browser(name)) missing.push(`browser ${name}`);
}
if (!memory) missing.push('memory');
const problems = rows.filter((row) => row[1] === 'problems').length;
if (missing.length || problems) {
  console.error(`bench: ${missing.length} figures missing${missing.length ? ` (${missing.join(', ')})` : ''}, ${problems} reports of problems`);
  process.exitCode = 1;
}
if (process.env.BENCH_QUICK) console.log('(BENCH_QUICK: a smoke run with tiny workloads; these figures mean nothing)');
