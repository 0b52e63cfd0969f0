#!/usr/bin/env bash
# Builds the playground and runs every web test:
#   1. the built-in examples against their `expected` decisions (CLI and a native test),
#   2. `trunk build --release` (pinned tools from scripts/setup.sh), printing gzip sizes
#      and failing when the initial download exceeds the budget; the files loaded
#      after the page is interactive (dist/lazy/: the knowledge module and the
#      compressed AWS data) are listed apart, with the bytes they transfer,
#   3. the web crate's wasm-bindgen tests (headless Chromium, and Node for the
#      knowledge module's logic with the real data),
#   4. the playwright-core end-to-end tests (e2e/*.test.mjs of the playground),
#      which also save screenshots and the latency, data and overview
#      measurements to e2e/artifacts/.
# Exits non-zero on the first failure.
#
# Usage: scripts/test-web.sh [--skip-build] [--no-e2e]
#   --skip-build   test the dist/ that is already there
#   --no-e2e       stop after the wasm-bindgen tests
# Tools missing? Run scripts/setup.sh first (it is idempotent).
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO"
# shellcheck source=scripts/env.sh
. scripts/env.sh

BUILD=1
E2E=1
for arg in "$@"; do
  case "$arg" in
    --skip-build) BUILD=0 ;;
    --no-e2e) E2E=0 ;;
    -h|--help) awk 'NR>1 && !/^#/{exit} NR>1{sub(/^# ?/,""); print}' "${BASH_SOURCE[0]}"; exit 0 ;;
    *) echo "test-web.sh: unknown argument: $arg (try --help)" >&2; exit 2 ;;
  esac
done

# The initial download (HTML + JS + wasm + CSS, gzip -9) must stay under this.
BUDGET_BYTES=$((500 * 1000))
# The playground's own e2e tests (docs tests in e2e/ have their own prerequisites).
E2E_TESTS=(e2e/playground.test.mjs e2e/links.test.mjs e2e/knowledge.test.mjs e2e/screenshots.test.mjs e2e/walkthrough.test.mjs e2e/latency.test.mjs)

die() { printf 'test-web.sh: %s\n' "$*" >&2; exit 1; }
for tool in trunk wasm-bindgen wasm-bindgen-test-runner wasm-opt node; do
  command -v "$tool" >/dev/null 2>&1 || die "$tool not found: run scripts/setup.sh first"
done
[ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ] || die "Debian chromium/chromedriver missing: run scripts/setup.sh first"

TIMES=()
timed() {
  local name="$1" t0 t1
  shift
  printf '\n==> %s\n' "$name"
  t0=$(date +%s.%N)
  "$@"
  t1=$(date +%s.%N)
  TIMES+=("$(awk -v a="$t0" -v b="$t1" -v n="$name" 'BEGIN{printf "  %-44s %7.1fs", n, b-a}')")
}

timed "examples: iamtrace test web/examples" cargo run -q -p iamtrace-cli -- test web/examples/*.json
timed "native tests: cargo test -p iamtrace-web" cargo test -q -p iamtrace-web

if [ "$BUILD" = 1 ]; then
  timed "trunk build --release" trunk build --release
fi
[ -f dist/index.html ] || die "dist/ is missing (run without --skip-build)"

printf '\n==> sizes of the initial download (dist/)\n'
total_raw=0
total_gz=0
printf '  %-46s %10s %10s\n' file bytes gzip-9
for f in dist/*; do
  [ -f "$f" ] || continue
  raw=$(stat -c %s "$f")
  gz=$(gzip -9c "$f" | wc -c)
  total_raw=$((total_raw + raw))
  total_gz=$((total_gz + gz))
  printf '  %-46s %10d %10d\n' "${f#dist/}" "$raw" "$gz"
done
printf '  %-46s %10d %10d   (budget %d)\n' total "$total_raw" "$total_gz" "$BUDGET_BYTES"
[ "$total_gz" -le "$BUDGET_BYTES" ] || die "the initial download is $total_gz bytes gzipped, over the $BUDGET_BYTES budget"

# Loaded after the page is interactive, each only when needed. The data files
# are zlib-compressed at build time (web/build/lazy.mjs), so their size on the
# wire is their size here, whatever the host does; the module is compressible
# further by a host that gzips.
printf '\n==> loaded after the page is interactive (dist/lazy/)\n'
[ -d dist/lazy ] || die "dist/lazy/ is missing (the knowledge module and the AWS data)"
printf '  %-46s %10s %10s\n' file bytes gzip-9
for f in dist/lazy/*; do
  printf '  %-46s %10d %10d\n' "${f#dist/}" "$(stat -c %s "$f")" "$(gzip -9c "$f" | wc -c)"
done

mkdir -p target/tmp   # chromedriver leaves its profiles in $TMPDIR
timed "wasm-bindgen tests (headless Chromium)" \
  env TMPDIR="$REPO/target/tmp" cargo test --target wasm32-unknown-unknown -p iamtrace-web

if [ "$E2E" = 1 ]; then
  timed "e2e (playwright-core, Chromium)" node --test --test-concurrency=1 --test-reporter=spec "${E2E_TESTS[@]}"
  if [ -f e2e/artifacts/latency.json ]; then
    node -e 'const r=require(process.argv[1]); const f=(o)=>`median ${o.median.toFixed(1)} ms, p95 ${o.p95.toFixed(1)} ms`;
      console.log(`\n==> keystroke-to-trace latency (${r.policyBytes}-byte policy): DOM ${f(r.keystrokeToTraceDomMs)}; next frame ${f(r.keystrokeToNextFrameMs)}`);
      console.log(`==> checks on the same policy (${r.findings} findings): ${f(r.checksMs)} (${f(r.checksInModuleMs)} in the knowledge module)`)' \
      "$REPO/e2e/artifacts/latency.json"
  fi
  if [ -f e2e/artifacts/overview.json ]; then
    node -e 'const r=require(process.argv[1]); for (const [k, v] of Object.entries(r))
      console.log(`==> access overview of ${k}: ${v.cells} actions in ${v.ms.toFixed(1)} ms (${v.moduleMs.toFixed(1)} ms in the knowledge module)`)' \
      "$REPO/e2e/artifacts/overview.json"
  fi
  if [ -f e2e/artifacts/overview-latency.json ]; then
    node -e 'const r=require(process.argv[1]); const f=(o)=>`median ${o.median.toFixed(2)} ms, p95 ${o.p95.toFixed(2)} ms`;
      console.log(`==> access overview, ${r.actions} EC2 actions against a ${r.policyBytes}-byte policy, quietest of three batches: ${f(r.callMs)} (${f(r.moduleMs)} in the knowledge module)`)' \
      "$REPO/e2e/artifacts/overview-latency.json"
  fi
fi

printf '\n==> timings\n'
printf '%s\n' "${TIMES[@]}"
printf '\ntest-web.sh: all web tests passed\n'
