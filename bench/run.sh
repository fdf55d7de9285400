#!/usr/bin/env bash
# Benchmarks our VMess node against V2Ray 4.34 side by side and prints ours/v2ray ratios (see bench/README.md).
#   bench/run.sh [--only throughput,cps,idle,auth,client] [--rounds 3] [--duration 5] [...]   (bench/run.sh --help)
# Environment:
#   OURS_CMD="... {config}"   command for our server ({config} = path of the V2Ray-style JSON config); when set,
#                             nothing is built. Default: the Release build of src/VMess.Cluster.Host, `run -c {config}`.
#   V2RAY_PATH=/path/v2ray    v2ray binary for the client and the reference server (default: v2ray on PATH)
#   V2RAY_CMD="... {config}"  command for the reference server (default: "$V2RAY_PATH -config {config}")
#   BENCH_NO_BUILD=1          do not build our node (same as --no-build)
#   BENCH_LOGLEVEL=info       loglevel written into every config (default warning), for debugging
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

log() { printf 'bench/run.sh: %s\n' "$*" >&2; }

args=()
no_build="${BENCH_NO_BUILD:-0}"
for a in "$@"; do
  case "$a" in
    --no-build) no_build=1 ;;
    -h|--help) exec python3 bench/bench.py --help ;;
    *) args+=("$a") ;;
  esac
done

# 1. tools
SUDO=()
if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1; then SUDO=(sudo); fi
missing=()
command -v iperf3 >/dev/null 2>&1 || missing+=(iperf3)
command -v wrk >/dev/null 2>&1 || missing+=(wrk)
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing+=(nginx)
if [ "${#missing[@]}" -gt 0 ]; then
  log "installing ${missing[*]} (apt-get)"
  ${SUDO[@]+"${SUDO[@]}"} apt-get update -qq
  # Debian starts packaged daemons (nginx on :80, the iperf3 service) unless policy-rc.d forbids it; the bench
  # never uses them, it runs its own instances on free loopback ports.
  ${SUDO[@]+"${SUDO[@]}"} env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi
if [ -f scripts/install-test-deps.sh ]; then
  bash scripts/install-test-deps.sh
elif ! command -v v2ray >/dev/null 2>&1 && [ -z "${V2RAY_PATH:-}" ]; then
  log "installing v2ray (apt-get)"
  ${SUDO[@]+"${SUDO[@]}"} env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq v2ray >/dev/null
fi

# 2. open files: 1000 idle tunneled connections need ~2000 descriptors in the load generator, client and server each
want=65536
hard=$(ulimit -Hn)
if [ "$hard" != unlimited ] && [ "$hard" -lt "$want" ]; then
  ulimit -Hn "$want" 2>/dev/null || want="$hard"
fi
ulimit -n "$want" 2>/dev/null || ulimit -n "$(ulimit -Hn)" || true
log "open files limit: $(ulimit -n)"

# 3. our node
if [ -z "${OURS_CMD:-}" ] && [ "$no_build" != 1 ]; then
  log "dotnet build src/VMess.Cluster.Host -c Release"
  if ! dotnet build src/VMess.Cluster.Host -c Release -nologo -v q; then
    log "building our node failed; fix the build, or set OURS_CMD (e.g. OURS_CMD='v2ray -config {config}')"
    exit 1
  fi
fi

exec python3 bench/bench.py ${args[@]+"${args[@]}"}
