// vj-audio's real-time pacing: hops due from clock readings, exact average rate, skip-ahead.
#include <gtest/gtest.h>

#include <cmath>

#include "audio-analyzer/program/pacer.hpp"

namespace vj::audio::program {
namespace {

using namespace std::chrono_literals;
using Clock = Pacer::Clock;

const Clock::time_point t0{std::chrono::hours(1000)};

// 44100 Hz / 441-sample hops: exactly one hop per 10 ms.
Pacer hundred_per_second(Clock::duration max_lag = 500ms) { return Pacer(44100.0, 441, max_lag, t0); }

TEST(ProgramPacer, HopIsDueWhenItsLastSampleWouldHaveArrived) {
    Pacer p = hundred_per_second();
    EXPECT_EQ(p.advance(t0).hops, 0);
    EXPECT_EQ(p.advance(t0 + 9999us).hops, 0);
    EXPECT_EQ(p.advance(t0 + 10ms).hops, 1);
    EXPECT_EQ(p.advance(t0 + 10ms).hops, 0);   // handed out once
    EXPECT_EQ(p.advance(t0 + 35ms).hops, 2);
    EXPECT_EQ(p.hops_done(), 3);
    EXPECT_EQ(p.advance(t0 + 35ms).skipped, 0);
}

TEST(ProgramPacer, NextDueIsTheMomentTheNextHopIsDue) {
    Pacer p = hundred_per_second();
    p.advance(t0 + 35ms);
    EXPECT_GE(p.next_due(), t0 + 40ms);
    EXPECT_LE(p.next_due(), t0 + 40ms + 2ns);
    EXPECT_EQ(p.advance(p.next_due() - 2ns).hops, 0);
    EXPECT_EQ(p.advance(p.next_due()).hops, 1);

    // A hop period that is no whole number of nanoseconds: 512 samples at 44.1 kHz.
    Pacer q(44100.0, 512, 500ms, t0);
    for (int k = 0; k < 500; ++k) {
        const auto due = q.next_due();
        ASSERT_EQ(q.advance(due - 2ns).hops, 0) << k;   // next_due() adds 1 ns against rounding
        ASSERT_EQ(q.advance(due).hops, 1) << k;
    }
}

TEST(ProgramPacer, AverageRateIsExactWhateverTheJitter) {
    Pacer p(44100.0, 512, 500ms, t0);
    std::int64_t total = 0;
    // Wake-ups 1 to 23 ms apart, irregularly, for 60 s.
    auto now = t0;
    for (int i = 0; now < t0 + 60s; ++i) {
        now += std::chrono::microseconds(1000 + (i * 7919) % 22000);
        const auto step = p.advance(now);
        EXPECT_EQ(step.skipped, 0);
        total += step.hops;
    }
    const double seconds = std::chrono::duration<double>(now - t0).count();
    EXPECT_EQ(total, static_cast<std::int64_t>(std::floor(seconds * 44100.0 / 512.0)));
}

TEST(ProgramPacer, FallingTooFarBehindSkipsAllButTheLatestHop) {
    Pacer p = hundred_per_second(500ms);
    // 0.5 s behind is still caught up hop by hop…
    auto step = p.advance(t0 + 500ms);
    EXPECT_EQ(step.hops, 50);
    EXPECT_EQ(step.skipped, 0);
    // …more is skipped: a 2 s stall leaves 199 hops dropped and the latest one to analyse.
    step = p.advance(t0 + 2500ms);
    EXPECT_EQ(step.skipped, 199);
    EXPECT_EQ(step.hops, 1);
    EXPECT_EQ(p.skipped_total(), 199);
    EXPECT_EQ(p.hops_done(), 250);
    // The schedule is kept: the next hop is due 10 ms later, as if nothing had happened.
    EXPECT_EQ(p.advance(t0 + 2510ms).hops, 1);
    EXPECT_EQ(p.advance(t0 + 2510ms).skipped, 0);
}

TEST(ProgramPacer, TinyMaxLagStillAllowsOneHopOfSlack) {
    Pacer p = hundred_per_second(0ms);
    EXPECT_EQ(p.advance(t0 + 10ms).hops, 1);
    const auto step = p.advance(t0 + 30ms);
    EXPECT_EQ(step.hops, 1);
    EXPECT_EQ(step.skipped, 1);
}

TEST(ProgramPacer, ClockBeforeTheStartGivesNothing) {
    Pacer p = hundred_per_second();
    const auto step = p.advance(t0 - 1s);
    EXPECT_EQ(step.hops, 0);
    EXPECT_EQ(step.skipped, 0);
    EXPECT_EQ(p.advance(t0 + 10ms).hops, 1);
}

}  // namespace
}  // namespace vj::audio::program
