// The "Code" view: the current setup as app.py (what the playground simulates), nginx.conf,
// main.go and server.js (Express), and the first client as client.py, one tab each, with a copy
// button and a one-line note on where each one behaves differently from the page.
import { h, uniqueId, copyText } from './dom.js';

const TABS = [
  { name: 'app.py', id: 'flask' },
  { name: 'nginx.conf', id: 'nginx' },
  { name: 'main.go', id: 'go' },
  { name: 'server.js', id: 'express' },
  { name: 'client.py', id: 'client' },
];

export class CodeView {
  /** @param {{onErrorHandler: (on: boolean) => void}} handlers */
  constructor({ onErrorHandler }) {
    const id = uniqueId('code');
    this.handler = h('input', { type: 'checkbox', id: `${id}-handler`, onchange: () => onErrorHandler(this.handler.checked) });
    this.tabs = TABS.map((tab, i) => {
      const code = h('code');
      const note = h('p.code-note');
      const copyLabel = h('span', { text: 'Copy' });
      const panel = h('div.code-tab-panel', { role: 'tabpanel', id: `${id}-${tab.id}`, 'aria-labelledby': `${id}-${tab.id}-tab`, hidden: i > 0 },
        h('div.code-tools', {},
          note,
          h('button.copy', { type: 'button', onclick: () => copyText(code, copyLabel) }, copyLabel)),
        tab.id === 'flask' ? h('label.code-option', { for: `${id}-handler` }, this.handler, ' Custom 429 handler (@app.errorhandler(429))') : null,
        h('pre.code-block', { tabindex: '0', 'aria-label': tab.name }, code));
      const button = h('button.code-tab', {
        type: 'button', role: 'tab', id: `${id}-${tab.id}-tab`, 'aria-controls': `${id}-${tab.id}`,
        'aria-selected': i === 0 ? 'true' : 'false', tabindex: i === 0 ? '0' : '-1', text: tab.name,
        onclick: () => this.#pick(i),
        onkeydown: (e) => this.#key(e, i),
      });
      return { ...tab, code, note, panel, button };
    });
    this.element = h('details.code-panel', {},
      h('summary', {},
        h('span.summary-title', { text: 'Code' }),
        h('span.summary-help', { text: 'this setup as app.py, nginx.conf, main.go and server.js, its client as client.py, to copy' })),
      h('div.code-body', {},
        h('div.code-tabs', { role: 'tablist', 'aria-label': 'Code' }, ...this.tabs.map((t) => t.button)),
        ...this.tabs.map((t) => t.panel)));
  }

  /**
   * @param {Record<string, {text: string, note: string}>} sources  by tab id
   * @param {boolean} errorHandler  whether app.py has the custom 429 handler
   */
  show(sources, errorHandler) {
    this.handler.checked = errorHandler;
    for (const tab of this.tabs) {
      const { text, note } = sources[tab.id];
      if (tab.code.textContent !== text) tab.code.textContent = text;
      if (tab.note.textContent !== note) tab.note.textContent = note;
    }
  }

  #pick(index) {
    this.tabs.forEach((t, i) => {
      t.button.setAttribute('aria-selected', i === index ? 'true' : 'false');
      t.button.tabIndex = i === index ? 0 : -1;
      t.panel.hidden = i !== index;
    });
  }

  #key(e, index) {
    const step = { ArrowRight: 1, ArrowLeft: -1 }[e.key];
    if (!step) return;
    e.preventDefault();
    const next = (index + step + this.tabs.length) % this.tabs.length;
    this.#pick(next);
    this.tabs[next].button.focus();
  }
}
