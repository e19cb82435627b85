// Pure parsers for the scalar syntaxes of services.yaml: durations, sizes, fractions, octal modes, numbers.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "core/spec.hpp"

namespace vj::config {

/// The outcome of parsing one scalar: a value, or a user-facing reason why not.
template <class T>
struct Parsed {
    std::optional<T> value;  ///< set exactly on success
    std::string error;       ///< on failure: what was expected and what was written, no key path

    static Parsed ok(T v) { return Parsed{std::move(v), {}}; }
    static Parsed fail(std::string why) { return Parsed{std::nullopt, std::move(why)}; }
    explicit operator bool() const { return value.has_value(); }
};

/// "250ms", "1.5s", "1m30s", "2h", "1d"; "0" alone is zero. Units: ms s m h d.
/// Fails on a bare number other than 0 ("duration needs a unit"), an unknown unit, or anything else.
/// Fractions of a millisecond are rounded to the nearest millisecond.
Parsed<core::Duration> parse_duration(std::string_view text);

/// "512B", "64KiB", "10MiB", "1.5GB"; "0" alone is zero. KB/MB/GB are powers of 1000,
/// KiB/MiB/GiB powers of 1024. Fractions of a byte are rounded to the nearest byte.
Parsed<std::uint64_t> parse_size(std::string_view text);

/// "10%" or a fraction "0.1" -> 0.1. Fails outside [0, 1] (0%..100%).
Parsed<double> parse_fraction(std::string_view text);

/// A permission mode written in octal: "0600", "660", "0o640". YAML reads 0660 as the
/// digits 660, which are octal here too. Fails on a non-octal digit or a mode above 0777.
Parsed<unsigned> parse_octal_mode(std::string_view text);

/// A decimal integer, optionally negative ("-3", "42"). No fractions, no leading '+'.
Parsed<std::int64_t> parse_integer(std::string_view text);

/// A finite decimal number ("2", "1.5", "1e3").
Parsed<double> parse_number(std::string_view text);

/// YAML booleans only: true/True/TRUE/false/False/FALSE (never yes/no/on/off).
Parsed<bool> parse_bool(std::string_view text);

/// Renders a duration the way a user would write it ("1m30s", "250ms", "0").
std::string format_duration(core::Duration d);

}  // namespace vj::config
