// Picks onsets from the onset-strength envelope.
// Part of vj-audio: GPL-3.0-or-later, because the plugin links aubio (GPL-3+).
#include "audio-analyzer/onset_picker.hpp"

#include <algorithm>

namespace vj::audio {

std::optional<PickedOnset> OnsetPicker::push(OnsetStrength strength, float rms_db) {
    const std::int64_t now = hops_++;
    values_[static_cast<std::size_t>(now) % history] = strength;
    levels_db_[static_cast<std::size_t>(now) % history] = rms_db;

    // The first hops compare real audio with the silence assumed before the stream: whatever
    // is playing when the analysis starts would read as an onset.
    const std::int64_t c = now - lookahead;
    if (c < config_.first_hop) return std::nullopt;
    auto at = [&](std::int64_t hop) { return hop < 0 ? 0.0f : values_[static_cast<std::size_t>(hop) % history].onset; };
    const float v = at(c);

    // A local maximum: above every predecessor in the span, not below the look-ahead value.
    for (std::int64_t i = 1; i <= static_cast<std::int64_t>(max_span); ++i) {
        if (at(c - i) >= v) return std::nullopt;
    }
    for (std::int64_t i = 1; i <= lookahead; ++i) {
        if (at(c + i) > v) return std::nullopt;
    }

    // The median of the span ending at the look-ahead: robust to the peak itself and to the other
    // hits in the span, unlike a mean.
    std::array<float, median_span> span{};
    for (std::size_t i = 0; i < median_span; ++i) span[i] = at(now - static_cast<std::int64_t>(i));
    auto middle = span.begin() + median_span / 2;
    std::nth_element(span.begin(), middle, span.end());
    if (v <= config_.threshold * *middle + config_.floor) return std::nullopt;

    if (levels_db_[static_cast<std::size_t>(c) % history] < config_.silence_db &&
        levels_db_[static_cast<std::size_t>(now) % history] < config_.silence_db) {
        return std::nullopt;
    }
    if (c - last_onset_ < static_cast<std::int64_t>(config_.min_interval_hops)) return std::nullopt;
    last_onset_ = c;
    return PickedOnset{c, values_[static_cast<std::size_t>(c) % history]};
}

}  // namespace vj::audio
