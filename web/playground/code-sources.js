// The playground's limits written for three other limiters, nginx's limit_req, Go's
// golang.org/x/time/rate and Express's express-rate-limit, and its first client's retry behaviour
// as a Python client, as text to read and copy (app.py comes from config.js). Each source says how
// it differs in one line, `note`.
//
// `limitsOf(text)` is the engine's parse of a rate string: [{amount, windowSeconds, text}].
import { py, RETRY_LABELS } from './config.js';

/** What each route enforces, Flask-Limiter's way: its own limit, the defaults, or nothing. */
function routeLimits(state) {
  const routes = [{ path: '/', limit: state.validRule, exempt: state.root.exempt, overrideDefaults: state.root.overrideDefaults },
    ...state.routes.map((r) => ({ ...r, limit: r.limit.trim() }))];
  return routes.map((r) => {
    const own = r.limit ? [r.limit] : [];
    const defaults = state.defaultLimits.trim() && (!r.limit || !r.overrideDefaults) ? [state.defaultLimits.trim()] : [];
    return { path: r.path, exempt: r.exempt, own, defaults };
  });
}

const NGINX_KEYS = { remote: '$binary_remote_addr', header: '$http_x_api_key', constant: '$server_name' };

/**
 * nginx's rate: whole requests per second or per minute, worked out in integers (1000 per minute
 * is exactly 1000r/m), with a comment when nginx cannot say it exactly (it has nothing slower
 * than 1r/m).
 */
function nginxRate({ amount, windowSeconds }) {
  const [perWindow, window] = [BigInt(amount), BigInt(windowSeconds)];
  if (perWindow >= window && perWindow % window === 0n) return { rate: `${perWindow / window}r/s`, comment: '' };
  if (perWindow * 60n % window === 0n) return { rate: `${perWindow * 60n / window}r/m`, comment: '' };
  const perMinute = amount * 60 / windowSeconds;
  if (perMinute < 1) {
    const times = 1 / perMinute;
    return { rate: '1r/m', comment: ` (1r/m is nginx's slowest rate: ${times < 10 ? times.toFixed(1) : Math.round(times)} times this one)` };
  }
  return { rate: `${Math.round(perMinute)}r/m`, comment: ` (rounded from ${perMinute.toFixed(2)}r/m)` };
}

/**
 * nginx.conf: a zone per limit (shared by every location for application limits), limit_req
 * with burst = the limit's amount − 1, and nodelay unless the page runs the leaky queue; 429
 * instead of nginx's default 503.
 * @returns {{text: string, note: string}}
 */
export function nginxSource(state, limitsOf, algorithm) {
  const queue = algorithm.name === 'leaky-queue';
  const key = NGINX_KEYS[state.keyFunc] ?? NGINX_KEYS.remote;
  const zones = [];
  const zone = (name, limit) => {
    if (limit.amount === 0) return `        return 429;  # ${limit.text}: nothing is admitted`;  // nginx has no rate of 0
    const { rate, comment } = nginxRate(limit);
    zones.push(`limit_req_zone ${key} zone=${name}:10m rate=${rate};  # ${limit.text}${comment}`);
    return `        limit_req zone=${name} burst=${limit.amount - 1}${queue ? '' : ' nodelay'};`;
  };
  const application = state.applicationLimits.trim() ? limitsOf(state.applicationLimits.trim()).map((l, i) => zone(`app_${i + 1}`, l)) : [];
  let several = false;  // a location with more than one limit_req
  const locations = routeLimits(state).map((r, ri) => {
    const lines = [`    location = ${r.path} {`];  // exact, as Flask matches a route (a prefix would limit /b/x too)
    if (!r.exempt) {
      lines.push(...application);
      [...r.own, ...r.defaults].forEach((text, gi) => {
        limitsOf(text).forEach((l, li) => lines.push(zone(`route${ri + 1}_${gi + 1}_${li + 1}`, l)));
      });
    }
    several ||= lines.filter((line) => line.includes('limit_req zone=')).length > 1;
    lines.push('        proxy_pass http://127.0.0.1:5000;', '    }');
    return lines.join('\n');
  });
  const text = [
    '# http { ... } context', ...zones, 'limit_req_status 429;', '',
    'server {', '    listen 80;', ...locations, '}',
  ].join('\n');
  const notes = {
    'leaky-queue': 'limit_req without nodelay is the leaky queue this page runs: one request goes through at once, up to burst more wait and are served one every window ÷ limit, and those beyond are refused; it sends no X-RateLimit headers.',
    'leaky-bucket': 'limit_req with nodelay is the leaky bucket this page runs: a meter that refuses what would overflow and lets the rest through at once; it sends no X-RateLimit headers.',
  };
  const note = notes[algorithm.name] ?? 'limit_req is a leaky bucket: after a burst of the limit it lets one request through every window ÷ limit, like the GCRA lane, not a counted window; it sends no X-RateLimit headers.';
  return {
    text,
    note: several ? `${note} Several limit_req in one location charge a request to all of them or to none; Flask-Limiter charges the limits before the one that refuses.` : note,
  };
}

const GO_KEYS = {
  remote: ['host, _, _ := net.SplitHostPort(r.RemoteAddr)', 'key := host'],
  header: ['key := r.Header.Get("X-Api-Key")', 'if key == "" { // Flask-Limiter skips a limit whose key is empty',
    '\tw.Write([]byte("ok"))', '\treturn', '}'],
  constant: ['key := "global"'],
};

/** A Go duration literal for `seconds`. */
function goDuration(seconds) {
  const ms = seconds * 1000;
  if (Number.isInteger(ms)) return ms % 1000 === 0 ? `${ms / 1000} * time.Second` : `${ms} * time.Millisecond`;
  return `${Math.round(seconds * 1e6)} * time.Microsecond`;
}

/**
 * main.go with net/http: per route and client, one rate.NewLimiter per limit, refilling one
 * token every window ÷ amount, holding `amount` tokens.
 * @returns {{text: string, note: string}}
 */
export function goSource(state, limitsOf) {
  const routes = routeLimits(state).map((r) => {
    const limits = r.exempt ? [] : [...r.own, ...r.defaults].flatMap((text) => limitsOf(text));
    // A limiter with no rate and no burst admits nothing, as an amount of 0 does.
    const makers = limits.map((l) => `\t\t\trate.NewLimiter(${l.amount === 0 ? '0, 0' : `rate.Every(${goDuration(l.windowSeconds / l.amount)}), ${l.amount}`}), // ${l.text}`);
    return [`\thttp.HandleFunc(${JSON.stringify(r.path)}, limited(func() []*rate.Limiter {`,
      `\t\treturn []*rate.Limiter{${makers.length ? '' : '}'}`, ...makers, ...(makers.length ? ['\t\t}'] : []), '\t}))'].join('\n');
  });
  const body = routes.join('\n');
  const key = GO_KEYS[state.keyFunc] ?? GO_KEYS.remote;
  // Go refuses to compile an import the file does not use.
  const imports = [key === GO_KEYS.remote && 'net', 'net/http', 'sync', body.includes('time.') && 'time'].filter(Boolean);
  const text = `package main

import (
${imports.map((name) => `\t"${name}"`).join('\n')}

\t"golang.org/x/time/rate"
)

// limited answers 429 when any of the client's limiters (made by newLimiters) has no token.
func limited(newLimiters func() []*rate.Limiter) http.HandlerFunc {
\tvar mu sync.Mutex
\tclients := map[string][]*rate.Limiter{}
\treturn func(w http.ResponseWriter, r *http.Request) {
\t\t${key.join('\n\t\t')}
\t\tmu.Lock()
\t\tlimiters, ok := clients[key]
\t\tif !ok {
\t\t\tlimiters = newLimiters()
\t\t\tclients[key] = limiters
\t\t}
\t\tmu.Unlock()
\t\tfor _, l := range limiters {
\t\t\tif !l.Allow() {
\t\t\t\thttp.Error(w, "rate limited", http.StatusTooManyRequests)
\t\t\t\treturn
\t\t\t}
\t\t}
\t\tw.Write([]byte("ok"))
\t}
}

func main() {
${body}
\thttp.ListenAndServe(":5000", nil)
}`;
  return {
    text,
    note: 'rate.Limiter is a token bucket that refills continuously (the token-bucket lane), not a counted window; it sends no X-RateLimit headers, and application limits are left out.',
  };
}

/** A single-quoted JavaScript string literal. */
const js = (text) => `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

/** A JavaScript number literal of milliseconds, with digit separators: 60_000. */
const jsMs = (seconds) => String(Math.round(seconds * 1000)).replace(/\B(?=(\d{3})+(?!\d))/g, '_');
// The memory store sweeps clients with setInterval(windowMs), which cannot wait longer.
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * server.js with Express and express-rate-limit: per route, one rateLimit middleware per limit,
 * in the order Flask-Limiter checks them, each counting a fixed window per client in its own
 * memory store; an application limit is one instance, shared by every route.
 * `checksOf(path)` is the engine's inspect() for a request to `path`: the limits it meets, in
 * check order, each with its `source` (application, default or route) and `limit`.
 * @returns {{text: string, note: string}}
 */
export function expressSource(state, checksOf, algorithm) {
  const trustsHeader = state.proxy === 'trusted-xff';
  const lines = ['// npm install express express-rate-limit', "const express = require('express');",
    `const { ${trustsHeader ? 'ipKeyGenerator, ' : ''}rateLimit } = require('express-rate-limit');`, ''];
  if (state.workers > 1) {
    lines.push(`// Run as ${state.workers} processes (node:cluster, pm2 -i ${state.workers}), each has its own memory store, so a`,
      `// client can get up to ${state.workers} times every limit: give them one shared store (rate-limit-redis).`, '');
  }
  lines.push('const app = express();');
  if (state.proxy === 'no-proxyfix') {
    lines.push("// Behind a reverse proxy, req.ip is the proxy's address for every client, so they all share", '// one counter, unless Express trusts the one proxy in front of it:',
      "// app.set('trust proxy', 1);");
  }
  lines.push('',
    "// One middleware per limit, each with its own memory store: a client's window opens at its first",
    '// request and lasts windowMs, and refused requests count too, as Flask-Limiter\'s fixed window.',
    'const limited = (limit, windowMs, options) =>',
    "  rateLimit({ limit, windowMs, standardHeaders: 'draft-8', legacyHeaders: true, ...options });");
  if (trustsHeader) {
    lines.push('// Trusts X-Forwarded-For blindly: any client can send any value and pick its own key.',
      "// app.set('trust proxy', 1) and express-rate-limit's own key (req.ip) read only what the proxy added.",
      "const forwardedFor = (req) => req.get('X-Forwarded-For') ?? ipKeyGenerator(req.ip);");
  }
  if (state.keyFunc === 'header') {
    lines.push("const apiKey = (req) => req.get('X-Api-Key') ?? '';");
  }
  lines.push("const ok = (req, res) => res.send('ok');", '');
  // Flask-Limiter's default key function counts the application and default limits; a route's
  // own limit uses the route's key function.
  const appKey = trustsHeader ? ['keyGenerator: forwardedFor'] : [];
  const routeKey = state.keyFunc === 'header' ? ['keyGenerator: apiKey', 'skip: (req) => !apiKey(req)']
    : state.keyFunc === 'constant' ? ["keyGenerator: () => 'global'"] : appKey;
  const middleware = ({ source, limit }) => {
    const options = [...(source === 'route' ? routeKey : appKey),
      ...(state.customErrorHandler ? [`message: ${js(`rate limited: ${limit.text}`)}`] : [])];
    const tooLong = limit.windowSeconds * 1000 > MAX_TIMER_MS ? ' (longer than the memory store can time: it would forget clients; use another store)' : '';
    return `limited(${limit.amount}, ${jsMs(limit.windowSeconds)}${options.length ? `, { ${options.join(', ')} }` : ''}), // ${limit.text}${tooLong}`;
  };
  const routes = routeLimits(state).map((r) => ({ path: r.path, exempt: r.exempt, checks: checksOf(r.path) }));
  // Every route meets the application limits in the same order: the i-th is everywhere[i].
  const application = routes.find((r) => !r.exempt)?.checks.filter((c) => c.source === 'application') ?? [];
  if (application.length) {
    lines.push('// Application limits: one counter per client across every route.',
      'const everywhere = [', ...application.map((c) => `  ${middleware(c)}`), '];', '');
  }
  for (const r of routes) {
    let shared = 0;
    const chain = r.checks.map((c) => (c.source === 'application'
      ? `  everywhere[${shared++}], // ${c.limit.text} (application)` : `  ${middleware(c)}`));
    lines.push(chain.length ? `app.all(${js(r.path)},` : `app.all(${js(r.path)}, ok);${r.exempt ? ' // exempt' : ''}`,
      ...(chain.length ? [...chain, '  ok);'] : []));
  }
  lines.push('', 'app.listen(5000);');
  const fixed = algorithm.name === 'fixed-window';
  return {
    text: lines.join('\n'),
    note: (fixed ? 'express-rate-limit counts as the fixed-window lane does, request for request'
      : `express-rate-limit has only fixed windows: this is the page's fixed-window lane, not ${algorithm.name}`) +
      "; each middleware sends its own limit's headers, Retry-After only with a 429, and keys IPv6 clients by their /56 network.",
  };
}

/** How long each retry behaviour waits after refused attempt `attempt`, as the body of wait(). */
const PYTHON_WAITS = {
  immediate: () => ['    # At once: the retry lands in the window that has just refused it.', '    return 0'],
  backoff: (s) => [`    # Full jitter: a random wait up to a ceiling that doubles with each attempt, at most ${s.backoffCap} s.`,
    `    return random.uniform(0, min(${s.backoffCap}, ${s.backoffBase} * 2 ** attempt))`],
  'retry-after': () => ['    # When the server says. Flask-Limiter rounds Retry-After down, so this can be a little early.',
    '    return int(response.headers["Retry-After"])'],
  'retry-after-jitter': () => ['    # Flask-Limiter rounds Retry-After down: one second more makes sure the window has ended,',
    '    # and up to one more at random keeps clients refused together from coming back together.',
    '    return int(response.headers["Retry-After"]) + 1 + random.random()'],
};

/**
 * client.py: the first client's requests with Python's requests library, retrying a 429 as the
 * client does in the page. `settings` is the engine's retrySettings(): the same numbers.
 * @returns {{text: string, note: string}}
 */
export function clientSource(state, settings) {
  const client = state.clients[0];
  const waits = PYTHON_WAITS[client.retry]?.(settings);  // none: the client ignores 429s
  const random = waits?.some((line) => line.includes('random.'));
  const get = `requests.get(url, ${state.keyFunc === 'header' ? 'headers=HEADERS, ' : ''}timeout=10)`;
  const lines = ['# pip install requests', `# Client 1 (${client.key}) on a 429: ${RETRY_LABELS[client.retry]}.`,
    ...(random ? ['import random'] : []), ...(waits ? ['import time'] : []), ...(random || waits ? [''] : []),
    'import requests', '', `URL = ${py(`http://localhost:5000${client.path}`)}`];
  if (state.keyFunc === 'header') lines.push(`HEADERS = {"X-Api-Key": ${py(client.apiKey)}}`);
  if (waits) {
    lines.push(`MAX_RETRIES = ${settings.maxRetries}`, '', '',
      'def wait(response, attempt):',
      '    """Seconds to wait after refused attempt `attempt` (0: the first try)."""',
      ...waits, '', '',
      'def get(url):',
      '    """GET url; after a 429, again when wait() says, at most MAX_RETRIES times."""',
      '    for attempt in range(MAX_RETRIES + 1):',
      `        response = ${get}`,
      '        if response.status_code != 429 or attempt == MAX_RETRIES:',
      '            return response',
      '        time.sleep(wait(response, attempt))');
  } else {
    lines.push('', '', 'def get(url):', '    """GET url once: a 429 is the answer, and the request is lost."""', `    return ${get}`);
  }
  lines.push('', '', 'if __name__ == "__main__":', '    response = get(URL)', '    print(response.status_code, response.text)');
  return {
    text: lines.join('\n'),
    note: `What client 1 does with a 429, in Python. In the page a retry also takes one round trip, ${settings.roundTrip * 1000} ms at least.`,
  };
}
