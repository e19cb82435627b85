// Which FFT bins make up each band.
// Part of vj-audio: GPL-3.0-or-later, because the plugin links aubio (GPL-3+).
#include "audio-analyzer/band_layout.hpp"

#include <algorithm>
#include <cmath>

namespace vj::audio {

std::array<BinRange, band_count> band_bins(const BandEdges& edges, double sample_rate, std::size_t window) {
    const std::size_t bins = window / 2 + 1;
    const double bin_hz = sample_rate / static_cast<double>(window);
    // The first bin whose centre is at or above `hz`.
    auto first_at = [&](double hz) {
        const double k = std::ceil(hz / bin_hz - 1e-9);
        return std::min(bins, static_cast<std::size_t>(std::max(0.0, k)));
    };
    std::array<BinRange, band_count> out{};
    for (std::size_t b = 0; b < band_count; ++b) out[b] = {first_at(edges[b]), first_at(edges[b + 1])};
    // The top edge is inclusive of Nyquist when it reaches it, so no bin falls off the end.
    if (edges[band_count] >= sample_rate / 2.0) out[band_count - 1].last = bins;
    return out;
}

}  // namespace vj::audio
