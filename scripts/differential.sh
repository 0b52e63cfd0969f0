#!/usr/bin/env bash
# Differential test: iamtrace against @cloud-copilot/iam-simulate on a fixed set
# of seeded random scenarios (scripts/differential/README.md). Builds nothing:
# expects target/release/iamtrace (or $IAMTRACE) and node_modules (npm ci).
#
# Usage: scripts/differential.sh [extra run.mjs arguments, e.g. --show]
#
# Each seed is a batch of 2,000 scenarios, as in the run that found the
# differences; every seed must agree on at least 99% and every difference must
# be explained (scripts/differential/known.mjs, with its AWS source). The CI
# set is three seeds; any other seed can be run the same way.
# Measured: 2,000 scenarios in about 7 s on this project's machines.
set -euo pipefail
cd "$(dirname "$0")/.."
export IAMTRACE="${IAMTRACE:-$PWD/target/release/iamtrace}"
[ -x "$IAMTRACE" ] || { echo "differential.sh: no iamtrace binary at $IAMTRACE (cargo build -p iamtrace-cli --release)" >&2; exit 1; }
[ -d node_modules/@cloud-copilot/iam-simulate ] || { echo "differential.sh: node_modules is missing @cloud-copilot/iam-simulate (npm ci)" >&2; exit 1; }
exec node scripts/differential/run.mjs --seed "${DIFFERENTIAL_SEEDS:-1-3}" --count 2000 "$@"
