// A blocking client for supervisord's control socket: one request, one reply, per connection.
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

/// A reply line larger than this is a broken server, not a big status.
constexpr std::size_t max_reply_bytes = 64 * 1024 * 1024;

class Socket {
public:
    explicit Socket(int fd) : fd_(fd) {}
    Socket(const Socket&) = delete;
    Socket& operator=(const Socket&) = delete;
    ~Socket() {
        if (fd_ >= 0) {
            ::close(fd_);
        }
    }
    int get() const { return fd_; }

private:
    int fd_;
};

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

/// What one complete line from the server means for this call.
std::optional<CallResult> consider_line(std::string_view line, std::int64_t id, const std::string& path) {
    auto decoded = control::decode_server_line(line);
    if (auto* error = std::get_if<control::Error>(&decoded)) {
        return CallResult{ClientError{"bad reply from " + path + ": " + error->message}};
    }
    if (auto* reply = std::get_if<control::Reply>(&decoded)) {
        // Id 0 carries errors the server sends before it knows the id (too_large, permission_denied).
        const bool unaddressed_error = reply->id == 0 && std::holds_alternative<control::Error>(reply->body);
        if (reply->id == id || unaddressed_error) {
            return CallResult{std::move(*reply)};
        }
    }
    return std::nullopt;  // a stream event, or a reply to another request
}

}  // namespace

CallResult call(const std::string& socket_path, const control::Request& request,
                std::chrono::milliseconds read_timeout) {
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    if (socket_path.empty() || socket_path.size() >= sizeof(address.sun_path)) {
        return ClientError{"cannot connect to " + socket_path + ": " + std::strerror(ENAMETOOLONG)};
    }
    std::memcpy(address.sun_path, socket_path.data(), socket_path.size());

    Socket socket(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
    if (socket.get() < 0) {
        return os_error("cannot create a socket", errno);
    }
    int rc;
    do {
        rc = ::connect(socket.get(), reinterpret_cast<const sockaddr*>(&address), sizeof(address));
    } while (rc < 0 && errno == EINTR);
    if (rc < 0) {
        return connect_error(socket_path, errno);
    }
    if (!send_all(socket.get(), control::encode(request) + "\n")) {
        return os_error("cannot send to " + socket_path, errno);
    }

    const auto deadline = Clock::now() + read_timeout;
    std::string buffer;
    std::size_t scanned = 0;
    char chunk[64 * 1024];
    for (;;) {
        // Every complete line first: the reply may have arrived together with earlier events.
        while (true) {
            const auto newline = buffer.find('\n', scanned);
            if (newline == std::string::npos) {
                scanned = buffer.size();
                break;
            }
            auto outcome = consider_line(std::string_view(buffer).substr(0, newline), request.id, socket_path);
            if (outcome) {
                return std::move(*outcome);
            }
            buffer.erase(0, newline + 1);
            scanned = 0;
        }
        if (buffer.size() > max_reply_bytes) {
            return ClientError{"bad reply from " + socket_path + ": a line is longer than " +
                               std::to_string(max_reply_bytes) + " bytes"};
        }

        const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - Clock::now());
        if (left.count() <= 0) {
            return ClientError{"no reply from " + socket_path + " within " + format_duration(read_timeout)};
        }
        pollfd pfd{socket.get(), POLLIN, 0};
        const int ready = ::poll(&pfd, 1, static_cast<int>(std::min<std::int64_t>(left.count(), INT_MAX)));
        if (ready < 0) {
            if (errno == EINTR) {
                continue;
            }
            return os_error("cannot wait for " + socket_path, errno);
        }
        if (ready == 0) {
            continue;  // the deadline check above reports the timeout
        }
        const auto n = ::read(socket.get(), chunk, sizeof(chunk));
        if (n < 0) {
            if (errno == EINTR || errno == EAGAIN) {
                continue;
            }
            return os_error("cannot read from " + socket_path, errno);
        }
        if (n == 0) {
            // A last line without its newline still counts.
            if (!buffer.empty()) {
                if (auto outcome = consider_line(buffer, request.id, socket_path)) {
                    return std::move(*outcome);
                }
            }
            return ClientError{"connection to " + socket_path + " closed without a reply"};
        }
        buffer.append(chunk, static_cast<std::size_t>(n));
    }
}

}  // namespace vj::vjctl
