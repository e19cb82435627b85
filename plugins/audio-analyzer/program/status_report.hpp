// What vj-audio's status file (--status) and its sd_notify STATUS line say, built from plain
// values. Pure; vj-audio(1), STATUS FILE, documents every key.
// Part of vj-audio: GPL-3.0-or-later, because the program links aubio (GPL-3+).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <string>

#include <nlohmann/json.hpp>

#include "audio-analyzer/band_meter.hpp"
#include "audio-analyzer/program/recent_levels.hpp"

namespace vj::audio::program {

/// Everything the status file shows, gathered by the program once a second.
struct StatusSnapshot {
    std::string input;                 ///< the input spec, as describe() writes it
    double sample_rate = 0;
    std::size_t channels = 0;          ///< as read, before the downmix
    float bpm = 0;                     ///< 0 while no tempo is known
    float bpm_confidence = 0;
    RecentLevels levels;               ///< the loudest hop of this wall-clock second and the one before
    std::array<BandLevel, band_count> bands{};   ///< the latest frame's
    std::uint64_t beats = 0;
    std::uint64_t onsets = 0;
    std::uint64_t hops = 0;
    double stream_time_s = 0;          ///< audio analysed, in seconds
    std::uint64_t dropped_frames = 0;  ///< hops skipped to catch up with real time
    std::uint64_t overruns = 0;        ///< capture overruns the input reported (ALSA)
    float hop_p50_us = 0;              ///< processing time per hop over the recent window
    float hop_p99_us = 0;
    std::size_t osc_targets = 0;
    std::uint64_t osc_sent = 0;
    std::uint64_t osc_failed = 0;
    std::deque<float> level_history_db;   ///< LevelHistory::seconds()
};

/// The status file's JSON object. Decibels, BPM and hop times are rounded to 0.1, the confidence
/// to 0.01, 0–1 levels and seconds to 0.001, so that the file stays small and readable.
nlohmann::json status_json(const StatusSnapshot& s);

/// The short line for sd_notify STATUS (vjctl status shows it): "120.0 BPM, -12 dBFS", or
/// "no tempo yet, -12 dBFS".
std::string status_line(float bpm, float level_db);

}  // namespace vj::audio::program
