// ALSA capture with snd_pcm_set_params and snd_pcm_readi, overruns recovered and counted.
// Part of vj-audio: GPL-3.0-or-later, because the program links aubio (GPL-3+).
#include "audio-analyzer/program/alsa_source.hpp"

#include <alsa/asoundlib.h>

#include <cerrno>

#include <fmt/format.h>

#include "audio-analyzer/downmix.hpp"
#include "sdk/log.hpp"

namespace vj::audio::program {

boost::system::result<std::unique_ptr<AlsaSource>, std::string> AlsaSource::open(const std::string& device, double sample_rate,
                                                                                  std::size_t channels, std::size_t hop) {
    snd_pcm_t* pcm = nullptr;
    int e = snd_pcm_open(&pcm, device.c_str(), SND_PCM_STREAM_CAPTURE, 0);
    if (e < 0) return fmt::format("cannot open ALSA device {}: {}", device, snd_strerror(e));
    // Four hops of buffer: room for one slow hop of analysis without an overrun, and still only
    // ~46 ms at 44.1 kHz / 512 between the sound and the analysis in the worst case.
    const auto latency_us = static_cast<unsigned>(4e6 * static_cast<double>(hop) / sample_rate);
    e = snd_pcm_set_params(pcm, SND_PCM_FORMAT_FLOAT_LE, SND_PCM_ACCESS_RW_INTERLEAVED, static_cast<unsigned>(channels),
                           static_cast<unsigned>(sample_rate), 1 /* resample in alsa-lib if need be */, latency_us);
    if (e < 0) {
        snd_pcm_close(pcm);
        return fmt::format("cannot set up ALSA device {} for {} channels of float at {} Hz: {}", device, channels, sample_rate,
                           snd_strerror(e));
    }
    return std::unique_ptr<AlsaSource>(new AlsaSource(pcm, device, sample_rate, channels));
}

AlsaSource::AlsaSource(_snd_pcm* pcm, std::string device, double sample_rate, std::size_t channels)
    : pcm_(pcm), device_(std::move(device)), sample_rate_(sample_rate), channels_(channels) {}

AlsaSource::~AlsaSource() { snd_pcm_close(pcm_); }

boost::system::result<std::size_t, std::string> AlsaSource::read(std::span<float> mono) {
    const std::size_t frames = mono.size();
    if (interleaved_.size() < frames * channels_) interleaved_.resize(frames * channels_);
    std::size_t done = 0;
    while (done < frames) {
        snd_pcm_sframes_t n = snd_pcm_readi(pcm_, interleaved_.data() + done * channels_, frames - done);
        if (n == -EAGAIN) continue;
        if (n < 0) {
            if (n == -EPIPE) {
                ++overruns_;
                sdk::log_debug("alsa: overrun on {}", device_);
            }
            // Handles -EPIPE (overrun), -ESTRPIPE (suspended) and -EINTR; anything else is fatal.
            const int r = snd_pcm_recover(pcm_, static_cast<int>(n), 1);
            if (r < 0) return fmt::format("cannot read from ALSA device {}: {}", device_, snd_strerror(r));
            continue;
        }
        done += static_cast<std::size_t>(n);
    }
    downmix(std::span<const float>(interleaved_).first(frames * channels_), channels_, mono);
    return frames;
}

}  // namespace vj::audio::program
