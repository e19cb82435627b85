// Turns command results into the text vjctl prints: status tables, health verdicts, plain lines, JSON; pure.
#pragma once

#include <cstddef>
#include <iosfwd>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "config/loader.hpp"
#include "received_reply.hpp"

namespace vj::vjctl {

struct RenderOptions {
    bool tty = false;        ///< stdout is a terminal: aligned table with a header
    bool colour = false;     ///< ANSI colours (only used when `tty`)
    std::size_t width = 0;   ///< terminal columns (only used when `tty`); 0: unknown, nothing is cut
    bool operator==(const RenderOptions&) const = default;
};

/// Colour only on a terminal, and not with --no-color or a non-empty $NO_COLOR (no-color.org).
bool use_colour(bool tty, bool no_color_option, const config::Environment& env);

/// "45s", "3m12s", "2h05m", "3d04h": two units at most, seconds rounded down.
/// Negative or non-finite input renders as "-".
std::string format_uptime(double seconds);

/// "0.0ms", "2.3ms", "1.5s", "2m05s": how long a probe took, from its `took_ms`.
/// Negative or non-finite input renders as "-".
std::string format_probe_duration(double milliseconds);

/// The `status` result ({"services":[…]}) as text, one line per instance (its statuses()),
/// newline-terminated.
/// Table (tty): header NAME STATE HEALTH PID UPTIME RESTARTS REASON MESSAGE, columns padded
/// with two spaces, state and health coloured if `colour`; MESSAGE (last) is cut with "…" so
/// that the line fits `width` columns when `width` is known, but never to fewer columns than
/// its header. Plain: the first seven columns
/// with no header, single spaces, then a tab and the whole MESSAGE (REASON and MESSAGE may
/// both contain spaces, never tabs). Missing, mistyped or empty fields render as `-`; control
/// characters in fields render as spaces; never throws.
std::string render_status(const ReceivedResult& result, RenderOptions options);

/// render_status's text, written to `out` a piece at a time as it is made.
void write_status(std::ostream& out, const ReceivedResult& result, RenderOptions options);

/// The `health` result ({"services":[{"name","state","health","probes":[…]}]}) as text: per
/// instance a line "NAME  STATE  HEALTH", then per probe "  VERDICT  NAME  DURATION  MESSAGE"
/// (duration from `took_ms`, right-aligned), every column aligned across the whole result,
/// "  (no probes)" for an instance without probes. The same on a terminal and off it, except
/// that on a terminal with `colour` the state, health and verdicts are coloured. Messages are
/// never cut. Missing or mistyped fields render as `-`, never throw.
std::string render_health(const nlohmann::json& result, RenderOptions options);

/// The exit status for a `health` result: exit_code::ok if every probe of every instance has
/// the verdict `healthy` (also when there are no probes), else exit_code::not_running.
int health_exit_code(const nlohmann::json& result);

/// `status --names`: every service name, then every instance name that differs from its
/// service name, one per line, each once, in the order of the result (for shell completion).
std::string render_names(const ReceivedResult& result);

/// A value as one line of JSON (`--json` for `tail` lines), newline-terminated; invalid UTF-8 is
/// replaced. (Results are printed as received: ReceivedResult::json_text().)
std::string render_json(const nlohmann::json& result);

/// For a list of status objects ({"services":[…]}, the `wait` result): "NAME: STATE\n" each,
/// with ", HEALTH" appended when `with_health`.
std::string render_states(const ReceivedResult& result, bool with_health);

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
std::vector<std::string> instance_names(const ReceivedResult& status_result);

/// One `tail` line object ({"name","stream","time","line"}) as printed, newline-terminated:
/// its text, after the name prefix when `layout.prefixed` (names longer than the width are not
/// cut). Missing or mistyped fields render as `-` (name) or nothing (line), never throw.
std::string render_tail_line(const nlohmann::json& line, const TailLayout& layout);

/// The line objects of a `tail` result ({"lines":[…]}); non-objects are left out.
std::vector<nlohmann::json> tail_lines_of(const nlohmann::json& result);

/// The exit status for a `status` result: exit_code::not_running if any listed instance is
/// not `running` or is `unhealthy`, else exit_code::ok.
int status_exit_code(const ReceivedResult& result);

}  // namespace vj::vjctl
