// Interleaved-to-mono downmix.
// Part of vj-audio: GPL-3.0-or-later, because the plugin links aubio (GPL-3+).
#include "audio-analyzer/downmix.hpp"

#include <algorithm>
#include <cassert>

namespace vj::audio {

void downmix(std::span<const float> interleaved, std::size_t channels, std::span<float> mono) {
    assert(channels >= 1 && interleaved.size() == mono.size() * channels);
    if (channels == 1) {
        std::copy(interleaved.begin(), interleaved.end(), mono.begin());
        return;
    }
    const float scale = 1.0f / static_cast<float>(channels);
    for (std::size_t i = 0; i < mono.size(); ++i) {
        float sum = 0;
        for (std::size_t c = 0; c < channels; ++c) sum += interleaved[i * channels + c];
        mono[i] = sum * scale;
    }
}

}  // namespace vj::audio
