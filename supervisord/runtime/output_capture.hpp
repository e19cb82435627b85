// Captures one output stream of an instance through a pipe that outlives its processes: drains it
// continuously into the log file, an in-memory ring (for `vjctl tail`), followers and forwarding.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <system_error>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/system/result.hpp>

#include "core/line_splitter.hpp"
#include "core/spec.hpp"
#include "os/unique_fd.hpp"
#include "runtime/log_file.hpp"

namespace vj::runtime {

using SystemTime = std::chrono::system_clock::time_point;

/// A line as `vjctl tail` shows it.
struct TailLine {
    std::uint64_t seq;  ///< arrival order across all streams of all instances
    SystemTime time;    ///< when the chunk that ended the line arrived
    std::string text;
};

/// The last bytes of a stream, as they arrived: one chunk per read, bounded in total.
class Ring {
public:
    explicit Ring(std::size_t limit) : limit_(limit) {}
    void push(std::uint64_t seq, SystemTime time, std::string_view data);
    /// The last `n` lines (a trailing unfinished line counts), oldest first.
    std::vector<TailLine> last_lines(std::size_t n) const;

private:
    struct Chunk {
        std::uint64_t seq;
        SystemTime time;
        std::string data;
    };
    std::size_t limit_;
    std::size_t total_ = 0;
    std::deque<Chunk> chunks_;
};

/// Where the lines of one logical stream go: file, ring, followers. Two pipes share one sink when
/// stderr is merged into stdout.
class StreamSink {
public:
    using Follower = std::function<void(const TailLine&)>;

    StreamSink(std::string instance, std::string stream, const core::LogSpec& spec, LogFileOptions file);

    /// Bytes read from a pipe (any chunking).
    void accept(std::string_view data, SystemTime now);
    /// Retries a refusing log file; true when nothing is held.
    bool flush(SystemTime now) { return file_.flush(now); }
    bool holding() const { return file_.holding(); }

    std::vector<TailLine> last_lines(std::size_t n) const { return ring_.last_lines(n); }
    int follow(Follower f);
    void unfollow(int id);
    const std::string& instance() const { return instance_; }
    const std::string& stream() const { return stream_; }

private:
    void line(std::string_view text, bool complete, SystemTime now);

    std::string instance_;
    std::string stream_;
    bool timestamps_;
    bool forward_;
    LogFile file_;
    Ring ring_;
    core::LineSplitter splitter_;  ///< runs only when someone needs lines (timestamps, followers, forward)
    std::map<int, Follower> followers_;
    int next_follower_ = 1;
};

/// The read end of one pipe, drained into a sink. The pipe lives as long as the instance, so
/// output survives restarts, but the supervisor holds only its read end: a write end is opened
/// for each spawn (writer()) and closed once the child has it. One descriptor per stream, not
/// two: 10,000 services fit in 10,000 descriptors plus a few.
///
/// When the last writer (the service and whatever it left behind) has closed, the pipe reads
/// end-of-file; the reader then stops waiting on it until writer() hands out a new write end.
class PipeReader {
public:
    /// Takes over the read end of an existing pipe (made non-blocking here).
    PipeReader(boost::asio::io_context& io, os::UniqueFd read_end, std::shared_ptr<StreamSink> sink);
    ~PipeReader();
    /// A new write end of this pipe (O_CLOEXEC), to dup2 onto a child's stdout or stderr and
    /// close after the spawn; opened as /proc/self/fd/N, which Linux opens as the same pipe.
    /// Wakes the reader up again if it had seen end-of-file.
    boost::system::result<os::UniqueFd, std::error_code> writer();
    void start();

    /// Creates a pipe (1 MiB capacity where allowed) and a reader on its read end; the write end
    /// is closed at once (writer() opens one when a child needs it).
    static std::unique_ptr<PipeReader> create(boost::asio::io_context& io, std::shared_ptr<StreamSink> sink);

private:
    void read();
    void on_readable();
    void arm_retry();
    static std::vector<char>& shared_buffer();

    boost::asio::posix::stream_descriptor read_end_;
    std::shared_ptr<StreamSink> sink_;
    boost::asio::steady_timer retry_;
    bool retry_armed_ = false;
    bool waiting_ = false;   ///< a wait for readability is pending (false after end-of-file)
};

/// Formats `t` as RFC 3339 UTC with milliseconds: 2026-11-24T01:02:03.456Z
std::string rfc3339(SystemTime t);

}  // namespace vj::runtime
