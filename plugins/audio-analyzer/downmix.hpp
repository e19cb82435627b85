// Mixes interleaved multi-channel frames down to mono, and cuts a stream of any block sizes into
// the analyzer's hops. Pure.
// Part of vj-audio: GPL-3.0-or-later, because the plugin links aubio (GPL-3+).
#pragma once

#include <algorithm>
#include <cstddef>
#include <span>
#include <vector>

namespace vj::audio {

/// mono[i] = mean of the `channels` samples of frame i of `interleaved`. The mean (not the sum)
/// keeps a signal present on every channel at its level. Preconditions: channels ≥ 1,
/// interleaved.size() = mono.size() · channels.
void downmix(std::span<const float> interleaved, std::size_t channels, std::span<float> mono);

/// Collects mono samples from blocks of any size and hands out whole hops, in order, so the
/// program can read its input however the source delivers it.
class HopAssembler {
public:
    /// Precondition: hop > 0.
    explicit HopAssembler(std::size_t hop) : hop_(hop) { pending_.reserve(hop); }

    /// Calls `on_hop(std::span<const float>)` once per completed hop; keeps the remainder.
    template <typename OnHop>
    void push(std::span<const float> mono, OnHop&& on_hop) {
        while (!mono.empty()) {
            if (pending_.empty() && mono.size() >= hop_) {   // whole hops straight from the input
                on_hop(mono.first(hop_));
                mono = mono.subspan(hop_);
                continue;
            }
            const std::size_t take = std::min(hop_ - pending_.size(), mono.size());
            pending_.insert(pending_.end(), mono.begin(), mono.begin() + static_cast<std::ptrdiff_t>(take));
            mono = mono.subspan(take);
            if (pending_.size() == hop_) {
                on_hop(std::span<const float>(pending_));
                pending_.clear();
            }
        }
    }

    /// Samples waiting for the rest of their hop.
    std::size_t pending() const { return pending_.size(); }

private:
    std::size_t hop_;
    std::vector<float> pending_;
};

}  // namespace vj::audio
