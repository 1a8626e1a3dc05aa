// Small DOM and formatting helpers shared by the playground's views. Text always goes in through
// textContent / attributes, never as markup, so nothing a learner types can become HTML.

const SVG_NS = 'http://www.w3.org/2000/svg';

/**
 * Creates an HTML element.
 * @param {string} tag  e.g. 'button' or 'div.card' (class names after dots)
 * @param {Record<string, any>} [props]  attributes; `on*` functions become listeners,
 *   `text` sets textContent, `class` adds classes, `hidden`/`disabled` are boolean attributes
 * @param {...(Node|string|null|undefined|false)} children
 * @returns {HTMLElement}
 */
export function h(tag, props = {}, ...children) {
  const [name, ...classes] = tag.split('.');
  const el = document.createElement(name);
  if (classes.length) el.classList.add(...classes);
  applyProps(el, props);
  appendChildren(el, children);
  return el;
}

/**
 * Creates an SVG element (same conventions as h()).
 * @param {string} tag
 * @param {Record<string, any>} [props]
 * @param {...(Node|string|null|undefined|false)} children
 * @returns {SVGElement}
 */
export function s(tag, props = {}, ...children) {
  const [name, ...classes] = tag.split('.');
  const el = document.createElementNS(SVG_NS, name);
  if (classes.length) el.classList.add(...classes);
  applyProps(el, props);
  appendChildren(el, children);
  return el;
}

function applyProps(el, props) {
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'text') el.textContent = String(value);
    else if (key === 'class') el.classList.add(...String(value).split(/\s+/).filter(Boolean));
    else if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2), value);
    else if (value === true) el.setAttribute(key, '');
    else el.setAttribute(key, String(value));
  }
}

function appendChildren(el, children) {
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child);
  }
}

/** Scrolls `element` to the top of the window: smoothly, unless the reader asked for less motion. */
export function scrollToTop(element) {
  element.scrollIntoView({ block: 'start', behavior: matchMedia('(prefers-reduced-motion: reduce)').matches ? 'auto' : 'smooth' });
}

/** How the reader copies what is selected: the keys, or on a touch screen the system's menu. */
export function copyHint() {
  if (matchMedia('(pointer: coarse)').matches) return 'touch and hold it, then Copy';
  return /Mac|iPhone|iPad/.test(navigator.platform) ? 'press ⌘C' : 'press Ctrl+C';
}

/**
 * Copies the text of `element` to the clipboard and says so in `label`; without a clipboard
 * (no permission, an old browser), selects it for the reader to copy.
 */
export async function copyText(element, label) {
  try {
    await navigator.clipboard.writeText(element.textContent);
    label.textContent = 'Copied';
  } catch {
    getSelection()?.selectAllChildren(element);
    label.textContent = `Selected: ${copyHint()}`;
  }
}

/** Sets an attribute only when it changes (cheap enough to call every frame). */
export function setAttr(el, name, value) {
  const text = String(value);
  if (el.getAttribute(name) !== text) el.setAttribute(name, text);
}

/** Sets textContent only when it changes. */
export function setText(el, value) {
  const text = String(value);
  if (el.textContent !== text) el.textContent = text;
}

/** A unique id prefix per element instance, for label/aria wiring inside one shadow root. */
let idCounter = 0;
export function uniqueId(prefix) {
  idCounter += 1;
  return `${prefix}-${idCounter}`;
}

// ---- numbers and times ------------------------------------------------------------------

/**
 * A short axis label for a time offset: "0", "30 s", "2 min", "1:15", "1:40.5", "2 h", "1:41:15",
 * "3 d". Whole minutes and hours go by their unit, the times between them as a clock: as
 * decimals, the ticks of a short span late in a long run would all read "1.68 h".
 */
export function formatTick(seconds) {
  const trim = (x) => String(Number(x.toFixed(2)));
  const a = Math.round(Math.abs(seconds) * 100) / 100;
  if (a === 0) return '0';
  if (a < 60) return `${trim(seconds)} s`;
  if (a >= 86400) return `${trim(seconds / 86400)} d`;
  if (a % 3600 === 0) return `${trim(seconds / 3600)} h`;
  if (a < 3600 && a % 60 === 0) return `${trim(seconds / 60)} min`;
  const two = (n) => (n < 10 ? '0' : '') + trim(n);
  const minutes = Math.floor(a / 60) % 60;
  const clock = a < 3600 ? `${minutes}:${two(a % 60)}` : `${Math.floor(a / 3600)}:${two(minutes)}:${two(a % 60)}`;
  return `${seconds < 0 ? '-' : ''}${clock}`;
}

/** "2023-11-14 22:13:20.35 UTC" for an epoch time in seconds; without " UTC" when `utc` is false. */
export function formatClock(epochSeconds, utc = true) {
  const date = new Date(epochSeconds * 1000);
  const iso = date.toISOString();  // 2023-11-14T22:13:20.350Z
  return `${iso.slice(0, 10)} ${iso.slice(11, 22)}${utc ? ' UTC' : ''}`;
}

/** A compact number: 12, 1.2k, 3.4M. */
export function formatCount(n) {
  if (n < 10000) return String(n);
  if (n < 1e6) return `${(n / 1000).toFixed(n < 1e5 ? 1 : 0)}k`;
  return `${(n / 1e6).toFixed(1)}M`;
}

/** A number with at most `digits` decimals and no trailing zeros. */
export function trimNumber(x, digits = 2) {
  return String(Number(x.toFixed(digits)));
}

/** Seconds as a short number: 2 decimals below 10, 1 above. */
export function formatSeconds(x) {
  return trimNumber(x, Math.abs(x) < 10 ? 2 : 1);
}

/**
 * Runs `rebuild`, which may remove the element that has focus inside `container`; focus then
 * goes to `fallback()` rather than to the page's body, where a keyboard user would lose their place.
 */
export function keepingFocus(container, rebuild, fallback) {
  const root = container.getRootNode();
  const had = container.contains(root.activeElement);
  rebuild();
  const active = root.activeElement;
  if (had && (!container.contains(active) || active.disabled)) fallback()?.focus();
}

/** An attribute's name as its property's: 'key-func' → 'keyFunc'. */
export const camelCase = (name) => name.replace(/-(.)/g, (_, c) => c.toUpperCase());

/** When `reset` (epoch seconds) comes, seen from `now`: "in 0.75 s", or "now". */
export function resetFromNow(reset, now) {
  return reset > now ? `in ${formatSeconds(reset - now)} s` : 'now';
}

/** A "nice" step (1, 2 or 5 × 10^k, or a clock multiple) near `rough` seconds, for axis ticks. */
export function niceStep(rough) {
  const clock = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400];
  if (rough >= 1 && rough <= 86400) return clock.find((c) => c >= rough) ?? 86400;
  const p = 10 ** Math.floor(Math.log10(rough));
  const m = rough / p;
  return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * p;
}
