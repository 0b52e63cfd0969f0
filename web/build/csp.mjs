// Trunk post-build hook: puts the SHA-256 of every inline <script> of the
// built index.html (Trunk's wasm loader) into the Content-Security-Policy
// meta tag, in place of the `'inline-script-hashes'` placeholder, so the
// policy can forbid every other inline script.
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const dir = process.env.TRUNK_STAGING_DIR || process.argv[2] || "dist";
const file = join(dir, "index.html");
let html = readFileSync(file, "utf8");
const hashes = [];
let devServer = false;
for (const m of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)) {
  if (/\bsrc\s*=/.test(m[1])) continue;
  // `trunk serve` injects a live-reload script and rewrites its address when
  // serving, so no hash can match it: the dev server allows inline scripts.
  if (m[2].includes(".well-known/trunk/ws")) devServer = true;
  hashes.push(`'sha256-${createHash("sha256").update(m[2], "utf8").digest("base64")}'`);
}
const placeholder = "'inline-script-hashes'";
if (!html.includes(placeholder)) {
  console.error(`csp.mjs: ${file} has no ${placeholder} placeholder in its CSP`);
  process.exit(1);
}
html = html.replace(placeholder, devServer ? "'unsafe-inline'" : hashes.join(" "));
writeFileSync(file, html);
console.log(
  devServer
    ? `csp.mjs: trunk serve build: inline scripts allowed in ${file} (release builds hash them)`
    : `csp.mjs: ${hashes.length} inline script hash(es) written to the CSP of ${file}`,
);
