// The stdin input: raw interleaved float32 little-endian PCM, read as it arrives, mixed down to mono.
// Part of vj-audio: GPL-3.0-or-later, because the program links aubio (GPL-3+).
#pragma once

#include <cstddef>
#include <vector>

#include "audio-analyzer/program/input_source.hpp"

namespace vj::audio::program {

class StdinSource final : public InputSource {
public:
    /// Reads from `fd` (0 for stdin; the source does not own it). Preconditions: channels ≥ 1.
    StdinSource(int fd, double sample_rate, std::size_t channels);

    Drive drive() const override { return Drive::readiness; }
    double sample_rate() const override { return sample_rate_; }
    std::size_t channels() const override { return channels_; }
    /// One read(2), called when poll(2) says the fd is readable, so it does not block (the fd is
    /// left in blocking mode: O_NONBLOCK would change the file description a shell may share).
    /// A frame split across reads waits for its other bytes.
    boost::system::result<std::size_t, std::string> read(std::span<float> mono) override;
    boost::system::result<void, std::string> skip(std::int64_t samples) override;
    bool ended() const override { return ended_; }
    int fd() const override { return fd_; }

private:
    int fd_;
    double sample_rate_;
    std::size_t channels_;
    bool ended_ = false;
    std::vector<unsigned char> bytes_;   // raw input; the first pending_ bytes are a partial frame
    std::size_t pending_ = 0;
    std::vector<float> interleaved_;
};

}  // namespace vj::audio::program
