// The batch engine's numbers-only exports through web/playground/batch.js: the same decisions as
// the Embind Simulation (the simulated Flask app) for every algorithm, one at a time and in bulk,
// exact answers at window boundaries, interned keys, and clear errors.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { loadEngine } from './engine.mjs';
import { BatchEngine } from '../../web/playground/batch.js';

let engine;
before(async () => { engine = await loadEngine(); });

const ALL = ['fixed-window', 'fixed-window-elastic-expiry', 'moving-window', 'sliding-window-counter',
  'token-bucket', 'leaky-bucket', 'leaky-queue', 'gcra'];

/** Runs `fn` with a fresh BatchEngine and always deletes it. */
function withBatch(options, fn) {
  const batch = new BatchEngine(engine, options);
  try {
    return fn(batch);
  } finally {
    batch.delete();
  }
}

/** Requests from three clients, every 0.0625 s (exact in binary, so some land on boundaries). */
function traffic(n = 300) {
  const keys = ['10.0.0.1', '10.0.0.2', '10.0.0.3'];
  return Array.from({ length: n }, (_, i) => ({ key: keys[(i * 7) % 3], t: i * 0.0625 }));
}

/** What the Embind Simulation (a Flask route carrying `rule`) answers for each request. */
function simulationAnswers(rule, algorithm, requests) {
  const sim = new engine.Simulation({
    app: { routes: [{ path: '/', limits: [{ limit: rule }] }] }, lanes: [algorithm], clients: [], seed: 1,
  });
  try {
    return requests.map(({ key, t }) => {
      sim.advanceTo(t);
      const [index] = sim.send(key, '/', 1, 1);
      return sim.outcomes(0, index).status[0] === 200;
    });
  } finally {
    sim.delete();
  }
}

for (const algorithm of ALL) {
  test(`${algorithm}: one-at-a-time and batch decisions equal the Embind Simulation's`, () => {
    const requests = traffic();
    for (const rule of ['3/second', '4/second;10/minute']) {
      const expected = simulationAnswers(rule, algorithm, requests);
      assert.ok(expected.includes(true) && expected.includes(false), 'the traffic exercises both answers');
      withBatch({ rule, algorithm }, (batch) => {
        assert.deepEqual(requests.map(({ key, t }) => batch.hit(key, t)), expected, `${rule}: hit`);
      });
      withBatch({ rule, algorithm }, (batch) => {
        const ids = Uint32Array.from(requests, ({ key }) => batch.id(key));
        const times = Float64Array.from(requests, ({ t }) => t);
        // In two calls: the engine keeps its state between batches.
        const first = batch.hitMany(ids.subarray(0, 100), times.subarray(0, 100));
        const rest = batch.hitMany(ids.subarray(100), times.subarray(100));
        const allowed = [...first.allowed, ...rest.allowed].map((a) => a === 1);
        assert.deepEqual(allowed, expected, `${rule}: hitMany`);
        assert.equal(first.admitted + rest.admitted, expected.filter(Boolean).length);
      });
    }
  });
}

test('window boundaries: a fixed window ends just before start + window, a moving window at it', () => {
  const times = Float64Array.of(0, 0, 0, 0.999999, 1, 1, 1);
  const ids = new Uint32Array(times.length);
  withBatch({ rule: '2/second', algorithm: 'fixed-window' }, (batch) => {
    // The window opened at 0 is gone at exactly 1: a fresh window admits two more.
    assert.deepEqual([...batch.hitMany(ids, times).allowed], [1, 1, 0, 0, 1, 1, 0]);
  });
  withBatch({ rule: '2/second', algorithm: 'moving-window' }, (batch) => {
    // An entry exactly one window old still counts, so at t = 1 both entries from 0 block.
    assert.deepEqual([...batch.hitMany(ids, times).allowed], [1, 1, 0, 0, 0, 0, 0]);
    assert.equal(batch.hit(0, 1.000001), true);
  });
});

test('window boundaries: a token comes back exactly one emission interval later, to the microsecond', () => {
  for (const algorithm of ['token-bucket', 'leaky-bucket', 'gcra']) {
    withBatch({ rule: '2/second', algorithm }, (batch) => {
      const answers = [0, 0, 0, 0.499999, 0.5, 0.5, 1].map((t) => batch.hit('a', t));
      assert.deepEqual(answers, [true, true, false, false, true, false, true], algorithm);
    });
  }
});

test('window boundaries: the sliding window counter weighs the previous clock-aligned bucket', () => {
  withBatch({ rule: '4/second', algorithm: 'sliding-window-counter' }, (batch) => {
    // Epoch 1.7e9 is a whole second, so buckets start at whole t. Four hits fill bucket 0; at
    // t = 1.5 the estimate is 4 x 0.5 = 2, so two more pass; at t = 1.75, 4 x 0.25 + 2 = 3: one.
    const answers = [0, 0, 0, 0, 0.5, 1.5, 1.5, 1.5, 1.75, 1.75].map((t) => batch.hit('a', t));
    assert.deepEqual(answers, [true, true, true, true, false, true, true, false, true, false]);
  });
});

test('keys are interned once: a key and its id share one state, and new keys count from 0', () => {
  withBatch({ rule: '1/minute', algorithm: 'fixed-window' }, (batch) => {
    assert.equal(batch.id('alice'), 0);
    assert.equal(batch.id('bob'), 1);
    assert.equal(batch.id('alice'), 0);
    assert.equal(batch.hit('alice', 0), true);
    assert.equal(batch.hit(0, 1), false, 'id 0 is alice');
    assert.equal(batch.hit('bob', 1), true);
  });
});

test('a batch that brings 100,000 new clients grows wasm memory and still reads the answers right', () => {
  withBatch({ rule: '1/second', algorithm: 'moving-window' }, (batch) => {
    const n = 100000;
    const ids = Uint32Array.from({ length: 2 * n }, (_, i) => i % n);
    const times = Float64Array.from({ length: 2 * n }, (_, i) => i * 1e-6);
    const { admitted, allowed } = batch.hitMany(ids, times);
    assert.equal(admitted, n, 'each client\'s first request passes, its second (0.1 s later) does not');
    assert.ok(allowed.subarray(0, n).every((a) => a === 1) && allowed.subarray(n).every((a) => a === 0));
  });
});

test('a batch longer than the wrapper\'s chunks decides as one request at a time does', () => {
  // 20,000 requests from 50 clients near their limit: several calls into wasm, each chunk's
  // answers written at its place in a caller's array that is longer than the batch.
  const n = 20000;
  let state = 7;
  const ids = Uint32Array.from({ length: n }, () => (state = (state * 1103515245 + 12345) >>> 0) % 50);
  const times = Float64Array.from({ length: n }, (_, i) => i * 0.001);
  for (const algorithm of ['moving-window', 'gcra']) {
    const expected = withBatch({ rule: '20/second', algorithm }, (batch) => [...ids].map((id, i) => (batch.hit(id, times[i]) ? 1 : 0)));
    withBatch({ rule: '20/second', algorithm }, (batch) => {
      const allowed = new Uint8Array(n + 3).fill(9);
      const { admitted } = batch.hitMany(ids, times, allowed);
      assert.deepEqual([...allowed.subarray(0, n)], expected, algorithm);
      assert.deepEqual([...allowed.subarray(n)], [9, 9, 9], 'nothing written past the batch');
      assert.equal(admitted, expected.filter(Boolean).length);
      assert.ok(admitted > n / 4 && admitted < n, `${algorithm}: both answers occur (${admitted} of ${n})`);
    });
  }
});

test('costs and bucket options reach the engine', () => {
  withBatch({ rule: '10/second', algorithm: 'token-bucket', capacity: 3 }, (batch) => {
    assert.equal(batch.hit('a', 0, 3), true);
    assert.equal(batch.hit('a', 0, 1), false, 'capacity 3, not the amount 10');
    assert.equal(batch.hit('b', 0, 4), false, 'more than the bucket ever holds');
    assert.equal(batch.hit('b', 0, 0), true);
  });
});

test('a bad rule, algorithm, option or cost is a clear error, not a crash', () => {
  assert.throws(() => new BatchEngine(engine, { rule: '10/minits', algorithm: 'gcra' }), /rule "10\/minits": unknown time unit/);
  assert.throws(() => new BatchEngine(engine, { rule: '10/minute', algorithm: 'leaky' }), /unknown algorithm "leaky"/);
  for (const options of [{ delay: -1 }, { delay: 1.5 }, { capacity: 0 }, { capacity: -2 }, { capacity: 2.5 }, { capacity: 2 ** 60 }]) {
    assert.throws(() => new BatchEngine(engine, { rule: '10/minute', algorithm: 'leaky-queue', ...options }),
      /bucket options out of range: .*whole number/, JSON.stringify(options));
  }
  withBatch({ rule: '10/minute', algorithm: 'gcra' }, (batch) => {
    for (const cost of [-1, 0.5, NaN, 2 ** 60]) assert.throws(() => batch.hit('a', 0, cost), RangeError);
    assert.throws(() => batch.hitMany(new Uint32Array(2), new Float64Array(3)), RangeError);
  });
});
