// Time controls: play/pause, a single step, a step to the next event or the next 429, reset, the speed (a log
// slider from 0.1x to 1000x), the simulated time (seconds since the start and as a clock), and
// a scrubber that goes back by recomputing the run from its seed.
import { h, setText, setAttr, uniqueId, formatClock, trimNumber } from './dom.js';
import { icon } from './icons.js';

export const MIN_SPEED = 0.1;
export const MAX_SPEED = 1000;
const NICE_SPEEDS = [0.1, 0.2, 0.25, 0.5, 1, 2, 2.5, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000];

/** The simulated seconds one press of "step" advances at `speed`. */
export const stepSeconds = (speed) => Number((0.1 * speed).toPrecision(3));

/** The speed label, "0.5×", "250×". */
export const speedLabel = (speed) => `${trimNumber(speed, speed < 1 ? 2 : 1)}×`;

export class TimeControls {
  /**
   * @param {{onPlay: () => void, onStep: () => void, onNext: () => void, onNextRejection: () => void,
   *          onReset: () => void, onSpeed: (speed: number) => void, onScrub: (t: number) => void}} handlers
   */
  constructor({ onPlay, onStep, onNext, onNextRejection, onReset, onSpeed, onScrub }) {
    const id = uniqueId('time');
    this.playIcon = icon('play');
    this.playLabel = h('span', { text: 'Play' });
    this.play = h('button.primary.play', { type: 'button', 'aria-keyshortcuts': 'p', onclick: onPlay },
      this.playIcon, this.playLabel);
    this.stepLabel = h('span', { text: 'Step' });
    this.step = h('button', { type: 'button', onclick: onStep, 'aria-keyshortcuts': '.' }, icon('step'), this.stepLabel);
    this.next = h('button.next', { type: 'button', onclick: onNext, 'aria-keyshortcuts': 'n', title: 'Jump to the next arrival or retry' },
      icon('next'), h('span', { text: 'Next event' }));
    // "429" stays visible where the other buttons shrink to their icons.
    this.nextRejection = h('button.next-429', {
      type: 'button', onclick: onNextRejection, 'aria-keyshortcuts': 'r', 'aria-label': 'Next 429',
      title: 'Jump to the next request answered 429 Too Many Requests, and see why',
    }, icon('next'), h('span', { text: 'Next' }), h('strong.code', { text: '429' }));
    this.reset = h('button', { type: 'button', onclick: onReset, title: 'Back to t = 0 with the same seed; forgets requests sent by hand, not an imported scenario’s' },
      icon('reset'), h('span', { text: 'Reset' }));
    this.speedTicks = h('datalist', { id: `${id}-ticks` }, ...[-1, 0, 1, 2, 3].map((v) => h('option', { value: String(v) })));
    this.speed = h('input.speed', {
      id: `${id}-speed`, type: 'range', min: '-1', max: '3', step: '0.01', value: '0', list: `${id}-ticks`,
      'aria-valuetext': '1×',
      oninput: () => onSpeed(snapSpeed(10 ** Number(this.speed.value))),
    });
    this.speedOut = h('output.speed-value', { for: `${id}-speed`, text: '1×', 'aria-live': 'off' });  // the slider says its value
    this.time = h('span.time-t');
    this.clock = h('span.time-clock');
    this.scrub = h('input.scrubber', {
      id: `${id}-scrub`, type: 'range', min: '0', max: '0', step: 'any', value: '0',
      'aria-label': 'Simulated time (drag back to replay)',
      oninput: () => onScrub(Number(this.scrub.value)),
      onkeydown: (e) => this.#scrubKey(e, onScrub),
    });
    this.scrubEnd = h('span.scrub-end');
    this.element = h('div.time-controls', {},
      h('div.time-buttons', {}, this.play, this.step, this.next, this.nextRejection, this.reset),
      h('div.time-speed', {},
        h('label.field-label', { for: `${id}-speed`, text: 'Speed' }), this.speed, this.speedTicks, this.speedOut),
      h('div.time-now', { 'aria-label': 'Simulated time' }, this.time, this.clock),
      h('div.time-scrub', {}, h('span.scrub-start', { text: '0 s' }), this.scrub, this.scrubEnd));
  }

  /** Arrow keys move 1 % of the run, Page Up/Down 10 %, Home/End to either end. */
  #scrubKey(event, onScrub) {
    const max = Number(this.scrub.max);
    const value = Number(this.scrub.value);
    const small = Math.max(0.1, max / 100);
    const moves = {
      ArrowLeft: -small, ArrowDown: -small, ArrowRight: small, ArrowUp: small,
      PageDown: -10 * small, PageUp: 10 * small, Home: -Infinity, End: Infinity,
    };
    if (!(event.key in moves)) return;
    event.preventDefault();
    const t = Math.min(max, Math.max(0, value + moves[event.key]));
    this.scrub.value = String(t);
    onScrub(t);
  }

  /** Updates every readout; cheap when nothing changed. */
  show({ playing, speed, now, maxTime, epoch }) {
    if (this.playing !== playing) {
      this.playing = playing;
      this.playIcon.replaceWith(this.playIcon = icon(playing ? 'pause' : 'play'));
      this.playLabel.textContent = playing ? 'Pause' : 'Play';
      setAttr(this.play, 'aria-pressed', playing);
    }
    const label = speedLabel(speed);
    setText(this.speedOut, label);
    setAttr(this.speed, 'aria-valuetext', label);
    if (document.activeElement !== this.speed && this.speed.getRootNode().activeElement !== this.speed) {
      const v = Math.log10(speed).toFixed(2);
      if (this.speed.value !== v) this.speed.value = v;
    }
    setText(this.stepLabel, `+${formatStep(stepSeconds(speed))}`);
    setAttr(this.step, 'title', `Advance the simulated clock by ${formatStep(stepSeconds(speed))}`);
    setText(this.time, `t = ${now.toFixed(2)} s`);
    setText(this.clock, formatClock(epoch + now));
    const max = Math.max(maxTime, now);
    setAttr(this.scrub, 'max', max);
    if (Number(this.scrub.value) !== now) this.scrub.value = String(now);
    setAttr(this.scrub, 'aria-valuetext', `t = ${now.toFixed(2)} s of ${max.toFixed(2)} s`);
    setText(this.scrubEnd, `${trimNumber(max, 1)} s`);
  }
}

function formatStep(seconds) {
  return seconds < 1 ? `${Math.round(seconds * 1000)} ms` : `${trimNumber(seconds, 1)} s`;
}

/** Rounds a slider speed to a nearby round value (within 6 %), clamped to the range. */
function snapSpeed(speed) {
  const clamped = Math.min(MAX_SPEED, Math.max(MIN_SPEED, speed));
  const nice = NICE_SPEEDS.find((n) => Math.abs(Math.log(n / clamped)) < 0.06);
  return nice ?? Number(clamped.toPrecision(2));
}
