// Estimates the tempo (BPM) and how sure it is from the onset-strength envelope: a running
// autocorrelation, the fastest strong period within the BPM range, refinement over its multiples,
// and hysteresis. Pure; the cost per hop is one multiply-add per lag.
// Part of vj-audio: GPL-3.0-or-later, because the plugin links aubio (GPL-3+).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "audio-analyzer/onset_envelope.hpp"

namespace vj::audio {

struct TempoConfig {
    double frame_rate = 44100.0 / 512.0;  ///< envelope values (hops) per second; > 0
    double bpm_min = 60.0;                ///< the range the answer lies in; 0 < min, min·2 ≤ max
    double bpm_max = 200.0;
    double memory_s = 4.0;       ///< the autocorrelation forgets with this time constant
    double max_lag_s = 4.0;      ///< longest lag kept: ≥ 60/bpm_min, so multiples refine the period
    double update_s = 0.5;       ///< the decision is re-made this often (its cost is tiny)
    double warmup_s = 3.0;       ///< no estimate before this much audio
    float bass_weight = 0.5f;    ///< share of the bass (kick) envelope in the autocorrelation
    float pick_ratio = 0.7f;     ///< the fastest period at least this strong relative to the strongest wins
    float keep_ratio = 0.55f;    ///< the current tempo survives a slower rival while at least this strong
    int switch_after = 3;        ///< a different tempo must win this many decisions in a row
    float min_confidence = 0.1f; ///< below: no pulse, the last tempo is held
};

/// One periodicity found in the autocorrelation.
struct TempoCandidate {
    double bpm = 0;
    float strength = 0;   ///< normalised autocorrelation at the period, ≤ 1
};

class TempoEstimator {
public:
    explicit TempoEstimator(const TempoConfig& config);

    /// Adds one hop of the envelope. Returns true when the estimate was re-made on this hop.
    bool push(OnsetStrength strength);

    /// The tempo, 0 until the first estimate (warmup_s of audio with a pulse).
    double bpm() const { return bpm_; }
    /// 0–1: the normalised autocorrelation of the envelope at the reported period (near 1 for a
    /// steady loop, near 0 for noise), times how present the pulse is now: in a break or in
    /// silence it falls toward 0 within a second or two while bpm() is held.
    float confidence() const { return confidence_ * presence_; }
    /// The periodicities of the last decision, fastest first (for diagnostics and tests).
    const std::vector<TempoCandidate>& candidates() const { return candidates_; }

private:
    void decide();
    double refine(double lag, float strength) const;

    TempoConfig config_;
    std::size_t max_lag_;        // in hops
    std::size_t update_hops_;
    std::size_t warmup_hops_;
    float decay_;                // per-hop factor of the running autocorrelation
    float mean_decay_;           // per-hop factor of the running mean the envelope is centred on
    std::int64_t hops_ = 0;

    struct Stream {
        float mean = 0;
        std::vector<float> history;   // the last max_lag+1 centred values, stored twice (see push)
        std::vector<float> acf;       // acf[τ] = Σ decay^age · x[n]·x[n-τ]
    };
    void feed(Stream& s, float value, std::size_t slot);
    Stream all_;
    Stream bass_;
    std::vector<float> r_;            // the combined normalised autocorrelation, rebuilt per decision

    double bpm_ = 0;
    float confidence_ = 0;       // of the last decision
    float recent_power_ = 0;     // the centred envelope's power over the last second
    float presence_ = 0;         // recent power / power over the memory, capped at 1
    double pending_bpm_ = 0;
    int pending_count_ = 0;
    std::vector<TempoCandidate> candidates_;
};

}  // namespace vj::audio
