// Per-process and per-group figures from /proc/PID/stat (state, memory, cpu) for probes and memory limits.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string_view>

namespace vj::os {

/// The fields of one /proc/PID/stat line that supervisord and Lua scripts use (proc(5)).
struct ProcStat {
    pid_t pid = 0;
    char state = '?';  ///< R running, S sleeping, D disk sleep, T stopped, Z zombie, I idle, ...
    pid_t ppid = 0;
    pid_t pgrp = 0;
    pid_t session = 0;
    std::uint64_t rss_bytes = 0;        ///< resident set: field 24 (pages) times the page size
    double cpu_seconds = 0;             ///< user + system time: fields 14 + 15 over sysconf(_SC_CLK_TCK)
    long threads = 0;                   ///< field 20
    unsigned long long start_time = 0;  ///< field 22: clock ticks after boot at which the process started
};

/// Parses the text of a /proc/PID/stat line. `comm` (field 2) may hold spaces and ')', so the fields
/// after it are read from after the last ')'. nullopt if the line is cut short or a number does not parse.
std::optional<ProcStat> parse_proc_stat(std::string_view line, long page_size, long ticks_per_second);

/// Reads /proc/PID/stat. nullopt if there is no such process (or it vanished while being read).
std::optional<ProcStat> read_proc_stat(pid_t pid);

/// What the processes of one process group add up to.
struct GroupStat {
    std::uint64_t rss_bytes = 0;
    double cpu_seconds = 0;
    int processes = 0;
};

/// One pass over /proc: totals for each process group in `pgids`; groups with no process are absent.
/// Shared pages count once per process, so the rss total can exceed what the group really holds.
std::map<pid_t, GroupStat> group_stats(const std::set<pid_t>& pgids);

}  // namespace vj::os
