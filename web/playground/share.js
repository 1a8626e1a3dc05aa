// Sharing an experiment as a link: the element's setup as URL query parameters, the "Copy link"
// control, and applying a link's parameters to the playground it points at.
//
// A link is the page's URL + ?rule=…&algorithm=…&traffic=…&rate=…&clients=…&speed=…&seed=…&compare=…
// + #id (the element's id, or its closest ancestor's). URL values are untrusted: each is checked
// here and then set as an attribute, so it also goes through the element's own clamping, and a bad
// rule through the normal rule-error path (shown as text, never as markup).
import { h } from './dom.js';

/** The parameters a link carries, in the order they are written. */
export const SHARE_PARAMS = ['rule', 'algorithm', 'traffic', 'rate', 'clients', 'speed', 'seed', 'compare'];
// Longer values are not a rule anyone typed; the engine's own cap on rules is far above this.
const MAX_PARAM_LENGTH = 1000;
const MAX_SEED = 2 ** 32 - 1;

/**
 * The element's experiment as query parameters.
 * @param {{rule: string, algorithm: string, traffic: string, rate: number, clients: number,
 *   speed: number, seed: number, compare: boolean}} el
 */
export function shareParams(el) {
  const params = new URLSearchParams();
  for (const name of SHARE_PARAMS) {
    const value = el[name];
    params.set(name, typeof value === 'boolean' ? (value ? '1' : '0') : String(value));
  }
  return params;
}

/** The link to `el`'s experiment on the current page. */
export function shareUrl(el) {
  const url = new URL(location.href);
  url.search = shareParams(el).toString();
  url.hash = el.closest('[id]')?.id ?? '';
  return url.href;
}

/**
 * The attribute values a query string asks for, checked: unknown parameters are ignored, and
 * so is a value that is not of its parameter's kind. Numbers are clamped by the element.
 * @param {string} search  e.g. location.search
 * @returns {[string, string | null][]}  [attribute, value (null removes it)]
 */
export function sharedAttributes(search) {
  const params = new URLSearchParams(search);
  const out = [];
  for (const name of SHARE_PARAMS) {
    const value = params.get(name);
    if (value === null || value.length > MAX_PARAM_LENGTH) continue;
    switch (name) {
      case 'rule':
        out.push([name, value]);
        break;
      case 'algorithm':
      case 'traffic':
        if (/^[a-z-]{1,40}$/.test(value)) out.push([name, value]);
        break;
      case 'compare':
        if (/^(1|true|on)$/i.test(value)) out.push([name, '']);
        else if (/^(0|false|off)$/i.test(value)) out.push([name, null]);
        break;
      case 'seed': {
        const seed = Number(value);
        if (value.trim() !== '' && Number.isFinite(seed)) out.push([name, String(Math.min(MAX_SEED, Math.max(0, Math.floor(seed))))]);
        break;
      }
      default: {
        const n = Number(value);
        if (value.trim() !== '' && Number.isFinite(n) && n > 0) out.push([name, String(n)]);
      }
    }
  }
  return out;
}

let locationClaimed = false;

/**
 * Whether `el` is the playground the page's link points at: the element with the hash's id, or
 * the first playground inside it, or the page's first playground when the hash names none. Only
 * one element, once per page, gets the link's parameters. Call once the document is parsed.
 */
export function claimLocation(el) {
  if (locationClaimed || !location.search) return false;
  const first = (root) => (root.matches?.('rate-limit-playground') ? root : root.querySelector('rate-limit-playground'));
  let id = '';
  try { id = decodeURIComponent(location.hash.slice(1)); } catch { /* a malformed hash names nothing */ }
  const named = id ? document.getElementById(id) : null;
  const target = (named && first(named)) ?? first(document);
  if (target !== el) return false;
  locationClaimed = true;
  return true;
}

/** Resolves once the document is parsed (so every playground and id on the page exists). */
export function documentParsed() {
  if (document.readyState !== 'loading') return Promise.resolve();
  return new Promise((resolve) => document.addEventListener('DOMContentLoaded', resolve, { once: true }));
}

/** The "Copy link" control: copies the link, or shows it selected in a field to copy by hand. */
export class ShareLink {
  /** @param {() => string} link  builds the link when asked */
  constructor(link) {
    this.field = h('input.share-field', { type: 'text', readonly: true, 'aria-label': 'Link to this experiment', hidden: true });
    this.status = h('span.share-status', { role: 'status' });
    this.button = h('button.share-button', { type: 'button', text: 'Copy link', onclick: () => this.#copy(link()) });
    this.element = h('div.share', {}, this.button, this.status, this.field);
  }

  async #copy(url) {
    this.field.value = url;
    try {
      await navigator.clipboard.writeText(url);
      this.field.hidden = true;
      this.status.textContent = 'Link copied: it opens this experiment.';
    } catch {
      this.field.hidden = false;
      this.field.focus();
      this.field.select();
      this.status.textContent = 'Copy the selected link (Ctrl+C or ⌘C).';
    }
  }
}
