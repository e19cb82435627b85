// Turns command results into the text vjctl prints: status tables, plain lines, JSON; pure.
#include "render.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <set>
#include <vector>

#include "exit_code.hpp"

namespace vj::vjctl {
namespace {

using nlohmann::json;

constexpr std::string_view missing = "-";

const json& services_of(const json& result) {
    static const json empty = json::array();
    if (!result.is_object()) {
        return empty;
    }
    const auto it = result.find("services");
    return it != result.end() && it->is_array() ? *it : empty;
}

/// A field as display text: strings as they are, integers in decimal, anything else `-`.
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
        return s.empty() ? std::string(missing) : s;
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

std::string uptime_field(const json& object) {
    if (!object.is_object()) {
        return std::string(missing);
    }
    const auto it = object.find("uptime_s");
    return it != object.end() && it->is_number() ? format_uptime(it->get<double>()) : std::string(missing);
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

constexpr std::string_view reset_colour = "\x1b[0m";
constexpr std::size_t column_count = 7;
using Row = std::array<std::string, column_count>;
constexpr std::size_t state_column = 1;

Row row_of(const json& service) {
    return {text_field(service, "name"),     text_field(service, "state"),  text_field(service, "health"),
            text_field(service, "pid"),      uptime_field(service),         text_field(service, "restarts"),
            text_field(service, "reason")};
}

std::string render_table(const std::vector<Row>& rows, bool colour) {
    const Row header{"NAME", "STATE", "HEALTH", "PID", "UPTIME", "RESTARTS", "REASON"};
    std::array<std::size_t, column_count> width{};
    for (std::size_t c = 0; c < column_count; ++c) {
        width[c] = header[c].size();
        for (const auto& row : rows) {
            width[c] = std::max(width[c], row[c].size());
        }
    }
    std::string out;
    const auto append_row = [&](const Row& row, bool is_header) {
        for (std::size_t c = 0; c < column_count; ++c) {
            const auto& cell = row[c];
            const auto colour_code = colour && !is_header && c == state_column ? state_colour(cell) : "";
            if (!colour_code.empty()) {
                out += colour_code;
                out += cell;
                out += reset_colour;
            } else {
                out += cell;
            }
            // Pad on the visible width; the last column is not padded (no trailing blanks).
            if (c + 1 < column_count) {
                out.append(width[c] - cell.size() + 2, ' ');
            }
        }
        out += '\n';
    };
    append_row(header, true);
    for (const auto& row : rows) {
        append_row(row, false);
    }
    return out;
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

std::string render_status(const json& result, RenderOptions options) {
    std::vector<Row> rows;
    for (const auto& service : services_of(result)) {
        rows.push_back(row_of(service));
    }
    if (options.tty) {
        return render_table(rows, options.colour);
    }
    std::string out;
    for (const auto& row : rows) {
        for (std::size_t c = 0; c < column_count; ++c) {
            out += c == 0 ? "" : " ";
            out += row[c];
        }
        out += '\n';
    }
    return out;
}

std::string render_names(const json& result) {
    std::vector<std::string> services;
    std::vector<std::string> instances;
    std::set<std::string> seen;
    for (const auto& status : services_of(result)) {
        const auto name = string_field(status, "name");
        auto service = string_field(status, "service");
        if (service.empty()) {
            service = name;
        }
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

std::string render_states(const json& result, bool with_health) {
    std::string out;
    for (const auto& status : services_of(result)) {
        out += text_field(status, "name") + ": " + text_field(status, "state");
        if (with_health) {
            out += ", " + text_field(status, "health");
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

std::vector<std::string> instance_names(const json& status_result) {
    std::vector<std::string> names;
    for (const auto& status : services_of(status_result)) {
        names.push_back(text_field(status, "name"));
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

int status_exit_code(const json& result) {
    for (const auto& status : services_of(result)) {
        if (text_field(status, "state") != "running" || text_field(status, "health") == "unhealthy") {
            return exit_code::not_running;
        }
    }
    return exit_code::ok;
}

}  // namespace vj::vjctl
