// scripts/bundle.mjs puts every module of a bundle in one scope, so it must refuse two modules
// that declare the same top-level name (a second `function` would silently replace the first),
// and otherwise produce a script that runs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import vm from 'node:vm';

const BUNDLER = new URL('../../scripts/bundle.mjs', import.meta.url).pathname;

/** Writes `files` ({name: source}) to a fresh folder and bundles main.js; returns {status, stderr, out}. */
function bundle(files) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bundle-'));
  for (const [name, source] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), source);
  const out = path.join(dir, 'out.js');
  const run = spawnSync(process.execPath, [BUNDLER, path.join(dir, 'main.js'), '-', out], { encoding: 'utf8' });
  return { status: run.status, stderr: run.stderr, out: run.status === 0 ? fs.readFileSync(out, 'utf8') : null };
}

test('modules with distinct names become one script that runs', () => {
  const { status, stderr, out } = bundle({
    'main.js': "import { twice } from './util.js';\n// a comment the bundle leaves out\nglobalThis.result = twice(21);\n",
    'util.js': 'function helper(x) { return x * 2; }\nexport function twice(x) { return helper(x); }\n',
  });
  assert.equal(status, 0, stderr);
  assert.ok(!out.includes('a comment the bundle leaves out'));
  const context = {};
  vm.runInNewContext(out, context);
  assert.equal(context.result, 42);
});

test('a private function declared in two modules is refused, naming both files', () => {
  const { status, stderr } = bundle({
    'main.js': "import { a } from './util.js';\nfunction helper() { return 1; }\nglobalThis.result = a + helper();\n",
    'util.js': 'function helper() { return 2; }\nexport const a = helper();\n',
  });
  assert.notEqual(status, 0);
  assert.match(stderr, /^bundle\.mjs: helper is declared at the top level of both \S*(main|util)\.js and \S*(main|util)\.js$/m);
  assert.match(stderr, /main\.js/);
  assert.match(stderr, /util\.js/);
});

test('a module that does not parse is named with the line and column', () => {
  const { status, stderr } = bundle({ 'main.js': "import './util.js';\n", 'util.js': 'const = 1;\n' });
  assert.notEqual(status, 0);
  assert.match(stderr, /^bundle\.mjs: \S*util\.js: Unexpected token \(1:6\)$/m);
});

test('names bound by destructuring and classes count too', () => {
  for (const [mine, theirs] of [['const { q: [, last] } = {};', 'let last;'], ['class Lane {}', 'export const Lane = 1;']]) {
    const { status, stderr } = bundle({ 'main.js': `import './util.js';\n${mine}\n`, 'util.js': `${theirs}\n` });
    assert.notEqual(status, 0, mine);
    assert.match(stderr, /is declared at the top level of both/);
  }
});

test('an inlined stylesheet is minified: comments and needless whitespace go, strings stay', () => {
  const { status, stderr, out } = bundle({
    'main.js': "import css from './look.css';\nglobalThis.css = css;\n",
    'look.css': '/* the look */\n:host([compact]) .a > .b ,\n.c::before {\n  content: "a  ;  b" ;\n  color: red;\n}\n' +
                '@media (max-width: 600px) { .x/* a comment is no space */.y { margin: 0 auto  !important; } }\n',
  });
  assert.equal(status, 0, stderr);
  const context = {};
  vm.runInNewContext(out, context);
  assert.equal(context.css, ':host([compact]) .a>.b,.c::before{content:"a  ;  b";color:red}' +
                            '@media (max-width:600px){.x.y{margin:0 auto !important}}');
});
