// Places beats: the phase of the beat grid from recent onsets (weighted toward kicks), the period
// from the tempo estimator, and one beat event per grid point as the audio passes it. Pure.
// Part of vj-audio: GPL-3.0-or-later, because the plugin links aubio (GPL-3+).
#pragma once

#include <cstdint>
#include <deque>
#include <optional>

namespace vj::audio {

struct BeatTrackerConfig {
    double memory_s = 4.0;         ///< onsets count with weight e^(-age/memory) for the phase
    float min_confidence = 0.2f;   ///< no beats while the tempo's confidence is below this
    float min_coherence = 0.3f;    ///< …or while the onsets agree on a phase less than this (0–1)
};

class BeatTracker {
public:
    /// Precondition: sample_rate > 0.
    BeatTracker(double sample_rate, BeatTrackerConfig config);

    /// Records an onset at `sample` (fractional sample position in the stream) with `weight` ≥ 0:
    /// how much it says "this is a beat" (the analyzer gives kicks far more than hats).
    void add_onset(double sample, float weight);

    /// Advances over the hop [begin, end) (sample positions) with the current tempo (`bpm`, 0 =
    /// none) and its confidence. Returns the time (sample position) of the beat that falls in the
    /// hop, if one does; a beat just before `begin` that has not been emitted yet also counts, so
    /// a grid that shifts by a few samples never skips a beat.
    std::optional<double> step(std::int64_t begin, std::int64_t end, double bpm, float confidence);

    /// Beats emitted so far: the counter a beat event carries.
    std::uint64_t beats() const { return beats_; }

    /// 0–1: how well the recent onsets agree on one phase of the current period (the length of the
    /// weighted mean of their unit phase vectors).
    float coherence() const { return coherence_; }

private:
    void update_phase(double period, double now);

    struct Onset {
        double sample;
        float weight;
    };
    double sample_rate_;
    BeatTrackerConfig config_;
    std::deque<Onset> onsets_;
    double anchor_ = 0;             // a sample position on the beat grid
    double anchor_period_ = 0;      // the period the anchor was computed for
    bool dirty_ = true;             // onsets changed since the anchor was computed
    float coherence_ = 0;
    double last_beat_ = -1e18;
    std::uint64_t beats_ = 0;
};

}  // namespace vj::audio
