// The loudness of each recent second (the loudest hop's RMS in dB), oldest first, bounded: what the
// status file's level_history_db holds and the audio_levels.lua check reads. Pure: the caller
// says which second a hop was heard in.
// Part of vj-audio: GPL-3.0-or-later, because the program links aubio (GPL-3+).
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>

namespace vj::audio::program {

class LevelHistory {
public:
    /// Keeps the last `capacity` completed seconds; a second in which no hop was heard reads
    /// `silence_db`. Precondition: capacity > 0.
    explicit LevelHistory(std::size_t capacity = 600, float silence_db = -120.0f);

    /// Records a hop of `db` (its RMS in dBFS) heard during `second` (seconds since the start,
    /// counted from 0). Completes the seconds before `second`. A `second` earlier than one already
    /// seen counts as the latest one (the clock is steady; this only guards against misuse).
    void add(std::int64_t second, float db);

    /// Completes every second before `second`, so that a stalled input still adds its silent
    /// seconds. Called once a second whether hops arrive or not.
    void advance_to(std::int64_t second);

    /// The completed seconds, oldest first; the second in progress is not included.
    const std::deque<float>& seconds() const { return seconds_; }

private:
    void complete(float db);

    std::size_t capacity_;
    float silence_db_;
    std::deque<float> seconds_;
    std::int64_t current_ = 0;     // the second in progress
    float current_max_;            // its loudest hop so far (silence_db_ while none)
};

}  // namespace vj::audio::program
