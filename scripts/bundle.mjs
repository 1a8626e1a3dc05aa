// Bundles an element (the playground, the replay page) or a worker into one classic script:
//
//   node scripts/bundle.mjs ENTRY.js ENGINE.js|- OUT.js [ENGINE.wasm]
//
// ENTRY is an ES module (web/playground/element.js); its imports are followed and every module
// is emitted once, dependencies first, with `import` lines removed and `export` keywords dropped,
// all inside one function scope together with the Emscripten loader ENGINE.js, so nothing but
// the custom element leaks into the page. `import css from './x.css'` inlines a stylesheet,
// minified, as a string. Modules therefore share one scope: top-level names must be unique across
// files (the bundler refuses duplicates). The output is minified (scripts/minify.mjs). With ENGINE.wasm,
// the engine is inlined as base64 (ENGINE_WASM, read by web/playground/engine.js): a single file
// that works without a server, from file://.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

import { minify, minifyCss } from './minify.mjs';

const [entry, engine, out, wasm] = process.argv.slice(2);
if (!entry || !engine || !out) {
  console.error('usage: node scripts/bundle.mjs ENTRY.js ENGINE.js|- OUT.js [ENGINE.wasm]');
  process.exit(2);
}

const IMPORT = /^import\s+(?:(\w+)\s+from\s+|\{[^}]*\}\s+from\s+)?['"](\.[^'"]+)['"];?\s*$/;
const acorn = createRequire(import.meta.url)('acorn');  // Debian's, found through NODE_PATH

const emitted = new Set();
const names = new Map();
const chunks = [];

// Every name `file` declares at its top level, exported or not: in the shared scope a second
// `const` would stop the bundle from parsing, and a second `function` would silently replace the
// first, so both are refused here with the two files named.
function claimTopLevelNames(file, source) {
  let program;
  try {
    program = acorn.parse(source, { ecmaVersion: 'latest', sourceType: 'module' });
  } catch (error) {
    throw new Error(`${file}: ${error.message}`);  // acorn says where (line:column), not in which file
  }
  const declared = [];
  const bound = (pattern) => {
    if (pattern.type === 'Identifier') declared.push(pattern.name);
    else if (pattern.type === 'ObjectPattern') pattern.properties.forEach((p) => bound(p.value ?? p.argument));
    else if (pattern.type === 'ArrayPattern') pattern.elements.filter(Boolean).forEach(bound);
    else if (pattern.type === 'RestElement') bound(pattern.argument);
    else if (pattern.type === 'AssignmentPattern') bound(pattern.left);
  };
  for (let node of program.body) {
    if (node.type === 'ExportNamedDeclaration') node = node.declaration ?? node;  // `export default` is not supported
    if (node.type === 'FunctionDeclaration' || node.type === 'ClassDeclaration') declared.push(node.id.name);
    if (node.type === 'VariableDeclaration') node.declarations.forEach((d) => bound(d.id));
  }
  for (const name of declared) {
    if (names.has(name)) throw new Error(`${name} is declared at the top level of both ${names.get(name)} and ${file}`);
    names.set(name, file);
  }
}

function emit(file) {
  if (emitted.has(file)) return;
  emitted.add(file);
  const source = fs.readFileSync(file, 'utf8');
  claimTopLevelNames(file, source);
  const body = [];
  for (const line of source.split('\n')) {
    const match = IMPORT.exec(line);
    if (!match) {
      body.push(line.replace(/^export\s+/, ''));
      continue;
    }
    const [, defaultName, specifier] = match;
    const target = path.resolve(path.dirname(file), specifier);
    if (target.endsWith('.css')) {
      body.push(`const ${defaultName} = ${JSON.stringify(minifyCss(fs.readFileSync(target, 'utf8')))};`);
    } else {
      emit(target);
    }
  }
  chunks.push(`// ---- ${path.basename(file)}\n${body.join('\n')}`);
}

try {
  emit(path.resolve(entry));
} catch (error) {
  console.error(`bundle.mjs: ${error.message}`);
  process.exit(1);
}
// ENGINE `-` bundles no engine (an element whose engine runs in a worker); in a worker bundle
// there is no document, and ENGINE_SCRIPT is null. A module script (<script type="module">) has
// no document.currentScript: it is then the page's last script of this file's name.
const header = `// ${path.basename(out)}: bundled from ${path.basename(path.dirname(path.resolve(entry)))}/${path.basename(entry)}.`;
const bundle = `(() => {
const ENGINE_SCRIPT = typeof document === 'undefined' ? null : document.currentScript ??
  [...document.querySelectorAll('script[src]')].reverse().find((s) => s.src.split(/[?#]/)[0].endsWith(${JSON.stringify(`/${path.basename(out)}`)})) ?? null;
const ENGINE_WASM = ${wasm ? JSON.stringify(fs.readFileSync(wasm).toString('base64')) : 'null'};
${engine === '-' ? '' : fs.readFileSync(engine, 'utf8')}
${chunks.join('\n\n')}
})();
`;
fs.writeFileSync(out, `${header}\n${await minify(bundle)}\n`);
