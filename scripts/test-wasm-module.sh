#!/usr/bin/env bash
# Builds the iamtrace JS module and the docs pages into dist/ and runs their
# tests:
#   1. native: the .d.ts string unions equal the core's enums (tests/enums.rs)
#   2. wasm32 in Node (wasm-bindgen-test): evaluate, error values, and outputs
#      that equal the core's serde JSON (tests/node.rs)
#   3. the .d.ts against real outputs of the corpora, with tsc
#      (tests/types/check.mjs), plus the docs' code snippets
#   4. e2e: dist/docs/embedding.html in Chromium (e2e/docs-embedding.test.mjs);
#      its iframe part is skipped, with a message, when dist/index.html is missing
#
# `trunk build` wipes dist/: run this after the playground build.
# Usage: scripts/test-wasm-module.sh
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=env.sh
. "$REPO/scripts/env.sh"
cd "$REPO"

"$REPO/scripts/build-wasm-module.sh"

echo "==> cargo test -p iamtrace-wasm (native)"
cargo test -p iamtrace-wasm

echo "==> cargo test -p iamtrace-wasm --target wasm32-unknown-unknown (Node)"
# chromedriver/runner temp files stay inside target/ (see TOOLCHAIN.md).
mkdir -p "$REPO/target/tmp"
TMPDIR="$REPO/target/tmp" cargo test -p iamtrace-wasm --target wasm32-unknown-unknown

echo "==> TypeScript types against real outputs (tsc)"
node "$REPO/crates/iamtrace-wasm/tests/types/check.mjs" "$REPO/dist/module"

echo "==> e2e: docs/embedding.html"
node --test --test-reporter=spec "$REPO/e2e/docs-embedding.test.mjs"
