// The response log: the newest responses of the primary lane with status, client, path, time
// and every Flask-Limiter header. Rows are selectable (click, or arrow keys with a roving
// focus) to open "Why this answer".
import { h, setText, uniqueId, formatSeconds } from './dom.js';
import { HEADER_NAMES } from './run.js';

const MAX_ROWS = 60;


// Labels of the header values when a row is shown as two lines (narrow layout).
const NARROW_LABELS = { 'X-RateLimit-Limit': 'limit', 'X-RateLimit-Remaining': 'left', 'X-RateLimit-Reset': 'reset', 'Retry-After': 'retry after' };
const STATUS_MARKS = { ok: '●', delayed: '◌', rejected: '✕', other: '■' };
const statusKind = (status, delay) => (status === 429 ? 'rejected' : status >= 300 ? 'other' : delay > 0 ? 'delayed' : 'ok');
const statusLabel = (status, delay) => (delay > 0 && status < 300 ? `${status} +${formatSeconds(delay)} s` : String(status));

/** A status badge that differs by shape as well as color. */
export function statusBadge(status, delay) {
  const kind = statusKind(status, delay);
  return h(`span.status.${kind}`, {}, h('span.status-mark', { 'aria-hidden': 'true', text: STATUS_MARKS[kind] }),
    h('span', { text: statusLabel(status, delay) }));
}

export class ResponseLog {
  /** @param {{onSelect: (index: number) => void}} handlers */
  constructor({ onSelect }) {
    this.onSelect = onSelect;
    const id = uniqueId('log');
    this.body = h('div.log-body', { role: 'rowgroup', onkeydown: (e) => this.#key(e) });
    this.count = h('span.panel-note');
    this.empty = h('p.empty-note', { text: 'No requests yet. Press Send, or Play with a client that sends traffic.' });
    const head = (text, cls = '') => h(`span.log-th${cls}`, { role: 'columnheader', text });
    this.element = h('section.response-log', { 'aria-labelledby': `${id}-title` },
      h('div.panel-head', {}, h('h3.panel-title', { id: `${id}-title`, text: 'Responses' }), this.count),
      h('div.table-scroll', {},
        // A grid: its rows are picked (aria-selected), which a table's cannot be.
        h('div.log-table', { role: 'grid', 'aria-readonly': 'true', 'aria-labelledby': `${id}-title`, 'aria-describedby': `${id}-help` },
          h('div.log-head', { role: 'rowgroup' },
            h('div.log-group', { 'aria-hidden': 'true' }, h('span', { text: 'X-RateLimit-' })),
            h('div.log-row.log-header', { role: 'row' },
              head('#'), head('t (s)'), head('Client'), head('Request'), head('Status'),
              ...['Limit', 'Remaining', 'Reset'].map((n) => h('span.log-th', { role: 'columnheader', 'aria-label': `X-RateLimit-${n}`, text: n })),
              head('Retry-After'))),
          this.body)),
      h('p.visually-hidden', { id: `${id}-help`, text: 'Up and down arrows move between responses; the selected one is explained next to the log.' }),
      this.empty);
    this.rows = [];  // newest first: {index, tr}
    this.generation = -1;
    this.upTo = 0;
  }

  /**
   * Adds the responses decided since the last update (at most the newest MAX_ROWS). Rows are
   * recycled: the oldest row is refilled and moved to the top, so the DOM work per update is
   * proportional to the new responses, and the table never grows past MAX_ROWS.
   * @param {import('./run.js').Run} run
   * @returns {number} how many rows were added
   */
  update(run, colorOf, selected) {
    const ring = run.rings[0];
    if (run.generation !== this.generation || this.upTo > ring.end) {
      this.generation = run.generation;
      for (const row of this.rows) row.index = -1;
      this.upTo = Math.max(ring.start, ring.end - MAX_ROWS);
      for (const row of this.rows) row.tr.hidden = true;
    }
    let added = 0;
    if (ring.end > this.upTo) {
      const from = Math.max(this.upTo, ring.end - MAX_ROWS, ring.start);
      this.#add(run, from, ring.end, colorOf);
      added = ring.end - from;
      this.upTo = ring.end;
    }
    const shown = this.rows.filter((r) => r.index >= 0).length;
    setText(this.count, ring.end ? `newest ${shown} of ${ring.end}` : '');
    this.empty.hidden = ring.end > 0;
    this.select(selected);
    return added;
  }

  #add(run, from, to, colorOf) {
    const ring = run.rings[0];
    const fresh = [];
    for (let i = from; i < to; i++) {
      const row = this.rows.length + fresh.length >= MAX_ROWS ? this.rows.pop() : this.#row();
      this.#fill(row, run, ring, i, colorOf);
      fresh.push(row);
    }
    fresh.reverse();
    this.rows = fresh.concat(this.rows);
    this.body.prepend(...fresh.map((r) => r.tr));
  }

  #row() {
    const cell = (cls = '') => h(`span.log-td${cls}`, { role: 'gridcell' });
    const cells = {
      number: cell('.num'), t: cell('.num'), swatch: h('span.swatch', { 'aria-hidden': 'true' }), key: h('span.log-key'),
      retryCount: h('span'), manual: h('span.tag', { text: 'by hand' }), request: h('code'),
      status: h('span.status'), statusMark: h('span.status-mark', { 'aria-hidden': 'true' }), statusText: h('span'),
      headers: HEADER_NAMES.map((name) => {
        const c = cell('.num.hdr');
        c.dataset.label = NARROW_LABELS[name];
        return c;
      }),
    };
    // "↻ 3" for the third retry: short enough to stay beside any address in a narrow log.
    cells.retry = h('span.tag', {}, h('span', { 'aria-hidden': 'true', text: '↻ ' }),
      h('span.visually-hidden', { text: 'retry ' }), cells.retryCount);
    cells.status.append(cells.statusMark, cells.statusText);
    const row = { index: -1, cells };
    const client = cell('.log-client');
    client.append(cells.swatch, cells.key, cells.retry, cells.manual);
    const request = cell();
    request.append(cells.request);
    const status = cell();
    status.append(cells.status);
    row.tr = h('div.log-row', { role: 'row', tabindex: '-1', onclick: () => { if (row.index >= 0) this.onSelect(row.index); } },
      cells.number, cells.t, client, request, status, ...cells.headers);
    return row;
  }

  #fill(row, run, ring, i, colorOf) {
    const slot = ring.slot(i);
    const response = run.response(0, i);
    const c = row.cells;
    row.index = i;
    row.tr.hidden = false;
    row.tr.dataset.index = String(i);
    c.number.textContent = String(i + 1);
    c.t.textContent = ring.t[slot].toFixed(3);
    c.swatch.style.background = colorOf(ring.key[slot]);
    c.key.textContent = run.keyName(ring.key[slot]);
    c.retry.hidden = !ring.attempt[slot];
    c.retryCount.textContent = String(ring.attempt[slot]);
    c.manual.hidden = !ring.manual[slot];
    c.request.textContent = `GET ${run.pathOf(0, i)}`;
    const kind = statusKind(response.status, response.delay);
    c.status.className = `status ${kind}`;
    c.statusMark.textContent = STATUS_MARKS[kind];
    c.statusText.textContent = statusLabel(response.status, response.delay);
    HEADER_NAMES.forEach((name, k) => { c.headers[k].textContent = response.headers[name] ?? '—'; });
  }

  /** Marks the selected row and makes it the one Tab lands on. */
  select(index) {
    let focusable = false;
    for (const row of this.rows) {
      if (row.index < 0) continue;
      const on = row.index === index;
      if (on !== (row.tr.getAttribute('aria-selected') === 'true')) row.tr.setAttribute('aria-selected', String(on));
      row.tr.tabIndex = on ? 0 : -1;
      focusable ||= on;
    }
    if (!focusable && this.rows.length && this.rows[0].index >= 0) this.rows[0].tr.tabIndex = 0;
  }

  #key(event) {
    const keys = { ArrowDown: 1, ArrowUp: -1, Home: -Infinity, End: Infinity };
    if (!(event.key in keys) && event.key !== 'Enter' && event.key !== ' ') return;
    const visible = this.rows.filter((r) => r.index >= 0);
    const current = visible.findIndex((r) => r.tr === event.target);
    if (current < 0) return;
    event.preventDefault();
    event.stopPropagation();
    let next = current;
    if (event.key in keys) next = Math.max(0, Math.min(visible.length - 1, current + keys[event.key]));
    const row = visible[next];
    row.tr.focus();
    this.onSelect(row.index);
  }
}
