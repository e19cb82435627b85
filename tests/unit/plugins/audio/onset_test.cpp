// The analyzer's onsets on generated loops: every click (kick and hat) found within ±40 ms,
// recall ≥ 95 %, extras ≤ 5 %, timing unbiased; none on steady tones, silence or noise.
// Part of vj-audio's tests: GPL-3.0-or-later, because they link aubio (GPL-3+).
//
// "The clicks" are every kick and every hat: a visual that flashes on onsets should flash on
// both, and the hats are the harder half (quieter, and only in the top band).
#include <gtest/gtest.h>

#include <cmath>
#include <numeric>
#include <string>
#include <tuple>

#include "loop_run.hpp"

namespace vj::audio::test {
namespace {

using LoopParam = std::tuple<double, double>;   // BPM, sample rate

class LoopOnsets : public ::testing::TestWithParam<LoopParam> {
protected:
    const LoopRun& run() const { return loop_run(std::get<0>(GetParam()), std::get<1>(GetParam())); }
};

TEST_P(LoopOnsets, FindNinetyFivePercentOfTheClicksWithinFortyMilliseconds) {
    const auto clicks = click_times(run());
    const Matching m = match(clicks, run().onsets, 0.040);
    const double recall = static_cast<double>(m.matched) / static_cast<double>(clicks.size());
    const double extra = static_cast<double>(m.extra) / static_cast<double>(clicks.size());
    EXPECT_GE(recall, 0.95) << m.matched << " of " << clicks.size() << " clicks";
    EXPECT_LE(extra, 0.05) << m.extra << " onsets match no click";
}

TEST_P(LoopOnsets, FindEveryKickAndNinetyPercentOfTheHatsOnTheirOwn) {
    const auto kicks = click_times(run(), Click::Kind::kick);
    const auto hats = click_times(run(), Click::Kind::hat);
    EXPECT_EQ(match(kicks, run().onsets, 0.040).matched, kicks.size());
    EXPECT_GE(static_cast<double>(match(hats, run().onsets, 0.040).matched), 0.9 * static_cast<double>(hats.size()));
}

TEST_P(LoopOnsets, AreOnTimeOnceTheDetectorsDelayIsTakenOff) {
    // The reported time is the click's, not the moment of detection: mean error within ±5 ms and
    // no single onset off by more than 15 ms (the tolerance above is 40).
    const Matching m = match(click_times(run()), run().onsets, 0.040);
    ASSERT_FALSE(m.errors.empty());
    const double mean = std::accumulate(m.errors.begin(), m.errors.end(), 0.0) / static_cast<double>(m.errors.size());
    EXPECT_NEAR(mean, 0.0, 0.005);
    for (double e : m.errors) EXPECT_LT(std::abs(e), 0.015);
}

std::string loop_name(const ::testing::TestParamInfo<LoopParam>& info) {
    return std::to_string(static_cast<int>(std::get<0>(info.param))) + "bpm_" +
           std::to_string(static_cast<int>(std::get<1>(info.param))) + "Hz";
}

INSTANTIATE_TEST_SUITE_P(Loops, LoopOnsets,
                         ::testing::Combine(::testing::Values(80.0, 90.0, 100.0, 120.0, 128.0, 140.0, 160.0, 174.0, 180.0),
                                            ::testing::Values(44100.0, 48000.0)),
                         loop_name);

/// Onsets in `seconds` of `signal`.
int count_onsets(const Signal& signal, double rate, double seconds) {
    AnalyzerConfig config;
    config.sample_rate = rate;
    Analyzer analyzer(config);
    Generator generator(signal, rate, 5);
    std::vector<float> hop(config.hop);
    int onsets = 0;
    for (double t = 0; t < seconds; t += static_cast<double>(config.hop) / rate) {
        generator.next(hop);
        onsets += analyzer.process(hop).onset ? 1 : 0;
    }
    return onsets;
}

TEST(OnsetsWithoutHits, NoneOnSteadyTonesOrSilence) {
    // A low sine's magnitude wobbles from hop to hop (its window holds about one cycle): that
    // wobble must not read as onsets.
    // (The wobble made onsets only once the quiet bands' running means had decayed, after ~7 s:
    // hence 10 s for the low tones.)
    for (double rate : {44100.0, 48000.0}) {
        for (double hz : {30.0, 60.0}) EXPECT_EQ(count_onsets(Sine{hz, -6.0}, rate, 10.0), 0) << hz << " Hz at " << rate;
        for (double hz : {440.0, 12000.0}) EXPECT_EQ(count_onsets(Sine{hz, -6.0}, rate, 3.0), 0) << hz << " Hz at " << rate;
        EXPECT_EQ(count_onsets(Silence{}, rate, 3.0), 0);
    }
}

TEST(OnsetsWithoutHits, AlmostNoneOnSteadyNoise) {
    for (double rate : {44100.0, 48000.0}) {
        EXPECT_LE(count_onsets(Noise{NoiseColour::pink, -20.0}, rate, 10.0), 2) << rate;
        EXPECT_LE(count_onsets(Noise{NoiseColour::white, -20.0}, rate, 10.0), 2) << rate;
    }
}

TEST(OnsetsAtTheStart, TheStreamStartingIsNotAnOnset) {
    // Whatever plays when the analysis starts rises from the silence assumed before it.
    EXPECT_EQ(count_onsets(Noise{NoiseColour::pink, -10.0}, 44100.0, 0.2), 0);
}

TEST(OnsetDelay, EveryOnsetIsReportedTheAdvertisedDelayAfterItsTime) {
    // What the program may tell its users about latency: frame time − onset time is constant.
    AnalyzerConfig config;
    Analyzer analyzer(config);
    Generator generator(ClickTrack{}, config.sample_rate, 1);
    std::vector<float> hop(config.hop);
    int onsets = 0;
    for (int h = 0; h < 400; ++h) {
        generator.next(hop);
        const Frame& f = analyzer.process(hop);
        if (!f.onset) continue;
        ++onsets;
        EXPECT_NEAR(f.time - f.onset_time, analyzer.onset_delay_s(), 1e-9);
    }
    EXPECT_GT(onsets, 10);
    EXPECT_NEAR(analyzer.onset_delay_s(), 1024.0 / 44100.0, 1e-9);   // a window: 23 ms
}

}  // namespace
}  // namespace vj::audio::test
