// A compact playground's secondary panels, folded away: a row of disclosure buttons
// (aria-expanded, aria-controls) under the essentials, each showing or hiding one drawer below
// the row. Every drawer starts closed; any number may be open at once, in the row's order.
import { h, uniqueId } from './dom.js';

export class Drawers {
  /**
   * @param {{name: string, label: string, onOpen?: () => void}[]} items  in display order;
   *   `onOpen` runs each time the drawer opens (e.g. to unfold a <details> inside it)
   */
  constructor(items) {
    const id = uniqueId('drawer');
    this.items = new Map(items.map((item) => {
      const panel = h('div.drawer', { id: `${id}-${item.name}`, 'data-drawer': item.name, hidden: true });
      const button = h('button.drawer-toggle', {
        type: 'button', 'aria-expanded': 'false', 'aria-controls': panel.id, 'data-drawer': item.name,
        onclick: () => this.toggle(item.name),
      }, h('span.drawer-mark', { 'aria-hidden': 'true' }), item.label);
      return [item.name, { ...item, panel, button }];
    }));
    this.bar = h('div.drawer-bar', { role: 'group', 'aria-label': 'More of this playground' },
      ...[...this.items.values()].map((d) => d.button));
    /** The drawers, in order, to place after the bar. */
    this.panels = [...this.items.values()].map((d) => d.panel);
  }

  /** The drawer named `name`, to put its content in. */
  panel(name) { return this.items.get(name).panel; }

  isOpen(name) { return !this.items.get(name).panel.hidden; }

  toggle(name) { this.#set(name, !this.isOpen(name)); }

  open(name) { if (!this.isOpen(name)) this.#set(name, true); }

  #set(name, open) {
    const drawer = this.items.get(name);
    drawer.panel.hidden = !open;
    drawer.button.setAttribute('aria-expanded', String(open));
    if (open) drawer.onOpen?.();
  }
}
