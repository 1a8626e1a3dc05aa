// <rate-limit-playground>: the interactive playground element.
//
//   <rate-limit-playground rule="10/minute" algorithm="fixed-window"></rate-limit-playground>
//
// Attributes (each also a property): rule, algorithm, traffic, rate, retry, speed, clients, alike,
// compare, compact, seed, key-func (keyFunc), workers, proxy, scenario. API: ready (a Promise of the
// element), send(options?), advance(seconds), reset(), play(), pause(). Events (bubbling,
// composed): decision, decisions, rule-error, scenario-load, scenario-error.
// `compact` is the short layout for lessons and doc columns: the essentials (rule, algorithm,
// send and clock, the picture, the timeline and totals) stay in view, and the secondary panels
// (why, responses, clients, Flask app, code, share) fold behind disclosure buttons, closed until
// opened; selecting a request (timeline, compare lanes, log) opens "why".
// The element only handles input and draws: every decision, header, explanation and state
// comes from the engine (wasm), through a Run.
import css from './playground.css';
import { loadEngine, siteFile } from './engine.js';
import { applyTheme, onSystemTheme } from './theme.js';
import { h, setText, camelCase } from './dom.js';
import { initialState, presetClient, matchFirstClient, simulationConfig, flaskSource, KEY_FUNCS, MAX_CLIENTS, PATTERNS, PROXY_MODES, RETRIES, RETRY_LABELS } from './config.js';
import { Run } from './run.js';
import { RuleEditor } from './rule-editor.js';
import { AlgorithmPicker } from './algorithm-picker.js';
import { TimeControls, stepSeconds, MIN_SPEED, MAX_SPEED, speedLabel } from './time-controls.js';
import { RequestsPanel, MIN_RATE, MAX_RATE } from './requests-panel.js';
import { FlaskPanel } from './flask-panel.js';
import { StateView } from './state-view.js';
import { Timeline } from './timeline.js';
import { CompareView } from './compare-view.js';
import { ResponseLog } from './response-log.js';
import { WhyPanel } from './why-panel.js';
import { Announcer } from './announcer.js';
import { CopyControl, embedCode, hasEmbedPage, shareUrl, sharedAttributes, sharedSetup, claimLocation, documentParsed } from './share.js';
import { runScenario, scenarioSetup, ScenarioButtons } from './scenario.js';
import { CodeView } from './code-view.js';
import { Drawers } from './drawers.js';
import { nginxSource, goSource, expressSource, clientSource } from './code-sources.js';

const OBSERVED = ['rule', 'algorithm', 'traffic', 'rate', 'retry', 'speed', 'clients', 'alike', 'compare', 'compact', 'seed', 'key-func', 'workers', 'proxy', 'scenario', 'theme'];
// One `decisions` event covers at most this many requests, so each decision's full response is
// still among those the engine keeps (1,000 per lane) when a listener reads it.
const EVENT_BATCH = 800;
// Engine time allowed per animation frame while playing; beyond it the clock lags behind.
const FRAME_BUDGET_MS = 9;
// Responses the engine keeps per lane; older ones are recomputed from the seed (slow).
const KEPT_RESPONSES = 1000;
// Replaying more decisions than this on a setup change would stall the page: restart instead.
const MAX_REPLAY = 300000;
// "Next 429" looks this far past the run's furthest time (simulated seconds), for at most this
// long (engine time) per press; pressing again looks further.
const REJECTION_SEARCH_S = 600;
const LOOKING = 'Looking for the next 429… Press Next 429 again to stop.';
const NOTHING_SCHEDULED = 'Nothing is scheduled: no client sends traffic by itself and no retry is pending.';
const PAUSED_AT_END = 'Paused after the last request';
const LOG_INTERVAL_MS = 120;
const HEAVY_LOG_INTERVAL_MS = 500;

/** One stylesheet object shared by every playground on the page (adopted, CSP-safe). */
let playgroundSheet = null;
function sharedSheet() {
  if (!playgroundSheet) {
    playgroundSheet = new CSSStyleSheet();
    playgroundSheet.replaceSync(css);
  }
  return playgroundSheet;
}

/** A `decisions` event whose detail (the array of decisions) is built only if someone reads it. */
class DecisionsEvent extends CustomEvent {
  #build;
  #value;
  constructor(build) {
    super('decisions', { bubbles: true, composed: true });
    this.#build = build;
  }
  get detail() {
    if (this.#value === undefined) this.#value = this.#build();
    return this.#value;
  }
}

const clamp = (x, lo, hi) => Math.min(hi, Math.max(lo, x));

export class RateLimitPlayground extends HTMLElement {
  static get observedAttributes() { return OBSERVED; }

  #state = initialState();
  #engine = null;
  #algorithms = [];
  #run = null;
  #views = null;
  #layout = null;        // the wrappers both arrangements (full and compact) place the views in
  #drawers = null;
  #playing = false;
  #raf = 0;
  #lastTs = null;
  #lagging = false;
  #selected = { lane: 0, index: -1 };
  #focusClient = 0;
  #sender = 0;
  #zoom = 1;
  #pendingScrub = null;
  #visible = true;
  #palette = null;
  #rowOfKey = [];
  #rowsGeneration = -1;
  #lastLog = 0;
  #logInterval = LOG_INTERVAL_MS;
  #resolveReady;
  #rejectReady;
  #parked = null;  // {now, sends} while disconnected, to rebuild on reconnect
  #search = null;  // a Next 429 search under way: {start, end, toEnd} (see #nextRejection)
  #imported = [];  // the last imported scenario's requests, as hand sends: Reset keeps them
  #notice = '';
  #version = 0;          // bumps on every setup change: setup views re-render only then
  #renderedVersion = -1;
  #loading;              // the placeholder shown until the engine is loaded
  #noticeEl;
  #lagNote;
  #spanLabel;
  #totals;
  #whyLink;              // under the timeline of the full layout, while "why" is out of sight
  #whyInSight = false;
  #totalParts = null;
  #range = [0, 1];      // the visible time range, run seconds
  #reducedMotion = null;
  #observedRate = 0;     // primary-lane requests per simulated second, recently
  #spanRule = null;
  #shortestWindow = Infinity;

  constructor() {
    super();
    const root = this.attachShadow({ mode: 'open' });
    root.adoptedStyleSheets = [sharedSheet()];
    this.#loading = h('div.loading', { role: 'status' }, h('span.spinner', { 'aria-hidden': 'true' }), h('span', { text: 'Loading the rate-limiting engine…' }));
    root.append(this.#loading);
    applyTheme(this);
    /** Resolves with the element once the engine is loaded and the first simulation exists. */
    this.ready = new Promise((resolve, reject) => { this.#resolveReady = resolve; this.#rejectReady = reject; });
    this.ready.catch(() => {});  // reported in the element; callers may still await it
  }

  // ---- attributes and properties --------------------------------------------------------

  get rule() { return this.getAttribute('rule') ?? this.#state.rule; }
  set rule(v) { this.setAttribute('rule', String(v)); }
  get algorithm() { return this.#state.algorithm; }
  set algorithm(v) { this.setAttribute('algorithm', String(v)); }
  get traffic() { return this.#state.clients[0].pattern; }
  set traffic(v) { this.setAttribute('traffic', String(v)); }
  get rate() { return this.#state.clients[0].rate; }
  set rate(v) { this.setAttribute('rate', String(v)); }
  get retry() { return this.#state.clients[0].retry; }
  set retry(v) { this.setAttribute('retry', String(v)); }
  get speed() { return this.#state.speed; }
  set speed(v) { this.setAttribute('speed', String(v)); }
  get clients() { return this.#state.clients.length; }
  set clients(v) { this.setAttribute('clients', String(v)); }
  get alike() { return this.hasAttribute('alike'); }
  set alike(v) { this.toggleAttribute('alike', Boolean(v)); }
  get compare() { return this.hasAttribute('compare'); }
  set compare(v) { this.toggleAttribute('compare', Boolean(v)); }
  get compact() { return this.hasAttribute('compact'); }
  set compact(v) { this.toggleAttribute('compact', Boolean(v)); }
  get seed() { return this.#state.seed; }
  set seed(v) { this.setAttribute('seed', String(v)); }
  get keyFunc() { return this.#state.keyFunc; }
  set keyFunc(v) { this.setAttribute('key-func', String(v)); }
  get workers() { return this.#state.workers; }
  set workers(v) { this.setAttribute('workers', String(v)); }
  get proxy() { return this.#state.proxy; }
  set proxy(v) { this.setAttribute('proxy', String(v)); }
  get scenario() { return this.getAttribute('scenario'); }
  set scenario(v) { this.setAttribute('scenario', String(v)); }
  get theme() { return this.getAttribute('theme') ?? 'auto'; }
  set theme(v) { this.setAttribute('theme', String(v)); }

  attributeChangedCallback(name, oldValue, value) {
    if (oldValue === value) return;
    const state = this.#state;
    const ready = Boolean(this.#engine);
    switch (name) {
      case 'rule':
        if (value === null) return;
        state.rule = value;
        if (ready) this.#applyRule();
        return;
      case 'algorithm':
        if (value === null || value === state.algorithm) return;
        if (ready && !this.#algorithms.some((a) => a.name === value)) return;
        state.algorithm = value;
        break;
      case 'traffic':
        if (!PATTERNS.includes(value) || value === state.clients[0].pattern) return;
        state.clients[0].pattern = value;
        break;
      case 'rate': {
        const rate = Number(value);
        if (!(rate > 0)) return;
        state.clients[0].rate = clamp(rate, MIN_RATE, MAX_RATE);
        break;
      }
      case 'retry':
        if (!RETRIES.includes(value) || value === state.clients[0].retry) return;
        state.clients[0].retry = value;
        break;
      case 'speed': {
        const speed = Number(value);
        if (speed > 0) state.speed = clamp(speed, MIN_SPEED, MAX_SPEED);
        this.#changed();
        return;
      }
      case 'clients': {
        const n = clamp(Math.round(Number(value)) || 1, 1, MAX_CLIENTS);
        if (n === state.clients.length) return;
        while (state.clients.length < n) state.clients.push(this.#newClient());
        state.clients.length = n;
        this.#focusClient = Math.min(this.#focusClient, n - 1);
        this.#sender = Math.min(this.#sender, n - 1);
        break;
      }
      case 'alike':
        if (state.alike === (value !== null)) return;
        state.alike = value !== null;
        break;
      case 'compare':
        if (state.compare === (value !== null)) return;
        state.compare = value !== null;
        break;
      case 'compact':
        if (this.#views) this.#arrange();
        this.#changed();
        return;
      case 'seed': {
        const seed = Math.floor(Number(value));
        if (!(seed >= 0) || seed === state.seed) return;
        state.seed = seed;
        break;
      }
      case 'key-func': {
        const keyFunc = value ?? 'remote';
        if (!Object.hasOwn(KEY_FUNCS, keyFunc) || keyFunc === state.keyFunc) return;
        state.keyFunc = keyFunc;
        break;
      }
      case 'workers': {
        const workers = clamp(Math.round(Number(value)) || 1, 1, 16);
        if (workers === state.workers) return;
        state.workers = workers;
        break;
      }
      case 'proxy': {
        const proxy = value ?? 'direct';
        if (!(proxy in PROXY_MODES) || proxy === state.proxy) return;
        state.proxy = proxy;
        break;
      }
      case 'scenario':
        if (ready && value) this.#loadScenario(value);
        return;
      case 'theme':
        this.#themeChanged();
        return;
      default:
        return;
    }
    if (ready) this.#rebuild(true);
  }

  // ---- lifecycle ------------------------------------------------------------------------

  connectedCallback() {
    if (this.#parked) {
      const { now, sends } = this.#parked;
      this.#parked = null;
      this.#run.build(this.#config(), { at: now, sends });
      this.#afterNewHistory();
      return;
    }
    if (this.#started) return;
    this.#started = true;
    // A property set before this script defined the element (a framework's, or a page script
    // that runs first) is the element's own and hides the setter: hand it to the setter.
    for (const name of OBSERVED.map(camelCase)) {
      if (!Object.hasOwn(this, name)) continue;
      const value = this[name];
      delete this[name];
      this[name] = value;
    }
    const timeout = setTimeout(() => this.#fail(new Error('The engine did not load within 20 s.')), 20000);
    // A shared link's parameters go to the playground it names, after the page's own setup is
    // in force (so a bad rule in a link leaves that rule standing), before `ready`'s callbacks run.
    Promise.all([loadEngine(), documentParsed()]).then(async ([engine]) => {
      clearTimeout(timeout);
      this.#start(engine);
      // A scenario file first: a link to this widget then changes its setup, not its requests.
      if (this.scenario) await this.#loadScenario(this.scenario);
      if (claimLocation(this)) {
        for (const [name, value] of sharedAttributes(location.search)) {
          if (value === null) this.removeAttribute(name);
          else this.setAttribute(name, value);
        }
        const setup = sharedSetup(location.search, MAX_CLIENTS);
        if (setup) this.#applySetup(setup);
      }
    }, (error) => {
      clearTimeout(timeout);
      this.#fail(error);
    });
  }

  #started = false;

  disconnectedCallback() {
    this.#stopLoop();
    this.#search = null;
    // Moving the element fires disconnect + connect at once; only a real removal frees the run.
    queueMicrotask(() => {
      if (this.isConnected || !this.#run?.sim) return;
      this.#parked = { now: this.#run.now, sends: this.#run.handSends };
      this.#run.dispose();
      this.#views?.announcer.clear();
    });
  }

  #fail(error) {
    if (this.#engine) return;
    const wasm = siteFile('ratelimit-engine.wasm');  // null in the single-file build
    this.#loading.replaceChildren(h('strong', { text: 'The playground could not start. ' }),
      h('span', { text: `${error?.message ?? error} (It needs WebAssembly, ${wasm ? `the engine at ${wasm}, ` : ''}and a Content-Security-Policy that allows 'wasm-unsafe-eval'.)` }));
    this.#loading.classList.add('failed');
    this.#rejectReady(error);
  }

  #start(engine) {
    this.#engine = engine;
    this.#algorithms = engine.algorithms();
    const state = this.#state;
    if (!this.#algorithms.some((a) => a.name === state.algorithm)) state.algorithm = this.#algorithms[0].name;
    this.#run = new Run(engine);
    this.#buildViews();
    this.#applyRule(true);
    this.#rebuild(false);
    this.#watchEnvironment();
    this.#resolveReady(this);
  }

  /**
   * The `scenario` attribute: fetches the file (relative to the page), imports it and goes to
   * t = 0, so Play shows its requests as they come; says in the element why it could not, and
   * fires `scenario-load` or `scenario-error`.
   */
  async #loadScenario(url) {
    const done = (type, detail) => this.dispatchEvent(new CustomEvent(type, { bubbles: true, composed: true, detail }));
    try {
      const response = await fetch(new URL(url, document.baseURI));
      if (!response.ok) throw new Error(`the server answered ${response.status}`);
      const scenario = await response.json();
      if (this.scenario !== url) return;  // another one was asked for meanwhile
      this.importScenario(scenario);
      this.reset();  // to the start: the clock decides every request, those at t = 0 too
      done('scenario-load', { url });
    } catch (error) {
      if (this.scenario !== url) return;
      // A page opened from file:// may not fetch files: say what to do instead.
      const message = location.protocol === 'file:'
        ? 'a page opened from a file (file://) cannot fetch files; serve the page, or give the scenario to importScenario()'
        : String(error?.message ?? error).replace(/\.$/, '');
      this.#notice = `The scenario ${url} could not be loaded: ${message}.`;
      this.#changed();
      done('scenario-error', { url, message });
    }
  }

  /** Light or dark again (theme.js), and the canvas colours read afresh. */
  #themeChanged() {
    applyTheme(this);
    this.#palette = null;
    this.#invalidate();
  }

  #watchEnvironment() {
    onSystemTheme(() => this.#themeChanged());
    this.#reducedMotion = window.matchMedia('(prefers-reduced-motion: reduce)');
    this.#reducedMotion.addEventListener('change', () => this.#invalidate());
    new IntersectionObserver((entries) => {
      this.#visible = entries.some((e) => e.isIntersecting);
      if (this.#visible) this.#invalidate();
    }).observe(this);
  }

  // ---- the JS API -----------------------------------------------------------------------

  /**
   * Sends requests by hand at the current simulated time and returns the decisions.
   * @param {{count?: number, key?: string, path?: string, cost?: number}} [options]
   * @returns {object | object[]}  one decision, or an array when `count` is given
   */
  send(options = {}) {
    this.#requireReady();
    const multi = options.count !== undefined;
    const count = multi ? Math.max(0, Math.floor(Number(options.count)) || 0) : 1;
    const key = options.key ?? this.#state.clients[0].key;
    const path = options.path ?? '/';
    const cost = options.cost ?? 1;
    if (count === 0) return [];
    this.#pendingScrub = null;
    this.#stopSearch();
    this.#flush(...this.#run.catchUp());
    const indexes = this.#run.send(String(key), String(path), Math.floor(Number(cost)), count);
    const decisions = indexes.map((i) => this.#run.decision(i));
    this.#announce(indexes[0], indexes[indexes.length - 1] + 1);
    this.#select(0, indexes[indexes.length - 1]);
    if (count === 1) {
      this.dispatchEvent(new CustomEvent('decision', { bubbles: true, composed: true, detail: decisions[0] }));
    } else {
      this.dispatchEvent(new CustomEvent('decisions', { bubbles: true, composed: true, detail: decisions }));
    }
    this.#invalidate();
    return multi ? decisions : decisions[0];
  }

  /** Runs the simulated clock forward by `seconds`, deciding every arrival on the way. */
  advance(seconds) {
    this.#requireReady();
    const s = Number(seconds);
    if (!(s > 0)) return;
    this.#pendingScrub = null;
    this.#stopSearch();
    this.#advanceClock(this.#run.now + s, Infinity);
    this.#invalidate();
  }

  /** Goes to simulated time `seconds` (since the start of the run), back or forward; keeps the requests sent by hand. */
  seek(seconds) {
    this.#requireReady();
    this.#pendingScrub = null;
    this.#stopSearch();
    this.#goTo(Math.max(0, Number(seconds) || 0));
    this.#invalidate();
  }

  /** Back to t = 0 with the same seed; forgets the requests sent by hand, not an imported scenario's. */
  reset() {
    this.#requireReady();
    this.#pendingScrub = null;
    this.#rebuild(false);
  }

  play() {
    this.#requireReady();
    this.#stopSearch();
    if (this.#playing) return;
    this.#playing = true;
    this.#lastTs = null;
    if (this.#notice === NOTHING_SCHEDULED || this.#notice.startsWith(PAUSED_AT_END)) {  // said of the paused clock
      this.#notice = '';
      this.#changed();
    }
    this.#invalidate();
  }

  pause() {
    this.#requireReady();
    this.#stopSearch();
    this.#playing = false;
    this.#lagging = false;
    this.#invalidate();
  }

  /**
   * The run as a scenario in ratelimit-sim's format: the Flask app and every request the primary
   * lane decided. Throws an Error saying why when the run cannot be written in the format.
   */
  exportScenario() {
    this.#requireReady();
    const scenario = runScenario(this.#state, this.#run);
    if (scenario.error) throw new Error(scenario.error);
    return scenario;
  }

  /**
   * Replaces the experiment with a scenario (the parsed JSON of ratelimit-sim's format): its app,
   * and its requests sent by hand at their times, one client per address. Throws an Error naming
   * the field when the scenario is invalid or uses what the playground cannot show.
   */
  importScenario(scenario) {
    this.#requireReady();
    const names = this.#algorithms.map((a) => a.name);
    const { patch, requests, sends } = scenarioSetup(scenario, names, MAX_CLIENTS, (text) => this.#engine.parseRule(text));
    const problem = this.#engine.validateScenario(simulationConfig({ ...this.#state, ...patch }, names), requests);
    if (problem) throw new Error(problem);
    this.pause();
    Object.assign(this.#state, patch);
    this.#focusClient = 0;
    this.#sender = 0;
    this.#selected = { lane: 0, index: -1 };
    this.#notice = '';
    // The attributes follow the new state (setting them changes nothing more).
    this.setAttribute('rule', patch.rule);
    this.setAttribute('algorithm', patch.algorithm);
    this.setAttribute('traffic', 'manual');
    this.setAttribute('clients', String(patch.clients.length));
    this.removeAttribute('rate');
    this.removeAttribute('retry');
    this.removeAttribute('alike');
    this.removeAttribute('compare');
    this.removeAttribute('workers');
    this.removeAttribute('proxy');
    this.#syncAttributes();
    this.#imported = sends;
    this.#run.build(this.#config(), { at: requests.length ? requests[requests.length - 1].t : 0, sends });
    this.#afterNewHistory();
  }

  /** The shared engine module (Embind functions and the Simulation class), once loaded. */
  get engine() { return this.#engine; }

  /** Whether the clock is running. */
  get playing() { return this.#playing; }
  /** The simulated time, seconds since the start of the run. */
  get time() { return this.#parked?.now ?? (this.#run?.sim ? this.#run.now : 0); }

  #requireReady() {
    if (this.#parked) throw new Error('<rate-limit-playground> is not in the document: its run goes on when it is added again');
    if (!this.#run?.sim) throw new Error('<rate-limit-playground> is not ready: await element.ready first');
  }

  // ---- state changes --------------------------------------------------------------------

  /** Parses state.rule; a valid rule comes into force, an invalid one is reported. */
  #applyRule(initial = false) {
    const state = this.#state;
    const parsed = this.#engine.parseRule(state.rule);
    if (parsed.error !== undefined) {
      this.#showRule(parsed);
      this.dispatchEvent(new CustomEvent('rule-error', {
        bubbles: true, composed: true,
        detail: { message: parsed.error, offset: parsed.offset, length: parsed.length, hint: parsed.hint },
      }));
      return;
    }
    const changed = state.validRule !== state.rule;
    state.validRule = state.rule;
    this.#showRule(parsed);
    if (changed && !initial) this.#rebuild(true);
  }

  #showRule(parsed) {
    const inForce = this.#engine.parseRule(this.#state.validRule);
    this.#views.rule.show(this.#state.rule, parsed, (inForce.limits ?? []).map((l) => l.text));
  }

  /** The next client's preset, with the first address 10.0.0.n no client uses yet. */
  #newClient() {
    const used = new Set(this.#state.clients.map((c) => c.key));
    const client = presetClient(this.#state.clients.length);
    for (let n = 1; used.has(client.key); n++) {
      client.key = `10.0.0.${n}`;
      client.apiKey = `key-${n}`;
    }
    return client;
  }

  #setClient(index, patch) {
    const state = this.#state;
    const client = state.clients[index];
    if (!client) return;
    if ('key' in patch && (!patch.key || state.clients.some((c, i) => i !== index && c.key === patch.key))) {
      this.#views.requests.shape = null;  // restore the old key in the field
      this.#changed();
      return;
    }
    if (index === 0 && 'pattern' in patch) return this.setAttribute('traffic', patch.pattern);
    if (index === 0 && 'rate' in patch) return this.setAttribute('rate', String(patch.rate));
    if (index === 0 && 'retry' in patch) return this.setAttribute('retry', patch.retry);
    Object.assign(client, patch);
    this.#rebuild(true);
  }

  /** A shared link's clients and Flask app (checked by share.js), in force from t = 0. */
  #applySetup(setup) {
    Object.assign(this.#state, setup);
    this.#focusClient = 0;
    this.#sender = 0;
    this.setAttribute('clients', String(setup.clients.length));  // the attributes follow the state
    this.#syncAttributes();
    this.#rebuild(false);
  }

  /** A new run for the current state; with keepTime, the experiment is replayed up to now. */
  #rebuild(keepTime) {
    this.#stopSearch();
    matchFirstClient(this.#state);
    const run = this.#run;
    let keep = keepTime && Boolean(run.sim);
    if (keep) {
      let decided = 0;
      for (const t of run.totals) decided += t.requests;
      const lanes = this.#state.compare ? this.#algorithms.length : 1;
      if ((decided / Math.max(1, run.lanes.length)) * lanes > MAX_REPLAY) {
        keep = false;
        this.#notice = 'The run was too long to replay under the new setup, so it restarted at t = 0.';
      } else {
        this.#notice = '';
      }
    } else {
      this.#notice = '';
    }
    if (!keep) this.#selected = { lane: 0, index: -1 };
    run.build(this.#config(), keep ? { at: run.now, sends: run.handSends } : { sends: this.#imported });
    this.#afterNewHistory();
  }

  #config() {
    return simulationConfig(this.#state, this.#algorithms.map((a) => a.name));
  }

  #afterNewHistory() {
    const run = this.#run;
    if (this.#selected.lane >= run.laneCount || !run.rings[this.#selected.lane].has(this.#selected.index)) {
      this.#selected = { lane: 0, index: -1 };
    }
    this.#views.state.reset();
    this.#views.why.show(null);
    this.#whyLink.hidden = true;  // it named a request of the history before
    if (this.#selected.index >= 0) this.#select(this.#selected.lane, this.#selected.index);
    this.#changed();
  }

  // ---- the clock ------------------------------------------------------------------------

  /**
   * Advances to `target` in chunks small enough that each `decisions` event covers at most
   * EVENT_BATCH requests; stops early when `budgetMs` of engine time is spent (returns false).
   */
  #advanceClock(target, budgetMs) {
    const run = this.#run;
    const started = performance.now();
    let from = run.count;
    let reached = true;
    // At least one step, so what is due at the current time (t = 0 arrivals) gets decided.
    do {
      const chunk = this.#chunkSeconds();
      const before = run.count;
      const t0 = run.now;
      run.advanceTo(Math.min(target, t0 + chunk));
      const produced = run.count - before;
      if (run.now > t0) this.#observedRate = 0.7 * this.#observedRate + 0.3 * (produced / (run.now - t0));
      if (run.count - from >= EVENT_BATCH) {
        this.#flush(from, run.count);
        from = run.count;
      }
      if (performance.now() - started > budgetMs) {
        reached = run.now >= target;
        break;
      }
    } while (run.now < target);
    this.#flush(from, run.count);
    return reached;
  }

  /** Simulated seconds per chunk: about 300 requests at the busiest the traffic could be. */
  #chunkSeconds() {
    let peak = 0;
    for (const c of this.#state.clients) {
      if (c.pattern === 'manual') continue;
      const burst = c.pattern === 'on-off' || c.pattern === 'ramp' ? 2 : 1;
      const retries = c.retry === 'ignore' ? 1 : 9;
      peak += c.rate * burst * retries;
    }
    peak = Math.max(peak, 2 * this.#observedRate, 1e-3);
    return 300 / peak;
  }

  /** Reports primary-lane outcomes [from, to): one lazy `decisions` event and the live region. */
  #flush(from, to) {
    if (to <= from) return;
    const run = this.#run;
    this.dispatchEvent(new DecisionsEvent(() => {
      const out = [];
      for (let i = from; i < to; i++) out.push(run.decision(i));
      return out;
    }));
    this.#announce(from, to);
  }

  /** Announces the latest 429 among primary outcomes [from, to) (throttled by the announcer). */
  #announce(from, to) {
    const ring = this.#run.rings[0];
    for (let i = to - 1; i >= Math.max(from, ring.start); i--) {
      if (ring.status[ring.slot(i)] !== 429) continue;
      const response = this.#run.response(0, i);
      const key = this.#run.keyName(ring.key[ring.slot(i)]);
      this.#views.announcer.say(`429 Too Many Requests for ${key} at t = ${ring.timeOf(i).toFixed(1)} s: ${response.limit || 'rate limit exceeded'}`);
      return;
    }
  }

  /** Marks the setup as changed (rule, algorithm, clients, app...) and schedules a render. */
  #changed() {
    this.#version += 1;
    this.#invalidate();
  }

  #invalidate() {
    if (!this.#raf && this.#run?.sim && this.isConnected) {
      this.#raf = requestAnimationFrame((ts) => this.#frame(ts));
    }
  }

  /** To time t: back by recomputing the run from its seed and hand sends, forward by running it. */
  #goTo(t) {
    if (t < this.#run.now) {
      this.#run.seek(t);
      this.#afterNewHistory();
    } else {
      this.#advanceClock(t, Infinity);
    }
  }

  /**
   * After an import, the last request it scheduled (or a hand send since) when it is still ahead
   * of `from`, else Infinity: playing stops there, once, when nothing more is scheduled, rather
   * than run on over an empty timeline (#frame). Play goes on from there.
   */
  #importEnd(from) {
    const last = this.#imported.length ? this.#run.handSends.at(-1)?.t : undefined;
    return last !== undefined && last > from ? last : Infinity;
  }

  #stopLoop() {
    if (this.#raf) cancelAnimationFrame(this.#raf);
    this.#raf = 0;
  }

  #frame(ts) {
    this.#raf = 0;
    if (!this.#run?.sim) return;
    if (this.#pendingScrub !== null) {
      const t = this.#pendingScrub;
      this.#pendingScrub = null;
      this.#goTo(t);
    }
    if (this.#playing) {
      const dt = this.#lastTs === null ? 0 : Math.min(0.1, (ts - this.#lastTs) / 1000);
      this.#lastTs = ts;
      const from = this.#run.now;
      const end = this.#importEnd(from);
      if (dt > 0) this.#lagging = !this.#advanceClock(Math.min(from + dt * this.#state.speed, end), FRAME_BUDGET_MS);
      if (this.#run.now >= end && !Number.isFinite(this.#run.nextEvent())) {
        this.pause();
        this.#notice = `${PAUSED_AT_END}, at t = ${end.toFixed(2)} s: nothing more is scheduled. Play goes on from here.`;
        this.#changed();
      }
      if (this.#playing) this.#raf = requestAnimationFrame((t) => this.#frame(t));
    }
    if (this.#search) {
      this.#searchStep();
      if (this.#search) this.#invalidate();
    }
    if (this.#visible) this.#render(ts);
  }

  // ---- views ----------------------------------------------------------------------------

  #buildViews() {
    const pg = this;
    const views = {};
    views.rule = new RuleEditor({ onInput: (text) => pg.setAttribute('rule', text) });
    views.picker = new AlgorithmPicker(this.#algorithms, {
      onPick: (name) => pg.setAttribute('algorithm', name),
      onCompare: (on) => pg.toggleAttribute('compare', on),
    });
    views.time = new TimeControls({
      onPlay: () => (this.#playing ? this.pause() : this.play()),
      onStep: () => { this.pause(); this.advance(stepSeconds(this.#state.speed)); },
      onNext: () => this.#nextEvent(),
      onNextRejection: () => this.#nextRejection(),
      onReset: () => this.reset(),
      onSpeed: (speed) => pg.setAttribute('speed', String(speed)),
      onScrub: (t) => { this.#playing = false; this.#stopSearch(); this.#pendingScrub = t; this.#invalidate(); },
    });
    views.requests = new RequestsPanel({
      onSend: (count) => this.#sendFromUi(count),
      onSender: (i) => { this.#sender = i; this.#changed(); },
      onClient: (i, patch) => this.#setClient(i, patch),
      onAdd: () => pg.setAttribute('clients', String(this.#state.clients.length + 1)),
      onAlike: (on) => pg.toggleAttribute('alike', on),
      onRemove: (i) => {
        if (this.#state.clients.length <= 1) return;
        this.#state.clients.splice(i, 1);
        this.#focusClient = Math.min(this.#focusClient, this.#state.clients.length - 1);
        this.#sender = Math.min(this.#sender, this.#state.clients.length - 1);
        pg.setAttribute('clients', String(this.#state.clients.length));
        this.#syncAttributes();
        this.#rebuild(true);
      },
    });
    views.flask = new FlaskPanel((text) => this.#engine.parseRule(text), {
      onChange: (patch) => {
        // The settings that are attributes change through them, so that the attributes follow.
        if ('keyFunc' in patch) return pg.setAttribute('key-func', patch.keyFunc);
        if ('proxy' in patch) return pg.setAttribute('proxy', patch.proxy);
        if ('workers' in patch) return pg.setAttribute('workers', String(patch.workers));
        Object.assign(this.#state, patch);
        this.#rebuild(true);
      },
      onRoute: (i, patch) => {
        if (patch === null) {
          const [gone] = this.#state.routes.splice(i, 1);
          for (const c of this.#state.clients) if (c.path === gone.path) c.path = '/';
        } else {
          if ('path' in patch) patch.path = normalizePath(patch.path);
          Object.assign(this.#state.routes[i], patch);
        }
        this.#rebuild(true);
      },
      onAddRoute: () => {
        const used = new Set(['/', ...this.#state.routes.map((r) => r.path)]);
        let n = this.#state.routes.length + 1;
        while (used.has(`/api/${n}`)) n++;
        this.#state.routes.push({ path: n === 1 ? '/api' : `/api/${n}`, limit: '', exempt: false, overrideDefaults: true });
        if (used.has('/api') && n === 1) this.#state.routes[this.#state.routes.length - 1].path = '/api/1';
        this.#rebuild(true);
      },
    });
    views.state = new StateView({
      onFocusClient: (i) => { this.#focusClient = i; this.#views.state.reset(); this.#changed(); },
      onResize: () => this.#invalidate(),
    });
    views.timeline = new Timeline({
      rows: MAX_CLIENTS + 1, gutter: 104, rowHeight: 30,
      label: 'Requests over time, one row per client: filled circle = answered, red cross = 429, hollow circle with a tail = delayed. Left and right arrows select requests.',
      onPick: (i) => this.#select(0, i, true),
      onKey: (e) => this.#timelineKey(0, e),
    });
    views.compare = new CompareView(this.#algorithms, {
      onPick: (lane, i) => this.#select(lane, i, true),
      onKey: (lane, e) => this.#timelineKey(lane, e),
    });
    views.log = new ResponseLog({ onSelect: (i) => this.#select(0, i, true) });
    views.why = new WhyPanel({ onSelect: (lane, i) => this.#select(lane, i, true) });
    views.announcer = new Announcer();
    views.share = new CopyControl({
      label: 'Copy link', what: 'link', copied: 'Link copied: it opens this experiment.', className: 'share-button',
      text: () => shareUrl(this, this.#state),
    });
    const embedPage = siteFile('embed.html');
    views.embed = embedPage && new CopyControl({
      label: 'Copy embed code', what: 'embed code', copied: 'Embed code copied: an <iframe> for any page.', className: 'embed-button',
      text: () => embedCode(this, this.#state, embedPage, views.state.figures.length),
    });
    if (views.embed) {  // offered only where the iframe would show something
      views.embed.element.hidden = true;
      hasEmbedPage(embedPage).then((there) => { views.embed.element.hidden = !there; });
    }
    views.code = new CodeView({ onErrorHandler: (on) => { this.#state.customErrorHandler = on; this.#rebuild(true); } });
    views.scenario = new ScenarioButtons({ onExport: () => this.exportScenario(), onImport: (s) => this.importScenario(s) });
    this.#views = views;

    const zoomOut = h('button.icon-button.zoom', { type: 'button', 'aria-label': 'Show a longer time span', title: 'Zoom out', text: '−', onclick: () => this.#setZoom(2) });
    const zoomIn = h('button.icon-button.zoom', { type: 'button', 'aria-label': 'Show a shorter time span', title: 'Zoom in', text: '+', onclick: () => this.#setZoom(0.5) });
    this.#spanLabel = h('span.span-label');
    this.#totals = h('div.totals', { 'aria-label': 'Totals' });
    this.#lagNote = h('span.lag-note');
    this.#whyLink = h('button.why-link', {
      type: 'button', hidden: true,
      // hidden first: going while the page scrolls would move the panel up by its height
      onclick: () => { this.#whyLink.hidden = true; views.why.reveal(); },
    });
    // A request picked in the timeline of the full layout is explained far below it (on a phone,
    // screens below): a link under the timeline says so while the panel is out of sight.
    new IntersectionObserver(([entry]) => {
      this.#whyInSight = entry.isIntersecting;
      if (this.#whyInSight) this.#whyLink.hidden = true;
    }).observe(views.why.element);
    this.#noticeEl = h('p.notice', { role: 'status' });
    views.compare.element.hidden = true;

    const timelinePanel = h('section.timeline-panel', { 'aria-label': 'Timeline' },
      h('div.panel-head', {},
        h('h3.panel-title', { text: 'Timeline' }),
        h('span.legend', { 'aria-hidden': 'true' },
          h('span.legend-item', {}, h('span.lg.lg-ok'), 'answered'),
          h('span.legend-item', {}, h('span.lg.lg-delayed'), 'delayed until •'),
          h('span.legend-item', {}, h('span.lg.lg-rejected', { text: '✕' }), '429'),
          h('span.legend-item', {}, h('span.lg.lg-retry'), 'retry (small)')),
        h('span.zoom-group', {}, zoomOut, this.#spanLabel, zoomIn)),
      views.timeline.element,
      this.#totals,
      this.#whyLink);

    this.#drawers = new Drawers([
      { name: 'why', label: 'Why this answer' },
      { name: 'log', label: 'Responses' },
      { name: 'clients', label: 'Clients' },
      { name: 'flask', label: 'Flask app', onOpen: () => { views.flask.element.open = true; } },
      { name: 'code', label: 'Code', onOpen: () => { views.code.element.open = true; } },
      { name: 'share', label: 'Share' },
    ]);
    this.#layout = {
      setup: h('header.pg-setup'),
      share: h('div.pg-share'),
      time: h('div.pg-time'),
      main: h('div.pg-main'),
      stage: h('div.pg-stage', {}, views.state.element, timelinePanel),
      side: h('aside.pg-side'),
      inspect: h('div.pg-inspect'),
    };
    const root = h('div.pg');
    root.addEventListener('keydown', (e) => this.#shortcut(e));
    this.shadowRoot.replaceChildren(root);
    applyTheme(this);
    this.#arrange();
  }

  /**
   * Places the views for the current layout: everything in view, or (compact) the essentials
   * with the send row by the clock, and the secondary panels in their drawers. The same view
   * elements move between the two, so switching keeps their state.
   */
  #arrange() {
    const views = this.#views;
    const layout = this.#layout;
    const root = this.shadowRoot.querySelector('.pg');
    layout.setup.replaceChildren(views.rule.element, views.picker.element);
    layout.share.replaceChildren(...[views.scenario.element, views.share.element, views.embed?.element].filter(Boolean));
    layout.time.replaceChildren(views.time.element, this.#lagNote);
    if (this.compact) {
      this.#whyLink.hidden = true;  // picking opens the Why drawer right there
      const drawers = this.#drawers;
      views.requests.dockSendRow(layout.time);
      views.picker.dockSwitch(true);
      drawers.panel('why').replaceChildren(views.why.element);
      drawers.panel('log').replaceChildren(views.log.element);
      drawers.panel('clients').replaceChildren(views.requests.element);
      drawers.panel('flask').replaceChildren(views.flask.element);
      drawers.panel('code').replaceChildren(views.code.element);
      drawers.panel('share').replaceChildren(layout.share);
      root.replaceChildren(layout.setup, layout.time, this.#noticeEl, layout.stage, views.compare.element,
        drawers.bar, ...drawers.panels, views.announcer.element);
    } else {
      views.requests.dockSendRow(null);
      views.picker.dockSwitch(false);
      layout.main.replaceChildren(layout.stage, layout.side);
      layout.side.replaceChildren(views.requests.element);
      layout.inspect.replaceChildren(views.log.element, views.why.element);
      root.replaceChildren(layout.setup, layout.share, layout.time, this.#noticeEl, layout.main,
        views.compare.element, layout.inspect, views.flask.element, views.code.element, views.announcer.element);
    }
  }

  /** The attributes present follow a state changed without them (a link's setup, an import, a removed client). */
  #syncAttributes() {
    const first = this.#state.clients[0];
    if (this.getAttribute('traffic') !== null && this.getAttribute('traffic') !== first.pattern) this.setAttribute('traffic', first.pattern);
    if (this.getAttribute('rate') !== null && Number(this.getAttribute('rate')) !== first.rate) this.setAttribute('rate', String(first.rate));
    if (this.getAttribute('retry') !== null && this.getAttribute('retry') !== first.retry) this.setAttribute('retry', first.retry);
    if (this.getAttribute('key-func') !== null && this.getAttribute('key-func') !== this.#state.keyFunc) this.setAttribute('key-func', this.#state.keyFunc);
  }

  #sendFromUi(count) {
    const client = this.#state.clients[this.#sender] ?? this.#state.clients[0];
    const options = { key: client.key, path: client.path };
    if (count > 1) options.count = count;
    this.send(options);
  }

  #nextEvent() {
    this.pause();
    const t = this.#run.nextEvent();
    if (Number.isFinite(t)) {
      this.#advanceClock(t, Infinity);
      this.#invalidate();
    } else {
      this.#notice = NOTHING_SCHEDULED;
      this.#changed();
    }
  }

  /**
   * Runs the clock to the next request answered 429 (in any lane shown) and shows why, as if the
   * learner had picked it; or says how far it looked. Within the run so far it looks to its end,
   * beyond it REJECTION_SEARCH_S further. The search runs a slice per frame (#searchStep), so the
   * page stays responsive however busy the traffic; pressing again stops it, as does anything
   * else that moves the clock or changes the setup.
   */
  #nextRejection() {
    if (this.#search) {
      this.#endSearch(null);
      return;
    }
    this.pause();
    this.#pendingScrub = null;
    const run = this.#run;
    if (!Number.isFinite(run.nextEvent())) {
      this.#notice = NOTHING_SCHEDULED;
      this.#changed();
      return;
    }
    const start = run.now;
    const toEnd = run.maxTime > start;
    this.#search = { start, toEnd, end: toEnd ? run.maxTime : start + REJECTION_SEARCH_S };
    this.#searchStep();
    if (this.#search) this.#invalidate();
  }

  /** FRAME_BUDGET_MS of the search, in chunks as #advanceClock; ends it when it is over. */
  #searchStep() {
    const run = this.#run;
    const { end } = this.#search;
    const started = performance.now();
    let from = run.count;
    let found = null;
    do {
      found = run.advanceToRejection(Math.min(end, run.now + this.#chunkSeconds()));
      if (run.count - from >= EVENT_BATCH) {
        this.#flush(from, run.count);
        from = run.count;
      }
    } while (!found && run.now < end && performance.now() - started < FRAME_BUDGET_MS);
    this.#flush(from, run.count);
    if (found || run.now >= end) {
      this.#endSearch(found);
    } else if (this.#notice !== LOOKING) {
      // Said once (the notice is a live region); the clock shows how far it has got.
      this.#notice = LOOKING;
      this.#changed();
    }
  }

  /** Shows what the search found, or from when to when it looked in vain. */
  #endSearch(found) {
    const { start, end, toEnd } = this.#search;
    this.#search = null;
    const run = this.#run;
    if (found) {
      this.#notice = '';
      this.#select(found.lane, found.index, true);
    } else {
      const span = `from t = ${start.toFixed(2)} s to ${run.now.toFixed(2)} s`;
      this.#notice = toEnd && run.now >= end
        ? `No request was answered 429 ${span}, the end of the run so far.`
        : `No request was answered 429 ${span}. Press Next 429 again to look further.`;
    }
    this.#changed();
  }

  /** Ends a search without a verdict: something else moved the clock or changed the setup. */
  #stopSearch() {
    if (!this.#search) return;
    this.#search = null;
    this.#notice = '';
    this.#changed();
  }

  #setZoom(factor) {
    this.#zoom = clamp(this.#zoom * factor, 1 / 64, 64);
    this.#invalidate();
  }

  #shortcut(e) {
    if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey) return;
    const target = e.composedPath()[0];
    // Not while typing, or choosing in a list by its letters; sliders, switches and buttons take no letters.
    if (target instanceof HTMLElement && (target.matches('input:not([type="range"], [type="checkbox"], [type="radio"]), select, textarea') ||
        target.isContentEditable)) return;
    const actions = {
      s: () => this.#sendFromUi(1),
      b: () => this.#sendFromUi(this.#views.requests.burstSize()),
      p: () => (this.#playing ? this.pause() : this.play()),
      '.': () => { this.pause(); this.advance(stepSeconds(this.#state.speed)); },
      n: () => this.#nextEvent(),
      r: () => this.#nextRejection(),
    };
    const action = actions[e.key.toLowerCase()];
    if (!action) return;
    e.preventDefault();
    action();
  }

  #timelineKey(lane, e) {
    const ring = this.#run.rings[lane];
    if (!ring || ring.end === ring.start) return;
    const current = this.#selected.lane === lane && ring.has(this.#selected.index) ? this.#selected.index : -1;
    let next;
    switch (e.key) {
      case 'ArrowLeft': next = current < 0 ? ring.end - 1 : current - 1; break;
      case 'ArrowRight': next = current < 0 ? ring.end - 1 : current + 1; break;
      case 'Home': next = ring.lowerBound(this.#range[0]); break;
      case 'End': next = ring.end - 1; break;
      default: return;
    }
    e.preventDefault();
    this.#select(lane, clamp(next, ring.start, ring.end - 1), true);
  }

  /**
   * Selects a request and shows why it was answered as it was; `reveal` (the learner picked it)
   * also opens the folded "why" drawer of a compact playground.
   */
  #select(lane, index, reveal = false) {
    this.#selected = { lane, index };
    if (reveal && this.compact) this.#drawers.open('why');
    const run = this.#run;
    const ring = run.rings[lane];
    if (!ring?.has(index)) return;
    // The reader picked a request of the primary lane (timeline, log, Why, Next 429).
    if (reveal && lane === 0) this.dispatchEvent(new CustomEvent('pick', { bubbles: true, composed: true, detail: run.decision(index) }));
    const slot = ring.slot(index);
    const info = {
      lane, algorithm: run.lanes[lane], bucket: this.#algorithms.find((a) => a.name === run.lanes[lane]).bucket,
      index, t: ring.t[slot], key: run.keyName(ring.key[slot]),
      path: run.pathOf(lane, index), attempt: ring.attempt[slot], manual: ring.manual[slot] === 1,
    };
    // A retry: the refused attempt it repeats, and its Retry-After while the engine keeps it.
    const previous = index - ring.back[slot];
    if (info.attempt > 0 && ring.has(previous)) {
      info.previous = { index: previous, t: ring.timeOf(previous) };
      if (ring.end - previous <= KEPT_RESPONSES) info.previous.retryAfter = run.response(lane, previous).headers['Retry-After'];
      const client = this.#state.clients.find((c) => c.key === info.key);
      if (client) info.retry = RETRY_LABELS[client.retry];
    }
    const generation = run.generation;
    const show = () => {
      if (run.generation !== generation || this.#selected.lane !== lane || this.#selected.index !== index) return;
      const response = run.response(lane, index);
      this.#views.why.show({ ...info, response });
      if (reveal && !this.compact && !this.#whyInSight) {
        this.#whyLink.textContent = `Why request #${index + 1} got ${response.status} ↓`;
        this.#whyLink.hidden = false;
      }
      // A request picked from the keyboard is said: the timeline is a picture.
      if (reveal) {
        this.#views.announcer.tell(`Request ${index + 1}${lane ? ` under ${info.algorithm}` : ''}: ${response.status} for ${info.key} ` +
          `at t = ${info.t.toFixed(2)} s${response.limit ? `, ${response.limit}` : ''}`);
      }
    };
    if (ring.end - index <= KEPT_RESPONSES) {
      show();
    } else {
      // Not kept by the engine any more: it recomputes the run, which can take a moment.
      this.#views.why.show({ pending: true });
      setTimeout(show, 30);
    }
    this.#invalidate();
  }

  #readPalette() {
    const style = getComputedStyle(this.shadowRoot.querySelector('.pg'));
    const v = (name) => style.getPropertyValue(name).trim();
    return {
      clients: [1, 2, 3, 4, 5, 6].map((i) => v(`--client-${i}`)),
      other: v('--client-other'),
      rejected: v('--rejected'),
      muted: v('--muted'),
      grid: v('--grid'),
      stripe: v('--stripe'),
      now: v('--now'),
      focus: v('--focus'),
      neutral: v('--neutral'),
    };
  }

  #rows() {
    const run = this.#run;
    const clients = this.#state.clients;
    if (this.#rowsGeneration !== run.generation || this.#rowOfKey.length !== run.keys.length) {
      this.#rowsGeneration = run.generation;
      run.keyName(Number.MAX_SAFE_INTEGER);  // refresh the key list
      this.#rowOfKey = run.keys.map((k) => {
        const i = clients.findIndex((c) => c.key === k);
        return i >= 0 ? i : clients.length;
      });
    }
    const other = this.#rowOfKey.some((r) => r === clients.length);
    return { other };
  }

  #render(ts) {
    const run = this.#run;
    const state = this.#state;
    const views = this.#views;
    const palette = this.#palette ??= this.#readPalette();
    const now = run.now;
    const algorithm = this.#algorithms.find((a) => a.name === state.algorithm);

    // Canvases first: setting a canvas font resolves styles, which is cheap while the DOM is
    // still clean in this frame.
    const [t0, t1] = this.#viewRange(now);
    const { other } = this.#rows();
    const clients = state.clients;
    const rows = clients.map((c, i) => ({ label: c.key, color: palette.clients[i] }));
    if (other) rows.push({ label: 'other keys', color: palette.other });
    const rowOfKey = this.#rowOfKey;
    const rowOf = (k) => rowOfKey[k] ?? clients.length;
    const colorOf = (k) => palette.clients[rowOf(k)] ?? palette.other;
    views.timeline.draw({
      ring: run.rings[0], generation: run.generation, t0, t1, now, rows, rowOf, colorOf,
      selected: this.#selected.lane === 0 ? this.#selected.index : -1, palette,
    });
    views.compare.element.hidden = !state.compare;
    if (state.compare) views.compare.update(run, { t0, t1, now, palette, colorOf, selected: this.#selected });

    if (this.#renderedVersion !== this.#version) {
      this.#renderedVersion = this.#version;
      views.picker.show(state.algorithm, state.compare);
      const paths = ['/', ...state.routes.map((r) => r.path)];
      views.requests.show(state.clients, paths, state.keyFunc, this.#sender, state.alike);
      const app = flaskSource(state, algorithm, (paths) => this.#engine.endpointNames(paths));
      views.flask.show(state, app);
      const limitsOf = (text) => this.#engine.parseRule(text).limits ?? [];
      views.code.show({
        flask: {
          text: app,
          note: algorithm.flaskLimiter ? 'The app this page simulates: Flask-Limiter 3.3 answers it exactly as the page does.'
            : `Flask-Limiter has no ${algorithm.name} strategy: the page runs this app with ${algorithm.semantics} semantics.`,
        },
        nginx: nginxSource(state, limitsOf, algorithm),
        go: goSource(state, limitsOf),
        // The engine's check order, for a client whose API key a header key function can read.
        express: expressSource(state, (path) => run.inspect(0, (clients.find((c) => c.apiKey) ?? clients[0]).key, path), algorithm),
        client: clientSource(state, this.#engine.retrySettings()),
      }, state.customErrorHandler);
      this.#noticeEl.textContent = this.#notice;
      this.#noticeEl.hidden = !this.#notice;
    }
    views.time.show({ playing: this.#playing, speed: state.speed, now, maxTime: run.maxTime, epoch: state.epoch });
    const lag = this.#playing && this.#lagging ? `The engine is the bottleneck: running slower than ${speedLabel(state.speed)}` : '';
    if (this.#lagNote.textContent !== lag) this.#lagNote.textContent = lag;
    this.#renderTotals(run.totals[0]);

    const focus = clients[this.#focusClient] ?? clients[0];
    const keyIndex = run.keys.indexOf(focus.key);
    const states = run.inspect(0, focus.key, focus.path);
    const route = focus.path === '/' ? state.root : state.routes.find((r) => r.path === focus.path);
    views.state.update(states, { nowEpoch: state.epoch + now, epoch: state.epoch, ring: run.rings[0], keyIndex },
      algorithm, { clients, focus: this.#focusClient, path: focus.path, exempt: Boolean(route?.exempt),
        worker: state.workers > 1 ? `worker ${run.nextWorker(0) + 1} of ${state.workers}, where the next request goes` : '' });

    // The log refreshes a few times a second while playing, and slower under heavy traffic
    // (nobody reads 60 new rows at once; the totals and timeline carry the picture).
    if (!this.#playing || ts - this.#lastLog > this.#logInterval) {
      this.#lastLog = ts;
      const added = views.log.update(run, colorOf, this.#selected.lane === 0 ? this.#selected.index : -1);
      this.#logInterval = added >= 30 ? HEAVY_LOG_INTERVAL_MS : LOG_INTERVAL_MS;
    }
  }

  /**
   * The visible time range: the rule's shortest window twice (times the zoom), scrolling with
   * now, or paging by half a span when the learner asked for reduced motion.
   */
  #viewRange(now) {
    const rule = this.#state.validRule;
    if (rule !== this.#spanRule) {
      this.#spanRule = rule;
      const limits = this.#engine.parseRule(rule).limits ?? [];
      this.#shortestWindow = limits.reduce((m, l) => Math.min(m, l.windowSeconds), Infinity);
    }
    const base = Number.isFinite(this.#shortestWindow) ? 2 * this.#shortestWindow : 20;
    const span = clamp(base * this.#zoom, 0.5, 2 * 365 * 86400);
    let t0;
    if (now < 0.85 * span) t0 = -0.02 * span;
    else if (this.#reducedMotion?.matches) t0 = Math.floor((now - 0.85 * span) / (0.5 * span) + 1) * 0.5 * span;
    else t0 = now - 0.85 * span;
    this.#range = [t0, t0 + span];
    const label = `${formatSpan(span)} shown`;
    if (this.#spanLabel.textContent !== label) this.#spanLabel.textContent = label;
    return this.#range;
  }

  /** The totals strip, built once and updated in place. */
  #renderTotals(t) {
    if (!this.#totalParts) {
      const item = (cls, mark, label) => {
        const value = h('strong');
        const text = h('span.total-label', { text: label });
        const el = h(`span.total.total-${cls}`, {}, mark ? h('span.total-mark', { 'aria-hidden': 'true', text: mark }) : null, text, value);
        return { el, value, text };
      };
      this.#totalParts = {
        requests: item('requests', '', 'Requests'),
        allowed: item('ok', '●', '2xx'),
        rejected: item('rejected', '✕', '429'),
        retries: item('retries', '↻', 'Retries'),
        delayed: item('delayed', '◌', 'Delayed'),
        window: item('window', '', ''),
      };
      this.#totals.replaceChildren(...Object.values(this.#totalParts).map((p) => p.el));
    }
    const parts = this.#totalParts;
    for (const name of ['requests', 'allowed', 'rejected', 'retries', 'delayed']) setText(parts[name].value, t[name]);
    parts.delayed.el.hidden = !t.delayed;
    parts.window.el.hidden = !(t.windowLimit > 0);
    setText(parts.window.text, `Most per client in any ${formatSpan(t.window)}`);
    setText(parts.window.value, `${t.maxInWindow} / ${t.windowLimit}`);
    parts.window.el.classList.toggle('over', t.maxInWindow > t.windowLimit);
  }
}

function normalizePath(path) {
  const p = String(path).trim().replace(/\s+/g, '');
  return p.startsWith('/') ? p : `/${p}`;
}

function formatSpan(seconds) {
  // A no-break space: a line never ends between the number and its unit.
  if (seconds < 120) return `${Number(seconds.toFixed(2))}\u00a0s`;
  if (seconds < 7200) return `${Number((seconds / 60).toFixed(1))}\u00a0min`;
  if (seconds < 172800) return `${Number((seconds / 3600).toFixed(1))}\u00a0h`;
  return `${Number((seconds / 86400).toFixed(1))}\u00a0d`;
}

// A page that includes the script twice (two embeds pasted, or this and the standalone build)
// keeps the first definition.
if (!customElements.get('rate-limit-playground')) customElements.define('rate-limit-playground', RateLimitPlayground);
