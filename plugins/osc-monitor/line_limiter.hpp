// The print rate cap: admits at most N lines per one-second window and sums up what it held
// back (pure; time passed in).
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace vj::osc_monitor {

class LineLimiter {
public:
    using Clock = std::chrono::steady_clock;
    /// Addresses named individually in a summary; the rest are counted together.
    static constexpr std::size_t summary_addresses = 3;

    /// `per_second` lines per window; 0 means no cap.
    explicit LineLimiter(std::uint32_t per_second) : per_second_(per_second) {}

    /// Whether a line for a message to `address` (raw, as received) may be printed at `now`. A window
    /// starts at the first line after the previous one ended and lasts one second. Before
    /// answering, a window that has ended is closed: its summary, if any, is returned by the
    /// next summary() call.
    bool admit(std::string_view address, Clock::time_point now);

    /// The summary of the window that ended by `now`, once, if it held lines back:
    /// "skipped 1234 messages in 1.0s (over 200 lines/s): 1200 /vj/audio/level, 34 /vj/beat,
    /// 5 /c, 2 more addresses (7)". Call it at least once a second, so that the summary comes
    /// even when the traffic stops.
    std::optional<std::string> summary(Clock::time_point now);

    std::uint64_t skipped_total() const { return skipped_total_; }

private:
    void close_window(Clock::time_point now);

    std::uint32_t per_second_;
    std::optional<Clock::time_point> window_start_;
    std::uint32_t admitted_ = 0;
    std::uint64_t skipped_ = 0;
    std::uint64_t skipped_total_ = 0;
    // Skipped messages per address in this window; bounded, the excess counted apart.
    std::map<std::string, std::uint64_t, std::less<>> skipped_by_address_;
    std::uint64_t skipped_untracked_ = 0;
    std::optional<std::string> pending_;
};

}  // namespace vj::osc_monitor
