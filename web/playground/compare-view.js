// Side by side: every algorithm on the identical seeded traffic, each lane with its requests,
// its totals, and the overlay: the most requests it admitted for one client in any trailing
// window of the rule's length (maxInWindow) against the limit (windowLimit). Fixed windows and
// the sliding counter can reach about twice the limit around a boundary; the log never passes it.
import { h, setText, setAttr, uniqueId, formatCount, trimNumber } from './dom.js';
import { ALGORITHM_LABELS } from './config.js';
import { Timeline } from './timeline.js';

export class CompareView {
  /**
   * @param {{name: string, semantics: string}[]} algorithms
   * @param {{onPick: (lane: number, index: number) => void, onKey: (lane: number, e: KeyboardEvent) => void}} handlers
   */
  constructor(algorithms, handlers) {
    this.algorithms = algorithms;
    this.handlers = handlers;
    const id = uniqueId('cmp');
    this.list = h('div.lanes');
    this.note = h('p.panel-note');
    this.element = h('section.compare-view', { 'aria-labelledby': `${id}-title` },
      h('div.panel-head', {}, h('h3.panel-title', { id: `${id}-title`, text: 'Every algorithm on the same traffic' })),
      this.note,
      this.list);
    this.lanes = [];
    this.names = '';
  }

  #lane(name, index) {
    const a = this.algorithms.find((x) => x.name === name) ?? { semantics: '' };
    const timeline = new Timeline({
      rows: 1, gutter: 0, rowHeight: 26, axisLabels: false, label: `${ALGORITHM_LABELS[name] ?? name}: requests over time`,
      onPick: (i) => this.handlers.onPick(index, i),
      onKey: (e) => this.handlers.onKey(index, e),
    });
    const totals = h('span.lane-totals');
    const fill = h('div.gauge-fill');
    const limitMark = h('div.gauge-limit');
    const gaugeText = h('span.gauge-text');
    const ratio = h('strong.gauge-ratio');
    const gauge = h('div.overlay-gauge', {},
      h('div.gauge-track', {}, fill, limitMark),
      h('div.gauge-caption', {}, ratio, gaugeText));
    const element = h('article.lane', { 'data-algorithm': name },
      h('div.lane-head', {},
        h('strong.lane-name', { text: ALGORITHM_LABELS[name] ?? name }),
        index === 0 ? h('span.tag.primary-tag', { text: 'selected' }) : null,
        h('span.lane-semantics', { text: a.semantics })),
      totals,
      timeline.element,
      gauge);
    return { name, element, timeline, totals, fill, limitMark, gaugeText, ratio, gauge };
  }

  /**
   * @param {import('./run.js').Run} run
   * @param {{t0: number, t1: number, now: number, palette: any, colorOf: (k: number) => string,
   *          selected: {lane: number, index: number}}} view
   */
  update(run, view) {
    const names = run.lanes.join(' ');
    if (names !== this.names) {
      this.names = names;
      this.lanes = run.lanes.map((name, i) => this.#lane(name, i));
      this.list.replaceChildren(...this.lanes.map((l) => l.element));
    }
    const totals = run.totals;
    const limit = totals[0]?.windowLimit ?? 0;
    const windowSeconds = totals[0]?.window ?? 0;
    let top = 2 * limit;
    for (const t of totals) top = Math.max(top, t.maxInWindow);
    top = Math.max(1, top * 1.04);
    setText(this.note, limit > 0
      ? `Bars: the most requests each algorithm admitted for one client in any ${trimNumber(windowSeconds)} s window, against the limit of ${limit} (the line). A fixed window can pass twice its limit around a boundary; a bucket its capacity plus what refills within the window; the moving window's log never passes it.`
      : 'No limit with a window applies, so there is nothing to measure against.');
    this.lanes.forEach((lane, i) => {
      const t = totals[i];
      setText(lane.totals, `${formatCount(t.requests)} requests · ${formatCount(t.allowed)} answered 2xx · ${formatCount(t.rejected)} refused (429) · ${formatCount(t.retries)} retries${t.delayed ? ` · ${formatCount(t.delayed)} delayed` : ''}`);
      lane.timeline.draw({
        ring: run.rings[i], generation: run.generation, t0: view.t0, t1: view.t1, now: view.now,
        rows: [{ label: '', color: view.palette.neutral }], rowOf: () => 0, colorOf: view.colorOf,
        selected: view.selected.lane === i ? view.selected.index : -1, palette: view.palette,
      });
      lane.gauge.hidden = limit <= 0;
      if (limit <= 0) return;
      const over = t.maxInWindow > t.windowLimit;
      lane.fill.style.width = `${(100 * t.maxInWindow) / top}%`;
      lane.limitMark.style.left = `${(100 * t.windowLimit) / top}%`;
      lane.element.classList.toggle('over-limit', over);
      const times = t.windowLimit ? t.maxInWindow / t.windowLimit : 0;
      setText(lane.ratio, over ? `${trimNumber(times, 1)}× the limit` : t.maxInWindow === t.windowLimit ? 'at the limit' : 'within the limit');
      setText(lane.gaugeText, ` · at most ${t.maxInWindow} of ${t.windowLimit} in any ${trimNumber(t.window)} s`);
      setAttr(lane.gauge, 'aria-label', `${ALGORITHM_LABELS[lane.name] ?? lane.name}: at most ${t.maxInWindow} admitted in any ${trimNumber(t.window)} s window; limit ${t.windowLimit}`);
    });
  }
}
