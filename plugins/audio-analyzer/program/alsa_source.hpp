// The alsa input: an ALSA capture device in float frames, one hop per read, recovering from overruns.
// Part of vj-audio: GPL-3.0-or-later, because the program links aubio (GPL-3+).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "audio-analyzer/program/input_source.hpp"

struct _snd_pcm;

namespace vj::audio::program {

class AlsaSource final : public InputSource {
public:
    /// Opens `device` ("default", "hw:1,0", "plughw:CARD=PCH") for capture at `sample_rate` with
    /// `channels` interleaved FLOAT_LE channels, resampling in alsa-lib if the hardware needs it,
    /// with a buffer of four hops.
    static boost::system::result<std::unique_ptr<AlsaSource>, std::string> open(const std::string& device, double sample_rate,
                                                                                std::size_t channels, std::size_t hop);
    ~AlsaSource() override;

    Drive drive() const override { return Drive::blocking; }
    double sample_rate() const override { return sample_rate_; }
    std::size_t channels() const override { return channels_; }
    /// Reads a whole hop. An overrun (-EPIPE: we were too slow and the device dropped audio) is
    /// recovered with snd_pcm_recover and counted; the hop is then filled from the restarted stream.
    boost::system::result<std::size_t, std::string> read(std::span<float> mono) override;
    boost::system::result<void, std::string> skip(std::int64_t) override { return {}; }
    bool ended() const override { return false; }
    std::uint64_t overruns() const override { return overruns_; }

private:
    AlsaSource(_snd_pcm* pcm, std::string device, double sample_rate, std::size_t channels);

    _snd_pcm* pcm_;
    std::string device_;
    double sample_rate_;
    std::size_t channels_;
    std::uint64_t overruns_ = 0;
    std::vector<float> interleaved_;
};

}  // namespace vj::audio::program
