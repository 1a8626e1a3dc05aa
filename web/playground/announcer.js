// An ARIA live region that announces 429s, at most one announcement per second of real time:
// a 429 that arrives within the second after an announcement is held back, and only the latest
// held one is spoken when the second is over, with how many were held, so a flood of rejections
// is summarised instead of read out one by one. What the reader did (a request picked) is said at
// once.

const MIN_GAP_MS = 1000;

export class Announcer {
  constructor() {
    this.element = document.createElement('div');
    this.element.className = 'visually-hidden';
    this.element.setAttribute('role', 'status');
    this.element.setAttribute('aria-live', 'polite');
    this.last = -Infinity;
    this.pending = null;  // the text held back
    this.held = 0;        // how many 429s it stands for
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
    this.held += 1;
    if (!this.timer) {
      this.timer = setTimeout(() => {
        const [next, held] = [this.pending, this.held];
        this.clear();
        if (next) this.#speak(held > 1 ? `${held} more 429s; the latest: ${next}` : next, performance.now());
      }, MIN_GAP_MS - (now - this.last));
    }
  }

  /** Announces `text` now: the answer to something the reader did. */
  tell(text) {
    this.clear();
    this.#speak(text, performance.now());
  }

  clear() {
    clearTimeout(this.timer);
    this.timer = 0;
    this.pending = null;
    this.held = 0;
  }

  #speak(text, now) {
    this.last = now;
    this.element.textContent = text;
  }
}
