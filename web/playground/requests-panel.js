// Requests: send one by hand, send a burst, and the simulated clients (each with its color,
// key, traffic pattern, rate and what it does on a 429).
import { h, keepingFocus, setText, uniqueId } from './dom.js';
import { icon } from './icons.js';
import { PATTERNS, PATTERN_LABELS, RETRIES, RETRY_LABELS, MAX_CLIENTS } from './config.js';

export const MIN_RATE = 0.01;
export const MAX_RATE = 1000;

/** Rounds a slider rate (requests per second) to two significant digits. */
const snapRate = (rate) => Number(Math.min(MAX_RATE, Math.max(MIN_RATE, rate)).toPrecision(2));
// Two significant digits, as the slider snaps to: 0.15/s, not 0.1/s.
const rateLabel = (rate) => `${Number(rate.toPrecision(2))}/s`;

export class RequestsPanel {
  /**
   * @param {{onSend: (count: number) => void, onSender: (index: number) => void,
   *          onClient: (index: number, patch: object) => void, onAdd: () => void,
   *          onAlike: (on: boolean) => void, onRemove: (index: number) => void}} handlers
   */
  constructor(handlers) {
    this.handlers = handlers;
    const id = uniqueId('req');
    this.sendButton = h('button.primary.send', { type: 'button', 'aria-keyshortcuts': 's', onclick: () => handlers.onSend(1) },
      icon('send'), h('span', { text: 'Send' }), h('kbd', { text: 'S' }));
    this.burstCount = h('input.burst-count', { id: `${id}-burst`, type: 'number', min: '1', max: '1000', value: '10', inputmode: 'numeric' });
    this.burstButton = h('button.burst', { type: 'button', 'aria-keyshortcuts': 'b', onclick: () => handlers.onSend(this.burstSize()) },
      icon('burst'), h('span', { text: 'Send burst' }), h('kbd', { text: 'B' }));
    this.sender = h('select.sender', { id: `${id}-sender`, onchange: () => handlers.onSender(Number(this.sender.value)) });
    this.senderField = h('span.sender-field', {}, h('label', { for: `${id}-sender`, text: 'as' }), this.sender);
    this.list = h('ol.clients');
    this.alike = h('input', { type: 'checkbox', id: `${id}-alike`, onchange: () => handlers.onAlike(this.alike.checked) });
    this.alikeField = h('span.alike-field', {}, this.alike,
      h('label', { for: `${id}-alike`, text: 'All like client 1' }));
    this.addButton = h('button.add-client', { type: 'button', onclick: handlers.onAdd }, icon('plus'), h('span', { text: 'Add client' }));
    this.sendRow = h('div.send-row', {},
      this.sendButton,
      h('span.burst-field', {},
        h('label', { for: `${id}-burst`, text: 'Burst of' }), this.burstCount, this.burstButton),
      this.senderField);
    this.keysHelp = h('p.keys-help', { text: 'Keys (when the playground has focus): S send · B burst · P play/pause · . step · N next event · R next 429' });
    this.element = h('section.requests', { 'aria-labelledby': `${id}-title` },
      h('h3.panel-title', { id: `${id}-title`, text: 'Requests' }),
      this.sendRow,
      this.keysHelp,
      h('div.clients-head', {}, h('h4.sub-title', { text: 'Clients' }), this.alikeField),
      this.list,
      this.addButton);
    this.rows = [];
  }

  /**
   * Moves the Send / burst row into `container` (the compact layout keeps it by the clock, while
   * the rest of the panel folds away), or back into the panel when `container` is null.
   */
  dockSendRow(container) {
    if (container) container.prepend(this.sendRow);
    else this.element.insertBefore(this.sendRow, this.keysHelp);
  }

  burstSize() {
    const n = Math.round(Number(this.burstCount.value));
    return Number.isFinite(n) ? Math.min(1000, Math.max(1, n)) : 10;
  }

  /**
   * Rebuilds the client rows when their number or the routes change; otherwise syncs values.
   * While the clients are `alike`, only the first one's traffic, rate, path and retry can change.
   */
  show(clients, paths, keyFunc, senderIndex, alike) {
    const shape = `${clients.length}|${paths.join(' ')}|${keyFunc}`;
    // A client removed, or the sixth added (Add client is then disabled): focus goes to Add
    // client, or else to the last client's address.
    keepingFocus(this.element, () => {
      if (shape !== this.shape) {
        this.shape = shape;
        this.rows = clients.map((c, i) => this.#row(i, paths, keyFunc, clients.length));
        this.list.replaceChildren(...this.rows.map((r) => r.element));
      }
      clients.forEach((c, i) => this.rows[i].sync(c, alike && i > 0));
      this.addButton.disabled = clients.length >= MAX_CLIENTS;
    }, () => (this.addButton.disabled ? this.list.querySelector('.client:last-child .client-key') : this.addButton));
    this.alike.checked = alike;
    this.alikeField.hidden = clients.length < 2;
    const senders = clients.map((c) => c.key).join(' ');
    if (senders !== this.senders) {
      this.senders = senders;
      this.sender.replaceChildren(...clients.map((c, i) => h('option', { value: String(i), text: c.key })));
    }
    this.sender.value = String(senderIndex);
    this.senderField.hidden = clients.length < 2;
  }

  #row(index, paths, keyFunc, count) {
    const on = (patch) => this.handlers.onClient(index, patch);
    const id = uniqueId('client');
    const key = h('input.client-key', {
      id: `${id}-key`, type: 'text', spellcheck: 'false', 'aria-label': `Client ${index + 1} address`,
      onchange: () => on({ key: key.value.trim() }),
    });
    const apiKey = h('input.client-apikey', {
      type: 'text', spellcheck: 'false', 'aria-label': `Client ${index + 1} X-Api-Key header`,
      onchange: () => on({ apiKey: apiKey.value }),
    });
    const pattern = h('select', { 'aria-label': `Client ${index + 1} traffic`, onchange: () => on({ pattern: pattern.value }) },
      PATTERNS.map((p) => h('option', { value: p, text: PATTERN_LABELS[p] })));
    const rate = h('input.rate', {
      type: 'range', min: '-2', max: '3', step: '0.01', 'aria-label': `Client ${index + 1} requests per second`,
      oninput: () => on({ rate: snapRate(10 ** Number(rate.value)) }),
    });
    const rateOut = h('output.rate-value', { 'aria-live': 'off' });  // the slider says its value
    const retry = h('select', { 'aria-label': `Client ${index + 1} on 429`, onchange: () => on({ retry: retry.value }) },
      RETRIES.map((r) => h('option', { value: r, text: RETRY_LABELS[r] })));
    const path = h('select', { 'aria-label': `Client ${index + 1} path`, onchange: () => on({ path: path.value }) },
      paths.map((p) => h('option', { value: p, text: `GET ${p}` })));
    const remove = h('button.icon-button', {
      type: 'button', 'aria-label': `Remove client ${index + 1}`, title: 'Remove this client',
      onclick: () => this.handlers.onRemove(index), disabled: count <= 1,
    }, icon('close'));
    const rateField = h('span.rate-field', {}, rate, rateOut);
    const field = (label, control) => [h('span.client-label', { 'aria-hidden': 'true', text: label }), control];
    const element = h('li.client', { 'data-client': String(index + 1) },
      h('div.client-head', {},
        h('span.client-swatch', { 'aria-hidden': 'true', text: String(index + 1) }),
        key, remove),
      h('div.client-grid', {},
        keyFunc === 'header' ? field('X-Api-Key', apiKey) : null,
        field('Traffic', pattern),
        field('Rate', rateField),
        field('On 429', retry),
        paths.length > 1 ? field('Path', path) : null));
    return {
      element,
      sync(c, followsFirst) {
        if (key.value !== c.key && key.getRootNode().activeElement !== key) key.value = c.key;
        if (apiKey.value !== c.apiKey && apiKey.getRootNode().activeElement !== apiKey) apiKey.value = c.apiKey;
        pattern.value = c.pattern;
        retry.value = c.retry;
        path.value = paths.includes(c.path) ? c.path : '/';
        if (rate.getRootNode().activeElement !== rate) rate.value = Math.log10(c.rate).toFixed(2);
        setText(rateOut, rateLabel(c.rate));
        rate.setAttribute('aria-valuetext', `${rateLabel(c.rate)} requests per second`);
        rateField.classList.toggle('muted', c.pattern === 'manual' || followsFirst);
        rate.disabled = c.pattern === 'manual' || followsFirst;
        pattern.disabled = retry.disabled = path.disabled = followsFirst;
      },
    };
  }
}
