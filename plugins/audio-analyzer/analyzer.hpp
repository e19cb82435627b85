// The audio analysis core of vj-audio: mono hops in, one Frame of features out per hop. Owns the
// spectrum, band meter, onset detector, tempo estimator and beat tracker and wires them together.
// No I/O, no clocks: time is the sample count.
// Part of vj-audio: GPL-3.0-or-later, because it links aubio (GPL-3+).
#pragma once

#include <cstdint>
#include <span>

#include "audio-analyzer/analyzer_config.hpp"
#include "audio-analyzer/band_meter.hpp"
#include "audio-analyzer/beat_tracker.hpp"
#include "audio-analyzer/frame.hpp"
#include "audio-analyzer/onset_envelope.hpp"
#include "audio-analyzer/onset_picker.hpp"
#include "audio-analyzer/spectrum.hpp"
#include "audio-analyzer/tempo_estimator.hpp"

namespace vj::audio {

class Analyzer {
public:
    /// Throws std::invalid_argument (all of validate()'s messages, joined by "; ") if `config` is
    /// not valid; a program validates first and reports the messages itself.
    explicit Analyzer(const AnalyzerConfig& config);

    /// Analyses the next hop: exactly config().hop mono samples (another count throws
    /// std::invalid_argument), nominally in [-1, 1]. Non-finite samples are read as 0 and
    /// magnitudes are capped at 1000, so no input can poison the running state with NaN or inf.
    /// Returns this hop's features, valid until the next call.
    const Frame& process(std::span<const float> mono_hop);

    const AnalyzerConfig& config() const { return config_; }
    /// Samples analysed so far.
    std::int64_t position() const { return position_; }

    /// Seconds from an onset's peak in the envelope to its reported time, as subtracted. Derived
    /// from the window geometry and checked against generated clicks by the unit tests.
    double onset_delay_s() const;

private:
    AnalyzerConfig config_;
    Spectrum spectrum_;
    BandMeter bands_;
    OnsetEnvelope envelope_;
    OnsetPicker picker_;
    TempoEstimator tempo_;
    BeatTracker beats_;
    std::vector<float> clean_;   // the hop with non-finite samples zeroed
    std::int64_t position_ = 0;
    Frame frame_;
};

}  // namespace vj::audio
