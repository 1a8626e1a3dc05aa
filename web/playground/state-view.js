// "What the algorithm sees": one picture per limit a request from the chosen client meets, in
// Flask-Limiter's check order, each from the engine's inspect() snapshot.
import { h, setText, uniqueId, resetFromNow } from './dom.js';
import { ALGORITHM_LABELS } from './config.js';
import { FixedWindowPicture, MovingWindowPicture, SlidingCounterPicture } from './window-pictures.js';
import { MeterPicture, QueuePicture, GcraPicture } from './bucket-pictures.js';
import { WIDE, NARROW } from './picture-frame.js';

const PICTURES = {
  'fixed-window': (width) => new FixedWindowPicture(width),
  'fixed-window-elastic-expiry': (width) => new FixedWindowPicture(width),
  'moving-window': (width) => new MovingWindowPicture(width),
  'sliding-window-counter': (width) => new SlidingCounterPicture(width),
  'token-bucket': (width) => new MeterPicture('tokens', width),
  'leaky-bucket': (width) => new MeterPicture('water', width),
  'leaky-queue': (width) => new QueuePicture(width),
  gcra: (width) => new GcraPicture(width),
};

const SOURCE_LABELS = { route: '@limiter.limit', default: 'default limit', application: 'application limit', shared: 'shared limit' };

export class StateView {
  /** @param {{onFocusClient: (index: number) => void, onResize: () => void}} handlers */
  constructor({ onFocusClient, onResize }) {
    this.onResize = onResize;
    const id = uniqueId('state');
    this.title = h('h3.panel-title', { id: `${id}-title`, text: 'What the algorithm sees' });
    this.semantics = h('span.badge');
    this.focus = h('select', { id: `${id}-focus`, onchange: () => onFocusClient(Number(this.focus.value)) });
    this.focusField = h('span.focus-field', {}, h('label', { for: `${id}-focus`, text: 'for' }), this.focus);
    this.list = h('div.figures');
    this.empty = h('p.empty-note');
    this.element = h('section.state-view', { 'aria-labelledby': `${id}-title` },
      h('div.panel-head', {}, this.title, this.semantics, this.focusField),
      this.list, this.empty);
    this.figures = [];
    this.signature = '';
    this.width = WIDE;
    // Narrow columns get narrow pictures (their text would be too small scaled down); from
    // 540 px the wide one reads well (a doc column's compact playground is about 600 px).
    new ResizeObserver(() => {
      const width = this.list.clientWidth && this.list.clientWidth < 540 ? NARROW : WIDE;
      if (width !== this.width) {
        this.width = width;
        this.signature = '';
        this.onResize?.();
      }
    }).observe(this.list);
  }

  /** Clears what the pictures remembered (after a seek or a new run). */
  reset() {
    for (const f of this.figures) f.picture.reset();
  }

  /**
   * @param {any[]} states  inspect() of the primary lane for the focus client
   * @param {{nowEpoch: number, epoch: number, ring: any, keyIndex: number}} ctx
   * @param {{name: string, semantics: string}} algorithm
   * @param {{clients: {key: string}[], focus: number, path: string, exempt: boolean, worker: string}} view  `worker`: which
   *   worker process the pictures show, when there are several
   */
  update(states, ctx, algorithm, view) {
    setText(this.semantics, `${ALGORITHM_LABELS[algorithm.name] ?? algorithm.name} · follows ${algorithm.semantics}`);
    const keys = view.clients.map((c) => c.key).join(' ');
    if (keys !== this.focusKeys) {
      this.focusKeys = keys;
      this.focus.replaceChildren(...view.clients.map((c, i) => h('option', { value: String(i), text: c.key })));
    }
    this.focus.value = String(view.focus);
    this.focusField.hidden = view.clients.length < 2;

    const signature = `${this.width}\n${states.map((st) => `${st.snapshot.algorithm}|${st.limit.text}|${st.source}|${st.key}`).join('\n')}`;
    if (signature !== this.signature) {
      this.signature = signature;
      this.figures = states.map((st) => this.#figure(st));
      this.list.replaceChildren(...this.figures.map((f) => f.element));
    }
    this.empty.hidden = states.length > 0;
    if (!states.length) {
      setText(this.empty, `No limit applies to GET ${view.path} from ${view.clients[view.focus]?.key ?? ''}${view.exempt ? ' (the route is exempt)' : ''}: every request is answered 200 without rate-limit headers.`);
    }
    states.forEach((st, i) => {
      const f = this.figures[i];
      const text = f.picture.update(st, ctx);
      setText(f.explain, text);
      setText(f.stats, `remaining ${st.remaining} · reset ${resetFromNow(st.reset, ctx.nowEpoch)}${view.worker ? ` · ${view.worker}` : ''}`);
    });
  }

  #figure(st) {
    const picture = PICTURES[st.snapshot.algorithm](this.width);
    const explain = h('p.figure-explain');
    const stats = h('span.figure-stats');
    const element = h('figure.state-figure', { 'data-algorithm': st.snapshot.algorithm },
      h('figcaption', {},
        h('span.chip.strong', { text: st.limit.text }),
        h('span.source', { text: SOURCE_LABELS[st.source] ?? st.source }),
        stats,
        h('code.storage-key', { text: st.key, title: 'Storage key' })),
      picture.svg,
      explain);
    return { element, picture, explain, stats };
  }
}
