// Trunk pre-build hook: bundles the CodeMirror editor bridge and the
// stylesheet with esbuild (from node_modules, nothing fetched) into
// target/web-assets/, which index.html links with `data-trunk`.
// Run from the repository root (Trunk's working directory).
import { build } from "esbuild";
import { mkdirSync, statSync } from "node:fs";
import { join } from "node:path";

const out = join("target", "web-assets");
mkdirSync(out, { recursive: true });
const release = (process.env.TRUNK_PROFILE || "release") === "release";

await build({
  entryPoints: ["web/js/editor.js"],
  outfile: join(out, "editor.js"),
  bundle: true,
  format: "iife",
  target: ["es2020"],
  minify: release,
  sourcemap: false,
  legalComments: "none",
  logLevel: "warning",
});
// The extras (web/js/editor-extras.js): an ES module the editor imports once
// the page is up, whose @codemirror/state and @codemirror/view are the
// editor's own (one copy of each; CodeMirror refuses two). web/build/lazy.mjs
// puts it in dist/lazy/ with a hashed name.
const coreFromEditor = {
  name: "core-from-editor",
  setup(b) {
    b.onResolve({ filter: /^@codemirror\/(state|view)$/ }, (args) => ({ path: args.path, namespace: "editor-core" }));
    b.onLoad({ filter: /.*/, namespace: "editor-core" }, (args) => ({
      contents: `module.exports = globalThis.__iamtraceCM[${JSON.stringify(args.path)}];`,
      loader: "js",
    }));
  },
};
await build({
  entryPoints: ["web/js/editor-extras.js"],
  outfile: join(out, "editor-extras.js"),
  bundle: true,
  format: "esm",
  target: ["es2020"],
  minify: release,
  sourcemap: false,
  legalComments: "none",
  logLevel: "warning",
  plugins: [coreFromEditor],
});
await build({
  entryPoints: ["web/style/app.css"],
  outfile: join(out, "app.css"),
  bundle: true,
  minify: release,
  logLevel: "warning",
});
for (const f of ["editor.js", "editor-extras.js", "app.css"]) {
  console.log(`bundle.mjs: ${join(out, f)} ${statSync(join(out, f)).size} bytes`);
}
