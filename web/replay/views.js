// The replay's result views: each a function of the result that redraws its container.
import { h, s, formatTick, niceStep } from '../playground/dom.js';
import { ALGORITHM_LABELS } from '../playground/config.js';

/** An algorithm's name as the playground shows it (the engine's and the CLI's name is `name`). */
export const algorithmName = (name) => ALGORITHM_LABELS[name] ?? name;

/** A count as the page writes it: 3,000. */
export const count = (n) => n.toLocaleString('en-US');
/** How the requests whose line names no client (client '') are shown. */
export const NO_CLIENT = '(no client field)';
const percent = (part, whole) => (whole ? `${((100 * part) / whole).toFixed(1)}%` : '0%');

/** How long the replay took, from the worker's `timing` ({readMs, replayMs}), as one sentence. */
export function describeTiming(timing, algorithms) {
  if (!timing) return '';
  const duration = (ms) => (ms < 1 ? 'under 1 ms' : ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(2)} s`);
  const through = algorithms === 1 ? 'one algorithm' : `all ${algorithms} algorithms`;
  const replayed = `through ${through} in ${duration(timing.replayMs)}, in your browser.`;
  return timing.readMs === undefined ? `Replayed ${replayed}` : `Read in ${duration(timing.readMs)}, replayed ${replayed}`;
}

/** `text` as one word for a POSIX shell: as it is when it is plain, else single-quoted. */
const shellWord = (text) => (/^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replaceAll("'", "'\\''")}'`);

/**
 * The command that replays the same files with the same options in the command line tool
 * (`ratelimit-sim replay`, cli/replay.cpp): the options as chosen (`rule`, `strategy`, `key`,
 * `keyField`, `publicProxies`, `path`, `methods`, `format`), only where they differ from its
 * defaults; `files` are the file names, '-' (stdin) for pasted text.
 */
export function commandLine({ rule, strategy, key, keyField, publicProxies, path, methods, format }, files) {
  const words = ['ratelimit-sim', 'replay', '--rule', rule];
  if (strategy !== 'all') words.push('--strategy', strategy);
  if (key === 'none') words.push('--key', 'none');
  else if (keyField) words.push('--key', `field:${keyField}`);
  if (keyField && publicProxies > 0) words.push('--public-proxies', String(publicProxies));
  if (path) words.push('--path', path);
  if (methods) words.push('--method', methods);
  if (format !== 'auto') words.push('--format', format);
  return [...words, ...files].map(shellWord).join(' ');
}

/**
 * The bucket family's note for under the totals: the algorithms marked `sameAs` share its figures
 * (one meter, which the engine replays once); '' when none is marked (a run of one algorithm).
 */
export function describeSameAs(result) {
  const shared = result.algorithms.filter((one) => one.sameAs);
  if (!shared.length) return '';
  const names = [shared[0].sameAs, ...shared.map((one) => one.algorithm)].map(algorithmName);
  return `${names.slice(0, -1).join(', ')} and ${names.at(-1)} admit exactly the same requests: they are one meter, ` +
    "a level that drains at the rule's rate, so it was replayed once. They differ only in how they describe " +
    `it, and ${algorithmName('leaky-queue')} makes some admitted requests wait instead of passing at once.`;
}

/**
 * A row that is a button: `name`, a bar split into `allowed` and `denied`, and `figures` (a list
 * of [class, text]) at the end; `pressed` marks the chosen row.
 */
function barRow({ name, allowed, denied, figures, pressed, label, onclick }) {
  const total = allowed + denied;
  const allowedBar = h('span.bar-allowed');
  const deniedBar = h('span.bar-denied');
  allowedBar.style.width = percent(allowed, total);
  deniedBar.style.width = percent(denied, total);
  // A toggle button (aria-pressed) in its group: a list item role would hide that it is a button.
  return h('button.total-row', { type: 'button', 'aria-pressed': String(pressed), 'aria-label': label, onclick },
    h('span.total-name', { text: name, title: name }),
    h('span.bar', { 'aria-hidden': 'true' }, allowedBar, deniedBar),
    h('span.total-numbers', { 'aria-hidden': 'true' }, ...figures.map(([className, text]) => h(`span.${className}`, { text }))));
}

/** One row per algorithm: a bar split into allowed and denied; a row is a button that selects it. */
export function drawTotals(container, result, selected, onSelect) {
  container.replaceChildren(...result.algorithms.map((one) => barRow({
    name: algorithmName(one.algorithm), allowed: one.allowed, denied: one.denied, pressed: one.algorithm === selected,
    figures: [['allowed-text', `${count(one.allowed)} allowed`], ['denied-text', `${count(one.denied)} denied · ${percent(one.denied, one.allowed + one.denied)}`]],
    label: `${algorithmName(one.algorithm)}: ${count(one.allowed)} allowed, ${count(one.denied)} denied`,
    onclick: () => onSelect(one.algorithm),
  })));
}

/**
 * The selected algorithm under the rule scaled from an eighth to eight times (the worker's
 * `scaled`; null while it runs, [] when it could not): one row per rule, the rule in force
 * pressed; picking a row calls `onPick(rule)`.
 */
export function drawScaled(container, result, scaled, onPick) {
  if (!scaled?.length) {  // still running, or the log is gone (a cancelled replay)
    container.replaceChildren(h('p.empty', { text: scaled ? 'Read the log again to see tighter and looser rules.' : 'Replaying tighter and looser rules…' }));
    return;
  }
  const perClient = result.key === 'ip';
  container.replaceChildren(...scaled.map((one) => {
    const share = `${count(one.denied)} denied · ${percent(one.denied, result.requests)}`;
    const clients = perClient ? `${count(one.clientsDenied)} of ${count(result.clients)} clients` : '';
    return barRow({
      name: one.rule, allowed: result.requests - one.denied, denied: one.denied, pressed: one.factor === 1,
      figures: [['allowed-text', clients], ['denied-text', share]],
      label: `${one.rule}${one.factor === 1 ? ' (the rule in force)' : ''}: ${share}${clients ? `, ${clients} with a request denied` : ''}`,
      onclick: () => onPick(one.rule),
    });
  }));
}

const CHART = { width: 640, height: 190, left: 44, right: 10, top: 10, bottom: 26 };

/**
 * The selected algorithm's denied requests per bucket over the log's span, as SVG bars; with
 * `offender` (one of one.top), its own denials drawn over them and named in a legend.
 */
export function drawTimeline(container, result, one, offender) {
  // Drawn at the container's own width, so labels keep their size on a phone.
  const width = Math.max(260, Math.round(container.clientWidth || CHART.width));
  const { height, left, right, top, bottom } = CHART;
  const most = Math.max(1, ...one.timeline);
  const plotWidth = width - left - right;
  const plotHeight = height - top - bottom;
  const barWidth = plotWidth / one.timeline.length;
  const span = result.end - result.start;
  const yStep = Math.max(1, niceStep(most / 4));  // whole requests
  const grid = [];
  for (let y = 0; y <= most; y += yStep) {
    const at = top + plotHeight * (1 - y / most);
    grid.push(s('line.grid-line', { x1: left, x2: width - right, y1: at, y2: at }),
      s('text.axis-label', { x: left - 6, y: at + 4, 'text-anchor': 'end', text: count(y) }));
  }
  const xStep = span > 0 ? niceStep(span / Math.max(2, Math.floor(width / 110))) : 1;
  for (let t = 0; span > 0 && t <= span; t += xStep) {
    const x = left + (plotWidth * t) / span;
    // A tick at the right edge ends there, so its label is not cut off.
    grid.push(s('text.axis-label', { x, y: height - 8, 'text-anchor': width - right - x < 30 ? 'end' : 'middle', text: formatTick(t) }));
  }
  const bar = (kind, denied, i, text) => {
    const barHeight = (plotHeight * denied) / most;
    return s(`rect.${kind}`, { x: left + i * barWidth + 0.5, y: top + plotHeight - barHeight, width: Math.max(barWidth - 1, 0.5), height: barHeight },
      s('title', { text: `${formatTick(i * result.bucketSeconds)}–${formatTick((i + 1) * result.bucketSeconds)}: ${text}` }));
  };
  const bars = one.timeline.map((denied, i) => bar('timeline-bar', denied, i, `${count(denied)} denied`));
  const mine = offender?.timeline.flatMap((denied, i) => (denied ? [bar('timeline-bar-client', denied, i, `${count(denied)} of ${count(one.timeline[i])} denied were ${offender.client}'s`)] : [])) ?? [];
  const label = `${count(one.denied)} requests denied by ${algorithmName(one.algorithm)} over ${formatTick(span)}, most in one bucket: ${count(Math.max(0, ...one.timeline))}` +
    (offender ? `; ${count(offender.denied)} of them ${offender.client}'s` : '');
  const chart = s(`svg.timeline-chart${offender ? '.has-client' : ''}`, { viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': label },
    ...grid, s('line.axis', { x1: left, x2: width - right, y1: top + plotHeight, y2: top + plotHeight }), ...bars, ...mine);
  const legend = offender
    ? h('p.timeline-legend', {}, h('span.legend-swatch', { 'aria-hidden': 'true' }),
      h('span', { text: `${offender.client || NO_CLIENT}: ${count(offender.denied)} of the ${count(one.denied)} denied` }))
    : h('p.timeline-legend', { text: 'Pick an offender to see its share of the denials.', hidden: one.top.length === 0 });
  container.replaceChildren(chart, legend);
}

/**
 * How many clients the selected algorithm denied anything, and those with the most denied
 * requests; a client's name is a button that highlights it in the timeline (`onPick(client)`,
 * `offender` the highlighted one).
 */
export function drawOffenders(container, result, one, key, offender, onPick, onWatch) {
  if (key === 'none') {
    container.replaceChildren(h('p.empty', { text: 'All requests shared one key, so there are no per-client counts. Count per client to see offenders.' }));
    return;
  }
  if (one.top.length === 0) {
    container.replaceChildren(h('p.empty', { text: 'No client had a request denied.' }));
    return;
  }
  const rows = one.top.map((entry) => {
    const share = h('span.share-fill');
    share.style.width = percent(entry.denied, entry.requests);
    const name = entry.client || NO_CLIENT;
    return h('tr', {},
      h('td.client-name', {}, h('button.client-pick', {
        type: 'button', text: name, 'aria-pressed': String(entry === offender),
        'aria-label': `${name}: highlight its denials in the timeline`, onclick: () => onPick(entry.client),
      })),
      h('td.num', { text: count(entry.requests) }),
      h('td.num', { text: count(entry.denied) }),
      h('td', {}, h('span.share', {}, h('span.share-bar', { 'aria-hidden': 'true' }, share), h('span', { text: percent(entry.denied, entry.requests) }))));
  });
  const summary = `${count(one.clientsDenied)} of ${count(result.clients)} clients had a request denied` +
    (one.clientsDenied > one.top.length ? `; the ${one.top.length} most denied:` : ':');
  // The picked offender (one with a name) can be watched request by request in a playground.
  const watch = offender?.client
    ? [h('button.watch-offender', { type: 'button', text: `Watch ${offender.client} in the playground`, onclick: () => onWatch(offender.client) })]
    : [];
  container.replaceChildren(h('p.offender-summary', { text: summary }), h('table.offender-table', {},
    h('thead', {}, h('tr', {}, h('th', { scope: 'col', text: 'Client' }), h('th.num', { scope: 'col', text: 'Requests' }),
      h('th.num', { scope: 'col', text: 'Denied' }), h('th', { scope: 'col', text: 'Share denied' }))),
    h('tbody', {}, ...rows)), ...watch);
}

/** How many lines were skipped, and the first few with their numbers and reasons. */
export function drawBadLines(container, result) {
  const title = result.lines === 0 ? 'No bad lines: there was no line to read.'
    : result.badLines === 0 ? `No bad lines: all ${count(result.lines)} lines read.`
    : `${count(result.badLines)} bad ${result.badLines === 1 ? 'line was' : 'lines were'} skipped` +
      (result.badLines > result.badSamples.length ? ` (the first ${result.badSamples.length} below)` : '') + '.';
  const items = result.badSamples.map((bad) => h('li', {},
    h('span.bad-where', { text: `${result.files?.length > 1 ? `${result.files[bad.file]}, line` : 'Line'} ${count(bad.line)}` }), h('span.bad-reason', { text: bad.reason }),
    ...(bad.text ? [h('code.bad-text', { text: bad.text })] : [])));  // nothing to quote: a compressed file, a break between lines
  container.replaceChildren(h('h3.panel-title', { text: 'Bad lines' }), h('p.bad-summary', { text: title }),
    ...(items.length ? [h('ol.bad-list', {}, ...items)] : []));
}
