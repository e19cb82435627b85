#!/usr/bin/env bash
# Every test: set up, build, ctest; then the same suite once more under ASan+UBSan.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/setup.sh"

echo "== build and test (RelWithDebInfo)" >&2
"$root/scripts/build.sh" build -DCMAKE_BUILD_TYPE=RelWithDebInfo
(cd "$root/build" && ctest --output-on-failure -j "$(nproc)")

echo "== build and test under AddressSanitizer + UndefinedBehaviorSanitizer" >&2
"$root/scripts/build.sh" build-asan -DCMAKE_BUILD_TYPE=Debug -DVJ_SANITIZE=ON
export ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
(cd "$root/build-asan" && ctest --output-on-failure -j "$(nproc)")
