// Inline SVG icons (built with DOM calls: no markup strings), 16 × 16, drawn with currentColor.
import { s } from './dom.js';

const PATHS = {
  play: 'M5 3.5v9l7.5-4.5z',
  pause: 'M4.5 3.5h2.5v9h-2.5zM9 3.5h2.5v9h-2.5z',
  step: 'M3.5 3.5v9l6-4.5zM11 3.5h2v9h-2z',
  next: 'M2.5 3.5v9l5-4.5zM8 3.5v9l5-4.5z',
  reset: 'M8 3a5 5 0 1 1-4.9 6h1.6A3.5 3.5 0 1 0 8 4.5V7L4.5 3.75 8 .5z',
  send: 'M2 8.5l11-5.5-3.5 11-2.25-4.25zM7.25 9.75l5.5-6.5',
  plus: 'M7.25 3h1.5v4.25H13v1.5H8.75V13h-1.5V8.75H3v-1.5h4.25z',
  close: 'M4.3 3.2L8 6.9l3.7-3.7 1.1 1.1L9.1 8l3.7 3.7-1.1 1.1L8 9.1l-3.7 3.7-1.1-1.1L6.9 8 3.2 4.3z',
  burst: 'M2 5h2v6H2zM5.5 4h2v8h-2zM9 3h2v10H9zM12.5 2h2v12h-2z',
};

/** An icon element for `name` (see PATHS); hidden from assistive technology. */
export function icon(name) {
  return s('svg.icon', { viewBox: '0 0 16 16', width: 16, height: 16, 'aria-hidden': 'true', focusable: 'false' },
    s('path', { d: PATHS[name] }));
}
