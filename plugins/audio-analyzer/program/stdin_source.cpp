// Raw float32 PCM from a file descriptor: partial frames kept across reads, byte order fixed up.
// Part of vj-audio: GPL-3.0-or-later, because the program links aubio (GPL-3+).
#include "audio-analyzer/program/stdin_source.hpp"

#include <unistd.h>

#include <bit>
#include <cerrno>
#include <cstring>

#include <fmt/format.h>

#include "audio-analyzer/downmix.hpp"

namespace vj::audio::program {

StdinSource::StdinSource(int fd, double sample_rate, std::size_t channels)
    : fd_(fd), sample_rate_(sample_rate), channels_(channels) {}

boost::system::result<std::size_t, std::string> StdinSource::read(std::span<float> mono) {
    const std::size_t frame_bytes = channels_ * sizeof(float);
    const std::size_t want = mono.size() * frame_bytes;
    if (bytes_.size() < want) bytes_.resize(want);
    if (interleaved_.size() < mono.size() * channels_) interleaved_.resize(mono.size() * channels_);
    // Room for at most mono.size() frames, the partial frame kept from last time included.
    const ssize_t n = ::read(fd_, bytes_.data() + pending_, want - pending_);
    if (n < 0) {
        if (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK) return std::size_t{0};
        return fmt::format("cannot read stdin: {}", std::strerror(errno));
    }
    if (n == 0) {
        ended_ = true;   // a trailing partial frame is not audio: dropped
        return std::size_t{0};
    }
    const std::size_t have = pending_ + static_cast<std::size_t>(n);
    const std::size_t frames = have / frame_bytes;
    const std::size_t samples = frames * channels_;
    std::memcpy(interleaved_.data(), bytes_.data(), samples * sizeof(float));
    if constexpr (std::endian::native == std::endian::big) {
        for (std::size_t i = 0; i < samples; ++i) {
            std::uint32_t bits;
            std::memcpy(&bits, &interleaved_[i], sizeof bits);
            bits = __builtin_bswap32(bits);
            std::memcpy(&interleaved_[i], &bits, sizeof bits);
        }
    }
    pending_ = have - frames * frame_bytes;
    std::memmove(bytes_.data(), bytes_.data() + frames * frame_bytes, pending_);
    downmix(std::span<const float>(interleaved_).first(samples), channels_, mono.first(frames));
    return frames;
}

boost::system::result<void, std::string> StdinSource::skip(std::int64_t) {
    // Never asked: stdin is paced by its writer, not by the clock.
    return {};
}

}  // namespace vj::audio::program
