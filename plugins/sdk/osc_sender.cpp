// UDP sending of OSC packets to the configured targets.
#include "sdk/osc_sender.hpp"

#include <cerrno>
#include <cstring>

#include <sys/socket.h>
#include <unistd.h>

#include "sdk/log.hpp"

namespace vj::sdk {

std::optional<OscSender> OscSender::create(std::vector<Endpoint> targets) {
    int fd4 = -1, fd6 = -1;
    for (const Endpoint& t : targets) {
        int& fd = t.family() == AF_INET6 ? fd6 : fd4;
        if (fd >= 0) continue;
        // SOCK_CLOEXEC: a worker that starts a child must not hand it the socket (liblo's are
        // not close-on-exec). Non-blocking: a full socket buffer drops a frame, never stalls.
        fd = ::socket(t.family(), SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
        if (fd < 0) {
            log_error("cannot make a UDP socket for {}: {}", t.text, std::strerror(errno));
            if (fd4 >= 0) ::close(fd4);
            if (fd6 >= 0) ::close(fd6);
            return std::nullopt;
        }
    }
    return OscSender(std::move(targets), fd4, fd6);
}

OscSender::OscSender(std::vector<Endpoint> targets, int fd4, int fd6)
    : targets_(std::move(targets)), fd4_(fd4), fd6_(fd6) {}

OscSender::OscSender(OscSender&& other) noexcept
    : targets_(std::move(other.targets_)), fd4_(other.fd4_), fd6_(other.fd6_), sent_(other.sent_), failed_(other.failed_) {
    other.fd4_ = other.fd6_ = -1;
}

OscSender::~OscSender() {
    if (fd4_ >= 0) ::close(fd4_);
    if (fd6_ >= 0) ::close(fd6_);
}

void OscSender::send(std::span<const std::byte> packet) {
    for (std::size_t i = 0; i < targets_.size(); ++i) send_to(i, packet);
}

void OscSender::send_to(std::size_t index, std::span<const std::byte> packet) {
    const Endpoint& t = targets_.at(index);
    const int fd = t.family() == AF_INET6 ? fd6_ : fd4_;
    const ssize_t n = ::sendto(fd, packet.data(), packet.size(), MSG_NOSIGNAL,
                               reinterpret_cast<const sockaddr*>(&t.address), t.length);
    if (n == static_cast<ssize_t>(packet.size())) {
        ++sent_;
        return;
    }
    // ECONNREFUSED reports an earlier datagram that found no listener; EAGAIN a full buffer.
    // Both are what UDP means (the receiver may start later): count them, log at debug level.
    ++failed_;
    log_debug("sending to {}: {}", t.text, n < 0 ? std::strerror(errno) : "short send");
}

}  // namespace vj::sdk
