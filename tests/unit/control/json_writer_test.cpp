// Tests the JSON writer against nlohmann's dump(), byte for byte: strings (escapes, UTF-8, invalid
// UTF-8), numbers, structure, and a raw result's way through the reply encoder.
#include <bit>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "control/json_writer.hpp"
#include "control/protocol.hpp"

namespace vj::control {
namespace {

using nlohmann::json;

/// What control::encode puts on the wire for a value.
std::string nlohmann_dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

std::string written_string(std::string_view s) {
    std::string out;
    append_json_string(out, s);
    return out;
}

std::string written_number(double x) {
    std::string out;
    append_json_number(out, x);
    return out;
}

/// Writes `j` through the writer (objects in nlohmann's key order), the way the status code does.
void write_value(const json& j, JsonWriter& w) {
    switch (j.type()) {
        case json::value_t::object:
            w.begin_object();
            for (const auto& [key, value] : j.items()) {
                w.key(key);
                write_value(value, w);
            }
            w.end_object();
            return;
        case json::value_t::array:
            w.begin_array();
            for (const auto& item : j) write_value(item, w);
            w.end_array();
            return;
        case json::value_t::string: w.string(j.get_ref<const std::string&>()); return;
        case json::value_t::number_integer: w.integer(j.get<std::int64_t>()); return;
        case json::value_t::number_float: w.number(j.get<double>()); return;
        case json::value_t::boolean: w.boolean(j.get<bool>()); return;
        case json::value_t::null: w.null(); return;
        default: FAIL() << "no writer call for " << j.type_name();
    }
}

std::string written(const json& j) {
    JsonWriter w;
    write_value(j, w);
    return w.take();
}

struct StringCase {
    const char* label;
    std::string text;
};

std::vector<StringCase> tricky_strings() {
    std::vector<StringCase> cases{
        {"empty", ""},
        {"plain", "web:0"},
        {"quotes", R"(say "hi")"},
        {"backslash", R"(C:\path\)"},
        {"slash_is_not_escaped", "a/b"},
        {"short_escapes", "\b\t\n\f\r"},
        {"nul", std::string("a\0b", 3)},
        {"del_passes", "\x7f"},
        {"two_byte", "caf\xC3\xA9"},
        {"three_byte", "\xE4\xB8\xAD\xE6\x96\x87"},
        {"four_byte", "\xF0\x9F\x98\x80"},
        {"max_code_point", "\xF4\x8F\xBF\xBF"},
        {"lone_continuation", "a\x80"
                              "b"},
        {"lone_lead_at_end", "a\xC3"},
        {"truncated_three_byte_at_end", "a\xE2\x82"},
        {"truncated_four_byte_at_end", "\xF0\x9F\x98"},
        {"truncated_then_ascii", "\xE2\x82x"},
        {"truncated_then_lead", "\xE2\xC3\xA9"},
        {"overlong_c0", "\xC0\xAF"},
        {"overlong_e0", "\xE0\x80\x80"},
        {"overlong_f0", "\xF0\x80\x80\x80"},
        {"surrogate", "\xED\xA0\x80"},
        {"above_max", "\xF4\x90\x80\x80"},
        {"f5_lead", "\xF5\x80"},
        {"ff_byte", "bad \xff byte"},
        {"replacement_itself", "\xEF\xBF\xBD"},
        {"mixed", "\"\x01\xC3\xA9\x80\\\n\xE2\x82\xAC\xED\xBF\xBF"},
    };
    std::string controls;
    for (int c = 0; c < 0x20; ++c) controls += static_cast<char>(c);
    cases.push_back({"every_control_character", controls});
    return cases;
}

TEST(JsonWriterString, MatchesNlohmannForTrickyStrings) {
    for (const auto& c : tricky_strings()) {
        EXPECT_EQ(written_string(c.text), nlohmann_dump(json(c.text))) << c.label;
        EXPECT_TRUE(json::accept(written_string(c.text))) << c.label;
    }
}

TEST(JsonWriterString, SpellsEscapesAsNlohmannDoes) {
    EXPECT_EQ(written_string("\x01\x1f"), R"("\u0001\u001f")");
    EXPECT_EQ(written_string("\t\""), R"("\t\"")");
    EXPECT_EQ(written_string("a\x80"), "\"a\xEF\xBF\xBD\"");
    // A broken sequence is one U+FFFD; the byte that broke it starts afresh.
    EXPECT_EQ(written_string("\xE2\x82x"), "\"\xEF\xBF\xBDx\"");
    EXPECT_EQ(written_string("\xE0\x80\x80"), "\"\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\"");
}

/// Strings of bytes that make UTF-8 interesting: ASCII, escapes, every kind of lead and continuation.
rc::Gen<std::string> gen_bytes() {
    const auto byte = rc::gen::oneOf(
        rc::gen::element<char>('a', '"', '\\', '\n', '\x01', '\x7f'),
        rc::gen::map(rc::gen::inRange<int>(0x80, 0x100), [](int b) { return static_cast<char>(b); }),
        rc::gen::element<char>('\xC2', '\xDF', '\xE0', '\xED', '\xEF', '\xF0', '\xF4', '\xA0', '\x9F', '\x8F',
                               '\x90', '\xBF'));
    return rc::gen::container<std::string>(byte);
}

RC_GTEST_PROP(JsonWriterProperty, AnyBytesGiveNlohmannsString, ()) {
    const auto s = *gen_bytes();
    RC_ASSERT(written_string(s) == nlohmann_dump(json(s)));
}

TEST(JsonWriterNumber, MatchesNlohmannForTrickyDoubles) {
    const std::vector<double> values{0.0,
                                     -0.0,
                                     1.0,
                                     -1.0,
                                     0.1,
                                     1.5,
                                     100.0,
                                     1e-4,
                                     1e-5,
                                     123456789012345.0,
                                     1e15,
                                     1e16,
                                     1e21,
                                     1e300,
                                     -2.5e-300,
                                     std::numeric_limits<double>::min(),
                                     std::numeric_limits<double>::denorm_min(),
                                     std::numeric_limits<double>::max(),
                                     std::numeric_limits<double>::lowest(),
                                     // Durations as status computes them; the first two are where a
                                     // shortest-digits formatter (std::to_chars, fmt) prints other digits.
                                     858047.3788374501,
                                     259554.46437981699,
                                     108.742489351,
                                     0.000001,
                                     std::chrono::duration<double>(std::chrono::nanoseconds(1234567891)).count()};
    for (const double x : values) EXPECT_EQ(written_number(x), nlohmann_dump(json(x))) << x;
    EXPECT_EQ(written_number(1.0), "1.0");
    EXPECT_EQ(written_number(1e-5), "1e-05");
}

TEST(JsonWriterNumber, NonFiniteIsNull) {
    EXPECT_EQ(written_number(std::numeric_limits<double>::quiet_NaN()), "null");
    EXPECT_EQ(written_number(std::numeric_limits<double>::infinity()), "null");
    EXPECT_EQ(written_number(-std::numeric_limits<double>::infinity()), "null");
    EXPECT_EQ(nlohmann_dump(json(std::numeric_limits<double>::infinity())), "null");
}

RC_GTEST_PROP(JsonWriterProperty, AnyDoubleGivesNlohmannsDigits, ()) {
    const double x = std::bit_cast<double>(*rc::gen::arbitrary<std::uint64_t>());
    RC_ASSERT(written_number(x) == nlohmann_dump(json(x)));
}

RC_GTEST_PROP(JsonWriterProperty, AnyDurationGivesNlohmannsDigits, ()) {
    const auto ns = *rc::gen::inRange<std::int64_t>(0, std::int64_t{1} << 52);
    const double x = std::chrono::duration<double>(std::chrono::nanoseconds(ns)).count();
    RC_ASSERT(written_number(x) == nlohmann_dump(json(x)));
}

TEST(JsonWriterInteger, MatchesNlohmann) {
    for (const std::int64_t n : {std::int64_t{0}, std::int64_t{-1}, std::int64_t{42}, std::int64_t{-4096},
                                 std::numeric_limits<std::int64_t>::max(), std::numeric_limits<std::int64_t>::min()}) {
        JsonWriter w;
        w.integer(n);
        EXPECT_EQ(w.text(), nlohmann_dump(json(n))) << n;
    }
}

TEST(JsonWriterStructure, MatchesNlohmannForNestedValues) {
    const std::vector<json> values{
        json::object(),
        json::array(),
        json::array({json::object(), json::array(), nullptr}),
        json{{"jobs", json::array()}, {"services", json::array({json{{"a", 1}}, json{{"b", nullptr}}})}},
        json{{"a", json{{"b", json{{"c", json::array({1, 2.5, "x", true, false})}}}}}, {"z", json::object()}},
        json{{"quo\"te", "\n"}, {"", ""}},
        json("top-level string"),
        json(7),
    };
    for (const auto& j : values) EXPECT_EQ(written(j), nlohmann_dump(j)) << nlohmann_dump(j);
}

TEST(JsonWriterStructure, TakeEmptiesTheWriter) {
    JsonWriter w;
    w.begin_array();
    w.integer(1);
    w.end_array();
    EXPECT_EQ(w.take(), "[1]");
    EXPECT_EQ(w.text(), "");
    w.integer(2);
    EXPECT_EQ(w.take(), "2");  // no stray comma from the earlier value
}

/// Values with arbitrary bytes in keys and strings, any number, nested two levels.
rc::Gen<json> gen_scalar() {
    return rc::gen::oneOf(
        rc::gen::map(gen_bytes(), [](std::string s) { return json(std::move(s)); }),
        rc::gen::map(rc::gen::arbitrary<std::int64_t>(), [](std::int64_t n) { return json(n); }),
        rc::gen::map(rc::gen::arbitrary<std::uint64_t>(), [](std::uint64_t b) { return json(std::bit_cast<double>(b)); }),
        rc::gen::map(rc::gen::arbitrary<bool>(), [](bool b) { return json(b); }), rc::gen::just(json(nullptr)));
}

rc::Gen<json> gen_object() {
    return rc::gen::map(rc::gen::container<std::vector<std::pair<std::string, json>>>(rc::gen::pair(gen_bytes(), gen_scalar())),
                        [](const std::vector<std::pair<std::string, json>>& fields) {
                            json object = json::object();
                            for (const auto& [key, value] : fields) object[key] = value;
                            return object;
                        });
}

RC_GTEST_PROP(JsonWriterProperty, AnyValueIsWrittenAsNlohmannDumpsIt, ()) {
    const auto items = *rc::gen::container<std::vector<json>>(rc::gen::oneOf(gen_scalar(), gen_object()));
    const json j{{"items", items}, {"object", *gen_object()}};
    const auto text = written(j);
    RC_ASSERT(text == nlohmann_dump(j));
    RC_ASSERT(json::accept(text));
}

TEST(JsonWriterReply, RawResultEncodesAsTheSameJsonResult) {
    const json result{{"jobs", json::array()}, {"services", json::array({json{{"name", "w\xff"}, {"since_s", 0.25}}})}};
    const Reply raw{9, RawJson{written(result)}};
    EXPECT_EQ(encode(raw), encode(Reply{9, result}));
    Reply moved = raw;
    EXPECT_EQ(encode(std::move(moved)), encode(Reply{9, result}));  // the text's own buffer becomes the line
    EXPECT_EQ(encode(Reply{9, Error{"failed", "no"}}), encode(static_cast<const Reply&>(Reply{9, Error{"failed", "no"}})));
    EXPECT_EQ(result_of(raw), json::parse(nlohmann_dump(result)));
    EXPECT_EQ(result_of(Reply{9, result}), result);
    EXPECT_EQ(result_of(Reply{9, Error{"failed", "no"}}), json());
    // On the client side it is an ordinary reply.
    const auto decoded = decode_server_line(encode(raw));
    ASSERT_TRUE(std::holds_alternative<Reply>(decoded));
    EXPECT_EQ(std::get<Reply>(decoded), (Reply{9, json::parse(nlohmann_dump(result))}));
}

}  // namespace
}  // namespace vj::control
