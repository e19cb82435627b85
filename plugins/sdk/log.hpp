// Levelled log lines on stderr, which supervisord captures into the worker's log.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <fmt/format.h>

namespace vj::sdk {

enum class LogLevel { error, warn, info, debug };

/// "error", "warn" (or "warning"), "info", "debug"; nullopt for anything else.
std::optional<LogLevel> parse_log_level(std::string_view text);
/// Sets the program name that starts each line and the most verbose level written.
void set_log(std::string program, LogLevel level);
bool log_enabled(LogLevel level);
/// Writes "PROGRAM: LEVEL: TEXT\n" in one write(2), so lines from one worker never interleave.
void log_line(LogLevel level, std::string_view text);

template <typename... Args>
void log_error(fmt::format_string<Args...> f, Args&&... args) {
    log_line(LogLevel::error, fmt::format(f, std::forward<Args>(args)...));
}
template <typename... Args>
void log_warn(fmt::format_string<Args...> f, Args&&... args) {
    if (log_enabled(LogLevel::warn)) log_line(LogLevel::warn, fmt::format(f, std::forward<Args>(args)...));
}
template <typename... Args>
void log_info(fmt::format_string<Args...> f, Args&&... args) {
    if (log_enabled(LogLevel::info)) log_line(LogLevel::info, fmt::format(f, std::forward<Args>(args)...));
}
template <typename... Args>
void log_debug(fmt::format_string<Args...> f, Args&&... args) {
    if (log_enabled(LogLevel::debug)) log_line(LogLevel::debug, fmt::format(f, std::forward<Args>(args)...));
}

}  // namespace vj::sdk
