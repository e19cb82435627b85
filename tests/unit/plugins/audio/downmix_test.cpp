// Downmixing interleaved frames to mono, and cutting arbitrary blocks into hops.
// Part of vj-audio's tests: GPL-3.0-or-later, because they link aubio (GPL-3+).
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <vector>

#include "audio-analyzer/downmix.hpp"

namespace vj::audio {
namespace {

TEST(Downmix, AveragesTheChannelsOfEachFrame) {
    const std::vector<float> stereo{1.0f, 0.0f, 0.5f, 0.5f, -1.0f, 1.0f};
    std::vector<float> mono(3);
    downmix(stereo, 2, mono);
    EXPECT_EQ(mono, (std::vector<float>{0.5f, 0.5f, 0.0f}));
}

TEST(Downmix, MonoIsCopied) {
    const std::vector<float> in{0.25f, -0.5f};
    std::vector<float> out(2);
    downmix(in, 1, out);
    EXPECT_EQ(out, in);
}

RC_GTEST_PROP(DownmixProperty, TheSameSignalOnEveryChannelComesOutUnchanged, ()) {
    const auto channels = *rc::gen::inRange<std::size_t>(1, 9);
    const auto signal = *rc::gen::container<std::vector<float>>(rc::gen::map(rc::gen::inRange(-1000, 1001), [](int v) {
        return static_cast<float>(v) / 1000.0f;
    }));
    std::vector<float> interleaved;
    for (float v : signal) interleaved.insert(interleaved.end(), channels, v);
    std::vector<float> mono(signal.size());
    downmix(interleaved, channels, mono);
    for (std::size_t i = 0; i < signal.size(); ++i) RC_ASSERT(std::abs(mono[i] - signal[i]) <= 1e-6f);
}

RC_GTEST_PROP(HopAssemblerProperty, HandsOutTheSameHopsHoweverTheInputIsCut, ()) {
    const auto hop = *rc::gen::inRange<std::size_t>(1, 600);
    const auto blocks = *rc::gen::container<std::vector<std::size_t>>(rc::gen::inRange<std::size_t>(0, 700));
    HopAssembler assembler(hop);
    std::vector<float> seen;
    std::size_t hops = 0;
    float next = 0;
    for (std::size_t size : blocks) {
        std::vector<float> block(size);
        for (float& v : block) v = next++;
        assembler.push(block, [&](std::span<const float> h) {
            RC_ASSERT(h.size() == hop);
            seen.insert(seen.end(), h.begin(), h.end());
            ++hops;
        });
    }
    const auto total = static_cast<std::size_t>(next);
    RC_ASSERT(hops == total / hop);
    RC_ASSERT(assembler.pending() == total % hop);
    for (std::size_t i = 0; i < seen.size(); ++i) RC_ASSERT(seen[i] == static_cast<float>(i));
}

}  // namespace
}  // namespace vj::audio
