// PulseAudio capture through pa_simple: connect with a one-hop fragment, drop the start-up backlog,
// then a capture thread reads hop after hop into a pipe that the main loop polls.
// Part of vj-audio: GPL-3.0-or-later, because the program links aubio (GPL-3+).
#include "audio-analyzer/program/pulse_source.hpp"

#include <pulse/error.h>
#include <pulse/simple.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstring>
#include <mutex>
#include <vector>

#include <fcntl.h>
#include <unistd.h>

#include <fmt/format.h>

#include "sdk/log.hpp"

namespace vj::audio::program {

struct PulseSource::Capture {
    pa_simple* stream = nullptr;
    int write_fd = -1;
    std::string name;
    std::size_t bytes_per_hop = 0;
    std::atomic<bool> stopping{false};

    std::mutex mutex;
    std::condition_variable finished_cv;
    bool finished = false;
    std::string error;   // why the thread stopped, when it was not asked to

    // The thread's body: read a hop, write it whole (the pipe may take it in parts), until asked
    // to stop, the server fails, or the reader closed its end (EPIPE: SIGPIPE is ignored by the
    // Worker). Frees the stream and closes the write end, which the reader sees as end of file.
    void run() {
        std::vector<unsigned char> hop(bytes_per_hop);
        std::string why;
        while (!stopping.load()) {
            int error_code = 0;
            if (pa_simple_read(stream, hop.data(), hop.size(), &error_code) < 0) {
                why = fmt::format("cannot read from {}: {}", name, pa_strerror(error_code));
                break;
            }
            std::size_t done = 0;
            while (done < hop.size()) {
                const ssize_t n = ::write(write_fd, hop.data() + done, hop.size() - done);
                if (n < 0 && errno == EINTR) continue;
                if (n <= 0) break;
                done += static_cast<std::size_t>(n);
            }
            if (done < hop.size()) {
                if (!stopping.load()) why = fmt::format("capture of {}: cannot pass audio on: {}", name, std::strerror(errno));
                break;
            }
        }
        pa_simple_free(stream);
        std::lock_guard lock(mutex);
        error = std::move(why);
        ::close(write_fd);
        finished = true;
        finished_cv.notify_all();
    }
};

boost::system::result<std::unique_ptr<PulseSource>, std::string> PulseSource::open(const std::string& source, double sample_rate,
                                                                                    std::size_t channels, std::size_t hop) {
    const std::string name = source.empty() ? "PulseAudio's default source" : "PulseAudio source " + source;
    if (channels > PA_CHANNELS_MAX)
        return fmt::format("cannot record from {}: PulseAudio takes at most {} channels", name, PA_CHANNELS_MAX);
    pa_sample_spec spec{};
    spec.format = PA_SAMPLE_FLOAT32LE;
    spec.rate = static_cast<std::uint32_t>(sample_rate);
    spec.channels = static_cast<std::uint8_t>(channels);
    const std::size_t bytes_per_hop = hop * channels * sizeof(float);
    // fragsize is how much the server gathers before it sends: left at -1 it "will default to
    // something like 2s" (pulse/def.h), two seconds of latency. One hop keeps it to ~1 hop.
    pa_buffer_attr attr{};
    attr.maxlength = static_cast<std::uint32_t>(-1);
    attr.tlength = static_cast<std::uint32_t>(-1);
    attr.prebuf = static_cast<std::uint32_t>(-1);
    attr.minreq = static_cast<std::uint32_t>(-1);
    attr.fragsize = static_cast<std::uint32_t>(bytes_per_hop);
    int error = 0;
    pa_simple* stream = pa_simple_new(nullptr, "vj-audio", PA_STREAM_RECORD, source.empty() ? nullptr : source.c_str(),
                                      "analysis", &spec, nullptr, &attr, &error);
    if (!stream) return fmt::format("cannot record from {}: {}", name, pa_strerror(error));

    // The first reads return what queued up while the stream was being set up (~0.6 s measured,
    // VJ-NOTES §3.4): flush it, then read and drop until what is waiting is under two hops, so
    // the first analysed hop is live. Bounded, so that a server reporting odd latencies cannot
    // keep us here.
    const pa_usec_t hop_us = static_cast<pa_usec_t>(1e6 * static_cast<double>(hop) / sample_rate);
    if (pa_simple_flush(stream, &error) < 0) sdk::log_debug("pulse: flush: {}", pa_strerror(error));
    std::vector<unsigned char> discard(bytes_per_hop);
    const auto max_discards = static_cast<int>(sample_rate / static_cast<double>(hop)) + 1;   // one second
    for (int i = 0; i < max_discards; ++i) {
        const pa_usec_t latency = pa_simple_get_latency(stream, &error);
        if (latency == static_cast<pa_usec_t>(-1) || latency <= 2 * hop_us) break;
        if (pa_simple_read(stream, discard.data(), discard.size(), &error) < 0) {
            pa_simple_free(stream);
            return fmt::format("cannot read from {}: {}", name, pa_strerror(error));
        }
    }

    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) {
        pa_simple_free(stream);
        return fmt::format("cannot record from {}: pipe: {}", name, std::strerror(errno));
    }
    auto capture = std::make_shared<Capture>();
    capture->stream = stream;
    capture->write_fd = fds[1];
    capture->name = name;
    capture->bytes_per_hop = bytes_per_hop;
    return std::unique_ptr<PulseSource>(new PulseSource(std::move(capture), fds[0], sample_rate, channels));
}

PulseSource::PulseSource(std::shared_ptr<Capture> capture, int read_fd, double sample_rate, std::size_t channels)
    : capture_(std::move(capture)), read_fd_(read_fd), frames_(read_fd, sample_rate, channels),
      // The thread holds its own reference: if it has to be left behind, the state stays valid.
      thread_([c = capture_] { c->run(); }) {}

PulseSource::~PulseSource() {
    capture_->stopping = true;
    ::close(read_fd_);   // a write blocked on a full pipe fails with EPIPE now
    std::unique_lock lock(capture_->mutex);
    const bool finished =
        capture_->finished_cv.wait_for(lock, std::chrono::milliseconds(250), [&] { return capture_->finished; });
    lock.unlock();
    if (finished) {
        thread_.join();
    } else {
        sdk::log_warn("{} does not answer: leaving without closing the stream", capture_->name);
        thread_.detach();
    }
}

boost::system::result<std::size_t, std::string> PulseSource::read(std::span<float> mono) {
    auto n = frames_.read(mono);
    if (!n) return n;
    if (frames_.ended()) {   // the thread closed its end: it stopped, and says why
        std::lock_guard lock(capture_->mutex);
        return capture_->error.empty() ? fmt::format("{}: the capture stopped", capture_->name) : capture_->error;
    }
    return n;
}

}  // namespace vj::audio::program
