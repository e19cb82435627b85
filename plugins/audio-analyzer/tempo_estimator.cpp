// Tempo from the onset-strength envelope's running autocorrelation.
// Part of vj-audio: GPL-3.0-or-later, because the plugin links aubio (GPL-3+).
//
// Why each step (the decision runs every update_s; everything else is per hop):
//  * The envelope is centred on its running mean, so the autocorrelation measures the pulse,
//    not the loudness, and a lag with no relation to the beat reads ~0.
//  * The autocorrelation is exponentially weighted: acf[τ] = decay·acf[τ] + x[n]·x[n-τ]. One
//    multiply-add per lag per hop, no periodic burst of work, and every lag sums over the same
//    span of audio, so long lags are not penalised as in a finite-window estimate.
//  * Two envelopes: everything, and the bass band alone. With a kick on the beat and a hat on the
//    off-beat, the full envelope also repeats every half beat (kick->hat); the bass one does not.
//    Mixing them keeps the half-beat lag clearly weaker than the beat lag, which is what makes
//    "the kick rate, not double" come out.
//  * Octave choice: the autocorrelation of a pulse with period T peaks equally at T, 2T, 3T…, so
//    "strongest" cannot tell 174 from 87 BPM. Rule: the fastest period whose peak is at least
//    pick_ratio of the strongest. The half-beat lag (hat between kicks) usually stays below it;
//    when it does not (hats as loud as kicks), the bass breaks the tie: a period at which the
//    kick does not repeat, while it does at the double, is not the beat.
//  * Precision: a period read from one lag is quantised to the hop (at 128 BPM the neighbouring
//    lags read 126.1 and 129.2). Each peak is located to a fraction of a hop with a parabola
//    through its three samples, and the peaks at 2T, 3T… (where a hop is a smaller fraction of the
//    lag) are fitted together: T = Σ m·lag_m / Σ m², the least-squares line through the origin.
//  * Hysteresis: a tempo within 2 % of the current one updates it at once (tracking); any other
//    must win switch_after decisions in a row, and a slower rival cannot displace the current
//    tempo while the current one is still at least keep_ratio of the strongest.
#include "audio-analyzer/tempo_estimator.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>

namespace vj::audio {
namespace {

constexpr double same_tempo = 0.02;     // relative difference under which two tempi are one
constexpr double mean_time_s = 1.0;     // time constant of the envelope's running mean
constexpr float silent = 1e-12f;        // an autocorrelation energy below this is no signal
constexpr int max_multiple = 8;         // multiples of the period used for refinement
constexpr float harmonic_presence = 0.5f;  // a multiple's peak must be this strong (× the period's)
constexpr float confidence_fade = 0.7f; // per decision without a pulse
constexpr float bass_pulse = 0.3f;      // the bass autocorrelation at a period that says "the kick repeats"

/// The vertex of the parabola through (−1, a), (0, b), (1, c): offset in (−1, 1) and height.
struct Vertex {
    double offset;
    float height;
};
Vertex parabola(float a, float b, float c) {
    const float curvature = a - 2.0f * b + c;
    if (curvature >= 0.0f) return {0.0, b};   // not a maximum (flat or a dip): no refinement
    const double offset = std::clamp(0.5 * static_cast<double>(a - c) / curvature, -1.0, 1.0);
    return {offset, b - 0.25f * (a - c) * static_cast<float>(offset)};
}

}  // namespace

TempoEstimator::TempoEstimator(const TempoConfig& config) : config_(config) {
    assert(config.frame_rate > 0 && config.bpm_min > 0 && config.bpm_max > config.bpm_min);
    const double slowest_period = 60.0 * config.frame_rate / config.bpm_min;
    max_lag_ = static_cast<std::size_t>(std::ceil(std::max(config.max_lag_s * config.frame_rate, slowest_period + 2.0)));
    update_hops_ = std::max<std::size_t>(1, static_cast<std::size_t>(std::lround(config.update_s * config.frame_rate)));
    warmup_hops_ = static_cast<std::size_t>(std::lround(config.warmup_s * config.frame_rate));
    decay_ = static_cast<float>(std::exp(-1.0 / (config.memory_s * config.frame_rate)));
    mean_decay_ = static_cast<float>(std::exp(-1.0 / (mean_time_s * config.frame_rate)));
    for (Stream* s : {&all_, &bass_}) {
        s->history.assign(2 * (max_lag_ + 1), 0.0f);
        s->acf.assign(max_lag_ + 1, 0.0f);
    }
    r_.assign(max_lag_ + 1, 0.0f);
}

void TempoEstimator::feed(Stream& s, float value, std::size_t slot) {
    s.mean = mean_decay_ * s.mean + (1.0f - mean_decay_) * value;
    const float x = value - s.mean;
    // Stored twice, cap apart, so that the last max_lag+1 values are always one contiguous run
    // ending at newest: x[n-τ] = newest[-τ]. The inner loop then vectorises.
    const std::size_t cap = max_lag_ + 1;
    s.history[slot] = x;
    s.history[slot + cap] = x;
    const float* newest = s.history.data() + slot + cap;
    float* acf = s.acf.data();
    const float decay = decay_;
    for (std::size_t lag = 0; lag <= max_lag_; ++lag) acf[lag] = decay * acf[lag] + x * newest[-static_cast<std::ptrdiff_t>(lag)];
}

bool TempoEstimator::push(OnsetStrength strength) {
    const std::size_t slot = static_cast<std::size_t>(hops_) % (max_lag_ + 1);
    feed(all_, strength.all, slot);
    feed(bass_, strength.bass, slot);
    // Presence: the envelope's recent power against its power over the whole memory. A steady
    // pulse keeps it near 1 (the factor 2 absorbs the beat-to-beat ripple); a break takes it to 0.
    const float centred = strength.all - all_.mean;
    recent_power_ += (1.0f - mean_decay_) * (centred * centred - recent_power_);
    const float memory_power = all_.acf[0] * (1.0f - decay_);
    presence_ = memory_power > silent ? std::min(1.0f, 2.0f * recent_power_ / memory_power) : 0.0f;
    ++hops_;
    if (static_cast<std::size_t>(hops_) < warmup_hops_ || static_cast<std::size_t>(hops_) % update_hops_ != 0) return false;
    decide();
    return true;
}

void TempoEstimator::decide() {
    const float energy_all = all_.acf[0];
    const float energy_bass = bass_.acf[0];
    float w_bass = energy_bass > silent ? config_.bass_weight : 0.0f;
    float w_all = energy_all > silent ? 1.0f - config_.bass_weight : 0.0f;
    candidates_.clear();
    if (w_bass + w_all <= 0.0f) {
        confidence_ *= confidence_fade;
        return;
    }
    // Renormalised so that a stream that is missing altogether (digital silence in the bass, say)
    // does not cap the confidence.
    const float total = w_bass + w_all;
    w_bass /= total;
    w_all /= total;
    const std::size_t lags = std::min<std::size_t>(max_lag_, static_cast<std::size_t>(hops_ - 1));
    for (std::size_t lag = 0; lag <= lags; ++lag) {
        r_[lag] = (w_all > 0 ? w_all * all_.acf[lag] / energy_all : 0.0f) +
                  (w_bass > 0 ? w_bass * bass_.acf[lag] / energy_bass : 0.0f);
    }

    // Every local maximum in the range, located to a fraction of a hop.
    const double fps = config_.frame_rate;
    const auto lo = std::max<std::ptrdiff_t>(2, static_cast<std::ptrdiff_t>(std::floor(60.0 * fps / config_.bpm_max)) - 1);
    const auto hi = std::min<std::ptrdiff_t>(static_cast<std::ptrdiff_t>(lags) - 1,
                                             static_cast<std::ptrdiff_t>(std::ceil(60.0 * fps / config_.bpm_min)) + 1);
    float strongest = 0;
    for (auto l = lo; l <= hi; ++l) {
        const auto lag = static_cast<std::size_t>(l);
        if (!(r_[lag] > r_[lag - 1] && r_[lag] >= r_[lag + 1] && r_[lag] > 0.0f)) continue;
        const Vertex v = parabola(r_[lag - 1], r_[lag], r_[lag + 1]);
        const double bpm = 60.0 * fps / (static_cast<double>(lag) + v.offset);
        if (bpm < config_.bpm_min || bpm > config_.bpm_max) continue;
        candidates_.push_back({bpm, v.height});
        strongest = std::max(strongest, v.height);
    }
    std::sort(candidates_.begin(), candidates_.end(), [](const auto& a, const auto& b) { return a.bpm > b.bpm; });
    if (strongest < config_.min_confidence) {
        confidence_ *= confidence_fade;
        return;
    }

    auto picked = std::find_if(candidates_.begin(), candidates_.end(),
                               [&](const TempoCandidate& c) { return c.strength >= config_.pick_ratio * strongest; });
    assert(picked != candidates_.end());
    // The kick decides between a period and its double: if the bass repeats clearly at twice the
    // picked period but hardly at the period itself, the picked one is the off-beat level (a hat
    // as loud as the kick in the whole envelope) and the beat is the slower one.
    bool bass_veto = false;
    if (w_bass > 0) {
        auto bass_at = [&](double bpm) {
            const auto lag = static_cast<std::size_t>(std::lround(60.0 * fps / bpm));
            float best = -1.0f;
            for (std::size_t l = lag - 1; l <= std::min(lag + 1, lags); ++l) best = std::max(best, bass_.acf[l] / energy_bass);
            return best;
        };
        for (;;) {
            const double slower = picked->bpm / 2.0;
            const auto half = std::find_if(picked + 1, candidates_.end(), [&](const TempoCandidate& c) {
                return std::abs(c.bpm - slower) <= same_tempo * slower;
            });
            if (half == candidates_.end()) break;
            const float bass_slow = bass_at(half->bpm);
            if (!(bass_slow >= bass_pulse && bass_at(picked->bpm) < 0.5f * bass_slow)) break;
            picked = half;
            bass_veto = true;
        }
    }
    const double picked_bpm = 60.0 * fps / refine(60.0 * fps / picked->bpm, picked->strength);

    auto adopt = [&](double bpm, float strength) {
        bpm_ = bpm;
        confidence_ = std::clamp(strength, 0.0f, 1.0f);
        pending_count_ = 0;
    };
    if (bpm_ == 0.0 || std::abs(picked_bpm - bpm_) <= same_tempo * bpm_) {
        adopt(picked_bpm, picked->strength);
        return;
    }

    // A different tempo won. Where does the current one stand?
    const auto current = std::min_element(candidates_.begin(), candidates_.end(), [&](const auto& a, const auto& b) {
        return std::abs(a.bpm - bpm_) < std::abs(b.bpm - bpm_);
    });
    const bool current_present = current != candidates_.end() && std::abs(current->bpm - bpm_) <= same_tempo * bpm_;
    const float current_strength = current_present ? current->strength : 0.0f;
    const bool rival_slower = picked_bpm < bpm_;
    if (rival_slower && !bass_veto && current_strength >= config_.keep_ratio * strongest) {
        // Inside the hysteresis band: the current tempo is a little under the pick ratio, not gone.
        // (Unless the bass said the current one is not the beat: that is not a near tie.)
        adopt(60.0 * fps / refine(60.0 * fps / current->bpm, current->strength), current->strength);
        return;
    }
    if (pending_count_ > 0 && std::abs(picked_bpm - pending_bpm_) <= same_tempo * pending_bpm_) {
        ++pending_count_;
    } else {
        pending_bpm_ = picked_bpm;
        pending_count_ = 1;
    }
    if (pending_count_ >= config_.switch_after) {
        adopt(picked_bpm, picked->strength);
        return;
    }
    // Not yet: keep the current tempo, refined if it still shows, and its own strength.
    if (current_present) bpm_ = 60.0 * fps / refine(60.0 * fps / current->bpm, current->strength);
    confidence_ = std::clamp(current_strength, 0.0f, 1.0f);
}

double TempoEstimator::refine(double lag, float strength) const {
    const std::size_t lags = std::min<std::size_t>(max_lag_, static_cast<std::size_t>(hops_ - 1));
    double weighted = lag;   // Σ m·lag_m, starting with m = 1
    double norm = 1.0;       // Σ m²
    double period = lag;
    for (int m = 2; m <= max_multiple; ++m) {
        const double expected = m * period;
        const auto centre = static_cast<std::ptrdiff_t>(std::lround(expected));
        if (centre + 3 > static_cast<std::ptrdiff_t>(lags)) break;
        // The peak near m·period: the search is ±2 hops, far less than the half period (≥ 12 hops at
        // 200 BPM) to the next peak of a kick/hat pattern.
        std::ptrdiff_t best = centre;
        for (std::ptrdiff_t t = centre - 2; t <= centre + 2; ++t) {
            if (r_[static_cast<std::size_t>(t)] > r_[static_cast<std::size_t>(best)]) best = t;
        }
        const auto b = static_cast<std::size_t>(best);
        if (r_[b] < r_[b - 1] || r_[b] < r_[b + 1] || r_[b] < harmonic_presence * strength) break;
        const Vertex v = parabola(r_[b - 1], r_[b], r_[b + 1]);
        weighted += m * (static_cast<double>(best) + v.offset);
        norm += static_cast<double>(m) * m;
        period = weighted / norm;
    }
    return period;
}

}  // namespace vj::audio
