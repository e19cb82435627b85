// Levelled log lines on stderr.
#include "sdk/log.hpp"

#include <unistd.h>

namespace vj::sdk {
namespace {

std::string g_program = "worker";
LogLevel g_level = LogLevel::info;

const char* name_of(LogLevel level) {
    switch (level) {
    case LogLevel::error: return "error";
    case LogLevel::warn: return "warning";
    case LogLevel::info: return "info";
    case LogLevel::debug: return "debug";
    }
    return "?";
}

}  // namespace

std::optional<LogLevel> parse_log_level(std::string_view text) {
    if (text == "error") return LogLevel::error;
    if (text == "warn" || text == "warning") return LogLevel::warn;
    if (text == "info") return LogLevel::info;
    if (text == "debug") return LogLevel::debug;
    return std::nullopt;
}

void set_log(std::string program, LogLevel level) {
    g_program = std::move(program);
    g_level = level;
}

bool log_enabled(LogLevel level) { return level <= g_level; }

void log_line(LogLevel level, std::string_view text) {
    std::string line = fmt::format("{}: {}: {}\n", g_program, name_of(level), text);
    // One write(2) per line, so that lines of one worker never interleave; a short write (a
    // signal) is continued with the rest.
    std::string_view rest = line;
    while (!rest.empty()) {
        const ssize_t n = ::write(2, rest.data(), rest.size());
        if (n <= 0) return;
        rest.remove_prefix(static_cast<std::size_t>(n));
    }
}

}  // namespace vj::sdk
