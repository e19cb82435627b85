#!/usr/bin/env bash
# The VJ plugins' benchmarks (issue 6) in one report: vj-audio's tempo accuracy beside aubio tempo,
# vj-audio --fast speed and time per hop, and vj-osc-monitor's decode rate and loss-free UDP rate.
# Prints figures; it is not a test and asserts nothing.
#
#   bench/plugins.sh [--build DIR] [--out FILE] [--quick]
#
#   --build DIR   Release tree (default: build-bench, as bench/build.sh)
#   --out FILE    also write the Markdown report to FILE (bench/plugins.md is the committed one)
#   --quick       five tempi instead of 21, two minutes of audio instead of ten
#
# Run it on a quiet machine: every figure is a rate on one or two cores. Takes about five minutes
# on 2 cores once built; installs what is missing (sox, aubio-tools, jq, ...) like the scripts it
# calls.
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$BENCH_DIR")
BUILD=$ROOT/build-bench
OUT=""
QUICK=()
MINUTES=10
while (($#)); do
    case $1 in
        --build) BUILD=${2:?--build needs a directory}; shift 2 ;;
        --out) OUT=${2:?--out needs a file}; shift 2 ;;
        --quick) QUICK=(--quick); MINUTES=2; shift ;;
        -h|--help) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "plugins.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
    esac
done
BUILD=$(realpath -m "$BUILD")

echo "== building the plugins and osc_bench (Release) into $BUILD" >&2
build_log=$(mktemp)
# As bench/build.sh: CMAKE_CXX_FLAGS empty so that no flag left in an old cache changes what is measured.
if ! { cmake -S "$ROOT" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release -DVJ_TESTS=OFF -DCMAKE_CXX_FLAGS= >>"$build_log" 2>&1 &&
       cmake --build "$BUILD" -j2 --target vj-audio vj-osc-monitor osc_bench tempo_bench >>"$build_log" 2>&1; }; then
    tail -40 "$build_log" >&2
    echo "plugins.sh: the build failed (full log: $build_log)" >&2
    exit 1
fi
rm -f "$build_log"

report=$(mktemp)
trap 'rm -f "$report" "$report".*' EXIT
{
    echo "# VJ plugins: benchmark figures"
    echo
    echo "Made by \`bench/plugins.sh${QUICK:+ ${QUICK[*]}}\` on $(date -u +%Y-%m-%d): $(nproc) cores ($(LC_ALL=C lscpu | sed -n 's/^Model name: *//p' | head -1)),"
    echo "$(. /etc/os-release && echo "$PRETTY_NAME"), $(uname -r), GCC $(gcc -dumpfullversion), Release build."
    echo "Load average at the start: $(cut -d' ' -f1-3 /proc/loadavg)."
    echo
    echo "## vj-audio: tempo accuracy (bench/tempo_accuracy.sh)"
    echo
    echo "Target: every vj-audio error ≤ 1 BPM."
    echo
} >"$report"

"$BENCH_DIR/tempo_accuracy.sh" --build "$BUILD" "${QUICK[@]}" --out "$report.tempo" >&2
cat "$report.tempo" >>"$report"

{
    echo
    echo "## vj-audio --fast: speed and time per hop (bench/audio_fast.sh)"
    echo
    echo "Targets: ≥ 300× real time on one core; p99 ≤ 1 ms per hop."
    echo
    echo '```'
} >>"$report"
"$BENCH_DIR/audio_fast.sh" --build "$BUILD" --minutes "$MINUTES" | tee -a "$report" >&2
echo '```' >>"$report"

{
    echo
    echo "## vj-osc-monitor (bench/osc_bench.cpp)"
    echo
    echo "In-process: messages decoded per second on one core, and decoded and formatted as the"
    echo "printed line."
    echo
} >>"$report"
"$BUILD/osc_bench" decode | tee -a "$report" >&2
{
    echo
    echo "UDP on loopback: one sender thread at rising rates (two seconds each) into a running"
    echo "monitor; received is what the monitor's own status file counted. Where the sent rate falls"
    echo "short of the asked one, the sender thread, not the monitor, is the limit."
    echo
} >>"$report"
"$BUILD/osc_bench" udp "$BUILD/bin/vj-osc-monitor" | tee -a "$report" >&2

echo
cat "$report"
if [[ -n $OUT ]]; then cp "$report" "$OUT"; fi
