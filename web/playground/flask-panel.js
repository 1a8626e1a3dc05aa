// The "Flask app" panel: the routes (path, own limit, exempt, override_defaults), default and
// application limits, the key function, and the equivalent app.py. Limit strings here are
// passed to the engine as typed, even when invalid, because Flask-Limiter's reaction to a bad
// string is part of the lesson (a bad decorator string falls back to the defaults; a bad
// default string makes undecorated routes answer 500); the panel says so next to the field.
import { h, keepingFocus, uniqueId } from './dom.js';
import { icon } from './icons.js';
import { KEY_FUNCS, PROXY_MODES } from './config.js';

export class FlaskPanel {
  /**
   * @param {(text: string) => any} parse  the engine's parseRule
   * @param {{onChange: (patch: object) => void, onRoute: (index: number, patch: object|null) => void,
   *          onAddRoute: () => void}} handlers
   */
  constructor(parse, handlers) {
    this.parse = parse;
    this.handlers = handlers;
    const id = uniqueId('flask');
    this.keyFunc = h('select', { id: `${id}-key`, onchange: () => handlers.onChange({ keyFunc: this.keyFunc.value }) },
      Object.entries(KEY_FUNCS).map(([value, text]) => h('option', { value, text })));
    this.proxy = h('select', { id: `${id}-proxy`, onchange: () => handlers.onChange({ proxy: this.proxy.value }) },
      Object.entries(PROXY_MODES).map(([value, text]) => h('option', { value, text })));
    this.workers = h('input.workers-input', {
      id: `${id}-workers`, type: 'number', min: '1', max: '16', step: '1',
      onchange: () => {
        const n = Math.round(Number(this.workers.value));
        if (n >= 1 && n <= 16) handlers.onChange({ workers: n });
      },
    });
    this.defaults = this.#limitField(`${id}-defaults`, 'defaultLimits',
      'A bad default string makes every route that uses the defaults answer 500: those without their own limit, and those that keep the defaults beside it.');
    this.application = this.#limitField(`${id}-app`, 'applicationLimits',
      'One counter per client shared by all routes (checked before the view).');
    this.routeList = h('tbody');
    this.code = h('code');
    this.copy = h('button.copy', { type: 'button', onclick: () => this.#copy() }, h('span', { text: 'Copy' }));
    this.element = h('details.flask-panel', {},
      h('summary', {},
        h('span.summary-title', { text: 'Flask app' }),
        h('span.summary-help', { text: 'routes, default and application limits, key function — and the equivalent app.py' })),
      h('div.flask-body', {},
        h('div.flask-form', {},
          h('div.form-row', {}, h('label', { for: `${id}-key`, text: 'Key function of @limiter.limit' }), this.keyFunc),
          h('div.form-row', {}, h('label', { for: `${id}-proxy`, text: 'In front of Flask' }), this.proxy),
          h('div.form-row', {}, h('label', { for: `${id}-workers`, text: 'Worker processes (memory:// storage each)' }), this.workers,
            h('p.field-help', { text: 'Requests are spread over the workers (here in turn, as a round-robin balancer would); each counts only what it sees.' })),
          this.defaults.row,
          this.application.row,
          h('div.routes', {},
            h('table.routes-table', {},
              h('caption', { text: 'Routes' }),
              h('thead', {}, h('tr', {},
                h('th', { scope: 'col', text: 'Path' }), h('th', { scope: 'col', text: '@limiter.limit' }),
                h('th', { scope: 'col', text: 'Exempt' }), h('th', { scope: 'col', text: 'Override defaults' }),
                h('th', { scope: 'col' }, h('span.visually-hidden', { text: 'Remove' })))),
              this.routeList),
            h('button.add-route', { type: 'button', onclick: handlers.onAddRoute }, icon('plus'), h('span', { text: 'Add route' })))),
        h('div.flask-code', {},
          h('div.code-head', {}, h('span', { text: 'app.py' }), this.copy),
          h('pre', { tabindex: '0', 'aria-label': 'Equivalent Flask application' }, this.code))));
  }

  #limitField(id, field, help) {
    const input = h('input.limit-input', {
      id, type: 'text', spellcheck: 'false', placeholder: 'none', autocomplete: 'off',
      onchange: () => this.handlers.onChange({ [field]: input.value }),
      oninput: () => this.#validate(input, message),
    });
    const message = h('p.field-message', { id: `${id}-msg` });
    input.setAttribute('aria-describedby', `${id}-msg`);
    const label = field === 'defaultLimits' ? 'Default limits' : 'Application limits';
    const row = h('div.form-row', {}, h('label', { for: id, text: label }), input,
      h('p.field-help', { text: help }), message);
    return { input, message, row };
  }

  #validate(input, message) {
    const text = input.value.trim();
    const parsed = text ? this.parse(text) : { limits: [] };
    if (parsed.error !== undefined) {
      message.textContent = `${parsed.error}${parsed.hint ? ` — ${parsed.hint}` : ''}`;
      input.setAttribute('aria-invalid', 'true');
    } else {
      message.textContent = parsed.limits.length ? `= ${parsed.limits.map((l) => l.text).join(' · ')}` : '';
      input.setAttribute('aria-invalid', 'false');
    }
    message.classList.toggle('error', parsed.error !== undefined);
  }

  async #copy() {
    try {
      await navigator.clipboard.writeText(this.code.textContent);
      this.copy.firstChild.textContent = 'Copied';
    } catch {
      this.copy.firstChild.textContent = 'Select and copy';
    }
    setTimeout(() => { this.copy.firstChild.textContent = 'Copy'; }, 1500);
  }

  show(state, source) {
    this.keyFunc.value = state.keyFunc;
    this.proxy.value = state.proxy;
    if (this.workers.getRootNode().activeElement !== this.workers) this.workers.value = String(state.workers);
    for (const [field, f] of [['defaultLimits', this.defaults], ['applicationLimits', this.application]]) {
      if (f.input.getRootNode().activeElement !== f.input) f.input.value = state[field];
      this.#validate(f.input, f.message);
    }
    const shape = JSON.stringify([state.validRule, state.root, state.routes]);
    if (shape !== this.shape) {
      this.shape = shape;
      // A route removed: focus goes to Add route.
      keepingFocus(this.routeList, () => this.routeList.replaceChildren(this.#rootRow(state), ...state.routes.map((r, i) => this.#routeRow(r, i))),
        () => this.element.querySelector('.add-route'));
    }
    if (this.code.textContent !== source) this.code.textContent = source;
  }

  #rootRow(state) {
    const root = (patch) => this.handlers.onChange({ root: { ...state.root, ...patch } });
    return h('tr', {},
      h('td', {}, h('code', { text: '/' })),
      h('td', {}, h('code.rule-ref', { text: state.validRule, title: 'Edit it in the Rule field above' })),
      h('td', {}, checkbox(state.root.exempt, 'Route / exempt', (v) => root({ exempt: v }))),
      h('td', {}, checkbox(state.root.overrideDefaults, 'Route / overrides the default limits', (v) => root({ overrideDefaults: v }))),
      h('td'));
  }

  #routeRow(route, index) {
    const on = (patch) => this.handlers.onRoute(index, patch);
    const path = h('input.route-path', { type: 'text', value: route.path, spellcheck: 'false', 'aria-label': `Route ${index + 2} path`,
      onchange: () => on({ path: path.value }) });
    const limit = h('input.route-limit', { type: 'text', value: route.limit, spellcheck: 'false', placeholder: 'none (defaults apply)',
      'aria-label': `Route ${index + 2} limit`, onchange: () => on({ limit: limit.value }) });
    return h('tr', {},
      h('td', {}, path),
      h('td', {}, limit),
      h('td', {}, checkbox(route.exempt, `Route ${index + 2} exempt`, (v) => on({ exempt: v }))),
      h('td', {}, checkbox(route.overrideDefaults, `Route ${index + 2} overrides the default limits`, (v) => on({ overrideDefaults: v }))),
      h('td', {}, h('button.icon-button', { type: 'button', 'aria-label': `Remove route ${route.path}`, onclick: () => on(null) }, icon('close'))));
  }
}

function checkbox(checked, label, onChange) {
  const box = h('input', { type: 'checkbox', 'aria-label': label, checked, onchange: () => onChange(box.checked) });
  return box;
}
