// The test-signal generator: levels, click placement, determinism, and that chunking never
// changes the output.
// Part of vj-audio's tests: GPL-3.0-or-later, because they link aubio (GPL-3+).
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "audio-analyzer/generator.hpp"
#include "audio-analyzer/spectrum.hpp"

namespace vj::audio {
namespace {

std::vector<float> generate(const Signal& signal, double rate, std::size_t samples, std::uint64_t seed = 1) {
    Generator g(signal, rate, seed);
    std::vector<float> out(samples);
    g.next(out);
    return out;
}

double rms_db(const std::vector<float>& x) {
    double sum = 0;
    for (float v : x) sum += static_cast<double>(v) * v;
    return 10.0 * std::log10(sum / static_cast<double>(x.size()));
}

TEST(Generator, SineHasItsPeakAndRms) {
    const auto x = generate(Sine{1000.0, -6.0}, 44100.0, 44100);
    EXPECT_NEAR(rms_db(x), -6.0 - 10.0 * std::log10(2.0), 0.01);   // -9.01
    const float peak = *std::max_element(x.begin(), x.end());
    EXPECT_NEAR(20.0 * std::log10(peak), -6.0, 0.01);
}

TEST(Generator, NoiseHasItsRms) {
    for (NoiseColour colour : {NoiseColour::white, NoiseColour::pink}) {
        const auto x = generate(Noise{colour, -20.0}, 48000.0, 480000);
        EXPECT_NEAR(rms_db(x), -20.0, 0.3) << (colour == NoiseColour::pink ? "pink" : "white");
    }
}

/// Mean power per octave from 250 Hz to 16 kHz (six octaves), in dB, through the analyzer's spectrum.
std::vector<double> octave_powers_db(const Signal& signal) {
    const double rate = 44100.0;
    Spectrum spectrum(1024, 512);
    Generator g(signal, rate, 3);
    std::vector<float> hop(512);
    std::vector<double> sums(6, 0.0);
    for (int h = 0; h < 800; ++h) {
        g.next(hop);
        const auto power = spectrum.push(hop);
        for (std::size_t k = 1; k < power.size(); ++k) {
            const double octave = std::floor(std::log2(static_cast<double>(k) * rate / 1024.0 / 250.0));
            if (octave >= 0 && octave < 6) sums[static_cast<std::size_t>(octave)] += power[k];
        }
    }
    for (double& s : sums) s = 10.0 * std::log10(s);
    return sums;
}

TEST(Generator, PinkNoiseHasEqualPowerPerOctave) {
    const auto pink = octave_powers_db(Noise{NoiseColour::pink, -20.0});
    const auto white = octave_powers_db(Noise{NoiseColour::white, -20.0});
    for (std::size_t o = 1; o < pink.size(); ++o) {
        EXPECT_NEAR(pink[o] - pink[o - 1], 0.0, 1.5) << "octave " << o;    // -3 dB/octave density
        EXPECT_NEAR(white[o] - white[o - 1], 3.0, 0.5) << "octave " << o;  // flat density
    }
}

TEST(Generator, SilenceIsZero) {
    const auto x = generate(Silence{}, 44100.0, 1000);
    EXPECT_TRUE(std::all_of(x.begin(), x.end(), [](float v) { return v == 0.0f; }));
}

TEST(Generator, ClicksAlternateKickAndHatHalfABeatApart) {
    ClickTrack track;
    track.bpm = 128.0;
    const auto clicks = clicks_of(track, 44100.0, 44100 * 10);
    ASSERT_EQ(clicks.size(), 2u * 21u);   // kicks at 0.25 s + k·0.46875 s up to 9.62 s, each with its hat
    const double period = 60.0 / 128.0 * 44100.0;
    for (std::size_t i = 0; i < clicks.size(); ++i) {
        EXPECT_EQ(clicks[i].kind, i % 2 == 0 ? Click::Kind::kick : Click::Kind::hat);
        EXPECT_NEAR(static_cast<double>(clicks[i].sample), 0.25 * 44100.0 + 0.5 * period * static_cast<double>(i), 0.5);
    }
}

TEST(Generator, AClickTrackIsTheFloorUntilTheFirstKickThenLoud) {
    ClickTrack track;
    const auto x = generate(track, 44100.0, 44100);
    const auto first = static_cast<std::size_t>(0.25 * 44100.0);
    const std::vector<float> before(x.begin(), x.begin() + static_cast<std::ptrdiff_t>(first));
    EXPECT_NEAR(rms_db(before), -40.0, 3.0);
    const float kick_peak = *std::max_element(x.begin() + static_cast<std::ptrdiff_t>(first),
                                              x.begin() + static_cast<std::ptrdiff_t>(first + 4410));
    EXPECT_NEAR(20.0 * std::log10(kick_peak), -6.0, 1.0);
}

TEST(Generator, IsDeterministicPerSeed) {
    ClickTrack track;
    EXPECT_EQ(generate(track, 48000.0, 20000, 5), generate(track, 48000.0, 20000, 5));
    EXPECT_NE(generate(track, 48000.0, 20000, 5), generate(track, 48000.0, 20000, 6));
    EXPECT_NE(generate(Noise{}, 48000.0, 2000, 5), generate(Noise{}, 48000.0, 2000, 6));
}

TEST(Generator, StaysWithinFullScale) {
    ClickTrack loud;
    loud.kick_dbfs = 0;
    loud.hat_dbfs = 0;
    loud.noise_dbfs = -3;
    const auto x = generate(loud, 44100.0, 44100 * 2);
    EXPECT_TRUE(std::all_of(x.begin(), x.end(), [](float v) { return v >= -1.0f && v <= 1.0f; }));
}

RC_GTEST_PROP(GeneratorProperty, ChunkingNeverChangesTheOutput, ()) {
    const int kind = *rc::gen::inRange(0, 4);
    const Signal signal = kind == 0   ? Signal{ClickTrack{*rc::gen::inRange(60, 300) * 1.0}}
                          : kind == 1 ? Signal{Sine{*rc::gen::inRange(20, 20000) * 1.0, -6.0}}
                          : kind == 2 ? Signal{Noise{*rc::gen::element(NoiseColour::white, NoiseColour::pink), -20.0}}
                                      : Signal{Silence{}};
    const double rate = *rc::gen::element(44100.0, 48000.0);
    const auto seed = *rc::gen::inRange<std::uint64_t>(0, 1000);
    const auto chunks = *rc::gen::container<std::vector<std::size_t>>(rc::gen::inRange<std::size_t>(0, 1000));
    std::size_t total = 0;
    for (auto c : chunks) total += c;

    const auto whole = generate(signal, rate, total, seed);
    Generator g(signal, rate, seed);
    std::vector<float> pieces;
    for (auto c : chunks) {
        std::vector<float> part(c);
        g.next(part);
        pieces.insert(pieces.end(), part.begin(), part.end());
    }
    RC_ASSERT(pieces == whole);
    RC_ASSERT(g.position() == static_cast<std::int64_t>(total));
}

}  // namespace
}  // namespace vj::audio
