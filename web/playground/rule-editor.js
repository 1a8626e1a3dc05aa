// The rule editor: a text field parsed live by the engine. The bad part of an invalid rule is
// underlined in place (an overlay under the transparent input, aligned character by character;
// the engine's offsets count code points), the message and hint appear below, and the limits
// in force are shown as chips in Flask-Limiter's words.
import { h, uniqueId } from './dom.js';

export class RuleEditor {
  /** @param {{onInput: (text: string) => void}} handlers */
  constructor({ onInput }) {
    const example = (rule) => h('button.example', { type: 'button', text: rule, onclick: () => { this.input.value = rule; onInput(rule); } });
    const id = uniqueId('rule');
    this.input = h('input.rule-input', {
      id, type: 'text', spellcheck: 'false', autocomplete: 'off', autocapitalize: 'off',
      'aria-describedby': `${id}-help ${id}-msg ${id}-chips`,
      oninput: () => { this.#syncScroll(); onInput(this.input.value); },
      onscroll: () => this.#syncScroll(),
      onkeyup: () => this.#syncScroll(),
    });
    this.before = h('span');
    this.mark = h('mark.rule-bad');
    this.after = h('span');
    this.overlayText = h('span.rule-overlay-text', {}, this.before, this.mark, this.after);
    this.overlay = h('div.rule-overlay', { 'aria-hidden': 'true' }, this.overlayText);
    this.message = h('p.rule-message', { id: `${id}-msg`, 'aria-live': 'polite' });  // heard while typing
    this.chips = h('ul.chips', { id: `${id}-chips`, 'aria-label': 'Limits in force' });
    this.inForce = h('span.chips-label', { text: 'In force' });
    this.element = h('div.rule-editor',
      {},
      h('div.field-head', {},
        h('label.field-label', { for: id, text: 'Rule' }),
        h('span.field-help', { id: `${id}-help`, text: 'A Flask-Limiter rate string: 10/minute, 5 per second; 100/hour' })),
      h('div.rule-field', {}, this.overlay, this.input),
      this.message,
      h('div.chips-row', {}, this.inForce, this.chips),
      h('div.examples', {}, h('span', { text: 'Try' }),
        ...['5/second', '10/minute', '5/second;100/hour', '2 per 10 seconds', '1/day'].map(example)));
  }

  /**
   * Shows `text` with its parse result.
   * @param {string} text  the rule as typed or set
   * @param {{error?: string, offset?: number, length?: number, hint?: string}} parsed
   * @param {string[]} limitsInForce  Flask-Limiter texts of the limits being enforced
   */
  show(text, parsed, limitsInForce) {
    if (this.input.value !== text) this.input.value = text;
    const chars = Array.from(text);
    const bad = parsed && parsed.error !== undefined;
    if (bad) {
      const start = Math.min(parsed.offset, chars.length);
      const end = Math.min(start + parsed.length, chars.length);
      this.before.textContent = chars.slice(0, start).join('');
      this.mark.textContent = chars.slice(start, end).join('');
      this.after.textContent = chars.slice(end).join('');
      this.mark.classList.toggle('rule-missing', end === start);
      this.mark.hidden = false;
      this.message.replaceChildren(...[h('strong', { text: parsed.error }),
        parsed.hint ? h('span.rule-hint', { text: ` — ${parsed.hint}` }) : null].filter(Boolean));
      this.inForce.textContent = 'Still in force';
    } else {
      this.before.textContent = text;
      this.mark.textContent = '';
      this.after.textContent = '';
      this.mark.hidden = true;
      this.message.replaceChildren();
      this.inForce.textContent = 'In force';
    }
    this.input.setAttribute('aria-invalid', bad ? 'true' : 'false');
    this.element.classList.toggle('invalid', bad);
    this.chips.replaceChildren(...limitsInForce.map((t) => h('li.chip', { text: t })));
    this.#syncScroll();
  }

  #syncScroll() {
    this.overlayText.style.transform = `translateX(${-this.input.scrollLeft}px)`;
  }
}
