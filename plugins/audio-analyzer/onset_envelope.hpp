// The onset-strength envelope: band-wise log spectral flux, one value per hop, for the onset
// picker and the tempo estimator. Pure.
// Part of vj-audio: GPL-3.0-or-later, because the plugin links aubio (GPL-3+).
#pragma once

#include <array>
#include <cstddef>
#include <span>
#include <vector>

#include "audio-analyzer/band_layout.hpp"

namespace vj::audio {

/// One hop's onset strength.
struct OnsetStrength {
    /// For the tempo: the sum over the four bands of each band's mean flux. Each band gets one
    /// vote whatever its width, so a kick (a few bass bins) counts next to a hi-hat (hundreds of
    /// high bins); a plain sum over bins would hear the hats only.
    float all = 0.0f;
    /// For the tempo and the beat phase: the bass band's term alone, the kick drum's pulse, which
    /// tells which metrical level is the beat.
    float bass = 0.0f;
    /// For the onset picker: the sum over bands of each band's flux divided by that band's
    /// typical flux (its running mean over ~1 s, plus a small floor). A hit that stands out in its
    /// own band stands out here whatever the other bands do: ~2–4 over steady noise, 10–40 on a
    /// kick or a hat of the test loops.
    float onset = 0.0f;
};

/// Spectral flux with log compression, per band. For every bin, log(1 + γ·|X|) is compared with
/// the largest of it and its two neighbours two hops earlier; only rises count (a sound ending is
/// not an onset). Comparing with two hops back lets an attack that straddles a hop boundary count
/// whole; the neighbours' maximum (as in Böck & Widmer's SuperFlux) keeps the random bin-to-bin
/// wobble of a noise floor from looking like rises. |X| is the bin's RMS amplitude (sqrt of
/// Spectrum's power); γ (`compression`) sets the knee: bins far below 1/γ count linearly, so a
/// quiet floor adds little, bins above it by their dB change, so loud and soft hits weigh alike.
class OnsetEnvelope {
public:
    /// Precondition: compression > 0, frame_rate (hops per second) > 0; bins as from band_bins
    /// for the spectrum that push() gets. The first `settle_hops` spectra still hold (or compare
    /// with) the silence assumed before the stream: the whitening starts learning after them.
    OnsetEnvelope(const std::array<BinRange, band_count>& bins, float compression, double frame_rate,
                  std::size_t settle_hops = 0);

    /// The flux between this spectrum and the one two hops back (silence before the start).
    OnsetStrength push(std::span<const float> power);

private:
    std::array<BinRange, band_count> bins_;
    float compression_;
    float typical_rate_;                       // per-hop weight of the running log-mean
    std::array<float, band_count> typical_{};  // running mean of log(flux + tiny), per band
    std::size_t settle_hops_;
    std::size_t hops_ = 0;
    std::vector<float> now_;        // log magnitudes of this spectrum
    std::vector<float> older_;      // …of the spectrum two hops back
    std::vector<float> old_;        // …of the previous spectrum
    std::vector<float> reference_;  // older_, max-filtered over ±1 bin
};

}  // namespace vj::audio
