// What the analyzer reports for one hop of audio: levels, bands, onset, beat and tempo.
// Part of vj-audio: GPL-3.0-or-later, because the plugin links aubio (GPL-3+).
#pragma once

#include <array>
#include <cstdint>

#include "audio-analyzer/band_layout.hpp"
#include "audio-analyzer/band_meter.hpp"

namespace vj::audio {

/// One hop's features. Times are seconds from the first sample the analyzer was given (the
/// stream's clock, not the wall clock); a sample position p reads p / sample_rate.
struct Frame {
    std::uint64_t hop_index = 0;   ///< 0 for the first hop
    double time = 0;               ///< the end of this hop: how much audio has been analysed

    // The hop's own samples (not the FFT window): RMS and peak.
    float rms = 0;                 ///< linear, 0–1 (clamped; a full-scale square wave reads 1)
    float rms_db = -120;           ///< 20·log10(rms) unclamped above, floored at silence_db (-120)
    float peak = 0;                ///< max |sample|, 0–1 (clamped)
    float peak_db = -120;          ///< 20·log10(max |sample|), floored at -120; > 0 on overs

    std::array<BandLevel, band_count> bands{};   ///< bass, mid, midhigh, high (band_names)

    bool onset = false;            ///< an onset was decided on this hop…
    double onset_time = 0;         ///< …that started here (earlier than `time`: the detector's delay
                                   ///< is already taken off); the latest onset's, kept until the next
    float onset_strength = 0;      ///< its onset-envelope value (the sum of the bands' flux)

    bool beat = false;             ///< a beat falls in this hop…
    double beat_time = 0;          ///< …at this time (the latest beat's, kept until the next)
    std::uint64_t beat_count = 0;  ///< beats so far, this one included

    float bpm = 0;                 ///< the tempo; 0 until one is heard (≤ a few seconds of audio)
    float bpm_confidence = 0;      ///< 0–1 (TempoEstimator::confidence)
};

}  // namespace vj::audio
