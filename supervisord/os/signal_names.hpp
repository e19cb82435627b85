// Signal names <-> numbers, as users write them ("TERM", "SIGTERM", "15").
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace vj::os {

/// "TERM", "SIGTERM", "term" or "15" -> 15; nullopt if not a known signal.
std::optional<int> signal_from_name(std::string_view name);

/// 15 -> "TERM"; unknown numbers render as the number.
std::string signal_name(int signo);

}  // namespace vj::os
