#!/usr/bin/env bash
# Builds the iamtrace JS module (crates/iamtrace-wasm) into dist/module/ and
# copies the docs pages (docs/) into dist/docs/.
#
#   dist/module/iamtrace_wasm.js        ES module (wasm-bindgen --target web)
#   dist/module/iamtrace_wasm.d.ts      its TypeScript types
#   dist/module/iamtrace_wasm_bg.wasm   the evaluator, wasm-opt -Oz
#   dist/docs/                          docs/embedding.html and friends
#
# `trunk build` wipes dist/, so run this after the playground build.
# Usage: scripts/build-wasm-module.sh
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=env.sh
. "$REPO/scripts/env.sh"
cd "$REPO"

TARGET_DIR="${CARGO_TARGET_DIR:-$REPO/target}"
case "$TARGET_DIR" in /*) ;; *) TARGET_DIR="$REPO/$TARGET_DIR" ;; esac
OUT="$REPO/dist/module"
DOCS_OUT="$REPO/dist/docs"

command -v wasm-bindgen >/dev/null || { echo "build-wasm-module: wasm-bindgen not found (run scripts/setup.sh)" >&2; exit 1; }
# Debian's binaryen (wasm-opt 108) cannot read wasm-bindgen's output; npm's 132 can.
case "$(wasm-opt --version 2>/dev/null)" in
  *"version 132"*) ;;
  *) echo "build-wasm-module: need wasm-opt 132 from npm binaryen first on PATH (npm ci), found: $(command -v wasm-opt || echo none)" >&2; exit 1 ;;
esac

echo "==> cargo build -p iamtrace-wasm (wasm32, profile web-release)"
cargo build -p iamtrace-wasm --lib --target wasm32-unknown-unknown --profile web-release

echo "==> wasm-bindgen --target web -> dist/module/"
rm -rf "$OUT"
mkdir -p "$OUT"
wasm-bindgen --target web --out-dir "$OUT" "$TARGET_DIR/wasm32-unknown-unknown/web-release/iamtrace_wasm.wasm"

# So Node and bundlers read the glue as an ES module, and find its types.
version="$(cargo pkgid -p iamtrace-wasm | sed 's/.*[#@]//')"
cat >"$OUT/package.json" <<EOF
{
  "name": "iamtrace-wasm",
  "version": "$version",
  "description": "AWS IAM policy evaluation with an ordered trace, as WebAssembly",
  "license": "MIT OR Apache-2.0",
  "type": "module",
  "main": "iamtrace_wasm.js",
  "types": "iamtrace_wasm.d.ts",
  "files": ["iamtrace_wasm.js", "iamtrace_wasm.d.ts", "iamtrace_wasm_bg.wasm", "iamtrace_wasm_bg.wasm.d.ts"],
  "sideEffects": false
}
EOF

echo "==> wasm-opt -Oz"
wasm-opt -Oz "$OUT/iamtrace_wasm_bg.wasm" -o "$OUT/iamtrace_wasm_bg.opt.wasm"
mv "$OUT/iamtrace_wasm_bg.opt.wasm" "$OUT/iamtrace_wasm_bg.wasm"

echo "==> docs/ -> dist/docs/"
rm -rf "$DOCS_OUT"
cp -R "$REPO/docs" "$DOCS_OUT"

echo "==> sizes (bytes; gzip -9)"
total_raw=0; total_gz=0
for f in "$OUT/iamtrace_wasm_bg.wasm" "$OUT/iamtrace_wasm.js"; do
  raw=$(wc -c <"$f"); gz=$(gzip -9c "$f" | wc -c)
  total_raw=$((total_raw + raw)); total_gz=$((total_gz + gz))
  printf '  %-28s %8d raw %8d gzip\n' "$(basename "$f")" "$raw" "$gz"
done
printf '  %-28s %8d raw %8d gzip\n' "module total (wasm + js)" "$total_raw" "$total_gz"
