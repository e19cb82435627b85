// Pure parsers for the scalar syntaxes of services.yaml: durations, sizes, fractions, octal modes, numbers.
#include "config/value_parsers.hpp"

#include <array>
#include <charconv>
#include <cmath>
#include <limits>

#include <fmt/format.h>

namespace vj::config {
namespace {

std::string_view trim(std::string_view s) {
    const auto space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
    while (!s.empty() && space(s.front())) s.remove_prefix(1);
    while (!s.empty() && space(s.back())) s.remove_suffix(1);
    return s;
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

/// Reads an unsigned decimal ("12", "1.5", ".5") at s[i...]; advances i past it.
std::optional<double> scan_unsigned_decimal(std::string_view s, std::size_t& i) {
    const std::size_t start = i;
    std::size_t digits = 0;
    while (i < s.size() && is_digit(s[i])) ++i, ++digits;
    if (i < s.size() && s[i] == '.') {
        ++i;
        while (i < s.size() && is_digit(s[i])) ++i, ++digits;
    }
    if (digits == 0) {
        i = start;
        return std::nullopt;
    }
    double value = 0;
    const auto [end, ec] = std::from_chars(s.data() + start, s.data() + i, value);
    if (ec != std::errc() || end != s.data() + i) return std::nullopt;
    return value;
}

struct Unit {
    std::string_view name;
    double factor;
};

// Milliseconds per unit; "ms" must be looked up as a whole word so it is never read as "m" + "s".
constexpr std::array<Unit, 5> duration_units{{{"ms", 1.0}, {"s", 1e3}, {"m", 60e3}, {"h", 3600e3}, {"d", 86400e3}}};

constexpr std::array<Unit, 8> size_units{{{"B", 1.0},
                                          {"KB", 1e3},
                                          {"kB", 1e3},
                                          {"MB", 1e6},
                                          {"GB", 1e9},
                                          {"KiB", 1024.0},
                                          {"MiB", 1024.0 * 1024.0},
                                          {"GiB", 1024.0 * 1024.0 * 1024.0}}};

template <std::size_t N>
std::optional<double> unit_factor(const std::array<Unit, N>& units, std::string_view name) {
    for (const auto& u : units)
        if (u.name == name) return u.factor;
    return std::nullopt;
}

}  // namespace

Parsed<core::Duration> parse_duration(std::string_view raw) {
    const std::string_view s = trim(raw);
    const auto generic = [&] { return Parsed<core::Duration>::fail(fmt::format("expected a duration like 10s, got '{}'", raw)); };
    const auto needs_unit = [&] {
        return Parsed<core::Duration>::fail(fmt::format("duration needs a unit (e.g. 5s), got '{}'", raw));
    };
    if (s.empty()) return generic();

    double total_ms = 0;
    std::size_t i = 0;
    bool first = true;
    while (i < s.size()) {
        const auto value = scan_unsigned_decimal(s, i);
        if (!value) return generic();
        const std::size_t unit_start = i;
        while (i < s.size() && is_alpha(s[i])) ++i;
        const std::string_view unit = s.substr(unit_start, i - unit_start);
        if (unit.empty()) {
            // "0" alone is the one unitless duration everybody writes; "30" could mean anything.
            if (first && i == s.size()) return *value == 0 ? Parsed<core::Duration>::ok(core::Duration{0}) : needs_unit();
            return i == s.size() ? needs_unit() : generic();
        }
        const auto factor = unit_factor(duration_units, unit);
        if (!factor)
            return Parsed<core::Duration>::fail(
                fmt::format("unknown duration unit '{}' in '{}' (use ms, s, m, h or d)", unit, raw));
        total_ms += *value * *factor;
        first = false;
    }
    // Far beyond any sensible timeout, and keeps the chrono arithmetic downstream from overflowing.
    constexpr double limit_ms = 100.0 * 365 * 86400e3;
    if (total_ms > limit_ms) return Parsed<core::Duration>::fail(fmt::format("duration '{}' is too long (at most 100 years)", raw));
    return Parsed<core::Duration>::ok(core::Duration{static_cast<core::Duration::rep>(std::llround(total_ms))});
}

Parsed<std::uint64_t> parse_size(std::string_view raw) {
    const std::string_view s = trim(raw);
    const auto generic = [&] { return Parsed<std::uint64_t>::fail(fmt::format("expected a size like 10MiB, got '{}'", raw)); };
    std::size_t i = 0;
    const auto value = scan_unsigned_decimal(s, i);
    if (!value) return generic();
    while (i < s.size() && s[i] == ' ') ++i;
    const std::string_view unit = s.substr(i);
    if (unit.empty()) {
        if (*value == 0) return Parsed<std::uint64_t>::ok(0);
        return Parsed<std::uint64_t>::fail(fmt::format("size needs a unit (e.g. 10MiB), got '{}'", raw));
    }
    for (char c : unit)
        if (!is_alpha(c)) return generic();
    const auto factor = unit_factor(size_units, unit);
    if (!factor)
        return Parsed<std::uint64_t>::fail(
            fmt::format("unknown size unit '{}' in '{}' (use B, KB, MB, GB, KiB, MiB or GiB)", unit, raw));
    const double bytes = std::round(*value * *factor);
    // 2^63 keeps the conversion below exact-safe; nobody limits anything to 8 EiB.
    if (bytes >= 9.2e18) return Parsed<std::uint64_t>::fail(fmt::format("size '{}' is too large", raw));
    return Parsed<std::uint64_t>::ok(static_cast<std::uint64_t>(bytes));
}

Parsed<double> parse_fraction(std::string_view raw) {
    std::string_view s = trim(raw);
    const auto fail = [&] {
        return Parsed<double>::fail(
            fmt::format("expected a percentage from 0% to 100% (like 10%) or a fraction from 0 to 1, got '{}'", raw));
    };
    const bool percent = !s.empty() && s.back() == '%';
    if (percent) s = trim(s.substr(0, s.size() - 1));
    std::size_t i = 0;
    const auto value = scan_unsigned_decimal(s, i);
    if (!value || i != s.size()) return fail();
    const double fraction = percent ? *value / 100.0 : *value;
    if (fraction < 0 || fraction > 1) return fail();
    return Parsed<double>::ok(fraction);
}

Parsed<unsigned> parse_octal_mode(std::string_view raw) {
    std::string_view s = trim(raw);
    if (s.size() > 2 && s[0] == '0' && (s[1] == 'o' || s[1] == 'O')) s.remove_prefix(2);
    const auto not_octal = [&] { return Parsed<unsigned>::fail(fmt::format("expected an octal mode like 0600, got '{}'", raw)); };
    if (s.empty() || s.size() > 12) return not_octal();
    unsigned mode = 0;
    for (char c : s) {
        if (c < '0' || c > '7') return not_octal();
        mode = mode * 8 + static_cast<unsigned>(c - '0');
    }
    if (mode > 0777) return Parsed<unsigned>::fail(fmt::format("expected an octal mode of at most 0777, got '{}'", raw));
    return Parsed<unsigned>::ok(mode);
}

Parsed<std::int64_t> parse_integer(std::string_view raw) {
    const std::string_view s = trim(raw);
    std::int64_t value = 0;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
    if (s.empty() || ec != std::errc() || end != s.data() + s.size())
        return Parsed<std::int64_t>::fail(fmt::format("expected an integer, got '{}'", raw));
    return Parsed<std::int64_t>::ok(value);
}

Parsed<double> parse_number(std::string_view raw) {
    const std::string_view s = trim(raw);
    double value = 0;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
    if (s.empty() || ec != std::errc() || end != s.data() + s.size() || !std::isfinite(value))
        return Parsed<double>::fail(fmt::format("expected a number, got '{}'", raw));
    return Parsed<double>::ok(value);
}

Parsed<bool> parse_bool(std::string_view raw) {
    const std::string_view s = trim(raw);
    if (s == "true" || s == "True" || s == "TRUE") return Parsed<bool>::ok(true);
    if (s == "false" || s == "False" || s == "FALSE") return Parsed<bool>::ok(false);
    return Parsed<bool>::fail(fmt::format("expected true or false, got '{}'", raw));
}

std::string format_duration(core::Duration d) {
    auto ms = d.count();
    if (ms == 0) return "0";
    std::string out;
    if (ms < 0) {
        out += '-';
        ms = -ms;
    }
    constexpr std::array<std::pair<long long, std::string_view>, 5> parts{
        {{86400000, "d"}, {3600000, "h"}, {60000, "m"}, {1000, "s"}, {1, "ms"}}};
    for (const auto& [size, unit] : parts) {
        if (ms >= size) {
            out += fmt::format("{}{}", ms / size, unit);
            ms %= size;
        }
    }
    return out;
}

}  // namespace vj::config
