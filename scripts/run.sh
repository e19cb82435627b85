#!/usr/bin/env bash
# The main job: set up, build, and run supervisord in the foreground on etc/services.yaml, the VJ
# rig (vj-audio on a generated 120 BPM click track, sending OSC to vj-osc-monitor).
# Ctrl-C (SIGINT) stops every service in reverse dependency order, then supervisord exits.
# VJ_BUILD_DIR=DIR uses an existing, configured build directory as it is (the demo-rig test runs
# this script on the build under test); the default configures and builds build/.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/setup.sh"
if [[ -n ${VJ_BUILD_DIR:-} ]]; then
    build=$VJ_BUILD_DIR
    cmake --build "$build" -j "$(nproc)" >/dev/null
else
    build=$root/build
    "$root/scripts/build.sh" build -DCMAKE_BUILD_TYPE=RelWithDebInfo
fi
# The plugins' service files name their programs (vj-audio, vj-osc-monitor) as an installed
# system would: put the freshly built ones first on PATH.
export PATH=$build/bin:$PATH
echo "run: supervisord is starting; in another terminal: build/vjctl/vjctl -c etc/services.yaml status" >&2
exec "$build/supervisord/supervisord" -c "$root/etc/services.yaml" "$@"
