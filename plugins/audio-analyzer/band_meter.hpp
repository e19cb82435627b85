// Per-band energy in dB and a smoothed 0–1 level for visuals, from one power spectrum. Pure.
// Part of vj-audio: GPL-3.0-or-later, because the plugin links aubio (GPL-3+).
#pragma once

#include <array>
#include <span>

#include "audio-analyzer/band_layout.hpp"

namespace vj::audio {

/// One band's reading for one hop.
struct BandLevel {
    /// The band's mean square in dB re full scale (10·log10 of the band's share of the frame's
    /// mean square), ≥ silence_db. A full-scale sine inside the band reads -3.01, like its RMS.
    float db = -120.0f;
    /// `db` mapped linearly from [floor_db, ceiling_db] to [0, 1] and clamped, then smoothed:
    /// it rises at once and falls with the release time constant, so visuals pulse without flicker.
    float level = 0.0f;
};

/// How BandMeter turns dB into the 0–1 level.
struct LevelMapping {
    float floor_db = -60.0f;     ///< reads 0
    float ceiling_db = 0.0f;     ///< reads 1; > floor_db
    float release = 0.0f;        ///< per-hop decay factor in [0, 1): 0 = no smoothing
};

class BandMeter {
public:
    BandMeter(const std::array<BinRange, band_count>& bins, LevelMapping mapping);

    /// Reads the bands of one spectrum (Spectrum::push's scaling; at least as many bins as the
    /// highest range ends at). Returns the readings, valid until the next call.
    const std::array<BandLevel, band_count>& push(std::span<const float> power);

private:
    std::array<BinRange, band_count> bins_;
    LevelMapping mapping_;
    std::array<BandLevel, band_count> levels_{};
};

}  // namespace vj::audio
