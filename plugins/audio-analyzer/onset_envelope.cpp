// Band-wise log spectral flux.
// Part of vj-audio: GPL-3.0-or-later, because the plugin links aubio (GPL-3+).
#include "audio-analyzer/onset_envelope.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>

namespace vj::audio {
namespace {

constexpr double typical_time_s = 1.0;   // memory of each band's typical flux
constexpr float tiny_flux = 0.01f;   // a band quieter than this is treated as this quiet: bounds the gain

}  // namespace

OnsetEnvelope::OnsetEnvelope(const std::array<BinRange, band_count>& bins, float compression, double frame_rate,
                             std::size_t settle_hops)
    : bins_(bins),
      compression_(compression),
      typical_rate_(static_cast<float>(1.0 - std::exp(-1.0 / (typical_time_s * frame_rate)))),
      settle_hops_(settle_hops),
      now_(bins[band_count - 1].last, 0.0f),
      older_(now_.size(), 0.0f),
      old_(now_.size(), 0.0f),
      reference_(now_.size(), 0.0f) {}

OnsetStrength OnsetEnvelope::push(std::span<const float> power) {
    const std::size_t n = now_.size();
    assert(power.size() >= n);
    for (std::size_t k = 0; k < n; ++k) now_[k] = std::log1p(compression_ * std::sqrt(power[k]));
    for (std::size_t k = 0; k < n; ++k) {
        const float left = k > 0 ? older_[k - 1] : older_[k];
        const float right = k + 1 < n ? older_[k + 1] : older_[k];
        reference_[k] = std::max({left, older_[k], right});
    }

    OnsetStrength out;
    for (std::size_t b = 0; b < band_count; ++b) {
        const BinRange range = bins_[b];
        if (range.size() == 0) continue;
        float rise = 0;
        for (std::size_t k = range.first; k < range.last; ++k) rise += std::max(0.0f, now_[k] - reference_[k]);
        const float flux = rise / static_cast<float>(range.size());
        out.all += flux;
        if (b == 0) out.bass = flux;

        // Whitening: divide by the band's typical flux (its running mean), so that each band's
        // own activity reads ~1 and a hit reads many times that, however loud the band is.
        // Until the stream has settled the flux is the step from assumed silence to whatever is
        // playing: not learnt. After that the mean starts as a plain average of the hops so far
        // (weight 1/k), so its first values are not one hop's noise, and becomes an exponential
        // one once 1/k falls below the steady rate.
        float& typical = typical_[b];
        if (hops_ >= settle_hops_) {
            const auto k = static_cast<float>(hops_ - settle_hops_ + 1);
            typical += std::max(typical_rate_, 1.0f / k) * (flux - typical);
        }
        out.onset += flux / (typical + tiny_flux);
    }
    ++hops_;
    std::swap(older_, old_);   // the previous spectrum becomes two hops old…
    std::swap(old_, now_);     // …and this one the previous (now_ is overwritten next time)
    return out;
}

}  // namespace vj::audio
