// Parses and prints the durations users type on the vjctl command line ("500ms", "10s", "1m30s").
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace vj::vjctl {

/// One or more `<digits><unit>` parts, unit one of ms, s, m, h, d ("1m30s"); "0" alone is zero.
/// nullopt for anything else: empty, no unit, an unknown unit, a sign, a fraction, or a part
/// with more than 9 digits.
std::optional<std::chrono::milliseconds> parse_duration(std::string_view text);

/// The shortest form parse_duration reads back: 30000ms -> "30s", 90000ms -> "1m30s", 0 -> "0s".
/// Precondition: `d` is not negative.
std::string format_duration(std::chrono::milliseconds d);

}  // namespace vj::vjctl
