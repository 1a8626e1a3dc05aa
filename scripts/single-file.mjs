// Writes the playground as ONE self-contained HTML file that works opened from file://:
//
//   node scripts/single-file.mjs PAGE.html SITE.css STANDALONE.js OUT.html
//
// PAGE is a page of the site (web/playground.html); its stylesheet (the built site's site.css)
// and its script are inlined, the script being the standalone bundle (the element with the
// .wasm inlined), and the links to the site's other pages are dropped, since they do not travel
// with the file.
import fs from 'node:fs';

const [pagePath, cssPath, scriptPath, out] = process.argv.slice(2);
if (!pagePath || !cssPath || !scriptPath || !out) {
  console.error('usage: node scripts/single-file.mjs PAGE.html SITE.css STANDALONE.js OUT.html');
  process.exit(2);
}

let page = fs.readFileSync(pagePath, 'utf8');
const replace = (pattern, text) => {
  if (!pattern.test(page)) throw new Error(`${pagePath}: nothing matches ${pattern}`);
  page = page.replace(pattern, () => text);
};
const css = fs.readFileSync(cssPath, 'utf8');
// `</script` would end the inline script early; `<\/script` means the same inside JavaScript.
const script = fs.readFileSync(scriptPath, 'utf8').replaceAll('</script', '<\\/script');
replace(/<link rel="stylesheet" href="site.css">/, `<style>\n${css}</style>`);
replace(/<link rel="icon"[^>]*>\n?/, '');
replace(/<img src="favicon.svg"[^>]*>/, '');
replace(/<nav class="site-nav"[\s\S]*?<\/nav>/, '');
replace(/<script src="rate-limit-playground.js"><\/script>/, `<script>\n${script}</script>`);
// No embed.html travels with the file, so its playgrounds offer no Copy embed code.
replace(/; <strong>Copy embed code<\/strong> puts it in\s+your own docs\./, '.');
fs.writeFileSync(out, page);
