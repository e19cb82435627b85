// Binding the monitor's UDP sockets and reading them in batches.
#include "udp_listener.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/uio.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>

#include "sdk/log.hpp"

namespace vj::osc_monitor {

std::string format_socket_address(const sockaddr_storage& address) {
    char host[INET6_ADDRSTRLEN] = "?";
    if (address.ss_family == AF_INET) {
        const auto* v4 = reinterpret_cast<const sockaddr_in*>(&address);
        ::inet_ntop(AF_INET, &v4->sin_addr, host, sizeof host);
        return std::string(host) + ":" + std::to_string(ntohs(v4->sin_port));
    }
    if (address.ss_family == AF_INET6) {
        const auto* v6 = reinterpret_cast<const sockaddr_in6*>(&address);
        ::inet_ntop(AF_INET6, &v6->sin6_addr, host, sizeof host);
        // append(), not "[" + ...: GCC 12 at -O3 warns (-Wrestrict, a false positive) on that.
        std::string out = "[";
        out.append(host).append("]:").append(std::to_string(ntohs(v6->sin6_port)));
        return out;
    }
    return "?";
}

boost::system::result<UdpListener, std::string> UdpListener::open(const sdk::Endpoint& endpoint, int receive_buffer) {
    using Result = boost::system::result<UdpListener, std::string>;
    const auto fail = [&](std::string_view what) {
        return Result(boost::system::in_place_error,
                      "cannot listen on " + endpoint.text + ": " + std::string(what) + std::strerror(errno));
    };
    // Close-on-exec: liblo's sockets are not, and a child of the worker would keep the port.
    const int fd = ::socket(endpoint.family(), SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) return fail("socket: ");
    // Bursts (a bundle per audio frame from several senders) must not overflow the default
    // ~200 KiB buffer while the loop is busy printing. FORCE needs CAP_NET_ADMIN; without it
    // the plain option is capped by net.core.rmem_max, which is still the best we can get.
    if (receive_buffer > 0 &&
        ::setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &receive_buffer, sizeof receive_buffer) != 0)
        ::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &receive_buffer, sizeof receive_buffer);
    if (::bind(fd, reinterpret_cast<const sockaddr*>(&endpoint.address), endpoint.length) != 0) {
        auto why = fail("");
        ::close(fd);
        return why;
    }
    sockaddr_storage bound{};
    socklen_t length = sizeof bound;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&bound), &length);
    int granted = 0;
    socklen_t granted_length = sizeof granted;
    ::getsockopt(fd, SOL_SOCKET, SO_RCVBUF, &granted, &granted_length);
    return UdpListener(fd, format_socket_address(bound), granted);
}

UdpListener::UdpListener(int fd, std::string name, int receive_buffer)
    : fd_(fd), name_(std::move(name)), receive_buffer_(receive_buffer),
      buffers_(std::make_unique<std::byte[]>(batch * max_datagram)) {}

UdpListener::UdpListener(UdpListener&& other) noexcept
    : fd_(other.fd_), name_(std::move(other.name_)), receive_buffer_(other.receive_buffer_),
      buffers_(std::move(other.buffers_)) {
    other.fd_ = -1;
}

UdpListener::~UdpListener() {
    if (fd_ >= 0) ::close(fd_);
}

std::size_t UdpListener::drain(const Handler& handler, std::size_t max_batches) {
    std::array<mmsghdr, batch> headers{};
    std::array<iovec, batch> vectors{};
    std::array<sockaddr_storage, batch> sources{};
    std::size_t total = 0;
    for (std::size_t round = 0; round < max_batches; ++round) {
        for (std::size_t i = 0; i < batch; ++i) {
            vectors[i] = {buffers_.get() + i * max_datagram, max_datagram};
            headers[i] = {};
            headers[i].msg_hdr.msg_iov = &vectors[i];
            headers[i].msg_hdr.msg_iovlen = 1;
            headers[i].msg_hdr.msg_name = &sources[i];
            headers[i].msg_hdr.msg_namelen = sizeof sources[i];
        }
        const int n = ::recvmmsg(fd_, headers.data(), batch, MSG_DONTWAIT, nullptr);
        if (n < 0) {
            if (errno == EINTR) continue;
            // EAGAIN: drained. ECONNREFUSED and the like are ICMP reports about datagrams this
            // socket never sent; nothing to do but read on at the next wake-up.
            if (errno != EAGAIN && errno != EWOULDBLOCK) sdk::log_warn("receiving on {}: {}", name_, std::strerror(errno));
            return total;
        }
        for (int i = 0; i < n; ++i) {
            const auto& h = headers[static_cast<std::size_t>(i)];
            // MSG_TRUNC: larger than max_datagram, which UDP over IPv4/IPv6 cannot carry short of
            // IPv6 jumbograms; the cut datagram is passed on and fails to decode, visibly.
            handler(std::span<const std::byte>(buffers_.get() + static_cast<std::size_t>(i) * max_datagram,
                                               std::min<std::size_t>(h.msg_len, max_datagram)),
                    sources[static_cast<std::size_t>(i)]);
        }
        total += static_cast<std::size_t>(n);
        if (static_cast<std::size_t>(n) < batch) return total;
    }
    return total;
}

}  // namespace vj::osc_monitor
