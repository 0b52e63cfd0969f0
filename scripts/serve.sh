#!/usr/bin/env bash
# Sets up whatever is missing (scripts/setup.sh, idempotent) and serves the
# playground with `trunk serve` on http://127.0.0.1:8080/ (rebuilds on edits).
# Extra arguments go to trunk, e.g. `scripts/serve.sh --release --port 9000`.
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$REPO/scripts/setup.sh"
cd "$REPO"
# shellcheck source=scripts/env.sh
. scripts/env.sh
exec trunk serve --address 127.0.0.1 "$@"
