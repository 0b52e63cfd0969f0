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
await build({
  entryPoints: ["web/style/app.css"],
  outfile: join(out, "app.css"),
  bundle: true,
  minify: release,
  logLevel: "warning",
});
for (const f of ["editor.js", "app.css"]) {
  console.log(`bundle.mjs: ${join(out, f)} ${statSync(join(out, f)).size} bytes`);
}
