// Loads the WebAssembly engine once per page: the first element to ask fetches and compiles
// ratelimit-engine.wasm (found next to this script) and instantiates it; every later element
// shares that instance and creates its own Simulation in it, so state stays separate.

/** @type {Promise<any> | null} */
let enginePromise = null;

/** The shared engine module (Embind functions and the Simulation class). */
export function loadEngine() {
  if (!enginePromise) {
    // The single-file build carries the engine inline (scripts/bundle.mjs): nothing to fetch.
    if (ENGINE_WASM) {
      enginePromise = createRateLimitEngine({ wasmBinary: Uint8Array.from(atob(ENGINE_WASM), (c) => c.charCodeAt(0)) });
    } else {
      const wasmUrl = siteFile('ratelimit-engine.wasm');
      enginePromise = createRateLimitEngine({ locateFile: () => wasmUrl });
    }
  }
  return enginePromise;
}

/**
 * The URL of `name` in the built site, beside this script; null in the single-file build, which
 * has nothing beside it.
 */
export function siteFile(name) {
  return ENGINE_WASM ? null : new URL(name, ENGINE_SCRIPT?.src ?? document.baseURI).href;
}
