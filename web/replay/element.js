// <rate-limit-replay>: choose or drop a request log, pick a rule, and see what every algorithm
// would have done to that traffic. Parsing and replaying run in a Web Worker (worker.js, with
// the engine); this element only handles input and draws the result. API: README.md.
import { h, uniqueId, formatClock, copyText, scrollToTop } from '../playground/dom.js';
import { applyTheme, onSystemTheme } from '../playground/theme.js';
import baseCss from '../playground/playground.css';
import css from './replay.css';
import { drawTotals, drawTimeline, drawOffenders, drawScaled, drawBadLines, describeSameAs, describeTiming, commandLine, count, algorithmName, NO_CLIENT } from './views.js';

const WORKER_URL = new URL('rate-limit-replay-worker.js', ENGINE_SCRIPT?.src ?? document.baseURI).href;
const SAMPLE_URL = new URL('samples/access.log', ENGINE_SCRIPT?.src ?? document.baseURI).href;
const TRAPS_URL = new URL('index.html#deployment-traps', ENGINE_SCRIPT?.src ?? document.baseURI).href;
// The most public proxies the form offers to skip in X-Forwarded-For (the CLI takes up to 9).
const MOST_PUBLIC_PROXIES = 3;
const PLAYGROUND_URL = new URL('rate-limit-playground.js', ENGINE_SCRIPT?.src ?? document.baseURI).href;
/** The most requests of one client a playground is given to watch. */
const WATCH_MOST = 2000;

let playgroundLoading = null;
/** Defines <rate-limit-playground>, loading its script from beside this one the first time. */
function loadPlayground() {
  if (customElements.get('rate-limit-playground')) return Promise.resolve();
  playgroundLoading ??= new Promise((resolve, reject) => {
    document.head.append(h('script', {
      src: PLAYGROUND_URL, onload: resolve,
      onerror: () => { playgroundLoading = null; reject(new Error(`The playground could not be loaded from ${PLAYGROUND_URL}.`)); },
    }));
  }).then(() => customElements.whenDefined('rate-limit-playground'));
  return playgroundLoading;
}
const ALGORITHMS = ['fixed-window', 'fixed-window-elastic-expiry', 'moving-window', 'sliding-window-counter',
  'token-bucket', 'leaky-bucket', 'leaky-queue', 'gcra'];
/** The parser's formats (core/access_log.hpp), as the Format list and the summary name them. */
const FORMATS = {
  auto: 'Detect', common: 'Common log', combined: 'Combined log', jsonl: 'JSON lines', csv: 'CSV with a header',
  timestamps: 'One time per line', w3c: 'W3C extended: IIS, CloudFront', elb: 'AWS load balancer log',
  uwsgi: 'uWSGI request log', haproxy: 'HAProxy HTTP log', heroku: 'Heroku router log',
  envoy: 'Envoy access log',
};

/** The names a replay gives its files (a Blob has none). */
const fileNames = (files) => files.map((file, i) => file.name ?? `file ${i + 1}`);

/** A format's name inside a sentence: "common log", but "JSON lines" and "HAProxy HTTP log" as they are. */
const formatInSentence = (format) => (FORMATS[format] ?? format).replace(/^[A-Z](?=[a-z])/, (first) => first.toLowerCase());
/** From the first request to the last: in UTC, or as the log's own clock when none of its times names a zone. */
const formatSpan = ({ start, end, requests, withoutZone }) => (withoutZone === requests
  ? `${formatClock(start, false)} to ${formatClock(end, false)} by the log's own clock, which names no zone`
  : `${formatClock(start)} to ${formatClock(end)}`);

let replaySheets = null;
/** "access.log", "access.log and access.log.1", or "access.log and 6 more files": what was read. */
function describeFiles(names) {
  if (names.length === 1) return names[0];
  if (names.length === 2) return `${names[0]} and ${names[1]}`;
  return `${names[0]} and ${names.length - 1} more files`;
}

/** Why a log gave no request, from its lines: ": it holds no line", ": all 20 of its lines are bad (below)", ... */
function describeNothingRead({ lines, badLines, leftOut }) {
  if (lines === 0) return ': it holds no line';
  if (leftOut) return '';  // the filter's sentence says where they went
  if (badLines === lines) return lines === 1 ? ': its only line is bad (below)' : `: all ${count(lines)} of its lines are bad (below)`;
  if (badLines) return `: ${count(badLines)} of its ${count(lines)} lines are bad (below), the others blank, headers or comments`;
  return lines === 1 ? ': its only line is blank, a header or a comment' : `: its ${count(lines)} lines are blank, headers or comments`;
}

/** "3 requests out of order in the file were replayed at their own times.", in the right number. */
function describeOutOfOrder(n, files) {
  const one = n === 1;
  return `${count(n)} request${one ? '' : 's'} out of order in ${files === 1 ? 'the file' : one ? 'its file' : 'their file'} ` +
    `${one ? 'was replayed at its own time' : 'were replayed at their own times'}.`;
}

function sheets() {
  if (!replaySheets) {
    replaySheets = [baseCss, css].map((text) => {
      const sheet = new CSSStyleSheet();
      sheet.replaceSync(text);
      return sheet;
    });
  }
  return replaySheets;
}

function abortError() {
  return new DOMException('the replay was cancelled', 'AbortError');
}

class RateLimitReplay extends HTMLElement {
  #worker = null;
  #nextId = 1;
  /** id -> {resolve, reject, onProgress} of the requests the worker has not answered. */
  #pending = new Map();
  #running = null;  // the replay in progress: {id}
  #rerunWhenDone = false;  // the form changed while a replay ran: run again from it after
  #hasLog = false;
  #source = null;  // the last log handed to the worker: {sources, names, and the options it was read with}
  #connected = false;
  #result = null;
  #selected = ALGORITHMS[0];
  #client = null;  // the offender highlighted in the timeline, by name; null for none
  #scaled = null;  // {algorithm, scaled}: the result's tighter and looser rules last asked for (drawScaled)
  #refocusRule = null;  // a rule picked from the tighter and looser ones, until its row is drawn
  #ui = {};
  /** Resolves once the worker has loaded the engine (again after every cancel). */
  ready;

  constructor() {
    super();
    const root = this.attachShadow({ mode: 'open' });
    root.adoptedStyleSheets = sheets();
    root.append(this.#build());
    applyTheme(this);
    onSystemTheme(() => applyTheme(this));
    // The timeline is drawn at its container's width: redraw when that changes.
    let drawnWidth = 0;
    new ResizeObserver(([entry]) => {
      const width = Math.round(entry.contentRect.width);
      if (this.#result && Math.abs(width - drawnWidth) > 20) this.#draw();
      drawnWidth = width;
    }).observe(this.#ui.timeline);
    this.#startWorker();
  }

  static get observedAttributes() { return ['theme']; }

  /** `theme`: "light" or "dark", or the reader's system setting without it (theme.js). */
  attributeChangedCallback() {
    applyTheme(this);
    this.#ui.playground?.setAttribute('theme', this.theme);
  }

  get theme() { return this.getAttribute('theme') ?? 'auto'; }
  set theme(v) { this.setAttribute('theme', String(v)); }

  connectedCallback() {
    if (this.#connected) return;  // moving the element keeps what was typed
    this.#connected = true;
    const rule = this.getAttribute('rule');
    if (rule) this.#ui.rule.value = rule;
    this.#checkRule();
  }

  /**
   * Replays a log given as text. Options default to the form: {rule, strategy: 'all' | name,
   * key: 'ip' | 'none', keyField, publicProxies, path, methods, format: 'auto' | ...}. Resolves with the result
   * (README.md).
   */
  replayText(text, options = {}) {
    // As a Blob the text reaches the worker by reference, not as a copy of a huge string.
    return this.#replay([new Blob([String(text)])], options, ['Pasted text']);
  }

  /** Replays a File or Blob, read in chunks in the worker. */
  replayFile(file, options = {}) {
    return this.replayFiles([file], options);
  }

  /** Replays the files of one log (rotated ones, in any order; gzipped or not) as one. */
  replayFiles(files, options = {}) {
    files = [...files];
    return this.#replay(files, options, fileNames(files));
  }

  /** Files the reader chose or dropped: replayed, and their results brought into view. */
  #replayChosen(files) {
    this.#replay(files, {}, fileNames(files), true).catch((error) => this.#failed(error));
  }

  /** Stops the replay in progress; its promise rejects with an AbortError. */
  cancel() {
    if (!this.#running) return;
    this.#worker.terminate();
    for (const { reject } of this.#pending.values()) reject(abortError());
    this.#pending.clear();
    this.#running = null;
    this.#rerunWhenDone = false;
    this.#hasLog = false;
    this.#showStatus('Cancelled. Choose a file or try the sample log.');
    this.#startWorker();
    this.#checkRule();
  }

  get result() { return this.#result; }

  // ---- worker ----------------------------------------------------------------------------

  #startWorker() {
    this.#worker = new Worker(WORKER_URL);
    this.ready = new Promise((resolve, reject) => {
      this.#worker.onmessage = ({ data }) => {
        if (data.type === 'ready') resolve(this);
        else if (data.type === 'failed') {
          this.#showStatus(`The engine could not load: ${data.message}`, true);
          reject(new Error(data.message));
        } else this.#answer(data);
      };
    });
    this.ready.catch(() => {});
  }

  #request(message, onProgress) {
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject, onProgress });
      this.#worker.postMessage({ ...message, id });
    });
  }

  #answer(data) {
    const pending = this.#pending.get(data.id);
    if (!pending) return;
    if (data.type === 'progress') {
      pending.onProgress?.(data);
      return;
    }
    this.#pending.delete(data.id);
    if (data.type === 'error') pending.reject(new Error(data.message));
    else pending.resolve(data.type === 'checked' ? data : data.result);
  }

  #options(options) {
    // Count per: 'ip' (the client's address), 'field' (a field's value: still one key per value,
    // 'ip' to the engine, with keyField) or 'none'.
    const per = this.#ui.form.elements.key.value;
    return {
      rule: options.rule ?? this.#ui.rule.value,
      strategy: options.strategy ?? this.#ui.strategy.value,
      key: options.key ?? (per === 'none' ? 'none' : 'ip'),
      keyField: options.keyField ?? (per === 'field' ? this.#ui.keyField.value.trim() : ''),
      publicProxies: options.publicProxies ?? Number(this.#ui.publicProxies.value),
      path: options.path ?? this.#ui.path.value.trim(),
      methods: options.methods ?? this.#ui.method.value,
      format: options.format ?? this.#ui.format.value,
    };
  }

  /** Shows `chosen` (options given through the JS API) in the form, so that it says what was replayed and a change there re-runs from it. */
  #reflect({ rule, strategy, key, keyField, publicProxies, path, methods, format }) {
    const ui = this.#ui;
    ui.path.value = path;
    if (![...ui.method.options].some((option) => option.value === methods)) ui.method.append(h('option', { value: methods, text: methods }));
    ui.method.value = methods;
    if (ui.rule.value !== rule) {  // an error shown under the rule was the old rule's
      ui.rule.value = rule;
      ui.ruleError.hidden = true;
      ui.rule.removeAttribute('aria-invalid');
    }
    for (const [select, value] of [[ui.strategy, strategy], [ui.format, format]]) {
      if ([...select.options].some((option) => option.value === value)) select.value = value;
    }
    ui.keyField.value = keyField;
    ui.publicProxies.value = String(publicProxies);
    ui.form.elements.key.value = key === 'none' ? 'none' : keyField ? 'field' : 'ip';
  }

  /** `reveal`: the reader asked for this log (a file, the sample): its results are scrolled to. */
  async #replay(sources, options, names, reveal = false) {
    const name = describeFiles(names);
    if (this.#running) this.cancel();
    await this.ready;
    const running = { name };
    this.#running = running;
    this.#setBusy(true);
    this.#showProgress(name, null);
    try {
      const chosen = this.#options(options);
      this.#reflect(chosen);
      this.#source = { sources, names, keyField: chosen.keyField, publicProxies: chosen.publicProxies, path: chosen.path, methods: chosen.methods, format: chosen.format };
      const result = await this.#request({ type: 'replay', sources, options: chosen },
        (progress) => this.#showProgress(name, progress));
      this.#hasLog = true;
      this.#show(result, names, chosen);
      // A log's results open under the form: on a phone, a screen below where the reader is.
      if (reveal && this.#ui.results.getBoundingClientRect().top > innerHeight * 0.75) scrollToTop(this.#ui.results);
      return result;
    } catch (error) {
      if (error?.name === 'AbortError') throw error;
      // The worker no longer holds the last log read, only part of this one: nothing is left to
      // re-run or to show, whoever asked for the replay.
      const failure = new Error(`${name} could not be read. ${error?.message ?? error}`);
      this.#hasLog = false;
      this.#ui.results.hidden = true;
      this.#failed(failure);
      throw failure;
    } finally {
      if (this.#running === running) {
        this.#running = null;
        this.#setBusy(false);
        if (this.#rerunWhenDone) {
          this.#rerunWhenDone = false;
          this.#rerun();
        }
      }
    }
  }

  /** The last log under the form's options, as the form changes; a failure is shown, not thrown. */
  async #rerun() {
    if (this.#running) {  // say, another algorithm picked while the log is read again
      this.#rerunWhenDone = true;
      return;
    }
    const chosen = this.#options({});
    try {
      // Another key field (or public proxies skipped in it) changes who the clients are, another
      // path which requests count, another format what the lines say: the log is read again,
      // from the same files.
      if (this.#source && ['keyField', 'publicProxies', 'path', 'methods', 'format'].some((name) => chosen[name] !== this.#source[name])) {
        await this.#replay(this.#source.sources, {}, this.#source.names);
      } else if (this.#hasLog) {
        this.#show(await this.#request({ type: 'rerun', options: chosen }), this.#result?.files, chosen);
      }
    } catch (error) {
      this.#failed(error);
    }
  }

  /** Skips `count` public proxies in X-Forwarded-For: a CDN's edges, counted as clients otherwise. */
  #skipPublicProxies(count) {
    this.#ui.publicProxies.value = String(count);
    this.#ui.publicProxies.focus();  // the button goes with the notice; focus goes to what it set
    this.#rerun();
  }

  /** Counts per the field x-forwarded-for: each client behind the proxy (AccessLogParser). */
  #countPerForwarded() {
    this.#ui.keyField.value = 'x-forwarded-for';
    this.#ui.form.elements.key.value = 'field';
    this.#ui.keyField.focus();  // the button goes with the notice; focus goes to what it set
    this.#rerun();
  }

  async #checkRule() {
    await this.ready.catch(() => null);
    const rule = this.#ui.rule.value;
    const answer = await this.#request({ type: 'check', rule }).catch(() => null);
    if (!answer || rule !== this.#ui.rule.value) return;
    // The results on show stay those of the last valid rule, which the error names.
    const shown = this.#result ? ` The results below are under ${this.#result.rule}.` : '';
    const error = answer.error ? `${answer.error}${answer.hint ? ` — ${answer.hint}` : ''}.${shown}` : '';
    this.#ui.ruleError.textContent = error;
    this.#ui.ruleError.hidden = !error;
    this.#ui.rule.toggleAttribute('aria-invalid', Boolean(error));
    if (!error) this.#rerun();
  }

  // ---- view ------------------------------------------------------------------------------

  #build() {
    const ui = this.#ui;
    const ruleId = uniqueId('replay-rule');
    const errorId = uniqueId('replay-rule-error');
    // Out of the tab order: "Choose a file…" opens it.
    ui.file = h('input.visually-hidden', { type: 'file', tabindex: '-1', multiple: true, accept: '.log,.txt,.json,.jsonl,.csv,.gz,text/*,application/gzip', onchange: () => {
      const files = [...ui.file.files];
      if (files.length) this.#replayChosen(files);
      ui.file.value = '';
    } });
    ui.rule = h('input', { id: ruleId, type: 'text', value: '10/second;100/minute', spellcheck: 'false', autocomplete: 'off', 'aria-describedby': errorId, oninput: () => this.#checkRule() });
    ui.ruleError = h('p.rule-error', { id: errorId, role: 'alert', hidden: true });
    ui.strategy = h('select', { onchange: () => this.#rerun() },
      h('option', { value: 'all', text: 'All eight' }), ...ALGORITHMS.map((name) => h('option', { value: name, text: algorithmName(name) })));
    ui.format = h('select', { onchange: () => this.#rerun() }, ...Object.entries(FORMATS).map(([value, text]) => h('option', { value, text })));
    // Only the requests to one route or below it, and with one method, as a limit on it sees them.
    ui.path = h('input', { id: uniqueId('replay-path'), type: 'text', placeholder: '/ (all)', spellcheck: 'false', autocomplete: 'off',
      onchange: () => this.#rerun() });
    ui.method = h('select', { 'aria-label': 'Only the method', onchange: () => this.#rerun() },
      h('option', { value: '', text: 'Any method' }), ...['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'].map((method) => h('option', { value: method, text: method })));
    const keyChoice = (value, label, ...extra) => h('label.choice', {}, h('input', { type: 'radio', name: 'key', value, checked: value === 'ip', onchange: () => {
      if (value === 'field' && !ui.keyField.value.trim()) ui.keyField.focus();  // a field to name first
      this.#rerun();
    } }), h('span', { text: label }), ...extra);
    // A field to count per, as a key function reading a user or an API key would; typing in it
    // picks it. It suggests the fields of the log read last.
    ui.fieldNames = h('datalist', { id: uniqueId('replay-fields') });
    ui.keyField = h('input.key-field', { type: 'text', placeholder: 'user_id', spellcheck: 'false', autocomplete: 'off',
      list: ui.fieldNames.id, 'aria-label': 'Field to count per', onchange: () => {
        ui.form.elements.key.value = 'field';
        this.#rerun();
      } });
    // Counted per X-Forwarded-For (shown then): public addresses to skip from its right, a CDN's edges.
    ui.publicProxies = h('select.public-proxies', { 'aria-label': 'Public proxies to skip in X-Forwarded-For', onchange: () => this.#rerun() },
      h('option', { value: '0', text: 'last public address' }),
      h('option', { value: '1', text: 'skip 1 public proxy (CDN)' }),
      ...Array.from({ length: MOST_PUBLIC_PROXIES - 1 }, (_, i) => h('option', { value: String(i + 2), text: `skip ${i + 2} public proxies` })));
    ui.proxiesRow = h('label.proxies-row', { hidden: true }, h('span', { text: 'X-Forwarded-For:' }), ui.publicProxies);
    ui.drop = h('div.drop-zone', {},
      h('p.drop-title', { text: 'Drop a log file here' }),
      h('p.drop-help', { text: 'Access logs (nginx, Apache, Flask, uWSGI, HAProxy, IIS, CloudFront, AWS load balancers, Heroku, Envoy), JSON lines (Caddy, Traefik, Cloudflare, …), CSV with a header, or one timestamp per line; gzipped too, and rotated files together. It stays in your browser.' }),
      h('div.drop-actions', {},
        h('button.primary', { type: 'button', text: 'Choose a file…', onclick: () => ui.file.click() }),
        ui.sample = h('button', { type: 'button', text: 'Try the sample log', onclick: () => this.#trySample() }),
        ui.file));
    for (const type of ['dragenter', 'dragover']) ui.drop.addEventListener(type, (event) => { event.preventDefault(); ui.drop.classList.add('over'); });
    ui.drop.addEventListener('dragleave', () => ui.drop.classList.remove('over'));
    ui.drop.addEventListener('drop', (event) => {
      event.preventDefault();
      ui.drop.classList.remove('over');
      const files = [...(event.dataTransfer?.files ?? [])];
      if (files.length) this.#replayChosen(files);
    });
    ui.form = h('form.settings', { onsubmit: (event) => event.preventDefault() },
      h('div.field.rule-field', {}, h('label.field-label', { for: ruleId, text: 'Rule' }), ui.rule, ui.ruleError),
      h('div.field', {}, h('label.field-label', { text: 'Algorithms' }, ui.strategy)),
      h('fieldset.field', {}, h('legend.field-label', { text: 'Count per' }), h('div.choices', {}, keyChoice('ip', 'client'), keyChoice('field', 'field', ui.keyField, ui.fieldNames), ui.proxiesRow, keyChoice('none', 'everyone together'))),
      h('div.field', {}, h('label.field-label', { text: 'Format' }, ui.format)),
      h('div.field.path-field', {}, h('label.field-label', { for: ui.path.id, text: 'Only path' }), h('div.path-row', {}, ui.path, ui.method)));
    ui.progressBar = h('progress', { max: '1' });
    ui.statusText = h('p.status-text', { role: 'status' });
    ui.cancel = h('button', { type: 'button', text: 'Cancel', hidden: true, onclick: () => this.cancel() });
    ui.status = h('div.progress-box', { hidden: true }, h('div.status-row', {}, ui.statusText, ui.cancel), ui.progressBar);
    ui.summary = h('p.summary');
    // Said to screen readers once a replay is shown (the progress box it replaces goes away).
    ui.finished = h('p.visually-hidden', { role: 'status' });
    ui.unread = h('p.notice.unread', { hidden: true });
    ui.noClient = h('p.notice.no-client', { hidden: true });
    ui.proxy = h('p.notice.proxy', { hidden: true });
    ui.coarse = h('p.notice.coarse', { hidden: true });
    ui.timing = h('p.timing');
    ui.totals = h('div.algo-totals', { role: 'group', 'aria-label': 'Algorithms' });
    ui.sameAs = h('p.field-help.same-as');
    ui.timeline = h('div.timeline-box');
    ui.timelineTitle = h('h3.panel-title');
    ui.offenders = h('div.offenders');
    ui.offendersTitle = h('h3.panel-title');
    ui.scaled = h('div.algo-totals.scaled', { role: 'group', 'aria-label': 'Tighter and looser rules' });
    ui.scaledTitle = h('h3.panel-title');
    ui.bad = h('div.bad');
    ui.command = h('code.command');
    const copyLabel = h('span', { text: 'Copy' });
    ui.cli = h('p.cli-line', {}, 'The same replay with the command-line tool (', h('code', { text: 'ratelimit-sim' }),
      ', built with this site from its source; ', h('code', { text: '--json' }), ' for all of it): ', ui.command, ' ',
      h('button.copy', { type: 'button', onclick: () => copyText(ui.command, copyLabel) }, copyLabel));
    // What the replay found: hidden when no request was read, leaving the summary and the bad lines.
    ui.findings = [
      h('section.card', {}, h('h3.panel-title', { text: 'Allowed and denied, per algorithm' }), h('p.field-help', { text: 'Select an algorithm to see its timeline and offenders. Each logged request is replayed once, at its own time: the log cannot say what a refused client would have done instead (retried, or given up).' }), ui.totals, ui.sameAs),
      h('div.pair', {},
        h('section.card', {}, ui.timelineTitle, ui.timeline),
        h('section.card', {}, ui.offendersTitle, ui.offenders)),
      h('section.card', {}, ui.scaledTitle,
        h('p.field-help', { text: 'The same requests with every amount of the rule scaled from an eighth to eight times: how many clients would have seen a 429, and how many requests were denied. Pick a rule to replay it through every algorithm.' }),
        ui.scaled)];
    ui.watch = h('section.card.watch', { hidden: true });  // one offender in a playground (#watch)
    ui.results = h('div.results', { hidden: true },
      ui.finished,
      ui.summary,
      ui.timing,
      ui.unread,
      ui.noClient,
      ui.proxy,
      ui.coarse,
      ...ui.findings.slice(0, 2),
      ui.watch,
      ...ui.findings.slice(2),
      h('section.card', {}, ui.bad),
      ui.cli);
    return h('div.pg.replay', {}, h('div.inputs', {}, ui.drop, ui.form), ui.status, ui.results);
  }

  async #trySample() {
    try {
      const response = await fetch(SAMPLE_URL);
      if (!response.ok) throw new Error(`the sample log could not be loaded (${response.status})`);
      await this.#replay([new File([await response.blob()], 'access.log')], {}, ['access.log (sample)'], true);
    } catch (error) {
      this.#failed(error);
    }
  }

  #failed(error) {
    if (error?.name === 'AbortError') return;
    this.#showStatus(String(error?.message ?? error), true);
  }

  #setBusy(busy) {
    this.#ui.cancel.hidden = !busy;
    this.#ui.progressBar.hidden = !busy;
    this.toggleAttribute('busy', busy);
  }

  #showStatus(text, failed = false) {
    const ui = this.#ui;
    ui.status.hidden = false;
    ui.status.classList.toggle('failed', failed);
    ui.statusText.textContent = text;
    ui.progressBar.hidden = true;
    ui.cancel.hidden = true;
  }

  #showProgress(name, progress) {
    const ui = this.#ui;
    ui.status.hidden = false;
    ui.status.classList.remove('failed');
    if (!progress) {
      ui.statusText.textContent = `Reading ${name}…`;
      ui.progressBar.removeAttribute('value');
      return;
    }
    ui.statusText.textContent = `Reading ${name}: ${count(progress.lines)} lines${progress.badLines ? `, ${count(progress.badLines)} bad` : ''}…`;
    if (progress.total) ui.progressBar.value = progress.bytes / progress.total;
  }

  #show(result, files, chosen) {
    const { key, rule, keyField } = chosen;
    const name = describeFiles(files);
    const ui = this.#ui;
    if (result.error) {
      this.#showStatus(`Rule: ${result.error}`, true);
      return;
    }
    this.#result = { ...result, name, files, key, rule, keyField };
    this.#scaled = null;
    if (!result.algorithms.some((one) => one.algorithm === this.#selected)) this.#selected = result.algorithms[0].algorithm;
    ui.status.hidden = true;
    ui.results.hidden = false;
    const shown = result.algorithms.find((one) => one.algorithm === this.#selected);
    ui.finished.textContent = result.requests === 0 ? `Replayed ${name}: no request could be read.`
      : `Replayed ${count(result.requests)} requests under ${rule}: ${algorithmName(shown.algorithm)} denied ${count(shown.denied)}.`;
    const requests = (n) => `${count(n)} request${n === 1 ? '' : 's'}`;
    const filtered = result.path || result.methods;
    const outside = filtered
      ? ` Only ${result.methods ? `${result.methods} ` : ''}requests${result.path ? ` to ${result.path} and below it` : ''}: ` +
        `${count(result.leftOut)} other${result.leftOut === 1 ? '' : 's'} left out.`
      : '';
    ui.summary.textContent = result.requests === 0
      ? `No request could be read from ${name}${describeNothingRead(result)}.${outside}`
      : `${name}: ${requests(result.requests)}${result.clients > 1 ? ` from ${count(result.clients)} clients` : ''}, ` +
        `${formatSpan(result)} (read as ${formatInSentence(result.format)}).` +
        (result.withoutZone && result.withoutZone < result.requests ? ` ${requests(result.withoutZone)} with no zone in the time, read as UTC.` : '') +
        (result.outOfOrder ? ` ${describeOutOfOrder(result.outOfOrder, files.length)}` : '') +
        outside;
    // Files read only in part, or not at all: said here, as their bad line may be past the samples.
    ui.unread.textContent = result.unread.map(({ file, line, reason }) => `${files[file]}, line ${count(line)}: ${reason}.`).join(' ');
    ui.unread.hidden = !ui.unread.textContent;
    const field = keyField ? `a field “${keyField}”` : '';
    ui.noClient.textContent = key !== 'ip' || !result.withoutClient ? ''
      : result.withoutClient === result.requests
        ? `No line has ${field || 'a client (a field such as ip, client_ip or remote_addr)'}, so every request counts against one limit, as with “everyone together”.` +
          (field && result.fields.length ? ` The fields of this log: ${result.fields.join(', ')}.` : '')
        : `Requests without ${field || 'a client'}: ${count(result.withoutClient)}. They count together as one client, “${NO_CLIENT}”.`;
    ui.noClient.hidden = !ui.noClient.textContent;
    ui.coarse.textContent = result.coarseTimes
      ? 'Every time in this log is a whole second, too coarse for a rule with a window of a few seconds: where in its second each ' +
        'request came is lost, so requests logged in one second count as simultaneous, and the figures can differ from ' +
        'what the rule did (a moving window may deny more). A log with sub-second times (nginx’s $msec, JSON with ' +
        'milliseconds) replays exactly.'
      : '';
    ui.coarse.hidden = !ui.coarse.textContent;
    ui.fieldNames.replaceChildren(...result.fields.map((name) => h('option', { value: name })));
    const forwardButton = () => h('button.forwarded', { type: 'button', text: 'Count per X-Forwarded-For', onclick: () => this.#countPerForwarded() });
    ui.proxiesRow.hidden = result.publicProxies === undefined;
    ui.proxy.hidden = !result.proxy && !result.forwarded && !result.beyondPublicProxy;
    if (result.beyondPublicProxy) {
      const { requests: beyond, publicProxies } = result.beyondPublicProxy;
      ui.proxy.replaceChildren(
        `${count(beyond)} of ${requests(result.requests)} name a public address in X-Forwarded-For before the one counted ` +
        '(“client, edge”): the addresses counted are probably a public proxy’s, such as a CDN’s edges, which a load balancer ' +
        'behind the CDN appends, and this replay counts each edge as a client (', h('a', { href: TRAPS_URL, text: 'deployment traps' }), ').',
        ...(publicProxies <= MOST_PUBLIC_PROXIES
          ? [' ', h('button.skip-proxies', { type: 'button', text: publicProxies === 1 ? 'Skip the public proxy' : `Skip ${publicProxies} public proxies`,
            onclick: () => this.#skipPublicProxies(publicProxies) })]
          : []));
    } else if (result.forwarded) {
      ui.proxy.replaceChildren(
        `${count(result.forwarded.requests)} of ${requests(result.requests)} carry X-Forwarded-For: they came through a proxy or CDN ` +
        '(Cloudflare, CloudFront, a load balancer), so the address on their lines is probably that proxy’s, and this replay counts ' +
        'each proxy address as a client (', h('a', { href: TRAPS_URL, text: 'deployment traps' }),
        '). Count per the client the header names, as Flask-Limiter with ProxyFix set for your proxies does: ', forwardButton());
    } else if (result.proxy) {
      ui.proxy.replaceChildren(
        `${count(result.proxy.requests)} of ${requests(result.requests)} come from ${result.proxy.client}, ` +
        (result.proxy.loopback
          ? 'this machine itself: a proxy on the same machine (nginx in front of gunicorn), or the app tried locally, ' +
            "as with Flask's development server. Behind a proxy without ProxyFix, "
          : 'a private address: probably a proxy or load balancer in front of the server that wrote this log. Without ProxyFix, ') +
        "Flask-Limiter's get_remote_address counts every client as this one (",
        h('a', { href: TRAPS_URL, text: 'deployment traps' }),
        ...(result.proxy.forwardedFor
          ? [`), and so does this replay. ${requests(result.proxy.forwardedFor)} ${result.proxy.forwardedFor === 1 ? 'carries' : 'carry'} X-Forwarded-For, which names the client behind the proxy, as ProxyFix reads it: `,
             forwardButton()]
          : ["), and so does this replay; the proxy's own log has your clients' addresses."]));
    }
    ui.timing.textContent = result.requests === 0 ? '' : describeTiming(result.timing, result.algorithms.length);
    // The files by their own names (the sample's is access.log); pasted text comes from stdin.
    const fileNames = this.#source.sources.map((source) => source.name ?? '-');
    ui.command.textContent = commandLine({ ...chosen, publicProxies: result.publicProxies ?? 0 }, fileNames);
    for (const element of ui.findings) element.hidden = result.requests === 0;
    ui.watch.hidden = true;  // it showed the last result's requests
    ui.sameAs.textContent = describeSameAs(result);
    ui.sameAs.hidden = !ui.sameAs.textContent;
    this.#draw();
    this.dispatchEvent(new CustomEvent('replay', { detail: this.#result }));
  }

  #draw() {
    const ui = this.#ui;
    const result = this.#result;
    const one = result.algorithms.find((item) => item.algorithm === this.#selected);
    // The highlighted client stays across algorithms and rules while it is among the offenders.
    const offender = one.top.find((item) => item.client === this.#client);
    // Drawing replaces the rows and the offenders' buttons: the keyboard focus returns to the one
    // it was on (found by its class and text), so picking with Enter or Space keeps the place.
    const focused = this.shadowRoot.activeElement;
    const refocus = focused?.matches('.total-row, .client-pick') ? [focused.className, focused.textContent] : null;
    drawTotals(ui.totals, result, this.#selected, (name) => {
      this.#selected = name;
      this.#draw();
    });
    ui.timelineTitle.textContent = `Denied over time: ${algorithmName(one.algorithm)}`;
    drawTimeline(ui.timeline, result, one, offender);
    ui.offendersTitle.textContent = `Top offenders: ${algorithmName(one.algorithm)}`;
    drawOffenders(ui.offenders, result, one, result.key, offender, (client) => {
      this.#client = client === offender?.client ? null : client;
      this.#draw();
    }, (client) => this.#watch(client).catch((error) => this.#failed(error)));
    ui.scaledTitle.textContent = `Tighter or looser: ${algorithmName(one.algorithm)}`;
    this.#drawScaled();
    drawBadLines(ui.bad, result);
    if (refocus) [...this.shadowRoot.querySelectorAll(`.${refocus[0]}`)].find((el) => el.textContent === refocus[1])?.focus();
  }

  /**
   * Puts one client's requests, at their own times, in a playground under the rule and the selected
   * algorithm (loading the playground's script the first time), at its start: Play shows what the
   * numbers above say, request by request.
   */
  async #watch(client) {
    const result = this.#result;
    const { rule } = result;
    const algorithm = this.#selected;
    const { times } = await this.#request({ type: 'times', client, most: WATCH_MOST });
    await loadPlayground();
    if (this.#result !== result) return;  // a new rule or log meanwhile: these requests are not its
    const total = result.algorithms.find((a) => a.algorithm === algorithm).top.find((o) => o.client === client)?.requests ?? times.length;
    const epoch = Math.floor(times[0]);
    const scenario = {
      strategy: algorithm, epoch, routes: [{ path: '/', limits: [rule] }],
      requests: Array.from(times, (t) => ({ t: t - epoch, key: client })),
    };
    const ui = this.#ui;
    if (!ui.playground) {
      ui.playground = h('rate-limit-playground', { compact: true, speed: '10', theme: this.theme });
      ui.watchNote = h('p.field-help');
      ui.watchTitle = h('h3.panel-title', { tabindex: '-1' });  // focus goes there: the keyboard follows the picture
      ui.watch.replaceChildren(ui.watchTitle, ui.watchNote, ui.playground);
    }
    ui.watch.hidden = false;
    ui.watchTitle.textContent = `${client} in the playground`;
    ui.watchNote.textContent = `${total > times.length ? `Its first ${count(times.length)} of ${count(total)}` : `Its ${count(times.length)}`} ` +
      `requests at their own times, under ${rule} with ${algorithmName(algorithm)}, from ${formatClock(times[0])}. Press Play, or Next 429 for its first denial, and pick a request to see why it was answered so.`;
    await ui.playground.ready;
    if (this.#result !== result) return;
    ui.playground.importScenario(scenario);
    ui.playground.seek(0);
    ui.watchTitle.focus({ preventScroll: true });
    scrollToTop(ui.watch);
  }

  /** The selected algorithm under tighter and looser rules: asked of the worker once per result (#show starts afresh) and algorithm. */
  async #drawScaled() {
    const { rule, key } = this.#result;
    const algorithm = this.#selected;
    const draw = () => {
      drawScaled(this.#ui.scaled, this.#result, this.#scaled.scaled, (picked) => {
        this.#ui.rule.value = picked;
        this.#refocusRule = picked;
        this.#checkRule();
      });
      // A picked rule's row is drawn anew once its own tighter and looser rules are in: the focus
      // goes back to it, so a keyboard user stays in the list.
      if (!this.#scaled.scaled || this.#refocusRule === null) return;
      [...this.#ui.scaled.children].find((row) => row.querySelector('.total-name').textContent === this.#refocusRule)?.focus({ preventScroll: true });
      this.#refocusRule = null;
    };
    if (this.#scaled?.algorithm !== algorithm) {
      this.#scaled = { algorithm, scaled: null };
      const asked = this.#scaled;
      draw();
      const answer = await this.#request({ type: 'scaled', options: { rule, strategy: algorithm, key } }).catch(() => null);
      if (this.#scaled !== asked) return;  // another result or algorithm since
      asked.scaled = answer?.scaled ?? [];
    }
    draw();
  }
}

// A page that includes the script twice keeps the first definition.
if (!customElements.get('rate-limit-replay')) customElements.define('rate-limit-replay', RateLimitReplay);
