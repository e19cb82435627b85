// Sliding one-second buckets for message rates.
#include "rate_window.hpp"

#include <algorithm>

namespace vj::osc_monitor {

std::int64_t RateWindow::second_of(Clock::time_point start, Clock::time_point now) {
    return std::chrono::duration_cast<std::chrono::seconds>(now - start).count();
}

void RateWindow::add(std::int64_t second) {
    if (second > last_) {
        // Clear the slots of the seconds skipped since the last event (at most the window).
        const std::int64_t from = std::max(last_ + 1, second - window_seconds + 1);
        for (std::int64_t s = from; s <= second; ++s) buckets_[static_cast<std::size_t>(s % window_seconds)] = 0;
        last_ = second;
    }
    ++buckets_[static_cast<std::size_t>(second % window_seconds)];
}

double RateWindow::rate(Clock::time_point start, Clock::time_point now) const {
    const std::int64_t second = second_of(start, now);
    std::uint64_t count = 0;
    for (std::int64_t s = std::max<std::int64_t>(0, second - window_seconds + 1); s <= std::min(last_, second); ++s)
        count += buckets_[static_cast<std::size_t>(s % window_seconds)];
    const auto window_start = start + std::chrono::seconds(std::max<std::int64_t>(0, second - window_seconds + 1));
    const double covered = std::clamp(std::chrono::duration<double>(now - window_start).count(), 1.0,
                                      static_cast<double>(window_seconds));
    return static_cast<double>(count) / covered;
}

}  // namespace vj::osc_monitor
