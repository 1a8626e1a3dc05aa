// Bundles the playground into the one classic script a page includes:
//
//   node scripts/bundle.mjs ENTRY.js ENGINE.js OUT.js
//
// ENTRY is an ES module (web/playground/element.js); its imports are followed and every module
// is emitted once, dependencies first, with `import` lines removed and `export` keywords dropped,
// all inside one function scope together with the Emscripten loader ENGINE.js, so nothing but
// the custom element leaks into the page. `import css from './x.css'` inlines a stylesheet as a
// string. Modules therefore share one scope: top-level names must be unique across files (the
// bundler refuses duplicates).
import fs from 'node:fs';
import path from 'node:path';

const [entry, engine, out] = process.argv.slice(2);
if (!entry || !engine || !out) {
  console.error('usage: node scripts/bundle.mjs ENTRY.js ENGINE.js OUT.js');
  process.exit(2);
}

const IMPORT = /^import\s+(?:(\w+)\s+from\s+|\{[^}]*\}\s+from\s+)?['"](\.[^'"]+)['"];?\s*$/;
const TOP_LEVEL = /^export\s+(?:async\s+)?(?:function\*?|class|const|let)\s+([A-Za-z_$][\w$]*)/;

const emitted = new Set();
const names = new Map();
const chunks = [];

function emit(file) {
  if (emitted.has(file)) return;
  emitted.add(file);
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  const body = [];
  for (const line of lines) {
    const match = IMPORT.exec(line);
    if (!match) {
      const declared = TOP_LEVEL.exec(line);
      if (declared) {
        const [, name] = declared;
        if (names.has(name)) throw new Error(`${name} is declared in both ${names.get(name)} and ${file}`);
        names.set(name, file);
      }
      body.push(line.replace(/^export\s+/, ''));
      continue;
    }
    const [, defaultName, specifier] = match;
    const target = path.resolve(path.dirname(file), specifier);
    if (target.endsWith('.css')) {
      body.push(`const ${defaultName} = ${JSON.stringify(fs.readFileSync(target, 'utf8'))};`);
    } else {
      emit(target);
    }
  }
  chunks.push(`// ---- ${path.basename(file)}\n${body.join('\n')}`);
}

emit(path.resolve(entry));
const bundle = `// rate-limit-playground.js: the <rate-limit-playground> element and its WebAssembly engine.
(() => {
const ENGINE_SCRIPT = document.currentScript;
${fs.readFileSync(engine, 'utf8')}
${chunks.join('\n\n')}
})();
`;
fs.writeFileSync(out, bundle);
