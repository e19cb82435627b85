// The analyzer's level and band readings: RMS and peak in dBFS and 0–1, the four bands' dB and
// levels, at 44.1 and 48 kHz.
// Part of vj-audio's tests: GPL-3.0-or-later, because they link aubio (GPL-3+).
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <stdexcept>
#include <vector>

#include "audio-analyzer/analyzer.hpp"
#include "audio-analyzer/generator.hpp"

namespace vj::audio {
namespace {

constexpr std::size_t bass = 0, mid = 1, midhigh = 2, high = 3;

class Levels : public ::testing::TestWithParam<double> {
protected:
    double rate() const { return GetParam(); }

    /// The frames of `seconds` of `signal`.
    std::vector<Frame> frames_of(const Signal& signal, double seconds) const {
        AnalyzerConfig config;
        config.sample_rate = rate();
        Analyzer analyzer(config);
        Generator generator(signal, rate(), 1);
        std::vector<float> hop(config.hop);
        std::vector<Frame> out;
        for (double t = 0; t < seconds; t += static_cast<double>(config.hop) / rate()) {
            generator.next(hop);
            out.push_back(analyzer.process(hop));
        }
        return out;
    }
};

TEST_P(Levels, OneKilohertzSineAtMinusSixPeakReadsMinusNinePointOhThreeRms) {
    const auto frames = frames_of(Sine{1000.0, -6.0}, 1.0);
    for (const Frame& f : frames) {
        // 20·log10(0.5/√2) = -9.03: a hop is not a whole number of cycles, hence the tolerance.
        ASSERT_NEAR(f.rms_db, -9.03, 0.2);
        ASSERT_NEAR(f.rms, 0.5 / std::sqrt(2.0), 0.01);
        ASSERT_NEAR(f.peak_db, -6.0, 0.1);
        ASSERT_NEAR(f.peak, 0.5, 0.01);
    }
}

TEST_P(Levels, SilenceReadsBelowMinusNinety) {
    for (const Frame& f : frames_of(Silence{}, 1.0)) {
        ASSERT_LT(f.rms_db, -90.0f);
        ASSERT_LT(f.peak_db, -90.0f);
        ASSERT_TRUE(std::isfinite(f.rms_db));
        ASSERT_EQ(f.rms, 0.0f);
        for (const BandLevel& b : f.bands) {
            ASSERT_LT(b.db, -90.0f);
            ASSERT_EQ(b.level, 0.0f);
        }
        ASSERT_FALSE(f.onset);
    }
}

TEST_P(Levels, SixtyHertzPutsBassTwentyDecibelsOverHigh) {
    const Frame f = frames_of(Sine{60.0, -6.0}, 1.0).back();
    EXPECT_GE(f.bands[bass].db, f.bands[high].db + 20.0f);
    EXPECT_GE(f.bands[bass].db, f.bands[mid].db + 20.0f);
    EXPECT_NEAR(f.bands[bass].db, -9.03, 1.0);   // nearly all of it (a little leaks to DC)
}

TEST_P(Levels, EachBandHearsItsOwnSine) {
    // A band's dB is its share of the mean square: a sine inside it reads about its RMS.
    struct Case {
        double hz;
        std::size_t band;
    };
    for (const Case c : {Case{1000.0, mid}, Case{4000.0, midhigh}, Case{10000.0, high}}) {
        const Frame f = frames_of(Sine{c.hz, -6.0}, 0.5).back();
        EXPECT_NEAR(f.bands[c.band].db, -9.03, 0.3) << c.hz << " Hz";
        for (std::size_t b = 0; b < band_count; ++b) {
            if (b != c.band) {
                EXPECT_LT(f.bands[b].db, f.bands[c.band].db - 30.0f) << c.hz << " Hz, band " << band_names[b];
            }
        }
    }
}

TEST_P(Levels, BandLevelMapsSixtyDecibelsOntoZeroToOne) {
    // Default mapping: -60 dB → 0, 0 dB → 1, linear in dB; a steady sine settles on its value.
    const Frame f = frames_of(Sine{1000.0, -6.0}, 1.0).back();
    EXPECT_NEAR(f.bands[mid].level, (f.bands[mid].db + 60.0f) / 60.0f, 0.01f);
    EXPECT_NEAR(f.bands[mid].level, (60.0 - 9.03) / 60.0, 0.01);
}

INSTANTIATE_TEST_SUITE_P(Rates, Levels, ::testing::Values(44100.0, 48000.0),
                         [](const auto& info) { return std::to_string(static_cast<int>(info.param)) + "Hz"; });

TEST(BandLevel, RisesAtOnceAndFallsWithTheReleaseTime) {
    AnalyzerConfig config;
    config.level_release_s = 0.1;
    Analyzer analyzer(config);
    Generator loud(Sine{100.0, -6.0}, config.sample_rate);
    std::vector<float> hop(config.hop);
    Frame f;
    for (int i = 0; i < 20; ++i) {
        loud.next(hop);
        f = analyzer.process(hop);
    }
    const float held = f.bands[bass].level;
    EXPECT_GT(held, 0.8f);

    // Silence: once the window holds no more of the tone, the level falls by e^(-hop/0.1 s) per
    // hop; it does not drop to 0.
    std::fill(hop.begin(), hop.end(), 0.0f);
    analyzer.process(hop);                              // the window still holds half of the tone
    const float first = analyzer.process(hop).bands[bass].level;   // window silent from here
    const float second = analyzer.process(hop).bands[bass].level;
    const double hop_s = static_cast<double>(config.hop) / config.sample_rate;
    EXPECT_GT(first, 0.5f);
    EXPECT_NEAR(second / first, std::exp(-hop_s / 0.1), 1e-4);
    for (int i = 0; i < 40; ++i) f = analyzer.process(hop);   // 0.46 s more
    EXPECT_LT(f.bands[bass].level, 0.02f);
}

TEST(Analyzer, ReadsNonFiniteSamplesAsZero) {
    AnalyzerConfig config;
    Analyzer analyzer(config);
    std::vector<float> hop(config.hop, std::numeric_limits<float>::quiet_NaN());
    hop[1] = std::numeric_limits<float>::infinity();
    hop[2] = -std::numeric_limits<float>::infinity();
    for (int i = 0; i < 300; ++i) {
        const Frame& f = analyzer.process(hop);
        ASSERT_LT(f.rms_db, -90.0f);
        ASSERT_TRUE(std::isfinite(f.peak_db));
    }
}

TEST(Analyzer, ShowsOversInDecibelsButClampsTheUnitValues) {
    AnalyzerConfig config;
    Analyzer analyzer(config);
    std::vector<float> hop(config.hop, 2.0f);
    const Frame& f = analyzer.process(hop);
    EXPECT_NEAR(f.peak_db, 6.02, 0.01);
    EXPECT_NEAR(f.rms_db, 6.02, 0.01);
    EXPECT_EQ(f.peak, 1.0f);
    EXPECT_EQ(f.rms, 1.0f);
}

TEST(Analyzer, CountsHopsAndTime) {
    AnalyzerConfig config;
    config.sample_rate = 48000.0;
    Analyzer analyzer(config);
    std::vector<float> hop(config.hop, 0.0f);
    analyzer.process(hop);
    const Frame& f = analyzer.process(hop);
    EXPECT_EQ(f.hop_index, 1u);
    EXPECT_DOUBLE_EQ(f.time, 1024.0 / 48000.0);
    EXPECT_EQ(analyzer.position(), 1024);
}

TEST(Analyzer, RejectsAHopOfTheWrongSize) {
    AnalyzerConfig config;
    Analyzer analyzer(config);
    std::vector<float> hop(config.hop - 1);
    EXPECT_THROW(analyzer.process(hop), std::invalid_argument);
}

TEST(Analyzer, RejectsAnInvalidConfigWithEveryMessage) {
    AnalyzerConfig config;
    config.sample_rate = 1000.0;
    config.bpm_max = 70.0;
    try {
        Analyzer analyzer(config);
        FAIL() << "no exception";
    } catch (const std::invalid_argument& e) {
        const std::string what = e.what();
        EXPECT_NE(what.find("sample_rate"), std::string::npos) << what;
        EXPECT_NE(what.find("bpm_min/bpm_max"), std::string::npos) << what;
    }
}

}  // namespace
}  // namespace vj::audio
