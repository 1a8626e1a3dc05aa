// The shared workloads of bench/workload.hpp, generated identically in JavaScript: rule
// "10/second"; one client every 10 ms, or 10,000 clients from a fixed LCG sequence, one request
// every 10 us. Keys are strings (IPs) for the npm limiters, ids for the batch engine.

export const RULE = '10/second';
export const ALGORITHMS = ['fixed-window', 'fixed-window-elastic-expiry', 'moving-window',
  'sliding-window-counter', 'token-bucket', 'leaky-bucket', 'leaky-queue', 'gcra'];

/** {name, ids: Uint32Array, times: Float64Array (s after the epoch), keys: string[] per id}. */
export function workload(name, clients, interval, count) {
  const ids = new Uint32Array(count);
  const times = new Float64Array(count);
  let state = 12345;
  for (let i = 0; i < count; ++i) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    ids[i] = clients === 1 ? 0 : state % clients;
    times[i] = i * interval;
  }
  const keys = Array.from({ length: clients }, (_, i) => `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`);
  return { name, ids, times, keys };
}

export const oneKey = (count) => workload('1 key', 1, 0.01, count);
export const manyKeys = (count) => workload('10k keys', 10000, 0.00001, count);
