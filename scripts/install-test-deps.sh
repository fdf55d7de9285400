#!/usr/bin/env bash
# Installs what the test suite needs beyond the .NET SDK: Debian's v2ray 4.34 (v2ray and v2ctl) for the interop
# tests, golang-v2ray-core-dev (V2Ray's .proto files, from which VMess.Api.Tests builds its gRPC client), curl,
# docker-compose (to validate docker-compose.yml), and PostgreSQL's server binaries (the registry's journal tests).
# Idempotent and quiet when everything is already there.
#   V2RAY_PATH=/path/to/v2ray         use that binary instead (must exist, v2ctl beside it); v2ray is not installed
set -euo pipefail

log() { printf 'install-test-deps: %s\n' "$*" >&2; }

SUDO=()
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then
    SUDO=(sudo)
  fi
fi

APT_UPDATED=0
apt_install() {
  if ! command -v apt-get >/dev/null 2>&1; then
    log "apt-get not found: install $* by hand (or set V2RAY_PATH)"
    exit 1
  fi
  if [ "$APT_UPDATED" -eq 0 ]; then
    log "apt-get update"
    ${SUDO[@]+"${SUDO[@]}"} apt-get update -qq
    APT_UPDATED=1
  fi
  log "apt-get install $*"
  ${SUDO[@]+"${SUDO[@]}"} env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

if [ -n "${V2RAY_PATH:-}" ]; then
  if [ ! -x "$V2RAY_PATH" ]; then
    log "V2RAY_PATH=$V2RAY_PATH is not an executable file"
    exit 1
  fi
elif ! command -v v2ray >/dev/null 2>&1 && [ ! -x /usr/bin/v2ray ]; then
  apt_install v2ray
  if ! command -v v2ray >/dev/null 2>&1 && [ ! -x /usr/bin/v2ray ]; then
    log "v2ray is still missing after apt-get install"
    exit 1
  fi
  log "installed: $(v2ray -version 2>/dev/null | head -n 1 || true)"
fi

# V2Ray's own .proto files (app/proxyman/command/command.proto and what it imports): the API tests' client is
# generated from them at build time, so the solution does not build without them.
V2RAY_PROTO=/usr/share/gocode/src/v2ray.com/core/app/proxyman/command/command.proto
if [ ! -f "$V2RAY_PROTO" ]; then
  apt_install golang-v2ray-core-dev
  if [ ! -f "$V2RAY_PROTO" ]; then
    log "golang-v2ray-core-dev is installed but $V2RAY_PROTO is missing"
    exit 1
  fi
fi

# curl drives the socks and http inbounds in the client-side tests, as a real proxy client.
if ! command -v curl >/dev/null 2>&1; then
  apt_install curl
fi

# docker-compose validates docker-compose.yml (`docker-compose config -q`, no Docker engine needed) in the Host tests.
if ! command -v docker-compose >/dev/null 2>&1; then
  apt_install docker-compose
fi

# initdb and pg_ctl: the registry's PostgreSQL tests start a throwaway server of their own (temp folder, free port on
# 127.0.0.1); the cluster Debian creates at install is not used.
if ! compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null; then
  apt_install postgresql
fi
