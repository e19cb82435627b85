#!/usr/bin/env bash
# Benchmarks of vj-supervisor (issue 2, "Benchmarks"): they print figures next to their targets;
# they are not tests and are not registered with ctest.
#
#   bench/run.sh [--build DIR] [--only N[,N...]]
#
# Builds a release build (into build-bench unless --build DIR names an existing or new build
# directory), compiles the helpers (stamp.c, spew.c, vjbench.cpp) next to it, then runs:
#   1. restart latency   SIGKILL -> the new process's first instruction, 50 times, and the
#                        fork/exec floor of the same measurement without supervisord
#   2. idle footprint    100 `sleep` services: RSS, PSS and CPU over 20 s idle
#   3. vjctl status      over those 100 services: vjctl wall time, raw socket round trip
#   4. mass start        100 and 1000 services: supervisord launch -> `vjctl wait all` returns
#   5. log throughput    512 MiB through a service's stdout pipe into rotated log files, against
#                        `spew | cat > file`
#   6. probe load        100 services, each with a heartbeat, a command and a Lua probe every 1 s:
#                        supervisord's CPU over 20 s; and one Lua probe run in-process (luabench)
# Every benchmark has its own directory (config, socket, state, logs) under one mktemp -d; every
# daemon is stopped by pid at the end, on failure and on Ctrl-C too. The printed report is also
# written to bench/results.md (overwritten on each full run). --only runs the listed sections
# (2 and 3 always together: 3 measures 2's daemon) and leaves results.md as it was.
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$BENCH_DIR")
BUILD=$ROOT/build-bench
BUILD_ARG=""
ONLY=""
while (($#)); do
    case $1 in
        --build) BUILD=${2:?--build needs a directory}; BUILD_ARG=" --build $2"; shift 2 ;;
        --only) ONLY=,${2:?--only needs section numbers, e.g. 5 or 2,3},; shift 2 ;;
        -h|--help) sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "run.sh: unknown argument '$1' (usage: bench/run.sh [--build DIR] [--only N[,N...]])" >&2; exit 2 ;;
    esac
done
BUILD=$(realpath -m "$BUILD")
want() { [[ -z $ONLY || $ONLY == *,$1,* ]]; }   # want N: section N is to run
RESULTS=$BENCH_DIR/results.md

# ---------------------------------------------------------------------------------------------
# Build
# ---------------------------------------------------------------------------------------------
BUILD_NOTE=""
# shellcheck source=bench/build.sh
source "$BENCH_DIR/build.sh"
g++ -std=c++20 -O2 -Wall -Wextra -o "$TOOLS/vjbench" "$BENCH_DIR/vjbench.cpp"
VJBENCH=$TOOLS/vjbench
cmake --build "$BUILD" --target luabench >/dev/null
LUABENCH=$BUILD/luabench

# 1000 services: the daemon's and vjctl's fds, and what the services inherit.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || ulimit -n 65536 2>/dev/null || true

# ---------------------------------------------------------------------------------------------
# Daemons and clean-up
# ---------------------------------------------------------------------------------------------
WORK=$(mktemp -d /tmp/vjbench.XXXXXX)
DAEMONS=()      # supervisord pids started by this script (children of this shell)
PIDFILES=()     # supervisord pids started by vjbench massstart

alive() { kill -0 "$1" 2>/dev/null && [[ $(awk '{print $3}' "/proc/$1/stat" 2>/dev/null) != Z ]]; }

# SIGTERM, up to 20 s for the daemon to stop its services and exit; else SIGKILL its services
# (their process groups: each is a session leader) and the daemon.
stop_daemon() {
    local pid=$1 i
    alive "$pid" || return 0
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < 2000; i++)); do alive "$pid" || break; sleep 0.01; done
    if alive "$pid"; then
        echo "run.sh: supervisord $pid did not exit within 20 s of SIGTERM; killing it and its services" >&2
        local c
        for c in $(cat "/proc/$pid/task/$pid/children" 2>/dev/null); do kill -KILL -- "-$c" "$c" 2>/dev/null || true; done
        kill -KILL "$pid" 2>/dev/null || true
    fi
    wait "$pid" 2>/dev/null || true
}

cleanup() {
    local rc=$? pid f
    trap - EXIT INT TERM
    [[ -n ${SLEEPER:-} ]] && kill "$SLEEPER" 2>/dev/null
    for pid in "${DAEMONS[@]}"; do stop_daemon "$pid"; done
    for f in "${PIDFILES[@]}"; do [[ -s $f ]] && stop_daemon "$(cat "$f")"; done
    rm -rf "$WORK"
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# write_config DIR: services.yaml in DIR with the services given on stdin (already indented).
write_config() {
    local d=$1
    mkdir -p "$d"
    {
        printf 'version: 1\nsupervisor:\n  socket: %s/s.sock\n  state_dir: %s/state\n  log_dir: %s/log\n  shutdown_timeout: 10s\nservices:\n' "$d" "$d" "$d"
        cat
    } >"$d/services.yaml"
}

sleep_services() {  # N: N `sleep 100000` services
    local i
    for ((i = 0; i < $1; i++)); do printf '  s%04d:\n    command: [sleep, "100000"]\n' "$i"; done
}

# start_daemon DIR: supervisord -c DIR/services.yaml in the background, wait for its socket.
start_daemon() {
    local d=$1 i
    "$SUPERVISORD" -c "$d/services.yaml" >"$d/supervisord.log" 2>&1 &
    DAEMON=$!
    DAEMONS+=("$DAEMON")
    for ((i = 0; i < 2000; i++)); do
        [[ -S $d/s.sock ]] && return 0
        alive "$DAEMON" || break
        sleep 0.01
    done
    echo "run.sh: supervisord did not come up; its log:" >&2
    cat "$d/supervisord.log" >&2
    return 1
}

# measure ARRAY CMD...: runs a vjbench measurement and stores its key=value words in the
# associative array ARRAY; a failed measurement stops the run (the trap cleans up).
measure() {
    local -n into=$1; shift
    local line w
    line=$("$@") || { echo "run.sh: measurement failed: $*" >&2; [[ -n ${line:-} ]] && echo "  $line" >&2; exit 1; }
    for w in $line; do into[${w%%=*}]=${w#*=}; done
}
# verdict VALUE OP TARGET: "ok" or "MISSED" (OP: le)
verdict() { awk -v v="$1" -v t="$3" 'BEGIN { print (v + 0 <= t + 0) ? "ok" : "MISSED" }'; }

OUT=()   # the report, line by line (printed as it comes and written to results.md at the end)
say() { OUT+=("$1"); printf '%s\n' "$1"; }

# ---------------------------------------------------------------------------------------------
# Machine
# ---------------------------------------------------------------------------------------------
cpu_model=$(grep -m1 '^model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
say "# vj-supervisor benchmarks"
say ""
say "$(date -u +%Y-%m-%dT%H:%M:%SZ), commit $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')$(git -C "$ROOT" diff --quiet HEAD 2>/dev/null || echo ' + uncommitted changes'), command: \`bench/run.sh$BUILD_ARG${ONLY:+ --only ${ONLY:1:-1}}\`"
say ""
say "## Machine"
say ""
say "    nproc:   $(nproc)"
say "    cpu:     $cpu_model"
say "    kernel:  $(uname -sr)"
say "    load:    $(cut -d' ' -f1-3 /proc/loadavg) (1/5/15 min, at start; other work shares this machine)"
say "    build:   Release (-O3), $(g++ --version | head -1)${BUILD_NOTE:+; $BUILD_NOTE}"
say ""

# ---------------------------------------------------------------------------------------------
# 1. Restart latency
# ---------------------------------------------------------------------------------------------
if want 1; then   # ------------------------------------------------------------------- section 1
echo "== 1/6 restart latency (about 40 s)" >&2
D=$WORK/restart
write_config "$D" <<EOF
  stamp:
    command: ["$TOOLS/stamp", "$D/stamps"]
    restart:
      policy: always
      backoff: {initial: 0s, jitter: 0}
      limit: {attempts: 1000}
EOF
start_daemon "$D"
"$VJCTL" --socket "$D/s.sock" wait --timeout 10s stamp >/dev/null
declare -A RESTART FLOOR VFLOOR
measure RESTART "$VJBENCH" restart "$D/stamps" 50 200
restarts=$("$VJCTL" --socket "$D/s.sock" --json status stamp | python3 -c 'import json,sys; print(json.load(sys.stdin)["services"][0]["restarts"])')
stop_daemon "$DAEMON"
measure FLOOR "$VJBENCH" floor "$TOOLS/stamp" "$D/floor-stamps" 50 200 fork
measure VFLOOR "$VJBENCH" floor "$TOOLS/stamp" "$D/vfork-stamps" 50 200 vfork

say "## 1. Restart latency"
say ""
say "SIGKILL of a service with \`backoff: {initial: 0s, jitter: 0}\` -> its new process's first"
say "instruction (CLOCK_MONOTONIC read in main of a static C program), 50 kills ~200 ms apart."
say "The floors are the same measurement with the benchmark itself as the supervisor:"
say "kill -> waitpid -> fork -> exec, and the same with posix_spawn (vfork, as supervisord spawns)"
say "(vfork: no page-table copy). ms; p99 of 50 samples is the 50th, i.e. the maximum."
say ""
say "    | ms          | median | p90    | p99    | min    | max    | n  |"
say "    |-------------|--------|--------|--------|--------|--------|----|"
row() { local -n r=$2; printf '    | %-11s | %6.3f | %6.3f | %6.3f | %6.3f | %6.3f | %-2s |' "$1" "${r[median]}" "${r[p90]}" "${r[p99]}" "${r[min]}" "${r[max]}" "${r[n]}"; }
say "$(row supervisord RESTART)"
say "$(row "floor fork" FLOOR)"
say "$(row "floor vfork" VFLOOR)"
say ""
say "    target: median <= 2 ms: $(verdict "${RESTART[median]}" le 2) (${RESTART[median]} ms);  p99 <= 10 ms: $(verdict "${RESTART[p99]}" le 10) (${RESTART[p99]} ms)"
say "    supervisord's own share (median - vfork floor median): $(awk -v a="${RESTART[median]}" -v b="${VFLOOR[median]}" 'BEGIN{printf "%.3f", a-b}') ms; restarts counted by vjctl status: $restarts"
say ""
fi   # section 1

# ---------------------------------------------------------------------------------------------
# 2. Idle footprint with 100 services, and 3. vjctl status over them
# ---------------------------------------------------------------------------------------------
if want 2 || want 3; then   # --------------------------------------------------------- sections 2, 3
echo "== 2/6 idle footprint, 100 services (about 25 s)" >&2
D=$WORK/idle
sleep_services 100 | write_config "$D"
start_daemon "$D"
SOCK=$D/s.sock
"$VJCTL" --socket "$SOCK" wait --timeout 60s all >/dev/null
running=$("$VJCTL" --socket "$SOCK" --json status | python3 -c 'import json,sys; print(sum(s["state"]=="running" for s in json.load(sys.stdin)["services"]))')
TCK=$(getconf CLK_TCK)
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }   # utime + stime (comm has no spaces)
cpu_ns() { awk '{ print $1 }' "/proc/$1/schedstat"; }           # sum_exec_runtime, ns
t0=$(cpu_ticks "$DAEMON"); n0=$(cpu_ns "$DAEMON"); s0=$EPOCHREALTIME
sleep 20 & SLEEPER=$!; wait "$SLEEPER"; SLEEPER=""   # `wait` lets a signal's trap run at once
t1=$(cpu_ticks "$DAEMON"); n1=$(cpu_ns "$DAEMON"); s1=$EPOCHREALTIME
elapsed=$(awk -v a="$s0" -v b="$s1" 'BEGIN{printf "%.2f", b-a}')
cpu_pct=$(awk -v d=$((t1 - t0)) -v hz="$TCK" -v s="$elapsed" 'BEGIN{printf "%.3f", d/hz/s*100}')
cpu_pct_ns=$(awk -v d=$((n1 - n0)) -v s="$elapsed" 'BEGIN{printf "%.4f", d/1e9/s*100}')
smaps() { awk -v k="$2:" '$1 == k { print $2 }' "/proc/$1/smaps_rollup"; }   # kB
rss_kb=$(smaps "$DAEMON" Rss); pss_kb=$(smaps "$DAEMON" Pss)
uss_kb=$(( $(smaps "$DAEMON" Private_Clean) + $(smaps "$DAEMON" Private_Dirty) ))
anon_kb=$(smaps "$DAEMON" Anonymous)
hwm_kb=$(awk '$1 == "VmHWM:" { print $2 }' "/proc/$DAEMON/status")
mib() { awk -v k="$1" 'BEGIN{printf "%.2f", k/1024}'; }

say "## 2. Idle footprint, 100 services"
say ""
say "100 \`sleep 100000\` services, all running ($running/100); measured over ${elapsed} s of idle."
say ""
say "    RSS:  $(mib "$rss_kb") MiB   target <= 8 MiB: $(verdict "$rss_kb" le 8192)"
say "    PSS:  $(mib "$pss_kb") MiB   (private $(mib "$uss_kb") MiB, anonymous $(mib "$anon_kb") MiB, peak RSS $(mib "$hwm_kb") MiB)"
say "    CPU:  $((t1 - t0)) ticks of 1/$TCK s = ${cpu_pct} % of one core   target <= 0.1 %: $(verdict "$cpu_pct" le 0.1)"
say "          (schedstat run time: $(( (n1 - n0) / 1000 )) us = ${cpu_pct_ns} %)"
say ""

echo "== 3/6 vjctl status over 100 services" >&2
"$VJCTL" --socket "$SOCK" status >/dev/null   # warm the page cache
declare -A ST STJ VER TRUE RTT
measure ST "$VJBENCH" runs 50 -- "$VJCTL" --socket "$SOCK" status
measure STJ "$VJBENCH" runs 50 -- "$VJCTL" --socket "$SOCK" --json status
measure VER "$VJBENCH" runs 50 -- "$VJCTL" --version
measure TRUE "$VJBENCH" runs 50 -- "$(type -P true)"
measure RTT "$VJBENCH" rtt "$SOCK" 200
stop_daemon "$DAEMON"

say "## 3. \`vjctl status\` over 100 services"
say ""
say "Wall time of fork+exec+wait of the vjctl binary (stdout not a TTY: plain table), 50 runs;"
say "\`vjctl --version\` (no socket) shows vjctl's start-up alone, \`true\` the machine's floor for any"
say "process. The raw round trip is one"
say "status request over the socket from C++, a new connection each time (as vjctl), 200 times."
say ""
say "    | ms                      | median | p90    | min    | max    |"
say "    |-------------------------|--------|--------|--------|--------|"
row3() { local -n r=$2; printf '    | %-23s | %6.3f | %6.3f | %6.3f | %6.3f |' "$1" "${r[median]}" "${r[p90]}" "${r[min]}" "${r[max]}"; }
say "$(row3 "vjctl status" ST)"
say "$(row3 "vjctl --json status" STJ)"
say "$(row3 "vjctl --version" VER)"
say "$(row3 "true (process floor)" TRUE)"
say "$(printf '    | %-23s | %6.3f | %6.3f | %6.3f | %6s |' "raw socket, connect+req" "${RTT[connect_median]}" "${RTT[connect_p90]}" "${RTT[connect_min]}" "")"
say "$(printf '    | %-23s | %6.3f | %6s | %6s | %6s |' "raw socket, kept conn." "${RTT[keepalive_median]}" "" "" "")"
say ""
say "    reply: ${RTT[reply_bytes]} bytes"
say "    target: vjctl status median <= 2 ms: $(verdict "${ST[median]}" le 2) (${ST[median]} ms; $(awk -v a="${ST[median]}" -v b="${TRUE[median]}" 'BEGIN{printf "%.3f", a-b}') ms over the process floor)"
say ""
fi   # sections 2, 3

# ---------------------------------------------------------------------------------------------
# 4. Mass start
# ---------------------------------------------------------------------------------------------
if want 4; then   # ------------------------------------------------------------------- section 4
echo "== 4/6 mass start, 100 and 1000 services" >&2
declare -A MASS100 MASS1000
for n in 100 1000; do
    D=$WORK/mass$n
    sleep_services "$n" | write_config "$D"
    PIDFILES+=("$D/supervisord.pid")
    measure "MASS$n" "$VJBENCH" massstart "$SUPERVISORD" "$VJCTL" "$D/services.yaml" "$D/s.sock" "$D/supervisord.pid" "$D/supervisord.log"
done
declare -A SF100 SF1000 SV100 SV1000
for n in 100 1000; do
    measure "SF$n" "$VJBENCH" spawnfloor "$n" fork
    measure "SV$n" "$VJBENCH" spawnfloor "$n" vfork
done
say "## 4. Mass start"
say ""
say "supervisord launch -> socket exists -> \`vjctl wait --timeout 60s all\` (started as soon as the"
say "socket appears) returns; then SIGTERM -> supervisord gone (all services stopped). The floors:"
say "the benchmark starts N \`sleep\` one after the other, each waited until exec'd, by fork +"
say "CLOEXEC pipe, and by posix_spawn (vfork, supervisord's scheme since it spawns with vfork)."
say ""
say "    | services | socket ms | all running ms | shutdown ms | floor fork ms | floor vfork ms |"
say "    |----------|-----------|----------------|-------------|---------------|----------------|"
for n in 100 1000; do
    declare -n m=MASS$n f=SF$n v=SV$n
    say "$(printf '    | %8s | %9s | %14s | %11s | %13s | %14s |' "$n" "${m[socket_ms]}" "${m[ready_ms]}" "${m[shutdown_ms]}" "${f[ms]}" "${v[ms]}")"
    unset -n m f v
done
say ""
say "    target (later issue): 1000 services running <= 1000 ms: $(verdict "${MASS1000[ready_ms]}" le 1000) (${MASS1000[ready_ms]} ms)"
say ""
fi   # section 4

# ---------------------------------------------------------------------------------------------
# 5. Log throughput
# ---------------------------------------------------------------------------------------------
if want 5; then   # ------------------------------------------------------------------- section 5
echo "== 5/6 log throughput, 512 MiB twice each (about 10-40 s)" >&2
LOG_MIB=512
D=$WORK/logs
write_config "$D" <<EOF
  spew:
    command: ["$TOOLS/spew", "$LOG_MIB"]
    restart: {policy: never}
    logs: {max_size: 50MiB, keep: 20}
EOF
declare -A CAT1 CAT2 SUP1 SUP2 SUP_FILES
# Page cache never touched before costs this VM ~4 ms per MiB on first write (260 MB/s against
# 6 GB/s for recycled pages): warm twice the stream's size first, untimed, and delete every
# run's files after it, so that each run writes into recycled pages.
dd if=/dev/zero of="$D/warm" bs=1M count=$((2 * LOG_MIB)) status=none && rm -f "$D/warm"
for i in 1 2; do
    # The floor: the same writer into cat, cat into a file on the same filesystem (/tmp).
    measure "CAT$i" "$VJBENCH" pipefloor "$TOOLS/spew" "$LOG_MIB" "$D/cat.out"
    rm -f "$D/cat.out"
    # supervisord: launch -> the log files hold 512 MiB; its CPU time read at that instant.
    PIDFILES+=("$D/supervisord.pid")
    measure "SUP$i" "$VJBENCH" logcapture "$SUPERVISORD" "$D/services.yaml" "$D/log" spew "$LOG_MIB" \
        "$D/supervisord.pid" "$D/supervisord.log"
    SUP_FILES[$i]=$(cd "$D/log" && ls -l spew.log* 2>/dev/null | awk '{ printf "%s%s=%s", (NR > 1 ? " " : ""), $NF, $5 }')
    rm -rf "${D:?}/log" "${D:?}/state" "${D:?}/supervisord.pid"
done
# the better of the two runs: the shorter wall time
better() { awk -v a="$1" -v b="$2" 'BEGIN { print (a + 0 <= b + 0) ? 1 : 2 }'; }
declare -n CAT=CAT$(better "${CAT1[wall_s]}" "${CAT2[wall_s]}") SUP=SUP$(better "${SUP1[wall_s]}" "${SUP2[wall_s]}")
mibs() { awk -v m="$LOG_MIB" -v s="$1" 'BEGIN { printf "%.0f", m / s }'; }
per_gib() { awk -v m="$LOG_MIB" -v c="$1" 'BEGIN { printf "%.2f", c * 1024 / m }'; }
cat_rate=$(mibs "${CAT[wall_s]}"); sup_rate=$(mibs "${SUP[wall_s]}")
pct=$(awk -v a="${CAT[wall_s]}" -v b="${SUP[wall_s]}" 'BEGIN { printf "%.0f", a / b * 100 }')
check_files() {  # RUN: the verification of one supervisord run
    local -n r=SUP$1
    local fine=ok
    [[ ${r[bytes]} == $((LOG_MIB << 20)) && ${r[files]} -le 21 && ${r[largest]} -le $((50 << 20)) && ${r[reached]} == 1 ]] || fine=FAILED
    echo "run $1: ${r[bytes]} bytes in ${r[files]} files, largest ${r[largest]}: $fine"
}

say "## 5. Log throughput"
say ""
say "A static C writer puts $LOG_MIB MiB on its stdout: 1 MiB write(2)s of 64-byte lines prebuilt in"
say "memory. Floor: \`spew $LOG_MIB | cat > FILE\` (FILE under /tmp, like the log files), from spew's"
say "fork until both exited; CPU = cat's. supervisord: one service \`spew $LOG_MIB\`,"
say "\`restart: {policy: never}\`, \`logs: {max_size: 50MiB, keep: 20}\`; from supervisord's launch"
say "until log_dir/spew.log* add up to $LOG_MIB MiB (polled every 5 ms); CPU = supervisord's"
say "utime+stime (/proc/PID/stat) at that moment. Each ran twice; the table has the better run"
say "(shorter wall time) of each."
say ""
say "    |                    | MiB/s | CPU s/GiB | wall s |"
say "    |--------------------|-------|-----------|--------|"
say "$(printf '    | %-18s | %5s | %9s | %6.3f |' "cat > file (floor)" "$cat_rate" "$(per_gib "${CAT[cpu_s]}")" "${CAT[wall_s]}")"
say "$(printf '    | %-18s | %5s | %9s | %6.3f |' "supervisord" "$sup_rate" "$(per_gib "${SUP[cpu_s]}")" "${SUP[wall_s]}")"
say ""
say "    target: ≥ 90 % of the cat figure: $(awk -v p="$pct" 'BEGIN { print (p >= 90) ? "ok" : "MISSED" }') ($pct %)"
say "    all runs, wall s: cat ${CAT1[wall_s]}, ${CAT2[wall_s]}; supervisord ${SUP1[wall_s]}, ${SUP2[wall_s]}"
say "    supervisord CPU s: ${SUP1[cpu_s]}, ${SUP2[cpu_s]} (schedstat: ${SUP1[sched_cpu_s]}, ${SUP2[sched_cpu_s]}); spew's own CPU s in the floor runs: ${CAT1[writer_cpu_s]}, ${CAT2[writer_cpu_s]}"
say "    captured: $(check_files 1); $(check_files 2)"
say "    files of run 2: ${SUP_FILES[2]}"
say ""
unset -n CAT SUP
fi   # section 5

# ---------------------------------------------------------------------------------------------
# 6. Probe load
# ---------------------------------------------------------------------------------------------
if want 6; then   # ---------------------------------------------------------------------- section 6
echo "== 6/6 probe load, 100 services x 3 probes at 1 s (about 30 s)" >&2
D=$WORK/probes
mkdir -p "$D"
touch "$D/hb"
{
    printf '  lua_path: [%s/lua]\n' "$ROOT" >"$D/extra"
    for ((i = 0; i < 100; i++)); do
        printf '  p%03d:\n    command: [sleep, "100000"]\n    health:\n' "$i"
        printf '      - { type: heartbeat, path: %s/hb, max_age: 1h, interval: 1s }\n' "$D"
        printf '      - { type: command, command: [true], interval: 1s }\n'
        printf '      - { type: lua, script: heartbeat.lua, interval: 1s, args: { path: %s/hb, max_age: 1h } }\n' "$D"
    done
} | write_config "$D"
# lua_path goes under supervisor: (write_config writes the supervisor block itself).
sed -i "/^  shutdown_timeout:/r $D/extra" "$D/services.yaml"
start_daemon "$D"
"$VJCTL" --socket "$D/s.sock" wait --timeout 120s --health healthy all >/dev/null
healthy=$("$VJCTL" --socket "$D/s.sock" --json status | python3 -c 'import json,sys; print(sum(s["health"]=="healthy" for s in json.load(sys.stdin)["services"]))')
TCK=$(getconf CLK_TCK)
own_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }    # supervisord itself, all its threads
kid_ticks() { awk '{ print $16 + $17 }' "/proc/$1/stat"; }    # its reaped children: the command probes
o0=$(own_ticks "$DAEMON"); k0=$(kid_ticks "$DAEMON"); s0=$EPOCHREALTIME
sleep 20 & SLEEPER=$!; wait "$SLEEPER"; SLEEPER=""
o1=$(own_ticks "$DAEMON"); k1=$(kid_ticks "$DAEMON"); s1=$EPOCHREALTIME
elapsed=$(awk -v a="$s0" -v b="$s1" 'BEGIN{printf "%.2f", b-a}')
own_pct=$(awk -v d=$((o1 - o0)) -v hz="$TCK" -v s="$elapsed" 'BEGIN{printf "%.2f", d/hz/s*100}')
kid_pct=$(awk -v d=$((k1 - k0)) -v hz="$TCK" -v s="$elapsed" 'BEGIN{printf "%.2f", d/hz/s*100}')
rss_kb=$(awk '$1 == "VmRSS:" { print $2 }' "/proc/$DAEMON/status")
stop_daemon "$DAEMON"
declare -A LB
measure LB "$LUABENCH" "$ROOT/lua/heartbeat.lua" "$ROOT/lua" "{\"path\":\"$D/hb\",\"max_age\":\"1h\"}" 20000

say "## 6. Probe load"
say ""
say "100 \`sleep\` services, each with a heartbeat probe, a command probe (\`true\`) and a Lua probe"
say "(lua/heartbeat.lua), every 1 s: 300 probe runs a second, 100 of them process spawns."
say "$healthy/100 healthy; measured over ${elapsed} s."
say ""
say "    supervisord CPU (all its threads, Lua workers included): $((o1 - o0)) ticks = ${own_pct} % of one core   target <= 2 %: $(verdict "$own_pct" le 2)"
say "    command probes' own CPU (reaped children):              $((k1 - k0)) ticks = ${kid_pct} %"
say "    supervisord RSS: $(awk -v k="$rss_kb" 'BEGIN{printf "%.2f", k/1024}') MiB"
say ""
say "One Lua probe run in-process (LuaScript::run of lua/heartbeat.lua, 20000 runs after a first"
say "that loads and compiles it in ${LB[first_us]} us):"
say ""
say "    median ${LB[median_us]} us, p99 ${LB[p99_us]} us, min ${LB[min_us]} us"
say ""
fi   # section 6

say "Load at the end: $(cut -d' ' -f1-3 /proc/loadavg). On a shared 2-core VM every figure moves with the"
say "others' load: compare a row with its floor row measured in the same minute, not across runs."
if [[ -z $ONLY ]]; then
    printf '%s\n' "${OUT[@]}" >"$RESULTS"
    echo "== report written to $RESULTS" >&2
else
    echo "== partial run (--only): $RESULTS left as it was" >&2
fi
