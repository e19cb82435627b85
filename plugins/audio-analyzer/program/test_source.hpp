// The test: input: a generated signal (click track, sine, noise, silence) from the core's Generator.
// Part of vj-audio: GPL-3.0-or-later, because the program links aubio (GPL-3+).
#pragma once

#include <vector>

#include "audio-analyzer/generator.hpp"
#include "audio-analyzer/program/input_source.hpp"

namespace vj::audio::program {

class TestSource final : public InputSource {
public:
    /// Precondition: the signal's parameters passed parse_input_spec (and sample_rate validate()).
    TestSource(Signal signal, double sample_rate);

    Drive drive() const override { return Drive::clocked; }
    double sample_rate() const override { return generator_.sample_rate(); }
    std::size_t channels() const override { return 1; }
    boost::system::result<std::size_t, std::string> read(std::span<float> mono) override;
    /// Generates and discards: the signal goes on in time as a live one would.
    boost::system::result<void, std::string> skip(std::int64_t samples) override;
    bool ended() const override { return false; }

private:
    Generator generator_;
    std::vector<float> discard_;
};

}  // namespace vj::audio::program
