// Properties of the whole analyzer over arbitrary input: every feature finite and in its range,
// whatever the samples (huge, tiny, NaN, inf), and the same input always gives the same frames.
// Part of vj-audio's tests: GPL-3.0-or-later, because they link aubio (GPL-3+).
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "audio-analyzer/analyzer.hpp"
#include "audio-analyzer/band_meter.hpp"
#include "audio-analyzer/noise_hash.hpp"

namespace vj::audio {
namespace {

/// Any float, with the awkward ones (0, ±1, huge, denormal, NaN, ±inf) much more likely than
/// uniform bits would make them.
rc::Gen<float> any_sample() {
    return rc::gen::weightedOneOf<float>({
        {6, rc::gen::map(rc::gen::inRange(-1000, 1001), [](int v) { return static_cast<float>(v) / 1000.0f; })},
        {2, rc::gen::arbitrary<float>()},
        {1, rc::gen::element(0.0f, 1.0f, -1.0f, 3.0e38f, -3.0e38f, 1.0e-40f, std::numeric_limits<float>::quiet_NaN(),
                             std::numeric_limits<float>::infinity(), -std::numeric_limits<float>::infinity())},
    });
}

bool in_unit(float v) { return v >= 0.0f && v <= 1.0f; }

RC_GTEST_PROP(AnalyzerProperty, EveryFeatureIsFiniteAndInRange, ()) {
    AnalyzerConfig config;
    config.sample_rate = *rc::gen::element(44100.0, 48000.0);
    config.tempo_warmup_s = 1.0;   // so that short inputs reach tempo decisions
    config.tempo_update_s = 0.05;
    Analyzer analyzer(config);
    const auto hops = *rc::gen::inRange(1, 160);
    // A palette of awkward values, laid out by a hash: cheap to generate for thousands of samples,
    // and every hop mixes them differently. Each run of 20 hops gets a new palette.
    const auto seed = *rc::gen::arbitrary<std::uint64_t>();
    std::vector<float> palette;
    std::vector<float> hop(config.hop);
    double previous_time = 0;
    for (int h = 0; h < hops; ++h) {
        if (h % 20 == 0) palette = *rc::gen::container<std::vector<float>>(16, any_sample());
        for (std::size_t i = 0; i < hop.size(); ++i) {
            hop[i] = palette[mix64(seed + static_cast<std::uint64_t>(h) * hop.size() + i) % palette.size()];
        }
        const Frame& f = analyzer.process(hop);
        RC_ASSERT(std::isfinite(f.rms_db));
        RC_ASSERT(std::isfinite(f.peak_db));
        RC_ASSERT(f.rms_db >= -120.0f);
        RC_ASSERT(in_unit(f.rms));
        RC_ASSERT(in_unit(f.peak));
        for (const BandLevel& b : f.bands) {
            RC_ASSERT(std::isfinite(b.db));
            RC_ASSERT(in_unit(b.level));
        }
        RC_ASSERT(std::isfinite(f.bpm));
        RC_ASSERT(f.bpm == 0.0f || (f.bpm >= config.bpm_min && f.bpm <= config.bpm_max));
        RC_ASSERT(in_unit(f.bpm_confidence));
        RC_ASSERT(std::isfinite(f.onset_strength));
        RC_ASSERT(std::isfinite(f.onset_time) && std::isfinite(f.beat_time));
        if (f.onset) RC_ASSERT(f.onset_time <= f.time);
        RC_ASSERT(f.time > previous_time);
        previous_time = f.time;
    }
}

RC_GTEST_PROP(AnalyzerProperty, TheSameInputGivesTheSameFrames, ()) {
    AnalyzerConfig config;
    Analyzer a(config), b(config);
    const auto hops = *rc::gen::inRange(1, 40);
    const auto seed = *rc::gen::arbitrary<std::uint64_t>();
    std::vector<float> hop(config.hop);
    for (int h = 0; h < hops; ++h) {
        for (std::size_t i = 0; i < hop.size(); ++i) {
            hop[i] = uniform_noise(seed, 0, static_cast<std::uint64_t>(h) * hop.size() + i);
        }
        const Frame fa = a.process(hop);
        const Frame& fb = b.process(hop);
        RC_ASSERT(fa.rms == fb.rms);
        RC_ASSERT(fa.onset == fb.onset);
        RC_ASSERT(fa.bands[0].db == fb.bands[0].db);
        RC_ASSERT(fa.bands[3].level == fb.bands[3].level);
        RC_ASSERT(fa.bpm == fb.bpm);
    }
}

RC_GTEST_PROP(BandMeterProperty, LevelsStayInZeroToOne, ()) {
    const std::array<BinRange, band_count> bins{BinRange{1, 3}, BinRange{3, 10}, BinRange{10, 20}, BinRange{20, 33}};
    BandMeter meter(bins, LevelMapping{-60.0f, 0.0f, *rc::gen::element(0.0f, 0.5f, 0.99f)});
    const auto frames = *rc::gen::inRange(1, 20);
    for (int i = 0; i < frames; ++i) {
        const auto power = *rc::gen::container<std::vector<float>>(
            33, rc::gen::map(rc::gen::inRange(0, 1000000), [](int v) { return static_cast<float>(v) * 1e-4f; }));
        for (const BandLevel& b : meter.push(power)) {
            RC_ASSERT(in_unit(b.level));
            RC_ASSERT(std::isfinite(b.db));
        }
    }
}

}  // namespace
}  // namespace vj::audio
