// The walkthrough's tasks: each watches its lesson's playground through the element's public
// API (the `decision` / `decisions` events, the reflected attributes, `engine.parseRule`) and
// calls `done()` once the learner has shown the idea; tasks that take a while to play through
// say how far the learner has got with `progress(text)`. Nothing here decides a request: the
// statuses, limits and delays come from the engine; the tasks only look for a pattern in them.

/** Calls `fn(decisions)` for every request the element decides, sent by hand or generated. */
function onDecisions(element, fn) {
  element.addEventListener('decision', (e) => fn([e.detail]));
  element.addEventListener('decisions', (e) => fn(e.detail));
}

/** Calls `fn()` whenever one of the element's `names` attributes changes (from the UI or code). */
function onAttributes(element, names, fn) {
  new MutationObserver(fn).observe(element, { attributes: true, attributeFilter: names });
}

/** Whether `requests` (decisions, or a scenario's requests) hold 10 from one client at one instant. */
function hasBurst(requests) {
  const perInstant = new Map();
  return requests.some(({ key, t }) => {
    const id = `${key} ${t}`;
    perInstant.set(id, (perInstant.get(id) ?? 0) + 1);
    return perInstant.get(id) >= 10;
  });
}

/**
 * Per-client request history of one element, forgotten when the simulated clock goes back
 * (reset, scrubbing): times of every request and of the admitted ones.
 */
class History {
  constructor() { this.clear(); }
  clear() {
    this.last = -Infinity;
    this.sent = new Map();
    this.admitted = new Map();
  }
  add(d) {
    if (d.t < this.last) this.clear();
    this.last = d.t;
    const push = (map) => { if (!map.has(d.key)) map.set(d.key, []); map.get(d.key).push(d.t); };
    push(this.sent);
    if (d.allowed) push(this.admitted);
  }
  /** How many of `key`'s requests (or admitted ones) fall in [from, to]. */
  count(key, from, to, { admitted = false } = {}) {
    const times = (admitted ? this.admitted : this.sent).get(key) ?? [];
    let n = 0;
    for (let i = times.length - 1; i >= 0 && times[i] >= from; i--) if (times[i] <= to) n++;
    return n;
  }
}

/**
 * The retries refused in the last second of simulated time, across all clients (a herd is many of
 * them, from several clients), forgotten when the clock goes back.
 */
class RefusedRetries {
  constructor() { this.clear(); }
  clear() {
    this.last = -Infinity;
    this.recent = [];  // the refused retries within one second of the latest decision
  }
  add(d) {
    if (d.t < this.last) this.clear();
    this.last = d.t;
    if (d.attempt > 0 && d.status === 429) this.recent.push(d);
    while (this.recent.length && d.t - this.recent[0].t >= 1) this.recent.shift();
  }
  /** How many clients the refused retries of the last second came from. */
  clients() { return new Set(this.recent.map((d) => d.key)).size; }
}

/** The rule's single limit as {amount, window} (seconds), or null when it has several or none. */
function singleLimit(element) {
  const limits = element.engine?.parseRule(element.rule).limits;
  return limits?.length === 1 ? { amount: limits[0].amount, window: limits[0].windowSeconds } : null;
}

/** Task id → how to watch for it: (element, done, progress) => void. */
export const TASKS = {
  // Lesson 1: get a 429, and pick it to read its headers.
  'first-429': (element, done, progress) => {
    onDecisions(element, (ds) => {
      if (ds.some((d) => d.status === 429)) progress('Refused: now click that request to read its headers');
    });
    element.addEventListener('pick', (e) => { if (e.detail.status === 429) done(); });
  },

  // Lesson 2: one string, two limits: 3 per second and 20 per minute.
  'two-limits': (element, done) => onAttributes(element, ['rule'], () => {
    const limits = element.engine?.parseRule(element.rule).limits ?? [];
    const has = (amount, window) => limits.some((l) => l.amount === amount && l.windowSeconds === window);
    if (limits.length === 2 && has(3, 1) && has(20, 60)) done();
  }),

  // Lesson 3: 19 admitted inside two seconds through 10/minute, fixed window (through that
  // rule: a looser one would let them through without the edge).
  'boundary-burst': (element, done) => {
    const history = new History();
    onDecisions(element, (ds) => {
      const limit = singleLimit(element);
      const tenPerMinute = limit?.amount === 10 && limit.window === 60;
      for (const d of ds) {
        history.add(d);
        if (d.allowed && tenPerMinute && d.algorithm === 'fixed-window'
            && history.count(d.key, d.t - 2, d.t, { admitted: true }) >= 19) done();
      }
    });
  },

  // Lesson 3: elastic expiry keeps a client refused for more than a minute in a row.
  'elastic-lockout': (element, done, progress) => {
    const streaks = new Map();  // key → time of the first 429 since its last admitted request
    let last = -Infinity;
    let longest = 0;  // the longest run of refusals under elastic expiry so far, in seconds
    onDecisions(element, (ds) => {
      for (const d of ds) {
        if (d.t < last) streaks.clear();
        last = d.t;
        if (d.allowed) { streaks.delete(d.key); continue; }
        if (d.status !== 429) continue;
        if (!streaks.has(d.key)) streaks.set(d.key, d.t);
        if (d.algorithm !== 'fixed-window-elastic-expiry') continue;
        if (d.t - streaks.get(d.key) > 60) done();
        longest = Math.max(longest, d.t - streaks.get(d.key));
      }
      if (longest > 0) progress(`Refused ${Math.floor(longest)} s in a row so far, under elastic expiry`);
    });
  },

  // Lesson 4: the sliding counter refuses while fewer than the limit were admitted in the last window.
  'estimate-off': (element, done, progress) => {
    const history = new History();
    onDecisions(element, (ds) => {
      const limit = singleLimit(element);
      for (const d of ds) {
        history.add(d);
        if (d.status !== 429 || d.algorithm !== 'sliding-window-counter' || !limit) continue;
        const admitted = history.count(d.key, d.t - limit.window, d.t, { admitted: true });
        if (admitted < limit.amount) done();
        else progress(`The 429 at ${d.t.toFixed(1)} s was an ordinary one: ${admitted} were admitted in the ${limit.window} s before it`);
      }
    });
  },

  // Lesson 5: a token bucket admits again within 10 s of the first refusal, under a rule whose
  // window is longer than that (so that a window's reset could not have done it).
  'refill': (element, done) => {
    const refused = new Map();  // key → time of its first 429
    let last = -Infinity;
    onDecisions(element, (ds) => {
      const longWindow = singleLimit(element)?.window > 10;
      for (const d of ds) {
        if (d.t < last) refused.clear();
        last = d.t;
        if (d.algorithm !== 'token-bucket') continue;
        if (d.status === 429 && !refused.has(d.key)) refused.set(d.key, d.t);
        if (longWindow && d.allowed && refused.has(d.key) && d.t > refused.get(d.key) && d.t - refused.get(d.key) < 10) done();
      }
    });
  },

  // Lesson 6: the leaky queue serves a request late.
  'served-late': (element, done) => onDecisions(element, (ds) => {
    if (ds.some((d) => d.allowed && d.delay > 0)) done();
  }),

  // Lesson 7: refused by the later (per-minute) of two limits.
  'later-limit': (element, done) => onDecisions(element, (ds) => {
    if (ds.some((d) => d.status === 429 && d.limit === '5 per 1 minute')) done();
  }),

  // Lesson 8: a shared key refuses a client that sent fewer than the limit itself.
  'shared-key': (element, done) => {
    const history = new History();
    onDecisions(element, (ds) => {
      const limit = singleLimit(element);
      for (const d of ds) {
        history.add(d);
        if (d.status === 429 && limit && history.count(d.key, d.t - limit.window, d.t) < limit.amount) done();
      }
    });
  },

  // Lesson 8: with several workers, one client gets more than the limit through in one window.
  'workers': (element, done) => {
    const history = new History();
    onDecisions(element, (ds) => {
      const limit = singleLimit(element);
      for (const d of ds) {
        history.add(d);
        if (d.allowed && limit && element.workers > 1
            && history.count(d.key, d.t - limit.window, d.t, { admitted: true }) > limit.amount) done();
      }
    });
  },

  // Lesson 8: a key read from X-Forwarded-For lets the forging client through more than twice the
  // limit in one window (more than any window edge allows).
  'forged-header': (element, done) => {
    const history = new History();
    onDecisions(element, (ds) => {
      const limit = singleLimit(element);
      for (const d of ds) {
        history.add(d);
        if (d.allowed && limit && element.proxy === 'trusted-xff'
            && history.count(d.key, d.t - limit.window, d.t, { admitted: true }) > 2 * limit.amount) done();
      }
    });
  },

  // Lesson 9: a burst of 10 under the token bucket and under the leaky queue.
  'burst-two-ways': (element, done) => {
    const seen = new Set();
    const check = () => { if (seen.has('token-bucket') && seen.has('leaky-queue')) done(); };
    onDecisions(element, (ds) => {
      if (hasBurst(ds)) seen.add(element.algorithm);
      check();
    });
    // Switching the algorithm answers the requests sent so far again under the new one: a burst
    // still in the run is answered by it.
    onAttributes(element, ['algorithm'], () => {
      let requests = [];
      try { requests = element.exportScenario().requests; } catch { /* a run the format cannot hold */ }
      if (hasBurst(requests)) seen.add(element.algorithm);
      check();
    });
  },

  // Lesson 10: obeying Retry-After to the letter, a retry comes back before the window ends: it
  // is refused and told Retry-After: 0 (only a window about to end says that).
  'retry-early': (element, done) => onDecisions(element, (ds) => {
    if (element.retry === 'retry-after'
        && ds.some((d) => d.attempt > 0 && d.status === 429 && d.headers['Retry-After'] === '0')) done();
  }),

  // Lesson 10: a second more and some jitter: three retries admitted at their first attempt.
  'retry-margin': (element, done, progress) => {
    let admitted = 0;
    let last = -Infinity;
    onDecisions(element, (ds) => {
      for (const d of ds) {
        if (d.t < last) admitted = 0;
        last = d.t;
        if (element.retry === 'retry-after-jitter' && d.allowed && d.attempt === 1) admitted++;
      }
      if (admitted >= 3) done();
      else if (admitted > 0) progress(`${admitted} of 3 admitted so far`);
    });
  },

  // Lesson 11: clients sharing one counter and obeying Retry-After to the letter come back
  // together: ten retries from at least three of them refused within one second (one client's
  // storm of Retry-After: 0 alone can make ten).
  'herd': (element, done, progress) => {
    const refused = new RefusedRetries();
    let best = null;  // the closest second so far: {retries, clients}, both counted toward 10 and 3
    const score = (retries, clients) => Math.min(retries, 10) * 4 + Math.min(clients, 3);
    onDecisions(element, (ds) => {
      for (const d of ds) {
        refused.add(d);
        if (element.retry !== 'retry-after' || !refused.recent.length) continue;
        const now = { retries: refused.recent.length, clients: refused.clients() };
        if (now.retries >= 10 && now.clients >= 3) done();
        if (!best || score(now.retries, now.clients) > score(best.retries, best.clients)) best = now;
      }
      if (best) {
        progress(`Most so far: ${best.retries} ${best.retries === 1 ? 'retry' : 'retries'} refused within one second, `
          + `from ${best.clients} ${best.clients === 1 ? 'client' : 'clients'}`);
      }
    });
  },

  // Lesson 11: with jitter on the client, or a token bucket or GCRA on the server, a whole
  // simulated minute in which no second holds more than three refused retries.
  'herd-calm': (element, done, progress) => {
    const calmed = () => element.retry === 'retry-after-jitter' || ['token-bucket', 'gcra'].includes(element.algorithm);
    const refused = new RefusedRetries();
    let since = null;  // when the current calm minute began (a minute may span a switch between fixes)
    onDecisions(element, (ds) => {
      for (const d of ds) {
        if (d.t < refused.last) since = null;
        refused.add(d);
        if (!calmed() || refused.recent.length > 3) since = null;
        else if (since === null) since = d.t;
        else if (d.t - since >= 60) done();
      }
      progress(calmed() ? `Calm for ${since === null ? 0 : Math.floor(refused.last - since)} s of 60` : 'Not done yet');
    });
  },

  // Lesson 12: compare mode, past one simulated minute.
  'side-by-side': (element, done, progress) => {
    const check = () => {
      if (element.compare && element.time > 60) done();
      else progress(element.compare ? `Comparing: ${Math.floor(element.time)} s of 60 played` : 'Not done yet');
    };
    onDecisions(element, check);
    onAttributes(element, ['compare'], check);
  },
};
