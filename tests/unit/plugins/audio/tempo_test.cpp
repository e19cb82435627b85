// The analyzer's tempo and beats on generated loops (kick on every beat, hat on every off-beat,
// pink floor at -40 dBFS), at 44.1 and 48 kHz: the BPM within ±1 (half or double is a failure),
// steady once reported, and beats on the kicks.
// Part of vj-audio's tests: GPL-3.0-or-later, because they link aubio (GPL-3+).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <tuple>

#include "loop_run.hpp"

namespace vj::audio::test {
namespace {

using LoopParam = std::tuple<double, double>;   // BPM, sample rate

class LoopTempo : public ::testing::TestWithParam<LoopParam> {
protected:
    double bpm() const { return std::get<0>(GetParam()); }
    double rate() const { return std::get<1>(GetParam()); }
    const LoopRun& run() const { return loop_run(bpm(), rate()); }
    /// The index of the first hop that ends at or after `seconds`.
    std::size_t hop_at(double seconds) const {
        const auto& ends = run().hop_end;
        return static_cast<std::size_t>(std::lower_bound(ends.begin(), ends.end(), seconds) - ends.begin());
    }
};

TEST_P(LoopTempo, ReportsTheKickRateWithinOneBpmAfterFifteenSeconds) {
    const float reported = run().bpm_per_hop.back();
    EXPECT_NEAR(reported, bpm(), 1.0) << "after " << run().seconds << " s";
}

TEST_P(LoopTempo, IsPreciseToATenthOfTheHopQuantisation) {
    // One hop of lag is 1–4 BPM here (at 128 BPM, 44.1 kHz: 126.1 or 129.2); sub-hop refinement
    // must do much better than that.
    EXPECT_NEAR(run().bpm_per_hop.back(), bpm(), 0.3);
}

TEST_P(LoopTempo, IsReportedWithinSixSecondsAndStaysPut) {
    // Stability: from 6 s on, every hop's BPM is within ±1 (no octave flapping, no drift).
    for (std::size_t h = hop_at(6.0); h < run().bpm_per_hop.size(); ++h) {
        ASSERT_NEAR(run().bpm_per_hop[h], bpm(), 1.0) << "hop ending at " << run().hop_end[h] << " s";
    }
}

TEST_P(LoopTempo, IsConfident) {
    EXPECT_GT(run().confidence_per_hop.back(), 0.5f);
    EXPECT_LE(run().confidence_per_hop.back(), 1.0f);
}

TEST_P(LoopTempo, BeatsLandOnTheKicksAfterLockIn) {
    // Lock-in: the tempo is reported after 3 s; from 5 s on every beat must be within ±40 ms of a
    // kick and every kick must have its beat.
    const double from = 5.0;
    std::vector<double> kicks, beats;
    for (double t : click_times(run(), Click::Kind::kick)) {
        // The last kick may fall after the last analysed hop.
        if (t >= from && t < run().hop_end.back() - 0.05) kicks.push_back(t);
    }
    for (double t : run().beats) {
        if (t >= from && t < run().hop_end.back() - 0.05) beats.push_back(t);
    }
    const Matching m = match(kicks, beats, 0.040);
    EXPECT_EQ(m.matched, kicks.size()) << "kicks without a beat";
    EXPECT_EQ(m.extra, 0u) << "beats away from every kick";
    double worst = 0;
    for (double e : m.errors) worst = std::max(worst, std::abs(e));
    EXPECT_LT(worst, 0.040);
}

TEST_P(LoopTempo, TheBeatCounterCountsOneByOne) {
    ASSERT_FALSE(run().beat_counts.empty());
    EXPECT_EQ(run().beat_counts.front(), 1u);
    for (std::size_t i = 1; i < run().beat_counts.size(); ++i) {
        ASSERT_EQ(run().beat_counts[i], run().beat_counts[i - 1] + 1);
        ASSERT_GT(run().beats[i], run().beats[i - 1]);
    }
}

std::string loop_name(const ::testing::TestParamInfo<LoopParam>& info) {
    return std::to_string(static_cast<int>(std::get<0>(info.param))) + "bpm_" +
           std::to_string(static_cast<int>(std::get<1>(info.param))) + "Hz";
}

// The issue's four tempi, and more across the dance range, at both rates.
INSTANTIATE_TEST_SUITE_P(Issue, LoopTempo,
                         ::testing::Combine(::testing::Values(90.0, 120.0, 128.0, 174.0), ::testing::Values(44100.0, 48000.0)),
                         loop_name);
INSTANTIATE_TEST_SUITE_P(More, LoopTempo,
                         ::testing::Combine(::testing::Values(80.0, 100.0, 140.0, 160.0, 180.0), ::testing::Values(44100.0, 48000.0)),
                         loop_name);

// A tempo change (one loop, then another): the new tempo is taken up within ten seconds, and
// there is exactly one change of reported tempo on the way (no flapping).
TEST(TempoChange, FollowsANewTempoOnce) {
    const double rate = 44100.0;
    AnalyzerConfig config;
    Analyzer analyzer(config);
    ClickTrack first, second;
    first.bpm = 120.0;
    second.bpm = 90.0;
    Generator a(first, rate, 1), b(second, rate, 2);
    std::vector<float> hop(config.hop);
    int changes = 0;
    float last = 0;
    for (double t = 0; t < 30.0; t += static_cast<double>(config.hop) / rate) {
        (t < 15.0 ? a : b).next(hop);
        const Frame& f = analyzer.process(hop);
        if (last > 0 && std::abs(f.bpm - last) > 2.0f) ++changes;
        last = f.bpm;
        if (t > 10.0 && t < 15.0) {
            ASSERT_NEAR(f.bpm, 120.0, 1.0) << "at " << t << " s";
        }
        if (t > 25.0) {
            ASSERT_NEAR(f.bpm, 90.0, 1.0) << "at " << t << " s";
        }
    }
    EXPECT_EQ(changes, 1);
}

// No pulse: the confidence says so and no beats come out.
TEST(TempoWithoutPulse, PinkNoiseHasLowConfidenceAndNoBeats) {
    for (double rate : {44100.0, 48000.0}) {
        AnalyzerConfig config;
        config.sample_rate = rate;
        Analyzer analyzer(config);
        Generator noise(Noise{NoiseColour::pink, -20.0}, rate, 3);
        std::vector<float> hop(config.hop);
        std::uint64_t beats = 0;
        float confidence = 0;
        for (double t = 0; t < 15.0; t += static_cast<double>(config.hop) / rate) {
            noise.next(hop);
            const Frame& f = analyzer.process(hop);
            beats += f.beat ? 1 : 0;
            confidence = f.bpm_confidence;
        }
        EXPECT_LT(confidence, 0.3f) << rate;
        EXPECT_EQ(beats, 0u) << rate;
    }
}

TEST(TempoWithoutPulse, SilenceHasNoTempoAndNoBeats) {
    AnalyzerConfig config;
    Analyzer analyzer(config);
    std::vector<float> hop(config.hop, 0.0f);
    for (int i = 0; i < 1000; ++i) {
        const Frame& f = analyzer.process(hop);
        ASSERT_EQ(f.bpm, 0.0f);
        ASSERT_EQ(f.bpm_confidence, 0.0f);
        ASSERT_FALSE(f.beat);
    }
}

}  // namespace
}  // namespace vj::audio::test
