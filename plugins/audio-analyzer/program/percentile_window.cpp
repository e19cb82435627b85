// A ring of recent values and nearest-rank percentiles over it.
// Part of vj-audio: GPL-3.0-or-later, because the program links aubio (GPL-3+).
#include "audio-analyzer/program/percentile_window.hpp"

#include <algorithm>
#include <cmath>

namespace vj::audio::program {

PercentileWindow::PercentileWindow(std::size_t capacity) : ring_(capacity), scratch_(capacity) {}

void PercentileWindow::add(float value) {
    ring_[next_] = value;
    next_ = (next_ + 1) % ring_.size();
    size_ = std::min(size_ + 1, ring_.size());
}

float PercentileWindow::percentile(double p) {
    if (size_ == 0) return 0.0f;
    // Before the window is full the values are ring_[0, size_); after, all of ring_: order does
    // not matter for a quantile.
    std::copy_n(ring_.begin(), size_, scratch_.begin());
    const auto rank = static_cast<std::size_t>(std::ceil(p * static_cast<double>(size_)));
    const std::size_t index = std::clamp<std::size_t>(rank, 1, size_) - 1;
    const auto nth = scratch_.begin() + static_cast<std::ptrdiff_t>(index);
    std::nth_element(scratch_.begin(), nth, scratch_.begin() + static_cast<std::ptrdiff_t>(size_));
    return *nth;
}

}  // namespace vj::audio::program
