// The algorithm picker: a radio group of the engine's algorithms and, below it, the one-line
// explanation of the selected one (or of the one under the pointer or keyboard focus), with
// whose semantics it follows. Also the "compare all" switch. A compact playground shows the
// same choice as a drop-down list instead of the pills (the stylesheet picks which one shows).
import { h, setText, uniqueId } from './dom.js';
import { ALGORITHM_LABELS } from './config.js';

export class AlgorithmPicker {
  /**
   * @param {{name: string, semantics: string, summary: string, flaskLimiter: boolean}[]} algorithms
   * @param {{onPick: (name: string) => void, onCompare: (on: boolean) => void}} handlers
   */
  constructor(algorithms, { onPick, onCompare }) {
    this.algorithms = algorithms;
    const group = uniqueId('algo');
    this.selected = algorithms[0].name;
    this.radios = new Map();
    const options = algorithms.map((a) => {
      const radio = h('input', {
        type: 'radio', name: group, value: a.name,
        onchange: () => { if (radio.checked) onPick(a.name); },
        onfocus: () => this.#describe(a.name),
        onblur: () => this.#describe(this.selected),
      });
      this.radios.set(a.name, radio);
      return h('label.algo-option', {
        'data-algorithm': a.name,
        onpointerenter: () => this.#describe(a.name),
        onpointerleave: () => this.#describe(this.selected),
      }, radio, h('span', { text: ALGORITHM_LABELS[a.name] ?? a.name }));
    });
    this.name = h('strong.algo-name');
    this.summary = h('span.algo-summary');
    this.semantics = h('span.badge.algo-semantics');
    this.compare = h('input', { type: 'checkbox', onchange: () => onCompare(this.compare.checked) });
    const optionGroup = (label, flaskLimiter) => h('optgroup', { label },
      ...algorithms.filter((a) => a.flaskLimiter === flaskLimiter).map((a) => h('option', { value: a.name, text: ALGORITHM_LABELS[a.name] ?? a.name })));
    this.list = h('select.algo-select', {
      'aria-labelledby': `${group}-label`, 'aria-describedby': `${group}-desc`,
      onchange: () => onPick(this.list.value),
    }, optionGroup('Flask-Limiter', true), optionGroup('Beyond Flask-Limiter', false));
    this.switch = h('label.switch', {}, this.compare, h('span', { text: 'Compare all eight side by side' }));
    this.head = h('div.field-head', {}, h('span.field-label', { id: `${group}-label`, text: 'Algorithm' }), this.switch);
    this.element = h('div.algorithm-picker', {},
      h('div.algo-choice', {},
        this.head,
        h('div.algo-options', { role: 'radiogroup', 'aria-labelledby': `${group}-label`, 'aria-describedby': `${group}-desc` },
          h('div.algo-group', {}, h('span.algo-group-label', { text: 'Flask-Limiter' }),
            h('div.algo-pills', {}, ...options.filter((o, i) => algorithms[i].flaskLimiter))),
          h('div.algo-group', {}, h('span.algo-group-label', { text: 'Beyond it' }),
            h('div.algo-pills', {}, ...options.filter((o, i) => !algorithms[i].flaskLimiter)))),
        this.list),
      h('p.algo-description', { id: `${group}-desc` }, this.name, ' ', this.semantics, h('br'), this.summary));
  }

  /** Puts the compare switch beside the label, or (compact) under the drop-down list, where it is seen and reached next. */
  dockSwitch(compact) {
    if (compact) this.list.after(this.switch);
    else this.head.append(this.switch);
  }

  show(name, compare) {
    this.selected = name;
    const radio = this.radios.get(name);
    if (radio && !radio.checked) radio.checked = true;
    if (this.list.value !== name) this.list.value = name;
    this.compare.checked = compare;
    this.#describe(name);
  }

  #describe(name) {
    const a = this.algorithms.find((x) => x.name === name);
    if (!a) return;
    setText(this.name, ALGORITHM_LABELS[a.name] ?? a.name);
    setText(this.semantics, `follows ${a.semantics}`);
    setText(this.summary, a.summary);
  }
}
