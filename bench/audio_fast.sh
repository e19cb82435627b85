#!/usr/bin/env bash
# Benchmark of vj-audio (issue 6): analysis speed with --fast over a 10-minute 44.1 kHz stereo file,
# as a multiple of real time on one core (target >= 300x), and the time per hop from the final
# status file (target p99 <= 1 ms). Prints figures; it is not a test and asserts nothing.
#
#   bench/audio_fast.sh [--build DIR] [--minutes N]
#
# Builds vj-audio alone, Release, into build-bench (or DIR) with the same settings as
# bench/build.sh; makes the file with sox (a 128 BPM kick/hat loop over pink noise); runs
# vj-audio pinned to CPU 0 with its OSC going to the discard port of 127.0.0.1.
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$BENCH_DIR")
BUILD=$ROOT/build-bench
MINUTES=10
while (($#)); do
    case $1 in
        --build) BUILD=${2:?--build needs a directory}; shift 2 ;;
        --minutes) MINUTES=${2:?--minutes needs a number}; shift 2 ;;
        -h|--help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "audio_fast.sh: unknown argument '$1' (usage: bench/audio_fast.sh [--build DIR] [--minutes N])" >&2; exit 2 ;;
    esac
done
BUILD=$(realpath -m "$BUILD")
for tool in sox jq; do
    command -v $tool >/dev/null || { echo "audio_fast.sh: needs $tool" >&2; exit 1; }
done

echo "== building vj-audio (Release) into $BUILD" >&2
build_log=$(mktemp)
# As bench/build.sh: CMAKE_CXX_FLAGS empty so that no flag left in an old cache changes what is
# measured; only the one target, so that other engineers' half-written code does not stop us.
if ! { cmake -S "$ROOT" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release -DVJ_TESTS=OFF -DCMAKE_CXX_FLAGS= >>"$build_log" 2>&1 &&
       cmake --build "$BUILD" -j2 --target vj-audio >>"$build_log" 2>&1; }; then
    tail -40 "$build_log" >&2
    echo "audio_fast.sh: the build failed (full log: $build_log)" >&2
    exit 1
fi
rm -f "$build_log"
AUDIO=$BUILD/bin/vj-audio
[[ -x $AUDIO ]] || { echo "audio_fast.sh: $AUDIO missing" >&2; exit 1; }

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
SECONDS_OF_AUDIO=$((MINUTES * 60))
echo "== making $MINUTES min of 44.1 kHz stereo (sox)" >&2
# One beat at 128 BPM (0.46875 s): a kick falling from 150 to 50 Hz, a hat on the off-beat; then
# repeated and mixed over pink noise at about -40 dBFS.
BEATS=$((SECONDS_OF_AUDIO * 128 / 60))
sox -n -r 44100 -c 1 "$WORK/kick.wav" synth 0.12 sine 150-50 fade q 0 0.12 0.11 vol 0.5 pad 0 0.34875
sox -n -r 44100 -c 1 "$WORK/hat.wav" synth 0.03 whitenoise vol 0.3 highpass 7000 fade q 0 0.03 0.025 pad 0.234375 0.204375
sox -m "$WORK/kick.wav" "$WORK/hat.wav" "$WORK/beat.wav"
sox "$WORK/beat.wav" "$WORK/loop.wav" repeat $((BEATS - 1))
sox -n -r 44100 -c 1 "$WORK/noise.wav" synth "$SECONDS_OF_AUDIO" pinknoise vol 0.01
sox -m "$WORK/loop.wav" "$WORK/noise.wav" -b 16 "$WORK/music.wav" channels 2
rm -f "$WORK/kick.wav" "$WORK/hat.wav" "$WORK/beat.wav" "$WORK/loop.wav" "$WORK/noise.wav"
cat "$WORK/music.wav" >/dev/null   # into the page cache: measure the analysis, not the disk

PIN=()
command -v taskset >/dev/null && PIN=(taskset -c 0)
echo "== vj-audio --fast over $(soxi -d "$WORK/music.wav") of audio" >&2
start=$(date +%s.%N)
"${PIN[@]}" "$AUDIO" --input "file:$WORK/music.wav" --fast --status "$WORK/status.json" --osc 127.0.0.1:9 --log-level warn
end=$(date +%s.%N)

# Loading the program is part of the wall time: aubio brings ~150 shared libraries (libav*, ...).
startup_s=$( { for _ in 1 2 3; do
    s0=$(date +%s.%N); "${PIN[@]}" "$AUDIO" --help >/dev/null; s1=$(date +%s.%N); echo "$s1 - $s0" | bc -l
done; } | sort -n | sed -n 2p)

status=$WORK/status.json
audio_s=$(jq .stream_time_s "$status")
wall_s=$(echo "$end - $start" | bc -l)
printf '%-34s %s\n' "audio analysed" "${audio_s} s ($(jq .hops "$status") hops of 512 at 44.1 kHz, stereo mixed down)"
printf '%-34s %.2f s on one core%s\n' "wall time" "$wall_s" "$( ((${#PIN[@]})) && echo " (taskset -c 0)")"
printf '%-34s %.0fx   (target >= 300x)\n' "speed" "$(echo "$audio_s / $wall_s" | bc -l)"
printf '%-34s %.0fx   (start-up of %.2f s, the median of three --help runs, taken off)\n' "speed, analysis alone" \
    "$(echo "$audio_s / ($wall_s - $startup_s)" | bc -l)" "$startup_s"
printf '%-34s p50 %s us, p99 %s us   (target p99 <= 1000 us; analysis + OSC, last 1024 hops)\n' "time per hop" \
    "$(jq .hop_time_us.p50 "$status")" "$(jq .hop_time_us.p99 "$status")"
printf '%-34s %s BPM (confidence %s; the loop is 128), %s beats, %s onsets\n' "found" \
    "$(jq .bpm "$status")" "$(jq .bpm_confidence "$status")" "$(jq .beats "$status")" "$(jq .onsets "$status")"
printf '%-34s %s sent, %s failed\n' "OSC datagrams" "$(jq .osc.sent "$status")" "$(jq .osc.failed "$status")"
