// Turns command results into the text vjctl prints: status tables, health verdicts, plain lines, JSON; pure.
#include "render.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <optional>
#include <ostream>
#include <sstream>
#include <unordered_set>
#include <vector>

#include "exit_code.hpp"

namespace vj::vjctl {
namespace {

using nlohmann::json;

constexpr std::string_view missing = "-";

/// An array field, or an empty array when it is missing or not an array.
const json& array_field(const json& object, std::string_view key) {
    static const json empty = json::array();
    if (!object.is_object()) {
        return empty;
    }
    const auto it = object.find(key);
    return it != object.end() && it->is_array() ? *it : empty;
}

const json& services_of(const json& result) { return array_field(result, "services"); }

/// `text` with control characters (C0, DEL, and C1 as UTF-8) replaced by spaces: a probe's
/// output or a STATUS= text must not break the line or drive the terminal.
std::string printable(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        const auto byte = static_cast<unsigned char>(text[i]);
        if (byte < 0x20 || byte == 0x7f) {
            out += ' ';
        } else if (byte == 0xc2 && i + 1 < text.size() && static_cast<unsigned char>(text[i + 1]) >= 0x80 &&
                   static_cast<unsigned char>(text[i + 1]) <= 0x9f) {
            out += ' ';  // U+0080..U+009F: a terminal may take U+009B for CSI
            ++i;
        } else {
            out += text[i];
        }
    }
    return out;
}

/// Columns that UTF-8 text takes, counting one per code point (no wide characters in practice).
std::size_t display_width(std::string_view text) {
    return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) {
        return (static_cast<unsigned char>(c) & 0xc0) != 0x80;
    }));
}

/// `text` cut to at most `columns` columns, ending with "…" when cut (at least the "…").
std::string fit(const std::string& text, std::size_t columns) {
    if (display_width(text) <= columns) {
        return text;
    }
    std::size_t kept = 0;
    std::size_t end = 0;
    // Keep columns - 1 code points, then stop before the next lead byte.
    for (; end < text.size(); ++end) {
        if ((static_cast<unsigned char>(text[end]) & 0xc0) != 0x80) {
            if (kept + 1 >= std::max<std::size_t>(columns, 1)) {
                break;
            }
            ++kept;
        }
    }
    return text.substr(0, end) + "\xe2\x80\xa6";  // U+2026 HORIZONTAL ELLIPSIS in UTF-8
}

/// A text as a cell: as it is (control characters as spaces), or `-` when empty.
std::string text_cell(std::string_view text) { return text.empty() ? std::string(missing) : printable(text); }

/// A number as a cell: in decimal, or `-` when there is none.
std::string number_cell(std::optional<std::int64_t> number) {
    return number ? std::to_string(*number) : std::string(missing);
}

/// A field as display text: strings as they are (control characters as spaces), integers in
/// decimal, anything else (and the empty string) `-`.
std::string text_field(const json& object, std::string_view key) {
    if (!object.is_object()) {
        return std::string(missing);
    }
    const auto it = object.find(key);
    if (it == object.end()) {
        return std::string(missing);
    }
    if (it->is_string()) {
        const auto& s = it->get_ref<const std::string&>();
        return s.empty() ? std::string(missing) : printable(s);
    }
    if (it->is_number_integer()) {
        return it->dump();
    }
    return std::string(missing);
}

/// A string field, or "" when it is missing or not a string.
std::string string_field(const json& object, std::string_view key) {
    if (!object.is_object()) {
        return {};
    }
    const auto it = object.find(key);
    return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::string two_digits(std::int64_t n) {
    // Not `("0" or "") + to_string(n)`: GCC 12 at -O3 flags that with a false -Wrestrict (GCC bug 105329).
    return fmt::format("{:02}", n);
}

std::string_view state_colour(std::string_view state) {
    if (state == "running") {
        return "\x1b[32m";  // green
    }
    if (state == "starting" || state == "stopping" || state == "backoff") {
        return "\x1b[33m";  // yellow
    }
    if (state == "failed") {
        return "\x1b[31m";  // red
    }
    return {};
}

/// For a health, or a probe's verdict.
std::string_view health_colour(std::string_view health) {
    if (health == "healthy") {
        return "\x1b[32m";  // green
    }
    if (health == "degraded") {
        return "\x1b[33m";  // yellow
    }
    if (health == "unhealthy") {
        return "\x1b[31m";  // red
    }
    if (health == "unknown") {
        return "\x1b[2m";  // dim
    }
    return {};
}

constexpr std::string_view reset_colour = "\x1b[0m";

/// Appends `cell`, wrapped in `colour_code` and a reset unless that is empty.
void append_coloured(std::string& out, const std::string& cell, std::string_view colour_code) {
    if (colour_code.empty()) {
        out += cell;
        return;
    }
    out += colour_code;
    out += cell;
    out += reset_colour;
}

/// Appends spaces after `cell` up to `width` columns (a cell that is wider gets none).
void pad(std::string& out, const std::string& cell, std::size_t width) {
    const auto used = display_width(cell);
    if (used < width) {
        out.append(width - used, ' ');
    }
}

constexpr std::size_t column_count = 8;
using Row = std::array<std::string, column_count>;
constexpr std::size_t state_column = 1;
constexpr std::size_t health_column = 2;
constexpr std::size_t message_column = column_count - 1;
constexpr std::string_view column_gap = "  ";

Row row_of(const InstanceStatus& status) {
    return {text_cell(status.name),
            text_cell(status.state),
            text_cell(status.health),
            number_cell(status.pid),
            status.uptime_s ? format_uptime(*status.uptime_s) : std::string(missing),
            number_cell(status.restarts),
            text_cell(status.reason),
            text_cell(status.message)};
}

const Row header_row{"NAME", "STATE", "HEALTH", "PID", "UPTIME", "RESTARTS", "REASON", "MESSAGE"};

/// Text on its way to a stream, handed over in pieces: a table of 10,000 instances is ~800 KB that
/// need not all be in memory at once (fresh memory costs page faults; see huge_pages.hpp).
class Pieces {
public:
    explicit Pieces(std::ostream& out) : out_(out) { text_.reserve(piece_bytes + 4096); }

    std::string& text() { return text_; }
    /// Call between lines.
    void line_done() {
        if (text_.size() >= piece_bytes) {
            finish();
        }
    }
    /// Hands over what is left.
    void finish() {
        out_ << text_;
        text_.clear();
    }

private:
    static constexpr std::size_t piece_bytes = 64 * 1024;
    std::ostream& out_;
    std::string text_;
};

// The rows are made twice (for the widths, then for the text) rather than kept: with 10,000
// instances a kept table is ~2.5 MB of fresh memory, whose page faults cost more than formatting
// the rows again.
void write_table(std::ostream& stream, const InstanceStatuses& statuses, RenderOptions options) {
    std::array<std::size_t, column_count> width{};
    for (std::size_t c = 0; c < column_count; ++c) {
        width[c] = display_width(header_row[c]);
    }
    for (const auto& status : statuses) {
        const auto row = row_of(status);
        for (std::size_t c = 0; c < column_count; ++c) {
            width[c] = std::max(width[c], display_width(row[c]));
        }
    }
    // MESSAGE, last, gets what is left of the terminal line: it is the only column that can be
    // cut without losing what the table is for.
    std::size_t before_message = 0;
    for (std::size_t c = 0; c < message_column; ++c) {
        before_message += width[c] + column_gap.size();
    }
    // On a terminal too narrow for the other columns the lines wrap anyway: keep at least as
    // much of the message as its header takes, rather than an "…" that could hide a "-".
    const std::size_t left = options.width > before_message ? options.width - before_message : 0;
    const auto message_room = std::max(left, header_row[message_column].size());

    Pieces pieces(stream);
    auto& out = pieces.text();
    const auto append_row = [&](const Row& row, bool is_header) {
        for (std::size_t c = 0; c < column_count; ++c) {
            std::string_view colour_code;
            if (options.colour && !is_header) {
                colour_code = c == state_column    ? state_colour(row[c])
                              : c == health_column ? health_colour(row[c])
                                                   : "";
            }
            if (c == message_column) {
                // The last column is not padded (no trailing blanks).
                out += options.width > 0 && !is_header ? fit(row[c], message_room) : row[c];
            } else {
                append_coloured(out, row[c], colour_code);
                pad(out, row[c], width[c]);
                out += column_gap;
            }
        }
        out += '\n';
        pieces.line_done();
    };
    append_row(header_row, true);
    for (const auto& status : statuses) {
        append_row(row_of(status), false);
    }
    pieces.finish();
}

/// A probe's `took_ms` as display text.
std::string took_field(const json& probe) {
    if (!probe.is_object()) {
        return std::string(missing);
    }
    const auto it = probe.find("took_ms");
    return it != probe.end() && it->is_number() ? format_probe_duration(it->get<double>()) : std::string(missing);
}

}  // namespace

bool use_colour(bool tty, bool no_color_option, const config::Environment& env) {
    if (!tty || no_color_option) {
        return false;
    }
    const auto it = env.find("NO_COLOR");
    return it == env.end() || it->second.empty();
}

std::string format_uptime(double seconds) {
    if (!std::isfinite(seconds) || seconds < 0) {
        return std::string(missing);
    }
    // Beyond ~292 billion years the conversion would overflow; no uptime is that long.
    if (seconds > 9.0e15) {
        seconds = 9.0e15;
    }
    const auto s = static_cast<std::int64_t>(std::floor(seconds));
    constexpr std::int64_t minute = 60;
    constexpr std::int64_t hour = 60 * minute;
    constexpr std::int64_t day = 24 * hour;
    if (s < minute) {
        return std::to_string(s) + "s";
    }
    if (s < hour) {
        return std::to_string(s / minute) + "m" + two_digits(s % minute) + "s";
    }
    if (s < day) {
        return std::to_string(s / hour) + "h" + two_digits(s % hour / minute) + "m";
    }
    return std::to_string(s / day) + "d" + two_digits(s % day / hour) + "h";
}

std::string render_status(const ReceivedResult& result, RenderOptions options) {
    std::ostringstream out;
    write_status(out, result, options);
    return std::move(out).str();
}

void write_status(std::ostream& stream, const ReceivedResult& result, RenderOptions options) {
    const auto& statuses = result.statuses();
    if (options.tty) {
        write_table(stream, statuses, options);
        return;
    }
    Pieces pieces(stream);
    auto& out = pieces.text();
    for (const auto& status : statuses) {
        const auto row = row_of(status);
        for (std::size_t c = 0; c < column_count; ++c) {
            // A tab before MESSAGE: REASON and MESSAGE may both hold spaces, never a tab
            // (printable() made it one), so `cut -f1` gives the first seven columns.
            out += c == 0 ? "" : c == message_column ? "\t" : " ";
            out += row[c];
        }
        out += '\n';
        pieces.line_done();
    }
    pieces.finish();
}

std::string format_probe_duration(double milliseconds) {
    if (!std::isfinite(milliseconds) || milliseconds < 0) {
        return std::string(missing);
    }
    // The bounds are where one decimal would round up to the next unit ("1000.0ms").
    if (milliseconds < 999.95) {
        return fmt::format("{:.1f}ms", milliseconds);
    }
    const double seconds = milliseconds / 1000;
    if (seconds < 59.95) {
        return fmt::format("{:.1f}s", seconds);
    }
    return format_uptime(std::round(seconds));
}

std::string render_health(const json& result, RenderOptions options) {
    const bool colour = options.tty && options.colour;
    struct ProbeLine {
        std::string verdict, name, took, message;
    };
    struct Instance {
        std::string name, state, health;
        std::vector<ProbeLine> probes;
    };
    std::vector<Instance> instances;
    std::size_t name_width = 0;
    std::size_t state_width = 0;
    std::size_t verdict_width = 0;
    std::size_t probe_width = 0;
    std::size_t took_width = 0;
    for (const auto& service : services_of(result)) {
        Instance instance{text_field(service, "name"), text_field(service, "state"), text_field(service, "health"), {}};
        name_width = std::max(name_width, display_width(instance.name));
        state_width = std::max(state_width, display_width(instance.state));
        for (const auto& probe : array_field(service, "probes")) {
            ProbeLine line{text_field(probe, "verdict"), text_field(probe, "name"), took_field(probe),
                           text_field(probe, "message")};
            verdict_width = std::max(verdict_width, display_width(line.verdict));
            probe_width = std::max(probe_width, display_width(line.name));
            took_width = std::max(took_width, display_width(line.took));
            instance.probes.push_back(std::move(line));
        }
        instances.push_back(std::move(instance));
    }

    std::string out;
    for (const auto& instance : instances) {
        out += instance.name;
        pad(out, instance.name, name_width);
        out += column_gap;
        append_coloured(out, instance.state, colour ? state_colour(instance.state) : "");
        pad(out, instance.state, state_width);
        out += column_gap;
        append_coloured(out, instance.health, colour ? health_colour(instance.health) : "");
        out += '\n';
        if (instance.probes.empty()) {
            out += "  (no probes)\n";
        }
        for (const auto& probe : instance.probes) {
            out += column_gap;
            append_coloured(out, probe.verdict, colour ? health_colour(probe.verdict) : "");
            pad(out, probe.verdict, verdict_width);
            out += column_gap;
            out += probe.name;
            pad(out, probe.name, probe_width);
            out += column_gap;
            // Durations right-aligned, so that their units line up.
            out.append(took_width - display_width(probe.took), ' ');
            out += probe.took;
            out += column_gap;
            out += probe.message;
            out += '\n';
        }
    }
    return out;
}

int health_exit_code(const json& result) {
    for (const auto& service : services_of(result)) {
        for (const auto& probe : array_field(service, "probes")) {
            if (string_field(probe, "verdict") != "healthy") {
                return exit_code::not_running;
            }
        }
    }
    return exit_code::ok;
}

std::string render_names(const ReceivedResult& result) {
    std::vector<std::string_view> services;
    std::vector<std::string_view> instances;
    std::unordered_set<std::string_view> seen;
    seen.reserve(2 * result.statuses().size());
    for (const auto& status : result.statuses()) {
        const auto name = status.name;
        const auto service = status.service.empty() ? name : status.service;
        if (!service.empty() && seen.insert(service).second) {
            services.push_back(service);
        }
        if (!name.empty() && seen.insert(name).second) {
            instances.push_back(name);
        }
    }
    std::string out;
    for (const auto* list : {&services, &instances}) {
        for (const auto& name : *list) {
            out += name;
            out += '\n';
        }
    }
    return out;
}

std::string render_json(const json& result) {
    return result.dump(-1, ' ', false, json::error_handler_t::replace) + "\n";
}

std::string render_states(const ReceivedResult& result, bool with_health) {
    std::string out;
    for (const auto& status : result.statuses()) {
        out += text_cell(status.name) + ": " + text_cell(status.state);
        if (with_health) {
            out += ", " + text_cell(status.health);
        }
        out += '\n';
    }
    return out;
}

std::string render_affected(const json& result, std::string_view what) {
    std::string out;
    for (const auto& name : services_of(result)) {
        out += name.is_string() ? name.get<std::string>() : std::string(missing);
        out += ": ";
        out += what;
        out += '\n';
    }
    return out;
}

TailLayout tail_layout(const std::vector<std::string>& instance_names) {
    TailLayout layout;
    layout.prefixed = instance_names.size() > 1;
    if (layout.prefixed) {
        for (const auto& name : instance_names) {
            layout.name_width = std::max(layout.name_width, name.size());
        }
    }
    return layout;
}

std::vector<std::string> instance_names(const ReceivedResult& status_result) {
    std::vector<std::string> names;
    names.reserve(status_result.statuses().size());
    for (const auto& status : status_result.statuses()) {
        names.push_back(text_cell(status.name));
    }
    return names;
}

std::string render_tail_line(const json& line, const TailLayout& layout) {
    std::string out;
    if (layout.prefixed) {
        out = text_field(line, "name");
        if (out.size() < layout.name_width) {
            out.append(layout.name_width - out.size(), ' ');
        }
        out += " | ";
    }
    out += string_field(line, "line");
    out += '\n';
    return out;
}

std::vector<json> tail_lines_of(const json& result) {
    std::vector<json> lines;
    if (result.is_object()) {
        const auto it = result.find("lines");
        if (it != result.end() && it->is_array()) {
            for (const auto& line : *it) {
                if (line.is_object()) {
                    lines.push_back(line);
                }
            }
        }
    }
    return lines;
}

int status_exit_code(const ReceivedResult& result) {
    for (const auto& status : result.statuses()) {
        if (status.state != "running" || status.health == "unhealthy") {
            return exit_code::not_running;
        }
    }
    return exit_code::ok;
}

}  // namespace vj::vjctl
