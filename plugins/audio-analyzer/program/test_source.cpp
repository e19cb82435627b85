// Generated test signals as an input source.
// Part of vj-audio: GPL-3.0-or-later, because the program links aubio (GPL-3+).
#include "audio-analyzer/program/test_source.hpp"

#include <algorithm>

namespace vj::audio::program {

TestSource::TestSource(Signal signal, double sample_rate) : generator_(std::move(signal), sample_rate), discard_(4096) {}

boost::system::result<std::size_t, std::string> TestSource::read(std::span<float> mono) {
    generator_.next(mono);
    return mono.size();
}

boost::system::result<void, std::string> TestSource::skip(std::int64_t samples) {
    while (samples > 0) {
        const auto n = static_cast<std::size_t>(std::min<std::int64_t>(samples, static_cast<std::int64_t>(discard_.size())));
        generator_.next(std::span<float>(discard_).first(n));
        samples -= static_cast<std::int64_t>(n);
    }
    return {};
}

}  // namespace vj::audio::program
