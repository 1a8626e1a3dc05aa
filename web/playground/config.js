// The playground's state (one plain object per element) and what is derived from it without
// deciding anything: the engine's Simulation config and the equivalent Flask app source.

export const PATTERNS = ['manual', 'constant', 'poisson', 'on-off', 'ramp'];
export const PATTERN_LABELS = {
  manual: 'By hand only',
  constant: 'Constant',
  poisson: 'Random (Poisson)',
  'on-off': 'On / off bursts',
  ramp: 'Ramp up',
};
export const RETRIES = ['ignore', 'immediate', 'backoff', 'retry-after', 'retry-after-jitter'];
export const RETRY_LABELS = {
  ignore: 'Ignores 429s',
  immediate: 'Retries at once',
  backoff: 'Backs off (jitter)',
  'retry-after': 'Obeys Retry-After',
  'retry-after-jitter': 'Retry-After + 1–2 s',
};
export const KEY_FUNCS = {
  remote: 'Remote address',
  header: 'API key header (X-Api-Key)',
  constant: 'Constant (one shared counter)',
};
export const MAX_CLIENTS = 6;
const DEFAULT_EPOCH = 1700000000;

/** Display names; the engine's names are the identifiers. */
export const ALGORITHM_LABELS = {
  'fixed-window': 'Fixed window',
  'fixed-window-elastic-expiry': 'Fixed window, elastic expiry',
  'moving-window': 'Moving window (log)',
  'sliding-window-counter': 'Sliding window counter',
  'token-bucket': 'Token bucket',
  'leaky-bucket': 'Leaky bucket (meter)',
  'leaky-queue': 'Leaky bucket (queue)',
  gcra: 'GCRA',
};

// Clients added after the first show one retry behaviour each, so a retry storm and a
// well-behaved client can be watched side by side.
const CLIENT_PRESETS = [
  { pattern: 'constant', rate: 0.5, retry: 'ignore' },
  { pattern: 'poisson', rate: 0.5, retry: 'immediate' },
  { pattern: 'poisson', rate: 0.5, retry: 'retry-after' },
  { pattern: 'on-off', rate: 0.5, retry: 'backoff' },
  { pattern: 'ramp', rate: 0.3, retry: 'ignore' },
  { pattern: 'constant', rate: 0.2, retry: 'retry-after-jitter' },
];

/** The n-th client (0-based) as first added. */
export function presetClient(n) {
  const preset = CLIENT_PRESETS[n % CLIENT_PRESETS.length];
  return { key: `10.0.0.${n + 1}`, apiKey: `key-${n + 1}`, path: '/', ...preset };
}

// What every client takes from the first one while the clients are alike (not its address).
const ALIKE_FIELDS = ['pattern', 'rate', 'retry', 'path'];

/** When `alike` is set, gives every client the first one's traffic, rate, path and retry behaviour. */
export function matchFirstClient({ alike, clients }) {
  if (!alike) return;
  for (const c of clients) for (const field of ALIKE_FIELDS) c[field] = clients[0][field];
}

/** A fresh state; attributes then overwrite parts of it. */
export function initialState() {
  return {
    rule: '10/minute',        // the text as typed or set (may be invalid)
    validRule: '10/minute',   // the last valid rule: the one in force
    algorithm: 'fixed-window',
    compare: false,
    speed: 1,
    seed: 1,
    epoch: DEFAULT_EPOCH,
    clients: [{ ...presetClient(0), pattern: 'manual', rate: 1 }],
    alike: false,             // every client sends and retries as the first one does
    keyFunc: 'remote',
    root: { exempt: false, overrideDefaults: true },
    routes: [],               // further routes: {path, limit, exempt, overrideDefaults}
    defaultLimits: '',
    applicationLimits: '',
    customErrorHandler: false,  // @app.errorhandler(429): a plain-text 429 instead of Werkzeug's page
    workers: 1,               // worker processes, each with its own memory:// storage
    proxy: 'direct',          // one of PROXY_MODES' keys: what stands between clients and Flask
  };
}

/** Deployments the Flask panel offers, and what get_remote_address sees in each. */
export const PROXY_MODES = {
  direct: 'No proxy',                        // each client's own address
  'no-proxyfix': 'Proxy, no ProxyFix',        // the proxy's address for everyone
  'trusted-xff': 'Trusts X-Forwarded-For',    // the header's value; the first client forges it
};
// The address every request comes from when a proxy stands in front and ProxyFix is missing.
export const PROXY_ADDRESS = '10.0.0.254';

/**
 * The Limiter's own key function as the engine runs it (it counts the default and application
 * limits): the remote address, except that behind a proxy without ProxyFix that is the proxy's,
 * and a key function trusting X-Forwarded-For reads that header (whose value the client chose).
 */
function limiterKeyFunc(proxy) {
  if (proxy === 'no-proxyfix') return `const:${PROXY_ADDRESS}`;
  if (proxy === 'trusted-xff') return 'header:X-Forwarded-For';
  return 'remote';
}

/** The routes' key function as the engine runs it: the chosen one, the remote address as deployed. */
function deployedKeyFunc(state) {
  return state.keyFunc === 'remote' ? limiterKeyFunc(state.proxy) : keyFuncSpec(state.keyFunc);
}

/** The engine's and the scenario format's name of a key function. */
export function keyFuncSpec(keyFunc) {
  if (keyFunc === 'header') return 'header:X-Api-Key';
  if (keyFunc === 'constant') return 'const:global';
  return 'remote';
}

export const splitLimits = (text) => (text.trim() ? [text.trim()] : []);

/**
 * The config object the engine's Simulation constructor takes.
 * @param {ReturnType<typeof initialState>} state
 * @param {string[]} algorithmNames  every algorithm, in the engine's order
 */
export function simulationConfig(state, algorithmNames) {
  const keyFunc = deployedKeyFunc(state);
  const limit = (text, overrideDefaults) => ({ limit: text, overrideDefaults, keyFunc });
  const routes = [
    { path: '/', exempt: state.root.exempt, limits: [limit(state.validRule, state.root.overrideDefaults)] },
    ...state.routes.map((r) => ({
      path: r.path,
      exempt: r.exempt,
      limits: r.limit.trim() ? [limit(r.limit.trim(), r.overrideDefaults)] : [],
    })),
  ];
  const lanes = state.compare
    ? [state.algorithm, ...algorithmNames.filter((name) => name !== state.algorithm)]
    : [state.algorithm];
  return {
    app: {
      routes,
      defaultLimits: splitLimits(state.defaultLimits),
      applicationLimits: splitLimits(state.applicationLimits),
      keyFunc: limiterKeyFunc(state.proxy),
      customErrorHandler: state.customErrorHandler,
    },
    lanes,
    clients: state.clients.map((c, i) => ({
      key: c.key,
      path: c.path,
      cost: 1,
      // Through the proxy an honest client's X-Forwarded-For is its own address.
      headers: state.proxy === 'trusted-xff' ? { 'X-Api-Key': c.apiKey, 'X-Forwarded-For': c.key } : { 'X-Api-Key': c.apiKey },
      spoofsForwardedFor: state.proxy === 'trusted-xff' && i === 0,
      pattern: c.pattern,
      rate: c.rate,
      period: 10,
      retry: c.retry,
    })),
    seed: state.seed,
    epoch: state.epoch,
    workers: state.workers,
  };
}

/** A Python string literal. */
export const py = (text) => JSON.stringify(text);

/**
 * The Flask app the playground simulates, as Python source (for reading and copying).
 * @param {ReturnType<typeof initialState>} state
 * @param {{name: string, flaskLimiter: boolean, semantics: string}} algorithm
 * @param {(paths: string[]) => string[]} endpointNames  the engine's names of the routes' views
 *   (the scope in their storage keys)
 */
export function flaskSource(state, algorithm, endpointNames) {
  // What the remote address is depends on what stands in front of Flask (the Flask panel's proxy).
  const keyFunc = state.proxy === 'trusted-xff' ? 'forwarded_for' : 'get_remote_address';
  // Only what the app uses is imported, so it reads clean under a linter.
  const lines = [keyFunc === 'forwarded_for' || state.keyFunc === 'header' ? 'from flask import Flask, request' : 'from flask import Flask',
    'from flask_limiter import Limiter',
    ...(keyFunc === 'get_remote_address' ? ['from flask_limiter.util import get_remote_address'] : []), ''];
  if (state.workers > 1) {
    lines.push(`# Served by ${state.workers} worker processes (gunicorn -w ${state.workers} app:app): each has its own`,
      `# memory:// storage, so a client can get up to ${state.workers} times every limit. Give them one shared`,
      '# storage (storage_uri="redis://localhost:6379") to enforce each limit once.', '');
  }
  lines.push('app = Flask(__name__)');
  if (state.proxy === 'no-proxyfix') {
    lines.push('# Behind a reverse proxy without ProxyFix, request.remote_addr is the proxy\'s address for',
      '# every client, so they all share one counter. The fix, for one proxy in front:',
      '# from werkzeug.middleware.proxy_fix import ProxyFix',
      '# app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1)');
  } else if (keyFunc === 'forwarded_for') {
    lines.push('', 'def forwarded_for():',
      '    # Trusts X-Forwarded-For blindly: any client can send any value and pick its own key.',
      '    # ProxyFix(app.wsgi_app, x_for=1) with get_remote_address reads only what the proxy added.',
      '    return request.headers.get("X-Forwarded-For", request.remote_addr)', '');
  }
  lines.push('limiter = Limiter(', `    ${keyFunc},`, '    app=app,');
  const defaults = splitLimits(state.defaultLimits);
  const application = splitLimits(state.applicationLimits);
  if (defaults.length) lines.push(`    default_limits=[${defaults.map(py).join(', ')}],`);
  if (application.length) lines.push(`    application_limits=[${application.map(py).join(', ')}],`);
  if (algorithm.flaskLimiter) {
    lines.push(`    strategy=${py(algorithm.name)},`);
  } else {
    lines.push(`    # strategy=${py(algorithm.name)}: not a Flask-Limiter 3.3 strategy; the playground`);
    lines.push(`    # runs this app with ${algorithm.semantics} semantics instead.`);
  }
  lines.push('    headers_enabled=True,', '    storage_uri="memory://",', ')', '');
  if (state.customErrorHandler) {
    lines.push('@app.errorhandler(429)', 'def ratelimit_handler(e):',
      '    return f"rate limited: {e.description}", 429', '');
  }
  if (state.keyFunc === 'header') {
    lines.push('def api_key():', '    return request.headers.get("X-Api-Key", "")  # "" skips the limit', '');
  }
  const keyArg = state.keyFunc === 'header' ? ', key_func=api_key'
    : state.keyFunc === 'constant' ? ', key_func=lambda: "global"' : '';
  const route = (path, limitText, exempt, overrideDefaults, name) => {
    lines.push(`@app.route(${py(path)})`);
    if (exempt) lines.push('@limiter.exempt');
    if (limitText) {
      const override = overrideDefaults ? '' : ', override_defaults=False';
      lines.push(`@limiter.limit(${py(limitText)}${keyArg}${override})`);
    }
    lines.push(`def ${name}():`, '    return "ok"', '');
  };
  const [index, ...names] = endpointNames(['/', ...state.routes.map((r) => r.path)]);
  route('/', state.validRule, state.root.exempt, state.root.overrideDefaults, index);
  state.routes.forEach((r, i) => route(r.path, r.limit.trim(), r.exempt, r.overrideDefaults, names[i]));
  return lines.join('\n').trimEnd();
}
