// One run's analysis pipeline, hop by hop: the analyzer, the OSC output, and the counters,
// percentiles and level history the status file shows. No I/O of its own (packets go to the send
// function) and no clock: the caller says which wall-clock second a hop came in and how long it took.
// Part of vj-audio: GPL-3.0-or-later, because the program links aubio (GPL-3+).
#pragma once

#include <chrono>
#include <cstdint>
#include <span>
#include <string>

#include "audio-analyzer/analyzer.hpp"
#include "audio-analyzer/program/level_history.hpp"
#include "audio-analyzer/program/osc_output.hpp"
#include "audio-analyzer/program/percentile_window.hpp"
#include "audio-analyzer/program/recent_levels.hpp"
#include "audio-analyzer/program/status_report.hpp"

namespace vj::audio::program {

/// Hops whose processing time the p50/p99 cover: ~12 s at 44.1 kHz / 512.
inline constexpr std::size_t hop_time_window = 1024;

class AudioSession {
public:
    /// Precondition: validate(analyzer) is empty (Analyzer throws otherwise).
    AudioSession(const AnalyzerConfig& analyzer, OscOutputConfig output, OscOutput::Send send, std::string input,
                 std::size_t channels);

    /// Analyses one hop (analyzer.hop mono samples) heard during wall-clock `second` (counted from 0
    /// at the start of the run), and sends what it calls for. Returns the frame, valid until the
    /// next call.
    const Frame& process(std::span<const float> hop, std::int64_t second);

    /// How long the caller measured process() to take, for hop_time_us.
    void record_hop_time(std::chrono::nanoseconds elapsed);
    /// Hops skipped to catch up with real time.
    void add_dropped(std::int64_t hops) { dropped_ += static_cast<std::uint64_t>(hops); }

    /// What the status file shows at wall-clock `second`; the counters of the OSC sender and the
    /// input's overruns come from outside. Completes the level history up to `second`.
    StatusSnapshot snapshot(std::int64_t second, std::size_t osc_targets, std::uint64_t osc_sent, std::uint64_t osc_failed,
                            std::uint64_t overruns);

    /// The loudest hop of this second and the one before: the level the status shows.
    RecentLevels recent_levels() const { return RecentLevels::loudest(current_, previous_); }
    const Frame& last_frame() const { return last_; }

private:
    void roll_to(std::int64_t second);

    Analyzer analyzer_;
    OscOutput output_;
    std::string input_;
    std::size_t channels_;
    Frame last_;
    std::uint64_t hops_ = 0;
    std::uint64_t onsets_ = 0;
    std::uint64_t dropped_ = 0;
    PercentileWindow hop_times_{hop_time_window};
    LevelHistory history_;
    std::int64_t second_ = 0;      // the second current_ belongs to
    RecentLevels current_;
    RecentLevels previous_;
};

}  // namespace vj::audio::program
