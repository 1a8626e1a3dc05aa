// What every state picture shares: an SVG of fixed proportions, a time axis labelled relative
// to now, a "now" line, and a strip of the key's recent requests (for context: which hits the
// state shows). Pictures update attributes in place every frame; they never rebuild.
import { s, setAttr, setText, formatTick, niceStep, uniqueId } from './dom.js';

export const WIDE = 640;     // viewBox widths: wide figures, and narrow ones for phones so
export const NARROW = 360;   // that their text stays readable when scaled down
const HEIGHT = 190;
export const PLOT = { left: 14, top: 26, bottom: 132 };
const AXIS_Y = 150;
const MAX_TICKS = 12;
const MAX_MARKS = 400;

export class PictureFrame {
  /**
   * @param {string} label
   * @param {number} width  the viewBox width (WIDE or NARROW)
   * @param {number} [left]  where the time plot starts (room for a gauge on its left)
   */
  constructor(label, width, left = PLOT.left) {
    this.width = width;
    this.left = left;
    this.right = width - 14;
    this.svg = s(width < WIDE ? 'svg.picture.narrow' : 'svg.picture', { viewBox: `0 0 ${width} ${HEIGHT}`, role: 'img', 'aria-label': label, preserveAspectRatio: 'xMidYMid meet' });
    const clip = uniqueId('clip');
    this.svg.append(s('defs', {}, s('clipPath', { id: clip },
      s('rect', { x: left - 6, y: 0, width: this.right - left + 12, height: HEIGHT }))));
    this.back = s('g', { 'clip-path': `url(#${clip})` });      // under the axis
    this.axis = s('g.axis');
    this.front = s('g');     // over everything
    this.axisLine = s('line', { x1: left, x2: this.right, y1: AXIS_Y, y2: AXIS_Y });
    this.ticks = Array.from({ length: MAX_TICKS }, () => {
      const g = s('g.tick', {}, s('line', { y1: AXIS_Y, y2: AXIS_Y + 4 }), s('text', { y: AXIS_Y + 16, 'text-anchor': 'middle' }));
      this.axis.append(g);
      return g;
    });
    this.axis.append(this.axisLine);
    this.marksOk = s('path.mark-ok');
    this.marksRejected = s('path.mark-rejected');
    this.marks = s('g.marks', { 'clip-path': `url(#${clip})` }, this.marksOk, this.marksRejected);
    this.nowLine = s('line.now-line', { y1: PLOT.top - 10, y2: AXIS_Y });
    this.nowLabel = s('text.now-label', { y: PLOT.top - 14, 'text-anchor': 'middle', text: 'now' });
    this.svg.append(this.back, this.axis, this.marks, this.front, this.nowLine, this.nowLabel);
    this.t0 = 0;
    this.t1 = 1;
  }

  /** Sets the visible time range (epoch seconds) and redraws the axis and now line. */
  range(t0, t1, now) {
    this.t0 = t0;
    this.t1 = t1;
    this.now = now;
    const step = niceStep((t1 - t0) / (this.width < WIDE ? 4 : 6));
    const first = Math.ceil((t0 - now) / step) * step;
    let i = 0;
    for (let rel = first; now + rel <= t1 && i < MAX_TICKS; rel += step, i++) {
      const tick = this.ticks[i];
      const at = this.x(now + rel);
      tick.removeAttribute('display');
      setAttr(tick, 'transform', `translate(${at.toFixed(1)},0)`);
      setText(tick.lastChild, Math.abs(rel) < step / 1000 ? 'now' : `${rel > 0 ? '+' : '−'}${formatTick(Math.abs(rel))}`);
      // A label centred on a tick by the plot's end would run out of the picture: it ends there.
      setAttr(tick.lastChild, 'text-anchor', at > this.right - 20 ? 'end' : at < this.left + 20 ? 'start' : 'middle');
    }
    for (; i < MAX_TICKS; i++) setAttr(this.ticks[i], 'display', 'none');
    const x = this.x(now).toFixed(1);
    setAttr(this.nowLine, 'x1', x);
    setAttr(this.nowLine, 'x2', x);
    setAttr(this.nowLabel, 'x', x);
  }

  /** The x coordinate of epoch time t, clamped a little outside the plot. */
  x(t) {
    const x = this.left + ((t - this.t0) / (this.t1 - this.t0)) * (this.right - this.left);
    return Math.max(this.left - 20, Math.min(this.right + 20, x));
  }

  /**
   * Draws the key's requests in range as small marks just above the axis: filled dots for
   * answered ones, crosses for 429s. `ring` is the lane's OutcomeRing; times are converted
   * from run seconds with `epoch`.
   */
  requests(ring, keyIndex, epoch) {
    let ok = '';
    let rejected = '';
    if (ring && keyIndex >= 0) {
      const end = ring.lowerBound(this.t1 - epoch + 1e-9);
      let i = Math.max(ring.lowerBound(this.t0 - epoch), end - MAX_MARKS * 4);
      let drawn = 0;
      const y = AXIS_Y - 7;
      for (; i < end && drawn < MAX_MARKS; i++) {
        const slot = ring.slot(i);
        if (ring.key[slot] !== keyIndex) continue;
        const x = this.x(epoch + ring.t[slot]);
        if (ring.status[slot] === 429) {
          rejected += `M${(x - 3).toFixed(1)} ${y - 3}l6 6m0 -6l-6 6`;
        } else {
          ok += `M${(x - 2.5).toFixed(1)} ${y}a2.5 2.5 0 1 0 5 0a2.5 2.5 0 1 0 -5 0`;
        }
        drawn++;
      }
    }
    setAttr(this.marksOk, 'd', ok || 'M0 0');
    setAttr(this.marksRejected, 'd', rejected || 'M0 0');
  }
}

/** A clamped rectangle setter: x from t0 to t1 (epoch seconds) in frame f, y from top to bottom. */
export function placeRect(rect, f, t0, t1, top, bottom) {
  const x0 = f.x(t0);
  const x1 = f.x(t1);
  setAttr(rect, 'x', Math.min(x0, x1).toFixed(1));
  setAttr(rect, 'width', Math.max(0, Math.abs(x1 - x0)).toFixed(1));
  setAttr(rect, 'y', top.toFixed(1));
  setAttr(rect, 'height', Math.max(0, bottom - top).toFixed(1));
}

/** Places a bracket over the times [t0, t1] with its feet at `y`, and its label centred above. */
export function placeBracket(path, label, f, t0, t1, y, text) {
  const x0 = f.x(t0);
  const x1 = f.x(t1);
  setAttr(path, 'd', `M${x0.toFixed(1)} ${y}v-6h${(x1 - x0).toFixed(1)}v6`);
  setAttr(label, 'x', ((x0 + x1) / 2).toFixed(1));
  setAttr(label, 'y', y - 10);
  setText(label, text);
}
