// Log lines for packets that do not decode: the reason, the offset, who sent it and the bytes
// around the offset, at most a few per second (pure; time passed in).
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "sdk/osc.hpp"

namespace vj::osc_monitor {

/// The bytes around `offset` in hex, the one at `offset` in brackets, ".." where cut:
/// ".. 00 00 2c 69 [78] 00 00 00 00 00 00 01". `offset` may be bytes.size() (the error is at
/// the end): then "[]" ends the excerpt. At most `radius` bytes either side.
std::string hex_excerpt(std::span<const std::byte> bytes, std::size_t offset, std::size_t radius = 8);

class MalformedReporter {
public:
    using Clock = std::chrono::steady_clock;

    /// At most `per_second` reports in any one-second window; the rest are counted.
    explicit MalformedReporter(std::uint32_t per_second = 5) : per_second_(per_second) {}

    /// The log line for one malformed datagram, or nullopt when over the limit:
    /// "malformed packet (12 bytes) from 127.0.0.1:40000 on 127.0.0.1:9000: unknown type tag
    /// 'x' at byte 6: 2f 61 00 00 2c 69 [78] 00 00 00 00 01".
    std::optional<std::string> report(std::span<const std::byte> bytes, const sdk::osc::DecodeError& error,
                                      std::string_view source, std::string_view listener, Clock::time_point now);

    /// "suppressed 120 more malformed-packet reports in 1.0s", once, for a window that ended
    /// by `now` with reports held back.
    std::optional<std::string> summary(Clock::time_point now);

private:
    void close_window(Clock::time_point now);

    std::uint32_t per_second_;
    std::optional<Clock::time_point> window_start_;
    std::uint32_t reported_ = 0;
    std::uint64_t suppressed_ = 0;
    std::optional<std::string> pending_;
};

}  // namespace vj::osc_monitor
