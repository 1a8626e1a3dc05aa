// The batch engine (wasm/batch.cpp) behind a small JavaScript API: one rule under one algorithm
// for many clients, decided one at a time or in bulk without an Embind call per request.
//
//   const engine = new BatchEngine(module, { rule: '10/second', algorithm: 'gcra' });
//   engine.hit('10.0.0.1', 0.25);                 // true or false, t = seconds after `epoch`
//   const { admitted, allowed } = engine.hitMany(ids, times);  // Uint32Array, Float64Array
//   engine.delete();                               // frees the wasm memory
//
// Client keys become ids once, here in JavaScript (engine.id(key)): a Map lookup is as fast in
// JS as in C++, and only numbers then cross into wasm. hitMany() takes the ids directly, so a
// caller with its own numbering (a log replay) skips the Map. Times must not go backwards.

// Requests per call into wasm in hitMany(): 52 KB of scratch memory.
const CHUNK = 4096;

/** @typedef {{ rule: string, algorithm: string, epoch?: number, capacity?: number, delay?: number, nodelay?: boolean }} BatchOptions */

export class BatchEngine {
  /** @type {any} */ #module;
  /** @type {number} */ #engine;
  /** @type {Map<string, number>} */ #ids = new Map();
  /** @type {number} */ #scratch = 0;  // CHUNK requests' arrays in wasm memory, once needed

  /**
   * @param {any} module the loaded engine module (createRateLimitEngine())
   * @param {BatchOptions} options `epoch` in Unix seconds (default 1.7e9, a date limits can
   *   handle); capacity, delay and nodelay as in the playground's bucket options.
   */
  constructor(module, { rule, algorithm, epoch = 1.7e9, capacity = -1, delay = 0, nodelay = false }) {
    this.#module = module;
    const index = module.algorithms().findIndex((a) => a.name === algorithm);
    if (index < 0) throw new Error(`unknown algorithm "${algorithm}"`);
    const parsed = module.parseRule(rule);
    if (parsed.error) throw new Error(`rule "${rule}": ${parsed.error}`);
    const text = new TextEncoder().encode(rule);
    const pointer = module._rl_alloc(text.length);
    module.HEAPU8.set(text, pointer);
    this.#engine = module._rl_engine_create(pointer, text.length, index, epoch, capacity, delay, nodelay ? 1 : 0);
    module._rl_free(pointer);
    if (!this.#engine) {
      throw new RangeError(`bucket options out of range: capacity ${capacity} (a whole number from 1), delay ${delay} (a whole number from 0)`);
    }
  }

  /** The client id for `key`, assigned on first sight (0, 1, 2, ...). */
  id(key) {
    let id = this.#ids.get(key);
    if (id === undefined) {
      id = this.#ids.size;
      this.#ids.set(key, id);
    }
    return id;
  }

  /**
   * One decision for client `key` (a string, interned) or id (a number) at `t` seconds after
   * the epoch. Returns whether the request is admitted.
   */
  hit(key, t, cost = 1) {
    const id = typeof key === 'number' ? key : this.id(key);
    const answer = this.#module._rl_engine_hit(this.#engine, id, t, cost);
    if (answer < 0) throw new RangeError(`cost must be a whole number from 0 to 2^53 - 1, not ${cost}`);
    return answer === 1;
  }

  /**
   * Decides every request of cost 1: `ids[i]` at `times[i]` (seconds after the epoch). Copies
   * the arrays into wasm memory and the answers out CHUNK requests at a time, one call each:
   * the copies stay in the processor's cache, and the scratch memory stays small.
   * @param {Uint32Array} ids @param {Float64Array} times
   * @param {Uint8Array} [allowed] where to write 1 (admitted) or 0; a new array if absent
   * @returns {{ admitted: number, allowed: Uint8Array }}
   */
  hitMany(ids, times, allowed = new Uint8Array(ids.length)) {
    const count = ids.length;
    if (times.length !== count || allowed.length < count) throw new RangeError('ids, times and allowed differ in length');
    const m = this.#module;
    this.#scratch ||= m._rl_alloc(13 * CHUNK);  // [times: 8 CHUNK][ids: 4 CHUNK][allowed: CHUNK]
    const [timesAt, idsAt, allowedAt] = [this.#scratch, this.#scratch + 8 * CHUNK, this.#scratch + 12 * CHUNK];
    let admitted = 0;
    for (let start = 0; start < count; start += CHUNK) {
      const end = Math.min(start + CHUNK, count);
      m.HEAPF64.set(times.subarray(start, end), timesAt / 8);
      m.HEAPU32.set(ids.subarray(start, end), idsAt / 4);
      admitted += m._rl_engine_hit_many(this.#engine, idsAt, timesAt, end - start, allowedAt);
      // Deciding may grow wasm memory (new clients), which replaces the HEAP views: read them after.
      allowed.set(m.HEAPU8.subarray(allowedAt, allowedAt + end - start), start);
    }
    return { admitted, allowed };
  }

  /** Frees the engine and its arrays; the object is unusable afterwards. */
  delete() {
    this.#module._rl_free(this.#scratch);
    this.#module._rl_engine_delete(this.#engine);
    this.#scratch = 0;
    this.#engine = 0;
  }
}
