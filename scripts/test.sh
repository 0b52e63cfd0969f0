#!/usr/bin/env bash
# Sets up whatever is missing, then runs every test of iamtrace:
#   lints, native unit/property/corpus tests, the CLI against the corpora,
#   the differential test against iam-simulate, the core built for wasm32,
#   the data files' freshness, the playground (wasm-bindgen tests in
#   Chromium, end-to-end tests with playwright-core), the JS module and its
#   docs page, hostile inputs through every entry point (scripts/hostile.sh),
#   and a short run of each fuzz target.
# Usage: scripts/test.sh            (the command CI runs via .ci/run)
#        SKIP_SETUP=1 scripts/test.sh   (tools already installed)
set -euo pipefail
cd "$(dirname "$0")/.."
REPO="$PWD"

start=$(date +%s)
stage() { printf '\n\033[1m=== %s\033[0m  (%ss)\n' "$*" "$(( $(date +%s) - start ))"; }

if [ -z "${SKIP_SETUP:-}" ]; then
  stage "setup"
  scripts/setup.sh --fuzz
fi
. scripts/env.sh

stage "format and lints"
cargo fmt --all -- --check
cargo clippy --workspace --all-targets --locked -- -D warnings
cargo clippy -p iamtrace -p iamtrace-data -p iamtrace-wasm -p iamtrace-web --target wasm32-unknown-unknown --locked -- -D warnings

stage "native tests (unit, property, corpus, lint fixtures, data)"
cargo test --workspace --locked

stage "the evaluator builds for the browser"
cargo build -p iamtrace --target wasm32-unknown-unknown --locked

stage "iamtrace test on every corpus"
cargo build -p iamtrace-cli --release --locked
target/release/iamtrace test tests/corpus/*.json web/examples/*.json examples/*.json
if [ -d ../shared/vectors ]; then
  target/release/iamtrace test ../shared/vectors/*.json
fi

stage "differential test against iam-simulate"; scripts/differential.sh

stage "benchmark scripts, quick runs (scripts/bench/)"; node scripts/bench/vs-ts.mjs --count 200 --runs 1 && node scripts/bench/wasm.mjs --quick

stage "generated data matches the pinned npm packages"
node scripts/gen-data.mjs --check

stage "playground: build, wasm tests in Chromium, end-to-end tests"
scripts/test-web.sh

stage "JS module and docs page"
scripts/test-wasm-module.sh

stage "hostile inputs: CLI (release, 2 s per run), JS module, page"
scripts/hostile.sh

stage "fuzz smoke (20 s per target)"
scripts/fuzz.sh 20

stage "all tests passed"
