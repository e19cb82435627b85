// The file: input: any format libsndfile reads, any channel count mixed down to mono, optionally looped.
// Part of vj-audio: GPL-3.0-or-later, because the program links aubio (GPL-3+).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "audio-analyzer/program/input_source.hpp"

struct sf_private_tag;

namespace vj::audio::program {

class FileSource final : public InputSource {
public:
    /// Opens `path`. Fails when libsndfile cannot read it, or when it holds no audio and `loop`
    /// is asked for (a loop over nothing would never end).
    static boost::system::result<std::unique_ptr<FileSource>, std::string> open(const std::string& path, bool loop);
    ~FileSource() override;

    Drive drive() const override { return Drive::clocked; }
    double sample_rate() const override { return sample_rate_; }
    std::size_t channels() const override { return channels_; }
    /// Reads and mixes down; at the end of the file starts again with --loop, else ends.
    boost::system::result<std::size_t, std::string> read(std::span<float> mono) override;
    boost::system::result<void, std::string> skip(std::int64_t samples) override;
    bool ended() const override { return ended_; }

private:
    FileSource(sf_private_tag* file, std::string path, double sample_rate, std::size_t channels, std::int64_t frames, bool loop);

    sf_private_tag* file_;
    std::string path_;
    double sample_rate_;
    std::size_t channels_;
    std::int64_t frames_;          // length in frames, as the header says
    bool loop_;
    bool ended_ = false;
    std::vector<float> interleaved_;
};

}  // namespace vj::audio::program
