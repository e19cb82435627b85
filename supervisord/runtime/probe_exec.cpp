// Probe runs on the event loop: heartbeat (stat), command (spawn, pipe, ChildWatch), tcp (connect),
// http (GET over a connect), each with its own timeout and exactly one outcome.
#include "runtime/probe_exec.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <string_view>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <fmt/format.h>

#include "config/value_parsers.hpp"
#include "core/state.hpp"
#include "os/spawn.hpp"
#include "os/unique_fd.hpp"
#include "runtime/log.hpp"

namespace vj::runtime {
namespace {

using Clock = std::chrono::steady_clock;
using boost::asio::ip::tcp;

// ---- message shaping ------------------------------------------------------------------------------

/// Cuts `s` to at most `max` bytes (>= 3) without splitting a UTF-8 sequence; "..." marks the cut.
std::string clamp(std::string s, std::size_t max) {
    if (s.size() <= max) return s;
    std::size_t cut = max - 3;
    while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xc0) == 0x80) --cut;
    s.resize(cut);
    return s + "...";
}

/// `s` as one line: control characters and runs of white space become one space; trimmed.
std::string single_line(std::string_view s) {
    std::string out;
    bool space = false;
    for (const char ch : s) {
        const auto c = static_cast<unsigned char>(ch);
        if (c <= 0x20 || c == 0x7f) {
            space = !out.empty();
            continue;
        }
        if (space) out += ' ';
        space = false;
        out += ch;
    }
    return out;
}

/// The first line of `output` that is not blank, made single-line; empty if there is none.
std::string first_line(std::string_view output) {
    std::size_t start = 0;
    while (start < output.size()) {
        std::size_t end = output.find('\n', start);
        if (end == std::string_view::npos) end = output.size();
        if (auto line = single_line(output.substr(start, end - start)); !line.empty()) return line;
        start = end + 1;
    }
    return {};
}

/// A configured duration as users wrote it ("2s", "300ms").
std::string configured(core::Duration d) { return config::format_duration(d); }

/// A measured duration: "0.3ms", "12.5ms", "1.2s".
std::string measured(Clock::duration d) {
    const double ms = std::chrono::duration<double, std::milli>(d).count();
    return ms < 1000 ? fmt::format("{:.1f}ms", ms) : fmt::format("{:.1f}s", ms / 1000);
}

/// "127.0.0.1:9000", "[::1]:9000", "localhost:80".
std::string authority(const std::string& host, int port) {
    return host.find(':') != std::string::npos ? fmt::format("[{}]:{}", host, port) : fmt::format("{}:{}", host, port);
}

/// VJ_INSTANCE as services see it (supervisord(8)): the instance number, 0 for a single instance.
std::string instance_number(const std::string& instance) {
    const auto colon = instance.rfind(':');
    return colon == std::string::npos ? "0" : instance.substr(colon + 1);
}

// ---- HTTP, pure -----------------------------------------------------------------------------------

struct Url {
    std::string host;  ///< without brackets
    int port = 80;
    std::string host_header;  ///< the authority as written in the URL
    std::string target;       ///< "/path?query"
};

/// `http://HOST[:PORT][/PATH][?QUERY][#FRAGMENT]`; nullopt with `error` otherwise.
std::optional<Url> parse_url(std::string_view url, std::string& error) {
    constexpr std::string_view scheme = "http://";
    if (url.size() < scheme.size() || !std::equal(scheme.begin(), scheme.end(), url.begin(), [](char a, char b) {
            return a == std::tolower(static_cast<unsigned char>(b));
        })) {
        error = "only http:// URLs are supported";
        return std::nullopt;
    }
    url.remove_prefix(scheme.size());
    if (const auto hash = url.find('#'); hash != std::string_view::npos) url = url.substr(0, hash);
    const auto end = url.find_first_of("/?");
    const std::string_view auth = url.substr(0, end);
    std::string_view rest = end == std::string_view::npos ? std::string_view() : url.substr(end);
    Url u;
    u.host_header = std::string(auth);
    u.target = rest.empty() || rest.front() == '?' ? "/" + std::string(rest) : std::string(rest);
    if (auth.find('@') != std::string_view::npos) {
        error = "user information in URLs is not supported";
        return std::nullopt;
    }
    std::string_view host = auth;
    std::string_view port;
    if (auth.starts_with('[')) {
        const auto close = auth.find(']');
        if (close == std::string_view::npos) {
            error = "unterminated '[' in the host";
            return std::nullopt;
        }
        host = auth.substr(1, close - 1);
        const std::string_view after = auth.substr(close + 1);
        if (!after.empty() && !after.starts_with(':')) {
            error = "unexpected text after the host";
            return std::nullopt;
        }
        if (!after.empty()) port = after.substr(1);
    } else if (const auto colon = auth.find(':'); colon != std::string_view::npos) {
        host = auth.substr(0, colon);
        port = auth.substr(colon + 1);
    }
    if (host.empty()) {
        error = "no host";
        return std::nullopt;
    }
    u.host = std::string(host);
    if (!port.empty()) {
        const auto [p, ec] = std::from_chars(port.data(), port.data() + port.size(), u.port);
        if (ec != std::errc() || p != port.data() + port.size() || u.port < 1 || u.port > 65535) {
            error = fmt::format("bad port '{}'", port);
            return std::nullopt;
        }
    }
    return u;
}

bool iequals(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
           });
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
    return s;
}

/// A response as far as it arrived: status line, the headers we use, and the body.
struct Response {
    bool head_complete = false;  ///< the blank line after the headers arrived
    std::string_view status_line;
    int code = 0;  ///< 0: the status line is malformed
    std::string_view reason;
    bool chunked = false;
    std::optional<std::size_t> content_length;
    std::string_view body;  ///< raw (still chunked when `chunked`)
};

Response split_response(std::string_view data) {
    Response r;
    std::size_t head_end = data.find("\r\n\r\n");
    std::size_t body_start = head_end == std::string_view::npos ? head_end : head_end + 4;
    if (const auto lf = data.find("\n\n"); lf != std::string_view::npos && lf < head_end) {
        head_end = lf;
        body_start = lf + 2;
    }
    r.head_complete = head_end != std::string_view::npos;
    const std::string_view head = r.head_complete ? data.substr(0, head_end) : data;
    if (r.head_complete) r.body = data.substr(body_start);

    const auto eol = head.find('\n');
    r.status_line = trim(head.substr(0, eol));
    // HTTP-version SP 3DIGIT [SP reason-phrase] (RFC 9112 §4)
    const std::string_view s = r.status_line;
    const auto sp = s.find(' ');
    if (s.starts_with("HTTP/") && sp != std::string_view::npos && sp > 5 && s.size() >= sp + 4 &&
        std::all_of(s.begin() + 5, s.begin() + static_cast<std::ptrdiff_t>(sp),
                    [](char c) { return std::isdigit(static_cast<unsigned char>(c)) || c == '.'; }) &&
        std::all_of(s.begin() + static_cast<std::ptrdiff_t>(sp + 1), s.begin() + static_cast<std::ptrdiff_t>(sp + 4),
                    [](char c) { return std::isdigit(static_cast<unsigned char>(c)); }) &&
        (s.size() == sp + 4 || s[sp + 4] == ' ')) {
        r.code = std::stoi(std::string(s.substr(sp + 1, 3)));
        r.reason = s.size() > sp + 4 ? trim(s.substr(sp + 5)) : std::string_view();
    }

    std::size_t pos = eol == std::string_view::npos ? head.size() : eol + 1;
    while (pos < head.size()) {
        auto next = head.find('\n', pos);
        if (next == std::string_view::npos) next = head.size();
        const std::string_view line = head.substr(pos, next - pos);
        pos = next + 1;
        const auto colon = line.find(':');
        if (colon == std::string_view::npos) continue;
        const std::string_view name = trim(line.substr(0, colon));
        const std::string_view value = trim(line.substr(colon + 1));
        if (iequals(name, "Transfer-Encoding")) {
            std::string lower(value);
            std::transform(lower.begin(), lower.end(), lower.begin(),
                           [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
            r.chunked = lower.find("chunked") != std::string::npos;
        } else if (iequals(name, "Content-Length")) {
            std::size_t n = 0;
            const auto [p, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
            if (ec == std::errc() && p == value.data() + value.size()) r.content_length = n;
        }
    }
    return r;
}

/// The data of a chunked body, as much of it as arrived (at most `limit` bytes), and whether the last
/// (zero-size) chunk was seen. Lenient: it stops at the first thing that is not a chunk.
std::pair<std::string, bool> dechunk(std::string_view body, std::size_t limit) {
    std::string out;
    std::size_t pos = 0;
    while (pos < body.size() && out.size() < limit) {
        const auto eol = body.find('\n', pos);
        if (eol == std::string_view::npos) break;
        std::string_view size_line = body.substr(pos, eol - pos);
        size_line = trim(size_line.substr(0, size_line.find(';')));  // chunk extensions
        std::size_t size = 0;
        const auto [p, ec] = std::from_chars(size_line.data(), size_line.data() + size_line.size(), size, 16);
        if (size_line.empty() || ec != std::errc() || p != size_line.data() + size_line.size()) break;
        if (size == 0) return {std::move(out), true};
        pos = eol + 1;
        out.append(body.substr(pos, std::min(size, limit - out.size())));
        if (body.size() - pos < size) break;
        pos += size;
        if (body.substr(pos).starts_with("\r\n"))
            pos += 2;
        else if (body.substr(pos).starts_with("\n"))
            pos += 1;
    }
    return {std::move(out), false};
}

/// Whether the whole response is here, so that we need not wait for the server to close.
bool response_complete(std::string_view data) {
    const Response r = split_response(data);
    if (!r.head_complete) return false;
    if (r.code == 0) return true;  // malformed: nothing more to wait for
    if ((r.code >= 100 && r.code < 200) || r.code == 204 || r.code == 304) return true;
    if (r.chunked) return dechunk(r.body, PosixProbeExecutor::max_http_response).second;
    if (r.content_length) return r.body.size() >= *r.content_length;
    return false;  // the body ends when the connection does
}

/// The verdict and message for what arrived from `url`.
std::pair<core::Verdict, std::string> judge_response(std::string_view data, const std::string& url) {
    constexpr std::size_t excerpt_bytes = 120;
    if (data.empty()) return {core::Verdict::unhealthy, fmt::format("bad HTTP response from {}: no response", url)};
    const Response r = split_response(data);
    if (r.code == 0)
        return {core::Verdict::unhealthy, fmt::format("bad HTTP response from {}: malformed status line '{}'", url,
                                                      clamp(single_line(r.status_line), 80))};
    // Enough raw text for the excerpt even when it is mostly white space.
    constexpr std::size_t scan = 4096;
    std::string excerpt = r.chunked ? single_line(dechunk(r.body, scan).first) : single_line(r.body.substr(0, scan));
    if (excerpt.empty()) excerpt = single_line(r.reason);
    excerpt = clamp(std::move(excerpt), excerpt_bytes);
    const auto verdict = r.code >= 200 && r.code < 300 ? core::Verdict::healthy : core::Verdict::unhealthy;
    return {verdict, excerpt.empty() ? fmt::format("HTTP {}", r.code) : fmt::format("HTTP {}: {}", r.code, excerpt)};
}

}  // namespace

// ---- runs ---------------------------------------------------------------------------------------

namespace detail {

/// One probe run. Async handlers hold it alive (shared_ptr) and do nothing once it is finished, so a
/// cancelled run or a late completion never reaches the executor or `done`.
class ProbeRun : public std::enable_shared_from_this<ProbeRun> {
public:
    ProbeRun(PosixProbeExecutor& owner, std::uint64_t token, ProbeDone done, boost::asio::io_context& io)
        : io_(io), timeout_(io), owner_(&owner), token_(token), done_(std::move(done)), started_(Clock::now()) {}
    virtual ~ProbeRun() = default;

    /// Abandons the run: resources released, `done` never called.
    void cancel() {
        if (finished_) return;
        finished_ = true;
        release();
    }

protected:
    /// Closes what the run holds (fds, timers, its process group). Called once, when it finishes.
    virtual void release() { timeout_.cancel(); }
    /// At the timeout armed by arm_timeout(), unless the run finished before.
    virtual void timed_out() {}

    bool finished() const { return finished_; }

    void arm_timeout(core::Duration d) {
        timeout_.expires_after(d);
        timeout_.async_wait([self = shared_from_this()](boost::system::error_code ec) {
            if (!ec && !self->finished_) self->timed_out();
        });
    }

    /// The outcome: the run's resources are released first, then `done` is called. The executor
    /// outlives every unfinished run (its destructor cancels them), so owner_ is valid here.
    void complete(core::Verdict verdict, std::string message) {
        if (finished_) return;
        finished_ = true;
        release();
        ProbeOutcome outcome{verdict, clamp(std::move(message), PosixProbeExecutor::max_message),
                             std::chrono::duration_cast<core::Duration>(Clock::now() - started_)};
        ProbeDone done = std::move(done_);
        const auto self = shared_from_this();  // forget() drops the executor's reference to us
        owner_->forget(token_);
        done(std::move(outcome));  // may run or cancel probes, or destroy the executor: touch nothing after
    }

    /// complete() from the event loop, for outcomes known before run() returns.
    void complete_later(core::Verdict verdict, std::string message) {
        boost::asio::post(io_, [self = shared_from_this(), verdict, message = std::move(message)]() mutable {
            self->complete(verdict, std::move(message));
        });
    }

    template <typename T>
    std::shared_ptr<T> self_as() {
        return std::static_pointer_cast<T>(shared_from_this());
    }

    Clock::time_point started() const { return started_; }

    boost::asio::io_context& io_;
    boost::asio::steady_timer timeout_;

private:
    PosixProbeExecutor* owner_;
    std::uint64_t token_;
    ProbeDone done_;
    Clock::time_point started_;
    bool finished_ = false;
};

namespace {

/// heartbeat: the file's age by its mtime.
class HeartbeatRun final : public ProbeRun {
public:
    using ProbeRun::ProbeRun;

    void start(const core::ProbeSpec& probe) {
        path_ = probe.path;
        max_age_ = probe.max_age;
        // stat(2) does not block for long, but the outcome must not arrive inline: post it.
        boost::asio::post(io_, [self = self_as<HeartbeatRun>()] { self->check(); });
    }

private:
    void check() {
        if (finished()) return;
        struct stat st{};
        if (::stat(path_.c_str(), &st) != 0)
            return complete(core::Verdict::unhealthy, fmt::format("cannot stat {}: {}", path_, std::strerror(errno)));
        using namespace std::chrono;
        const system_clock::time_point mtime{
            duration_cast<system_clock::duration>(seconds(st.st_mtim.tv_sec) + nanoseconds(st.st_mtim.tv_nsec))};
        // An mtime in the future (clock stepped back, another host's clock on NFS) counts as fresh.
        const auto age = std::max(system_clock::now() - mtime, system_clock::duration::zero());
        const double secs = duration<double>(age).count();
        if (age <= max_age_) return complete(core::Verdict::healthy, fmt::format("heartbeat {:.1f}s old", secs));
        complete(core::Verdict::unhealthy,
                 fmt::format("heartbeat {} is {:.1f}s old (max {})", path_, secs, configured(max_age_)));
    }

    std::string path_;
    core::Duration max_age_{0};
};

/// command: a child in its own process group, its stdout+stderr through one pipe.
class CommandRun final : public ProbeRun {
public:
    CommandRun(PosixProbeExecutor& owner, std::uint64_t token, ProbeDone done, boost::asio::io_context& io)
        : ProbeRun(owner, token, std::move(done), io), pipe_(io), drain_(io) {}

    void start(const ProbeTarget& target, const std::map<std::string, std::string>& base_env, ChildWatch& children) {
        timeout_text_ = configured(target.probe->timeout);
        const core::ServiceSpec& spec = *target.service;  // the service's identity, cwd, env and limits
        std::map<std::string, std::string> extra{{"VJ_SERVICE", spec.name},
                                                 {"VJ_INSTANCE", instance_number(target.instance)}};
        if (target.pid) extra["VJ_PID"] = std::to_string(*target.pid);
        auto plan = os::make_exec_plan(spec, base_env, extra, &target.probe->argv);
        if (!plan) return complete_later(core::Verdict::unhealthy, plan.error().message);

        int fds[2];
        if (::pipe2(fds, O_CLOEXEC) != 0)
            return complete_later(core::Verdict::unhealthy,
                                  fmt::format("cannot create a pipe for the probe: {}", std::strerror(errno)));
        os::UniqueFd read_end(fds[0]);
        os::UniqueFd write_end(fds[1]);
        plan->stdout_fd = write_end.get();
        plan->stderr_fd = write_end.get();
        auto pid = os::spawn(*plan);
        write_end.reset();  // the child holds its copy: EOF comes when the last holder is gone
        if (!pid) return complete_later(core::Verdict::unhealthy, pid.error().message);
        pid_ = *pid;
        // The reaper may call back long after the outcome (timeout, cancel) or after we are gone.
        children.watch(pid_, [weak = std::weak_ptr<CommandRun>(self_as<CommandRun>())](core::ExitStatus status) {
            if (auto self = weak.lock()) self->exited(status);
        });

        boost::system::error_code ec;
        pipe_.assign(read_end.release(), ec);
        if (!ec) pipe_.non_blocking(true, ec);
        if (ec)
            return complete_later(core::Verdict::unhealthy,
                                  fmt::format("cannot read the output of the probe: {}", ec.message()));
        wait_readable();
        arm_timeout(target.probe->timeout);
    }

private:
    void release() override {
        ProbeRun::release();
        drain_.cancel();
        boost::system::error_code ec;
        pipe_.close(ec);
        // Timeout or cancel: the whole group goes. Once reaped, the pid is no longer ours to signal.
        if (pid_ > 0 && !reaped_) ::kill(-pid_, SIGKILL);
    }

    void timed_out() override { complete(core::Verdict::unhealthy, "timed out after " + timeout_text_); }

    void exited(core::ExitStatus status) {
        if (finished()) return;
        reaped_ = true;
        exit_ = status;
        timeout_.cancel();  // the drain below is bounded on its own
        // What the command left in its group (`sleep 30 &`) goes with it: no orphans (DESIGN §4). The
        // group id cannot have been reused yet while any of its members is alive; if none is, this is
        // a no-op (ESRCH) in all but a pid wrap-around within this instant.
        ::kill(-pid_, SIGKILL);
        if (eof_) return finish();
        // A descendant that left the group (setsid) may hold the pipe open forever: read a little longer.
        drain_.expires_after(PosixProbeExecutor::exit_drain);
        drain_.async_wait([self = self_as<CommandRun>()](boost::system::error_code ec) {
            if (!ec && !self->finished()) self->finish();
        });
    }

    void wait_readable() {
        pipe_.async_wait(boost::asio::posix::stream_descriptor::wait_read,
                         [self = self_as<CommandRun>()](boost::system::error_code ec) {
                             if (!ec && !self->finished()) self->on_readable();
                         });
    }

    void on_readable() {
        std::array<char, 4096> buffer;
        // Bounded per wake-up: a command that spews must not hold the event loop.
        for (int reads = 0; reads < 16; ++reads) {
            const ssize_t n = ::read(pipe_.native_handle(), buffer.data(), buffer.size());
            if (n > 0) {
                // The rest is read and dropped, so that the command never blocks on a full pipe.
                const std::size_t room = PosixProbeExecutor::max_command_output - output_.size();
                output_.append(buffer.data(), std::min(room, static_cast<std::size_t>(n)));
                continue;
            }
            if (n < 0 && errno == EINTR) continue;
            if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) break;
            // End of output (a read error ends it just the same).
            eof_ = true;
            boost::system::error_code ec;
            pipe_.close(ec);
            if (exit_) finish();
            return;
        }
        wait_readable();
    }

    void finish() {
        const bool success = !exit_->signaled && exit_->code == 0;
        std::string line = first_line(output_);
        complete(success ? core::Verdict::healthy : core::Verdict::unhealthy,
                 line.empty() ? core::describe(*exit_) : std::move(line));
    }

    boost::asio::posix::stream_descriptor pipe_;
    boost::asio::steady_timer drain_;
    std::string timeout_text_;
    pid_t pid_ = -1;
    bool reaped_ = false;
    bool eof_ = false;
    std::optional<core::ExitStatus> exit_;
    std::string output_;
};

/// What tcp and http share: resolve (unless numeric), connect, a timeout over the whole run.
class ConnectRun : public ProbeRun {
public:
    ConnectRun(PosixProbeExecutor& owner, std::uint64_t token, ProbeDone done, boost::asio::io_context& io)
        : ProbeRun(owner, token, std::move(done), io), socket_(io), resolver_(io) {}

protected:
    void release() override {
        ProbeRun::release();
        resolver_.cancel();
        boost::system::error_code ec;
        socket_.close(ec);
    }

    virtual void connected() = 0;

    void connect(const std::string& host, int port) {
        authority_ = authority(host, port);
        boost::system::error_code ec;
        const auto address = boost::asio::ip::make_address(host, ec);
        if (!ec) {
            socket_.async_connect(tcp::endpoint(address, static_cast<unsigned short>(port)),
                                  [self = self_as<ConnectRun>()](boost::system::error_code e) { self->on_connect(e); });
            return;
        }
        // getaddrinfo(3) runs on Asio's resolver thread, off the event loop.
        resolver_.async_resolve(
            host, std::to_string(port), tcp::resolver::numeric_service,
            [self = self_as<ConnectRun>(), host](boost::system::error_code e, tcp::resolver::results_type results) {
                if (self->finished()) return;
                if (e)
                    return self->complete(core::Verdict::unhealthy,
                                          fmt::format("cannot resolve {}: {}", host, e.message()));
                boost::asio::async_connect(
                    self->socket_, results,
                    [self](boost::system::error_code e2, const tcp::endpoint&) { self->on_connect(e2); });
            });
    }

    tcp::socket socket_;
    tcp::resolver resolver_;
    std::string authority_;

private:
    void on_connect(boost::system::error_code ec) {
        if (finished()) return;
        if (ec)
            return complete(core::Verdict::unhealthy,
                            fmt::format("cannot connect to {}: {}", authority_, ec.message()));
        connected();
    }
};

/// tcp: a connect and nothing more.
class TcpRun final : public ConnectRun {
public:
    using ConnectRun::ConnectRun;

    void start(const core::ProbeSpec& probe) {
        timeout_text_ = configured(probe.timeout);
        arm_timeout(probe.timeout);
        connect(probe.host, probe.port);
    }

private:
    void connected() override {
        complete(core::Verdict::healthy,
                 fmt::format("connected to {} in {}", authority_, measured(Clock::now() - started())));
    }
    void timed_out() override {
        complete(core::Verdict::unhealthy,
                 fmt::format("timed out after {} connecting to {}", timeout_text_, authority_));
    }

    std::string timeout_text_;
};

/// http: GET the URL with `Connection: close`, read the response up to its end, EOF or 64 KiB.
class HttpRun final : public ConnectRun {
public:
    using ConnectRun::ConnectRun;

    void start(const core::ProbeSpec& probe) {
        url_ = probe.url;
        timeout_text_ = configured(probe.timeout);
        std::string error;
        const auto url = parse_url(url_, error);
        if (!url) return complete_later(core::Verdict::unhealthy, fmt::format("bad URL '{}': {}", url_, error));
        request_ = fmt::format(
            "GET {} HTTP/1.1\r\nHost: {}\r\nUser-Agent: vj-supervisord\r\nConnection: close\r\nAccept: */*\r\n\r\n",
            url->target, url->host_header);
        arm_timeout(probe.timeout);
        connect(url->host, url->port);
    }

private:
    void connected() override {
        boost::asio::async_write(
            socket_, boost::asio::buffer(request_),
            [self = self_as<HttpRun>()](boost::system::error_code ec, std::size_t) {
                if (self->finished()) return;
                if (ec)
                    return self->complete(core::Verdict::unhealthy,
                                          fmt::format("cannot send the request to {}: {}", self->url_, ec.message()));
                self->read();
            });
    }

    void read() {
        chunk_.resize(16 * 1024);
        socket_.async_read_some(boost::asio::buffer(chunk_), [self = self_as<HttpRun>()](boost::system::error_code ec,
                                                                                         std::size_t n) {
            if (self->finished()) return;
            auto& response = self->response_;
            response.append(self->chunk_.data(), std::min(n, PosixProbeExecutor::max_http_response - response.size()));
            if (ec && ec != boost::asio::error::eof && response.find('\n') == std::string::npos)
                return self->complete(core::Verdict::unhealthy,
                                      fmt::format("cannot read the response from {}: {}", self->url_, ec.message()));
            // After a reset that followed a whole status line, judge what arrived.
            if (ec || response.size() >= PosixProbeExecutor::max_http_response || response_complete(response)) {
                auto [verdict, message] = judge_response(response, self->url_);
                return self->complete(verdict, std::move(message));
            }
            self->read();
        });
    }

    void timed_out() override {
        complete(core::Verdict::unhealthy, fmt::format("timed out after {} waiting for {}", timeout_text_, url_));
    }

    std::string url_;
    std::string timeout_text_;
    std::string request_;
    std::vector<char> chunk_;
    std::string response_;
};

/// An outcome known at once (a probe type this executor does not run).
class ImmediateRun final : public ProbeRun {
public:
    using ProbeRun::ProbeRun;
    void start(core::Verdict verdict, std::string message) { complete_later(verdict, std::move(message)); }
};

}  // namespace
}  // namespace detail

// ---- the executor -------------------------------------------------------------------------------

PosixProbeExecutor::PosixProbeExecutor(boost::asio::io_context& io, ChildWatch& children,
                                       std::map<std::string, std::string> base_env)
    : io_(io), children_(children), base_env_(std::move(base_env)) {
    // If supervisord itself runs under systemd, these are its own: a probe must not speak for it.
    for (const char* key : {"NOTIFY_SOCKET", "WATCHDOG_USEC", "WATCHDOG_PID"}) base_env_.erase(key);
}

PosixProbeExecutor::~PosixProbeExecutor() {
    auto runs = std::move(runs_);
    runs_.clear();
    for (auto& [token, run] : runs) run->cancel();
}

std::uint64_t PosixProbeExecutor::run(const ProbeTarget& target, ProbeDone done) {
    const std::uint64_t token = next_token_++;
    const core::ProbeSpec& probe = *target.probe;
    switch (probe.type) {
        case core::ProbeType::heartbeat: {
            auto r = std::make_shared<detail::HeartbeatRun>(*this, token, std::move(done), io_);
            runs_.emplace(token, r);
            r->start(probe);
            break;
        }
        case core::ProbeType::command: {
            auto r = std::make_shared<detail::CommandRun>(*this, token, std::move(done), io_);
            runs_.emplace(token, r);
            r->start(target, base_env_, children_);
            break;
        }
        case core::ProbeType::tcp: {
            auto r = std::make_shared<detail::TcpRun>(*this, token, std::move(done), io_);
            runs_.emplace(token, r);
            r->start(probe);
            break;
        }
        case core::ProbeType::http: {
            auto r = std::make_shared<detail::HttpRun>(*this, token, std::move(done), io_);
            runs_.emplace(token, r);
            r->start(probe);
            break;
        }
        case core::ProbeType::lua: {
            // The supervisor dispatches lua probes to the Lua pool; reaching here is a bug in that dispatch.
            log_error("internal error: lua probe {} of {} was given to the process prober", probe.name,
                      target.instance);
            auto r = std::make_shared<detail::ImmediateRun>(*this, token, std::move(done), io_);
            runs_.emplace(token, r);
            r->start(core::Verdict::unhealthy, "internal error: lua probes are run by the Lua pool");
            break;
        }
    }
    return token;
}

void PosixProbeExecutor::cancel(std::uint64_t token) {
    const auto it = runs_.find(token);
    if (it == runs_.end()) return;
    const auto run = std::move(it->second);
    runs_.erase(it);
    run->cancel();
}

}  // namespace vj::runtime
