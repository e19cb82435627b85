// Messages per second over the last few seconds, from per-second buckets (pure; time passed in).
#pragma once

#include <array>
#include <chrono>
#include <cstdint>

namespace vj::osc_monitor {

/// Counts events in one-second buckets over a sliding window of `window_seconds` seconds.
/// Seconds are counted from a start time the owner keeps (the monitor's start), so every
/// window in a process shares the same bucket boundaries. 24 bytes: one per address is cheap.
class RateWindow {
public:
    static constexpr int window_seconds = 5;
    using Clock = std::chrono::steady_clock;

    /// Counts one event in second `second` (since the owner's start). Seconds must not go back.
    void add(std::int64_t second);

    /// Events per second over the window ending at `now`: the events of the last
    /// window_seconds buckets (the current, partial one included) divided by the time they
    /// cover, which is at least 1 s (so the first events after start do not read as a burst)
    /// and at most the window.
    double rate(Clock::time_point start, Clock::time_point now) const;

    /// The second of `now` since `start`.
    static std::int64_t second_of(Clock::time_point start, Clock::time_point now);

private:
    std::array<std::uint32_t, window_seconds> buckets_{};
    std::int64_t last_ = -1;  // the newest second counted; slots hold seconds (last_ - window, last_]
};

}  // namespace vj::osc_monitor
