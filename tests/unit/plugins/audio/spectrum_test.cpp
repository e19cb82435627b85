// The power spectrum's scaling and aubio's packed FFT layout, and which bins make up each band.
// Part of vj-audio's tests: GPL-3.0-or-later, because they link aubio (GPL-3+).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numbers>
#include <numeric>
#include <vector>

#include "audio-analyzer/band_layout.hpp"
#include "audio-analyzer/generator.hpp"
#include "audio-analyzer/spectrum.hpp"

namespace vj::audio {
namespace {

/// The spectrum after pushing two hops of `signal(n)` through a 1024/512 Spectrum.
template <typename F>
std::vector<float> spectrum_of(F signal) {
    Spectrum spectrum(1024, 512);
    std::vector<float> hop(512);
    std::span<const float> power;
    for (int h = 0; h < 2; ++h) {
        for (int i = 0; i < 512; ++i) hop[static_cast<std::size_t>(i)] = static_cast<float>(signal(h * 512 + i));
        power = spectrum.push(hop);
    }
    return {power.begin(), power.end()};
}

TEST(Spectrum, PutsASineInItsBinWhateverItsPhase) {
    // If the real and imaginary parts of aubio's packed output were mixed up, a sine (imaginary
    // spectrum) and a cosine (real spectrum) would not both land on their bin.
    for (int bin : {3, 10, 100, 400, 500}) {
        for (double phase : {0.0, 0.5, std::numbers::pi / 2, 2.0}) {
            const auto power = spectrum_of([&](int n) { return 0.5 * std::cos(2 * std::numbers::pi * bin * n / 1024.0 + phase); });
            ASSERT_EQ(power.size(), 513u);
            const auto peak = std::max_element(power.begin(), power.end()) - power.begin();
            EXPECT_EQ(peak, bin) << "phase " << phase;
            // A sine of amplitude A sums to A²/2 over its main lobe (Hann: ±1 bin at a bin centre).
            const auto k = static_cast<std::size_t>(bin);
            EXPECT_NEAR(power[k - 1] + power[k] + power[k + 1], 0.125, 1e-4) << "bin " << bin << " phase " << phase;
        }
    }
}

TEST(Spectrum, SumsToTheMeanSquareOfNoise) {
    // Parseval with the window compensated: the bins add up to the signal's mean square.
    Spectrum spectrum(1024, 512);
    Generator noise(Noise{NoiseColour::white, -10.0}, 44100.0, 9);
    std::vector<float> hop(512);
    double total = 0;
    int frames = 0;
    for (int h = 0; h < 400; ++h) {
        noise.next(hop);
        const auto power = spectrum.push(hop);
        if (h < 2) continue;
        total += std::accumulate(power.begin(), power.end(), 0.0);
        ++frames;
    }
    EXPECT_NEAR(10.0 * std::log10(total / frames), -10.0, 0.2);
}

TEST(Spectrum, IsSilentBeforeItsFirstWindowFills) {
    Spectrum spectrum(1024, 512);
    std::vector<float> hop(512, 0.0f);
    const auto power = spectrum.push(hop);
    EXPECT_TRUE(std::all_of(power.begin(), power.end(), [](float p) { return p == 0.0f; }));
}

TEST(BandLayout, DefaultEdgesAt44100) {
    // 43.07 Hz per bin: each band starts at the first bin centre at or above its lower edge.
    const auto bins = band_bins(default_band_edges, 44100.0, 1024);
    EXPECT_EQ(bins[0], (BinRange{1, 6}));      // 43–215 Hz
    EXPECT_EQ(bins[1], (BinRange{6, 47}));     // 258–1981 Hz
    EXPECT_EQ(bins[2], (BinRange{47, 140}));   // 2024–5986 Hz
    EXPECT_EQ(bins[3], (BinRange{140, 465}));  // 6029–19983 Hz
}

TEST(BandLayout, DefaultEdgesAt48000) {
    const auto bins = band_bins(default_band_edges, 48000.0, 1024);   // 46.875 Hz per bin
    EXPECT_EQ(bins[0], (BinRange{1, 6}));
    EXPECT_EQ(bins[1], (BinRange{6, 43}));
    EXPECT_EQ(bins[2], (BinRange{43, 128}));
    EXPECT_EQ(bins[3], (BinRange{128, 427}));
}

TEST(BandLayout, AnEdgeAtOrPastNyquistTakesTheLastBin) {
    const auto bins = band_bins({20.0, 250.0, 2000.0, 6000.0, 30000.0}, 44100.0, 1024);
    EXPECT_EQ(bins[3].last, 513u);
}

TEST(BandLayout, ABandNarrowerThanABinIsEmpty) {
    const auto bins = band_bins({20.0, 21.0, 2000.0, 6000.0, 20000.0}, 44100.0, 1024);
    EXPECT_EQ(bins[0].size(), 0u);
}

}  // namespace
}  // namespace vj::audio
