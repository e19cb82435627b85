// Conversions between linear amplitude/power and decibels, with a finite floor for silence. Pure.
// Part of vj-audio: GPL-3.0-or-later, because the plugin links aubio (GPL-3+); see LICENSE notes.
#pragma once

#include <algorithm>
#include <cmath>

namespace vj::audio {

/// What silence reads, in dB: finite, so that features stay plottable and NaN-free.
inline constexpr float silence_db = -120.0f;

/// 20·log10(amplitude), never below `silence_db` (0 and denormals included). amplitude ≥ 0.
inline float amplitude_to_db(double amplitude) {
    // 1e-6 = -120 dB: below it the log would only spread noise and -inf over the outputs.
    return amplitude > 1e-6 ? static_cast<float>(20.0 * std::log10(amplitude)) : silence_db;
}

/// 10·log10(power), never below `silence_db`. power ≥ 0 (a mean square, not a sum).
inline float power_to_db(double power) {
    return power > 1e-12 ? static_cast<float>(10.0 * std::log10(power)) : silence_db;
}

/// Maps `db` linearly from [floor_db, ceiling_db] to [0, 1], clamped. floor_db < ceiling_db.
inline float db_to_unit(float db, float floor_db, float ceiling_db) {
    return std::clamp((db - floor_db) / (ceiling_db - floor_db), 0.0f, 1.0f);
}

/// 10^(db/20): the linear amplitude of a level given in dBFS.
inline double db_to_amplitude(double db) { return std::pow(10.0, db / 20.0); }

}  // namespace vj::audio
