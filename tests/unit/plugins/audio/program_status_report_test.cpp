// vj-audio's status file JSON and STATUS line.
#include <gtest/gtest.h>

#include "audio-analyzer/program/status_report.hpp"

namespace vj::audio::program {
namespace {

TEST(ProgramStatusReport, EveryKeyRoundedForReading) {
    StatusSnapshot s;
    s.input = "test:click:120";
    s.sample_rate = 44100;
    s.channels = 1;
    s.bpm = 119.96f;
    s.bpm_confidence = 0.8349f;
    s.levels = {0.25119f, -12.0004f, -6.02f};
    s.bands = {BandLevel{-9.96f, 0.83401f}, BandLevel{-20.04f, 0.666f}, BandLevel{-30, 0.5f}, BandLevel{-120, 0}};
    s.beats = 42;
    s.onsets = 84;
    s.hops = 8613;
    s.stream_time_s = 100.0003;
    s.dropped_frames = 3;
    s.hop_p50_us = 81.26f;
    s.hop_p99_us = 250.04f;
    s.osc_targets = 2;
    s.osc_sent = 100;
    s.osc_failed = 1;
    s.level_history_db = {-12.3f, -120.0f};
    const auto j = status_json(s);
    EXPECT_EQ(j.dump(), R"({"bands":{"bass":{"db":-10.0,"level":0.834},"high":{"db":-120.0,"level":0.0},)"
                        R"("mid":{"db":-20.0,"level":0.666},"midhigh":{"db":-30.0,"level":0.5}},"beats":42,)"
                        R"("bpm":119.96,"bpm_confidence":0.83,"channels":1,"dropped_frames":3,)"
                        R"("hop_time_us":{"p50":81.3,"p99":250.0},"hops":8613,"input":"test:click:120","level":0.251,)"
                        R"("level_db":-12.0,"level_history_db":[-12.3,-120.0],"onsets":84,)"
                        R"("osc":{"failed":1,"sent":100,"targets":2},"overruns":0,"peak_db":-6.0,"sample_rate":44100.0,)"
                        R"("stream_time_s":100.0})");
}

TEST(ProgramStatusReport, StatusLine) {
    EXPECT_EQ(status_line(120.04f, -12.4f), "120.0 BPM, -12 dBFS");
    EXPECT_EQ(status_line(0, -60.6f), "no tempo yet, -61 dBFS");
}

}  // namespace
}  // namespace vj::audio::program
