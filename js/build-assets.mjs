// Builds what Trunk then copies into the editor's page (run by Trunk before each build, see
// Trunk.toml; one script, because Trunk runs the hooks of a stage at the same time):
// - target/npm/code-editor.js: esbuild bundles js/code-editor.js and CodeMirror into one ES
//   module, then terser minifies it, which finds what esbuild's minifier leaves (120.3 -> 117.0
//   KB gzip);
// - target/npm/editor.css: the editor's style sheets (style/editor-page.css and its imports) as
//   one file; target/npm/flows.css the same for the Flows page (style/flows-page.css).
import { build } from "esbuild";
import { minify } from "terser";
import { readFile, writeFile } from "node:fs/promises";

const output = "target/npm/code-editor.js";
await build({
  entryPoints: ["js/code-editor.js"],
  bundle: true,
  format: "esm",
  minify: true,
  target: "es2020",
  outfile: output,
  logLevel: "warning",
});
const minified = await minify(await readFile(output, "utf8"), {
  module: true,
  ecma: 2020,
  compress: { passes: 2 },
  mangle: true,
});
await writeFile(output, minified.code);

// Not minified here: the xtask minifies every style sheet of dist/ after Trunk.
await build({
  entryPoints: ["style/editor-page.css"],
  bundle: true,
  outfile: "target/npm/editor.css",
  logLevel: "warning",
});
await build({
  entryPoints: ["style/flows-page.css"],
  bundle: true,
  outfile: "target/npm/flows.css",
  logLevel: "warning",
});
