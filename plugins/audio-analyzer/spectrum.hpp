// Short-time power spectrum: frames the hop stream into overlapping Hann windows and transforms
// them with aubio's FFT (the only code that calls aubio).
// Part of vj-audio: GPL-3.0-or-later, because it links aubio (GPL-3+).
#pragma once

#include <cstddef>
#include <memory>
#include <span>
#include <vector>

namespace vj::audio {

/// Turns consecutive hops into the power spectrum of the latest `window` samples.
///
/// Scaling: power()[k] is the share of bin k in the frame's mean square, compensated for the window
/// (one-sided: bins 1..window/2-1 count twice). So summing the bins of a band gives that band's mean
/// square, and a sine of amplitude A sums to A²/2 over its main lobe, like its RMS² in the time domain.
class Spectrum {
public:
    /// Preconditions: window a power of two in [64, 65536]; 0 < hop ≤ window.
    Spectrum(std::size_t window, std::size_t hop);
    ~Spectrum();
    Spectrum(Spectrum&&) noexcept;
    Spectrum& operator=(Spectrum&&) noexcept;

    /// Appends one hop (exactly `hop` samples) and returns the spectrum of the latest window
    /// (window/2 + 1 bins, valid until the next call). Before `window` samples have arrived, the
    /// missing past counts as silence.
    std::span<const float> push(std::span<const float> hop);

    std::size_t window() const { return window_; }
    std::size_t bins() const { return window_ / 2 + 1; }

private:
    struct Fft;  // the aubio objects, kept out of this header
    std::size_t window_;
    std::size_t hop_;
    std::vector<float> frame_;   // the latest `window` samples, oldest first
    std::vector<float> hann_;
    std::vector<float> power_;
    float scale_ = 0;            // 1 / (window · Σ w²): Parseval plus window compensation
    std::unique_ptr<Fft> fft_;
};

}  // namespace vj::audio
