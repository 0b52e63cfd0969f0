# Source me (bash or zsh):  . scripts/env.sh
# Puts the repo's node_modules/.bin first on PATH (npm's binaryen wasm-opt 132
# must win over any other wasm-opt, or trunk's `wasm_opt = "version_132"` pin
# makes it try to download from GitHub), then ~/.cargo/bin (trunk,
# wasm-bindgen, wasm-bindgen-test-runner, cargo-fuzz).
# Safe to source repeatedly: existing copies of both entries are removed first.
if [ -n "${BASH_VERSION:-}" ]; then
  _iamtrace_src="${BASH_SOURCE[0]}"
elif [ -n "${ZSH_VERSION:-}" ]; then
  _iamtrace_src="${(%):-%x}"
else
  _iamtrace_src="$0"
fi
REPO="$(cd "$(dirname "$_iamtrace_src")/.." 2>/dev/null && pwd)"
if [ ! -f "$REPO/scripts/env.sh" ]; then
  # plain sh can't tell which file is being sourced: fall back to the git top-level
  REPO="$(git rev-parse --show-toplevel 2>/dev/null || pwd)"
fi
export REPO
_iamtrace_cargo_bin="${CARGO_HOME:-$HOME/.cargo}/bin"
_iamtrace_path=":$PATH:"
for _iamtrace_d in "$REPO/node_modules/.bin" "$_iamtrace_cargo_bin"; do
  while case "$_iamtrace_path" in *":$_iamtrace_d:"*) true ;; *) false ;; esac; do
    _iamtrace_path="${_iamtrace_path%%":$_iamtrace_d:"*}:${_iamtrace_path#*":$_iamtrace_d:"}"
  done
done
_iamtrace_path="${_iamtrace_path#:}"; _iamtrace_path="${_iamtrace_path%:}"
export PATH="$REPO/node_modules/.bin:$_iamtrace_cargo_bin${_iamtrace_path:+:$_iamtrace_path}"
unset _iamtrace_src _iamtrace_cargo_bin _iamtrace_path _iamtrace_d
