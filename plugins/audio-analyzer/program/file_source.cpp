// Reading audio files with libsndfile, mixed down to mono, looped on request.
// Part of vj-audio: GPL-3.0-or-later, because the program links aubio (GPL-3+).
#include "audio-analyzer/program/file_source.hpp"

#include <sndfile.h>

#include <fmt/format.h>

#include "audio-analyzer/downmix.hpp"

namespace vj::audio::program {

boost::system::result<std::unique_ptr<FileSource>, std::string> FileSource::open(const std::string& path, bool loop) {
    SF_INFO info{};
    SNDFILE* file = sf_open(path.c_str(), SFM_READ, &info);
    if (!file) return fmt::format("cannot open {}: {}", path, sf_strerror(nullptr));
    if (info.channels < 1 || info.samplerate < 1) {
        sf_close(file);
        return fmt::format("cannot read {}: it declares {} channels at {} Hz", path, info.channels, info.samplerate);
    }
    if (loop && info.frames <= 0) {
        sf_close(file);
        return fmt::format("cannot loop {}: it holds no audio", path);
    }
    return std::unique_ptr<FileSource>(new FileSource(file, path, info.samplerate, static_cast<std::size_t>(info.channels),
                                                      info.frames, loop));
}

FileSource::FileSource(sf_private_tag* file, std::string path, double sample_rate, std::size_t channels, std::int64_t frames,
                       bool loop)
    : file_(file), path_(std::move(path)), sample_rate_(sample_rate), channels_(channels), frames_(frames), loop_(loop) {}

FileSource::~FileSource() { sf_close(file_); }

boost::system::result<std::size_t, std::string> FileSource::read(std::span<float> mono) {
    if (interleaved_.size() < mono.size() * channels_) interleaved_.resize(mono.size() * channels_);
    std::size_t done = 0;
    bool rewound = false;   // a second end without a frame in between: the file has shrunk to nothing
    while (done < mono.size() && !ended_) {
        const std::size_t want = mono.size() - done;
        const sf_count_t got = sf_readf_float(file_, interleaved_.data(), static_cast<sf_count_t>(want));
        if (got < 0 || (got == 0 && sf_error(file_) != SF_ERR_NO_ERROR)) {
            return fmt::format("cannot read {}: {}", path_, sf_strerror(file_));
        }
        const auto n = static_cast<std::size_t>(got);
        downmix(std::span<const float>(interleaved_).first(n * channels_), channels_, mono.subspan(done, n));
        done += n;
        if (n > 0) rewound = false;
        if (n == want) break;
        if (!loop_ || rewound) {
            ended_ = true;
            break;
        }
        if (sf_seek(file_, 0, SEEK_SET) < 0) return fmt::format("cannot loop {}: {}", path_, sf_strerror(file_));
        rewound = true;
    }
    return done;
}

boost::system::result<void, std::string> FileSource::skip(std::int64_t samples) {
    const sf_count_t at = sf_seek(file_, 0, SEEK_CUR);
    if (at < 0) return fmt::format("cannot skip in {}: {}", path_, sf_strerror(file_));
    std::int64_t target = at + samples;
    if (target >= frames_) {
        if (!loop_) {
            ended_ = true;
            return {};
        }
        target %= frames_;
    }
    if (sf_seek(file_, target, SEEK_SET) < 0) return fmt::format("cannot skip in {}: {}", path_, sf_strerror(file_));
    return {};
}

}  // namespace vj::audio::program
