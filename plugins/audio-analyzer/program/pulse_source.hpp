// The pulse input: PulseAudio's simple API (PipeWire too, through pipewire-pulse), float32 frames
// one hop at a time, with the server's fragment size set to one hop so that latency is ~1 hop.
// Part of vj-audio: GPL-3.0-or-later, because the program links aubio (GPL-3+).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "audio-analyzer/program/input_source.hpp"

struct pa_simple;

namespace vj::audio::program {

class PulseSource final : public InputSource {
public:
    /// Connects a record stream to `source` (empty: the server's default source; a sink's sound is
    /// "SINK.monitor" or "@DEFAULT_MONITOR@"), then throws away the backlog the server had queued
    /// before the first read. The server is found as libpulse finds it ($PULSE_SERVER, the user's
    /// runtime directory).
    static boost::system::result<std::unique_ptr<PulseSource>, std::string> open(const std::string& source, double sample_rate,
                                                                                 std::size_t channels, std::size_t hop);
    ~PulseSource() override;

    Drive drive() const override { return Drive::blocking; }
    double sample_rate() const override { return sample_rate_; }
    std::size_t channels() const override { return channels_; }
    boost::system::result<std::size_t, std::string> read(std::span<float> mono) override;
    boost::system::result<void, std::string> skip(std::int64_t) override { return {}; }
    bool ended() const override { return false; }

private:
    PulseSource(pa_simple* stream, std::string name, double sample_rate, std::size_t channels);

    pa_simple* stream_;
    std::string name_;
    double sample_rate_;
    std::size_t channels_;
    std::vector<float> interleaved_;
};

}  // namespace vj::audio::program
