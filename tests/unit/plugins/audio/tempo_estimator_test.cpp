// TempoEstimator on synthetic onset envelopes (impulse trains), without any audio: precision
// below the hop, the octave rule, hysteresis, and what it says about silence and noise.
// Part of vj-audio's tests: GPL-3.0-or-later, because they link aubio (GPL-3+).
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "audio-analyzer/noise_hash.hpp"
#include "audio-analyzer/tempo_estimator.hpp"

namespace vj::audio {
namespace {

constexpr double fps = 44100.0 / 512.0;   // 86.13 envelope values per second

/// A pattern of pulses: a kick (in the bass and the whole envelope) on every beat and a hat (in
/// the whole envelope only) on every off-beat, each a one-hop pulse at the nearest hop, over a
/// small noise floor. Values for hop n.
struct Pattern {
    double bpm = 120.0;
    float kick = 1.0f;
    float hat = 0.5f;
    float noise = 0.05f;

    OnsetStrength at(std::int64_t n) const {
        const double period = 60.0 * fps / bpm;
        auto pulse = [&](double offset) {
            const double beats = (static_cast<double>(n) - offset) / period;
            return std::abs(beats - std::round(beats)) * period < 0.5;
        };
        const float floor = noise * (uniform_noise(1, 1, static_cast<std::uint64_t>(n)) + 1.0f);
        OnsetStrength s;
        s.bass = floor + (pulse(0.0) ? kick : 0.0f);
        s.all = s.bass + (pulse(0.5 * period) ? hat : 0.0f);
        return s;
    }
};

/// Feeds `seconds` of `pattern` from hop `start`; returns the hop after the last.
std::int64_t feed(TempoEstimator& t, const Pattern& pattern, double seconds, std::int64_t start = 0) {
    const auto end = start + static_cast<std::int64_t>(seconds * fps);
    for (std::int64_t n = start; n < end; ++n) t.push(pattern.at(n));
    return end;
}

TempoConfig config() {
    TempoConfig c;
    c.frame_rate = fps;
    return c;
}

TEST(TempoEstimator, ReadsTempiBetweenHopLagsToATenth) {
    // 128 BPM is 40.37 hops: the integer lags 40 and 41 would read 129.2 and 126.0.
    for (double bpm : {128.0, 125.0, 133.3, 97.0, 171.0}) {
        TempoEstimator t(config());
        feed(t, Pattern{bpm}, 15.0);
        EXPECT_NEAR(t.bpm(), bpm, 0.1) << bpm;
    }
}

TEST(TempoEstimator, PrefersTheKickRateOverTheEighthNotes) {
    // Hats as strong as kicks in the whole envelope: only the bass says which is the beat (the
    // 180 BPM period of 90 BPM is inside the range and as periodic in the whole envelope).
    for (double bpm : {70.0, 90.0, 100.0}) {
        TempoEstimator t(config());
        feed(t, Pattern{bpm, 1.0f, 1.0f}, 15.0);
        EXPECT_NEAR(t.bpm(), bpm, 0.5) << bpm << " read as " << t.bpm();
    }
}

TEST(TempoEstimator, PrefersTheFasterOfTwoEquallyGoodOctaves) {
    // A 174 BPM pulse repeats just as well every 2 beats (87 BPM), both inside 60–200.
    for (double bpm : {174.0, 140.0, 124.0}) {
        TempoEstimator t(config());
        feed(t, Pattern{bpm}, 15.0);
        EXPECT_NEAR(t.bpm(), bpm, 0.5) << bpm << " read as " << t.bpm();
    }
}

TEST(TempoEstimator, FoldsATempoOutsideTheRangeIntoIt) {
    // Too fast: every second kick is a kick too. Too slow: the hats between the kicks give the
    // double (a bare pulse slower than the range has no period inside it at all).
    TempoConfig c = config();
    c.bpm_min = 80.0;
    c.bpm_max = 160.0;
    TempoEstimator slow(c), fast(c);
    feed(slow, Pattern{60.0, 1.0f, 0.5f}, 15.0);
    feed(fast, Pattern{180.0, 1.0f, 0.0f}, 15.0);
    EXPECT_NEAR(slow.bpm(), 120.0, 0.5);
    EXPECT_NEAR(fast.bpm(), 90.0, 0.5);
}

TEST(TempoEstimator, SaysNothingBeforeTheWarmUpAndDuringSilence) {
    TempoEstimator t(config());
    feed(t, Pattern{120.0}, 2.9);
    EXPECT_EQ(t.bpm(), 0.0);
    TempoEstimator quiet(config());
    for (int n = 0; n < 2000; ++n) quiet.push({});
    EXPECT_EQ(quiet.bpm(), 0.0);
    EXPECT_EQ(quiet.confidence(), 0.0f);
}

TEST(TempoEstimator, IsConfidentOnAPulseAndNotOnNoise) {
    TempoEstimator pulse(config()), noise(config());
    feed(pulse, Pattern{120.0}, 10.0);
    feed(noise, Pattern{120.0, 0.0f, 0.0f, 1.0f}, 10.0);
    EXPECT_GT(pulse.confidence(), 0.7f);
    EXPECT_LT(noise.confidence(), 0.3f);
}

TEST(TempoEstimator, HoldsTheTempoThroughABreakWithLessConfidence) {
    TempoEstimator t(config());
    const auto n = feed(t, Pattern{128.0}, 10.0);
    const float locked = t.confidence();
    for (std::int64_t i = n; i < n + static_cast<std::int64_t>(4 * fps); ++i) t.push({});
    EXPECT_NEAR(t.bpm(), 128.0, 0.2);
    EXPECT_LT(t.confidence(), locked);
}

TEST(TempoEstimator, SwitchesToANewTempoOnceAndOnlyAfterSeveralDecisions) {
    TempoEstimator t(config());
    auto n = feed(t, Pattern{120.0}, 12.0);
    ASSERT_NEAR(t.bpm(), 120.0, 0.2);
    // The new tempo must win switch_after decisions in a row: it cannot show within the first
    // decision, and once it shows the old one never comes back.
    int decisions = 0, changes = 0;
    double last = t.bpm();
    const Pattern next{135.0};
    for (const auto end = n + static_cast<std::int64_t>(15 * fps); n < end; ++n) {
        if (!t.push(next.at(n))) continue;
        ++decisions;
        if (decisions == 1) {
            EXPECT_NEAR(t.bpm(), 120.0, 0.5);
        }
        if (std::abs(t.bpm() - last) > 2.0) ++changes;
        last = t.bpm();
    }
    EXPECT_NEAR(t.bpm(), 135.0, 0.2);
    EXPECT_EQ(changes, 1);
}

TEST(TempoEstimator, ListsItsCandidatesFastestFirst) {
    TempoEstimator t(config());
    feed(t, Pattern{90.0}, 10.0);
    const auto& c = t.candidates();
    ASSERT_FALSE(c.empty());
    for (std::size_t i = 1; i < c.size(); ++i) EXPECT_GT(c[i - 1].bpm, c[i].bpm);
    for (const auto& candidate : c) {
        EXPECT_GE(candidate.bpm, 60.0);
        EXPECT_LE(candidate.bpm, 200.0);
        EXPECT_LE(candidate.strength, 1.0f);
    }
}

}  // namespace
}  // namespace vj::audio
