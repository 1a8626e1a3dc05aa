// "Why this answer": for the selected request, the limits in Flask-Limiter's check
// order (charged, tested, skipped or breached, with the comparison that decided and the
// storage key), and the response's headers in both generations: Flask-Limiter's X-RateLimit-*
// with Retry-After, and the IETF draft-11 RateLimit-Policy / RateLimit fields.
import { h, keepingFocus, uniqueId, formatSeconds, scrollToTop } from './dom.js';
import { ALGORITHM_LABELS } from './config.js';
import { HEADER_NAMES } from './run.js';
import { statusBadge } from './response-log.js';

const RESULTS = {
  charged: { mark: '✓', text: 'charged' },
  breached: { mark: '✕', text: 'breached' },
  tested: { mark: '?', text: 'tested (deduct_when)' },
  deducted: { mark: '✓', text: 'deducted after the response' },
  not_deducted: { mark: '–', text: 'not deducted' },
  skipped_method: { mark: '–', text: 'skipped: method not limited' },
  skipped_empty_key: { mark: '–', text: 'skipped: empty key' },
  not_reached: { mark: '·', text: 'not reached' },
};
const CHECKPOINTS = { before_request: 'before_request', view: 'view', after_request: 'after_request' };
const SOURCES = { application: 'application limit', default: 'default limit', route: '@limiter.limit', shared: 'shared limit' };
const REASONS = { 200: 'OK', 404: 'Not Found', 405: 'Method Not Allowed', 429: 'Too Many Requests', 500: 'Internal Server Error' };

/** Text with line-break opportunities after each ";" and ",", for structured header values. */
function breakable(text) {
  const parts = [];
  for (const piece of text.split(/(?<=[;,])/)) parts.push(piece, h('wbr'));
  return parts;
}

export class WhyPanel {
  /** @param {{onSelect: (lane: number, index: number) => void}} handlers  shows another request */
  constructor(handlers) {
    this.handlers = handlers;
    const id = uniqueId('why');
    this.title = h('h3.panel-title', { id: `${id}-title`, text: 'Why this answer' });
    this.content = h('div.why-content');
    this.element = h('section.why-panel', { 'aria-labelledby': `${id}-title` },
      h('div.panel-head', {}, this.title), this.content);
    this.show(null);
  }

  /** Brings the panel into view and the keyboard to what it shows (its summary, once there is one). */
  reveal() {
    scrollToTop(this.element);
    (this.content.querySelector('.why-summary') ?? this.title).focus({ preventScroll: true });
  }

  /**
   * @param {null | {lane: number, algorithm: string, bucket: boolean, index: number, t: number, key: string,
   *   path: string, attempt: number, manual: boolean, response: any,
   *   previous?: {index: number, t: number, retryAfter?: string}, retry?: string} | {pending: true}} info
   *   `bucket`: the algorithm is one of the bucket family (the engine's algorithms() says);
   *   `previous`: for a retry, the refused attempt it repeats (when still kept); `retry`: what
   *   its client does on a 429, in words
   */
  show(info) {
    if (!info) {
      this.content.replaceChildren(h('p.empty-note', { text: 'Select a request in the timeline or the response log to see each limit it was checked against and every header it got.' }));
      return;
    }
    if (info.pending) {
      this.content.replaceChildren(h('p.empty-note', { text: 'Recomputing this response from the seed…' }));
      return;
    }
    const r = info.response;
    const summary = h('p.why-summary', { tabindex: '-1' },
      statusBadge(r.status, r.delay),
      h('span', { text: ` ${REASONS[r.status] ?? ''} · request #${info.index + 1} · ${info.key} → GET ${info.path} · ` }),
      h('span.nowrap', { text: `t = ${info.t.toFixed(3)} s` }),
      info.attempt ? h('span.tag', { text: `retry ${info.attempt}` }) : null,
      info.manual ? h('span.tag', { text: 'by hand' }) : null,
      h('span.tag', { text: ALGORITHM_LABELS[info.algorithm] ?? info.algorithm }));
    const trace = r.trace.length
      ? h('ol.trace', {}, ...r.trace.map((c) => {
        const result = RESULTS[c.result] ?? { mark: '·', text: c.result };
        return h(`li.check.${c.result}`, {},
          h('span.check-mark', { 'aria-hidden': 'true', text: result.mark }),
          h('div.check-body', {},
            h('div.check-head', {},
              h('strong', { text: c.limit }),
              h('span.check-result', { text: result.text }),
              h('span.check-meta', { text: `${SOURCES[c.source] ?? c.source} · ${CHECKPOINTS[c.checkpoint] ?? c.checkpoint} · cost ${c.cost}` })),
            c.detail ? h('div.check-detail', { text: c.detail }) : null,
            h('code.storage-key', { text: c.key })));
      }))
      : h('p.empty-note', { text: 'No limit applied to this request.' });
    const legacy = HEADER_NAMES.filter((n) => n in r.headers);
    const headers = h('div.headers', {},
      h('div.header-gen', {},
        h('h4', { text: 'Flask-Limiter (X-RateLimit-*)' }),
        legacy.length
          ? h('dl', {}, ...legacy.flatMap((n) => [h('dt', { text: `${n}:` }), h('dd', { text: r.headers[n] })]))
          : h('p.empty-note', { text: 'none' })),
      h('div.header-gen', {},
        h('h4', { text: 'IETF draft-11 (not sent by Flask-Limiter)' }),
        r.ratelimitPolicy || r.ratelimit
          ? h('dl', {},
            h('dt', { text: 'RateLimit-Policy:' }), h('dd', {}, ...breakable(r.ratelimitPolicy)),
            h('dt', { text: 'RateLimit:' }), h('dd', {}, ...breakable(r.ratelimit)))
          : h('p.empty-note', { text: 'none' })));
    const limitLine = r.limit ? h('p.why-limit', { text: `The headers describe ${r.limit}.` }) : null;
    // Where Retry-After says more than the wait before the next request fits.
    const longWait = !('Retry-After' in r.headers) ? null
      : info.bucket ? 'Retry-After counts to when the whole burst is back (a full bucket): the app derives it from the reset, as Flask-Limiter does. '
        + 'The next request may fit much sooner: see the check above.'
      : info.algorithm === 'moving-window' && r.status === 429 ? 'Retry-After counts to when the whole quota is back (the newest logged hit '
        + 'leaves the window), as limits gives the moving window\'s reset. A slot frees when the oldest leaves, which can be much sooner: '
        + 'the picture marks it.'
      : null;
    const longWaitLine = longWait ? h('p.why-limit.why-long-wait', { text: longWait }) : null;
    const previous = info.previous;
    const retryLine = previous ? h('p.why-retry', {},
      h('span', { text: `Sent again ${formatSeconds(info.t - previous.t)} s after the 429 at t = ${previous.t.toFixed(3)} s`
        + `${previous.retryAfter === undefined ? '' : `, which said Retry-After: ${previous.retryAfter}`}`
        + `${info.retry ? `. On 429, this client: ${info.retry}.` : '.'} ` }),
      h('button.why-previous', { type: 'button', text: 'Show that 429', onclick: () => this.handlers.onSelect(info.lane, previous.index) }))
      : null;
    const delay = r.delay > 0 ? h('p.why-limit', { text: `The queue held this request ${formatSeconds(r.delay)} s before the app served it.` }) : null;
    // Show that 429 replaces what it is in: focus goes to the summary of the request it shows.
    keepingFocus(this.content, () => this.content.replaceChildren(...[summary, retryLine,
      h('h4.sub-title', { text: 'Limits in check order' }), trace, limitLine, delay,
      h('h4.sub-title', { text: 'Headers' }), headers, longWaitLine,
      h('details.body', {}, h('summary', { text: 'Response body' }), h('pre', { text: r.body }))].filter(Boolean)), () => summary);
  }
}
