// The status file's JSON and the one-line STATUS text.
// Part of vj-audio: GPL-3.0-or-later, because the program links aubio (GPL-3+).
#include "audio-analyzer/program/status_report.hpp"

#include <cmath>

#include <fmt/format.h>

namespace vj::audio::program {
namespace {

// A float rounded to 1/scale and widened: -12.300000190734863 becomes -12.3 in the file. Dividing
// (not multiplying by 0.1) gives the double nearest the decimal, which prints short.
double rounded(double value, double scale) { return std::round(value * scale) / scale; }
double db(float value) { return rounded(value, 10); }
double unit(float value) { return rounded(value, 1000); }

}  // namespace

nlohmann::json status_json(const StatusSnapshot& s) {
    nlohmann::json bands = nlohmann::json::object();
    for (std::size_t b = 0; b < band_count; ++b) {
        bands[std::string(band_names[b])] = {{"level", unit(s.bands[b].level)}, {"db", db(s.bands[b].db)}};
    }
    nlohmann::json history = nlohmann::json::array();
    for (const float v : s.level_history_db) history.push_back(db(v));
    return {
        {"input", s.input},
        {"sample_rate", s.sample_rate},
        {"channels", s.channels},
        {"bpm", rounded(s.bpm, 100)},
        {"bpm_confidence", rounded(s.bpm_confidence, 100)},
        {"level", unit(s.levels.rms)},
        {"level_db", db(s.levels.rms_db)},
        {"peak_db", db(s.levels.peak_db)},
        {"bands", std::move(bands)},
        {"beats", s.beats},
        {"onsets", s.onsets},
        {"hops", s.hops},
        {"stream_time_s", rounded(s.stream_time_s, 1000)},
        {"dropped_frames", s.dropped_frames},
        {"overruns", s.overruns},
        {"hop_time_us", {{"p50", rounded(s.hop_p50_us, 10)}, {"p99", rounded(s.hop_p99_us, 10)}}},
        {"osc", {{"targets", s.osc_targets}, {"sent", s.osc_sent}, {"failed", s.osc_failed}}},
        {"level_history_db", std::move(history)},
    };
}

std::string status_line(float bpm, float level_db) {
    if (bpm > 0) return fmt::format("{:.1f} BPM, {:.0f} dBFS", bpm, level_db);
    return fmt::format("no tempo yet, {:.0f} dBFS", level_db);
}

}  // namespace vj::audio::program
