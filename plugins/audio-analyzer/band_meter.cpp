// Per-band energy in dB and a smoothed 0–1 level.
// Part of vj-audio: GPL-3.0-or-later, because the plugin links aubio (GPL-3+).
#include "audio-analyzer/band_meter.hpp"

#include <cassert>

#include "audio-analyzer/decibels.hpp"

namespace vj::audio {

BandMeter::BandMeter(const std::array<BinRange, band_count>& bins, LevelMapping mapping)
    : bins_(bins), mapping_(mapping) {}

const std::array<BandLevel, band_count>& BandMeter::push(std::span<const float> power) {
    for (std::size_t b = 0; b < band_count; ++b) {
        assert(bins_[b].last <= power.size());
        double sum = 0;
        for (std::size_t k = bins_[b].first; k < bins_[b].last; ++k) sum += power[k];
        BandLevel& out = levels_[b];
        out.db = power_to_db(sum);
        const float target = db_to_unit(out.db, mapping_.floor_db, mapping_.ceiling_db);
        // Instant attack, exponential release: a hit shows on the frame it happens, then fades.
        out.level = target >= out.level ? target : target + (out.level - target) * mapping_.release;
    }
    return levels_;
}

}  // namespace vj::audio
