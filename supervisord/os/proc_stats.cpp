// Reading and summing /proc/PID/stat: one small read per process, one readdir pass per group query.
#include "os/proc_stats.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstdio>
#include <string>

#include "os/unique_fd.hpp"

namespace vj::os {
namespace {

long page_size() {
    static const long size = ::sysconf(_SC_PAGESIZE);
    return size;
}

long ticks_per_second() {
    static const long ticks = ::sysconf(_SC_CLK_TCK);
    return ticks;
}

/// The space-separated fields after `comm`, read one at a time.
class Fields {
public:
    explicit Fields(std::string_view rest) : rest_(rest) {}

    std::optional<std::string_view> next() {
        while (!rest_.empty() && rest_.front() == ' ') rest_.remove_prefix(1);
        if (rest_.empty()) return std::nullopt;
        const auto end = rest_.find_first_of(" \n");
        const auto field = rest_.substr(0, end);
        rest_.remove_prefix(end == std::string_view::npos ? rest_.size() : end);
        if (!rest_.empty() && rest_.front() == '\n') rest_ = {};
        return field;
    }

    /// The next field as a number of type T; nullopt if missing or not a number.
    template <class T>
    std::optional<T> number() {
        const auto field = next();
        if (!field) return std::nullopt;
        T value{};
        const auto [end, ec] = std::from_chars(field->data(), field->data() + field->size(), value);
        if (ec != std::errc() || end != field->data() + field->size()) return std::nullopt;
        return value;
    }

    bool skip(int n) {
        for (int i = 0; i < n; ++i) {
            if (!next()) return false;
        }
        return true;
    }

private:
    std::string_view rest_;
};

}  // namespace

std::optional<ProcStat> parse_proc_stat(std::string_view line, long page_size, long ticks_per_second) {
    ProcStat s;
    const auto open = line.find('(');
    const auto close = line.rfind(')');
    if (open == std::string_view::npos || close == std::string_view::npos || close < open) return std::nullopt;
    {
        const auto pid_text = line.substr(0, open);
        const auto last = pid_text.find_last_not_of(' ');
        if (last == std::string_view::npos) return std::nullopt;
        const auto [end, ec] = std::from_chars(pid_text.data(), pid_text.data() + last + 1, s.pid);
        if (ec != std::errc() || end != pid_text.data() + last + 1) return std::nullopt;
    }
    Fields f(line.substr(close + 1));
    // Field numbers as in proc(5); 1 and 2 are pid and comm.
    const auto state = f.next();  // 3
    if (!state || state->size() != 1) return std::nullopt;
    s.state = state->front();
    const auto ppid = f.number<pid_t>();     // 4
    const auto pgrp = f.number<pid_t>();     // 5
    const auto session = f.number<pid_t>();  // 6
    if (!ppid || !pgrp || !session || !f.skip(13 - 6)) return std::nullopt;
    const auto utime = f.number<unsigned long long>();  // 14
    const auto stime = f.number<unsigned long long>();  // 15
    if (!utime || !stime || !f.skip(19 - 15)) return std::nullopt;
    const auto threads = f.number<long>();  // 20
    if (!threads || !f.skip(1)) return std::nullopt;
    const auto start = f.number<unsigned long long>();  // 22
    if (!start || !f.skip(1)) return std::nullopt;
    const auto rss = f.number<long long>();  // 24, pages; signed in the kernel's format
    if (!rss) return std::nullopt;
    s.ppid = *ppid;
    s.pgrp = *pgrp;
    s.session = *session;
    s.cpu_seconds =
        ticks_per_second > 0 ? static_cast<double>(*utime + *stime) / static_cast<double>(ticks_per_second) : 0;
    s.threads = *threads;
    s.start_time = *start;
    s.rss_bytes = *rss > 0 ? static_cast<std::uint64_t>(*rss) * static_cast<std::uint64_t>(page_size) : 0;
    return s;
}

std::optional<ProcStat> read_proc_stat(pid_t pid) {
    char path[64];
    std::snprintf(path, sizeof path, "/proc/%d/stat", static_cast<int>(pid));
    UniqueFd fd(::open(path, O_RDONLY | O_CLOEXEC));
    if (!fd) return std::nullopt;
    // The line is well under 1 KiB (comm is at most 64 bytes); procfs hands it over in one read,
    // but loop in case it does not.
    char buf[4096];
    std::size_t used = 0;
    while (used < sizeof buf) {
        const ssize_t n = ::read(fd.get(), buf + used, sizeof buf - used);
        if (n < 0) {
            if (errno == EINTR) continue;
            return std::nullopt;  // ESRCH: the process exited after open
        }
        if (n == 0) break;
        used += static_cast<std::size_t>(n);
    }
    return parse_proc_stat(std::string_view(buf, used), page_size(), ticks_per_second());
}

std::map<pid_t, GroupStat> group_stats(const std::set<pid_t>& pgids) {
    std::map<pid_t, GroupStat> totals;
    if (pgids.empty()) return totals;
    DIR* dir = ::opendir("/proc");
    if (!dir) return totals;
    while (const dirent* entry = ::readdir(dir)) {
        pid_t pid = 0;
        const std::string_view name(entry->d_name);
        const auto [end, ec] = std::from_chars(name.data(), name.data() + name.size(), pid);
        if (ec != std::errc() || end != name.data() + name.size()) continue;  // not a process directory
        const auto stat = read_proc_stat(pid);
        if (!stat || !pgids.contains(stat->pgrp)) continue;
        GroupStat& g = totals[stat->pgrp];
        g.rss_bytes += stat->rss_bytes;
        g.cpu_seconds += stat->cpu_seconds;
        ++g.processes;
    }
    ::closedir(dir);
    return totals;
}

}  // namespace vj::os
