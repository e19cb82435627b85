#!/usr/bin/env bash
# The main job: set up, build, and run supervisord in the foreground on etc/services.yaml.
# Ctrl-C (SIGINT) stops every service in reverse dependency order, then supervisord exits.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/setup.sh"
"$root/scripts/build.sh" build -DCMAKE_BUILD_TYPE=RelWithDebInfo
echo "run: supervisord is starting; in another terminal: build/vjctl/vjctl -c etc/services.yaml status" >&2
exec "$root/build/supervisord/supervisord" -c "$root/etc/services.yaml" "$@"
