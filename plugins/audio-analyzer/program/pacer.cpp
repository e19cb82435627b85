// Hops due from elapsed steady time, and the skip-ahead rule.
// Part of vj-audio: GPL-3.0-or-later, because the program links aubio (GPL-3+).
#include "audio-analyzer/program/pacer.hpp"

#include <algorithm>
#include <cmath>

namespace vj::audio::program {

namespace {

std::int64_t ns(Pacer::Clock::duration d) { return std::chrono::duration_cast<std::chrono::nanoseconds>(d).count(); }

}  // namespace

Pacer::Pacer(double sample_rate, std::size_t hop, Clock::duration max_lag, Clock::time_point start)
    : sample_rate_(sample_rate), hop_ns_(static_cast<double>(hop) * 1e9), start_(start) {
    // At least one hop of slack: a lag shorter than a hop would skip on every timer jitter.
    max_lag_hops_ = std::max<std::int64_t>(1, hops_in(ns(max_lag)));
}

std::int64_t Pacer::hops_in(std::int64_t elapsed_ns) const {
    // One product and one division, each rounded once: when elapsed is an exact number of hops
    // (as in tests) both are exact integers and the quotient is too. Otherwise a double is
    // precise to far below a nanosecond for any run shorter than years.
    return static_cast<std::int64_t>(std::floor(static_cast<double>(elapsed_ns) * sample_rate_ / hop_ns_));
}

Pacer::Step Pacer::advance(Clock::time_point now) {
    const std::int64_t elapsed_ns = ns(now - start_);
    if (elapsed_ns <= 0) return {};
    Step step;
    step.hops = std::max<std::int64_t>(0, hops_in(elapsed_ns) - done_);
    if (step.hops > max_lag_hops_) {
        step.skipped = step.hops - 1;
        step.hops = 1;
        skipped_ += step.skipped;
    }
    done_ += step.skipped + step.hops;
    return step;
}

Pacer::Clock::time_point Pacer::next_due() const {
    // The first nanosecond at which hops_in() reaches done_ + 1; one more, so that rounding can
    // never make the caller wake up to find nothing due.
    const double due_ns = std::ceil(static_cast<double>(done_ + 1) * hop_ns_ / sample_rate_) + 1.0;
    return start_ + std::chrono::duration_cast<Clock::duration>(std::chrono::nanoseconds(static_cast<std::int64_t>(due_ns)));
}

}  // namespace vj::audio::program
