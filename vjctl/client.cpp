// A blocking client for supervisord's control socket: one request per connection, then its reply
// (and, for a followed request, its stream events).
#include "client.hpp"

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string_view>
#include <utility>
#include <variant>

#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "duration.hpp"

namespace vj::vjctl {
namespace {

using Clock = std::chrono::steady_clock;

/// A line larger than this is a broken server, not a big status or a long log line.
constexpr std::size_t max_reply_bytes = 64 * 1024 * 1024;

ClientError os_error(std::string what, int err) {
    return ClientError{std::move(what) + ": " + std::strerror(err)};
}

ClientError connect_error(const std::string& path, int err) {
    auto error = os_error("cannot connect to " + path, err);
    if (err == ENOENT || err == ECONNREFUSED) {
        error.message += " (is supervisord running?)";
    }
    return error;
}

bool send_all(int fd, std::string_view data) {
    while (!data.empty()) {
        // MSG_NOSIGNAL: a daemon that went away must give EPIPE, not kill vjctl with SIGPIPE.
        const auto n = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL);
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            return false;
        }
        data.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
}

/// What Connection::next found.
enum class Next { line, closed, timed_out, interrupted };

/// A connection with its request sent, read line by line.
class Connection {
public:
    explicit Connection(std::string path) : path_(std::move(path)) {}
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;
    ~Connection() {
        if (fd_ >= 0) {
            ::close(fd_);
        }
    }

    const std::string& path() const { return path_; }
    /// The connection ended with ECONNRESET rather than an orderly close.
    bool was_reset() const { return reset_; }

    /// Connects and sends `request` as one line; nullopt when done.
    std::optional<ClientError> open(const control::Request& request) {
        sockaddr_un address{};
        address.sun_family = AF_UNIX;
        if (path_.empty() || path_.size() >= sizeof(address.sun_path)) {
            return ClientError{"cannot connect to " + path_ + ": " + std::strerror(ENAMETOOLONG)};
        }
        std::memcpy(address.sun_path, path_.data(), path_.size());
        fd_ = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd_ < 0) {
            return os_error("cannot create a socket", errno);
        }
        int rc;
        do {
            rc = ::connect(fd_, reinterpret_cast<const sockaddr*>(&address), sizeof(address));
        } while (rc < 0 && errno == EINTR);
        if (rc < 0) {
            return connect_error(path_, errno);
        }
        if (!send_all(fd_, control::encode(request) + "\n")) {
            return os_error("cannot send to " + path_, errno);
        }
        return std::nullopt;
    }

    /// The next line (without its newline) into `line`, valid until the next call. A last line
    /// without a newline still counts. `deadline`: none means wait for ever. `stop_fd`: -1, or a
    /// descriptor whose readability interrupts the wait.
    boost::system::result<Next, ClientError> next(std::optional<Clock::time_point> deadline, int stop_fd,
                                                  std::string_view& line) {
        for (;;) {
            // Complete lines first: many events may have arrived with one read.
            const auto buffered = buffer_.view();
            const auto newline = buffered.find('\n', scanned_);
            if (newline != std::string_view::npos) {
                line = buffered.substr(start_, newline - start_);
                start_ = scanned_ = newline + 1;
                return Next::line;
            }
            scanned_ = buffered.size();
            if (eof_) {
                if (start_ < buffered.size()) {
                    line = buffered.substr(start_);
                    start_ = buffered.size();
                    return Next::line;
                }
                return Next::closed;
            }
            if (buffered.size() - start_ > max_reply_bytes) {
                return ClientError{"bad reply from " + path_ + ": a line is longer than " +
                                   std::to_string(max_reply_bytes) + " bytes"};
            }
            // Drop the lines already returned, once per read: linear in what arrives.
            if (start_ > 0) {
                buffer_.consume(start_);
                scanned_ -= start_;
                start_ = 0;
            }

            int timeout_ms = -1;
            if (deadline) {
                const auto left = std::chrono::ceil<std::chrono::milliseconds>(*deadline - Clock::now());
                if (left.count() <= 0) {
                    return Next::timed_out;
                }
                timeout_ms = static_cast<int>(std::min<std::int64_t>(left.count(), INT_MAX));
            }
            pollfd fds[2] = {{fd_, POLLIN, 0}, {stop_fd, POLLIN, 0}};
            const int ready = ::poll(fds, stop_fd >= 0 ? 2 : 1, timeout_ms);
            if (ready < 0) {
                if (errno == EINTR) {
                    continue;  // a signal handler may have made stop_fd readable: poll again
                }
                return os_error("cannot wait for " + path_, errno);
            }
            if (ready == 0) {
                continue;  // the deadline check above reports the timeout
            }
            if (stop_fd >= 0 && fds[1].revents != 0) {
                return Next::interrupted;
            }
            // Straight into the buffer: a 3 MB reply is read without a copy.
            const auto n = ::read(fd_, buffer_.prepare(read_size), read_size);
            if (n < 0) {
                if (errno == EINTR || errno == EAGAIN) {
                    continue;
                }
                if (errno == ECONNRESET) {
                    reset_ = eof_ = true;
                    continue;
                }
                return os_error("cannot read from " + path_, errno);
            }
            if (n == 0) {
                eof_ = true;
            } else {
                buffer_.commit(static_cast<std::size_t>(n));
            }
        }
    }

    /// The line that next() returned last, as a buffer of its own: the whole read buffer when
    /// nothing else is in it (a big reply is not copied), else a copy.
    LineBuffer take_line(std::string_view line) {
        const auto begin = static_cast<std::size_t>(line.data() - buffer_.data());
        if (begin == 0 && start_ == buffer_.size()) {
            buffer_.truncate(line.size());
            start_ = scanned_ = 0;
            return std::exchange(buffer_, LineBuffer());
        }
        return LineBuffer(line);
    }

private:
    static constexpr std::size_t read_size = 64 * 1024;

    std::string path_;
    int fd_ = -1;
    LineBuffer buffer_;
    std::size_t start_ = 0;    ///< first byte of buffer_ not yet returned in a line
    std::size_t scanned_ = 0;  ///< buffer_[start_, scanned_) holds no newline
    bool eof_ = false;
    bool reset_ = false;
};

/// What one complete line from the server means for a call waiting for its reply.
std::optional<CallResult> consider_line(LineBuffer line, std::int64_t id, const std::string& path) {
    auto decoded = decode_server_line(std::move(line));
    if (auto* error = std::get_if<control::Error>(&decoded)) {
        return CallResult{ClientError{"bad reply from " + path + ": " + error->message}};
    }
    if (auto* reply = std::get_if<ReceivedReply>(&decoded)) {
        // Id 0 carries errors the server sends before it knows the id (too_large, permission_denied).
        const bool unaddressed_error = reply->id == 0 && std::holds_alternative<control::Error>(reply->body);
        if (reply->id == id || unaddressed_error) {
            return CallResult{std::move(*reply)};
        }
    }
    return std::nullopt;  // a stream event, or a reply to another request
}

ClientError closed_without_reply(const Connection& connection) {
    return connection.was_reset() ? os_error("cannot read from " + connection.path(), ECONNRESET)
                                  : ClientError{"connection to " + connection.path() + " closed without a reply"};
}

/// Reads up to the reply. nullopt when `stop_fd` interrupted the wait.
std::optional<CallResult> await_reply(Connection& connection, const control::Request& request,
                                      std::chrono::milliseconds read_timeout, int stop_fd) {
    const auto deadline = Clock::now() + read_timeout;
    for (;;) {
        std::string_view line;
        const auto next = connection.next(deadline, stop_fd, line);
        if (next.has_error()) {
            return CallResult{next.error()};
        }
        switch (*next) {
            case Next::line:
                if (auto outcome = consider_line(connection.take_line(line), request.id, connection.path())) {
                    return outcome;
                }
                break;
            case Next::closed: return CallResult{closed_without_reply(connection)};
            case Next::timed_out:
                return CallResult{ClientError{"no reply from " + connection.path() + " within " +
                                              format_duration(read_timeout)}};
            case Next::interrupted: return std::nullopt;
        }
    }
}

}  // namespace

CallResult call(const std::string& socket_path, const control::Request& request,
                std::chrono::milliseconds read_timeout) {
    Connection connection(socket_path);
    if (auto error = connection.open(request)) {
        return std::move(*error);
    }
    return *await_reply(connection, request, read_timeout, -1);
}

FollowResult follow(const std::string& socket_path, const control::Request& request,
                    std::chrono::milliseconds read_timeout, const FollowHandlers& handlers, int stop_fd) {
    Connection connection(socket_path);
    if (auto error = connection.open(request)) {
        return std::move(*error);
    }
    auto reply = await_reply(connection, request, read_timeout, stop_fd);
    if (!reply) {
        return FollowEnd::interrupted;
    }
    if (reply->has_error()) {
        return reply->error();
    }
    if (!handlers.on_reply(**reply) || std::holds_alternative<control::Error>((*reply)->body)) {
        return FollowEnd::stopped;
    }
    for (;;) {
        std::string_view line;
        const auto next = connection.next(std::nullopt, stop_fd, line);
        if (next.has_error()) {
            return next.error();
        }
        switch (*next) {
            case Next::line: {
                auto decoded = control::decode_server_line(line);
                if (auto* error = std::get_if<control::Error>(&decoded)) {
                    return ClientError{"bad stream line from " + socket_path + ": " + error->message};
                }
                auto* event = std::get_if<control::StreamEvent>(&decoded);
                if (event != nullptr && event->id == request.id && !handlers.on_event(event->event)) {
                    return FollowEnd::stopped;
                }
                break;  // other lines are not for this request
            }
            case Next::closed: return FollowEnd::closed;
            case Next::timed_out: break;  // no deadline: cannot happen
            case Next::interrupted: return FollowEnd::interrupted;
        }
    }
}

}  // namespace vj::vjctl
