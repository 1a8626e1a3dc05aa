// Loads the built engine module in Node (bytes passed in: Node's fetch cannot read a file path).
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

const ENGINE = path.resolve(process.env.ENGINE_DIR ?? new URL('../../build-wasm/engine', import.meta.url).pathname);
const require = createRequire(import.meta.url);

/** A fresh instance of the engine module. */
export async function loadEngine() {
  const createRateLimitEngine = require(path.join(ENGINE, 'ratelimit-engine.js'));
  return createRateLimitEngine({ wasmBinary: fs.readFileSync(path.join(ENGINE, 'ratelimit-engine.wasm')) });
}
