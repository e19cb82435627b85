// Validation of the analyzer's settings.
// Part of vj-audio: GPL-3.0-or-later, because the plugin links aubio (GPL-3+).
#include "audio-analyzer/analyzer_config.hpp"

#include <cmath>
#include <sstream>

namespace vj::audio {
namespace {

template <typename... Parts>
std::string message(const Parts&... parts) {
    std::ostringstream out;
    (out << ... << parts);
    return out.str();
}

bool finite_positive(double v) { return std::isfinite(v) && v > 0; }

}  // namespace

std::vector<std::string> validate(const AnalyzerConfig& c) {
    std::vector<std::string> errors;
    if (!(c.sample_rate >= 8000.0 && c.sample_rate <= 192000.0)) {
        errors.push_back(message("sample_rate: ", c.sample_rate, " Hz is outside 8000–192000"));
    }
    if (c.hop < 64 || c.hop > 8192) errors.push_back(message("hop: ", c.hop, " samples is outside 64–8192"));
    if (c.hop > 0 && c.sample_rate / static_cast<double>(c.hop) < 20.0) {
        errors.push_back(message("hop: ", c.hop, " samples at ", c.sample_rate,
                                 " Hz gives under 20 frames per second, too few to follow onsets and tempo"));
    }
    if (c.window < 64 || c.window > 65536 || (c.window & (c.window - 1)) != 0) {
        errors.push_back(message("window: ", c.window, " is not a power of two in 64–65536"));
    } else if (c.window < c.hop) {
        errors.push_back(message("window: ", c.window, " is shorter than hop ", c.hop));
    }

    bool edges_ok = true;
    for (std::size_t i = 0; i < c.band_edges.size(); ++i) {
        if (!finite_positive(c.band_edges[i]) || (i > 0 && c.band_edges[i] <= c.band_edges[i - 1])) edges_ok = false;
    }
    if (!edges_ok) {
        errors.push_back("band_edges: need five rising frequencies above 0 Hz");
    } else if (errors.empty()) {
        const auto bins = band_bins(c.band_edges, c.sample_rate, c.window);
        for (std::size_t b = 0; b < band_count; ++b) {
            if (bins[b].size() == 0) {
                errors.push_back(message("band_edges: band ", band_names[b], " (", c.band_edges[b], "–", c.band_edges[b + 1],
                                         " Hz) holds no FFT bin at ", c.sample_rate, " Hz with window ", c.window,
                                         " (bins are ", c.sample_rate / static_cast<double>(c.window), " Hz apart)"));
            }
        }
    }

    if (!(std::isfinite(c.level_floor_db) && std::isfinite(c.level_ceiling_db) && c.level_floor_db < c.level_ceiling_db)) {
        errors.push_back(message("level_floor_db/level_ceiling_db: need floor < ceiling, got ", c.level_floor_db, " and ",
                                 c.level_ceiling_db));
    }
    if (!(std::isfinite(c.level_release_s) && c.level_release_s >= 0 && c.level_release_s <= 60)) {
        errors.push_back(message("level_release_s: ", c.level_release_s, " is outside 0–60"));
    }
    if (!(std::isfinite(c.onset_threshold) && c.onset_threshold >= 1.0f && c.onset_threshold <= 100.0f)) {
        errors.push_back(message("onset_threshold: ", c.onset_threshold, " is outside 1–100"));
    }
    if (!(std::isfinite(c.onset_min_interval_s) && c.onset_min_interval_s >= 0 && c.onset_min_interval_s <= 10)) {
        errors.push_back(message("onset_min_interval_s: ", c.onset_min_interval_s, " is outside 0–10"));
    }
    if (!(std::isfinite(c.onset_silence_db) && c.onset_silence_db <= 0)) {
        errors.push_back(message("onset_silence_db: ", c.onset_silence_db, " must be ≤ 0 dBFS"));
    }
    if (!(std::isfinite(c.onset_compression) && c.onset_compression > 0)) {
        errors.push_back(message("onset_compression: ", c.onset_compression, " must be > 0"));
    }
    if (!(finite_positive(c.bpm_min) && std::isfinite(c.bpm_max) && c.bpm_max >= 2.0 * c.bpm_min && c.bpm_max <= 400.0)) {
        errors.push_back(message("bpm_min/bpm_max: need 0 < bpm_min, 2·bpm_min ≤ bpm_max ≤ 400, got ", c.bpm_min, "–", c.bpm_max));
    }
    if (!(std::isfinite(c.tempo_memory_s) && c.tempo_memory_s >= 1 && c.tempo_memory_s <= 60)) {
        errors.push_back(message("tempo_memory_s: ", c.tempo_memory_s, " is outside 1–60"));
    }
    if (!(std::isfinite(c.tempo_update_s) && c.tempo_update_s > 0 && c.tempo_update_s <= 10)) {
        errors.push_back(message("tempo_update_s: ", c.tempo_update_s, " is outside (0, 10]"));
    }
    if (!(std::isfinite(c.tempo_warmup_s) && c.tempo_warmup_s >= 1 && c.tempo_warmup_s <= 60)) {
        errors.push_back(message("tempo_warmup_s: ", c.tempo_warmup_s, " is outside 1–60"));
    }
    return errors;
}

}  // namespace vj::audio
