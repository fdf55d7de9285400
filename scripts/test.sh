#!/usr/bin/env bash
# Installs test dependencies (Debian's v2ray for the interop tests), then builds and tests the whole solution.
# Extra arguments go to `dotnet test` (e.g. --filter ...). Exits non-zero on any failure.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash scripts/install-test-deps.sh

# Build everything (the host and the benchmarks are not test projects, so `dotnet test` alone would skip them).
dotnet build VMess.Cluster.sln -c Release -warnaserror
# The README's run command must keep working: the codec demo exits non-zero if a handshake fails.
dotnet run --no-build -c Release --project src/VMess.Cluster.Host -- demo

# CI shows only the tail of the output: on failure, repeat each failed test's name and message last.
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
if ! dotnet test VMess.Cluster.sln -c Release --no-build --logger "console;verbosity=normal" "$@" 2>&1 | tee "$log"; then
    echo "==== failed tests ===="
    grep -E -A6 '^\s+Failed [A-Za-z]' "$log" | cut -c1-400 || true
    exit 1
fi
