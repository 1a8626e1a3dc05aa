// A run as a scenario in the command-line simulator's format (../shared/docs/scenario-format.md):
// the Flask app the playground simulates plus every request the primary lane decided, written as
// the explicit requests they were (retries included), so `ratelimit-sim` answers them as the page
// did; and such a file read back into a playground.
import { keyFuncSpec, splitLimits, presetClient } from './config.js';
import { h } from './dom.js';

/**
 * The scenario object for `state`'s app and the decided requests of `run`'s primary lane, or
 * `{error}` when the run cannot be written in the format.
 * @param {ReturnType<import('./config.js').initialState>} state
 * @param {import('./run.js').Run} run
 */
export function runScenario(state, run) {
  const ring = run.rings[0];
  if (ring.start > 0) return { error: `The run is too long to export (its first ${ring.start} requests are no longer kept). Reset and export a shorter run.` };
  // The format has one Flask process talking to clients directly.
  if (state.workers > 1) return { error: 'Several worker processes cannot be written in the scenario format: set Worker processes to 1 to export.' };
  if (state.proxy && state.proxy !== 'direct') return { error: 'A proxy in front of Flask cannot be written in the scenario format: choose "No proxy" to export.' };
  const weighted = run.handSends.find((s) => s.cost !== 1);
  if (weighted) return { error: `A request sent with cost ${weighted.cost} cannot be written in the scenario format (requests there cost 1).` };
  const keyFunc = keyFuncSpec(state.keyFunc);
  const limit = (text, overrideDefaults) => ({ limit: text, override_defaults: overrideDefaults, key_func: keyFunc });
  const routes = [
    { path: '/', exempt: state.root.exempt, limits: [limit(state.validRule, state.root.overrideDefaults)] },
    ...state.routes.map((r) => ({
      path: r.path, exempt: r.exempt, limits: r.limit.trim() ? [limit(r.limit.trim(), r.overrideDefaults)] : [],
    })),
  ];
  const apiKeys = new Map(state.clients.map((c) => [c.key, c.apiKey]));
  const requests = [];
  for (let i = ring.start; i < ring.end; i++) {
    const slot = ring.slot(i);
    const key = run.keyName(ring.key[slot]);
    const request = { t: ring.t[slot], key, path: run.pathOf(0, i) };
    if (apiKeys.has(key)) request.headers = { 'X-Api-Key': apiKeys.get(key) };
    requests.push(request);
  }
  return {
    mode: 'flask',
    strategy: state.algorithm,
    epoch: state.epoch,
    default_limits: splitLimits(state.defaultLimits),
    application_limits: splitLimits(state.applicationLimits),
    error_handler: state.customErrorHandler ? 'custom' : null,
    routes,
    requests,
  };
}

const ROUTE_FIELDS = ['path', 'exempt', 'override_defaults', 'limits'];
const LIMIT_FIELDS = ['limit', 'override_defaults', 'key_func'];
const REQUEST_FIELDS = ['t', 'key', 'path', 'headers'];
const SCENARIO_FIELDS = ['mode', 'strategy', 'epoch', 'default_limits', 'application_limits', 'error_handler', 'routes', 'requests'];

/** Throws the message for what the playground cannot show (the CLI may still run it). */
function unsupported(where, what) {
  throw new Error(`${where}: ${what} — the playground cannot show this (ratelimit-sim can run it)`);
}

function only(object, fields, where) {
  if (object === null || typeof object !== 'object' || Array.isArray(object)) throw new Error(`${where}: expected an object`);
  for (const name of Object.keys(object)) if (!fields.includes(name)) unsupported(`${where}.${name}`, 'a field');
}

function typed(value, type, where) {
  if (typeof value !== type) throw new Error(`${where}: expected a ${type}, got ${JSON.stringify(value)?.slice(0, 40)}`);
  return value;
}

function oneLimit(list, where, rule) {
  if (list === undefined) return '';
  if (!Array.isArray(list)) throw new Error(`${where}: expected a list of rate strings`);
  if (list.length > 1) unsupported(where, 'more than one limit group');
  return list.length ? rule(typed(list[0], 'string', `${where}[0]`), `${where}[0]`) : '';
}

/**
 * Reads a scenario (as exported, or written by hand in the CLI's format) into what the
 * playground shows: a patch of its state and the requests, to be sent by hand at their times.
 * Checks the shape here and leaves every rule of the format to the engine's validateScenario.
 * Throws an Error whose message names the field.
 * @param {any} scenario  the parsed JSON
 * @param {string[]} algorithmNames
 * @param {number} maxClients
 * @param {(text: string) => {error?: string}} parseRule  the engine's rate-string parser
 */
export function scenarioSetup(scenario, algorithmNames, maxClients, parseRule) {
  const rule = (text, where) => {
    const parsed = parseRule(text);
    if (parsed.error !== undefined) throw new Error(`${where}: ${parsed.error}`);
    return text;
  };
  only(scenario, SCENARIO_FIELDS, 'scenario');
  if (scenario.mode !== undefined && scenario.mode !== 'flask') unsupported('mode', `"${scenario.mode}"`);
  const algorithm = scenario.strategy === undefined ? 'fixed-window' : typed(scenario.strategy, 'string', 'strategy');
  if (!algorithmNames.includes(algorithm)) throw new Error(`strategy: unknown algorithm "${algorithm.slice(0, 40)}"`);
  const epoch = scenario.epoch === undefined ? undefined : typed(scenario.epoch, 'number', 'epoch');
  const handler = scenario.error_handler ?? null;
  if (handler !== null && handler !== 'custom') throw new Error('error_handler: expected null or "custom"');
  if (!Array.isArray(scenario.routes)) throw new Error('routes: expected a list of routes');
  if (!Array.isArray(scenario.requests)) throw new Error('requests: expected a list of requests');

  let keyFunc = null;
  const routes = scenario.routes.map((r, i) => {
    const where = `routes[${i}]`;
    only(r, ROUTE_FIELDS, where);
    const path = r.path === undefined ? '/' : typed(r.path, 'string', `${where}.path`);
    const limits = r.limits ?? [];
    if (!Array.isArray(limits)) throw new Error(`${where}.limits: expected a list`);
    if (limits.length > 1) unsupported(`${where}.limits`, 'more than one @limiter.limit on a route');
    let limit = '';
    let overrideDefaults = r.override_defaults === undefined ? true : typed(r.override_defaults, 'boolean', `${where}.override_defaults`);
    if (limits.length) {
      const entry = typeof limits[0] === 'string' ? { limit: limits[0] } : limits[0];
      only(entry, LIMIT_FIELDS, `${where}.limits[0]`);
      limit = rule(typed(entry.limit, 'string', `${where}.limits[0].limit`), `${where}.limits[0].limit`);
      if (entry.override_defaults !== undefined) overrideDefaults = typed(entry.override_defaults, 'boolean', `${where}.limits[0].override_defaults`);
      const spec = entry.key_func === undefined ? 'remote' : typed(entry.key_func, 'string', `${where}.limits[0].key_func`);
      const name = ['remote', 'header', 'constant'].find((k) => keyFuncSpec(k) === spec);
      if (!name) unsupported(`${where}.limits[0].key_func`, `"${spec.slice(0, 40)}"`);
      if (keyFunc !== null && keyFunc !== name) unsupported(`${where}.limits[0].key_func`, 'a different key function on another route');
      keyFunc = name;
    }
    const exempt = r.exempt === undefined ? false : typed(r.exempt, 'boolean', `${where}.exempt`);
    return { path, limit, exempt, overrideDefaults };
  });
  const root = routes.find((r) => r.path === '/');
  if (!root || !root.limit) unsupported('routes', 'no "/" route with a limit');

  const requests = scenario.requests.map((q, i) => {
    const where = `requests[${i}]`;
    only(q, REQUEST_FIELDS, where);
    const request = {
      t: q.t === undefined ? 0 : typed(q.t, 'number', `${where}.t`),
      key: q.key === undefined ? '127.0.0.1' : typed(q.key, 'string', `${where}.key`),
      path: q.path === undefined ? '/' : typed(q.path, 'string', `${where}.path`),
    };
    if (q.headers !== undefined) {
      only(q.headers, ['X-Api-Key'], `${where}.headers`);
      if (q.headers['X-Api-Key'] !== undefined) request.headers = { 'X-Api-Key': typed(q.headers['X-Api-Key'], 'string', `${where}.headers.X-Api-Key`) };
    }
    return request;
  });

  // One client per address, in order of first appearance: each sends its requests by hand.
  const clients = [];
  for (const q of requests) {
    if (clients.length === maxClients) break;
    if (clients.some((c) => c.key === q.key)) continue;
    const apiKey = q.headers?.['X-Api-Key'] ?? `key-${clients.length + 1}`;
    clients.push({ ...presetClient(clients.length), key: q.key, apiKey, path: q.path, pattern: 'manual', retry: 'ignore' });
  }
  if (!clients.length) clients.push({ ...presetClient(0), pattern: 'manual', retry: 'ignore' });
  const sends = [];
  for (const q of requests) {
    const last = sends[sends.length - 1];
    if (last && last.t === q.t && last.key === q.key && last.path === q.path) last.count += 1;
    else sends.push({ t: q.t, key: q.key, path: q.path, cost: 1, count: 1 });
  }
  const patch = {
    rule: root.limit, validRule: root.limit, algorithm, compare: false, clients, alike: false,
    keyFunc: keyFunc ?? 'remote',
    customErrorHandler: handler === 'custom',
    workers: 1,
    proxy: 'direct',
    root: { exempt: root.exempt, overrideDefaults: root.overrideDefaults },
    routes: routes.filter((r) => r !== root),
    defaultLimits: oneLimit(scenario.default_limits, 'default_limits', rule),
    applicationLimits: oneLimit(scenario.application_limits, 'application_limits', rule),
  };
  if (epoch !== undefined) patch.epoch = epoch;
  return { patch, requests, sends };
}

/** "Export scenario" (downloads the run as JSON) and "Import scenario" (reads such a file). */
export class ScenarioButtons {
  /**
   * @param {{onExport: () => object, onImport: (scenario: any) => void}} handlers  both throw
   *   an Error with a message for the learner when they cannot do it
   */
  constructor({ onExport, onImport }) {
    this.status = h('span.scenario-status', { role: 'status' });
    this.file = h('input.scenario-file', {
      type: 'file', accept: '.json,application/json', hidden: true,
      onchange: () => this.#read(onImport),
    });
    this.element = h('div.scenario-buttons', {},
      h('button.export-button', { type: 'button', text: 'Export scenario', onclick: () => this.#export(onExport) }),
      h('button.import-button', { type: 'button', text: 'Import scenario', onclick: () => this.file.click() }),
      this.file, this.status);
  }

  #export(onExport) {
    let scenario;
    try {
      scenario = onExport();
    } catch (error) {
      this.status.textContent = error.message;
      return;
    }
    const url = URL.createObjectURL(new Blob([`${JSON.stringify(scenario, null, 1)}\n`], { type: 'application/json' }));
    h('a', { href: url, download: 'rate-limit-scenario.json' }).click();
    setTimeout(() => URL.revokeObjectURL(url), 0);
    this.status.textContent = `Exported ${scenario.requests.length} requests: run them with ratelimit-sim < rate-limit-scenario.json`;
  }

  async #read(onImport) {
    const [file] = this.file.files;
    this.file.value = '';
    if (!file) return;
    try {
      let scenario;
      try {
        scenario = JSON.parse(await file.text());
      } catch (error) {
        throw new Error(`${file.name} is not JSON: ${error.message}`);
      }
      onImport(scenario);
      this.status.textContent = `Imported ${file.name}.`;
    } catch (error) {
      this.status.textContent = `Not imported: ${error.message}`;
    }
  }
}
