// ns per decision in Node: the WebAssembly batch engine (copying in and out included) for every
// algorithm, its one-call-per-decision export, and the npm limiters people would otherwise use,
// on the shared workloads (workload.mjs). Prints tab-separated lines for scripts/bench.sh:
//   <source> <algorithm> <workload> <ns per decision> <admitted>
// Usage: node bench/node_bench.mjs ENGINE_DIR
// The npm limiters read the wall clock (none takes time as a parameter), so they run at full
// speed against real time; that changes which requests they admit, not what a call costs.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import { RateLimiter } from 'limiter';
import { RateLimiterMemory } from 'rate-limiter-flexible';
import { rateLimit } from 'express-rate-limit';
import { BatchEngine } from '../web/playground/batch.js';
import { ALGORITHMS, RULE, oneKey, manyKeys } from './workload.mjs';

const engineDir = path.resolve(process.argv[2] ?? 'build-wasm/engine');
const require = createRequire(import.meta.url);
const load = () => require(path.join(engineDir, 'ratelimit-engine.js'))({
  wasmBinary: fs.readFileSync(path.join(engineDir, 'ratelimit-engine.wasm')),
});
const module = await load();

// BENCH_QUICK (scripts/test.sh's smoke run): 1% of the requests, one round, only to show that
// every benchmark still runs; its figures mean nothing.
const QUICK = Boolean(process.env.BENCH_QUICK);
const ROUNDS = QUICK ? 1 : 5;  // the best round is reported: the least disturbed by the machine
const SCALE = QUICK ? 0.01 : 1;
const print = (source, algorithm, w, ns, admitted) =>
  console.log([source, algorithm, w.name, ns.toFixed(2), admitted].join('\t'));

/** Best ns per decision of `run(n)` over ROUNDS rounds; run returns how many it admitted. */
async function measure(n, run) {
  let best = Infinity;
  let admitted = 0;
  for (let round = 0; round < ROUNDS; ++round) {
    const start = performance.now();
    admitted = await run();
    best = Math.min(best, ((performance.now() - start) * 1e6) / n);
  }
  return { ns: best, admitted };
}

const big = [oneKey(2_000_000 * SCALE), manyKeys(2_000_000 * SCALE)];
const small = [oneKey(200_000 * SCALE), manyKeys(200_000 * SCALE)];

for (const w of big) {
  const allowed = new Uint8Array(w.ids.length);  // the caller's answer array, reused as a caller would
  for (const algorithm of ALGORITHMS) {
    const n = w.ids.length;
    const batch = await measure(n, () => {
      const engine = new BatchEngine(module, { rule: RULE, algorithm });
      const { admitted } = engine.hitMany(w.ids, w.times, allowed);
      engine.delete();
      return admitted;
    });
    print('wasm-batch', algorithm, w, batch.ns, batch.admitted);
    // Keys as strings, interned to ids by the wrapper's Map as they come, then one batch.
    const interned = await measure(n, () => {
      const engine = new BatchEngine(module, { rule: RULE, algorithm });
      const ids = new Uint32Array(n);
      for (let i = 0; i < n; ++i) ids[i] = engine.id(w.keys[w.ids[i]]);
      const { admitted } = engine.hitMany(ids, w.times, allowed);
      engine.delete();
      return admitted;
    });
    print('wasm-batch-keys', algorithm, w, interned.ns, interned.admitted);
    const single = await measure(n, () => {
      const engine = new BatchEngine(module, { rule: RULE, algorithm });
      let admitted = 0;
      for (let i = 0; i < n; ++i) admitted += engine.hit(w.ids[i], w.times[i]) ? 1 : 0;
      engine.delete();
      return admitted;
    });
    print('wasm-single', algorithm, w, single.ns, single.admitted);
  }
}

for (const w of big) {
  const n = w.ids.length;
  const r = await measure(n, () => {
    const limiters = w.keys.map(() => new RateLimiter({ tokensPerInterval: 10, interval: 'second' }));
    let admitted = 0;
    for (let i = 0; i < n; ++i) admitted += limiters[w.ids[i]].tryRemoveTokens(1) ? 1 : 0;
    return admitted;
  });
  print('limiter', 'token-bucket', w, r.ns, r.admitted);
}

for (const w of small) {
  const n = w.ids.length;
  const r = await measure(n, async () => {
    const limiter = new RateLimiterMemory({ points: 10, duration: 1 });
    let admitted = 0;
    for (let i = 0; i < n; ++i) {
      admitted += await limiter.consume(w.keys[w.ids[i]]).then(() => 1, () => 0);
    }
    return admitted;
  });
  print('rate-limiter-flexible', 'fixed-window', w, r.ns, r.admitted);
}

// express-rate-limit's middleware called directly with the least a request and response need.
for (const w of small) {
  const n = w.ids.length;
  const r = await measure(n, async () => {
    const middleware = rateLimit({
      windowMs: 1000, limit: 10, standardHeaders: 'draft-6', legacyHeaders: false, validate: false,
      keyGenerator: (req) => req.ip,
    });
    const res = {
      statusCode: 200, headersSent: false, setHeader() {}, getHeader() {}, append() {}, on() {},
      status(code) { this.statusCode = code; return this; }, send() {}, json() {}, end() {},
    };
    let admitted = 0;
    const next = () => { admitted += 1; };
    for (let i = 0; i < n; ++i) {
      await middleware({ ip: w.keys[w.ids[i]], method: 'GET', headers: {}, app: { get() {} } }, res, next);
    }
    return admitted;
  });
  print('express-rate-limit', 'fixed-window', w, r.ns, r.admitted);
}

// Memory: malloc'd bytes in a fresh instance with one client, then after 100,000 distinct
// clients hit the moving window once each. Printed as: memory <algorithm> <clients> <bytes after> <bytes before>
{
  const fresh = await load();
  const engine = new BatchEngine(fresh, { rule: RULE, algorithm: 'moving-window' });
  const n = 100_000;
  const ids = Uint32Array.from({ length: n }, (_, i) => i);
  const times = Float64Array.from({ length: n }, (_, i) => i * 1e-5);
  engine.hitMany(new Uint32Array(n), times);  // one client: allocates the scratch arrays, not counted
  const before = fresh._rl_heap_in_use();
  engine.hitMany(ids, times.map((t) => t + 1));
  console.log(['memory', 'moving-window', '100k clients', fresh._rl_heap_in_use(), before].join('\t'));
}
