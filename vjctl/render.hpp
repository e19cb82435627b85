// Turns command results into the text vjctl prints: status tables, plain lines, JSON; pure.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "config/loader.hpp"

namespace vj::vjctl {

struct RenderOptions {
    bool tty = false;     ///< stdout is a terminal: aligned table with a header
    bool colour = false;  ///< ANSI colours (only used when `tty`)
    bool operator==(const RenderOptions&) const = default;
};

/// Colour only on a terminal, and not with --no-color or a non-empty $NO_COLOR (no-color.org).
bool use_colour(bool tty, bool no_color_option, const config::Environment& env);

/// "45s", "3m12s", "2h05m", "3d04h": two units at most, seconds rounded down.
/// Negative or non-finite input renders as "-".
std::string format_uptime(double seconds);

/// The `status` result ({"services":[…]}) as text, one line per instance, newline-terminated.
/// Table (tty): header NAME STATE HEALTH PID UPTIME RESTARTS REASON, columns padded with two
/// spaces, the state coloured if `colour`. Plain: the same columns with no header, single
/// spaces, `-` for a missing value; REASON is last because it may contain spaces.
/// Missing or mistyped fields render as `-`, never throw.
std::string render_status(const nlohmann::json& result, RenderOptions options);

/// `status --names`: every service name, then every instance name that differs from its
/// service name, one per line, each once, in the order of the result (for shell completion).
std::string render_names(const nlohmann::json& result);

/// A result as one line of JSON (`--json`), newline-terminated; invalid UTF-8 is replaced.
std::string render_json(const nlohmann::json& result);

/// For a list of status objects ({"services":[…]}, the `wait` result): "NAME: STATE\n" each,
/// with ", HEALTH" appended when `with_health`.
std::string render_states(const nlohmann::json& result, bool with_health);

/// For an action result ({"services":["web:0",…]}): "NAME: WHAT\n" for each name.
std::string render_affected(const nlohmann::json& result, std::string_view what);

/// How `tail` prints a line: bare when one instance matched, else after "NAME | " with the
/// name padded to the longest.
struct TailLayout {
    bool prefixed = false;
    std::size_t name_width = 0;
    bool operator==(const TailLayout&) const = default;
};

/// The layout for these instance names (those that the patterns matched); prefixed for two or more.
TailLayout tail_layout(const std::vector<std::string>& instance_names);

/// The instance names of a `status` result, in order.
std::vector<std::string> instance_names(const nlohmann::json& status_result);

/// One `tail` line object ({"name","stream","time","line"}) as printed, newline-terminated:
/// its text, after the name prefix when `layout.prefixed` (names longer than the width are not
/// cut). Missing or mistyped fields render as `-` (name) or nothing (line), never throw.
std::string render_tail_line(const nlohmann::json& line, const TailLayout& layout);

/// The line objects of a `tail` result ({"lines":[…]}); non-objects are left out.
std::vector<nlohmann::json> tail_lines_of(const nlohmann::json& result);

/// The exit status for a `status` result: exit_code::not_running if any listed instance is
/// not `running` or is `unhealthy`, else exit_code::ok.
int status_exit_code(const nlohmann::json& result);

}  // namespace vj::vjctl
