// Real-time pacing of generated and file input: how many hops wall time allows, from a steady
// clock reading passed in, with skip-ahead when the program falls too far behind. Pure.
// Part of vj-audio: GPL-3.0-or-later, because the program links aubio (GPL-3+).
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>

namespace vj::audio::program {

class Pacer {
public:
    using Clock = std::chrono::steady_clock;

    /// What advance() allows now.
    struct Step {
        std::int64_t hops = 0;      ///< hops to produce and analyse now
        std::int64_t skipped = 0;   ///< hops to skip first (not produced: dropped frames)
    };

    /// Hop k (from 0) becomes due when its last sample would have arrived from a live input:
    /// at start + (k + 1) · hop / sample_rate. Counting from `start` (never from the previous
    /// step) keeps the average rate exact whatever the timer jitter. Falling more than `max_lag`
    /// behind (a stalled machine, a stopped process) skips ahead instead of racing to catch up.
    /// Preconditions: sample_rate > 0, hop > 0, max_lag ≥ 0.
    Pacer(double sample_rate, std::size_t hop, Clock::duration max_lag, Clock::time_point start);

    /// The hops due at `now` that were not handed out before, all of them counted as done. When
    /// more than max_lag's worth is due, all but the latest hop are skipped. `now` may go
    /// backwards (nothing is due then).
    Step advance(Clock::time_point now);

    /// When the next hop becomes due: the time to wait for.
    Clock::time_point next_due() const;

    std::int64_t hops_done() const { return done_; }       ///< produced plus skipped
    std::int64_t skipped_total() const { return skipped_; }

private:
    std::int64_t hops_in(std::int64_t elapsed_ns) const;   // hops due once elapsed_ns have passed

    double sample_rate_;
    double hop_ns_;                  // hop × 1e9, so that ns × sample_rate / hop_ns_ counts hops
    std::int64_t max_lag_hops_ = 1;
    Clock::time_point start_;
    std::int64_t done_ = 0;
    std::int64_t skipped_ = 0;
};

}  // namespace vj::audio::program
