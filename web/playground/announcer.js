// An ARIA live region that announces 429s, at most one announcement per second of real time:
// a 429 that arrives within the second after an announcement is held back, and only the latest
// held one is spoken when the second is over, so a flood of rejections is summarised instead of
// read out one by one.

const MIN_GAP_MS = 1000;

export class Announcer {
  constructor() {
    this.element = document.createElement('div');
    this.element.className = 'visually-hidden';
    this.element.setAttribute('role', 'status');
    this.element.setAttribute('aria-live', 'polite');
    this.last = -Infinity;
    this.pending = null;  // the text held back
    this.timer = 0;
  }

  /** Announces `text` now, or at the end of the current quiet second. */
  say(text) {
    const now = performance.now();
    if (now - this.last >= MIN_GAP_MS) {
      this.#speak(text, now);
      return;
    }
    this.pending = text;
    if (!this.timer) {
      this.timer = setTimeout(() => {
        this.timer = 0;
        const next = this.pending;
        this.pending = null;
        if (next) this.#speak(next, performance.now());
      }, MIN_GAP_MS - (now - this.last));
    }
  }

  clear() {
    clearTimeout(this.timer);
    this.timer = 0;
    this.pending = null;
  }

  #speak(text, now) {
    this.last = now;
    this.element.textContent = text;
  }
}
