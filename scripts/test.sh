#!/usr/bin/env bash
# The whole test suite: set-up (idempotent), then every test in Release (the kernels are too slow in Debug
# for the end-to-end tests). The default models are pulled once into .cache/faceprint and reused.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$root/scripts/setup.sh"
cd "$root"
dotnet test Faceprint.slnx -c Release --nologo "$@"
