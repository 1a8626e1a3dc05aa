// Pictures of the bucket family, drawn from inspect() snapshots: the token bucket refilling,
// the leaky bucket draining, the leaky queue's waiting requests released at the rate, and GCRA's
// theoretical arrival time running ahead of now within the tolerance. Each has a gauge on the
// left and a time plot on the right.
import { s, setAttr, setText, trimNumber, formatSeconds } from './dom.js';
import { PictureFrame, PLOT, WIDE, NARROW, placeRect } from './picture-frame.js';

// Where the gauge and the chart sit, by viewBox width.
const LAYOUTS = {
  [WIDE]: { gaugeLeft: 40, gaugeRight: 150, chartLeft: 200 },
  [NARROW]: { gaugeLeft: 12, gaugeRight: 102, chartLeft: 128 },
};
const TOP = PLOT.top + 6;
const BOTTOM = PLOT.bottom - 2;

/** A bucket outline with a level, unit ticks and a falling drop (token in / water out). */
class BucketGauge {
  constructor(frame, kind) {
    this.kind = kind;
    const { gaugeLeft, gaugeRight } = LAYOUTS[frame.width];
    this.right = gaugeRight;
    const taper = 10;
    const outline = `M${gaugeLeft} ${TOP}L${gaugeLeft + taper} ${BOTTOM}H${gaugeRight - taper}L${gaugeRight} ${TOP}`;
    const clipId = `bucket-${Math.random().toString(36).slice(2)}`;
    this.level = s('rect', { x: gaugeLeft, width: gaugeRight - gaugeLeft, 'clip-path': `url(#${clipId})` });
    this.level.classList.add(kind === 'tokens' ? 'token-level' : 'water-level');
    this.ticks = s('path.unit-ticks');
    this.drop = s('circle.drop', { r: 5, cx: (gaugeLeft + gaugeRight) / 2 });
    this.value = s('text.gauge-value', { x: (gaugeLeft + gaugeRight) / 2, y: (TOP + BOTTOM) / 2 + 6, 'text-anchor': 'middle' });
    this.caption = s('text.gauge-caption', { x: (gaugeLeft + gaugeRight) / 2, y: BOTTOM + 32, 'text-anchor': 'middle' });
    frame.svg.append(
      s('defs', {}, s('clipPath', { id: clipId }, s('path', { d: `${outline}Z` }))),
      s('g.gauge', {}, this.level, s('path.bucket', { d: outline }), this.ticks, this.drop, this.value, this.caption));
  }

  /** Fills to value/capacity; `phase` (0..1) places the drop along its fall. */
  show(value, capacity, phase, caption) {
    const share = capacity > 0 ? Math.max(0, Math.min(1, value / capacity)) : 0;
    const y = BOTTOM - (BOTTOM - TOP) * share;
    setAttr(this.level, 'y', y.toFixed(1));
    setAttr(this.level, 'height', (BOTTOM - y).toFixed(1));
    let ticks = '';
    if (capacity > 1 && capacity <= 20) {
      for (let k = 1; k < capacity; k++) {
        const ty = BOTTOM - ((BOTTOM - TOP) * k) / capacity;
        ticks += `M${this.right - 14} ${ty.toFixed(1)}h8`;
      }
    }
    setAttr(this.ticks, 'd', ticks || 'M0 0');
    setText(this.value, trimNumber(value, value < 10 ? 2 : 1));
    setText(this.caption, caption);
    if (phase === null) {
      setAttr(this.drop, 'display', 'none');
    } else {
      this.drop.removeAttribute('display');
      // Tokens fall from above the bucket to the level; water drips from the bottom outlet.
      const dy = this.kind === 'tokens' ? TOP - 22 + (y - TOP + 14) * phase : BOTTOM + 4 + 14 * phase;
      setAttr(this.drop, 'cy', dy.toFixed(1));
    }
  }
}

/** Remembers a value over time, as the engine reported it, for a small history chart. */
class History {
  constructor() { this.t = []; this.v = []; }
  reset() { this.t = []; this.v = []; }
  add(t, v, span) {
    const n = this.t.length;
    if (n && t < this.t[n - 1]) this.reset();
    // Points are kept span/800 apart or more: the newest moves on until it is that far from the
    // one before it, and then stays.
    if (n >= 2 && this.t[n - 1] - this.t[n - 2] < span / 800) {
      this.v[n - 1] = v;
      this.t[n - 1] = t;
    } else {
      this.t.push(t);
      this.v.push(v);
    }
    while (this.t.length > 2 && this.t[1] < t - 2 * span) { this.t.shift(); this.v.shift(); }
  }
  path(frame, capacity) {
    let d = '';
    for (let i = 0; i < this.t.length; i++) {
      const y = BOTTOM - (BOTTOM - TOP) * Math.min(1, Math.max(0, this.v[i] / capacity));
      d += `${i ? 'L' : 'M'}${frame.x(this.t[i]).toFixed(1)} ${y.toFixed(1)}`;
    }
    return d || 'M0 0';
  }
}

/** token-bucket and leaky-bucket: the meter's level, with its recent history. */
export class MeterPicture {
  constructor(kind, width) {
    this.kind = kind;  // 'tokens' (token bucket) or 'water' (leaky bucket)
    this.layout = LAYOUTS[width];
    this.frame = new PictureFrame(kind === 'tokens' ? 'Token bucket' : 'Leaky bucket', width, this.layout.chartLeft);
    this.gauge = new BucketGauge(this.frame, kind);
    this.capacityLine = s('line.limit-line');
    this.capacityLabel = s('text.limit-label');
    this.line = s('path.history-line');
    this.frame.back.append(this.capacityLine, this.capacityLabel, this.line);
    this.history = new History();
    this.svg = this.frame.svg;
  }

  reset() { this.history.reset(); }

  update(state, ctx) {
    const snap = state.snapshot;
    const now = ctx.nowEpoch;
    const capacity = snap.capacity;
    const horizon = snap.rate > 0 ? capacity / snap.rate : snap.window;
    const value = this.kind === 'tokens' ? snap.tokens : snap.level;
    const f = this.frame;
    f.range(now - 1.6 * horizon, now + 0.15 * horizon, now);
    this.history.add(now, value, horizon);
    setAttr(this.line, 'd', this.history.path(f, capacity || 1));
    setAttr(this.capacityLine, 'x1', f.left);
    setAttr(this.capacityLine, 'x2', f.right);
    setAttr(this.capacityLine, 'y1', TOP);
    setAttr(this.capacityLine, 'y2', TOP);
    setAttr(this.capacityLabel, 'x', f.left + 4);
    setAttr(this.capacityLabel, 'y', TOP - 4);
    setText(this.capacityLabel, `capacity ${trimNumber(capacity)}`);
    const every = snap.rate > 0 ? 1 / snap.rate : Infinity;
    const frac = value - Math.floor(value);
    if (this.kind === 'tokens') {
      const full = value >= capacity - 1e-9;
      this.gauge.show(value, capacity, full ? null : frac, 'tokens');
      f.requests(ctx.ring, ctx.keyIndex, ctx.epoch);
      return `${trimNumber(value, 2)} of ${trimNumber(capacity)} tokens; one token is added every ${formatSeconds(every)} s${full ? ' (full: refills are lost)' : ''}; each request takes one.`;
    }
    const empty = value <= 1e-9;
    this.gauge.show(value, capacity, empty ? null : 1 - frac, 'level');
    f.requests(ctx.ring, ctx.keyIndex, ctx.epoch);
    return `Level ${trimNumber(value, 2)} of ${trimNumber(capacity)}; it leaks one request's worth every ${formatSeconds(every)} s; a request that would overflow is rejected.`;
  }
}

/** leaky-queue: waiting requests (boxes) released one per emission interval. */
export class QueuePicture {
  constructor(width) {
    const { gaugeLeft, gaugeRight, chartLeft } = LAYOUTS[width];
    this.layout = LAYOUTS[width];
    this.frame = new PictureFrame('Leaky bucket as a queue', width, chartLeft);
    this.slots = s('g.queue-slots');
    this.frame.svg.append(this.slots);
    this.slotRects = [];
    this.tails = s('path.queue-tails');
    this.boxes = s('path.queue-boxes');
    this.released = s('path.queue-released');
    this.serveLabel = s('text.limit-label');
    this.frame.back.append(this.tails, this.released, this.boxes, this.serveLabel);
    this.count = s('text.gauge-value', { x: (gaugeLeft + gaugeRight) / 2, y: TOP - 6, 'text-anchor': 'middle' });
    this.caption = s('text.gauge-caption', { x: (gaugeLeft + gaugeRight) / 2, y: BOTTOM + 32, 'text-anchor': 'middle', text: 'waiting' });
    this.frame.svg.append(this.count, this.caption);
    this.svg = this.frame.svg;
  }

  reset() {}

  update(state, ctx) {
    const snap = state.snapshot;
    const now = ctx.nowEpoch;
    const every = snap.rate > 0 ? 1 / snap.rate : snap.window;
    const horizon = Math.max(every, snap.places * every);  // the last place's wait
    const f = this.frame;
    f.range(now - 0.35 * horizon, now + 1.1 * horizon, now);
    // The gauge: one slot per place in the queue (capped for drawing), filled from the bottom.
    const places = Math.min(24, Math.max(1, Math.ceil(snap.places)));
    const { gaugeLeft, gaugeRight } = this.layout;
    if (this.slotRects.length !== places) {
      this.slotRects = Array.from({ length: places }, (_, k) => {
        const hgt = (BOTTOM - TOP) / places;
        return s('rect.queue-slot', { x: gaugeLeft + 20, width: gaugeRight - gaugeLeft - 40,
          y: (BOTTOM - (k + 1) * hgt + 1).toFixed(1), height: Math.max(1, hgt - 2).toFixed(1), rx: 2 });
      });
      this.slots.replaceChildren(...this.slotRects);
    }
    const filled = Math.round((snap.queued / Math.max(1, snap.places)) * places);
    this.slotRects.forEach((r, k) => r.classList.toggle('full', k < filled));
    setText(this.count, trimNumber(snap.queued, 1));
    // Waiting requests of this key: from arrival (t) to release (t + delay), from the outcomes.
    let boxes = '';
    let tails = '';
    let released = '';
    const ring = ctx.ring;
    if (ring && ctx.keyIndex >= 0) {
      const end = ring.end;
      let i = Math.max(ring.start, ring.lowerBound(f.t0 - ctx.epoch - horizon), end - 4000);
      const y = (TOP + BOTTOM) / 2;
      let drawn = 0;
      for (; i < end && drawn < 300; i++) {
        const slot = ring.slot(i);
        if (ring.key[slot] !== ctx.keyIndex || ring.delay[slot] <= 0) continue;
        const arrive = ctx.epoch + ring.t[slot];
        const release = arrive + ring.delay[slot];
        if (release < f.t0) continue;
        const xr = f.x(release);
        if (release > now) {
          boxes += `M${(xr - 6).toFixed(1)} ${y - 9}h12v18h-12z`;
          tails += `M${f.x(arrive).toFixed(1)} ${y}H${(xr - 6).toFixed(1)}`;
        } else {
          released += `M${(xr - 4).toFixed(1)} ${y - 6}h8v12h-8z`;
        }
        drawn++;
      }
    }
    setAttr(this.boxes, 'd', boxes || 'M0 0');
    setAttr(this.tails, 'd', tails || 'M0 0');
    setAttr(this.released, 'd', released || 'M0 0');
    setAttr(this.serveLabel, 'x', (f.x(now) + 6).toFixed(1));
    setAttr(this.serveLabel, 'y', TOP - 4);
    setText(this.serveLabel, `served one every ${formatSeconds(every)} s →`);
    f.requests(ctx.ring, ctx.keyIndex, ctx.epoch);
    return `${trimNumber(snap.queued, 2)} waiting of ${trimNumber(snap.places)} places; the queue releases one request every ${formatSeconds(every)} s, so a full queue means a wait of ${formatSeconds(horizon)} s.`;
  }
}

/** gcra: the theoretical arrival time ahead of now, within the tolerance bracket. */
export class GcraPicture {
  constructor(width) {
    const { gaugeLeft, gaugeRight, chartLeft } = LAYOUTS[width];
    this.frame = new PictureFrame('GCRA', width, chartLeft);
    this.bracket = s('rect.window-band');
    this.bracketLabel = s('text.bracket-label', { 'text-anchor': 'middle' });
    this.ahead = s('rect.fill.faint');
    this.tat = s('path.tat-marker');
    this.tatLabel = s('text.tat-label', { 'text-anchor': 'middle' });
    this.step = s('path.tat-step');
    this.stepLabel = s('text.limit-label');
    this.frame.back.append(this.bracket, this.ahead, this.bracketLabel, this.step, this.tat, this.tatLabel, this.stepLabel);
    this.slack = s('rect.token-level', { x: gaugeLeft + 25, width: gaugeRight - gaugeLeft - 50 });
    this.slackValue = s('text.gauge-value', { x: (gaugeLeft + gaugeRight) / 2, y: (TOP + BOTTOM) / 2 + 6, 'text-anchor': 'middle' });
    this.slackCaption = s('text.gauge-caption', { x: (gaugeLeft + gaugeRight) / 2, y: BOTTOM + 32, 'text-anchor': 'middle', text: 'remaining' });
    this.frame.svg.append(s('rect.gauge-frame', { x: gaugeLeft + 25, y: TOP, width: gaugeRight - gaugeLeft - 50, height: BOTTOM - TOP, rx: 4 }),
      this.slack, this.slackValue, this.slackCaption);
    this.svg = this.frame.svg;
  }

  reset() {}

  update(state, ctx) {
    const snap = state.snapshot;
    const now = ctx.nowEpoch;
    const tau = snap.tolerance;
    const T = snap.emissionInterval;
    const f = this.frame;
    f.range(now - 0.25 * tau, now + 1.3 * tau, now);
    placeRect(this.bracket, f, now, now + tau, TOP + 10, BOTTOM);
    const bx = (f.x(now) + f.x(now + tau)) / 2;
    setAttr(this.bracketLabel, 'x', bx.toFixed(1));
    setAttr(this.bracketLabel, 'y', TOP + 4);
    setText(this.bracketLabel, `tolerance τ = ${formatSeconds(tau)} s`);
    const tat = Math.max(snap.tat, now);
    placeRect(this.ahead, f, now, tat, TOP + 34, BOTTOM);
    const x = f.x(tat);
    setAttr(this.tat, 'd', `M${x.toFixed(1)} ${TOP + 34}l-6 -10h12z M${x.toFixed(1)} ${TOP + 34}V${BOTTOM}`);
    setAttr(this.tatLabel, 'x', x.toFixed(1));
    setAttr(this.tatLabel, 'y', TOP + 20);
    setText(this.tatLabel, snap.tat > now ? `TAT +${formatSeconds(snap.tat - now)} s` : 'TAT ≤ now');
    const y = BOTTOM - 16;
    const x1 = f.x(tat + T);
    setAttr(this.step, 'd', `M${x.toFixed(1)} ${y}H${x1.toFixed(1)}m-6 -5l6 5l-6 5`);
    this.step.classList.toggle('blocked', state.remaining <= 0);
    const labelX = Math.min(x1, f.x(now + tau)) + 6;
    const flip = labelX > f.right - 130;  // keep the label inside the picture
    setAttr(this.stepLabel, 'text-anchor', flip ? 'end' : 'start');
    setAttr(this.stepLabel, 'x', (flip ? x - 8 : labelX).toFixed(1));
    setAttr(this.stepLabel, 'y', y - 8);
    setText(this.stepLabel, `next request: +T = ${formatSeconds(T)} s`);
    const limit = Math.max(1, snap.limit);
    const share = Math.max(0, Math.min(1, state.remaining / limit));
    setAttr(this.slack, 'y', (BOTTOM - (BOTTOM - TOP) * share).toFixed(1));
    setAttr(this.slack, 'height', ((BOTTOM - TOP) * share).toFixed(1));
    setText(this.slackValue, String(state.remaining));
    f.requests(ctx.ring, ctx.keyIndex, ctx.epoch);
    return `The theoretical arrival time is ${snap.tat > now ? `${formatSeconds(snap.tat - now)} s ahead of now` : 'not ahead of now (idle)'}; each request would push it T = ${formatSeconds(T)} s further, and is admitted if the pushed time stays within τ = ${formatSeconds(tau)} s of now.`;
  }
}

