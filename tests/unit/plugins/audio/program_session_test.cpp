// vj-audio's per-hop pipeline end to end without I/O: a generated click track through the real
// analyzer, into OSC packets and the status snapshot.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "audio-analyzer/generator.hpp"
#include "audio-analyzer/program/audio_session.hpp"
#include "sdk/osc.hpp"

namespace vj::audio::program {
namespace {

namespace osc = sdk::osc;
using namespace std::chrono_literals;

TEST(ProgramSession, ClickTrackGivesTempoBeatsBundlesAndStatus) {
    AnalyzerConfig config;
    std::size_t bundles = 0, beats = 0, bpm_events = 0;
    std::int32_t last_beat = 0;
    float last_bpm = 0;
    OscOutputConfig output{60.0, {default_addresses("/vj/audio")}};
    AudioSession session(config, output,
                         [&](std::size_t, std::span<const std::byte> bytes) {
                             auto p = osc::decode(bytes);
                             ASSERT_TRUE(p);
                             if (std::holds_alternative<osc::Bundle>(*p)) {
                                 ++bundles;
                                 return;
                             }
                             const auto& m = std::get<osc::Message>(*p);
                             if (m.address == "/vj/audio/beat") {
                                 ++beats;
                                 const auto count = std::get<std::int32_t>(m.args[0]);
                                 EXPECT_EQ(count, last_beat + 1);
                                 last_beat = count;
                             } else if (m.address == "/vj/audio/bpm") {
                                 ++bpm_events;
                                 last_bpm = std::get<float>(m.args[0]);
                             }
                         },
                         "test:click:120", 1);
    Generator generator(ClickTrack{}, config.sample_rate);
    std::vector<float> hop(config.hop);
    const std::size_t hops = static_cast<std::size_t>(20.0 * config.sample_rate / static_cast<double>(config.hop));
    for (std::size_t n = 0; n < hops; ++n) {
        generator.next(hop);
        // Seconds of the stream stand in for the wall clock: as in a real-time run.
        const auto second = static_cast<std::int64_t>(static_cast<double>(n * config.hop) / config.sample_rate);
        session.process(hop, second);
        session.record_hop_time(std::chrono::microseconds(50 + static_cast<int>(n % 100)));
    }
    session.add_dropped(2);

    EXPECT_NEAR(last_bpm, 120.0, 1.0);
    EXPECT_GT(bpm_events, 10u);
    EXPECT_NEAR(static_cast<double>(beats), 2.0 * 20.0, 12.0);   // 2 a second, after the warm-up
    const double stream_s = static_cast<double>(hops * config.hop) / config.sample_rate;
    EXPECT_EQ(bundles, static_cast<std::size_t>(std::floor(stream_s * 60.0)) + 1);

    const StatusSnapshot s = session.snapshot(20, 1, 42, 0, 0);
    EXPECT_EQ(s.input, "test:click:120");
    EXPECT_EQ(s.hops, hops);
    EXPECT_EQ(s.beats, beats);
    EXPECT_GT(s.onsets, 60u);                     // a kick and a hat per beat
    EXPECT_NEAR(s.bpm, 120.0, 1.0);
    EXPECT_NEAR(s.stream_time_s, stream_s, 1e-9);
    EXPECT_EQ(s.dropped_frames, 2u);
    EXPECT_NEAR(s.hop_p50_us, 99.5f, 2.0f);       // the last 1024 of 50…149 µs, about evenly
    EXPECT_NEAR(s.hop_p99_us, 148.0f, 1.0f);
    ASSERT_EQ(s.level_history_db.size(), 20u);    // seconds 0–19 complete at second 20
    for (const float db : s.level_history_db) EXPECT_NEAR(db, -9.0, 4.0);   // the kick's loudest hop
    EXPECT_GT(s.levels.rms_db, -15.0f);
    EXPECT_GT(s.levels.peak_db, -7.0f);
    EXPECT_EQ(s.osc_sent, 42u);
}

}  // namespace
}  // namespace vj::audio::program
