// Pipe draining, the tail ring, line fan-out to followers and forwarding.
#include "runtime/output_capture.hpp"

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <ctime>

#include "runtime/log.hpp"

namespace vj::runtime {
namespace {

std::uint64_t next_seq() {
    static std::uint64_t seq = 0;  // one io_context thread: no atomics needed
    return ++seq;
}

/// Longest piece a line is cut into for followers and timestamped files.
constexpr std::size_t max_line_piece = 64 * 1024;

/// Writes to supervisord's stdout without ever blocking supervision: if stdout is not writable
/// right now (a stuck journald or terminal), the line is dropped and counted.
void forward_line(std::string_view text) {
    static std::uint64_t dropped = 0;
    pollfd p{1, POLLOUT, 0};
    if (::poll(&p, 1, 0) != 1 || !(p.revents & POLLOUT)) {
        ++dropped;
        return;
    }
    std::string out;
    if (dropped > 0) {
        out = "[vj-supervisor: " + std::to_string(dropped) + " forwarded lines dropped: stdout not writable]\n";
        dropped = 0;
    }
    out.append(text);
    [[maybe_unused]] auto n = ::write(1, out.data(), out.size());
}

}  // namespace

std::string rfc3339(SystemTime t) {
    using namespace std::chrono;
    const std::time_t secs = system_clock::to_time_t(t);
    const auto ms = duration_cast<milliseconds>(t.time_since_epoch()).count() % 1000;
    std::tm tm{};
    ::gmtime_r(&secs, &tm);
    char buf[40];
    const auto n = std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
    std::snprintf(buf + n, sizeof buf - n, ".%03lldZ", static_cast<long long>(ms));
    return buf;
}

// ---- Ring ---------------------------------------------------------------------------------------

void Ring::push(std::uint64_t seq, SystemTime time, std::string_view data) {
    if (limit_ == 0 || data.empty()) return;
    if (data.size() > limit_) data = data.substr(data.size() - limit_);  // only the tail can survive
    chunks_.push_back({seq, time, std::string(data)});
    total_ += data.size();
    while (total_ > limit_) {
        auto& front = chunks_.front();
        const std::size_t excess = total_ - limit_;
        if (front.data.size() <= excess) {
            total_ -= front.data.size();
            chunks_.pop_front();
        } else {
            front.data.erase(0, excess);
            total_ -= excess;
        }
    }
}

std::vector<TailLine> Ring::last_lines(std::size_t n) const {
    // The ring is small (its limit): join it, then cut lines from the back. A line is stamped with
    // the chunk its last byte arrived in.
    std::string all;
    std::vector<std::pair<std::size_t, const Chunk*>> ends;  // end offset of each chunk
    for (const auto& c : chunks_) {
        all += c.data;
        ends.emplace_back(all.size(), &c);
    }
    const auto chunk_of = [&](std::size_t pos) -> const Chunk& {
        const auto it = std::upper_bound(ends.begin(), ends.end(), pos,
                                         [](std::size_t p, const auto& e) { return p < e.first; });
        return *it->second;
    };
    std::vector<TailLine> out;
    std::size_t end = all.size();
    if (end > 0 && all[end - 1] == '\n') --end;  // otherwise the last line is unfinished: shown too
    while (out.size() < n && end > 0) {
        const auto nl = all.rfind('\n', end - 1);
        const std::size_t start = nl == std::string::npos ? 0 : nl + 1;
        const Chunk& c = chunk_of(std::min(end, all.size() - 1));
        out.push_back({c.seq, c.time, all.substr(start, end - start)});
        if (start == 0) break;
        end = start - 1;
    }
    std::reverse(out.begin(), out.end());
    return out;
}

// ---- StreamSink ---------------------------------------------------------------------------------

StreamSink::StreamSink(std::string instance, std::string stream, const core::LogSpec& spec, LogFileOptions file)
    : instance_(std::move(instance)),
      stream_(std::move(stream)),
      timestamps_(spec.timestamps),
      forward_(spec.forward),
      file_(std::move(file)),
      ring_(spec.ring),
      splitter_(max_line_piece) {}

void StreamSink::accept(std::string_view data, SystemTime now) {
    const auto seq = next_seq();
    ring_.push(seq, now, data);
    if (!timestamps_) file_.write(data, now);  // the fast path: bytes as they came
    if (!timestamps_ && !forward_ && followers_.empty()) {
        // Nobody needs lines now; a half line kept from earlier would be glued to the first line
        // of the next follower.
        splitter_.reset();
    } else {
        splitter_.feed(data, [&](std::string_view text, bool complete) {
            if (timestamps_) {
                std::string stamped = rfc3339(now) + " ";
                stamped.append(text);
                stamped += '\n';  // a piece of an over-long line too: files stay line-framed
                file_.write(stamped, now);
            }
            (void)complete;
            line(text, complete, now);
        });
    }
}

void StreamSink::line(std::string_view text, bool, SystemTime now) {
    if (forward_) {
        std::string out = instance_ + ": ";
        out.append(text);
        out += '\n';
        forward_line(out);
    }
    if (followers_.empty()) return;
    const TailLine l{next_seq(), now, std::string(text)};
    // A follower may unfollow from inside its callback: iterate over a copy of the ids.
    std::vector<int> ids;
    for (const auto& [id, f] : followers_) ids.push_back(id);
    for (int id : ids)
        if (auto it = followers_.find(id); it != followers_.end()) it->second(l);
}

int StreamSink::follow(Follower f) {
    followers_[next_follower_] = std::move(f);
    return next_follower_++;
}

void StreamSink::unfollow(int id) { followers_.erase(id); }

// ---- PipeReader ---------------------------------------------------------------------------------

PipeReader::PipeReader(boost::asio::io_context& io, os::UniqueFd read_end, std::shared_ptr<StreamSink> sink)
    : read_end_(io, read_end.release()), sink_(std::move(sink)), retry_(io) {
    read_end_.non_blocking(true);
}

PipeReader::~PipeReader() {
    boost::system::error_code ec;
    read_end_.close(ec);
}

std::unique_ptr<PipeReader> PipeReader::create(boost::asio::io_context& io, std::shared_ptr<StreamSink> sink) {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) {
        log_error("cannot create a pipe for {} {}: {}", sink->instance(), sink->stream(), std::strerror(errno));
        return nullptr;
    }
    os::UniqueFd write_end(fds[1]);  // closed on return: writer() opens one per spawn
    // A bigger pipe means fewer wake-ups under load; refused above pipe-max-size, which is fine.
    ::fcntl(fds[0], F_SETPIPE_SZ, 1 << 20);
    auto r = std::make_unique<PipeReader>(io, os::UniqueFd(fds[0]), std::move(sink));
    r->start();
    return r;
}

boost::system::result<os::UniqueFd, std::error_code> PipeReader::writer() {
    const std::string path = fmt::format("/proc/self/fd/{}", read_end_.native_handle());
    const int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
    if (fd < 0) return std::error_code(errno, std::generic_category());
    if (!waiting_) read();  // it had seen end-of-file: there is a writer again
    return os::UniqueFd(fd);
}

void PipeReader::start() { read(); }

void PipeReader::read() {
    waiting_ = true;
    read_end_.async_wait(boost::asio::posix::stream_descriptor::wait_read, [this](boost::system::error_code ec) {
        waiting_ = false;
        if (ec) return;  // closed (operation_aborted)
        on_readable();
    });
}

/// One read buffer for every pipe: a read is done before the next handler runs (one thread), so
/// a buffer per instance (1 MiB each, 100 MiB for 100 services) would buy nothing.
std::vector<char>& PipeReader::shared_buffer() {
    thread_local std::vector<char> buffer(1 << 20);
    return buffer;
}

void PipeReader::on_readable() {
    const auto now = std::chrono::system_clock::now();
    auto& buffer = shared_buffer();
    // Drain what is there, up to a bound per turn so that other instances and control requests
    // get their turn even while one service floods its pipe.
    std::size_t budget = 8 << 20;
    while (budget > 0) {
        const ssize_t n = ::read(read_end_.native_handle(), buffer.data(), std::min(buffer.size(), budget));
        if (n > 0) {
            sink_->accept(std::string_view(buffer.data(), static_cast<std::size_t>(n)), now);
            budget -= std::min(budget, static_cast<std::size_t>(n));
            continue;
        }
        if (n < 0 && errno == EINTR) continue;
        if (n == 0) {
            // End-of-file: every writer has gone. Waiting again would wake at once, for ever;
            // writer() resumes the wait when the next child gets this pipe.
            if (sink_->holding()) arm_retry();
            return;
        }
        break;  // EAGAIN: drained
    }
    if (sink_->holding()) arm_retry();
    read();
}

void PipeReader::arm_retry() {
    if (retry_armed_) return;
    retry_armed_ = true;
    // A refusing disk is retried every second even when the service is quiet, so that the marker
    // line appears soon after space returns.
    retry_.expires_after(std::chrono::seconds(1));
    retry_.async_wait([this](boost::system::error_code ec) {
        if (ec) return;  // cancelled: this reader may be gone
        retry_armed_ = false;
        if (!sink_->flush(std::chrono::system_clock::now())) arm_retry();
    });
}

}  // namespace vj::runtime
