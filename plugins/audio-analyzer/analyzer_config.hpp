// The analyzer's settings with their defaults, and their validation. Pure.
// Part of vj-audio: GPL-3.0-or-later, because the plugin links aubio (GPL-3+).
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "audio-analyzer/band_layout.hpp"

namespace vj::audio {

struct AnalyzerConfig {
    double sample_rate = 44100.0;   ///< Hz; 8000–192000
    std::size_t hop = 512;          ///< samples per analysis step (one Frame per hop); 64–8192, ≥ 20 hops/s
    std::size_t window = 1024;      ///< FFT length: a power of two ≥ hop, ≤ 65536

    /// Band edges in Hz, rising; band i spans [edges[i], edges[i+1]). Every band must hold at least
    /// one FFT bin (sample_rate/window Hz apart), and the lowest edge must be above 0 Hz.
    BandEdges band_edges = default_band_edges;
    /// The 0–1 band levels map this dB range linearly (floor → 0, ceiling → 1, clamped), then fall
    /// with `level_release_s` as time constant (0 = no smoothing; they always rise at once).
    float level_floor_db = -60.0f;
    float level_ceiling_db = 0.0f;
    double level_release_s = 0.15;

    /// Onsets: a peak of the whitened onset envelope must exceed onset_threshold × its local
    /// median + 2 (see OnsetPickerConfig); onsets closer than onset_min_interval_s merge; hops
    /// quieter than onset_silence_db (RMS, dBFS) have none. Lower the threshold (≥ 1) to catch
    /// softer hits over a noisy floor, at the price of false onsets on noise.
    float onset_threshold = 3.0f;
    double onset_min_interval_s = 0.05;
    float onset_silence_db = -70.0f;
    /// γ of the log compression log(1 + γ·|X|) in the onset envelope (see OnsetEnvelope).
    float onset_compression = 1000.0f;

    /// Tempo: the answer lies in [bpm_min, bpm_max] and the range must span an octave
    /// (bpm_max ≥ 2·bpm_min), so that every tempo has exactly one representative in it. Within the
    /// range the fastest strong periodicity wins: a kick on every beat with hats between reads as
    /// the kick rate, and 174 is not reported as 87.
    double bpm_min = 60.0;
    double bpm_max = 200.0;
    double tempo_memory_s = 4.0;    ///< time constant of the tempo's autocorrelation (a new tempo shows in ~4–7 s)
    double tempo_update_s = 0.5;    ///< how often the tempo decision is re-made
    double tempo_warmup_s = 3.0;    ///< no tempo before this much audio
};

/// Every problem with `config`, one message each ("band_edges: …"); empty when it is usable.
std::vector<std::string> validate(const AnalyzerConfig& config);

}  // namespace vj::audio
