// The per-hop pipeline and the status it accumulates.
// Part of vj-audio: GPL-3.0-or-later, because the program links aubio (GPL-3+).
#include "audio-analyzer/program/audio_session.hpp"

namespace vj::audio::program {

AudioSession::AudioSession(const AnalyzerConfig& analyzer, OscOutputConfig output, OscOutput::Send send, std::string input,
                           std::size_t channels)
    : analyzer_(analyzer), output_(std::move(output), std::move(send)), input_(std::move(input)), channels_(channels) {}

void AudioSession::roll_to(std::int64_t second) {
    if (second <= second_) return;
    previous_ = second == second_ + 1 ? current_ : RecentLevels{};
    current_ = RecentLevels{};
    second_ = second;
}

const Frame& AudioSession::process(std::span<const float> hop, std::int64_t second) {
    const Frame& f = analyzer_.process(hop);
    ++hops_;
    if (f.onset) ++onsets_;
    roll_to(second);
    current_.add(f);
    history_.add(second, f.rms_db);
    output_.push(f);
    last_ = f;
    return f;
}

void AudioSession::record_hop_time(std::chrono::nanoseconds elapsed) {
    hop_times_.add(static_cast<float>(static_cast<double>(elapsed.count()) / 1e3));
}

StatusSnapshot AudioSession::snapshot(std::int64_t second, std::size_t osc_targets, std::uint64_t osc_sent,
                                      std::uint64_t osc_failed, std::uint64_t overruns) {
    roll_to(second);
    history_.advance_to(second);
    StatusSnapshot s;
    s.input = input_;
    s.sample_rate = analyzer_.config().sample_rate;
    s.channels = channels_;
    s.bpm = last_.bpm;
    s.bpm_confidence = last_.bpm_confidence;
    s.levels = recent_levels();
    s.bands = last_.bands;
    s.beats = last_.beat_count;
    s.onsets = onsets_;
    s.hops = hops_;
    s.stream_time_s = static_cast<double>(analyzer_.position()) / analyzer_.config().sample_rate;
    s.dropped_frames = dropped_;
    s.overruns = overruns;
    s.hop_p50_us = hop_times_.percentile(0.50);
    s.hop_p99_us = hop_times_.percentile(0.99);
    s.osc_targets = osc_targets;
    s.osc_sent = osc_sent;
    s.osc_failed = osc_failed;
    s.level_history_db = history_.seconds();
    return s;
}

}  // namespace vj::audio::program
