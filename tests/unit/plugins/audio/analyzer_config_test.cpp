// Validation of AnalyzerConfig: the defaults are valid, every bad field is named, all at once.
// Part of vj-audio's tests: GPL-3.0-or-later, because they link aubio (GPL-3+).
#include <gtest/gtest.h>

#include <functional>
#include <limits>
#include <string>

#include "audio-analyzer/analyzer_config.hpp"

namespace vj::audio {
namespace {

bool mentions(const std::vector<std::string>& errors, const std::string& what) {
    for (const auto& e : errors) {
        if (e.rfind(what, 0) == 0) return true;
    }
    return false;
}

TEST(AnalyzerConfig, DefaultsAreValidAtCommonRates) {
    for (double rate : {22050.0, 44100.0, 48000.0, 96000.0}) {
        AnalyzerConfig c;
        c.sample_rate = rate;
        EXPECT_TRUE(validate(c).empty()) << rate << ": " << (validate(c).empty() ? "" : validate(c).front());
    }
}

TEST(AnalyzerConfig, NamesEachBadField) {
    struct Case {
        std::function<void(AnalyzerConfig&)> spoil;
        std::string field;
    };
    const double nan = std::numeric_limits<double>::quiet_NaN();
    const std::vector<Case> cases{
        {[](auto& c) { c.sample_rate = 4000; }, "sample_rate: "},
        {[&](auto& c) { c.sample_rate = nan; }, "sample_rate: "},
        {[](auto& c) { c.hop = 32; }, "hop: "},
        {[](auto& c) { c.hop = 4096; c.window = 4096; }, "hop: "},   // 10.8 hops/s
        {[](auto& c) { c.window = 1000; }, "window: "},
        {[](auto& c) { c.window = 256; }, "window: "},                // shorter than the hop
        {[](auto& c) { c.band_edges = {20, 250, 250, 6000, 20000}; }, "band_edges: "},
        {[](auto& c) { c.band_edges = {0, 250, 2000, 6000, 20000}; }, "band_edges: "},
        {[](auto& c) { c.band_edges = {20, 30, 2000, 6000, 20000}; }, "band_edges: "},   // no bin in bass
        {[](auto& c) { c.level_floor_db = 0; }, "level_floor_db/level_ceiling_db: "},
        {[](auto& c) { c.level_release_s = -1; }, "level_release_s: "},
        {[](auto& c) { c.onset_threshold = 0.5f; }, "onset_threshold: "},
        {[](auto& c) { c.onset_min_interval_s = -0.1; }, "onset_min_interval_s: "},
        {[](auto& c) { c.onset_silence_db = 3; }, "onset_silence_db: "},
        {[](auto& c) { c.onset_compression = 0; }, "onset_compression: "},
        {[](auto& c) { c.bpm_min = 100; c.bpm_max = 180; }, "bpm_min/bpm_max: "},   // not an octave
        {[](auto& c) { c.bpm_min = 0; }, "bpm_min/bpm_max: "},
        {[](auto& c) { c.tempo_memory_s = 0.5; }, "tempo_memory_s: "},
        {[](auto& c) { c.tempo_update_s = 0; }, "tempo_update_s: "},
        {[](auto& c) { c.tempo_warmup_s = 100; }, "tempo_warmup_s: "},
    };
    for (const Case& c : cases) {
        AnalyzerConfig config;
        c.spoil(config);
        const auto errors = validate(config);
        EXPECT_TRUE(mentions(errors, c.field)) << c.field << (errors.empty() ? " (no error)" : " got: " + errors.front());
    }
}

TEST(AnalyzerConfig, ReportsEveryProblemAtOnce) {
    AnalyzerConfig c;
    c.hop = 10;
    c.level_release_s = -1;
    c.bpm_max = 90;
    const auto errors = validate(c);
    EXPECT_EQ(errors.size(), 3u);
    EXPECT_TRUE(mentions(errors, "hop: "));
    EXPECT_TRUE(mentions(errors, "level_release_s: "));
    EXPECT_TRUE(mentions(errors, "bpm_min/bpm_max: "));
}

TEST(AnalyzerConfig, AnEmptyBandNamesTheBandAndTheBinSpacing) {
    AnalyzerConfig c;
    c.band_edges = {20, 250, 255, 6000, 20000};
    const auto errors = validate(c);
    ASSERT_EQ(errors.size(), 1u);
    EXPECT_NE(errors[0].find("mid"), std::string::npos) << errors[0];
    EXPECT_NE(errors[0].find("43.06"), std::string::npos) << errors[0];
}

}  // namespace
}  // namespace vj::audio
