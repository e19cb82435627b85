// The pulse input: PulseAudio's simple API (PipeWire too, through pipewire-pulse), float32 frames
// one hop at a time, with the server's fragment size set to one hop so that latency is ~1 hop.
//
// pa_simple_read blocks, and a server that stops answering (stopped, hung, a suspended machine)
// would block it for good: the worker's loop would never see SIGTERM. So a capture thread does the
// blocking reads and writes the frames into a pipe, and the main loop polls the pipe beside the
// signalfd, like stdin. A stop is then prompt whatever the server does, and five seconds without
// audio end the run with an error (stall_limit), for the supervisor to restart it.
// Part of vj-audio: GPL-3.0-or-later, because the program links aubio (GPL-3+).
#pragma once

#include <memory>
#include <string>
#include <thread>

#include "audio-analyzer/program/input_source.hpp"
#include "audio-analyzer/program/stdin_source.hpp"

struct pa_simple;

namespace vj::audio::program {

class PulseSource final : public InputSource {
public:
    /// Connects a record stream to `source` (empty: the server's default source; a sink's sound is
    /// "SINK.monitor" or "@DEFAULT_MONITOR@"), throws away the backlog the server had queued before
    /// the first read, and starts the capture thread. The server is found as libpulse finds it
    /// ($PULSE_SERVER, the user's runtime directory).
    static boost::system::result<std::unique_ptr<PulseSource>, std::string> open(const std::string& source, double sample_rate,
                                                                                 std::size_t channels, std::size_t hop);
    /// Stops the capture thread. If the server does not let its read return within 250 ms, the
    /// thread is left behind (with the stream, which it frees if the read ever returns) rather
    /// than holding up the exit.
    ~PulseSource() override;

    Drive drive() const override { return Drive::readiness; }
    double sample_rate() const override { return frames_.sample_rate(); }
    std::size_t channels() const override { return frames_.channels(); }
    /// What the capture thread has written so far (called when fd() is readable). Once the thread
    /// has stopped on an error, that error: "cannot read from PulseAudio source X: Connection
    /// terminated".
    boost::system::result<std::size_t, std::string> read(std::span<float> mono) override;
    boost::system::result<void, std::string> skip(std::int64_t) override { return {}; }
    bool ended() const override { return false; }
    int fd() const override { return frames_.fd(); }
    /// The server sends a hop every ~12 ms, silence included: 5 s of nothing means it hangs.
    std::optional<std::chrono::milliseconds> stall_limit() const override { return std::chrono::seconds(5); }

    struct Capture;   // what the capture thread shares with the source; outlives it if need be

private:
    PulseSource(std::shared_ptr<Capture> capture, int read_fd, double sample_rate, std::size_t channels);

    std::shared_ptr<Capture> capture_;
    int read_fd_;
    StdinSource frames_;   // reads the pipe: interleaved float32, a frame split across reads kept
    std::thread thread_;
};

}  // namespace vj::audio::program
