// Light or dark, for an element with a `theme` attribute: "light" or "dark" chooses one (a docs
// site with its own theme switch sets it); without it the reader's system setting decides, and a
// change of that setting is followed. Dark is the `dark` class on the element's shadow content
// (.pg and .loading), under which playground.css sets its dark colours.

const systemDark = window.matchMedia('(prefers-color-scheme: dark)');

/** Whether `host` is shown dark. */
export function isDark(host) {
  const theme = host.getAttribute('theme');
  return theme === 'dark' || (theme !== 'light' && systemDark.matches);
}

/** Puts the `dark` class on `host`'s shadow content when it is shown dark, and off when not. */
export function applyTheme(host) {
  const dark = isDark(host);
  for (const el of host.shadowRoot.querySelectorAll('.pg, .loading')) el.classList.toggle('dark', dark);
}

/** Calls `fn` when the reader's system switches between light and dark. */
export function onSystemTheme(fn) {
  systemDark.addEventListener('change', fn);
}
