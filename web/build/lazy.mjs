// Trunk post-build step (run by post-build.mjs): the files the page loads
// only after it is interactive, in dist/lazy/, with content hashes in their
// names so that any host may cache them forever:
//
//   iamtrace-knowledge-<hash>.js, iamtrace-knowledge-<hash>_bg.wasm
//       the knowledge module, built by Trunk (data-type="worker",
//       data-target-path="lazy") with fixed names, renamed here
//   iamtrace-panels-<hash>.js, iamtrace-panels-<hash>_bg.wasm
//       the panels module (the walk of a chain, the CloudTrail import),
//       built and renamed the same way
//   editor-extras-<hash>.js
//       the editor's extras (CodeMirror's language, keymaps, completion,
//       search, lint), bundled by bundle.mjs; loaded after the first editor
//   sar-<hash>.txt.z, sar-desc-<hash>.txt.z, managed-<hash>.txt.z
//       the AWS data files of crates/iamtrace-data/data/, zlib level 9
//       (inflated in wasm by miniz_oxide, which checks their Adler-32)
//
// Their addresses go into index.html as `key=url` pairs separated by spaces
// in <meta name="iamtrace-lazy" content="…">, which src/data.rs reads.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { deflateSync } from "node:zlib";

const dir = process.env.TRUNK_STAGING_DIR || process.argv[2] || "dist";
const lazy = join(dir, "lazy");
const cache = join("target", "web-assets", "data");
mkdirSync(lazy, { recursive: true });
mkdirSync(cache, { recursive: true });

const hash = (...buffers) => {
  const h = createHash("sha256");
  for (const b of buffers) h.update(b);
  return h.digest("hex").slice(0, 16);
};

const manifest = {};

// The knowledge module and the panels module (manifest keys: module/wasm
// and panels/panels-wasm).
const MODULES = [
  { name: "iamtrace-knowledge", js: "module", wasm: "wasm" },
  { name: "iamtrace-panels", js: "panels", wasm: "panels-wasm" },
];
for (const m of MODULES) {
  const js = join(lazy, `${m.name}.js`);
  const wasm = join(lazy, `${m.name}_bg.wasm`);
  if (!existsSync(js) || !existsSync(wasm)) {
    console.error(`lazy.mjs: ${m.name} is missing from ${lazy} (index.html must build it)`);
    process.exit(1);
  }
  const h = hash(readFileSync(js), readFileSync(wasm));
  manifest[m.js] = `lazy/${m.name}-${h}.js`;
  manifest[m.wasm] = `lazy/${m.name}-${h}_bg.wasm`;
  renameSync(js, join(dir, manifest[m.js]));
  renameSync(wasm, join(dir, manifest[m.wasm]));
}

// The editor's extras (bundled by bundle.mjs into target/web-assets/).
{
  const src = join("target", "web-assets", "editor-extras.js");
  if (!existsSync(src)) {
    console.error(`lazy.mjs: ${src} is missing (web/build/bundle.mjs must build it)`);
    process.exit(1);
  }
  const body = readFileSync(src);
  manifest.extras = `lazy/editor-extras-${hash(body)}.js`;
  writeFileSync(join(dir, manifest.extras), body);
}

// The data files, compressed once per content (cached in target/web-assets/data/).
const DATA = { reference: "sar.txt", descriptions: "sar-desc.txt", managed: "managed.txt" };
for (const [key, file] of Object.entries(DATA)) {
  const text = readFileSync(join("crates", "iamtrace-data", "data", file));
  const h = hash(text);
  const cached = join(cache, `${file}-${h}.z`);
  let packed;
  if (existsSync(cached)) {
    packed = readFileSync(cached);
  } else {
    packed = deflateSync(text, { level: 9 });
    writeFileSync(cached, packed);
  }
  const name = `lazy/${file.replace(/\.txt$/, "")}-${h}.txt.z`;
  writeFileSync(join(dir, name), packed);
  manifest[key] = name;
  console.log(`lazy.mjs: ${name} ${text.length} -> ${packed.length} bytes`);
}

const file = join(dir, "index.html");
let html = readFileSync(file, "utf8");
const placeholder = /<meta name="iamtrace-lazy" content="[^"]*"\s*\/?>/;
if (!placeholder.test(html)) {
  console.error(`lazy.mjs: ${file} has no <meta name="iamtrace-lazy"> placeholder`);
  process.exit(1);
}
const content = Object.entries(manifest)
  .map(([k, v]) => `${k}=${v}`)
  .join(" ");
html = html.replace(placeholder, `<meta name="iamtrace-lazy" content="${content}" />`);
writeFileSync(file, html);
console.log(`lazy.mjs: ${readdirSync(lazy).length} files in ${lazy}`);
