#!/usr/bin/env bash
# vj-supervisor side by side with supervisord, runit, s6 and PM2 (issue 5), and monit for probes.
#
#   bench/compare.sh [--build DIR] [--only restart,idle,mass,logs,probes,scale] [--quick] [--out FILE]
#
# 1. Installs what is missing: the build's packages (scripts/setup.sh), the peers from Debian's
#    packages (supervisor, runit, s6, monit; python3 for the driver) and PM2 from npm (nodejs
#    and npm from Debian, then `npm install -g pm2`). Installing a peer does not start it: in a
#    container without an init nothing runs it, and on a machine with systemd this script stops
#    and disables the system units the packages start (supervisor, runit, monit).
# 2. Builds a release tree of ours (build-bench unless --build DIR) and the static helpers.
# 3. Runs bench/compare.py, which runs every scenario for ours and each peer in turn on private
#    temporary directories and writes the Markdown report to bench/compare.md (full runs only).
# A full run takes about 20 minutes on 2 cores; --quick (fewer, smaller runs) about 5.
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$BENCH_DIR")
BUILD=$ROOT/build-bench
ARGS=()
while (($#)); do
    case $1 in
        --build) BUILD=${2:?--build needs a directory}; shift 2 ;;
        --only|--out) ARGS+=("$1" "${2:?$1 needs a value}"); shift 2 ;;
        --quick) ARGS+=("$1"); shift ;;
        -h|--help) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "compare.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
    esac
done
BUILD=$(realpath -m "$BUILD")

sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
"$ROOT/scripts/setup.sh"
# command -> the Debian package that provides it (node and npm may come from elsewhere: NodeSource)
declare -A peers=([supervisord]=supervisor [runsvdir]=runit [s6-svscan]=s6 [monit]=monit [python3]=python3
                  [node]=nodejs [npm]=npm)
missing=()
for c in "${!peers[@]}"; do
    command -v "$c" >/dev/null || missing+=("${peers[$c]}")
done
if ((${#missing[@]})); then
    echo "compare.sh: installing ${missing[*]}" >&2
    $sudo apt-get update -qq
    # policy-rc.d 101: the packages' maintainer scripts must not start the system's own daemons
    policy=/usr/sbin/policy-rc.d
    had_policy=0; [[ -e $policy ]] && had_policy=1
    if ((!had_policy)); then
        printf '#!/bin/sh\nexit 101\n' | $sudo tee "$policy" >/dev/null
        $sudo chmod +x "$policy"
    fi
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2 || {
        ((had_policy)) || $sudo rm -f "$policy"; exit 1; }
    ((had_policy)) || $sudo rm -f "$policy"
fi
if [[ -d /run/systemd/system ]]; then   # a systemd machine: the peers' own units must not run
    for unit in supervisor.service runit.service monit.service; do
        $sudo systemctl disable --now "$unit" >/dev/null 2>&1 || true
    done
fi
PM2=$(command -v pm2 || true)
if [[ -z $PM2 ]]; then
    echo "compare.sh: installing pm2 from npm" >&2
    $sudo npm install -g --no-fund --no-audit pm2 >&2
    PM2=$(command -v pm2)
fi

# shellcheck source=bench/build.sh
source "$BENCH_DIR/build.sh"
# 10,000 services: every supervisor's fds, and what the services inherit
ulimit -n 1048576 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
exec python3 "$BENCH_DIR/compare.py" --build "$BUILD" --tools "$TOOLS" --pm2 "$PM2" "${ARGS[@]}"
