// The monitor's decisions for each datagram: decode, count, filter, cap and print (pure: the
// shell reads the sockets and the clocks and writes what this returns).
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "line_limiter.hpp"
#include "malformed_report.hpp"
#include "sdk/osc_pattern.hpp"
#include "traffic_stats.hpp"

namespace vj::osc_monitor {

struct MonitorConfig {
    std::vector<std::string> listen;                 ///< listener names in index order, as bound
    std::vector<sdk::osc::AddressPattern> filters;   ///< print only matching messages; empty: all
    std::uint32_t max_lines_per_second = 200;        ///< 0: no cap
    std::size_t max_addresses = 1000;                ///< per-address entries in the status
    std::size_t max_line_bytes = 4096;               ///< longer lines are cut and end in " ..."
};

/// What one call produced, for the shell to write: `lines` for stdout (each ending in '\n'),
/// `warnings` for the log.
struct Output {
    std::string lines;
    std::vector<std::string> warnings;
    void clear() {
        lines.clear();
        warnings.clear();
    }
};

class Monitor {
public:
    using Clock = std::chrono::steady_clock;
    using WallClock = std::chrono::system_clock;

    Monitor(MonitorConfig config, Clock::time_point start);

    /// One datagram from `source` ("127.0.0.1:40000") on listener `listener` at `now`/`wall`.
    /// Every message is counted whatever --filter says; the filter and then the line cap decide
    /// what is printed. A datagram that does not decode is counted as malformed and reported
    /// in `out.warnings` (at most 5 a second).
    void datagram(std::size_t listener, std::span<const std::byte> bytes, std::string_view source,
                  Clock::time_point now, WallClock::time_point wall, Output& out);

    /// Once a second: the line cap's "skipped" summary and the suppressed-report count, when due.
    void second(Clock::time_point now, Output& out);

    /// The status document (vj-osc-monitor(1), STATUS FILE).
    nlohmann::json status(Clock::time_point now, WallClock::time_point wall) const;

    const TrafficStats& stats() const { return stats_; }

private:
    bool wanted(const std::string& address) const;
    void print(std::string line, Output& out);

    MonitorConfig config_;
    TrafficStats stats_;
    LineLimiter limiter_;
    MalformedReporter reporter_;
};

}  // namespace vj::osc_monitor
