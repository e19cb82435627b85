// The loudest hop over a short recent stretch: what the status file's level, level_db and peak_db
// show, so that a once-a-second reading does not depend on which hop it happened to fall on. Pure.
// Part of vj-audio: GPL-3.0-or-later, because the program links aubio (GPL-3+).
#pragma once

#include <algorithm>

#include "audio-analyzer/decibels.hpp"
#include "audio-analyzer/frame.hpp"

namespace vj::audio::program {

struct RecentLevels {
    float rms = 0;                 ///< the loudest hop's RMS, linear 0–1
    float rms_db = silence_db;     ///< …and in dBFS
    float peak_db = silence_db;    ///< the highest sample peak, dBFS (> 0 on overs)

    void add(const Frame& f) {
        rms = std::max(rms, f.rms);
        rms_db = std::max(rms_db, f.rms_db);
        peak_db = std::max(peak_db, f.peak_db);
    }
    /// The louder of the two, value by value.
    static RecentLevels loudest(const RecentLevels& a, const RecentLevels& b) {
        return {std::max(a.rms, b.rms), std::max(a.rms_db, b.rms_db), std::max(a.peak_db, b.peak_db)};
    }
};

}  // namespace vj::audio::program
