// Percentiles (p50, p99) of the most recent N values, e.g. the processing time of the last hops. Pure.
// Part of vj-audio: GPL-3.0-or-later, because the program links aubio (GPL-3+).
#pragma once

#include <cstddef>
#include <vector>

namespace vj::audio::program {

class PercentileWindow {
public:
    /// Keeps the last `capacity` values. Precondition: capacity > 0. Allocates here only.
    explicit PercentileWindow(std::size_t capacity);

    /// Adds a value, forgetting the oldest once the window is full. Never allocates.
    void add(float value);

    /// The nearest-rank p-quantile of the values in the window: the smallest value v such that at
    /// least ⌈p·n⌉ of the n values are ≤ v. 0 when the window is empty. Precondition: 0 < p ≤ 1.
    /// O(n); never allocates (it sorts a copy kept for the purpose).
    float percentile(double p);

    std::size_t size() const { return size_; }

private:
    std::vector<float> ring_;
    std::vector<float> scratch_;
    std::size_t next_ = 0;
    std::size_t size_ = 0;
};

}  // namespace vj::audio::program
