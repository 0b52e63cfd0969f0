#!/usr/bin/env bash
# Runs every fuzz target for SECONDS (default 600) on stable Rust, one after
# another, starting from the seed corpus and the IAM token dictionary.
# Usage: scripts/fuzz.sh [SECONDS] [TARGET...]
# Needs cargo-fuzz: scripts/setup.sh --fuzz
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/env.sh
seconds="${1:-600}"
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(json policy scenario render)
cd fuzz
for t in "${targets[@]}"; do
  mkdir -p "corpus/$t"
  seeds="seeds/$t"
  [ -d "$seeds" ] || seeds="seeds/policy"
  [ "$t" = json ] && seeds="seeds/scenario"
  [ "$t" = render ] && seeds="seeds/render"
  echo "== fuzz target $t for ${seconds}s"
  cargo fuzz run -s none -O "$t" "corpus/$t" "$seeds" -- \
    -max_total_time="$seconds" -dict=dict/iam.dict -print_final_stats=1 -max_len=65536 -timeout=10 -rss_limit_mb=2048
done
