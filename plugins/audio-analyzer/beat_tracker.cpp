// Places beats from the tempo and the recent onsets.
// Part of vj-audio: GPL-3.0-or-later, because the plugin links aubio (GPL-3+).
#include "audio-analyzer/beat_tracker.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace vj::audio {

BeatTracker::BeatTracker(double sample_rate, BeatTrackerConfig config) : sample_rate_(sample_rate), config_(config) {}

void BeatTracker::add_onset(double sample, float weight) {
    onsets_.push_back({sample, weight});
    // Beyond five memories an onset's weight is under 1 %: drop it.
    const double horizon = 5.0 * config_.memory_s * sample_rate_;
    while (!onsets_.empty() && sample - onsets_.front().sample > horizon) onsets_.pop_front();
    dirty_ = true;
}

void BeatTracker::update_phase(double period, double now) {
    // The circular mean of the onsets' phases on a grid of this period: each onset is a unit
    // vector at angle 2π·t/period, weighted by its kick-ness and its recency. Kicks on the beat
    // add up; hats on the off-beat point the opposite way but weigh little; a small period error
    // shows as slow drift, which the recency weighting follows.
    double x = 0, y = 0, total = 0;
    for (const Onset& o : onsets_) {
        const double w = o.weight * std::exp(-(now - o.sample) / (config_.memory_s * sample_rate_));
        const double angle = 2.0 * std::numbers::pi * std::fmod(o.sample / period, 1.0);
        x += w * std::cos(angle);
        y += w * std::sin(angle);
        total += w;
    }
    coherence_ = total > 0 ? static_cast<float>(std::hypot(x, y) / total) : 0.0f;
    double phase = std::atan2(y, x) / (2.0 * std::numbers::pi);
    if (phase < 0) phase += 1.0;
    anchor_ = phase * period;
    anchor_period_ = period;
    dirty_ = false;
}

std::optional<double> BeatTracker::step(std::int64_t begin, std::int64_t end, double bpm, float confidence) {
    if (bpm <= 0 || confidence < config_.min_confidence || onsets_.empty()) return std::nullopt;
    const double period = 60.0 * sample_rate_ / bpm;
    const auto b = static_cast<double>(begin);
    if (dirty_ || period != anchor_period_) update_phase(period, b);
    if (coherence_ < config_.min_coherence) return std::nullopt;

    // The first grid point at or after a quarter period before this hop that is at least half a
    // period after the last beat: late by a few samples is still this beat, never a second one.
    const double from = std::max(b - 0.25 * period, last_beat_ + 0.5 * period);
    const double beat = anchor_ + std::ceil((from - anchor_) / period) * period;
    if (beat >= static_cast<double>(end)) return std::nullopt;
    last_beat_ = beat;
    ++beats_;
    return beat;
}

}  // namespace vj::audio
