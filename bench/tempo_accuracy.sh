#!/usr/bin/env bash
# Tempo accuracy table (issue 6): for loops from 80 to 180 BPM in steps of 5, generated with sox
# (kick on every beat, hi-hat on every off-beat, pink-noise floor; 30 s, 44.1 kHz), the BPM that
# vj-audio reports next to what `aubio tempo` (aubio-tools) reports on the same file, and the error
# of each. Target: every vj-audio error ≤ 1 BPM. Then the cost per hop and the speed (× real time)
# on a generated 10-minute 44.1 kHz stereo file.
#
#   bench/tempo_accuracy.sh [--build DIR] [--quick] [--keep DIR] [--out FILE]
#
#   --build DIR   release tree to build vj-audio and tempo_bench in (default: build-bench)
#   --quick       80, 120, 128, 174 and 180 BPM only, and a 2-minute timing file
#   --keep DIR    write the generated WAV files to DIR and keep them (default: a temporary dir)
#   --out FILE    also write the Markdown report to FILE
#
# The command under test is VJ_AUDIO_CMD (default: the shipped vj-audio built here, run with
# --fast over the file, its BPM read from the final status file with jq). "{}" in it is replaced
# by the WAV file's path (appended when absent). It must print the BPM it reports at the end of the
# file as the first number of its last line of output, e.g.
#   VJ_AUDIO_CMD='build-bench/plugins/audio-analyzer/tempo_bench' bench/tempo_accuracy.sh
# The timing figures come from tempo_bench --timing, the analysis core alone (VJ_TIMING_CMD
# overrides it the same way); bench/audio_fast.sh times the whole program.
#
# Installs what is missing (sox, aubio-tools, libaubio-dev, libsndfile1-dev) with apt-get, like
# bench/compare.sh. Takes about two minutes on 2 cores (the build not counted).
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$BENCH_DIR")
BUILD=$ROOT/build-bench
QUICK=0
KEEP=""
OUT=""
while (($#)); do
    case $1 in
        --build) BUILD=${2:?--build needs a directory}; shift 2 ;;
        --quick) QUICK=1; shift ;;
        --keep) KEEP=${2:?--keep needs a directory}; shift 2 ;;
        --out) OUT=${2:?--out needs a file}; shift 2 ;;
        -h|--help) sed -n '2,24p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "tempo_accuracy.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
    esac
done
BUILD=$(realpath -m "$BUILD")

# --- what is missing: command or pkg-config module -> Debian package
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
missing=()
command -v sox >/dev/null && command -v soxi >/dev/null || missing+=(sox)
command -v jq >/dev/null || missing+=(jq)
command -v aubio >/dev/null || missing+=(aubio-tools)
command -v cmake >/dev/null || missing+=(cmake)
command -v ninja >/dev/null || missing+=(ninja-build)
pkg-config --exists aubio 2>/dev/null || missing+=(libaubio-dev)
pkg-config --exists sndfile 2>/dev/null || missing+=(libsndfile1-dev)
if ((${#missing[@]})); then
    echo "tempo_accuracy.sh: installing ${missing[*]}" >&2
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fi

if [[ -n $KEEP ]]; then
    WORK=$(realpath -m "$KEEP")
    mkdir -p "$WORK"
else
    WORK=$(mktemp -d)
    trap 'rm -rf "$WORK"' EXIT
fi

# --- vj-audio and the timing stand-in, unless both commands were given. As bench/build.sh:
# CMAKE_CXX_FLAGS empty so that no flag left in an old cache changes what is measured.
if [[ -z ${VJ_AUDIO_CMD:-} || -z ${VJ_TIMING_CMD:-} ]]; then
    echo "== building vj-audio and tempo_bench (Release) in $BUILD" >&2
    build_log=$(mktemp)
    if ! { cmake -S "$ROOT" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release -DVJ_TESTS=OFF -DCMAKE_CXX_FLAGS= >>"$build_log" 2>&1 &&
           cmake --build "$BUILD" -j2 --target vj-audio tempo_bench >>"$build_log" 2>&1; }; then
        tail -40 "$build_log" >&2
        echo "tempo_accuracy.sh: the build failed (full log: $build_log)" >&2
        exit 1
    fi
    rm -f "$build_log"
fi
TEMPO_BENCH=$BUILD/plugins/audio-analyzer/tempo_bench
AUDIO_LABEL=${VJ_AUDIO_CMD:-vj-audio --fast --input file:FILE (Release; the BPM in its final status file)}
# (the default is built in a variable of its own: a "}" inside ${VAR:-...} would end the expansion)
default_audio_cmd="$BUILD/bin/vj-audio --fast --input file:{} --osc 127.0.0.1:9 --log-level error --status $WORK/status.json && jq .bpm $WORK/status.json"
VJ_AUDIO_CMD=${VJ_AUDIO_CMD:-$default_audio_cmd}
VJ_TIMING_CMD=${VJ_TIMING_CMD:-$TEMPO_BENCH --timing}

# -R: sox seeds its noise generators the same way every run, so the files (and aubio's column)
# are the same from run to run.
sox() { command sox -R "$@"; }

RATE=44100
SECONDS_PER_LOOP=30

# The sounds, made once. Kick: 120 ms sine falling exponentially from 150 to 50 Hz, peak -6 dBFS,
# fading out. Hat: 30 ms of white noise high-passed at 7 kHz, -14 dB, fading out. Floor: pink
# noise normalised to a -28 dBFS peak (about -42 dBFS RMS).
sox -n -r $RATE -c 1 "$WORK/kick.wav" synth 0.12 sine 150/50 fade h 0 0.12 0.11 gain -6
sox -n -r $RATE -c 1 "$WORK/hat.wav" synth 0.03 whitenoise gain -14 highpass 7000 highpass 7000 fade h 0 0.03 0.028
sox -n -r $RATE -c 1 "$WORK/floor.wav" synth $SECONDS_PER_LOOP pinknoise gain -n -28

# loop BPM FILE SECONDS [CHANNELS]: one bar of four beats, each kick and hat placed at its exact
# sample (so the bar, and the tempo, are right to a quarter of a sample per beat), repeated to
# SECONDS and mixed with the floor.
make_loop() {
    local bpm=$1 out=$2 seconds=$3 channels=${4:-1}
    local parts=() bar_samples beat
    bar_samples=$(awk -v b="$bpm" -v r=$RATE 'BEGIN { printf "%d", 4 * 60 * r / b + 0.5 }')
    for beat in 0 1 2 3; do
        local kick_at hat_at
        kick_at=$(awk -v b="$bpm" -v r=$RATE -v k=$beat 'BEGIN { printf "%d", k * 60 * r / b + 0.5 }')
        hat_at=$(awk -v b="$bpm" -v r=$RATE -v k=$beat 'BEGIN { printf "%d", (k + 0.5) * 60 * r / b + 0.5 }')
        sox "$WORK/kick.wav" "$WORK/k$beat.wav" pad "${kick_at}s" 0
        sox "$WORK/hat.wav" "$WORK/h$beat.wav" pad "${hat_at}s" 0
        parts+=(-v 1 "$WORK/k$beat.wav" -v 1 "$WORK/h$beat.wav")
    done
    sox -m "${parts[@]}" "$WORK/mixed.wav"
    sox "$WORK/mixed.wav" "$WORK/bar.wav" pad 0 "$((bar_samples - $(soxi -s "$WORK/mixed.wav")))s"
    local repeats
    repeats=$(awk -v s="$seconds" -v n="$bar_samples" -v r=$RATE 'BEGIN { printf "%d", s * r / n + 1 }')
    sox "$WORK/bar.wav" "$WORK/bars.wav" repeat "$repeats" trim 0 "$seconds"
    if ((seconds <= SECONDS_PER_LOOP)); then
        sox -m -v 1 "$WORK/bars.wav" -v 1 "$WORK/floor.wav" -c "$channels" "$out" trim 0 "$seconds"
    else   # the floor file is shorter: loop it too
        sox "$WORK/floor.wav" "$WORK/floor_long.wav" repeat $((seconds / SECONDS_PER_LOOP + 1)) trim 0 "$seconds"
        sox -m -v 1 "$WORK/bars.wav" -v 1 "$WORK/floor_long.wav" -c "$channels" "$out" trim 0 "$seconds"
    fi
    rm -f "$WORK"/k?.wav "$WORK"/h?.wav "$WORK/mixed.wav" "$WORK/bar.wav" "$WORK/bars.wav" "$WORK/floor_long.wav"
}

# run_cmd TEMPLATE FILE: the template with {} replaced by FILE (or FILE appended), its output.
run_cmd() {
    local template=$1 file=$2 cmd
    if [[ $template == *"{}"* ]]; then cmd=${template//\{\}/$file}; else cmd="$template $file"; fi
    bash -c "$cmd"
}

# The first number on the last non-empty line of the input ("" if none).
last_number() { awk 'NF { line = $0 } END { if (match(line, /-?[0-9]+(\.[0-9]+)?/)) print substr(line, RSTART, RLENGTH) }'; }

if ((QUICK)); then tempi=(80 120 128 174 180); else tempi=($(seq 80 5 180)); fi

report=$(mktemp)
{
    echo "Tempo accuracy: sox loops (kick every beat, hat every off-beat, pink floor), ${SECONDS_PER_LOOP} s, ${RATE} Hz."
    echo "vj-audio: \`$AUDIO_LABEL\`; aubio tempo: \`aubio tempo FILE\` ($(aubio --version 2>/dev/null | head -1 || echo aubio))."
    echo
    echo "| BPM | vj-audio | error | aubio tempo | error |"
    echo "|----:|---------:|------:|------------:|------:|"
} >"$report"
ours_ok=0
theirs_ok=0
for bpm in "${tempi[@]}"; do
    wav=$WORK/loop_$bpm.wav
    make_loop "$bpm" "$wav" $SECONDS_PER_LOOP
    ours=$(run_cmd "$VJ_AUDIO_CMD" "$wav" 2>/dev/null | last_number || true)
    theirs=$(aubio tempo "$wav" 2>/dev/null | last_number || true)
    row=$(awk -v b="$bpm" -v o="${ours:-nan}" -v t="${theirs:-nan}" 'BEGIN {
        eo = (o == "nan") ? "n/a" : sprintf("%+.2f", o - b)
        et = (t == "nan") ? "n/a" : sprintf("%+.2f", t - b)
        printf "| %d | %s | %s | %s | %s |", b, (o == "nan" ? "n/a" : sprintf("%.2f", o)), eo, (t == "nan" ? "n/a" : sprintf("%.2f", t)), et }')
    echo "$row" >>"$report"
    echo "$row" >&2
    [[ -n $ours ]] && awk -v b="$bpm" -v o="$ours" 'BEGIN { exit !((o - b) <= 1 && (b - o) <= 1) }' && ours_ok=$((ours_ok + 1))
    [[ -n $theirs ]] && awk -v b="$bpm" -v t="$theirs" 'BEGIN { exit !((t - b) <= 1 && (b - t) <= 1) }' && theirs_ok=$((theirs_ok + 1))
    [[ -n $KEEP ]] || rm -f "$wav"
done
{
    echo
    echo "Within ±1 BPM: vj-audio ${ours_ok}/${#tempi[@]}, aubio tempo ${theirs_ok}/${#tempi[@]}."
} >>"$report"

# Timing: a long stereo file of the 128 BPM loop.
minutes=10
((QUICK)) && minutes=2
long=$WORK/long_${minutes}min.wav
echo "== generating a ${minutes}-minute stereo file" >&2
make_loop 128 "$long" $((minutes * 60)) 2
timing=$(run_cmd "$VJ_TIMING_CMD" "$long" 2>&1 | tail -1)
{
    echo
    echo "Per-hop cost on a ${minutes}-minute ${RATE} Hz stereo file (hop 512 = 11.6 ms of audio; one core):"
    echo
    echo "    $timing"
} >>"$report"
[[ -n $KEEP ]] || rm -f "$long"

echo
cat "$report"
if [[ -n $OUT ]]; then cp "$report" "$OUT"; fi
rm -f "$report"
