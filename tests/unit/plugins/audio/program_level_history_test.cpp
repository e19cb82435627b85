// vj-audio's level_history_db: the loudest hop per second, gaps as silence, bounded.
#include <gtest/gtest.h>

#include <vector>

#include "audio-analyzer/program/level_history.hpp"

namespace vj::audio::program {
namespace {

std::vector<float> values(const LevelHistory& h) { return {h.seconds().begin(), h.seconds().end()}; }

TEST(ProgramLevelHistory, LoudestHopOfEachCompletedSecond) {
    LevelHistory h(600);
    h.add(0, -20);
    h.add(0, -10);
    h.add(0, -30);
    EXPECT_TRUE(h.seconds().empty());   // second 0 is still in progress
    h.add(1, -40);
    EXPECT_EQ(values(h), (std::vector<float>{-10}));
    h.advance_to(2);
    EXPECT_EQ(values(h), (std::vector<float>{-10, -40}));
    h.advance_to(2);
    EXPECT_EQ(values(h), (std::vector<float>{-10, -40}));
}

TEST(ProgramLevelHistory, SecondsWithoutHopsReadSilence) {
    LevelHistory h(600, -120);
    h.advance_to(3);   // nothing heard at all yet: three silent seconds
    EXPECT_EQ(values(h), (std::vector<float>{-120, -120, -120}));
    h.add(3, -6);
    h.add(6, -12);     // a stall through seconds 4 and 5
    EXPECT_EQ(values(h), (std::vector<float>{-120, -120, -120, -6, -120, -120}));
}

TEST(ProgramLevelHistory, KeepsTheNewestCapacitySeconds) {
    LevelHistory h(3);
    for (int s = 0; s < 10; ++s) h.add(s, static_cast<float>(-s));
    EXPECT_EQ(values(h), (std::vector<float>{-6, -7, -8}));
    // A stall far longer than the history fills it with silence without looping through it.
    h.advance_to(std::int64_t{1} << 40);
    EXPECT_EQ(values(h), (std::vector<float>{-120, -120, -120}));
}

TEST(ProgramLevelHistory, AnEarlierSecondCountsAsTheCurrentOne) {
    LevelHistory h(10);
    h.add(5, -30);
    h.add(3, -3);
    h.advance_to(6);
    EXPECT_EQ(values(h).back(), -3.0f);
}

}  // namespace
}  // namespace vj::audio::program
