// Counter-based random numbers: a value is a pure function of (seed, stream, index). Pure.
// Part of vj-audio: GPL-3.0-or-later, because the plugin links aubio (GPL-3+).
#pragma once

#include <cstdint>

namespace vj::audio {

/// A 64-bit mixing function (the splitmix64 finaliser): every input bit affects every output bit.
/// Counter-based, so a generator can jump to any sample and chunking can never change the output.
inline std::uint64_t mix64(std::uint64_t x) {
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

/// Uniform in [-1, 1) for sample `index` of random stream `stream` under `seed`.
inline float uniform_noise(std::uint64_t seed, std::uint64_t stream, std::uint64_t index) {
    const std::uint64_t h = mix64(mix64(seed ^ (stream * 0xd1b54a32d192ed03ULL)) + index);
    // The top 24 bits fill a float's mantissa exactly: no rounding up to 1.0.
    return static_cast<float>(h >> 40) * (2.0f / 16777216.0f) - 1.0f;
}

}  // namespace vj::audio
