// A canvas timeline of one lane's requests. Sparse ranges draw every request (allowed = filled
// circle in the client's color, 429 = red cross, delayed = hollow circle with a tail to its
// release, other statuses = grey square; retries smaller); dense ranges draw per-pixel columns
// (allowed bars up, 429 bars down in red) from bins kept incrementally, so the cost per frame
// depends on the canvas width, not on the request rate.
import { h, formatTick, niceStep } from './dom.js';

const BIN_SLOTS = 4096;
const CLASS_OK = 0;
const CLASS_REJECTED = 1;
const CLASS_OTHER = 2;

/** Request counts per (time bin, row, class), anchored to absolute time, kept in a ring. */
class ColumnBins {
  constructor(rows) {
    this.rows = rows;
    this.counts = new Uint32Array(BIN_SLOTS * rows * 3);
    this.ids = new Float64Array(BIN_SLOTS).fill(NaN);
    this.width = 0;
    this.generation = -1;
    this.upTo = 0;
  }

  /** Brings the bins up to date with the ring (rebuilding when the bin width or run changed). */
  sync(ring, generation, width, from, rowOf) {
    if (width !== this.width || generation !== this.generation || this.upTo < ring.start || this.upTo > ring.end) {
      this.width = width;
      this.generation = generation;
      this.ids.fill(NaN);
      this.upTo = Math.max(ring.start, ring.lowerBound(from));
    }
    const stride = this.rows * 3;
    for (let i = this.upTo; i < ring.end; i++) {
      const slot = ring.slot(i);
      const k = Math.floor(ring.t[slot] / width);
      const b = ((k % BIN_SLOTS) + BIN_SLOTS) % BIN_SLOTS;
      if (this.ids[b] !== k) {
        this.ids[b] = k;
        this.counts.fill(0, b * stride, (b + 1) * stride);
      }
      const status = ring.status[slot];
      const cls = status === 429 ? CLASS_REJECTED : status < 300 ? CLASS_OK : CLASS_OTHER;
      this.counts[b * stride + rowOf(ring.key[slot]) * 3 + cls] += 1;
    }
    this.upTo = ring.end;
  }

  /** The counts array offset of bin k, or -1 when the bin holds nothing. */
  offset(k) {
    const b = ((k % BIN_SLOTS) + BIN_SLOTS) % BIN_SLOTS;
    return this.ids[b] === k ? b * this.rows * 3 : -1;
  }
}

export class Timeline {
  /**
   * @param {{rows: number, gutter: number, rowHeight: number, label: string, axisLabels?: boolean,
   *          onPick: (index: number) => void, onKey: (event: KeyboardEvent) => void}} options
   */
  constructor({ rows, gutter, rowHeight, label, axisLabels = true, onPick, onKey }) {
    this.maxRows = rows;
    this.gutter = gutter;
    this.rowHeight = rowHeight;
    this.axisLabels = axisLabels;
    this.axisHeight = axisLabels ? 20 : 2;
    this.canvas = h('canvas.timeline-canvas', {
      tabindex: '0', role: 'application', 'aria-label': label,  // it takes the arrow keys
      // (a click is a PointerEvent, with its pointerType, only in recent browsers)
      onpointerdown: (e) => { this.pointerType = e.pointerType; },
      onclick: (e) => this.#pick(e, onPick),
      onkeydown: (e) => onKey(e),
    });
    this.element = h('div.timeline', {}, this.canvas);
    this.bins = new ColumnBins(rows);
    this.cssWidth = 0;
    this.last = null;
    new ResizeObserver(() => this.#resize()).observe(this.element);
  }

  #resize() {
    const width = Math.round(this.element.clientWidth);
    if (!width || width === this.cssWidth) return;
    this.cssWidth = width;
    this.#size();
    if (this.last) this.draw(this.last);
  }

  #size() {
    const dpr = window.devicePixelRatio || 1;
    const height = this.rowsShown * this.rowHeight + this.axisHeight + 4;
    this.cssHeight = height;
    this.canvas.width = Math.round(this.cssWidth * dpr);
    this.canvas.height = Math.round(height * dpr);
    this.canvas.style.height = `${height}px`;
    this.dpr = dpr;
  }

  /**
   * @param {{ring: any, generation: number, t0: number, t1: number, now: number,
   *          rows: {label: string, color: string}[], rowOf: (key: number) => number,
   *          colorOf: (key: number) => string, selected: number, palette: any}} p
   */
  draw(p) {
    this.last = p;
    if (!this.cssWidth) return;
    if (p.rows.length !== this.rowsShown) {
      this.rowsShown = p.rows.length;
      this.#size();
    }
    const ctx = this.canvas.getContext('2d');
    const { palette } = p;
    ctx.setTransform(this.dpr, 0, 0, this.dpr, 0, 0);
    ctx.clearRect(0, 0, this.cssWidth, this.cssHeight);
    const left = this.gutter && this.cssWidth < 520 ? Math.min(this.gutter, 78) : this.gutter;
    const right = this.cssWidth - 6;
    const plot = right - left;
    const span = p.t1 - p.t0;
    const x = (t) => left + ((t - p.t0) / span) * plot;
    const rh = this.rowHeight;
    const axisY = this.rowsShown * rh + 2;

    // Rows and labels.
    if (this.axisLabels || left > 0) {
      ctx.font = '12px system-ui, sans-serif';
      ctx.textBaseline = 'middle';
    }
    p.rows.forEach((row, r) => {
      if (r % 2 === 1) {
        ctx.fillStyle = palette.stripe;
        ctx.fillRect(left, r * rh, plot, rh);
      }
      if (left > 0) {
        ctx.fillStyle = row.color;
        ctx.beginPath();
        ctx.arc(10, r * rh + rh / 2, 4, 0, Math.PI * 2);
        ctx.fill();
        ctx.fillStyle = palette.muted;
        ctx.fillText(row.label, 20, r * rh + rh / 2, left - 24);
      }
    });

    // Time axis (seconds since the start of the run).
    ctx.strokeStyle = palette.grid;
    ctx.fillStyle = palette.muted;
    ctx.lineWidth = 1;
    ctx.textAlign = 'center';
    const step = niceStep(span / Math.max(2, plot / 90));
    ctx.beginPath();
    for (let t = Math.ceil(Math.max(0, p.t0) / step) * step; t <= p.t1; t += step) {
      const xt = Math.round(x(t)) + 0.5;
      ctx.moveTo(xt, 0);
      ctx.lineTo(xt, axisY);
      if (!this.axisLabels) continue;
      // A label the canvas's edge would cut ("2 mi") is left out: the grid line still marks it.
      const label = formatTick(t);
      if (xt + ctx.measureText(label).width / 2 <= this.cssWidth) ctx.fillText(label, xt, axisY + 11);
    }
    ctx.stroke();
    ctx.textAlign = 'left';

    const ring = p.ring;
    const first = ring.lowerBound(p.t0);
    const end = ring.lowerBound(p.t1);
    const visible = end - first;
    ctx.save();
    ctx.beginPath();
    ctx.rect(left, 0, plot, axisY);
    ctx.clip();
    // Every request as a mark while they fit (overlap within a burst is fine); columns beyond.
    const sparse = visible <= Math.min(plot * 0.6, 450);
    if (sparse) this.#drawMarks(ctx, p, x, first, end);
    else this.#drawColumns(ctx, p, x, left, plot);

    // Now, and the selected request.
    ctx.strokeStyle = palette.now;
    ctx.lineWidth = 1.5;
    ctx.beginPath();
    ctx.moveTo(Math.round(x(p.now)) + 0.5, 0);
    ctx.lineTo(Math.round(x(p.now)) + 0.5, axisY);
    ctx.stroke();
    if (p.selected >= 0 && ring.has(p.selected)) {
      const slot = ring.slot(p.selected);
      const xs = x(ring.t[slot]);
      const ys = p.rowOf(ring.key[slot]) * rh + rh / 2;
      ctx.strokeStyle = palette.focus;
      ctx.lineWidth = 2;
      ctx.beginPath();
      ctx.arc(xs, ys, 9, 0, Math.PI * 2);
      ctx.stroke();
    }
    ctx.restore();
    this.view = { left, plot, t0: p.t0, span, sparse };
  }

  #drawMarks(ctx, p, x, first, end) {
    const { ring, palette } = p;
    const rh = this.rowHeight;
    const filled = new Map();
    const hollow = new Map();
    const crosses = new Path2D();
    const others = new Path2D();
    const path = (map, color) => {
      let path2d = map.get(color);
      if (!path2d) map.set(color, (path2d = new Path2D()));
      return path2d;
    };
    // Start earlier for the tails of delayed requests that arrived before the range.
    const from = Math.max(ring.lowerBound(p.t0 - (p.t1 - p.t0)), first - 2000);
    for (let i = from; i < end; i++) {
      const slot = ring.slot(i);
      const t = ring.t[slot];
      const delay = ring.delay[slot];
      if (i < first && t + delay < p.t0) continue;
      const key = ring.key[slot];
      const y = p.rowOf(key) * rh + rh / 2;
      const xi = x(t);
      const retry = ring.attempt[slot] > 0;
      const status = ring.status[slot];
      const color = p.colorOf(key);
      if (status === 429) {
        const a = retry ? 3 : 4.5;
        crosses.moveTo(xi - a, y - a);
        crosses.lineTo(xi + a, y + a);
        crosses.moveTo(xi + a, y - a);
        crosses.lineTo(xi - a, y + a);
      } else if (status >= 300) {
        others.rect(xi - 3.5, y - 3.5, 7, 7);
      } else if (delay > 0) {
        const r = retry ? 3 : 4.5;
        const hp = path(hollow, color);
        hp.moveTo(xi + r, y);
        hp.arc(xi, y, r, 0, Math.PI * 2);
        const xr = x(t + delay);
        hp.moveTo(xi + r, y);
        hp.lineTo(xr - 2, y);
        const fp = path(filled, color);
        fp.moveTo(xr + 2, y);
        fp.arc(xr, y, 2, 0, Math.PI * 2);
      } else {
        const r = retry ? 3 : 4.5;
        const fp = path(filled, color);
        fp.moveTo(xi + r, y);
        fp.arc(xi, y, r, 0, Math.PI * 2);
      }
    }
    for (const [color, p2] of filled) {
      ctx.fillStyle = color;
      ctx.fill(p2);
    }
    ctx.lineWidth = 1.5;
    for (const [color, p2] of hollow) {
      ctx.strokeStyle = color;
      ctx.stroke(p2);
    }
    ctx.strokeStyle = palette.rejected;
    ctx.lineWidth = 2;
    ctx.stroke(crosses);
    ctx.strokeStyle = palette.muted;
    ctx.lineWidth = 1.5;
    ctx.stroke(others);
  }

  #drawColumns(ctx, p, x, left, plot) {
    const { ring, palette } = p;
    const rh = this.rowHeight;
    const width = (2 * (p.t1 - p.t0)) / plot;  // seconds per bin: two css pixels
    this.bins.sync(ring, p.generation, width, p.t0 - (p.t1 - p.t0), p.rowOf);
    const k0 = Math.floor(p.t0 / width);
    const k1 = Math.ceil(p.t1 / width);
    const rows = this.rowsShown;
    const max = new Uint32Array(rows);
    for (let k = k0; k <= k1; k++) {
      const o = this.bins.offset(k);
      if (o < 0) continue;
      for (let r = 0; r < rows; r++) {
        const total = Math.max(this.bins.counts[o + r * 3 + CLASS_OK], this.bins.counts[o + r * 3 + CLASS_REJECTED] + this.bins.counts[o + r * 3 + CLASS_OTHER]);
        if (total > max[r]) max[r] = total;
      }
    }
    // Whole-pixel rectangles: no anti-aliasing, so rasterising thousands stays cheap.
    const ok = p.rows.map(() => new Path2D());
    const rejected = new Path2D();
    const other = new Path2D();
    const half = Math.floor(rh / 2 - 3);
    for (let k = k0; k <= k1; k++) {
      const o = this.bins.offset(k);
      if (o < 0) continue;
      const xk = Math.round(x(k * width));
      for (let r = 0; r < rows; r++) {
        if (!max[r]) continue;
        const mid = r * rh + Math.round(rh / 2);
        const a = this.bins.counts[o + r * 3 + CLASS_OK];
        const b = this.bins.counts[o + r * 3 + CLASS_REJECTED];
        const c = this.bins.counts[o + r * 3 + CLASS_OTHER];
        if (a) { const hgt = Math.max(1, Math.round((half * a) / max[r])); ok[r].rect(xk, mid - hgt, 2, hgt); }
        if (b) { const hgt = Math.max(1, Math.round((half * b) / max[r])); rejected.rect(xk, mid + 1, 2, hgt); }
        if (c) { const hgt = Math.max(1, Math.round((half * c) / max[r])); other.rect(xk, mid + 1, 2, hgt); }
      }
    }
    ok.forEach((path, r) => {
      ctx.fillStyle = p.rows[r].color;
      ctx.fill(path);
    });
    ctx.fillStyle = palette.rejected;
    ctx.fill(rejected);
    ctx.fillStyle = palette.muted;
    ctx.fill(other);
    ctx.strokeStyle = palette.grid;
    ctx.lineWidth = 1;
    ctx.beginPath();
    for (let r = 0; r < rows; r++) {
      ctx.moveTo(left, r * rh + rh / 2 + 0.5);
      ctx.lineTo(left + plot, r * rh + rh / 2 + 0.5);
    }
    ctx.stroke();
  }

  /**
   * Finds the request under a click: the nearest one in the clicked row within a few pixels, more
   * under a finger (which covers the mark it aims at).
   */
  #pick(event, onPick) {
    const p = this.last;
    if (!p || !this.view) return;
    const rect = this.canvas.getBoundingClientRect();
    const cx = event.clientX - rect.left;
    const cy = event.clientY - rect.top;
    const { left, plot, t0, span } = this.view;
    const row = Math.floor(cy / this.rowHeight);
    const t = t0 + ((cx - left) / plot) * span;
    const ring = p.ring;
    const center = ring.lowerBound(t);
    let best = -1;
    let bestDx = (this.view.sparse ? 10 : 4) * (this.pointerType === 'touch' ? 2.5 : 1) * (span / plot);
    for (let i = Math.max(ring.start, center - 300); i < Math.min(ring.end, center + 300); i++) {
      const slot = ring.slot(i);
      if (this.rowsShown > 1 && p.rowOf(ring.key[slot]) !== row) continue;
      const dx = Math.abs(ring.t[slot] - t);
      if (dx <= bestDx) { bestDx = dx; best = i; }
    }
    if (best >= 0) onPick(best);
  }
}
