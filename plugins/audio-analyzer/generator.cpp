// Deterministic test signals: click track, sine, noise, silence.
// Part of vj-audio: GPL-3.0-or-later, because the plugin links aubio (GPL-3+).
#include "audio-analyzer/generator.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <type_traits>

#include "audio-analyzer/decibels.hpp"
#include "audio-analyzer/noise_hash.hpp"

namespace vj::audio {
namespace {

// Random streams: one per use, so that the floor and the hats are independent.
constexpr std::uint64_t white_stream = 1;
constexpr std::uint64_t hat_stream = 2;
constexpr std::uint64_t pink_first_row_stream = 16;

constexpr double kick_seconds = 0.12;
constexpr double kick_fade_seconds = 0.02;
constexpr double hat_seconds = 0.03;
constexpr double hat_fade_seconds = 0.005;
constexpr double hat_cutoff_hz = 7000.0;

double beat_period(const ClickTrack& track, double sample_rate) { return 60.0 * sample_rate / track.bpm; }

std::int64_t first_sample(const ClickTrack& track, double sample_rate) {
    return std::llround(track.first_beat_s * sample_rate);
}

/// Start sample of click `k` (kicks on integer k, hats on k + 0.5).
std::int64_t click_start(std::int64_t first, double period, double k) {
    return first + std::llround(k * period);
}

/// A raised-cosine fade to zero over the last `fade` seconds of a `length`-second event, so that
/// truncating the event adds no click of its own.
double tail_fade(double t, double length, double fade) {
    if (t < length - fade) return 1.0;
    return 0.5 + 0.5 * std::cos(std::numbers::pi * (t - (length - fade)) / fade);
}

double kick_shape(double t) {
    // Pitch falls 150 -> 50 Hz with a 25 ms time constant; the phase is its closed-form integral.
    constexpr double f_end = 50.0, f_drop = 100.0, tau_f = 0.025, tau_a = 0.045;
    const double phase = 2.0 * std::numbers::pi * (f_end * t + f_drop * tau_f * (1.0 - std::exp(-t / tau_f)));
    return std::sin(phase) * std::exp(-t / tau_a) * tail_fade(t, kick_seconds, kick_fade_seconds);
}

}  // namespace

std::vector<Click> clicks_of(const ClickTrack& track, double sample_rate, std::int64_t samples) {
    std::vector<Click> out;
    const double period = beat_period(track, sample_rate);
    const std::int64_t first = first_sample(track, sample_rate);
    for (std::int64_t k = 0;; ++k) {
        const auto kick = click_start(first, period, static_cast<double>(k));
        if (kick >= samples) break;
        if (kick >= 0) out.push_back({Click::Kind::kick, kick});
        const auto hat = click_start(first, period, static_cast<double>(k) + 0.5);
        if (hat >= 0 && hat < samples) out.push_back({Click::Kind::hat, hat});
    }
    return out;
}

Generator::Generator(Signal signal, double sample_rate, std::uint64_t seed)
    : signal_(std::move(signal)), sample_rate_(sample_rate), seed_(seed) {
    for (int r = 0; r < pink_row_count; ++r) {
        const std::uint64_t stream = pink_first_row_stream + static_cast<std::uint64_t>(r);
        pink_rows_[static_cast<std::size_t>(r)].offset = mix64(seed_ + stream) & ((std::uint64_t{2} << r) - 1);
    }
}

void Generator::next(std::span<float> out) {
    for (float& sample : out) {
        const std::int64_t n = position_++;
        sample = std::visit(
            [&](const auto& s) -> float {
                using T = std::decay_t<decltype(s)>;
                if constexpr (std::is_same_v<T, ClickTrack>) {
                    return click_track_sample(s, n);
                } else if constexpr (std::is_same_v<T, Sine>) {
                    // fmod in double keeps the phase exact over hours of samples.
                    const double cycles = std::fmod(s.frequency_hz * static_cast<double>(n) / sample_rate_, 1.0);
                    return static_cast<float>(db_to_amplitude(s.peak_dbfs) * std::sin(2.0 * std::numbers::pi * cycles));
                } else if constexpr (std::is_same_v<T, Noise>) {
                    const double rms = db_to_amplitude(s.rms_dbfs);
                    if (s.colour == NoiseColour::white) {
                        // Uniform on [-1, 1) has RMS 1/sqrt(3).
                        return static_cast<float>(rms * std::sqrt(3.0) * uniform_noise(seed_, white_stream, static_cast<std::uint64_t>(n)));
                    }
                    return static_cast<float>(rms * pink_sample(n));
                } else {
                    return 0.0f;
                }
            },
            signal_);
    }
}

float Generator::pink_sample(std::int64_t n) {
    // Voss-McCartney: row r is a random value held for 2^(r+1) samples, plus one white term. Each
    // row is counter-based (its value is a function of its block index), and each row's blocks are
    // offset by a random amount so that the rows never all change together at large powers of two.
    const auto un = static_cast<std::uint64_t>(n);
    double sum = uniform_noise(seed_, white_stream, un);
    for (int r = 0; r < pink_row_count; ++r) {
        PinkRow& row = pink_rows_[static_cast<std::size_t>(r)];
        const std::uint64_t block = (un + row.offset) >> (r + 1);
        if (row.block != block) {
            row.block = block;
            row.value = uniform_noise(seed_, pink_first_row_stream + static_cast<std::uint64_t>(r), block);
        }
        sum += row.value;
    }
    // The sum of pink_row_count + 1 independent uniforms on [-1, 1) has variance (count + 1)/3.
    return static_cast<float>(sum / std::sqrt((pink_row_count + 1) / 3.0));
}

float Generator::click_track_sample(const ClickTrack& track, std::int64_t n) {
    const double period = beat_period(track, sample_rate_);
    const std::int64_t first = first_sample(track, sample_rate_);
    double value = 0.0;
    if (track.noise_dbfs > -200.0) value += db_to_amplitude(track.noise_dbfs) * pink_sample(n);

    // Kicks overlap the next beat only above 500 BPM; walk back while an earlier one still sounds.
    const double beats_since_first = static_cast<double>(n - first) / period;
    for (auto k = static_cast<std::int64_t>(std::floor(beats_since_first)); k >= 0; --k) {
        const std::int64_t start = click_start(first, period, static_cast<double>(k));
        const double t = static_cast<double>(n - start) / sample_rate_;
        if (t >= kick_seconds) break;
        if (t >= 0.0) value += db_to_amplitude(track.kick_dbfs) * kick_shape(t);
    }

    // The hat: find the latest hat start at or before n.
    const auto h0 = static_cast<std::int64_t>(std::floor(beats_since_first - 0.5));
    if (h0 >= 0) {
        const std::int64_t start = click_start(first, period, static_cast<double>(h0) + 0.5);
        const double t = static_cast<double>(n - start) / sample_rate_;
        if (n >= start && t < hat_seconds) {
            if (start != hat_start_) {  // a new burst: the filters start from rest
                hat_start_ = start;
                hp1_x_ = hp1_y_ = hp2_x_ = hp2_y_ = 0.0f;
            }
            // Two one-pole high-passes (12 dB/octave below 7 kHz): y = a·(y' + x - x').
            const double rc = 1.0 / (2.0 * std::numbers::pi * hat_cutoff_hz);
            const auto a = static_cast<float>(rc / (rc + 1.0 / sample_rate_));
            const float x = uniform_noise(seed_, hat_stream, static_cast<std::uint64_t>(n));
            hp1_y_ = a * (hp1_y_ + x - hp1_x_);
            hp1_x_ = x;
            hp2_y_ = a * (hp2_y_ + hp1_y_ - hp2_x_);
            hp2_x_ = hp1_y_;
            const double envelope = std::exp(-t / 0.007) * tail_fade(t, hat_seconds, hat_fade_seconds);
            value += db_to_amplitude(track.hat_dbfs) * hp2_y_ * envelope;
        }
    }
    return static_cast<float>(std::clamp(value, -1.0, 1.0));
}

}  // namespace vj::audio
