// <rate-limit-playground>: the interactive playground element.
import { loadEngine } from './engine.js';

export class RateLimitPlayground extends HTMLElement {
  constructor() {
    super();
    this.attachShadow({ mode: 'open' });
    this.ready = loadEngine().then((engine) => {
      this.engine = engine;
      return this;
    });
  }
}

customElements.define('rate-limit-playground', RateLimitPlayground);
