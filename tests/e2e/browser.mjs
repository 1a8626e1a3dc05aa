// Shared by the browser tests: the built site served on localhost under the strict CSP, and
// Debian's Chromium driven by playwright-core (never a downloaded browser).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { serve } from '../../scripts/static-server.mjs';

export const SITE = path.resolve(process.env.SITE_DIR ?? new URL('../../build-wasm/site', import.meta.url).pathname);

/** Starts the server and the browser (with extra command-line `args`); returns {base, newPage, close}. */
export async function startBrowser({ args = [] } = {}) {
  const server = await serve(SITE, 0);
  const base = `http://127.0.0.1:${server.address().port}`;
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
           '--disable-background-networking', '--disable-component-update', '--disable-sync', ...args],
  });
  const pages = [];
  /** A page that records console errors and uncaught exceptions in `page.problems`. */
  async function newPage(options = {}) {
    const context = await browser.newContext(options);
    const page = await context.newPage();
    page.problems = [];
    page.on('pageerror', (e) => page.problems.push(`pageerror: ${e.message}`));
    page.on('console', (m) => { if (m.type() === 'error') page.problems.push(`console: ${m.text()}`); });
    pages.push(page);
    return page;
  }
  async function close() {
    await browser.close();
    server.close();
  }
  return { base, newPage, close };
}

/** Writes a screenshot next to the site (build-wasm/screenshots/NAME.png) for people to look at. */
export async function screenshot(page, name, options = {}) {
  const dir = path.join(SITE, '..', 'screenshots');
  fs.mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: path.join(dir, `${name}.png`), ...options });
}

export const tmpdir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'e2e-'));
