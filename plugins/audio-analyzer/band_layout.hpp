// Which FFT bins make up each of the four bands (bass, mid, mid-high, high). Pure.
// Part of vj-audio: GPL-3.0-or-later, because the plugin links aubio (GPL-3+).
#pragma once

#include <array>
#include <cstddef>
#include <string_view>

namespace vj::audio {

inline constexpr std::size_t band_count = 4;

/// The bands' names, low to high, as the outputs and the config call them.
inline constexpr std::array<std::string_view, band_count> band_names{"bass", "mid", "midhigh", "high"};

/// Band edges in Hz, low to high: band i spans [edges[i], edges[i+1]).
using BandEdges = std::array<double, band_count + 1>;

/// The default edges, 20–250–2000–6000–20000 Hz: kick and bass guitar; voice, snare body and most
/// instruments; presence and attack; cymbals, hats and air.
inline constexpr BandEdges default_band_edges{20.0, 250.0, 2000.0, 6000.0, 20000.0};

/// A half-open range of bin indices [first, last).
struct BinRange {
    std::size_t first = 0;
    std::size_t last = 0;
    std::size_t size() const { return last - first; }
    bool operator==(const BinRange&) const = default;
};

/// The bins whose centre frequency k·sample_rate/window lies in each band. An edge above Nyquist
/// is cut at the last bin. A band may come out empty when the window is too short to resolve it;
/// the config's validation rejects that. Preconditions: sample_rate > 0, window > 0, edges rising.
std::array<BinRange, band_count> band_bins(const BandEdges& edges, double sample_rate, std::size_t window);

}  // namespace vj::audio
