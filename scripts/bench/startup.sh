#!/usr/bin/env bash
# Start-up of the `iamtrace` binary: what a one-scenario `eval` (text and
# jsonl) and a `lint` of one policy cost, as whole processes.
#
#   cargo build -p iamtrace-cli --release
#   scripts/bench/startup.sh [BINARY...]      (default: target/release/iamtrace)
#
# Prints instructions executed (callgrind, when valgrind is installed: the
# same on a loaded machine) and wall time (hyperfine when installed, else
# the median of 50 runs).
set -euo pipefail
cd "$(dirname "$0")/../.."
[ "$#" -gt 0 ] || set -- target/release/iamtrace
policy="$(mktemp --suffix .json)"
trap 'rm -f "$policy" "$policy.hyperfine.json" callgrind.out.iamtrace-startup' EXIT
printf '%s\n' '{"Version": "2012-10-17", "Statement": [{"Sid": "ReadReports", "Effect": "Allow",' \
  '  "Action": ["s3:GetObject", "s3:ListBucket"], "Resource": ["arn:aws:s3:::reports", "arn:aws:s3:::reports/*"]}]}' >"$policy"
runs=(
  "eval examples/tls-deny.json"
  "eval --format jsonl examples/tls-deny.json"
  "lint $policy"
)
for bin in "$@"; do
  echo "== $bin"
  for args in "${runs[@]}"; do
    # shellcheck disable=SC2086 # the arguments are split on purpose
    if command -v valgrind >/dev/null; then
      ins=$(valgrind --tool=callgrind --callgrind-out-file=callgrind.out.iamtrace-startup "$bin" $args 2>&1 >/dev/null |
        sed -n 's/.*Collected : \([0-9]*\).*/\1/p')
    else
      ins="-"
    fi
    if command -v hyperfine >/dev/null; then
      # shellcheck disable=SC2086
      hyperfine -N -i --style none --warmup 5 --runs 50 --export-json "$policy.hyperfine.json" "$bin $args" >/dev/null 2>&1
      ms=$(node -e 'const r=require(process.argv[1]).results[0];console.log(`${(r.median*1000).toFixed(2)} ms median (min ${(r.min*1000).toFixed(2)})`)' "$policy.hyperfine.json")
    else
      times=()
      for _ in $(seq 50); do
        t0=$(date +%s%N)
        # shellcheck disable=SC2086
        "$bin" $args >/dev/null 2>&1 || true
        times+=($(( $(date +%s%N) - t0 )))
      done
      ms=$(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {printf "%.2f ms median (min %.2f)", a[int((NR+1)/2)]/1e6, a[1]/1e6}')
    fi
    printf '  %-44s %14s instructions   %s\n' "iamtrace ${args/$policy/policy.json}" "$ins" "$ms"
  done
done
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
