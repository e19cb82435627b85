// Short-time power spectrum over aubio's FFT.
// Part of vj-audio: GPL-3.0-or-later, because it links aubio (GPL-3+).
#include "audio-analyzer/spectrum.hpp"

#include <aubio/aubio.h>

#include <algorithm>
#include <cassert>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <numbers>

namespace vj::audio {

struct Spectrum::Fft {
    aubio_fft_t* fft = nullptr;
    fvec_t* input = nullptr;
    fvec_t* complex = nullptr;

    explicit Fft(std::size_t n) {
        const auto size = static_cast<uint_t>(n);
        fft = new_aubio_fft(size);
        input = new_fvec(size);
        complex = new_fvec(size);
        if (fft == nullptr || input == nullptr || complex == nullptr) {
            // Only out-of-memory or a size the precondition excludes gets here: a bug, not a state.
            std::fprintf(stderr, "vj-audio: internal error: aubio cannot make a %zu-point FFT\n", n);
            std::abort();
        }
    }
    ~Fft() {
        del_fvec(complex);
        del_fvec(input);
        del_aubio_fft(fft);
    }
    Fft(const Fft&) = delete;
    Fft& operator=(const Fft&) = delete;
};

Spectrum::Spectrum(std::size_t window, std::size_t hop)
    : window_(window), hop_(hop), frame_(window, 0.0f), hann_(window), power_(window / 2 + 1),
      fft_(std::make_unique<Fft>(window)) {
    assert(window >= 64 && (window & (window - 1)) == 0 && hop > 0 && hop <= window);
    double sum_squares = 0;
    for (std::size_t i = 0; i < window; ++i) {
        // Periodic Hann: overlap-adds to a constant at hop = window/2, and has no zero sample at
        // the end that would waste one input sample per frame.
        const double w = 0.5 - 0.5 * std::cos(2.0 * std::numbers::pi * static_cast<double>(i) / static_cast<double>(window));
        hann_[i] = static_cast<float>(w);
        sum_squares += w * w;
    }
    scale_ = static_cast<float>(1.0 / (static_cast<double>(window) * sum_squares));
}

Spectrum::~Spectrum() = default;
Spectrum::Spectrum(Spectrum&&) noexcept = default;
Spectrum& Spectrum::operator=(Spectrum&&) noexcept = default;

std::span<const float> Spectrum::push(std::span<const float> hop) {
    assert(hop.size() == hop_);
    std::copy(frame_.begin() + static_cast<std::ptrdiff_t>(hop_), frame_.end(), frame_.begin());
    std::copy(hop.begin(), hop.end(), frame_.end() - static_cast<std::ptrdiff_t>(hop_));

    float* in = fft_->input->data;
    for (std::size_t i = 0; i < window_; ++i) in[i] = frame_[i] * hann_[i];
    aubio_fft_do_complex(fft_->fft, fft_->input, fft_->complex);

    // aubio's packed layout (checked by a unit test against aubio_fft_do's norms): data[0..n/2] hold
    // the real parts of bins 0..n/2, data[n-k] the imaginary part of bin k for 0 < k < n/2.
    const float* c = fft_->complex->data;
    const std::size_t n = window_;
    power_[0] = c[0] * c[0] * scale_;
    power_[n / 2] = c[n / 2] * c[n / 2] * scale_;
    for (std::size_t k = 1; k < n / 2; ++k) {
        power_[k] = 2.0f * (c[k] * c[k] + c[n - k] * c[n - k]) * scale_;
    }
    return power_;
}

}  // namespace vj::audio
