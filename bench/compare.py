#!/usr/bin/env python3
"""vj-supervisor side by side with supervisord, runit, s6 and PM2 (and monit for probes).

Run through bench/compare.sh, which installs the peers and builds ours first:

    bench/compare.sh [--only restart,idle,...] [--quick] [--out FILE]

Scenarios (issue 5): restart, idle (with control), mass, logs, probes, scale. Every supervisor
runs on its own private directory under one temporary directory: its own config files, sockets,
state, logs and (for PM2) PM2_HOME, never the system's. Everything started carries the marker
VJ_COMPARE_RUN in its environment; what a supervisor did not stop is killed by pid at the end of
its run, and once more at exit, found by that marker.

The report (one table per scenario, then the summary of ours against the targets) is printed
as it comes and written as Markdown to bench/compare.md (or --out FILE).
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import re
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

TCK = os.sysconf("SC_CLK_TCK")
PAGE_KB = os.sysconf("SC_PAGE_SIZE") // 1024
MARKER = "VJ_COMPARE_RUN"


def die(msg: str) -> None:
    print(f"compare: {msg}", file=sys.stderr)
    sys.exit(1)


def progress(msg: str) -> None:
    print(f"== {msg}", file=sys.stderr, flush=True)


# ------------------------------------------------------------------------------------------
# /proc
# ------------------------------------------------------------------------------------------

def read_stat(pid: int) -> list[str] | None:
    """Fields of /proc/PID/stat after the comm, 0-based from the state field (index 0)."""
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return raw[raw.rindex(")") + 2:].split()


def comm_of(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/comm").read_text().strip()
    except OSError:
        return ""


def alive(pid: int) -> bool:
    st = read_stat(pid)
    return st is not None and st[0] != "Z"


def all_parents() -> dict[int, int]:
    """pid -> ppid for every process."""
    out = {}
    for d in os.listdir("/proc"):
        if d.isdigit():
            st = read_stat(int(d))
            if st is not None and st[0] != "Z":
                out[int(d)] = int(st[1])
    return out


def tree(root: int) -> list[int]:
    """root and all its descendants."""
    kids: dict[int, list[int]] = {}
    for pid, ppid in all_parents().items():
        kids.setdefault(ppid, []).append(pid)
    out, todo = [], [root]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(kids.get(p, []))
    return out


def cpu_ticks(pid: int, children: bool = False) -> int:
    st = read_stat(pid)
    if st is None:
        return 0
    # utime stime cutime cstime are fields 14..17 of stat(5), i.e. 11..14 here
    return int(st[13]) + int(st[14]) if children else int(st[11]) + int(st[12])


def sched_ns(pid: int) -> int:
    """Run time of all the process's threads in ns (schedstat is per thread; sum them)."""
    total = 0
    try:
        for t in os.listdir(f"/proc/{pid}/task"):
            total += int(Path(f"/proc/{pid}/task/{t}/schedstat").read_text().split()[0])
    except OSError:
        pass
    return total


def mem_kb(pid: int) -> tuple[int, int]:
    """(RSS, PSS) in kB from smaps_rollup."""
    rss = pss = 0
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            k, _, rest = line.partition(":")
            if k == "Rss":
                rss = int(rest.split()[0])
            elif k == "Pss":
                pss = int(rest.split()[0])
    except OSError:
        pass
    return rss, pss


def marked_pids(run_id: str) -> list[int]:
    """Every live process whose environment carries this run's marker."""
    needle = f"{MARKER}={run_id}".encode()
    out = []
    for d in os.listdir("/proc"):
        if not d.isdigit() or int(d) == os.getpid():
            continue
        try:
            env = Path(f"/proc/{d}/environ").read_bytes()
        except OSError:
            continue
        if needle in env.split(b"\0"):
            out.append(int(d))
    return out


def kill_all(pids: list[int]) -> int:
    n = 0
    for p in pids:
        try:
            os.kill(p, signal.SIGKILL)
            n += 1
        except ProcessLookupError:
            pass
    return n


def wall_ms(argv: list[str], env: dict[str, str] | None = None) -> float:
    """fork+exec+wait of argv with stdout and stderr to /dev/null, in ms."""
    t = time.perf_counter()
    r = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    ms = (time.perf_counter() - t) * 1e3
    if r.returncode != 0:
        raise RuntimeError(f"{' '.join(argv[:3])}... exited {r.returncode}")
    return ms


def stats(xs: list[float]) -> dict[str, float]:
    xs = sorted(xs)
    return {"median": statistics.median(xs), "min": xs[0], "max": xs[-1], "n": len(xs)}


def sleep_until(pred, timeout: float, step: float = 0.005) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if pred():
            return True
        time.sleep(step)
    return pred()


# ------------------------------------------------------------------------------------------
# Services and supervisors
# ------------------------------------------------------------------------------------------

@dataclass
class Service:
    name: str
    argv: list[str]
    log: str | None = None   # capture stdout into rotated files named from this stem (logs scenario)


@dataclass
class Tools:
    root: Path          # the source tree
    supervisord: str    # ours
    vjctl: str
    stamp: str
    spew: str
    pm2: str


class Supervisor:
    """One supervisor on one private directory. configure() writes its files, launch() starts it
    (returns at once), root() is the pid whose tree holds it and its services, status_argv() the
    command that reports on all services, stop() ends everything it started."""
    name = "?"
    restart_setting = ""

    def __init__(self, tools: Tools, d: Path, run_id: str):
        self.t, self.d, self.run_id = tools, d, run_id
        self.proc: subprocess.Popen | None = None
        self.extra_env: dict[str, str] = {}
        d.mkdir(parents=True, exist_ok=True)

    def env(self) -> dict[str, str]:
        e = dict(os.environ)
        e[MARKER] = self.run_id
        e.update(self.extra_env)
        return e

    def spawn(self, argv: list[str], **kw) -> subprocess.Popen:
        log = open(self.d / "daemon.out", "ab")
        return subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                                env=self.env(), start_new_session=True, **kw)

    def configure(self, services: list[Service], fast_restart: bool = False) -> None:
        raise NotImplementedError

    def launch(self) -> None:
        raise NotImplementedError

    def root(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    def status_argv(self) -> list[str]:
        raise NotImplementedError

    def status_env(self) -> dict[str, str] | None:
        return None

    def log_files(self) -> list[Path]:
        return []

    def graceful_stop(self) -> None:
        os.kill(self.root(), signal.SIGTERM)

    def stop(self) -> None:
        """Ask nicely (up to 20 s for the root to exit), then SIGKILL by pid whatever is left."""
        try:
            r = self.root()
        except Exception:
            r = None
        if r is not None and alive(r):
            members = tree(r)
            try:
                self.graceful_stop()
            except (ProcessLookupError, subprocess.SubprocessError, OSError):
                pass
            sleep_until(lambda: not alive(r), 20, 0.02)
            kill_all([p for p in members if alive(p)])
        if self.proc is not None:
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        kill_all(marked_pids(self.run_id))

    def version(self) -> str:
        return ""


class Ours(Supervisor):
    name = "vj-supervisor"
    restart_setting = "`restart: {policy: always, backoff: {initial: 0s, jitter: 0}}`"

    def configure(self, services, fast_restart=False):
        lines = ["version: 1", "supervisor:", f"  socket: {self.d}/s.sock", f"  state_dir: {self.d}/state",
                 f"  log_dir: {self.d}/log", "  shutdown_timeout: 10s", "services:"]
        for s in services:
            lines.append(f"  {s.name}:")
            lines.append(f"    command: {json.dumps(s.argv)}")
            if fast_restart:
                lines.append("    restart: {policy: always, backoff: {initial: 0s, jitter: 0}, limit: {attempts: 1000}}")
            if s.log:
                lines.append(f"    logs: {{stdout: {s.log}.log, max_size: 50MiB, keep: 20}}")
        (self.d / "services.yaml").write_text("\n".join(lines) + "\n")

    def launch(self):
        self.proc = self.spawn([self.t.supervisord, "-c", str(self.d / "services.yaml")])

    def status_argv(self):
        return [self.t.vjctl, "--socket", str(self.d / "s.sock"), "status"]

    def log_files(self):
        return list((self.d / "log").glob("spew.log*"))

    def version(self):
        return subprocess.run([self.t.vjctl, "--version"], capture_output=True, text=True).stdout.strip()


class Supervisord(Supervisor):
    name = "supervisord"
    restart_setting = "`autorestart=true`, `startsecs=0` (no faster setting exists)"

    def configure(self, services, fast_restart=False):
        d = self.d
        (d / "log").mkdir(exist_ok=True)
        out = [
            "[unix_http_server]", f"file={d}/supervisor.sock",
            "[supervisord]", f"logfile={d}/supervisord.log", f"pidfile={d}/supervisord.pid",
            f"childlogdir={d}/log", "nodaemon=true",
            # it refuses to start when minfds exceeds the hard limit: ask for what can be had
            f"minfds={min(max(1024, 4 * len(services) + 64), resource.getrlimit(resource.RLIMIT_NOFILE)[1])}",
            f"minprocs={max(200, 2 * len(services) + 64)}", "loglevel=warn",
            "[rpcinterface:supervisor]",
            "supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface",
            "[supervisorctl]", f"serverurl=unix://{d}/supervisor.sock",
        ]
        for s in services:
            out += [f"[program:{s.name}]", "command=" + " ".join(s.argv), "autostart=true",
                    "autorestart=true", "startsecs=0", "startretries=1000"]
            if s.log:
                out += [f"stdout_logfile={d}/log/{s.log}.log", "stdout_logfile_maxbytes=50MB",
                        "stdout_logfile_backups=20"]
        (d / "supervisord.conf").write_text("\n".join(out) + "\n")

    def launch(self):
        self.proc = self.spawn(["supervisord", "-n", "-c", str(self.d / "supervisord.conf")])

    def status_argv(self):
        return ["supervisorctl", "-c", str(self.d / "supervisord.conf"), "status"]

    def log_files(self):
        return list((self.d / "log").glob("spew.log*"))

    def version(self):
        return "supervisor " + subprocess.run(["supervisord", "--version"], capture_output=True, text=True).stdout.strip()


def dpkg_version(pkg: str) -> str:
    r = subprocess.run(["dpkg-query", "-W", "-f=${Version}", pkg], capture_output=True, text=True)
    return f"{pkg} {r.stdout.strip()}" if r.returncode == 0 else pkg


class ServiceDirs(Supervisor):
    """runit and s6: one directory per service with a `run` file; stdout captured by a `log/run`."""
    logger: list[str] = []

    def write_run(self, sd: Path, s: Service, fast_restart: bool) -> None:
        if fast_restart and Path(s.argv[0]).name == "stamp" and len(s.argv) == 1:
            # the static stamp binary is the run file itself: no shell between them
            os.symlink(s.argv[0], sd / "run")
        else:
            (sd / "run").write_text("#!/bin/sh\nexec " + " ".join(s.argv) + "\n")
            (sd / "run").chmod(0o755)
        if s.log:
            ld = sd / "log"
            ld.mkdir()
            (self.d / "logs" / s.name).mkdir(parents=True)
            (ld / "run").write_text("#!/bin/sh\nexec " + " ".join(self.logger_argv(self.d / "logs" / s.name)) + "\n")
            (ld / "run").chmod(0o755)

    def configure(self, services, fast_restart=False):
        self.svc = self.d / "service"
        self.svc.mkdir()
        for s in services:
            sd = self.svc / s.name
            sd.mkdir()
            self.write_run(sd, s, fast_restart)
        self.names = [s.name for s in services]

    def logger_argv(self, logdir: Path) -> list[str]:
        raise NotImplementedError

    def log_files(self):
        return [p for p in (self.d / "logs").rglob("*") if p.is_file() and p.name not in ("lock", "state")]


class Runit(ServiceDirs):
    name = "runit"
    restart_setting = "default (runsv restarts at once; `run` is the binary itself)"

    def logger_argv(self, logdir):
        (logdir / "config").write_text("s52428800\nn20\n")   # rotate at 50 MiB, keep 20
        return ["svlogd", "-b", "65536", str(logdir)]   # svlogd(8): a larger buffer for a lot of data

    def launch(self):
        self.proc = self.spawn(["runsvdir", "-P", str(self.svc)])

    def status_argv(self):
        return ["sv", "status"] + [str(self.svc / n) for n in self.names]

    def graceful_stop(self):
        os.kill(self.root(), signal.SIGHUP)   # runsvdir: HUP = TERM every runsv, then exit

    def version(self):
        return dpkg_version("runit")


class S6(ServiceDirs):
    name = "s6"
    restart_setting = "`notification-fd` (the service reports ready at once); `run` is the binary itself"

    def __init__(self, *a, readiness: bool = True, **kw):
        super().__init__(*a, **kw)
        self.readiness = readiness
        if not readiness:
            self.name = "s6 (no readiness)"
            self.restart_setting = "default, no readiness notification"

    def write_run(self, sd, s, fast_restart):
        super().write_run(sd, s, fast_restart)
        if fast_restart and self.readiness:
            (sd / "notification-fd").write_text("3\n")

    def configure(self, services, fast_restart=False):
        super().configure(services, fast_restart)
        if fast_restart and self.readiness:
            self.extra_env["STAMP_NOTIFY_FD"] = "3"

    def logger_argv(self, logdir):
        return ["s6-log", "n20", "s52428800", str(logdir)]

    def launch(self):
        self.proc = self.spawn(["s6-svscan", "-c", str(max(1000, 2 * len(self.names) + 16)), str(self.svc)])

    def status_argv(self):
        # s6-svstat takes one service directory: one run per service, from one shell
        return ["sh", "-c", 'for d in "$@"; do s6-svstat "$d" || exit 1; done', "s6-svstat"] + \
               [str(self.svc / n) for n in self.names]

    def graceful_stop(self):
        subprocess.run(["s6-svscanctl", "-t", str(self.svc)], stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, timeout=10)

    def version(self):
        return dpkg_version("s6")


class Pm2(Supervisor):
    name = "PM2"
    restart_setting = "`autorestart: true`, `restart_delay: 0` (the default)"

    def __init__(self, *a, **kw):
        super().__init__(*a, **kw)
        self.extra_env["PM2_HOME"] = str(self.d / "pm2home")
        self.god: int | None = None

    def configure(self, services, fast_restart=False):
        apps = []
        for s in services:
            app = {"name": s.name, "script": s.argv[0], "args": s.argv[1:], "interpreter": "none",
                   "autorestart": True, "restart_delay": 0, "max_restarts": 100000,
                   "out_file": "/dev/null", "error_file": "/dev/null"}
            if s.log:
                app["out_file"] = str(self.d / "log" / f"{s.log}.log")
            apps.append(app)
        (self.d / "log").mkdir(exist_ok=True)
        (self.d / "ecosystem.json").write_text(json.dumps({"apps": apps}))
        self.count = len(services)

    def launch(self):
        # `pm2 start` starts the God daemon (detached, in its own session) and asks it for the apps.
        self.proc = self.spawn([self.t.pm2, "start", str(self.d / "ecosystem.json")])

    def root(self) -> int:
        if self.god is None:
            pidfile = Path(self.extra_env["PM2_HOME"]) / "pm2.pid"
            if not sleep_until(lambda: pidfile.exists() and pidfile.read_text().strip().isdigit(), 60, 0.01):
                raise RuntimeError("PM2's daemon wrote no pid file within 60 s")
            self.god = int(pidfile.read_text().strip())
        return self.god

    def status_argv(self):
        return [self.t.pm2, "jlist"]

    def status_env(self):
        return self.env()

    def log_files(self):
        return list((self.d / "log").glob("spew*.log"))

    def stop(self):
        if self.proc is not None:
            try:
                self.proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        super().stop()

    def version(self):
        r = subprocess.run([self.t.pm2, "--version"], capture_output=True, text=True, env=self.env())
        lines = [x for x in r.stdout.split() if re.match(r"^\d+\.\d+", x)]
        return "pm2 " + (lines[-1] if lines else "?")


PEERS = [Supervisord, Runit, S6, Pm2]


# ------------------------------------------------------------------------------------------
# The report
# ------------------------------------------------------------------------------------------

class Report:
    def __init__(self):
        self.lines: list[str] = []

    def say(self, s: str = "") -> None:
        self.lines.append(s)
        print(s, flush=True)

    def table(self, head: list[str], rows: list[list[str]]) -> None:
        """Numbers right-aligned; a column is text (left) when any of its cells starts with a letter."""
        text = [any(re.match(r"[^\d—.<>-]", r[i] or "-") for r in rows) for i in range(len(head))]
        self.say("| " + " | ".join(head) + " |")
        self.say("|" + "|".join("---" if t else "--:" for t in text) + "|")
        for r in rows:
            self.say("| " + " | ".join(r) + " |")
        self.say()


def f1(x: float | None, nd: int = 1) -> str:
    return "—" if x is None else f"{x:.{nd}f}"


# ------------------------------------------------------------------------------------------
# Scenarios
# ------------------------------------------------------------------------------------------

class Bench:
    def __init__(self, args, tools: Tools):
        self.a, self.t = args, tools
        self.work = Path(tempfile.mkdtemp(prefix="vjcompare."))
        self.run_id = f"{os.getpid()}-{int(time.time())}"
        self.rep = Report()
        self.summary: list[tuple[str, str, str, str]] = []   # target, ours, peers, verdict
        self.live: Supervisor | None = None
        self.seq = 0

    def make(self, cls, **kw) -> Supervisor:
        self.seq += 1
        s = cls(self.t, self.work / f"{self.seq:02d}-{cls.__name__.lower()}", self.run_id, **kw)
        self.live = s
        return s

    def finish(self, s: Supervisor) -> None:
        s.stop()
        self.live = None

    def cleanup(self) -> None:
        if self.live is not None:
            try:
                self.live.stop()
            except Exception as e:  # noqa: BLE001 - clean-up must go on
                print(f"compare: stopping {self.live.name}: {e}", file=sys.stderr)
        kill_all(marked_pids(self.run_id))
        shutil.rmtree(self.work, ignore_errors=True)

    def all_kinds(self, with_s6_plain: bool = False):
        kinds = [(Ours, {})] + [(p, {}) for p in PEERS]
        if with_s6_plain:
            kinds.insert(4, (S6, {"readiness": False}))
        return kinds

    def target(self, what: str, ours: str, peers: str, ok: bool | None) -> None:
        self.summary.append((what, ours, peers, "—" if ok is None else ("met" if ok else "**missed**")))

    # -------------------------------------------------------------------------------- restart
    def restart(self) -> None:
        kills, gap = (5, 1.0) if self.a.quick else (20, 2.0)
        progress(f"restart latency: {kills} SIGKILLs {gap:.0f} s apart, per supervisor (~{kills * gap * 6 + 30:.0f} s)")
        rows, res = [], {}
        for cls, kw in self.all_kinds(with_s6_plain=True):
            s = self.make(cls, **kw)
            stamps = s.d / "stamps"
            s.extra_env["STAMP_FILE"] = str(stamps)
            argv = [self.t.stamp] if cls in (Runit, S6) else [self.t.stamp, str(stamps)]
            s.configure([Service("stamp", argv)], fast_restart=True)
            try:
                s.launch()
                lat, missed = self.kill_loop(stamps, kills, gap)
            finally:
                self.finish(s)
            res[s.name] = lat
            rows.append(self.restart_row(s.name, s.restart_setting, lat, missed))
        # the floor: bash restarting the same program in a loop, no supervisor
        stamps = self.work / "floor-stamps"
        env = dict(os.environ, **{MARKER: self.run_id})
        loop = subprocess.Popen(["bash", "-c", 'while :; do "$0" "$1"; done', self.t.stamp, str(stamps)],
                                env=env, start_new_session=True)
        try:
            lat, missed = self.kill_loop(stamps, kills, gap)
        finally:
            os.killpg(loop.pid, signal.SIGKILL)
            loop.wait()
        res["floor"] = lat
        rows.append(self.restart_row("floor", "`bash -c 'while :; do stamp FILE; done'`", lat, missed))
        floor = statistics.median(res["floor"]) if res["floor"] else None

        r = self.rep
        r.say("## 1. Restart latency")
        r.say()
        r.say(f"One service, a static C program that appends its CLOCK_MONOTONIC time at the top of main"
              f" and sleeps (bench/stamp.c). SIGKILL it {kills} times, {gap:.0f} s apart; latency = the new"
              f" process's timestamp − the time of the kill. ms.")
        r.say()
        r.table(["supervisor", "median", "min", "max", "× floor", "setting"],
                [[row[0], row[1], row[2], row[3],
                  f1(statistics.median(res[row[0]]) / floor, 2) if floor and res[row[0]] else "—", row[4]]
                 for row in rows])
        ours = statistics.median(res["vj-supervisor"]) if res["vj-supervisor"] else None
        self.target("restart ≤ 1.5 × floor", f"{f1(ours, 2)} ms = {f1(ours / floor if ours and floor else None, 2)} × floor {f1(floor, 2)} ms",
                    self.peer_medians(res, "ms", 2), None if not (ours and floor) else ours <= 1.5 * floor)

    def restart_row(self, name, setting, lat, missed):
        if not lat:
            return [name, "—", "—", "—", setting + f" (no restart seen in {missed} tries)"]
        st = stats(lat)
        note = f"; {missed} kills without a restart in 5 s" if missed else ""
        return [name, f1(st["median"], 2), f1(st["min"], 2), f1(st["max"], 2), setting + note]

    def peer_medians(self, res: dict, unit: str, nd: int) -> str:
        return ", ".join(f"{k} {f1(statistics.median(v), nd)} {unit}" for k, v in res.items()
                         if k not in ("vj-supervisor", "floor") and v)

    @staticmethod
    def read_stamps(path: Path) -> list[tuple[int, int]]:
        try:
            text = path.read_text()
        except FileNotFoundError:
            return []
        out = []
        for line in text.splitlines():
            ns, _, pid = line.partition(" ")
            if pid:
                out.append((int(ns), int(pid)))
        return out

    def kill_loop(self, stamps: Path, kills: int, gap: float) -> tuple[list[float], int]:
        if not sleep_until(lambda: len(self.read_stamps(stamps)) > 0, 60, 0.01):
            raise RuntimeError(f"the stamp service never started ({stamps})")
        time.sleep(1.2)   # past any "died too soon after starting" rule of the first start
        lat, missed = [], 0
        for _ in range(kills):
            seen = self.read_stamps(stamps)
            pid = seen[-1][1]
            t0 = time.monotonic_ns()
            os.kill(pid, signal.SIGKILL)
            if sleep_until(lambda: len(self.read_stamps(stamps)) > len(seen), 5, 0.0005):
                lat.append((self.read_stamps(stamps)[len(seen)][0] - t0) / 1e6)
            else:
                missed += 1
            time.sleep(max(0.0, gap - (time.monotonic_ns() - t0) / 1e9))
        return lat, missed

    # -------------------------------------------------------------------------------- idle + control
    def wait_services(self, s: Supervisor, comm: str, n: int, timeout: float, step: float = 0.05) -> int:
        """Waits until n processes named comm run under s's tree; returns how many did."""
        seen = [0]

        def up() -> bool:
            try:
                r = s.root()
            except RuntimeError:
                return False
            seen[0] = sum(1 for p in tree(r) if comm_of(p) == comm)
            return seen[0] >= n
        sleep_until(up, timeout, step)
        return seen[0]

    def idle(self) -> None:
        n, window, runs = 100, (5 if self.a.quick else 20), (5 if self.a.quick else 20)
        progress(f"idle footprint and status of {n} services, per supervisor (~{(window + 15) * 5} s)")
        idle_rows, ctl_rows = [], []
        pss, cpu, ctl = {}, {}, {}
        for cls, kw in self.all_kinds():
            s = self.make(cls, **kw)
            s.configure([Service(f"s{i:04d}", ["/bin/sleep", "100000"]) for i in range(n)])
            try:
                s.launch()
                got = self.wait_services(s, "sleep", n, 120)
                if got < n:
                    raise RuntimeError(f"{s.name}: only {got}/{n} services running after 120 s")
                if isinstance(s, Pm2) and s.proc is not None:
                    s.proc.wait(timeout=60)   # the CLI has handed everything over
                helpers = [p for p in tree(s.root()) if comm_of(p) != "sleep"]
                t0 = sum(cpu_ticks(p) for p in helpers)
                n0 = sum(sched_ns(p) for p in helpers)
                time.sleep(window)
                t1 = sum(cpu_ticks(p) for p in helpers)
                n1 = sum(sched_ns(p) for p in helpers)
                mem = [mem_kb(p) for p in helpers]
                rss, ps = sum(m[0] for m in mem) / 1024, sum(m[1] for m in mem) / 1024
                names = sorted({comm_of(p) for p in helpers})
                cpu_ms = (n1 - n0) / 1e6
                pss[s.name], cpu[s.name] = ps, cpu_ms
                idle_rows.append([s.name, f1(rss), f1(ps), str(len(helpers)), f"{(t1 - t0) * 1000 // TCK}",
                                  f1(cpu_ms, 2), f1(cpu_ms / 10 / window, 4), ", ".join(names)])
                argv, env = s.status_argv(), s.status_env()
                wall_ms(argv, env)   # warm the page cache
                xs = [wall_ms(argv, env) for _ in range(runs)]
                ctl[s.name] = xs
                st = stats(xs)
                ctl_rows.append([s.name, f1(st["median"], 2), f1(st["min"], 2), f1(st["max"], 2),
                                 "`" + " ".join(self.short(argv)).replace("|", "\\|") + "`"])
            finally:
                self.finish(s)
        true_ms = stats([wall_ms(["true"]) for _ in range(runs)])
        ctl_rows.append(["floor: `true`", f1(true_ms["median"], 2), f1(true_ms["min"], 2), f1(true_ms["max"], 2),
                         "any process, doing nothing"])
        r = self.rep
        r.say("## 2. Idle footprint, 100 services")
        r.say()
        r.say(f"100 `sleep 100000` services, measured over {window} s once all were running. Supervisor side ="
              " every process in the supervisor's tree that is not a service (runit: runsvdir and one runsv per"
              " service; s6: s6-svscan and one s6-supervise per service; PM2: its God daemon). Memory is"
              " the sum over those processes (smaps_rollup) at the end; CPU is their utime+stime (ticks) and"
              " scheduler run time (schedstat, ns resolution) over the window. Each on its defaults"
              " (supervisord and PM2 write the services' output to files, runit and s6 pass it to their"
              " own stdout).")
        r.say()
        r.table(["supervisor", "RSS MiB", "PSS MiB", "processes", "CPU ms (ticks)", "CPU ms (sched)",
                 "% of a core", "processes named"], idle_rows)
        r.say("## 3. Control latency, status of 100 services")
        r.say()
        r.say(f"Wall time of one status query over all 100 services (fork, exec, wait; output to /dev/null),"
              f" {runs} runs after one warm-up. ms. s6 has no command that lists a whole scan directory:"
              f" its row is 100 `s6-svstat` runs from one shell.")
        r.say()
        r.table(["supervisor", "median", "min", "max", "command"], ctl_rows)
        o = "vj-supervisor"
        ours_rss = next(float(x[1]) for x in idle_rows if x[0] == o)
        ours_pct = cpu[o] / 10 / window
        self.target("idle RSS of 100 services ≤ 8 MiB", f"{ours_rss:.1f} MiB (PSS {pss[o]:.1f})",
                    ", ".join(f"{k} PSS {v:.1f} MiB" for k, v in pss.items() if k != o), ours_rss <= 8)
        self.target("idle CPU ≤ 0.1 % of a core", f"{ours_pct:.4f} % ({cpu[o]:.2f} ms in {window} s)",
                    ", ".join(f"{k} {v:.2f} ms" for k, v in cpu.items() if k != o), ours_pct <= 0.1)
        med = statistics.median(ctl[o])
        self.target("status of 100 ≤ 2 ms", f"{med:.2f} ms (`true` alone: {true_ms['median']:.2f} ms)",
                    self.peer_medians(ctl, "ms", 1), med <= 2)

    def short(self, argv: list[str]) -> list[str]:
        out = []
        for a in argv:
            if a.startswith(str(self.work)):
                a = "DIR/" + Path(a).name
            elif a.startswith("/") and len(a) > 30:
                a = Path(a).name
            out.append(a)
        if len(out) > 6:
            out = out[:5] + ["…"]
        return out

    # -------------------------------------------------------------------------------- mass start
    def mass(self) -> None:
        sizes = [100] if self.a.quick else [100, 1000]
        progress(f"mass start of {' and '.join(map(str, sizes))} services, per supervisor")
        rows, res = [], {}
        for n in sizes:
            floor = self.spawn_floor(n)
            for cls, kw in self.all_kinds():
                s = self.make(cls, **kw)
                stamps = s.d / "stamps"
                s.extra_env["STAMP_FILE"] = str(stamps)
                if cls in (Runit, S6):
                    svcs = [Service(f"m{i:04d}", [self.t.stamp]) for i in range(n)]
                else:
                    svcs = [Service(f"m{i:04d}", [self.t.stamp, str(stamps)]) for i in range(n)]
                s.configure(svcs, fast_restart=cls in (Runit, S6))
                try:
                    t0 = time.monotonic()
                    s.launch()
                    ok = sleep_until(lambda: self.count_lines(stamps) >= n, 180, 0.005)
                    took = time.monotonic() - t0
                    got = self.count_lines(stamps)
                finally:
                    t1 = time.monotonic()
                    self.finish(s)
                    stop_s = time.monotonic() - t1
                res[(n, s.name)] = took if ok else None
                rows.append([str(n), s.name, f1(took * 1000, 0) if ok else f"> 180000 ({got}/{n})",
                             f1(took / floor, 2) if ok else "—", f1(stop_s * 1000, 0)])
            rows.append([str(n), "floor: serial spawn", f1(floor * 1000, 0), "1.00", ""])
            res[(n, "floor")] = floor
        r = self.rep
        r.say("## 4. Mass start")
        r.say()
        r.say("N services of the stamp program (every process appends one line to a shared file as the"
              " first thing it does, then sleeps); from the supervisor's launch until the file has N lines."
              " runit and s6 run the static binary as their `run` file directly (no shell). For PM2 the"
              " launch is `pm2 start ecosystem.json`, which also starts its daemon. The floor: this driver"
              " starting N of the same program one after another with posix_spawn, until all N lines are"
              " there. Stop = from asking the supervisor to stop until everything it started is gone"
              " (killed by pid after 20 s). ms.")
        r.say()
        r.table(["services", "supervisor", "launch → all running", "× floor", "stop"], rows)
        big = sizes[-1]
        ours = res.get((big, "vj-supervisor"))
        self.target(f"mass start of {big} ≤ 1 s", f"{f1(ours, 2)} s (floor {res[(big, 'floor')]:.2f} s)",
                    ", ".join(f"{k[1]} {f1(v, 2)} s" for k, v in res.items()
                              if k[0] == big and k[1] not in ("vj-supervisor", "floor") and v is not None)
                    or "—", None if ours is None else ours <= 1.0)

    @staticmethod
    def count_lines(path: Path) -> int:
        try:
            with open(path, "rb") as f:
                return f.read().count(b"\n")
        except FileNotFoundError:
            return 0

    def spawn_floor(self, n: int) -> float:
        stamps = self.work / f"floor-mass-{n}"
        env = dict(os.environ, **{MARKER: self.run_id})
        pids = []
        t0 = time.monotonic()
        for _ in range(n):
            pids.append(os.posix_spawn(self.t.stamp, [self.t.stamp, str(stamps)], env))
        sleep_until(lambda: self.count_lines(stamps) >= n, 60, 0.005)
        took = time.monotonic() - t0
        kill_all(pids)
        for p in pids:
            os.waitpid(p, 0)
        return took

    # -------------------------------------------------------------------------------- logs
    def logs(self) -> None:
        mib = 64 if self.a.quick else 512
        runs = 1 if self.a.quick else 3
        progress(f"log throughput: {mib} MiB, {runs} runs per supervisor")
        rows, rate = [], {}
        # Page cache that was never touched costs this VM ~4 ms per MiB on first write (the host
        # backs guest memory lazily: 260 MB/s against 6 GB/s for recycled pages), which swamped
        # every supervisor's own cost. So every run starts from the same state: an untimed run
        # first warms twice the stream's size, and each run's files are deleted after it, so
        # that the next run writes into recycled pages as the floor does.
        self.warm_page_cache(2 * mib)
        floor_runs = [self.cat_floor(mib) for _ in range(runs)]
        fl = sorted(floor_runs)[len(floor_runs) // 2]
        for cls, kw in self.all_kinds():
            results = []
            for _ in range(runs):
                s = self.make(cls, **kw)
                s.configure([Service("spew", [self.t.spew, str(mib), "hold"], log="spew")])
                try:
                    results.append(self.capture(s, mib))
                finally:
                    self.finish(s)
                    for f in s.log_files():
                        f.unlink(missing_ok=True)
            done = [x for x in results if x[0] is not None]
            if not done:
                rows.append([s.name, "—", "—", "—", "—", results[0][3]])
                continue
            wall, cpu_s, mibs, note = sorted(done)[len(done) // 2]
            rate[s.name] = mibs
            rows.append([s.name, f"{mibs:.0f}", f"{cpu_s * 1024 / mib:.2f}", f"{wall:.2f}",
                         f"{min(x[0] for x in done):.2f}–{max(x[0] for x in done):.2f}", note])
        rate["floor"] = mib / fl[0]
        for row in rows:
            row.insert(2, f"{rate[row[0]] / rate['floor'] * 100:.0f} %" if row[0] in rate else "—")
        rows.append(["floor: `spew \\| cat > FILE`", f"{mib / fl[0]:.0f}", "100 %", f"{fl[1] * 1024 / mib:.2f}", f"{fl[0]:.2f}",
                     f"{min(x[0] for x in floor_runs):.2f}–{max(x[0] for x in floor_runs):.2f}", "one file, no rotation"])
        r = self.rep
        r.say("## 5. Log throughput")
        r.say()
        r.say(f"One service writes {mib} MiB to stdout in 1 MiB write(2)s of 64-byte lines built in memory"
              f" (bench/spew.c), captured into files rotating at 50 MiB, keeping 20 (runit: `svlogd -b 65536`"
              f" with `s52428800` and `n20`, the larger buffer svlogd(8) advises for a lot of data; s6:"
              f" `s6-log n20 s52428800`). Each run's files are deleted after it and an untimed write of twice the size warms the page cache first: on this VM a page never touched before costs ~4 ms per MiB, which would otherwise decide the result. The log files' sizes are polled every 5 ms. MiB/s = from the writer's"
              f" start (its stat(5) start time, 10 ms resolution) until all {mib} MiB are in the files, so that a"
              f" supervisor's own start-up does not count; wall = from the supervisor's launch. CPU = the supervisor side's utime+stime from the first bytes in the"
              f" files to the last (runit: runsvdir, runsv, svlogd; s6: s6-svscan, s6-supervise, s6-log), per GiB. Median of"
              f" {runs} runs by wall time; the range is of all runs. The floor's CPU is cat's.")
        r.say()
        r.table(["supervisor", "MiB/s", "of floor", "CPU s per GiB", "wall s", "wall range s", "capture"], rows)
        ours = rate.get("vj-supervisor")
        peers_best = max((v for k, v in rate.items() if k not in ("vj-supervisor", "floor")), default=0)
        self.target("log throughput ≥ 90 % of floor, ahead of every peer",
                    f"{f1(ours, 0)} MiB/s = {f1(ours / rate['floor'] * 100 if ours else None, 0)} % of floor {rate['floor']:.0f}",
                    ", ".join(f"{k} {v:.0f}" for k, v in rate.items() if k not in ("vj-supervisor", "floor")),
                    None if ours is None else (ours >= 0.9 * rate["floor"] and ours > peers_best))

    def warm_page_cache(self, mib: int) -> None:
        warm = self.work / "warm"
        with open(warm, "wb") as f:
            block = b"\0" * (1 << 20)
            for _ in range(mib):
                f.write(block)
        warm.unlink()

    def cat_floor(self, mib: int) -> tuple[float, float]:
        out = self.work / "cat.out"
        with open(out, "wb") as f:
            t0 = time.monotonic()
            w = subprocess.Popen([self.t.spew, str(mib)], stdout=subprocess.PIPE)
            c = subprocess.Popen(["cat"], stdin=w.stdout, stdout=f)
            w.stdout.close()
            w.wait()
            _, _, ru = os.wait4(c.pid, 0)
            c.returncode = 0
            took = time.monotonic() - t0
        if out.stat().st_size != mib << 20:
            raise RuntimeError("cat floor: wrong size")
        out.unlink()
        return took, ru.ru_utime + ru.ru_stime

    def capture(self, s: Supervisor, mib: int):
        want = mib << 20
        t0 = time.monotonic()
        s.launch()

        def total() -> int:
            n = 0
            for p in s.log_files():
                try:
                    n += p.stat().st_size
                except OSError:
                    pass
            return n
        base: list[int] = []   # the supervisor side's CPU ticks when the first bytes arrived

        def done() -> bool:
            n = total()
            if n and not base:
                try:
                    base.append(sum(cpu_ticks(p) for p in tree(s.root()) if comm_of(p) != "spew"))
                except RuntimeError:
                    base.append(0)
            return n >= want
        ok = sleep_until(done, 120, 0.005)
        t_end = time.monotonic()
        t_end_boot = time.clock_gettime(time.CLOCK_BOOTTIME)
        took = t_end - t0
        try:
            members = tree(s.root())
        except RuntimeError:
            members = []
        helpers = [p for p in members if comm_of(p) != "spew"]
        writer = [p for p in members if comm_of(p) == "spew"]
        # the writer's start (stat(5) starttime: clock ticks since boot), so that a supervisor's
        # own start-up (PM2's node, supervisord's Python) does not count against its throughput
        st = read_stat(writer[0]) if writer else None
        stream_s = t_end_boot - int(st[19]) / TCK if st else took
        # CPU from the first bytes on: not the start-up of PM2's node or supervisord's Python
        cpu_s = (sum(cpu_ticks(p) for p in helpers) - (base[0] if base else 0)) / TCK
        files = s.log_files()
        sizes = [p.stat().st_size for p in files]
        largest = max(sizes, default=0)
        note = f"{len(files)} files, largest {largest / 1048576:.1f} MiB"
        if not ok:
            return None, None, files, f"only {total() >> 20} of {mib} MiB after 120 s"
        if largest > (50 << 20) + 65536:
            note += " (no rotation)"
        return took, cpu_s, mib / stream_s, note

    # -------------------------------------------------------------------------------- probes
    def probes(self) -> None:
        n, window = 100, (5 if self.a.quick else 20)
        progress(f"probe load: {n} services x (heartbeat + command) at 1 s, ours and monit")
        hb = self.work / "hb"
        hb.touch()
        # ours
        s = self.make(Ours)
        s.configure([Service(f"p{i:03d}", ["/bin/sleep", "100000"]) for i in range(n)])
        y = (s.d / "services.yaml").read_text().splitlines()
        out = []
        for line in y:
            out.append(line)
            if line.startswith("    command:"):
                out += ["    health:",
                        f"      - {{type: heartbeat, path: {hb}, max_age: 1h, interval: 1s}}",
                        "      - {type: command, command: [true], interval: 1s}"]
        (s.d / "services.yaml").write_text("\n".join(out) + "\n")
        rows = []
        try:
            s.launch()
            if self.wait_services(s, "sleep", n, 120) < n:
                raise RuntimeError("ours: services did not start")
            ok = sleep_until(lambda: self.all_healthy(s, n), 60, 0.25)
            rows.append(["vj-supervisor"] + self.cpu_window(s.root(), window) + [
                "all healthy" if ok else "not all healthy"])
        finally:
            self.finish(s)
        # monit: the same checks, no services of its own to supervise
        m = self.work / "monit"
        m.mkdir()
        conf = [f"set daemon 1", f"set pidfile {m}/monit.pid", f"set idfile {m}/monit.id",
                f"set statefile {m}/monit.state", f"set logfile {m}/monit.log"]
        for i in range(n):
            conf += [f'check file hb{i:03d} with path {hb}', "  if timestamp > 1 hour then alert",
                     f'check program c{i:03d} with path "/bin/true"', "  if status != 0 then alert"]
        (m / "monitrc").write_text("\n".join(conf) + "\n")
        (m / "monitrc").chmod(0o600)
        env = dict(os.environ, **{MARKER: self.run_id})
        mp = subprocess.Popen(["monit", "-I", "-c", str(m / "monitrc")], stdout=open(m / "out", "wb"),
                              stderr=subprocess.STDOUT, env=env, start_new_session=True)
        try:
            time.sleep(3)
            if mp.poll() is not None:
                raise RuntimeError("monit exited: " + (m / "out").read_text()[-500:])
            rows.append(["monit"] + self.cpu_window(mp.pid, window) + ["`set daemon 1`: one cycle a second"])
        finally:
            mp.terminate()
            try:
                mp.wait(timeout=10)
            except subprocess.TimeoutExpired:
                mp.kill()
            kill_all(marked_pids(self.run_id))
        r = self.rep
        r.say("## 6. Probe load")
        r.say()
        r.say(f"{n} services, each with a heartbeat probe (a file's age) and a command probe (`true`), both"
              f" every 1 s: {2 * n} checks a second, {n} of them process spawns. CPU over {window} s, as % of one"
              f" core: the supervisor's own (all threads) and, apart, its reaped children (the `true`s)."
              f" monit runs the same {2 * n} checks (`check file … if timestamp`, `check program`) with a 1 s"
              f" cycle; it does not run the services. supervisord, runit, s6 and PM2 have no health probes.")
        r.say()
        r.table(["checker", "own CPU %", "children CPU %", "RSS MiB", "note"], rows)

    def all_healthy(self, s: Supervisor, n: int) -> bool:
        r = subprocess.run([self.t.vjctl, "--socket", str(s.d / "s.sock"), "--json", "status"],
                           capture_output=True, text=True)
        if r.returncode != 0:
            return False
        return sum(x.get("health") == "healthy" for x in json.loads(r.stdout)["services"]) >= n

    def cpu_window(self, pid: int, window: float) -> list[str]:
        o0, k0, t0 = cpu_ticks(pid), cpu_ticks(pid, True), time.monotonic()
        time.sleep(window)
        o1, k1, t1 = cpu_ticks(pid), cpu_ticks(pid, True), time.monotonic()
        el = t1 - t0
        rss = mem_kb(pid)[0] / 1024
        return [f"{(o1 - o0) / TCK / el * 100:.2f}", f"{(k1 - k0) / TCK / el * 100:.2f}", f"{rss:.1f}"]

    @staticmethod
    def last_words(s: Supervisor) -> str:
        """Why a supervisor fell short: its exit, or the last line of its output that says error."""
        try:
            text = (s.d / "daemon.out").read_text(errors="replace")
        except OSError:
            text = ""
        if s.proc is not None and s.proc.poll() is not None and not isinstance(s, Pm2):
            last = text.strip().splitlines()[-1][:160] if text.strip() else ""
            return f"; it exited {s.proc.returncode}: {last}".replace("|", "\\|")
        errs = [l for l in text.splitlines() if re.search(r"(?i)error|too many|cannot|fail", l)]
        return f"; its log: {errs[-1][:160]}".replace("|", "\\|") if errs else ""

    # -------------------------------------------------------------------------------- scale
    def scale(self) -> None:
        n = 1000 if self.a.quick else 10000
        deadline = 30 if self.a.quick else 60
        runs = 5 if self.a.quick else 20
        progress(f"scale: {n} sleep services (ours; each peer gets {deadline} s)")
        rows = []
        ours_status = None
        for cls, kw in self.all_kinds():
            s = self.make(cls, **kw)
            s.configure([Service(f"x{i:05d}", ["/bin/sleep", "100000"]) for i in range(n)])
            try:
                t0 = time.monotonic()
                s.launch()
                limit = 600 if cls is Ours else deadline
                got = self.wait_services(s, "sleep", n, limit, 0.25)
                took = time.monotonic() - t0
                if got < n:
                    rows.append([s.name, f"not done: {got}/{n} running after {limit} s{self.last_words(s)}",
                                 "—", "—", "—"])
                    continue
                helpers = [p for p in tree(s.root()) if comm_of(p) != "sleep"]
                mem = [mem_kb(p) for p in helpers]
                argv, env = s.status_argv(), s.status_env()
                k = runs if cls is Ours else 3
                try:
                    xs = [wall_ms(argv, env) for _ in range(k)]
                    st = f"{statistics.median(xs):.1f} (n={k})"
                except (RuntimeError, OSError) as e:
                    xs, st = [], f"failed: {e}"
                if cls is Ours:
                    ours_status = statistics.median(xs) if xs else None
                    jx = [wall_ms(argv[:-1] + ["--json", "status"], env) for _ in range(runs)]
                    st += f"; --json {statistics.median(jx):.1f}"
                rows.append([s.name, f"{took:.2f}", f"{sum(m[0] for m in mem) / 1024:.1f}",
                             f"{sum(m[1] for m in mem) / 1024:.1f}", st])
            finally:
                self.finish(s)
        r = self.rep
        r.say(f"## 7. Scale: {n} services")
        r.say()
        r.say(f"{n} `sleep 100000` services: launch → all {n} running (counted in the supervisor's process"
              f" tree every 250 ms), the supervisor side's RSS and PSS then, and the median wall time of one"
              f" status query. Peers get {deadline} s to start them all; where they do not, the row says how"
              f" far they got.")
        r.say()
        r.table(["supervisor", "start s", "RSS MiB", "PSS MiB", "status ms"], rows)
        self.target(f"status of {n} services ≤ 50 ms", f1(ours_status, 1) + " ms", "—",
                    None if ours_status is None else ours_status <= 50)


def machine() -> list[str]:
    cpu = next((l.split(":", 1)[1].strip() for l in Path("/proc/cpuinfo").read_text().splitlines()
                if l.startswith("model name")), "?")
    mem = next((l.split()[1] for l in Path("/proc/meminfo").read_text().splitlines() if l.startswith("MemTotal")), "0")
    return [f"{os.cpu_count()} CPUs, {cpu}", f"{int(mem) / 1048576:.1f} GiB RAM",
            f"{platform.system()} {platform.release()}",
            f"load at start {' '.join(Path('/proc/loadavg').read_text().split()[:3])}"]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build", required=True, help="release build directory of ours")
    ap.add_argument("--tools", required=True, help="directory with the stamp and spew binaries")
    ap.add_argument("--pm2", default=shutil.which("pm2") or "pm2")
    ap.add_argument("--only", default="restart,idle,mass,logs,probes,scale")
    ap.add_argument("--quick", action="store_true", help="fewer runs and smaller sizes, to try the driver")
    ap.add_argument("--out", default=None, help="Markdown report (default bench/compare.md; not with --only/--quick)")
    a = ap.parse_args()
    root = Path(__file__).resolve().parent.parent
    b = Path(a.build)
    tools = Tools(root, str(b / "supervisord/supervisord"), str(b / "vjctl/vjctl"),
                  str(Path(a.tools) / "stamp"), str(Path(a.tools) / "spew"), a.pm2)
    for p in (tools.supervisord, tools.vjctl, tools.stamp, tools.spew):
        if not os.access(p, os.X_OK):
            die(f"{p} is missing; run bench/compare.sh, which builds it")
    for p in ("supervisord", "supervisorctl", "runsvdir", "sv", "svlogd", "s6-svscan", "s6-svstat", "s6-log",
              "monit", tools.pm2):
        if shutil.which(p) is None:
            die(f"{p} is not installed; bench/compare.sh installs the peers")
    only = a.only.split(",")
    unknown = set(only) - {"restart", "idle", "mass", "logs", "probes", "scale"}
    if unknown:
        die(f"unknown scenario(s) {', '.join(sorted(unknown))}")
    full = a.only == ap.get_default("only") and not a.quick
    out = Path(a.out) if a.out else (root / "bench/compare.md" if full else None)

    bench = Bench(a, tools)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    r = bench.rep
    try:
        commit = subprocess.run(["git", "-C", str(root), "rev-parse", "--short", "HEAD"], capture_output=True,
                                text=True).stdout.strip() or "?"
        r.say("# vj-supervisor and its peers, side by side")
        r.say()
        r.say(f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, commit {commit}, `bench/compare.sh"
              f"{' --only ' + a.only if not full else ''}{' --quick' if a.quick else ''}`. All supervisors ran"
              f" one after another on the same machine, each on a private directory; compare within this run"
              f" only (CPU-bound figures on this VM move 10–35 % between runs).")
        r.say()
        for line in machine():
            r.say(f"- {line}")
        vers = [Ours(tools, bench.work / "v0", bench.run_id).version()] + \
               [cls(tools, bench.work / f"v{i}", bench.run_id).version() for i, cls in enumerate(PEERS, 1)] + \
               [dpkg_version("monit")]
        r.say(f"- versions: {', '.join(v for v in vers if v)}")
        r.say()
        start_at = len(r.lines)
        for name in ("restart", "idle", "mass", "logs", "probes", "scale"):
            if name in only:
                getattr(bench, name)()
        summary = ["## Summary: ours against the targets of issue 5", "",
                   "| target | vj-supervisor | peers in the same run | verdict |", "|---|---|---|---|"]
        summary += [f"| {a_} | {b_} | {c_} | {d_} |" for a_, b_, c_, d_ in bench.summary]
        summary.append("")
        for line in summary:
            print(line)
        r.lines[start_at:start_at] = summary
        if out is not None:
            out.write_text("\n".join(r.lines) + "\n")
            progress(f"report written to {out}")
    finally:
        bench.cleanup()


if __name__ == "__main__":
    main()
