// Unit tests of the scalar parsers: durations, sizes, fractions, octal modes, integers, booleans.
#include "config/value_parsers.hpp"

#include <gtest/gtest.h>

namespace vj::config {
namespace {

using std::chrono::hours;
using std::chrono::milliseconds;
using std::chrono::minutes;
using std::chrono::seconds;

core::Duration duration_ok(std::string_view text) {
    const auto parsed = parse_duration(text);
    EXPECT_TRUE(parsed) << text << ": " << parsed.error;
    return parsed.value.value_or(core::Duration{-1});
}

std::string duration_error(std::string_view text) {
    const auto parsed = parse_duration(text);
    EXPECT_FALSE(parsed) << text;
    return parsed.error;
}

TEST(ParseDuration, SingleUnits) {
    EXPECT_EQ(duration_ok("250ms"), milliseconds(250));
    EXPECT_EQ(duration_ok("5s"), seconds(5));
    EXPECT_EQ(duration_ok("10m"), minutes(10));
    EXPECT_EQ(duration_ok("2h"), hours(2));
    EXPECT_EQ(duration_ok("1d"), hours(24));
}

TEST(ParseDuration, DecimalsAndGroups) {
    EXPECT_EQ(duration_ok("1.5s"), milliseconds(1500));
    EXPECT_EQ(duration_ok("0.5m"), seconds(30));
    EXPECT_EQ(duration_ok(".25s"), milliseconds(250));
    EXPECT_EQ(duration_ok("1m30s"), seconds(90));
    EXPECT_EQ(duration_ok("1h2m3s4ms"), hours(1) + minutes(2) + seconds(3) + milliseconds(4));
    EXPECT_EQ(duration_ok("1.5ms"), milliseconds(2));  // rounded to the nearest millisecond
}

TEST(ParseDuration, ZeroAloneNeedsNoUnit) {
    EXPECT_EQ(duration_ok("0"), milliseconds(0));
    EXPECT_EQ(duration_ok("0s"), milliseconds(0));
}

TEST(ParseDuration, BareNumberNeedsAUnit) {
    EXPECT_EQ(duration_error("10"), "duration needs a unit (e.g. 5s), got '10'");
    EXPECT_EQ(duration_error("1m30"), "duration needs a unit (e.g. 5s), got '1m30'");
}

TEST(ParseDuration, UnknownUnit) {
    EXPECT_EQ(duration_error("5x"), "unknown duration unit 'x' in '5x' (use ms, s, m, h or d)");
    EXPECT_EQ(duration_error("5sec"), "unknown duration unit 'sec' in '5sec' (use ms, s, m, h or d)");
}

TEST(ParseDuration, Garbage) {
    EXPECT_EQ(duration_error("ten"), "expected a duration like 10s, got 'ten'");
    EXPECT_EQ(duration_error(""), "expected a duration like 10s, got ''");
    EXPECT_EQ(duration_error("-5s"), "expected a duration like 10s, got '-5s'");
    EXPECT_EQ(duration_error("5 s"), "expected a duration like 10s, got '5 s'");
    EXPECT_EQ(duration_error("1..5s"), "expected a duration like 10s, got '1..5s'");
}

TEST(ParseDuration, TooLong) { EXPECT_EQ(duration_error("1000000d"), "duration '1000000d' is too long (at most 100 years)"); }

TEST(FormatDuration, RoundTripsReadableForms) {
    EXPECT_EQ(format_duration(milliseconds(0)), "0");
    EXPECT_EQ(format_duration(seconds(90)), "1m30s");
    EXPECT_EQ(format_duration(milliseconds(1250)), "1s250ms");
    EXPECT_EQ(format_duration(hours(25)), "1d1h");
    for (const auto text : {"1m30s", "250ms", "2h", "1d1h1m1s1ms"}) EXPECT_EQ(format_duration(duration_ok(text)), text);
}

TEST(ParseSize, DecimalAndBinaryUnits) {
    EXPECT_EQ(parse_size("512B").value, 512u);
    EXPECT_EQ(parse_size("64KB").value, 64'000u);
    EXPECT_EQ(parse_size("64KiB").value, 65'536u);
    EXPECT_EQ(parse_size("10MB").value, 10'000'000u);
    EXPECT_EQ(parse_size("10MiB").value, 10u * 1024 * 1024);
    EXPECT_EQ(parse_size("2GB").value, 2'000'000'000u);
    EXPECT_EQ(parse_size("2GiB").value, 2ull * 1024 * 1024 * 1024);
    EXPECT_EQ(parse_size("1.5KiB").value, 1536u);
    EXPECT_EQ(parse_size("10 MiB").value, 10u * 1024 * 1024);
    EXPECT_EQ(parse_size("0").value, 0u);
}

TEST(ParseSize, Errors) {
    EXPECT_EQ(parse_size("1024").error, "size needs a unit (e.g. 10MiB), got '1024'");
    EXPECT_EQ(parse_size("10mb").error, "unknown size unit 'mb' in '10mb' (use B, KB, MB, GB, KiB, MiB or GiB)");
    EXPECT_EQ(parse_size("big").error, "expected a size like 10MiB, got 'big'");
    EXPECT_EQ(parse_size("10MiB!").error, "expected a size like 10MiB, got '10MiB!'");
    EXPECT_EQ(parse_size("99999999999GiB").error, "size '99999999999GiB' is too large");
}

TEST(ParseFraction, PercentOrFraction) {
    EXPECT_DOUBLE_EQ(*parse_fraction("10%").value, 0.1);
    EXPECT_DOUBLE_EQ(*parse_fraction("0.25").value, 0.25);
    EXPECT_DOUBLE_EQ(*parse_fraction("0").value, 0.0);
    EXPECT_DOUBLE_EQ(*parse_fraction("100%").value, 1.0);
    EXPECT_DOUBLE_EQ(*parse_fraction("1").value, 1.0);
}

TEST(ParseFraction, OutOfRange) {
    const std::string expected = "expected a percentage from 0% to 100% (like 10%) or a fraction from 0 to 1, got '150%'";
    EXPECT_EQ(parse_fraction("150%").error, expected);
    EXPECT_FALSE(parse_fraction("1.5"));
    EXPECT_FALSE(parse_fraction("-1%"));
    EXPECT_FALSE(parse_fraction("ten%"));
}

TEST(ParseOctalMode, StringsAndYamlIntegers) {
    EXPECT_EQ(parse_octal_mode("0600").value, 0600u);
    EXPECT_EQ(parse_octal_mode("660").value, 0660u);  // YAML reads 0660 as 660: still octal
    EXPECT_EQ(parse_octal_mode("0o640").value, 0640u);
    EXPECT_EQ(parse_octal_mode("0777").value, 0777u);
    EXPECT_EQ(parse_octal_mode("0").value, 0u);
    EXPECT_EQ(parse_octal_mode("022").value, 022u);
}

TEST(ParseOctalMode, Errors) {
    EXPECT_EQ(parse_octal_mode("0689").error, "expected an octal mode like 0600, got '0689'");
    EXPECT_EQ(parse_octal_mode("rw").error, "expected an octal mode like 0600, got 'rw'");
    EXPECT_EQ(parse_octal_mode("1777").error, "expected an octal mode of at most 0777, got '1777'");
    EXPECT_FALSE(parse_octal_mode(""));
}

TEST(ParseInteger, Decimal) {
    EXPECT_EQ(parse_integer("42").value, 42);
    EXPECT_EQ(parse_integer("-3").value, -3);
    EXPECT_EQ(parse_integer("1.5").error, "expected an integer, got '1.5'");
    EXPECT_FALSE(parse_integer("+3"));
    EXPECT_FALSE(parse_integer(""));
    EXPECT_FALSE(parse_integer("99999999999999999999"));
}

TEST(ParseNumber, FiniteOnly) {
    EXPECT_DOUBLE_EQ(*parse_number("2").value, 2.0);
    EXPECT_DOUBLE_EQ(*parse_number("1.5").value, 1.5);
    EXPECT_DOUBLE_EQ(*parse_number("1e3").value, 1000.0);
    EXPECT_EQ(parse_number("inf").error, "expected a number, got 'inf'");
    EXPECT_FALSE(parse_number("nan"));
    EXPECT_FALSE(parse_number("2x"));
}

TEST(ParseBool, YamlTrueFalseOnly) {
    EXPECT_EQ(parse_bool("true").value, true);
    EXPECT_EQ(parse_bool("False").value, false);
    EXPECT_EQ(parse_bool("TRUE").value, true);
    EXPECT_EQ(parse_bool("yes").error, "expected true or false, got 'yes'");
    EXPECT_FALSE(parse_bool("on"));
    EXPECT_FALSE(parse_bool("1"));
}

}  // namespace
}  // namespace vj::config
