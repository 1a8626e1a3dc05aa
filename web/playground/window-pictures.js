// Pictures of the window family, drawn from inspect() snapshots (times in epoch seconds):
// fixed windows as cells on a time axis whose counters reset, the moving window sliding over
// the log of admitted hits, and the sliding counter's weighted blend of two buckets.
import { s, setAttr, setText, trimNumber, formatSeconds, resetFromNow } from './dom.js';
import { PictureFrame, PLOT, placeRect, placeBracket } from './picture-frame.js';

const CELL_TOP = PLOT.top + 8;
const CELL_BOTTOM = PLOT.bottom - 6;
const OVER_TOP = PLOT.top - 8;

/** fixed-window and fixed-window-elastic-expiry: the open window as a cell with its counter. */
/** The y where a cell's fill of `counter` out of `limit` ends (a full cell at the limit and above). */
function fillTop(counter, limit) {
  return CELL_BOTTOM - (CELL_BOTTOM - CELL_TOP) * Math.min(1, counter / Math.max(1, limit));
}

export class FixedWindowPicture {
  constructor(width) {
    this.frame = new PictureFrame('Fixed window', width);
    this.past = Array.from({ length: 4 }, () => {
      const g = s('g.past-window', {}, s('rect.cell'), s('rect.fill'), s('text.cell-label'));
      this.frame.back.append(g);
      return g;
    });
    this.cell = s('rect.cell');
    this.fill = s('rect.fill');
    this.over = s('rect.over');
    this.limitLine = s('line.limit-line');
    this.label = s('text.cell-label');
    this.limitLabel = s('text.limit-label', { 'text-anchor': 'end' });
    this.overLabel = s('text.over-label');
    this.closed = s('text.closed-label', { y: (CELL_TOP + CELL_BOTTOM) / 2, 'text-anchor': 'middle' });
    this.current = s('g.current-window', {}, this.cell, this.fill, this.over, this.limitLine, this.label, this.limitLabel, this.overLabel);
    this.frame.back.append(this.current, this.closed);
    this.history = [];  // windows seen closing: {start, end, counter}
    this.svg = this.frame.svg;
  }

  reset() {
    this.history = [];
    this.open = null;
  }

  update(state, ctx) {
    const snap = state.snapshot;
    const w = snap.window;
    const now = ctx.nowEpoch;
    const f = this.frame;
    f.range(now - 1.25 * w, now + 1.05 * w, now);
    // Remember windows as they close: only what the engine showed (cleared on seek). Frames can
    // skip time, so a closed window's last seen counter is shown only when no request came
    // between that sighting and the window's end; otherwise just its outline.
    // A window closes when it expired (a later one starts at or after its end) or its counter
    // went back; elastic expiry moving the end out is the same window going on.
    const last = this.history[this.history.length - 1];
    const closed = this.open && (!snap.windowOpen || snap.windowStart >= this.open.end || snap.counter < this.open.counter);
    if (closed) {
      if (!last || last.start !== this.open.start) {
        this.open.final = quietBetween(ctx.ring, this.open.seenAt - ctx.epoch, this.open.end - ctx.epoch);
        this.history.push(this.open);
      }
      if (this.history.length > this.past.length) this.history.shift();
    }
    if (!snap.windowOpen) this.open = null;
    else if (closed || !this.open) this.open = { start: snap.windowStart, end: snap.windowEnd, counter: snap.counter, seenAt: now };
    else Object.assign(this.open, { end: snap.windowEnd, counter: snap.counter, seenAt: now });

    const elastic = snap.algorithm === 'fixed-window-elastic-expiry';
    const level = (counter) => fillTop(counter, snap.limit);
    this.past.forEach((g, i) => {
      const win = this.history[this.history.length - 1 - i];
      if (!win || win.end < f.t0) { setAttr(g, 'display', 'none'); return; }
      g.removeAttribute('display');
      const [cell, fill, text] = g.children;
      placeRect(cell, f, win.start, win.end, CELL_TOP, CELL_BOTTOM);
      placeRect(fill, f, win.start, win.end, win.final ? level(win.counter) : CELL_BOTTOM, CELL_BOTTOM);
      setAttr(text, 'x', (Math.max(f.x(win.start), f.left) + 8).toFixed(1));
      setAttr(text, 'y', CELL_TOP + 16);
      setText(text, win.final ? `ended at ${win.counter}` : 'previous window');
    });

    if (!snap.windowOpen) {
      setAttr(this.current, 'display', 'none');
      this.closed.removeAttribute('display');
      setAttr(this.closed, 'x', ((f.x(now) + f.x(now + w)) / 2).toFixed(1));
      // The caption below says the rest ("the next hit opens a 60 s window").
      setText(this.closed, 'No open window');
    } else {
      this.current.removeAttribute('display');
      setAttr(this.closed, 'display', 'none');
      // Elastic expiry: the window began with the first hit of the streak (as far as this view
      // saw it) and ends W after the latest hit.
      const start = elastic && this.open ? Math.min(this.open.start, snap.windowStart) : snap.windowStart;
      placeRect(this.cell, f, start, snap.windowEnd, CELL_TOP, CELL_BOTTOM);
      // The fill spans the window's time so far, and at least 6 px: hits sent at its first
      // instant (a burst while paused) still show their level.
      const sixPixels = (6 * (f.t1 - f.t0)) / (f.right - f.left);
      placeRect(this.fill, f, start, Math.min(snap.windowEnd, Math.max(now, start + sixPixels)), level(snap.counter), CELL_BOTTOM);
      const overflow = snap.counter > snap.limit;
      placeRect(this.over, f, start, snap.windowEnd, OVER_TOP, overflow ? CELL_TOP : OVER_TOP);
      const x0 = f.x(start);
      const x1 = f.x(snap.windowEnd);
      for (const a of ['x1', 'x2']) setAttr(this.limitLine, a, (a === 'x1' ? x0 : x1).toFixed(1));
      setAttr(this.limitLine, 'y1', CELL_TOP);
      setAttr(this.limitLine, 'y2', CELL_TOP);
      setAttr(this.label, 'x', (Math.max(x0, f.left) + 8).toFixed(1));
      setAttr(this.label, 'y', CELL_TOP + 16);
      setText(this.label, `counter ${snap.counter}`);
      setAttr(this.limitLabel, 'x', (x1 - 6).toFixed(1));
      setAttr(this.limitLabel, 'y', CELL_TOP + 14);
      setText(this.limitLabel, `limit ${snap.limit}`);
      setAttr(this.overLabel, 'x', (Math.max(x0, f.left) + 6).toFixed(1));
      setAttr(this.overLabel, 'y', OVER_TOP + 12);
      // The longest wording that fits the bar (11 px bold runs about 6.5 px a character).
      const over = snap.counter - snap.limit;
      const room = (Math.min(x1, f.right) - Math.max(x0, f.left) - 12) / 6.5;
      const words = [`+${over} rejected ${over === 1 ? 'hit' : 'hits'} counted`, `+${over} rejected, counted`, `+${over} rejected`, `+${over}`];
      setText(this.overLabel, overflow ? words.find((t) => t.length <= room) ?? words[words.length - 1] : '');
    }
    f.requests(ctx.ring, ctx.keyIndex, ctx.epoch);
    if (!snap.windowOpen) return `No window is open for this key: the next hit opens a ${formatSeconds(w)} s window.`;
    // The stats above the picture are limits' window stats, whose reset is in whole seconds.
    const ends = resetFromNow(snap.windowEnd, now);
    const stats = resetFromNow(state.reset, now);
    const rounded = stats === ends ? '' : ` (reset ${stats} above: limits gives the reset in whole seconds, rounded down)`;
    if (elastic) {
      return `Counter ${snap.counter} of ${snap.limit}; the window ends ${formatSeconds(w)} s after the latest hit, ${ends}${rounded}: every hit, even a rejected one, pushes its end out.`;
    }
    return `Window ${formatSeconds(snap.windowStart - ctx.epoch)}–${formatSeconds(snap.windowEnd - ctx.epoch)} s: counter ${snap.counter} of ${snap.limit}; it resets ${ends}${rounded}.`;
  }
}

/** Whether no request at all was decided in (from, to) run seconds (false when unsure). */
function quietBetween(ring, from, to) {
  if (!ring) return false;
  const i = ring.lowerBound(from + 1e-9);
  if (i <= ring.start && ring.start > 0) return false;
  return i >= ring.end || ring.timeOf(i) >= to;
}

/** moving-window: the log of admitted hits and the window [now - W, now] sliding over it. */
export class MovingWindowPicture {
  #measured = null;  // the free label's width for a length of its text: {length, width}

  constructor(width) {
    this.frame = new PictureFrame('Moving window', width);
    this.band = s('rect.window-band');
    this.bracket = s('path.bracket');
    this.bracketLabel = s('text.bracket-label', { 'text-anchor': 'middle' });
    this.dots = s('path.log-dots');
    this.freeLine = s('line.free-line');
    this.freeLabel = s('text.free-label');
    this.frame.back.append(this.band, this.bracket, this.bracketLabel, this.dots, this.freeLine, this.freeLabel);
    this.svg = this.frame.svg;
  }

  /**
   * The free label's width, measured once per length of its text: it counts down every frame
   * while playing, and measuring makes the browser lay the picture out there and then.
   */
  #freeLabelWidth() {
    const length = this.freeLabel.textContent.length;
    if (this.#measured?.length !== length) this.#measured = { length, width: this.freeLabel.getComputedTextLength() };
    return this.#measured.width;
  }

  reset() {}

  update(state, ctx) {
    const snap = state.snapshot;
    const w = snap.window;
    const now = ctx.nowEpoch;
    const f = this.frame;
    f.range(now - 1.5 * w, now + 0.35 * w, now);
    placeRect(this.band, f, now - w, now, CELL_TOP, CELL_BOTTOM);
    let used = 0;
    for (const e of snap.log) used += e.count;
    placeBracket(this.bracket, this.bracketLabel, f, now - w, now, CELL_TOP + 6, `last ${formatSeconds(w)} s: ${used} of ${snap.limit} logged`);
    // A dot plot: each logged hit a dot; hits closer than a dot's width stack into a column.
    const limit = Math.max(1, snap.limit);
    const r = Math.max(2, Math.min(5, (CELL_BOTTOM - CELL_TOP) / (2.3 * Math.min(limit, 12))));
    const rows = Math.floor((CELL_BOTTOM - CELL_TOP - 4) / (2.3 * r));
    let d = '';
    let columnX = -Infinity;
    let height = 0;
    let dots = 0;
    for (const e of snap.log) {
      const x = f.x(e.time);
      if (x - columnX >= 2.2 * r) {
        columnX = x;
        height = 0;
      }
      for (let k = 0; k < e.count && dots < 1500; k++) {
        if (height >= rows) break;  // a full column: the count in the label still tells
        const y = CELL_BOTTOM - r - 2 - height * 2.3 * r;
        d += `M${(columnX - r).toFixed(1)} ${y.toFixed(1)}a${r} ${r} 0 1 0 ${2 * r} 0a${r} ${r} 0 1 0 ${-2 * r} 0`;
        height += 1;
        dots += 1;
      }
    }
    setAttr(this.dots, 'd', d || 'M0 0');
    // Each logged hit leaves the window W after it was logged: mark when the oldest one does.
    if (snap.log.length > 0) {
      const leaves = snap.log[0].time + w;
      const x = f.x(leaves);
      // Later than the picture's end (just after a hit, the window is longer than what is drawn
      // ahead of now) the line is not drawn, and the label at the end points on.
      const beyond = x > f.right;
      setAttr(this.freeLine, 'x1', x.toFixed(1));
      setAttr(this.freeLine, 'x2', x.toFixed(1));
      setAttr(this.freeLine, 'y1', CELL_TOP);
      setAttr(this.freeLine, 'y2', CELL_BOTTOM);
      if (beyond) setAttr(this.freeLine, 'display', 'none');
      else this.freeLine.removeAttribute('display');
      setText(this.freeLabel, `oldest leaves in ${formatSeconds(leaves - now)} s${beyond ? ' →' : ''}`);
      this.freeLabel.removeAttribute('display');
      // Right of the line when it fits, else left of it: the label stays inside the picture.
      const flip = beyond || this.#freeLabelWidth() > f.right - x - 5;
      setAttr(this.freeLabel, 'text-anchor', flip ? 'end' : 'start');
      setAttr(this.freeLabel, 'x', (Math.min(x, f.right) + (flip ? -5 : 5)).toFixed(1));
      setAttr(this.freeLabel, 'y', CELL_TOP + 26);
    } else {
      setAttr(this.freeLine, 'display', 'none');
      setAttr(this.freeLabel, 'display', 'none');
    }
    f.requests(ctx.ring, ctx.keyIndex, ctx.epoch);
    return `${used} of ${snap.limit} admitted hits are logged in the last ${formatSeconds(w)} s; rejected hits are not logged.`;
  }
}

/** sliding-window-counter: previous bucket (weighted share shaded) + current bucket. */
export class SlidingCounterPicture {
  constructor(width) {
    this.frame = new PictureFrame('Sliding window counter', width);
    this.prevCell = s('rect.cell');
    this.prevFill = s('rect.fill.faint');
    this.prevWeighted = s('rect.fill.weighted');
    this.curCell = s('rect.cell');
    this.curFill = s('rect.fill');
    this.limitLine = s('line.limit-line');
    this.prevLabel = s('text.cell-label');
    this.curLabel = s('text.cell-label');
    this.band = s('path.bracket');
    this.bandLabel = s('text.bracket-label', { 'text-anchor': 'middle' });
    this.frame.back.append(this.prevCell, this.prevFill, this.prevWeighted, this.curCell, this.curFill, this.limitLine,
      this.prevLabel, this.curLabel, this.band, this.bandLabel);
    this.svg = this.frame.svg;
  }

  reset() {}

  update(state, ctx) {
    const snap = state.snapshot;
    const w = snap.window;
    const now = ctx.nowEpoch;
    const start = snap.bucketStart;
    const f = this.frame;
    f.range(start - 1.1 * w, start + 1.1 * w, now);
    const level = (counter) => fillTop(counter, snap.limit);
    placeRect(this.prevCell, f, start - w, start, CELL_TOP, CELL_BOTTOM);
    placeRect(this.prevFill, f, start - w, start, level(snap.previousCount), CELL_BOTTOM);
    placeRect(this.prevWeighted, f, start - w * snap.previousWeight, start, level(snap.previousCount), CELL_BOTTOM);
    placeRect(this.curCell, f, start, start + w, CELL_TOP, CELL_BOTTOM);
    placeRect(this.curFill, f, start, Math.min(now, start + w), level(snap.currentCount), CELL_BOTTOM);
    setAttr(this.limitLine, 'x1', f.x(start - w).toFixed(1));
    setAttr(this.limitLine, 'x2', f.x(start + w).toFixed(1));
    setAttr(this.limitLine, 'y1', CELL_TOP);
    setAttr(this.limitLine, 'y2', CELL_TOP);
    setAttr(this.prevLabel, 'x', (f.x(start - w) + 8).toFixed(1));
    setAttr(this.prevLabel, 'y', CELL_TOP + 14);
    setText(this.prevLabel, `previous ${snap.previousCount} × ${trimNumber(snap.previousWeight, 2)}`);
    setAttr(this.curLabel, 'x', (f.x(start) + 8).toFixed(1));
    setAttr(this.curLabel, 'y', CELL_TOP + 14);
    setText(this.curLabel, `current ${snap.currentCount}`);
    placeBracket(this.band, this.bandLabel, f, now - w, now, CELL_TOP - 2, `estimate ${trimNumber(snap.estimate, 2)} of ${snap.limit}`);
    f.requests(ctx.ring, ctx.keyIndex, ctx.epoch);
    return `estimate = ${snap.previousCount} × ${trimNumber(snap.previousWeight, 3)} (share of the previous bucket still in the window) + ${snap.currentCount} = ${trimNumber(snap.estimate, 2)} against the limit ${snap.limit}.`;
  }
}

