// vj-audio's OSC traffic for given frames: exact bundles and events, the stream-time rate, the bpm
// rules, and per-target remapping.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "audio-analyzer/program/osc_output.hpp"
#include "sdk/osc.hpp"

namespace vj::audio::program {
namespace {

namespace osc = sdk::osc;

constexpr double hop_s = 512.0 / 44100.0;

struct Sent {
    std::size_t target;
    osc::Packet packet;
};

class ProgramOscOutput : public ::testing::Test {
protected:
    OscOutput make(std::vector<Addresses> targets, double rate = 60.0) {
        return OscOutput(OscOutputConfig{rate, std::move(targets)}, [this](std::size_t t, std::span<const std::byte> bytes) {
            auto p = osc::decode(bytes);
            ASSERT_TRUE(p) << p.error().message();
            sent.push_back({t, *p});
        });
    }
    /// A frame at hop n (its end is at (n+1)·hop_s) with levels but no events.
    static Frame frame(std::uint64_t n, float rms = 0.25f) {
        Frame f;
        f.hop_index = n;
        f.time = static_cast<double>(n + 1) * hop_s;
        f.rms = rms;
        f.bands = {BandLevel{-10, 0.8f}, BandLevel{-20, 0.6f}, BandLevel{-30, 0.4f}, BandLevel{-40, 0.2f}};
        return f;
    }
    std::vector<const osc::Bundle*> bundles(std::size_t target = 0) const {
        std::vector<const osc::Bundle*> out;
        for (const Sent& s : sent)
            if (s.target == target)
                if (const auto* b = std::get_if<osc::Bundle>(&s.packet)) out.push_back(b);
        return out;
    }
    std::vector<osc::Message> messages(std::size_t target = 0) const {
        std::vector<osc::Message> out;
        for (const Sent& s : sent)
            if (s.target == target)
                if (const auto* m = std::get_if<osc::Message>(&s.packet)) out.push_back(*m);
        return out;
    }

    std::vector<Sent> sent;
    const Addresses defaults = default_addresses("/vj/audio");
};

osc::Message msg(std::string address, std::vector<osc::Value> args) { return osc::Message{std::move(address), std::move(args)}; }

TEST_F(ProgramOscOutput, FirstFrameSendsTheWholeBundle) {
    OscOutput out = make({defaults});
    out.push(frame(0));
    ASSERT_EQ(sent.size(), 1u);
    const auto* b = std::get_if<osc::Bundle>(&sent[0].packet);
    ASSERT_NE(b, nullptr);
    EXPECT_TRUE(b->time.is_immediate());
    const std::vector<osc::Packet> expected{
        msg("/vj/audio/level", {0.25f}),
        msg("/vj/audio/bass", {0.8f}),
        msg("/vj/audio/mid", {0.6f}),
        msg("/vj/audio/midhigh", {0.4f}),
        msg("/vj/audio/high", {0.2f}),
        msg("/vj/audio/bands", {0.8f, 0.6f, 0.4f, 0.2f}),
    };
    EXPECT_EQ(b->elements, expected);
    EXPECT_EQ(out.bundles(), 1u);
}

TEST_F(ProgramOscOutput, BundlesFollowTheRateInStreamTime) {
    OscOutput out = make({defaults});
    std::uint64_t n = 0;
    for (; static_cast<double>(n + 1) * hop_s <= 10.0; ++n) out.push(frame(n));
    const double last = static_cast<double>(n) * hop_s;
    // Bundle k is due at k/60 s; each 1/60 s cell holds at least one hop at 86 hops/s.
    EXPECT_EQ(bundles().size(), static_cast<std::size_t>(std::floor(last * 60.0)) + 1);
    EXPECT_EQ(out.bundles(), bundles().size());

    // Above the hop rate: one bundle per hop, never a backlog.
    sent.clear();
    OscOutput fast = make({defaults}, 200.0);
    for (std::uint64_t k = 0; k < 100; ++k) fast.push(frame(k));
    EXPECT_EQ(bundles().size(), 100u);
}

TEST_F(ProgramOscOutput, LevelIsTheLoudestHopSinceTheLastBundle) {
    OscOutput out = make({defaults}, 10.0);   // a bundle every 0.1 s: ~8.6 hops
    out.push(frame(0, 0.1f));                  // bundle 0
    out.push(frame(1, 0.9f));
    for (std::uint64_t n = 2; n < 9; ++n) out.push(frame(n, 0.2f));   // bundle 1 at hop 8 (t = 0.104)
    const auto b = bundles();
    ASSERT_EQ(b.size(), 2u);
    EXPECT_EQ(std::get<osc::Message>(b[0]->elements[0]).args[0], osc::Value(0.1f));
    EXPECT_EQ(std::get<osc::Message>(b[1]->elements[0]).args[0], osc::Value(0.9f));
}

TEST_F(ProgramOscOutput, EventsGoFirstAsMessagesOfTheirOwn) {
    OscOutput out = make({defaults});
    Frame f = frame(0);
    f.onset = true;
    f.onset_strength = 12.5f;
    f.beat = true;
    f.beat_count = 7;
    f.bpm = 121.5f;
    f.bpm_confidence = 0.75f;
    out.push(f);
    ASSERT_EQ(sent.size(), 4u);
    EXPECT_EQ(std::get<osc::Message>(sent[0].packet), msg("/vj/audio/onset", {12.5f}));
    EXPECT_EQ(std::get<osc::Message>(sent[1].packet), msg("/vj/audio/beat", {std::int32_t{7}}));
    EXPECT_EQ(std::get<osc::Message>(sent[2].packet), msg("/vj/audio/bpm", {121.5f, 0.75f}));
    EXPECT_TRUE(std::holds_alternative<osc::Bundle>(sent[3].packet));
    EXPECT_EQ(out.events(), 3u);
}

TEST_F(ProgramOscOutput, BpmOnChangesAndOnceASecond) {
    OscOutput out = make({defaults});
    std::uint64_t n = 0;
    auto push = [&](float bpm, float confidence) {
        Frame f = frame(n++);
        f.bpm = bpm;
        f.bpm_confidence = confidence;
        out.push(f);
        return f.time;
    };
    auto bpm_messages = [&] {
        std::vector<osc::Message> out;
        for (const auto& m : messages())
            if (m.address == "/vj/audio/bpm") out.push_back(m);
        return out;
    };
    push(0, 0);   // unknown: nothing
    EXPECT_TRUE(bpm_messages().empty());
    push(120.0f, 0.5f);
    push(120.05f, 0.52f);   // too small a change
    EXPECT_EQ(bpm_messages().size(), 1u);
    push(120.15f, 0.5f);    // ≥ 0.1 BPM
    EXPECT_EQ(bpm_messages().size(), 2u);
    push(120.15f, 0.56f);   // confidence ≥ 0.05
    EXPECT_EQ(bpm_messages().size(), 3u);
    const double last_sent = static_cast<double>(n) * hop_s;
    while (static_cast<double>(n + 1) * hop_s < last_sent + 1.0) push(120.15f, 0.56f);
    EXPECT_EQ(bpm_messages().size(), 3u);
    push(120.15f, 0.56f);   // a second of stream time since the last one
    EXPECT_EQ(bpm_messages().size(), 4u);
    EXPECT_EQ(bpm_messages().back(), msg("/vj/audio/bpm", {120.15f, 0.56f}));
}

TEST_F(ProgramOscOutput, MappedTargetsGetTheirOwnAddressesAndDrops) {
    Addresses resolume{};   // only bass, to a layer's opacity
    resolume[static_cast<std::size_t>(Output::bass)] = "/composition/layers/1/video/opacity";
    Addresses touch = defaults;   // everything but the events, under another prefix
    for (std::size_t i = 0; i < output_count; ++i) touch[i] = "/td/" + std::string(output_names[i]);
    touch[static_cast<std::size_t>(Output::onset)].reset();
    touch[static_cast<std::size_t>(Output::beat)].reset();
    OscOutput out = make({defaults, resolume, touch, defaults});
    Frame f = frame(0);
    f.onset = true;
    f.onset_strength = 3;
    f.beat = true;
    f.beat_count = 1;
    out.push(f);

    ASSERT_EQ(bundles(1).size(), 1u);
    EXPECT_EQ(bundles(1)[0]->elements, (std::vector<osc::Packet>{msg("/composition/layers/1/video/opacity", {0.8f})}));
    EXPECT_TRUE(messages(1).empty());

    ASSERT_EQ(bundles(2).size(), 1u);
    EXPECT_EQ(std::get<osc::Message>(bundles(2)[0]->elements[5]).address, "/td/bands");
    EXPECT_TRUE(messages(2).empty());

    // Targets 0 and 3 want the same addresses: the same packets, in the same order.
    std::vector<osc::Packet> first, last;
    for (const Sent& s : sent) {
        if (s.target == 0) first.push_back(s.packet);
        if (s.target == 3) last.push_back(s.packet);
    }
    EXPECT_EQ(first.size(), 3u);   // onset, beat, bundle
    EXPECT_EQ(first, last);
}

TEST_F(ProgramOscOutput, ATargetWithEveryContinuousOutputDroppedGetsNoBundle) {
    Addresses beats_only{};
    beats_only[static_cast<std::size_t>(Output::beat)] = "/beat";
    OscOutput out = make({beats_only});
    Frame f = frame(0);
    out.push(f);
    EXPECT_TRUE(sent.empty());
    f = frame(1);
    f.beat = true;
    f.beat_count = 2;
    out.push(f);
    ASSERT_EQ(sent.size(), 1u);
    EXPECT_EQ(std::get<osc::Message>(sent[0].packet), msg("/beat", {std::int32_t{2}}));
}

}  // namespace
}  // namespace vj::audio::program
