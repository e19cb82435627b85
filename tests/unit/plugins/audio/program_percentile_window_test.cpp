// Nearest-rank percentiles over the most recent values (vj-audio's hop_time_us).
#include <gtest/gtest.h>

#include "audio-analyzer/program/percentile_window.hpp"

namespace vj::audio::program {
namespace {

TEST(ProgramPercentileWindow, EmptyReadsZeroAndOneValueReadsItself) {
    PercentileWindow w(8);
    EXPECT_EQ(w.percentile(0.5), 0.0f);
    w.add(42);
    EXPECT_EQ(w.percentile(0.5), 42.0f);
    EXPECT_EQ(w.percentile(0.99), 42.0f);
    EXPECT_EQ(w.size(), 1u);
}

TEST(ProgramPercentileWindow, NearestRank) {
    PercentileWindow w(100);
    for (int v = 100; v >= 1; --v) w.add(static_cast<float>(v));   // order does not matter
    EXPECT_EQ(w.percentile(0.50), 50.0f);
    EXPECT_EQ(w.percentile(0.99), 99.0f);
    EXPECT_EQ(w.percentile(1.0), 100.0f);
    EXPECT_EQ(w.percentile(0.001), 1.0f);
    PercentileWindow few(10);
    for (int v = 1; v <= 3; ++v) few.add(static_cast<float>(v));
    EXPECT_EQ(few.percentile(0.5), 2.0f);    // ⌈1.5⌉ = 2nd smallest
    EXPECT_EQ(few.percentile(0.99), 3.0f);
}

TEST(ProgramPercentileWindow, OnlyTheMostRecentValuesCount) {
    PercentileWindow w(100);
    for (int v = 1; v <= 1000; ++v) w.add(static_cast<float>(v));
    EXPECT_EQ(w.size(), 100u);
    EXPECT_EQ(w.percentile(0.50), 950.0f);
    EXPECT_EQ(w.percentile(0.99), 999.0f);
    // One slow hop among fast ones shows in p99 only while it is in the window.
    PercentileWindow spikes(100);
    for (int i = 0; i < 100; ++i) spikes.add(i == 50 ? 5000.0f : 80.0f);
    EXPECT_EQ(spikes.percentile(0.50), 80.0f);
    EXPECT_EQ(spikes.percentile(1.0), 5000.0f);
    for (int i = 0; i < 100; ++i) spikes.add(80.0f);
    EXPECT_EQ(spikes.percentile(1.0), 80.0f);
}

}  // namespace
}  // namespace vj::audio::program
