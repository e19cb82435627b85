// Deterministic test signals (click track, sine, white/pink noise, silence) for the worker's
// `test:` input, the unit tests and the benchmarks. Pure: samples are a function of the seed.
// Part of vj-audio: GPL-3.0-or-later, because the plugin links aubio (GPL-3+).
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <variant>
#include <vector>

namespace vj::audio {

/// A dance-music loop: a kick on every beat, a hi-hat on every off-beat, over a pink-noise floor
/// (pure digital silence between clicks would make every onset detector look better than it is).
/// The kick is a 120 ms sine falling from 150 Hz to 50 Hz; the hat a 30 ms noise burst high-passed
/// at 7 kHz. Levels: the kick's and the hat's peak amplitude, the floor's RMS, all in dBFS.
struct ClickTrack {
    double bpm = 120.0;
    double kick_dbfs = -6.0;
    double hat_dbfs = -14.0;
    double noise_dbfs = -40.0;     ///< pink floor RMS; at or below -200 means no floor
    double first_beat_s = 0.25;    ///< time of the first kick
};

/// A sine of `frequency_hz` whose peak is `peak_dbfs` (so its RMS reads peak_dbfs - 3.01 dB).
struct Sine {
    double frequency_hz = 1000.0;
    double peak_dbfs = -6.0;
};

enum class NoiseColour { white, pink };

/// White or pink (-3 dB/octave, Voss-McCartney style) noise with RMS `rms_dbfs`.
struct Noise {
    NoiseColour colour = NoiseColour::pink;
    double rms_dbfs = -20.0;
};

/// Digital silence (all zeros).
struct Silence {};

using Signal = std::variant<ClickTrack, Sine, Noise, Silence>;

/// One click of a ClickTrack: its kind and the sample at which it starts (the ground truth).
struct Click {
    enum class Kind { kick, hat };
    Kind kind;
    std::int64_t sample;
};

/// Every click of `track` that starts in samples [0, samples) at `sample_rate`, in time order.
/// The generator places them exactly there: kick k at first_beat + k·period, hat half a period later,
/// each rounded to the nearest sample. Precondition: bpm > 0, sample_rate > 0.
std::vector<Click> clicks_of(const ClickTrack& track, double sample_rate, std::int64_t samples);

/// Produces a Signal as mono float samples in [-1, 1], sample after sample. The output depends only
/// on (signal, sample_rate, seed) and the sample index, never on how the calls cut it into blocks.
class Generator {
public:
    /// Precondition: sample_rate > 0; a ClickTrack's bpm in (0, 1000], a Sine's frequency ≥ 0.
    Generator(Signal signal, double sample_rate, std::uint64_t seed = 1);

    /// Fills `out` with the next out.size() samples.
    void next(std::span<float> out);

    /// The index of the next sample `next` will produce (samples generated so far).
    std::int64_t position() const { return position_; }

    const Signal& signal() const { return signal_; }
    double sample_rate() const { return sample_rate_; }

private:
    float click_track_sample(const ClickTrack& track, std::int64_t n);
    float pink_sample(std::int64_t n);

    Signal signal_;
    double sample_rate_;
    std::uint64_t seed_;
    std::int64_t position_ = 0;
    // The hat's two one-pole high-pass filters, reset at the start of each burst.
    std::int64_t hat_start_ = -1;
    float hp1_x_ = 0, hp1_y_ = 0, hp2_x_ = 0, hp2_y_ = 0;
    // Memo of the pink rows' held values (row r holds one value per block of 2^(r+1) samples):
    // each row's value is a function of its block index, so the memo never changes the output,
    // it only saves recomputing ten hashes per sample.
    static constexpr int pink_row_count = 10;   // the slowest holds 2^10 samples: pink down to ~20 Hz
    struct PinkRow {
        std::uint64_t offset = 0;                  // random shift of this row's block boundaries
        std::uint64_t block = ~std::uint64_t{0};
        float value = 0;
    };
    std::array<PinkRow, pink_row_count> pink_rows_{};
};

}  // namespace vj::audio
