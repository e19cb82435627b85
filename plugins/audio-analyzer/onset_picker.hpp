// Picks onsets from the onset-strength envelope: local maxima that stand out from the local
// median, with a minimum spacing and a silence gate. Pure; one hop of look-ahead.
// Part of vj-audio: GPL-3.0-or-later, because the plugin links aubio (GPL-3+).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>

#include "audio-analyzer/onset_envelope.hpp"

namespace vj::audio {

struct OnsetPickerConfig {
    /// A peak must exceed threshold × (median of the last ~150 ms of the envelope) + `floor`.
    /// Relative, so the same setting works at any loudness and over any steady noise floor.
    float threshold = 3.0f;
    /// Absolute part of the threshold, in the whitened envelope's units (a band's typical activity
    /// reads 1): where the median is ~0, as over a steady tone in otherwise quiet bands, the tone's
    /// small hop-to-hop wobble must not make onsets.
    float floor = 2.0f;
    /// Onsets closer than this many hops to the previous one are dropped (a flam is one hit).
    std::size_t min_interval_hops = 4;
    /// Hops quieter than this (RMS, dBFS) never make onsets.
    float silence_db = -70.0f;
    /// No onset before this hop: the envelope compares with hops before the stream started.
    std::int64_t first_hop = 4;
};

/// An onset found in the envelope.
struct PickedOnset {
    std::int64_t hop = 0;          ///< the hop whose envelope value peaked (not the current one)
    OnsetStrength strength;        ///< the envelope at that hop
};

class OnsetPicker {
public:
    /// How many hops after the peak the picker decides: the detector's inherent delay.
    static constexpr std::int64_t lookahead = 1;

    explicit OnsetPicker(OnsetPickerConfig config) : config_(config) {}

    /// Feeds hop `hops_seen()`'s envelope value and its RMS level; returns the onset decided now,
    /// if any (its hop is `lookahead` hops back).
    std::optional<PickedOnset> push(OnsetStrength strength, float rms_db);

    std::int64_t hops_seen() const { return hops_; }

private:
    static constexpr std::size_t history = 16;   // a power of two ≥ median span + lookahead + 1
    static constexpr std::size_t median_span = 13;   // 151 ms at 86 hops/s
    static constexpr std::size_t max_span = 3;       // a peak is the largest of its 3 predecessors

    OnsetPickerConfig config_;
    std::array<OnsetStrength, history> values_{};
    std::array<float, history> levels_db_{};
    std::int64_t hops_ = 0;
    std::int64_t last_onset_ = -1'000'000;
};

}  // namespace vj::audio
