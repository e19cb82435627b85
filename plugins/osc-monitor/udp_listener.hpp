// One bound UDP socket of the monitor, drained a batch of datagrams at a time with recvmmsg(2).
#pragma once

#include <sys/socket.h>

#include <cstddef>
#include <functional>
#include <memory>
#include <span>
#include <string>

#include <boost/system/result.hpp>

#include "sdk/endpoint.hpp"

namespace vj::osc_monitor {

/// "127.0.0.1:9000" or "[::1]:9000" for a socket address.
std::string format_socket_address(const sockaddr_storage& address);

class UdpListener {
public:
    /// The largest datagram received whole: UDP's limit over IPv4 is 65507 bytes.
    static constexpr std::size_t max_datagram = 65536;
    /// Datagrams taken per recvmmsg(2) call.
    static constexpr std::size_t batch = 16;

    /// A non-blocking, close-on-exec UDP socket bound to `endpoint` (port 0: the kernel picks
    /// one; name() tells which), with a receive buffer of `receive_buffer` bytes if the kernel
    /// allows (SO_RCVBUFFORCE when privileged, else SO_RCVBUF capped by net.core.rmem_max).
    /// No SO_REUSEADDR: a port already in use is an error, not a silent share. The error names
    /// the address: "cannot listen on 127.0.0.1:9000: Address already in use".
    static boost::system::result<UdpListener, std::string> open(const sdk::Endpoint& endpoint, int receive_buffer);

    UdpListener(UdpListener&&) noexcept;
    UdpListener& operator=(UdpListener&&) = delete;
    ~UdpListener();

    int fd() const { return fd_; }
    /// The bound address, with the port the kernel picked: "127.0.0.1:41234".
    const std::string& name() const { return name_; }
    /// The receive buffer the kernel granted (it reports twice the usable size, see socket(7)).
    int receive_buffer() const { return receive_buffer_; }

    using Handler = std::function<void(std::span<const std::byte> datagram, const sockaddr_storage& source)>;
    /// Reads every datagram waiting (up to `max_batches` recvmmsg calls, so one busy socket
    /// cannot starve the others and the timers) and calls `handler` for each, in arrival order.
    /// Returns how many were read. Errors other than "nothing left" are logged and end the drain.
    std::size_t drain(const Handler& handler, std::size_t max_batches = 64);

private:
    UdpListener(int fd, std::string name, int receive_buffer);

    int fd_ = -1;
    std::string name_;
    int receive_buffer_ = 0;
    // batch x max_datagram bytes, allocated once per listener.
    std::unique_ptr<std::byte[]> buffers_;
};

}  // namespace vj::osc_monitor
