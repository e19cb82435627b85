// Rate-limited reports of malformed packets with a hex excerpt around the error.
#include "malformed_report.hpp"

#include <algorithm>
#include <cstdio>

namespace vj::osc_monitor {
namespace {

constexpr auto window = std::chrono::seconds(1);

void append_hex(std::string& out, std::byte b) {
    static constexpr char digits[] = "0123456789abcdef";
    const auto v = std::to_integer<unsigned>(b);
    out += digits[v >> 4];
    out += digits[v & 15];
}

}  // namespace

std::string hex_excerpt(std::span<const std::byte> bytes, std::size_t offset, std::size_t radius) {
    offset = std::min(offset, bytes.size());
    const std::size_t from = offset > radius ? offset - radius : 0;
    const std::size_t to = std::min(bytes.size(), offset + radius + 1);
    std::string out;
    if (from > 0) out += "..";
    for (std::size_t i = from; i < to; ++i) {
        if (!out.empty()) out += ' ';
        if (i == offset) out += '[';
        append_hex(out, bytes[i]);
        if (i == offset) out += ']';
    }
    if (offset == bytes.size()) out += out.empty() ? "[]" : " []";
    else if (to < bytes.size()) out += " ..";
    return out;
}

void MalformedReporter::close_window(Clock::time_point now) {
    if (!window_start_ || now - *window_start_ < window) return;
    if (suppressed_ > 0) {
        char line[128];
        std::snprintf(line, sizeof line, "suppressed %llu more malformed-packet reports in %.1fs",
                      static_cast<unsigned long long>(suppressed_),
                      std::chrono::duration<double>(now - *window_start_).count());
        pending_ = line;
    }
    window_start_.reset();
    reported_ = 0;
    suppressed_ = 0;
}

std::optional<std::string> MalformedReporter::report(std::span<const std::byte> bytes,
                                                     const sdk::osc::DecodeError& error, std::string_view source,
                                                     std::string_view listener, Clock::time_point now) {
    close_window(now);
    if (!window_start_) window_start_ = now;
    if (reported_ >= per_second_) {
        ++suppressed_;
        return std::nullopt;
    }
    ++reported_;
    std::string line = "malformed packet (" + std::to_string(bytes.size()) + " bytes) from " + std::string(source) +
                       " on " + std::string(listener) + ": " + error.message() + ": " +
                       hex_excerpt(bytes, error.offset);
    return line;
}

std::optional<std::string> MalformedReporter::summary(Clock::time_point now) {
    close_window(now);
    return std::exchange(pending_, std::nullopt);
}

}  // namespace vj::osc_monitor
