// supervisord's own log: one line per message on stderr (journald-friendly), RFC 3339 stamped.
#pragma once

#include <string_view>

#include <fmt/format.h>

namespace vj::runtime {

void write_log_line(std::string_view level, std::string_view message);

/// Also appends every line to `path` (supervisor.log_file). Returns the error text if it cannot be opened.
std::string open_log_file(const std::string& path);

template <typename... Args>
void log_info(fmt::format_string<Args...> f, Args&&... args) {
    write_log_line("info", fmt::format(f, std::forward<Args>(args)...));
}

template <typename... Args>
void log_error(fmt::format_string<Args...> f, Args&&... args) {
    write_log_line("error", fmt::format(f, std::forward<Args>(args)...));
}

}  // namespace vj::runtime
