// Runs the analyzer once over a generated click-track loop and keeps what the tests check
// (onsets, beats, the tempo per hop), so that several tests share one costly run.
// Part of vj-audio's tests: GPL-3.0-or-later, because they link aubio (GPL-3+).
#pragma once

#include <cmath>
#include <cstdint>
#include <map>
#include <optional>
#include <tuple>
#include <utility>
#include <vector>

#include "audio-analyzer/analyzer.hpp"
#include "audio-analyzer/generator.hpp"

namespace vj::audio::test {

struct LoopRun {
    double bpm = 0;
    double sample_rate = 0;
    double seconds = 0;
    std::vector<Click> clicks;
    std::vector<double> onsets;              // onset_time of every onset, in order
    std::vector<double> beats;               // beat_time of every beat
    std::vector<std::uint64_t> beat_counts;  // beat_count of every beat
    std::vector<double> hop_end;             // Frame::time of every hop
    std::vector<float> bpm_per_hop;          // Frame::bpm of every hop
    std::vector<float> confidence_per_hop;   // Frame::bpm_confidence of every hop
};

inline constexpr double loop_seconds = 15.0;

/// The analysis of `seconds` of ClickTrack{bpm} at `sample_rate` (seed 1, default levels),
/// computed on first use and cached for the rest of the test program.
inline const LoopRun& loop_run(double bpm, double sample_rate, double seconds = loop_seconds) {
    static std::map<std::tuple<double, double, double>, LoopRun> cache;
    const auto key = std::make_tuple(bpm, sample_rate, seconds);
    if (auto it = cache.find(key); it != cache.end()) return it->second;

    LoopRun run;
    run.bpm = bpm;
    run.sample_rate = sample_rate;
    run.seconds = seconds;
    AnalyzerConfig config;
    config.sample_rate = sample_rate;
    Analyzer analyzer(config);
    ClickTrack track;
    track.bpm = bpm;
    Generator generator(track, sample_rate, 1);
    const auto samples = static_cast<std::int64_t>(seconds * sample_rate);
    run.clicks = clicks_of(track, sample_rate, samples);
    std::vector<float> hop(config.hop);
    for (std::int64_t done = 0; done + static_cast<std::int64_t>(config.hop) <= samples; done += static_cast<std::int64_t>(config.hop)) {
        generator.next(hop);
        const Frame& f = analyzer.process(hop);
        if (f.onset) run.onsets.push_back(f.onset_time);
        if (f.beat) {
            run.beats.push_back(f.beat_time);
            run.beat_counts.push_back(f.beat_count);
        }
        run.hop_end.push_back(f.time);
        run.bpm_per_hop.push_back(f.bpm);
        run.confidence_per_hop.push_back(f.bpm_confidence);
    }
    return cache.emplace(key, std::move(run)).first->second;
}

/// The click times (seconds) of `run`, optionally of one kind only.
inline std::vector<double> click_times(const LoopRun& run, std::optional<Click::Kind> kind = std::nullopt) {
    std::vector<double> out;
    for (const Click& c : run.clicks) {
        if (!kind || c.kind == *kind) out.push_back(static_cast<double>(c.sample) / run.sample_rate);
    }
    return out;
}

/// Greedy one-to-one matching of `found` to `truth` within ±tolerance (both sorted): how many of
/// `truth` were found, how many of `found` matched nothing, and the signed errors of the matches.
struct Matching {
    std::size_t matched = 0;
    std::size_t extra = 0;
    std::vector<double> errors;
};
inline Matching match(const std::vector<double>& truth, const std::vector<double>& found, double tolerance) {
    Matching m;
    std::vector<bool> used(found.size(), false);
    for (double t : truth) {
        std::optional<std::size_t> best;
        for (std::size_t i = 0; i < found.size(); ++i) {
            if (used[i] || std::abs(found[i] - t) > tolerance) continue;
            if (!best || std::abs(found[i] - t) < std::abs(found[*best] - t)) best = i;
        }
        if (best) {
            used[*best] = true;
            ++m.matched;
            m.errors.push_back(found[*best] - t);
        }
    }
    m.extra = found.size() - m.matched;
    return m;
}

}  // namespace vj::audio::test
