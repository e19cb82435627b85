// What vj-audio reads audio from: the interface every input kind implements, and opening the one
// an --input spec names. Sources deliver mono samples (multi-channel input is mixed down).
// Part of vj-audio: GPL-3.0-or-later, because the program links aubio (GPL-3+).
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>

#include <boost/system/result.hpp>

#include "audio-analyzer/program/input_spec.hpp"

namespace vj::audio::program {

class InputSource {
public:
    /// How the program's loop drives a source.
    enum class Drive {
        clocked,     ///< produces on demand (test:, file:): paced by the wall clock, or --fast
        blocking,    ///< read() blocks until a hop has arrived (alsa): the device paces
        readiness,   ///< read() takes what fd() has ready (stdin; pulse, from its capture thread): the writer paces
    };

    virtual ~InputSource() = default;

    virtual Drive drive() const = 0;
    virtual double sample_rate() const = 0;
    /// Channels as read, before the mixdown.
    virtual std::size_t channels() const = 0;

    /// Reads mono samples into `mono` and returns how many. clocked: mono.size() unless the source
    /// ends first (then fewer; 0 once it has ended). blocking: waits for all of them.
    /// readiness: one read(2) of what is ready, possibly 0; ended() tells the end apart.
    /// The error names the input and the failed step.
    virtual boost::system::result<std::size_t, std::string> read(std::span<float> mono) = 0;

    /// Skips `samples` samples without reading them out (a clocked source that fell behind).
    virtual boost::system::result<void, std::string> skip(std::int64_t samples) = 0;

    /// True once the source has nothing more to give (end of file without --loop, end of stdin).
    virtual bool ended() const = 0;

    /// The file descriptor a readiness source is read from; -1 for the others.
    virtual int fd() const { return -1; }

    /// Overruns reported by the capture device (samples lost before we read them); ALSA only.
    virtual std::uint64_t overruns() const { return 0; }

    /// A readiness source that should deliver all the time (a sound server sends every hop, in
    /// silence too): no audio for this long is a failure, so that a hung server ends the run
    /// (exit 1) and the supervisor restarts it. None for stdin, whose writer may pause.
    virtual std::optional<std::chrono::milliseconds> stall_limit() const { return std::nullopt; }
};

/// How to open a source, besides its spec.
struct InputParams {
    double sample_rate = 44100.0;   ///< test:, stdin, pulse, alsa (a file has its own)
    std::size_t channels = 2;       ///< stdin, pulse, alsa
    std::size_t hop = 512;          ///< blocking sources read one hop at a time
    bool loop = false;              ///< file: start again at the end
};

/// Opens the source `spec` names. The error names the input and why: "cannot open
/// /srv/a.wav: System error : No such file or directory.".
boost::system::result<std::unique_ptr<InputSource>, std::string> open_input(const InputSpec& spec, const InputParams& params);

}  // namespace vj::audio::program
