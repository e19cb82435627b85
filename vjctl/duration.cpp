// Parses and prints the durations users type on the vjctl command line.
#include "duration.hpp"

#include <array>
#include <cassert>
#include <cstdint>
#include <utility>

namespace vj::vjctl {
namespace {

using std::chrono::milliseconds;

// Longest first so that "ms" is not read as "m" followed by a stray "s".
constexpr std::array<std::pair<std::string_view, std::int64_t>, 5> units{{
    {"ms", 1},
    {"s", 1000},
    {"m", 60 * 1000},
    {"h", 60 * 60 * 1000},
    {"d", 24 * 60 * 60 * 1000},
}};

bool is_digit(char c) { return c >= '0' && c <= '9'; }

}  // namespace

std::optional<milliseconds> parse_duration(std::string_view text) {
    if (text == "0") {
        return milliseconds{0};
    }
    if (text.empty()) {
        return std::nullopt;
    }
    std::int64_t total = 0;
    while (!text.empty()) {
        std::size_t digits = 0;
        std::int64_t number = 0;
        while (digits < text.size() && is_digit(text[digits])) {
            number = number * 10 + (text[digits] - '0');
            ++digits;
        }
        // At most 9 digits per part keeps the total far from overflow (1e9 days < 2^63 ms).
        if (digits == 0 || digits > 9) {
            return std::nullopt;
        }
        text.remove_prefix(digits);
        bool matched = false;
        for (const auto& [name, scale] : units) {
            if (text.starts_with(name)) {
                total += number * scale;
                text.remove_prefix(name.size());
                matched = true;
                break;
            }
        }
        if (!matched) {
            return std::nullopt;
        }
    }
    return milliseconds{total};
}

std::string format_duration(milliseconds d) {
    assert(d.count() >= 0);
    std::int64_t left = d.count();
    if (left == 0) {
        return "0s";
    }
    std::string out;
    for (auto it = units.rbegin(); it != units.rend(); ++it) {
        const auto& [name, scale] = *it;
        if (left >= scale) {
            out += std::to_string(left / scale);
            out += name;
            left %= scale;
        }
    }
    return out;
}

}  // namespace vj::vjctl
