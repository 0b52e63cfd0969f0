#!/usr/bin/env bash
# Install the build/test toolchain for iamtrace (native + wasm32 + web playground).
#
# Idempotent: every step checks the *version* of what is already there and is
# skipped when it is satisfied, so a second run takes a few seconds.
# Works on a brand-new machine of this project's kind (Debian 12, run as root,
# only crates.io / npm / PyPI / Debian registries reachable; no GitHub).
#
# Usage: scripts/setup.sh [--fuzz] [-h|--help]
#   --fuzz   also install cargo-fuzz (off by default). On stable Rust:
#              cargo fuzz run -s none TARGET                 works as is
#              RUSTC_BOOTSTRAP=1 cargo fuzz run TARGET       default ASan build
#                                                            (-Zsanitizer needs it)
#            --build-std/--careful need nightly + rust-src; `cargo fuzz coverage`
#            needs `rustup component add llvm-tools` (for llvm-profdata).
#
# Versions live here and nowhere else. WASM_BINDGEN_VERSION must equal the
# `wasm-bindgen = "=X"` pin in Cargo.toml/Cargo.lock, otherwise trunk tries to
# download the CLI from GitHub (fails here) and wasm-bindgen-test-runner hits a
# schema mismatch.
WASM_BINDGEN_VERSION=0.2.130
TRUNK_VERSION=0.21.14          # 0.22.x needs rustc >= 1.96.1
CARGO_FUZZ_VERSION=0.13.2
WASM_OPT_VERSION=132           # from npm `binaryen` (package.json); Debian's binaryen 108 can't parse table.fill
MIN_RUST=1.95                  # workspace rust-version
MIN_NODE_MAJOR=20              # playwright-core 1.65 requires node >= 20
WASM_TARGET=wasm32-unknown-unknown

set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CARGO_HOME="${CARGO_HOME:-$HOME/.cargo}"
export PATH="$REPO/node_modules/.bin:$CARGO_HOME/bin:$PATH"

WITH_FUZZ=0
for arg in "$@"; do
  case "$arg" in
    --fuzz) WITH_FUZZ=1 ;;
    -h|--help) awk 'NR>1 && !/^#/{exit} NR>1{sub(/^# ?/,""); print}' "${BASH_SOURCE[0]}"; exit 0 ;;
    *) echo "setup.sh: unknown argument: $arg (try --help)" >&2; exit 2 ;;
  esac
done

log()  { printf '\n==> %s\n' "$*"; }
die()  { printf 'setup.sh: error: %s\n' "$*" >&2; exit 1; }
now()  { date +%s.%N; }

STEP_NAMES=(); STEP_TIMES=(); STEP_STATES=()
# step NAME CHECK_FN INSTALL_FN: run INSTALL_FN unless CHECK_FN succeeds,
# then re-run CHECK_FN to verify, and record the time taken.
step() {
  local name="$1" check="$2" install="$3" t0 state
  t0="$(now)"
  if "$check"; then
    state="ok (skipped)"
    log "$name: already satisfied"
  else
    log "$name: installing"
    "$install"
    "$check" || die "$name: still not satisfied after installing (is another version earlier on PATH? PATH=$PATH)"
    state="installed"
  fi
  STEP_NAMES+=("$name"); STEP_STATES+=("$state")
  STEP_TIMES+=("$(awk -v a="$t0" -v b="$(now)" 'BEGIN{printf "%.1f", b-a}')")
}

# `first_line CMD...`: first line of CMD's stdout, empty if CMD fails or is missing.
first_line() { "$@" 2>/dev/null | head -n1 || true; }

# cargo install from $HOME so that no project .cargo/config.toml or
# rust-toolchain.toml changes how the tool is built.
cargo_install() { (cd "$HOME" && cargo install "$@"); }

SUDO=()
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null 2>&1 || die "not root and no sudo: apt-get steps need root"
  SUDO=(sudo)
fi

# --- 0. preconditions: these come with the machine image, not from this script ---
command -v rustup >/dev/null 2>&1 && command -v cargo >/dev/null 2>&1 \
  || die "rustup/cargo not found (expected in $CARGO_HOME/bin)"
command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 || die "node/npm not found"
rust_ver="$(cd "$REPO" && rustc --version | awk '{print $2}')"
printf '%s\n%s\n' "$MIN_RUST" "$rust_ver" | sort -V -C \
  || die "rustc $rust_ver is older than the workspace's rust-version $MIN_RUST"
node_major="$(node -p 'process.versions.node.split(".")[0]')"
[ "$node_major" -ge "$MIN_NODE_MAJOR" ] || die "node $(node --version) < $MIN_NODE_MAJOR (playwright-core needs >= 20)"

# --- 1. rustup target + components (for the toolchain the repo resolves to) ---
check_rustup() {
  local installed
  installed="$(cd "$REPO" && rustup target list --installed)" || return 1
  grep -qx "$WASM_TARGET" <<<"$installed" || return 1
  installed="$(cd "$REPO" && rustup component list --installed)" || return 1
  grep -q '^clippy' <<<"$installed" && grep -q '^rustfmt' <<<"$installed" || return 1
  (cd "$REPO" && cargo clippy --version && cargo fmt --version) >/dev/null 2>&1
}
install_rustup() {
  (cd "$REPO" && rustup target add "$WASM_TARGET" && rustup component add clippy rustfmt)
}
step "rustup $WASM_TARGET + clippy + rustfmt" check_rustup install_rustup

# --- 2. Debian chromium + chromedriver (same package version) ---
check_chromium() {
  [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ] || return 1
  local a b
  a="$(dpkg-query -W -f='${Version}' chromium 2>/dev/null)" || return 1
  b="$(dpkg-query -W -f='${Version}' chromium-driver 2>/dev/null)" || return 1
  [ -n "$a" ] && [ "$a" = "$b" ]
}
install_chromium() {
  local t0; t0="$(now)"
  "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q
  APT_UPDATE_SECS="$(awk -v a="$t0" -v b="$(now)" 'BEGIN{printf "%.1f", b-a}')"
  "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -q --no-install-recommends chromium chromium-driver
}
APT_UPDATE_SECS=
step "apt chromium + chromium-driver" check_chromium install_chromium
if [ -n "$APT_UPDATE_SECS" ]; then
  STEP_NAMES+=("  (of which apt-get update)"); STEP_STATES+=(""); STEP_TIMES+=("$APT_UPDATE_SECS")
fi

# --- 3. trunk (crates.io; --locked works, with a yanked-crate warning) ---
check_trunk() { [ "$(first_line trunk --version)" = "trunk $TRUNK_VERSION" ]; }
install_trunk() { cargo_install trunk --version "$TRUNK_VERSION" --locked --force; }
step "cargo install trunk $TRUNK_VERSION" check_trunk install_trunk

# --- 4. wasm-bindgen-cli: NO --locked (its lockfile wants webpki-roots 1.0.11,
#        which the registry does not serve; unlocked resolves to 1.0.10) ---
check_wasm_bindgen() {
  [ "$(first_line wasm-bindgen --version)" = "wasm-bindgen $WASM_BINDGEN_VERSION" ] &&
  [ "$(first_line wasm-bindgen-test-runner --version)" = "wasm-bindgen-test-runner $WASM_BINDGEN_VERSION" ]
}
install_wasm_bindgen() { cargo_install wasm-bindgen-cli --version "=$WASM_BINDGEN_VERSION" --force; }
step "cargo install wasm-bindgen-cli $WASM_BINDGEN_VERSION" check_wasm_bindgen install_wasm_bindgen

# --- 5. npm devDependencies (binaryen/wasm-opt, playwright-core, esbuild, CodeMirror) ---
# npm ci always wipes node_modules, so skip it when node_modules was installed
# from exactly this package.json + package-lock.json and wasm-opt is right.
NPM_STAMP="$REPO/node_modules/.iamtrace-setup-stamp"
npm_inputs_hash() { cat "$REPO/package.json" "$REPO/package-lock.json" | sha256sum | cut -d' ' -f1; }
check_npm() {
  [ -f "$NPM_STAMP" ] && [ "$(cat "$NPM_STAMP")" = "$(npm_inputs_hash)" ] || return 1
  [[ "$(first_line "$REPO/node_modules/.bin/wasm-opt" --version)" == "wasm-opt version $WASM_OPT_VERSION "* ]]
}
install_npm() {
  (cd "$REPO" && npm ci --no-audit --no-fund)
  npm_inputs_hash >"$NPM_STAMP"
}
step "npm ci" check_npm install_npm

# --- 6. optional: cargo-fuzz ---
if [ "$WITH_FUZZ" = 1 ]; then
  check_cargo_fuzz() { [ "$(first_line cargo fuzz --version)" = "cargo-fuzz $CARGO_FUZZ_VERSION" ]; }
  install_cargo_fuzz() { cargo_install cargo-fuzz --version "$CARGO_FUZZ_VERSION" --locked --force; }
  step "cargo install cargo-fuzz $CARGO_FUZZ_VERSION" check_cargo_fuzz install_cargo_fuzz
fi

# --- summary ---
log "step timings"
for i in "${!STEP_NAMES[@]}"; do
  printf '  %-52s %-14s %8ss\n' "${STEP_NAMES[$i]}" "${STEP_STATES[$i]}" "${STEP_TIMES[$i]}"
done

log "tool versions"
ver() { printf '  %-26s %s\n' "$1" "$(first_line "${@:2}")"; }
ver rustc                    bash -c "cd '$REPO' && rustc --version"
ver cargo                    bash -c "cd '$REPO' && cargo --version"
ver "rustup targets"         bash -c "cd '$REPO' && rustup target list --installed | paste -sd' '"
ver clippy                   bash -c "cd '$REPO' && cargo clippy --version"
ver rustfmt                  bash -c "cd '$REPO' && cargo fmt --version"
ver trunk                    trunk --version
ver wasm-bindgen             wasm-bindgen --version
ver wasm-bindgen-test-runner wasm-bindgen-test-runner --version
ver wasm-opt                 "$REPO/node_modules/.bin/wasm-opt" --version
ver esbuild                  "$REPO/node_modules/.bin/esbuild" --version
ver playwright-core          node -p "'playwright-core ' + require('$REPO/node_modules/playwright-core/package.json').version"
ver iam-simulate             node -p "'@cloud-copilot/iam-simulate ' + require('$REPO/node_modules/@cloud-copilot/iam-simulate/package.json').version"
ver codemirror               node -p "'codemirror ' + require('$REPO/node_modules/codemirror/package.json').version + ', @codemirror/view ' + require('$REPO/node_modules/@codemirror/view/package.json').version"
ver node                     node --version
ver npm                      npm --version
ver chromium                 /usr/bin/chromium --version
ver chromedriver             /usr/bin/chromedriver --version
if [ "$WITH_FUZZ" = 1 ] || command -v cargo-fuzz >/dev/null 2>&1; then
  ver cargo-fuzz             cargo fuzz --version
fi
