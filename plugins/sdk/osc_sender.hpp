// Sends encoded OSC packets over UDP to one or more targets.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "sdk/endpoint.hpp"

namespace vj::sdk {

class OscSender {
public:
    /// One non-blocking, close-on-exec UDP socket per address family in use (liblo's sockets are
    /// not close-on-exec; these never leak into a child). Returns nullopt after logging why when
    /// a socket cannot be made.
    static std::optional<OscSender> create(std::vector<Endpoint> targets);
    OscSender(OscSender&&) noexcept;
    OscSender& operator=(OscSender&&) = delete;
    ~OscSender();

    /// Sends `packet` to every target. A target that refuses (nobody listening: ECONNREFUSED from
    /// an earlier datagram, or a full socket buffer) is counted, never fatal: OSC over UDP is
    /// fire-and-forget and the receiver may come later.
    void send(std::span<const std::byte> packet);
    /// Sends to target `index` only (per-target address remapping encodes a packet per target).
    void send_to(std::size_t index, std::span<const std::byte> packet);

    const std::vector<Endpoint>& targets() const { return targets_; }
    std::uint64_t sent() const { return sent_; }
    std::uint64_t failed() const { return failed_; }

private:
    OscSender(std::vector<Endpoint> targets, int fd4, int fd6);
    std::vector<Endpoint> targets_;
    int fd4_ = -1;
    int fd6_ = -1;
    std::uint64_t sent_ = 0;
    std::uint64_t failed_ = 0;
};

}  // namespace vj::sdk
