// One playground's run: the engine's Simulation plus the bookkeeping the views need to draw it
// fast (recent outcomes per lane in typed-array rings, pulled incrementally). Nothing here
// decides anything about rate limiting; every status, header and state comes from the engine.

/** The four headers Flask-Limiter sends, in the order a decision lists them. */
export const HEADER_NAMES = ['X-RateLimit-Limit', 'X-RateLimit-Remaining', 'X-RateLimit-Reset', 'Retry-After'];

/** Most outcomes kept per lane for drawing (about two minutes at 1,000 requests per second). */
const RING_CAPACITY = 1 << 17;

/** Recent outcomes of one lane, indexed by their engine index, oldest dropped first. */
export class OutcomeRing {
  constructor(capacity = RING_CAPACITY) {
    this.mask = capacity - 1;
    this.t = new Float64Array(capacity);
    this.delay = new Float64Array(capacity);
    this.key = new Uint32Array(capacity);
    this.status = new Uint16Array(capacity);
    this.attempt = new Uint16Array(capacity);
    this.back = new Uint32Array(capacity);  // a retry: how far back its refused attempt is
    this.manual = new Uint8Array(capacity);
    this.start = 0;  // engine index of the oldest outcome held
    this.end = 0;    // engine index after the newest
  }

  clear(from = 0) {
    this.start = from;
    this.end = from;
  }

  /** Appends what Simulation.outcomes() returned (typed arrays from index `first`). */
  append(batch) {
    const n = batch.t.length;
    if (batch.first !== this.end) this.clear(batch.first);  // a gap: the engine dropped some
    for (let i = 0; i < n; i++) {
      const slot = (batch.first + i) & this.mask;
      this.t[slot] = batch.t[i];
      this.delay[slot] = batch.delay[i];
      this.key[slot] = batch.key[i];
      this.status[slot] = batch.status[i];
      this.attempt[slot] = batch.attempt[i];
      this.back[slot] = batch.back[i];
      this.manual[slot] = batch.manual[i];
    }
    this.end = batch.first + n;
    if (this.end - this.start > this.mask + 1) this.start = this.end - this.mask - 1;
  }

  has(index) { return index >= this.start && index < this.end; }
  slot(index) { return index & this.mask; }
  timeOf(index) { return this.t[index & this.mask]; }

  /** The first index whose time is >= t (outcomes are in time order within a lane). */
  lowerBound(t) {
    let lo = this.start;
    let hi = this.end;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.t[mid & this.mask] < t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

/**
 * Owns one Simulation at a time (deleting the previous one), replays hand sends when the setup
 * changes, and keeps every lane's recent outcomes and totals.
 */
export class Run {
  /** @param {any} engine  the loaded module */
  constructor(engine) {
    this.engine = engine;
    this.sim = null;
    this.lanes = [];
    this.rings = [];
    this.totals = [];
    this.handSends = [];  // {t, key, path, cost, count}: what send() recorded, for replays
    this.keys = [];
    this.clientPaths = new Map();  // key -> the path its client requests
    this.manualPaths = new Map();  // primary-lane index of a hand send -> its path
    this.maxTime = 0;              // the furthest time reached: the scrubber's end
    this.generation = 0;           // bumps whenever the outcome history is rebuilt
  }

  /**
   * Starts a new simulation for `config` and brings it to time `at`, with the hand sends
   * (so a setup change keeps the experiment, under the new setup): those up to `at` replayed, the
   * later ones (an imported scenario's, after a seek back) waiting for the clock to come to them.
   * Without `at`, a fresh run: nothing is decided yet, not even what is due at t = 0, so the
   * clock's first step decides it and every decision reaches the listeners.
   * @param {object} config
   * @param {{at?: number, sends?: {t: number, key: string, path: string, cost: number, count: number}[]}} [from]
   */
  build(config, { at, sends = [] } = {}) {
    this.dispose();
    this.sim = new this.engine.Simulation(config);
    this.lanes = config.lanes.slice();
    this.clientPaths = new Map();
    for (const c of config.clients) if (!this.clientPaths.has(c.key)) this.clientPaths.set(c.key, c.path);
    this.handSends = sends.slice();
    for (const send of sends) {
      if (send.t <= at) {
        this.sim.advanceTo(send.t);
        this.sim.send(send.key, send.path, send.cost, send.count);
      } else {
        this.sim.scheduleSend(send.t, send.key, send.path, send.cost, send.count);
      }
    }
    if (at > 0) this.sim.advanceTo(at);
    const last = sends.length ? sends[sends.length - 1].t : 0;
    this.maxTime = Math.max(at > 0 ? this.maxTime : 0, at ?? 0, last);
    this.#repull();
  }

  dispose() {
    if (this.sim) this.sim.delete();
    this.sim = null;
  }

  get now() { return this.sim.now(); }
  get laneCount() { return this.lanes.length; }
  /** Primary-lane outcomes decided so far (the index the next one will get). */
  get count() { return this.rings[0].end; }

  nextEvent() { return this.sim.nextEvent(); }

  /** Moves the clock forward to t; returns the range [from, to) of new primary outcomes. */
  advanceTo(t) {
    const from = this.rings[0].end;
    this.sim.advanceTo(t);
    this.maxTime = Math.max(this.maxTime, this.sim.now());
    this.#pull();
    return [from, this.rings[0].end];
  }

  /**
   * Runs the clock to the next request answered 429 in any lane, by `horizon` (finite): its
   * {lane, index}, the clock stopped there; or null, the clock at `horizon`.
   */
  advanceToRejection(horizon) {
    const found = this.sim.advanceToRejection(horizon);
    this.maxTime = Math.max(this.maxTime, this.sim.now());
    this.#pull();
    return found;
  }

  /** Decides what is due at the current time and not decided yet (arrivals at t = 0). */
  catchUp() {
    return this.advanceTo(this.sim.now());
  }

  /**
   * Sends `count` requests now, after what is already due (call catchUp() first, as a replay
   * would decide in that order); returns their primary-lane indexes.
   */
  send(key, path, cost, count) {
    const now = this.sim.now();
    const indexes = this.sim.send(key, path, cost, count);
    // The engine forgets hand sends recorded after now (from before a seek back): so do we.
    this.handSends = this.handSends.filter((s) => s.t <= now);
    this.handSends.push({ t: now, key, path, cost, count });
    for (const i of indexes) this.manualPaths.set(i, path);
    this.#pull();
    return indexes;
  }

  /** Goes to time t: forward by running, backward by recomputing from the seed. */
  seek(t) {
    if (t >= this.sim.now()) return this.advanceTo(t);
    this.sim.seek(t);
    this.#repull();
    return null;
  }

  response(lane, index) { return this.sim.response(lane, index); }
  inspect(lane, key, path) { return this.sim.inspect(lane, key, path); }
  /** The worker (0-based) the lane's next request reaches: the one inspect() reads. */
  nextWorker(lane) { return this.sim.nextWorker(lane); }

  keyName(keyIndex) {
    if (keyIndex >= this.keys.length) this.keys = this.sim.keys();
    return this.keys[keyIndex] ?? '';
  }

  /** The path of primary-lane outcome `index` (a hand send's own path, else its client's). */
  pathOf(lane, index) {
    if (lane === 0 && this.manualPaths.has(index)) return this.manualPaths.get(index);
    const ring = this.rings[lane];
    const slot = ring.slot(index);
    const key = this.keyName(ring.key[slot]);
    if (ring.manual[slot]) {
      const t = ring.t[slot];
      const send = this.handSends.find((s) => s.t === t && s.key === key);
      if (send) return send.path;
    }
    return this.clientPaths.get(key) ?? '/';
  }

  /** The decision object of the JS API for primary-lane outcome `index`. */
  decision(index) {
    const ring = this.rings[0];
    const slot = ring.slot(index);
    const response = this.sim.response(0, index);
    const headers = {};
    for (const name of HEADER_NAMES) {
      if (name in response.headers) headers[name] = response.headers[name];
    }
    const status = response.status;
    const decision = {
      t: ring.t[slot],
      key: this.keyName(ring.key[slot]),
      path: this.pathOf(0, index),
      status,
      allowed: status >= 200 && status < 300,
      headers,
      limit: response.limit,
      algorithm: this.lanes[0],
      attempt: ring.attempt[slot],
    };
    if (response.delay > 0) decision.delay = response.delay;
    return decision;
  }

  #pull() {
    for (let lane = 0; lane < this.lanes.length; lane++) {
      const ring = this.rings[lane];
      ring.append(this.sim.outcomes(lane, ring.end));
      this.totals[lane] = this.sim.totals(lane);
    }
  }

  #repull() {
    // Rings are large: reuse them (scrubbing repulls often) and allocate only for new lanes.
    this.rings.length = Math.min(this.rings.length, this.lanes.length);
    for (const ring of this.rings) ring.clear();
    while (this.rings.length < this.lanes.length) this.rings.push(new OutcomeRing());
    this.keys = this.sim.keys();
    this.manualPaths.clear();
    this.generation += 1;
    this.#pull();
  }
}
