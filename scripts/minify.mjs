// Minifies the scripts the site ships with Debian's terser (node-terser): local names shortened,
// dead code and comments dropped, nothing that needs eval (the strict CSP stays satisfied). It
// takes a fifth to a third off each gzipped bundle and the engine's loader.
//
//   node scripts/minify.mjs FILE...   minifies each file in place (the engine's loader, once linked)
//
// scripts/bundle.mjs imports minify() for the bundles it writes.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const terser = createRequire(import.meta.url)('terser');  // Debian's, found through NODE_PATH

/** The minified form of a classic script (not a module: its top-level names are kept). */
export async function minify(source) {
  const { code } = await terser.minify(source, { ecma: 2020, compress: { passes: 2 }, format: { comments: false } });
  return code;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const file of process.argv.slice(2)) fs.writeFileSync(file, await minify(fs.readFileSync(file, 'utf8')));
}
