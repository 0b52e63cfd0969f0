#!/usr/bin/env bash
# Hostile input through every entry point, with bounded time and output:
#   1. the CLI (release build): `cargo test -p iamtrace-cli --test hostile`
#      generates the inputs into target/hostile/ (multi-megabyte lines and
#      files, 100,000 statements, 10,000-deep nesting, huge strings, invalid
#      UTF-8, NUL bytes, a million-element array, wildcards against long
#      values, files of bad scenarios) and runs `eval` (text, json, jsonl),
#      `test` and `lint` (text, json) on each, against the release binary
#      with a 2 s limit per run; target/hostile/report.txt has the table;
#   2. the JS module (dist/module/, built by scripts/build-wasm-module.sh when
#      missing): the same inputs as scenarios, policy texts and request fields
#      (crates/iamtrace-wasm/tests/hostile.mjs);
#   3. the page (dist/, built by `trunk build --release` when missing): hostile
#      share links and big pastes (e2e/hostile.test.mjs, playwright-core).
#
# Usage: scripts/hostile.sh [--cli-only] [--no-page]
#   HOSTILE_LIMIT_MS   the time limit per run (default 2000)
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO"
# shellcheck source=scripts/env.sh
. scripts/env.sh

MODULE=1
PAGE=1
for arg in "$@"; do
  case "$arg" in
    --cli-only) MODULE=0; PAGE=0 ;;
    --no-page) PAGE=0 ;;
    -h|--help) awk 'NR>1 && !/^#/{exit} NR>1{sub(/^# ?/,""); print}' "${BASH_SOURCE[0]}"; exit 0 ;;
    *) echo "hostile.sh: unknown argument: $arg (try --help)" >&2; exit 2 ;;
  esac
done
export HOSTILE_LIMIT_MS="${HOSTILE_LIMIT_MS:-2000}"

echo "==> the CLI, release build (limit ${HOSTILE_LIMIT_MS} ms per run)"
cargo build -p iamtrace-cli --release --locked
IAMTRACE_BIN="$REPO/target/release/iamtrace" cargo test -p iamtrace-cli --locked --test hostile -- --ignored --nocapture

if [ "$MODULE" = 1 ]; then
  echo "==> the JS module"
  [ -f dist/module/iamtrace_wasm.js ] || scripts/build-wasm-module.sh
  node crates/iamtrace-wasm/tests/hostile.mjs dist/module target/hostile
fi

if [ "$PAGE" = 1 ]; then
  echo "==> the page"
  [ -x /usr/bin/chromium ] || { echo "hostile.sh: /usr/bin/chromium missing: run scripts/setup.sh first" >&2; exit 1; }
  if [ ! -f dist/index.html ]; then
    trunk build --release
    # trunk wipes dist/: put the module back for later runs.
    scripts/build-wasm-module.sh
  fi
  node --test --test-concurrency=1 --test-reporter=spec e2e/hostile.test.mjs
fi
echo "hostile.sh: every entry point is bounded"
