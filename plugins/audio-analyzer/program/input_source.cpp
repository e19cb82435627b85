// Opening the input source an --input spec names.
// Part of vj-audio: GPL-3.0-or-later, because the program links aubio (GPL-3+).
#include "audio-analyzer/program/input_source.hpp"

#include <unistd.h>

#include "audio-analyzer/program/alsa_source.hpp"
#include "audio-analyzer/program/file_source.hpp"
#include "audio-analyzer/program/pulse_source.hpp"
#include "audio-analyzer/program/stdin_source.hpp"
#include "audio-analyzer/program/test_source.hpp"

namespace vj::audio::program {

boost::system::result<std::unique_ptr<InputSource>, std::string> open_input(const InputSpec& spec, const InputParams& p) {
    using Opened = boost::system::result<std::unique_ptr<InputSource>, std::string>;
    // result<unique_ptr<Derived>> does not convert to result<unique_ptr<Base>>: unwrap by hand.
    auto upcast = [](auto opened) -> Opened {
        if (!opened) return opened.error();
        return std::unique_ptr<InputSource>(std::move(*opened));
    };
    struct Open {
        const InputParams& p;
        decltype(upcast)& up;
        Opened operator()(const TestInput& t) const {
            return std::unique_ptr<InputSource>(new TestSource(t.signal, p.sample_rate));
        }
        Opened operator()(const FileInput& f) const { return up(FileSource::open(f.path, p.loop)); }
        Opened operator()(const StdinInput&) const {
            return std::unique_ptr<InputSource>(new StdinSource(STDIN_FILENO, p.sample_rate, p.channels));
        }
        Opened operator()(const PulseInput& s) const { return up(PulseSource::open(s.source, p.sample_rate, p.channels, p.hop)); }
        Opened operator()(const AlsaInput& a) const { return up(AlsaSource::open(a.device, p.sample_rate, p.channels, p.hop)); }
    };
    return std::visit(Open{p, upcast}, spec);
}

}  // namespace vj::audio::program
