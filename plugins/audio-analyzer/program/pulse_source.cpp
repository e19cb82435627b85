// PulseAudio capture through pa_simple: connect with a one-hop fragment, drop the start-up backlog, read.
// Part of vj-audio: GPL-3.0-or-later, because the program links aubio (GPL-3+).
#include "audio-analyzer/program/pulse_source.hpp"

#include <pulse/error.h>
#include <pulse/simple.h>

#include <cstdint>

#include <fmt/format.h>

#include "audio-analyzer/downmix.hpp"
#include "sdk/log.hpp"

namespace vj::audio::program {

boost::system::result<std::unique_ptr<PulseSource>, std::string> PulseSource::open(const std::string& source, double sample_rate,
                                                                                    std::size_t channels, std::size_t hop) {
    const std::string name = source.empty() ? "PulseAudio's default source" : "PulseAudio source " + source;
    if (channels > PA_CHANNELS_MAX)
        return fmt::format("cannot record from {}: PulseAudio takes at most {} channels", name, PA_CHANNELS_MAX);
    pa_sample_spec spec{};
    spec.format = PA_SAMPLE_FLOAT32LE;
    spec.rate = static_cast<std::uint32_t>(sample_rate);
    spec.channels = static_cast<std::uint8_t>(channels);
    // fragsize is how much the server gathers before it sends: left at -1 it "will default to
    // something like 2s" (pulse/def.h), two seconds of latency. One hop keeps it to ~1 hop.
    pa_buffer_attr attr{};
    attr.maxlength = static_cast<std::uint32_t>(-1);
    attr.tlength = static_cast<std::uint32_t>(-1);
    attr.prebuf = static_cast<std::uint32_t>(-1);
    attr.minreq = static_cast<std::uint32_t>(-1);
    attr.fragsize = static_cast<std::uint32_t>(hop * channels * sizeof(float));
    int error = 0;
    pa_simple* stream = pa_simple_new(nullptr, "vj-audio", PA_STREAM_RECORD, source.empty() ? nullptr : source.c_str(),
                                      "analysis", &spec, nullptr, &attr, &error);
    if (!stream) return fmt::format("cannot record from {}: {}", name, pa_strerror(error));
    std::unique_ptr<PulseSource> self(new PulseSource(stream, name, sample_rate, channels));

    // The first reads return what queued up while the stream was being set up (~0.6 s measured,
    // VJ-NOTES §3.4): flush it, then read and drop until what is waiting is under two hops, so
    // the first analysed hop is live. Bounded, so that a server reporting odd latencies cannot
    // keep us here.
    const pa_usec_t hop_us = static_cast<pa_usec_t>(1e6 * static_cast<double>(hop) / sample_rate);
    if (pa_simple_flush(stream, &error) < 0) sdk::log_debug("pulse: flush: {}", pa_strerror(error));
    std::vector<float> discard(hop);
    const auto max_discards = static_cast<int>(sample_rate / static_cast<double>(hop)) + 1;   // one second
    for (int i = 0; i < max_discards; ++i) {
        const pa_usec_t latency = pa_simple_get_latency(stream, &error);
        if (latency == static_cast<pa_usec_t>(-1) || latency <= 2 * hop_us) break;
        if (auto r = self->read(discard); !r) return r.error();
    }
    return self;
}

PulseSource::PulseSource(pa_simple* stream, std::string name, double sample_rate, std::size_t channels)
    : stream_(stream), name_(std::move(name)), sample_rate_(sample_rate), channels_(channels) {}

PulseSource::~PulseSource() { pa_simple_free(stream_); }

boost::system::result<std::size_t, std::string> PulseSource::read(std::span<float> mono) {
    const std::size_t samples = mono.size() * channels_;
    if (interleaved_.size() < samples) interleaved_.resize(samples);
    int error = 0;
    if (pa_simple_read(stream_, interleaved_.data(), samples * sizeof(float), &error) < 0) {
        return fmt::format("cannot read from {}: {}", name_, pa_strerror(error));
    }
    downmix(std::span<const float>(interleaved_).first(samples), channels_, mono);
    return mono.size();
}

}  // namespace vj::audio::program
