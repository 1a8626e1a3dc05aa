// Sharing an experiment: the element's setup as URL query parameters, the "Copy link" and
// "Copy embed code" controls, and applying a link's parameters to the playground it points at.
//
// A link is the page's URL + ?rule=…&algorithm=…&traffic=…&rate=…&retry=…&clients=…&alike=…
// &speed=…&seed=…&compare=…&key-func=…&workers=…&proxy=… (the attributes) + &setup={…} (each
// client's address, API key, route, pattern, rate and retry behaviour, and the Flask app's routes,
// limits and key function, as JSON; only when they differ from what the attributes alone give) +
// #id (the element's id, or its closest ancestor's). URL values are untrusted: each is checked
// here; attributes then go through the element's own clamping, and a bad rule through the normal
// rule-error path (shown as text, never as markup). Texts from the setup are only ever shown as
// text.
import { h, camelCase, copyHint } from './dom.js';
import { initialState, presetClient, matchFirstClient, KEY_FUNCS, PATTERNS, RETRIES } from './config.js';
import { MIN_RATE, MAX_RATE } from './requests-panel.js';

/** The parameters a link carries, in the order they are written. */
export const SHARE_PARAMS = ['rule', 'algorithm', 'traffic', 'rate', 'retry', 'clients', 'alike', 'speed', 'seed', 'compare', 'key-func', 'workers', 'proxy'];
// Longer values (a parameter, or a text inside `setup`) are not a rule anyone typed; the engine's
// own cap on rules is far above this.
const MAX_PARAM_LENGTH = 1000;
const MAX_SEED = 2 ** 32 - 1;

/**
 * `el`'s experiment as a query string: each attribute's value read from its property (`key-func`
 * from `keyFunc`), except the rule, which is the one in force (a rule being typed that is not
 * valid yet is not shared); and `state`'s setup when needed.
 */
function experimentQuery(el, state) {
  const params = new URLSearchParams();
  for (const name of SHARE_PARAMS) {
    const value = name === 'rule' ? state.validRule : el[camelCase(name)];
    params.set(name, typeof value === 'boolean' ? (value ? '1' : '0') : String(value));
  }
  const setup = setupParam(state);
  if (setup) params.set('setup', setup);
  return params.toString();
}

/** The link to `el`'s experiment (its attributes and `state`'s setup) on the current page. */
export function shareUrl(el, state) {
  const url = new URL(location.href);
  url.search = experimentQuery(el, state);
  url.hash = fragmentOf(el);
  return url.href;
}

/** The first playground in `root` (or `root` itself). */
const firstPlayground = (root) => (root.matches?.('rate-limit-playground') ? root : root.querySelector('rate-limit-playground'));
/** A fragment that names a playground by its place on the page: its 1-based index in `[1]`. */
const PLACE = /^rate-limit-playground-(\d+)$/;

/**
 * The fragment that names `el` for claimLocation(): the id of `el` or of its closest ancestor
 * with one, when `el` is the first playground there; otherwise its place on the page (widgets
 * pasted without ids).
 */
function fragmentOf(el) {
  const named = el.closest('[id]');
  if (named && firstPlayground(named) === el) return named.id;
  return `rate-limit-playground-${[...document.querySelectorAll('rate-limit-playground')].indexOf(el) + 1}`;
}

/**
 * An <iframe> of the site's embed.html (at `embedPage`) with `el`'s experiment, for pages that
 * cannot load scripts (a wiki, a CMS). The URL is percent-encoded, so it holds no quote or angle
 * bracket; only its ampersands need escaping in the attribute. `pictures` is how many limits' pictures
 * the widget shows.
 */
export function embedCode(el, state, embedPage, pictures) {
  const url = new URL(embedPage);
  url.search = experimentQuery(el, state);
  // Tall enough for the whole compact widget in a 640 px column (measured; wider ones need less),
  // on a touch screen too, whose controls are 44 px tall (playground.css): 980 px with one picture
  // and one client, 230 more a picture (270 with every algorithm side by side, which takes 1,400
  // more), 74 a client (its timeline lane and its button in the pictures' client picker).
  // Copying from inside the frame needs the clipboard's permission.
  const height = 980 + (el.compare ? 1400 : 0) + (el.compare ? 270 : 230) * (Math.max(1, pictures) - 1) + 74 * (state.clients.length - 1);
  return `<iframe src="${url.href.replaceAll('&', '&amp;')}" title="Rate-limit playground" width="100%" height="${height}" allow="clipboard-write" loading="lazy"></iframe>`;
}

let embedPageThere = null;  // asked once a page

/** Whether the site's embed.html answers at `url` (a docs site may have copied only the script and the engine). */
export function hasEmbedPage(url) {
  embedPageThere ??= fetch(url, { method: 'HEAD' }).then((response) => response.ok, () => false);
  return embedPageThere;
}

/**
 * The attribute values a query string asks for, checked: unknown parameters are ignored, and
 * so is a value that is not of its parameter's kind. Numbers are clamped by the element.
 * @param {string} search  e.g. location.search
 * @returns {[string, string | null][]}  [attribute, value (null removes it)]
 */
export function sharedAttributes(search) {
  const params = new URLSearchParams(search);
  const out = [];
  for (const name of SHARE_PARAMS) {
    const value = params.get(name);
    if (value === null || value.length > MAX_PARAM_LENGTH) continue;
    switch (name) {
      case 'rule':
        out.push([name, value]);
        break;
      case 'algorithm':
      case 'traffic':
      case 'proxy':
        if (/^[a-z-]{1,40}$/.test(value)) out.push([name, value]);
        break;
      case 'retry':
        if (RETRIES.includes(value)) out.push([name, value]);
        break;
      case 'key-func':
        if (Object.hasOwn(KEY_FUNCS, value)) out.push([name, value]);
        break;
      case 'alike':
      case 'compare':
        if (/^(1|true|on)$/i.test(value)) out.push([name, '']);
        else if (/^(0|false|off)$/i.test(value)) out.push([name, null]);
        break;
      case 'seed': {
        const seed = Number(value);
        if (value.trim() !== '' && Number.isFinite(seed)) out.push([name, String(Math.min(MAX_SEED, Math.max(0, Math.floor(seed))))]);
        break;
      }
      default: {
        const n = Number(value);
        if (value.trim() !== '' && Number.isFinite(n) && n > 0) out.push([name, String(n)]);
      }
    }
  }
  return out;
}

// The parts of the state the `setup` parameter carries.
const SHARED_CLIENT_FIELDS = ['key', 'apiKey', 'path', 'pattern', 'rate', 'retry'];
const SHARED_ROUTE_FIELDS = ['path', 'limit', 'exempt', 'overrideDefaults'];
const SHARED_APP_FIELDS = ['keyFunc', 'root', 'routes', 'defaultLimits', 'applicationLimits', 'customErrorHandler'];
const MAX_SHARED_ROUTES = 8;

const pick = (object, fields) => Object.fromEntries(fields.map((name) => [name, object[name]]));

/**
 * The `setup` parameter for `state`: its clients and Flask app as JSON, or null when they are
 * what an element gets from the attributes alone (preset clients, the default app).
 */
export function setupParam(state) {
  const setup = {
    clients: state.clients.map((c) => pick(c, SHARED_CLIENT_FIELDS)),
    ...pick(state, SHARED_APP_FIELDS),
    root: pick(state.root, ['exempt', 'overrideDefaults']),
    routes: state.routes.map((r) => pick(r, SHARED_ROUTE_FIELDS)),
  };
  const first = setup.clients[0];
  const plainClients = setup.clients.map((c, i) => (i ? presetClient(i) : { ...presetClient(0), pattern: first.pattern, rate: first.rate, retry: first.retry }));
  matchFirstClient({ alike: state.alike, clients: plainClients });
  const plain = {
    clients: plainClients.map((c) => pick(c, SHARED_CLIENT_FIELDS)),
    ...pick(initialState(), SHARED_APP_FIELDS),
    keyFunc: state.keyFunc,  // a parameter of its own
  };
  const json = JSON.stringify(setup);
  return json === JSON.stringify(plain) ? null : json;
}

/**
 * The setup a link carries, checked, as a patch of the element's state: null when there is none
 * or it is not what a playground wrote (any field of the wrong kind voids the whole setup, so a
 * tampered link opens the attributes' plain setup rather than half of one). Rule strings are
 * kept as typed: the Flask panel shows a bad one as the learner would have typed it.
 * @param {string} search  e.g. location.search
 * @param {number} maxClients
 */
export function sharedSetup(search, maxClients) {
  const value = new URLSearchParams(search).get('setup');
  if (value === null || value.length > 20000) return null;
  let setup;
  try {
    setup = JSON.parse(value);
  } catch {
    return null;
  }
  const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
  const isText = (v) => typeof v === 'string' && v.length <= MAX_PARAM_LENGTH;
  const isPath = (v) => isText(v) && /^\/[^\s]*$/.test(v);
  const isBool = (v) => typeof v === 'boolean';
  const client = (c) => isObject(c) && isText(c.key) && c.key.trim() !== '' && isText(c.apiKey) && isPath(c.path) &&
    PATTERNS.includes(c.pattern) && Number.isFinite(c.rate) && RETRIES.includes(c.retry);
  const route = (r) => isObject(r) && isPath(r.path) && r.path !== '/' && isText(r.limit) && isBool(r.exempt) && isBool(r.overrideDefaults);
  const distinct = (list, field) => new Set(list.map((x) => x[field])).size === list.length;
  const valid = isObject(setup) &&
    Array.isArray(setup.clients) && setup.clients.length >= 1 && setup.clients.length <= maxClients &&
    setup.clients.every(client) && distinct(setup.clients, 'key') &&
    Object.hasOwn(KEY_FUNCS, setup.keyFunc) &&
    isObject(setup.root) && isBool(setup.root.exempt) && isBool(setup.root.overrideDefaults) &&
    Array.isArray(setup.routes) && setup.routes.length <= MAX_SHARED_ROUTES && setup.routes.every(route) && distinct(setup.routes, 'path') &&
    isText(setup.defaultLimits) && isText(setup.applicationLimits) && isBool(setup.customErrorHandler);
  if (!valid) return null;
  const paths = new Set(['/', ...setup.routes.map((r) => r.path)]);
  return {
    ...pick(setup, SHARED_APP_FIELDS),
    root: pick(setup.root, ['exempt', 'overrideDefaults']),
    routes: setup.routes.map((r) => pick(r, SHARED_ROUTE_FIELDS)),
    clients: setup.clients.map((c) => ({
      ...pick(c, SHARED_CLIENT_FIELDS),
      path: paths.has(c.path) ? c.path : '/',
      rate: Math.min(MAX_RATE, Math.max(MIN_RATE, c.rate)),
    })),
  };
}

let locationClaimed = false;

/**
 * Whether `el` is the playground the page's link points at: the element with the hash's id, or
 * the first playground inside it; the playground at the place the hash names
 * (`#rate-limit-playground-2`); or the page's first playground when the hash names none. Only
 * one element, once per page, gets the link's parameters. Call once the document is parsed.
 */
export function claimLocation(el) {
  if (locationClaimed || !location.search) return false;
  let id = '';
  try { id = decodeURIComponent(location.hash.slice(1)); } catch { /* a malformed hash names nothing */ }
  const named = id ? document.getElementById(id) : null;
  const place = PLACE.exec(id);
  const target = (named && firstPlayground(named)) ?? (place && document.querySelectorAll('rate-limit-playground')[place[1] - 1]) ??
    firstPlayground(document);
  if (target !== el) return false;
  locationClaimed = true;
  return true;
}

/** Resolves once the document is parsed (so every playground and id on the page exists). */
export function documentParsed() {
  if (document.readyState !== 'loading') return Promise.resolve();
  return new Promise((resolve) => document.addEventListener('DOMContentLoaded', resolve, { once: true }));
}

/**
 * A "Copy …" control ("Copy link", "Copy embed code"): copies the text, or shows it selected in a
 * read-only field to copy by hand.
 */
export class CopyControl {
  /**
   * @param {{label: string, what: string, copied: string, className: string, text: () => string}} options
   *   `what` names the text ("link", "embed code"); `copied` is said once it is on the clipboard
   */
  constructor({ label, what, copied, className, text }) {
    this.what = what;
    this.copied = copied;
    this.field = h('input.share-field', { type: 'text', readonly: true, 'aria-label': `The ${what} of this experiment`, hidden: true });
    this.status = h('span.share-status', { role: 'status' });
    this.button = h(`button.${className}`, { type: 'button', text: label, onclick: () => this.#copy(text()) });
    this.element = h('div.share', {}, this.button, this.status, this.field);
  }

  async #copy(text) {
    this.field.value = text;
    try {
      await navigator.clipboard.writeText(text);
      this.field.hidden = true;
      this.status.textContent = this.copied;
    } catch {
      this.field.hidden = false;
      this.field.focus();
      this.field.select();
      this.status.textContent = `The ${this.what} is selected: ${copyHint()}.`;
    }
  }
}
