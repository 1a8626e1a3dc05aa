// The Simulation class as JavaScript sees it: construction from a plain config, the clock,
// outcomes as typed arrays, hand sends, full responses with their trace, totals, inspect()
// snapshots for every algorithm, deterministic seeking, and no leaked Embind handles.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { loadEngine } from './engine.mjs';

let engine;
before(async () => { engine = await loadEngine(); });

const ALL = ['fixed-window', 'fixed-window-elastic-expiry', 'moving-window', 'sliding-window-counter',
  'token-bucket', 'leaky-bucket', 'leaky-queue', 'gcra'];

/** A config for one route "/" limited by `rule`, as the playground element builds it. */
function config(rule, { lanes = ['fixed-window'], clients = [{ key: '10.0.0.1' }], ...rest } = {}) {
  return { app: { routes: [{ path: '/', limits: [{ limit: rule }] }] }, lanes, clients, seed: 7, ...rest };
}

/** Runs `fn` with a fresh Simulation and always deletes it. */
function withSimulation(cfg, fn) {
  const sim = new engine.Simulation(cfg);
  try {
    return fn(sim);
  } finally {
    sim.delete();
  }
}

test('the engine lists the eight algorithms with whose semantics each follows', () => {
  const algorithms = engine.algorithms();
  assert.deepEqual(algorithms.map((a) => a.name), ALL);
  for (const a of algorithms) {
    assert.equal(typeof a.semantics, 'string');
    assert.ok(a.summary.length > 20, a.name);
  }
  assert.deepEqual(algorithms.filter((a) => a.flaskLimiter).map((a) => a.name),
    ['fixed-window', 'fixed-window-elastic-expiry', 'moving-window']);
  assert.deepEqual(algorithms.filter((a) => a.bucket).map((a) => a.name),
    ['token-bucket', 'leaky-bucket', 'leaky-queue', 'gcra']);
});

test('a new simulation starts at t = 0 with one lane per algorithm asked for', () => {
  withSimulation(config('10/minute', { lanes: ALL }), (sim) => {
    assert.equal(sim.now(), 0);
    assert.equal(sim.laneCount(), 8);
    assert.deepEqual(sim.keys(), ['10.0.0.1']);
    assert.equal(sim.outcomeCount(0), 0);
    assert.equal(sim.nextEvent(), Infinity, 'a manual client schedules nothing');
  });
});

test('a constant client arrives every 1/rate seconds and nextEvent names the next arrival', () => {
  withSimulation(config('10/minute', { clients: [{ key: '10.0.0.1', pattern: 'constant', rate: 0.5 }] }), (sim) => {
    assert.equal(sim.nextEvent(), 0);
    sim.advanceTo(5);
    assert.equal(sim.now(), 5);
    assert.equal(sim.nextEvent(), 6);
    const o = sim.outcomes(0, 0);
    assert.equal(o.first, 0);
    assert.ok(o.t instanceof Float64Array && o.delay instanceof Float64Array);
    assert.ok(o.key instanceof Uint32Array && o.status instanceof Uint16Array);
    assert.ok(o.attempt instanceof Uint16Array && o.back instanceof Uint32Array && o.manual instanceof Uint8Array);
    assert.deepEqual([...o.t], [0, 2, 4]);
    assert.deepEqual([...o.status], [200, 200, 200]);
    assert.deepEqual([...o.manual], [0, 0, 0]);
  });
});

test('advanceToRejection stops the clock at the next 429 and names it, or returns null by the horizon', () => {
  withSimulation(config('10/minute', { lanes: ['moving-window', 'token-bucket'], clients: [{ key: '10.0.0.1', pattern: 'constant', rate: 1 }] }), (sim) => {
    // The moving window admits ten in the minute and refuses the eleventh, at t = 10; the token
    // bucket has refilled a request and more by then (one every 6 s), so it admits that one.
    assert.deepEqual(sim.advanceToRejection(60), { lane: 0, index: 10 });
    assert.equal(sim.now(), 10);
    assert.equal(sim.outcomes(0, 10).status[0], 429);
    assert.equal(sim.outcomes(1, 10).status[0], 200);
  });
  withSimulation(config('10/minute', { clients: [{ key: '10.0.0.1', pattern: 'constant', rate: 0.1 }] }), (sim) => {
    assert.equal(sim.advanceToRejection(100.5), null, 'one request every 10 s never meets the limit');
    assert.equal(sim.now(), 100.5);
    assert.equal(sim.outcomeCount(0), 11);
  });
});

test('outcomes(lane, from) returns only the outcomes from that index on', () => {
  withSimulation(config('10/minute', { clients: [{ key: '10.0.0.1', pattern: 'constant', rate: 1 }] }), (sim) => {
    sim.advanceTo(9);
    assert.equal(sim.outcomeCount(0), 10);
    const tail = sim.outcomes(0, 7);
    assert.equal(tail.first, 7);
    assert.deepEqual([...tail.t], [7, 8, 9]);
    assert.equal(sim.outcomes(0, 10).t.length, 0, 'nothing new');
    assert.equal(sim.outcomes(0, 1e9).t.length, 0, 'beyond the end is empty, not an error');
  });
});

test('send decides by hand at the current time and returns primary-lane indexes', () => {
  withSimulation(config('10/minute'), (sim) => {
    const indexes = sim.send('10.0.0.1', '/', 1, 11);
    assert.deepEqual(indexes, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const o = sim.outcomes(0, 0);
    assert.deepEqual([...o.status], [...Array(10).fill(200), 429]);
    assert.deepEqual([...o.manual], Array(11).fill(1));
    sim.advanceTo(1);
    assert.deepEqual(sim.send('10.0.0.9', '/', 1, 1), [11]);
    assert.deepEqual(sim.keys(), ['10.0.0.1', '10.0.0.9'], 'a new key sent by hand is appended');
  });
});

test('a response carries Flask-Limiter headers, the IETF fields and the trace in check order', () => {
  const cfg = config('10/minute');
  cfg.app.applicationLimits = ['1000/day'];
  withSimulation(cfg, (sim) => {
    const [first] = sim.send('10.0.0.1', '/', 1, 1);
    const r = sim.response(0, first);
    assert.equal(r.status, 200);
    assert.equal(r.body, 'ok');
    assert.equal(r.delay, 0);
    assert.equal(r.limit, '10 per 1 minute');
    assert.deepEqual(r.headers, {
      'X-RateLimit-Limit': '10', 'X-RateLimit-Remaining': '9', 'X-RateLimit-Reset': '1700000061', 'Retry-After': '61',
    });
    assert.equal(r.ratelimitPolicy, '"1000/day";q=1000;w=86400, "10/minute";q=10;w=60');
    assert.equal(r.ratelimit, '"10/minute";r=9;t=60');
    assert.deepEqual(r.trace.map((c) => [c.checkpoint, c.source, c.limit, c.result]), [
      ['before_request', 'application', '1000 per 1 day', 'charged'],
      ['view', 'route', '10 per 1 minute', 'charged'],
    ]);
    for (const c of r.trace) {
      assert.equal(c.cost, 1);
      assert.match(c.key, /^LIMITER\/10\.0\.0\.1\//);
      assert.match(c.detail, /≤ limit/);
    }
    const rejected = sim.response(0, sim.send('10.0.0.1', '/', 1, 10).at(-1));
    assert.equal(rejected.status, 429);
    assert.match(rejected.body, /10 per 1 minute/);
    assert.equal(rejected.trace.at(-1).result, 'breached');
    assert.match(rejected.trace.at(-1).detail, /> limit 10/);
  });
});

test('app options from JS: a route limit replaces the defaults unless told not to; Retry-After as a date when asked', () => {
  const app = (limit, extra = {}) => ({ app: { defaultLimits: ['1/minute'], routes: [{ path: '/', limits: [limit] }], ...extra },
    lanes: ['fixed-window'], clients: [], seed: 7 });
  const statuses = (cfg) => withSimulation(cfg, (sim) => sim.send('k', '/', 1, 2).map((i) => sim.response(0, i).status));
  assert.deepEqual(statuses(app({ limit: '10/minute' })), [200, 200]);
  assert.deepEqual(statuses(app({ limit: '10/minute', overrideDefaults: false })), [200, 429]);
  const retryAfter = (extra) => withSimulation(app({ limit: '1/minute' }, extra),
    (sim) => sim.response(0, sim.send('k', '/', 1, 2)[1]).headers['Retry-After']);
  assert.equal(retryAfter({}), '61');
  assert.equal(retryAfter({ retryAfter: 'delta-seconds' }), '61');
  assert.equal(retryAfter({ retryAfter: 'http-date' }), 'Tue, 14 Nov 2023 22:14:21 GMT');
});

test('a bucket\'s Retry-After is the time until it is full again, as Flask-Limiter derives it from the reset', () => {
  // Lesson 5 says so: after a burst of ten through 10/minute, the next token is 6 s away, but a
  // 429 tells the client 61 s, like a window's (one lane per algorithm of the bucket family).
  const buckets = ['token-bucket', 'leaky-bucket', 'leaky-queue', 'gcra'];
  withSimulation(config('10/minute', { lanes: buckets }), (sim) => {
    const [last] = sim.send('10.0.0.1', '/', 1, 11).slice(-1);
    buckets.forEach((algorithm, lane) => {
      const r = sim.response(lane, last);
      assert.equal(r.status, 429, algorithm);
      assert.equal(r.headers['Retry-After'], '61', algorithm);
      assert.equal(r.ratelimit, '"10/minute";r=0;t=60', algorithm);
    });
    sim.advanceTo(6);
    assert.deepEqual(sim.send('10.0.0.1', '/', 1, 1).map((i) => sim.response(0, i).status), [200], 'a token after 6 s');
  });
});

test('totals count requests, 2xx, 429s, retries and the most admitted in any window', () => {
  withSimulation(config('10/minute', { lanes: ['fixed-window', 'moving-window'] }), (sim) => {
    // Flask-Limiter's boundary burst: 1 at t=0, 9 at 59.5, 10 at 60.
    sim.send('10.0.0.1', '/', 1, 1);
    sim.advanceTo(59.5);
    sim.send('10.0.0.1', '/', 1, 9);
    sim.advanceTo(60);
    sim.send('10.0.0.1', '/', 1, 10);
    assert.deepEqual(sim.totals(0), {
      requests: 20, allowed: 20, rejected: 0, retries: 0, delayed: 0, maxInWindow: 20, windowLimit: 10, window: 60,
    });
    const moving = sim.totals(1);
    assert.equal(moving.allowed, 10);
    assert.equal(moving.rejected, 10);
    assert.equal(moving.maxInWindow, 10);
  });
});

test('a client that retries at once on 429 shows up as retries with attempt numbers', () => {
  const clients = [{ key: '10.0.0.1', pattern: 'constant', rate: 2, retry: 'immediate' }];
  withSimulation(config('2/minute', { clients }), (sim) => {
    sim.advanceTo(3);
    const o = sim.outcomes(0, 0);
    assert.ok(Math.max(...o.attempt) > 0);
    assert.ok(sim.totals(0).retries > 0);
    assert.equal(sim.totals(0).retries, [...o.attempt].filter((a) => a > 0).length);
    // Each retry's `back` leads to the refused attempt it repeats; a first try has none.
    assert.ok(o.back instanceof Uint32Array);
    for (let i = 0; i < o.t.length; i++) {
      if (o.attempt[i] === 0) {
        assert.equal(o.back[i], 0);
      } else {
        const previous = i - o.back[i];
        assert.ok(o.back[i] > 0 && previous >= 0);
        assert.deepEqual([o.attempt[previous], o.status[previous]], [o.attempt[i] - 1, 429]);
      }
    }
  });
});

test('inspect() gives each algorithm its snapshot fields', () => {
  withSimulation(config('10/minute', { lanes: ALL }), (sim) => {
    sim.send('10.0.0.1', '/', 1, 4);
    sim.advanceTo(3);
    const byAlgorithm = {};
    for (let lane = 0; lane < ALL.length; lane++) {
      const states = sim.inspect(lane, '10.0.0.1', '/');
      assert.equal(states.length, 1);
      const [s] = states;
      assert.equal(s.checkpoint, 'view');
      assert.equal(s.source, 'route');
      assert.equal(s.key, 'LIMITER/10.0.0.1/index/10/1/minute');
      assert.deepEqual(s.limit, { amount: 10, multiples: 1, granularity: 'minute', text: '10 per 1 minute', windowSeconds: 60 });
      assert.equal(typeof s.reset, 'number');
      assert.equal(typeof s.remaining, 'number');
      assert.equal(s.snapshot.algorithm, ALL[lane]);
      assert.equal(s.snapshot.limit, 10);
      assert.equal(s.snapshot.window, 60);
      byAlgorithm[ALL[lane]] = s;
    }
    const fixed = byAlgorithm['fixed-window'].snapshot;
    assert.equal(fixed.windowOpen, true);
    assert.equal(fixed.windowStart, 1700000000);
    assert.equal(fixed.windowEnd, 1700000060);
    assert.equal(fixed.counter, 4);
    assert.equal(byAlgorithm['fixed-window'].remaining, 6);
    assert.equal(byAlgorithm['fixed-window-elastic-expiry'].snapshot.counter, 4);
    assert.deepEqual(byAlgorithm['moving-window'].snapshot.log, [{ time: 1700000000, count: 4 }]);
    const swc = byAlgorithm['sliding-window-counter'].snapshot;
    assert.equal(swc.bucketStart % 60, 0, 'clock-aligned buckets');
    assert.equal(swc.currentCount, 4);
    assert.ok(swc.previousWeight >= 0 && swc.previousWeight <= 1);
    assert.equal(swc.estimate, swc.previousCount * swc.previousWeight + swc.currentCount);
    const token = byAlgorithm['token-bucket'].snapshot;
    assert.equal(token.capacity, 10);
    assert.ok(Math.abs(token.rate - 1 / 6) < 1e-12);
    assert.ok(Math.abs(token.tokens - 6.5) < 1e-9, `tokens ${token.tokens}`);  // 10 - 4 + 3 s / 6 s
    assert.ok(Math.abs(byAlgorithm['leaky-bucket'].snapshot.level - 3.5) < 1e-9);
    const queue = byAlgorithm['leaky-queue'].snapshot;
    assert.equal(queue.capacity, 10);
    assert.ok(queue.queued > 0, 'three of the four wait in the queue');
    const gcra = byAlgorithm.gcra.snapshot;
    assert.equal(gcra.emissionInterval, 6);
    assert.equal(gcra.tolerance, 60);
    assert.equal(gcra.tat, 1700000024);
  });
});

test('the leaky queue delays what fits in the queue and rejects the rest; outcomes carry the delay', () => {
  withSimulation(config('3/second', { lanes: ['leaky-queue'] }), (sim) => {
    sim.send('10.0.0.1', '/', 1, 4);
    const o = sim.outcomes(0, 0);
    assert.deepEqual([...o.status], [200, 200, 200, 429]);
    assert.deepEqual([...o.delay].map((d) => Math.round(d * 1000) / 1000), [0, 0.333, 0.667, 0]);
    assert.ok(Math.abs(sim.response(0, 2).delay - 2 / 3) < 1e-9);
    assert.equal(sim.totals(0).delayed, 2);
  });
});

test('seek goes back by recomputing from the seed: the same outcomes, hand sends included', () => {
  const clients = [{ key: '10.0.0.1', pattern: 'poisson', rate: 3, retry: 'backoff' }, { key: '10.0.0.2', pattern: 'on-off', rate: 2 }];
  withSimulation(config('5/10second', { clients, lanes: ALL }), (sim) => {
    sim.advanceTo(4);
    sim.send('10.0.0.2', '/', 1, 3);
    sim.advanceTo(20);
    const before = ALL.map((_, lane) => sim.outcomes(lane, 0));
    const totals = ALL.map((_, lane) => sim.totals(lane));
    sim.seek(2);
    assert.equal(sim.now(), 2);
    assert.ok(sim.outcomeCount(0) < before[0].t.length);
    sim.advanceTo(20);
    ALL.forEach((_, lane) => {
      const after = sim.outcomes(lane, 0);
      assert.deepEqual([...after.t], [...before[lane].t]);
      assert.deepEqual([...after.status], [...before[lane].status]);
      assert.deepEqual([...after.manual], [...before[lane].manual]);
      assert.deepEqual(sim.totals(lane), totals[lane]);
    });
  });
});

test('two simulations with the same config and seed agree; another seed differs', () => {
  const clients = [{ key: '10.0.0.1', pattern: 'poisson', rate: 5 }];
  const run = (seed) => withSimulation({ ...config('10/second', { clients }), seed }, (sim) => {
    sim.advanceTo(10);
    return [...sim.outcomes(0, 0).t];
  });
  assert.deepEqual(run(3), run(3));
  assert.notDeepEqual(run(3), run(4));
});

test('a deleted Simulation is really deleted: using it throws', () => {
  const sim = new engine.Simulation(config('10/minute'));
  sim.delete();
  assert.throws(() => sim.now(), /deleted/);
  assert.throws(() => sim.delete(), /deleted|already/);
});

test('thousands of interactions leave no Embind handle behind and deleted simulations free their memory', () => {
  assert.equal(typeof engine.count_emval_handles, 'function', 'this Emscripten exposes count_emval_handles');
  const clients = [{ key: '10.0.0.1', pattern: 'poisson', rate: 200, retry: 'retry-after', headers: { 'X-Api-Key': 'a' } }];
  const created = [];
  const round = (lanes) => {
    const sim = new engine.Simulation(config('5/second;30/minute', { clients, lanes }));
    created.push(sim);
    for (let step = 1; step <= 25; step++) {
      sim.advanceTo(step * 0.2);
      sim.send('10.0.0.1', '/', 1, 2);
      for (let lane = 0; lane < sim.laneCount(); lane++) {
        const o = sim.outcomes(lane, Math.max(0, sim.outcomeCount(lane) - 5));
        if (o.t.length) sim.response(lane, o.first);
        sim.totals(lane);
        sim.inspect(lane, '10.0.0.1', '/');
      }
      sim.keys();
      sim.nextEvent();
      engine.parseRule(step % 3 ? '10/minute' : '10/minits');
    }
    sim.seek(1);
    sim.delete();
  };
  round(ALL);  // warm up: the heap grows once to its working size
  const handles = engine.count_emval_handles();
  const heap = engine.HEAP8.buffer.byteLength;
  for (let i = 0; i < 40; i++) round(i % 2 ? ALL : ['token-bucket']);
  assert.equal(engine.count_emval_handles(), handles, 'emval handles back to the baseline');
  // Each of these runs holds megabytes of outcomes and responses: had one not been freed, the
  // heap (which only grows) would have had to grow to hold the next.
  assert.equal(engine.HEAP8.buffer.byteLength, heap, 'the wasm heap did not grow');
  assert.ok(created.every((sim) => sim.isDeleted()));
});
