// Per-second loudest levels with gaps filled as silence, bounded to the newest N.
// Part of vj-audio: GPL-3.0-or-later, because the program links aubio (GPL-3+).
#include "audio-analyzer/program/level_history.hpp"

#include <algorithm>

namespace vj::audio::program {

LevelHistory::LevelHistory(std::size_t capacity, float silence_db)
    : capacity_(capacity), silence_db_(silence_db), current_max_(silence_db) {}

void LevelHistory::add(std::int64_t second, float db) {
    advance_to(second);
    current_max_ = std::max(current_max_, db);
}

void LevelHistory::advance_to(std::int64_t second) {
    if (second <= current_) return;
    complete(current_max_);
    // Seconds skipped entirely heard nothing. More than capacity of them leave only silence,
    // so stop there: a long stall must not loop for as long as it lasted.
    const std::int64_t gap = std::min<std::int64_t>(second - current_ - 1, static_cast<std::int64_t>(capacity_));
    for (std::int64_t i = 0; i < gap; ++i) complete(silence_db_);
    current_ = second;
    current_max_ = silence_db_;
}

void LevelHistory::complete(float db) {
    if (seconds_.size() == capacity_) seconds_.pop_front();
    seconds_.push_back(db);
}

}  // namespace vj::audio::program
