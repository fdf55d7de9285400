#!/usr/bin/env bash
# Installs test dependencies (Debian's v2ray for the interop tests), then builds and tests the whole solution.
# Extra arguments go to `dotnet test` (e.g. --filter ...). Exits non-zero on any failure.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash scripts/install-test-deps.sh

dotnet test VMess.Cluster.sln -c Release --logger "console;verbosity=normal" "$@"
