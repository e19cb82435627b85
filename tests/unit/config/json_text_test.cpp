// Unit tests of YAML-to-JSON conversion for Lua probe args: core-schema typing of plain scalars, escaping.
#include "config/json_text.hpp"

#include <gtest/gtest.h>

namespace vj::config {
namespace {

TEST(JsonScalar, QuotedScalarsAreAlwaysStrings) {
    EXPECT_EQ(json_scalar("30", false), "\"30\"");
    EXPECT_EQ(json_scalar("true", false), "\"true\"");
    EXPECT_EQ(json_scalar("null", false), "\"null\"");
    EXPECT_EQ(json_scalar("", false), "\"\"");
}

TEST(JsonScalar, NullsAndBooleans) {
    for (const auto* text : {"", "~", "null", "Null", "NULL"}) EXPECT_EQ(json_scalar(text, true), "null") << text;
    for (const auto* text : {"true", "True", "TRUE"}) EXPECT_EQ(json_scalar(text, true), "true") << text;
    for (const auto* text : {"false", "False", "FALSE"}) EXPECT_EQ(json_scalar(text, true), "false") << text;
    // YAML 1.1 booleans are plain words in 1.2's core schema.
    for (const auto* text : {"yes", "no", "on", "off", "tRUE", "nULL"})
        EXPECT_EQ(json_scalar(text, true), "\"" + std::string(text) + "\"") << text;
}

TEST(JsonScalar, Integers) {
    EXPECT_EQ(json_scalar("0", true), "0");
    EXPECT_EQ(json_scalar("42", true), "42");
    EXPECT_EQ(json_scalar("-7", true), "-7");
    EXPECT_EQ(json_scalar("+7", true), "7");
    EXPECT_EQ(json_scalar("007", true), "7");
    EXPECT_EQ(json_scalar("-0", true), "0");
    EXPECT_EQ(json_scalar("0o17", true), "15");
    EXPECT_EQ(json_scalar("0x1F", true), "31");
    EXPECT_EQ(json_scalar("9223372036854775807", true), "9223372036854775807");
    EXPECT_EQ(json_scalar("-9223372036854775808", true), "-9223372036854775808");
}

TEST(JsonScalar, IntegersTooLargeStayStrings) {
    EXPECT_EQ(json_scalar("9223372036854775808", true), "\"9223372036854775808\"");
    EXPECT_EQ(json_scalar("0x10000000000000000", true), "\"0x10000000000000000\"");
}

TEST(JsonScalar, FloatsKeepTheirDigits) {
    EXPECT_EQ(json_scalar("1.5", true), "1.5");
    EXPECT_EQ(json_scalar("5.0", true), "5.0");
    EXPECT_EQ(json_scalar("-0.25", true), "-0.25");
    EXPECT_EQ(json_scalar(".5", true), "0.5");
    EXPECT_EQ(json_scalar("+.5", true), "0.5");
    EXPECT_EQ(json_scalar("1.", true), "1.0");
    EXPECT_EQ(json_scalar("1e3", true), "1e3");
    EXPECT_EQ(json_scalar("2.5E-3", true), "2.5e-3");
    EXPECT_EQ(json_scalar("007.5", true), "7.5");
}

TEST(JsonScalar, EverythingElseIsAString) {
    for (const auto* text : {"30s", "1.2.3", "0o8", "0x", "0xg", "1e", "e5", ".", "-", "+", ".inf", "-.inf", ".nan",
                             "127.0.0.1", "1_000", "12:30"})
        EXPECT_EQ(json_scalar(text, true), "\"" + std::string(text) + "\"") << text;
}

TEST(JsonString, Escapes) {
    EXPECT_EQ(json_string("a\"b\\c"), R"("a\"b\\c")");
    EXPECT_EQ(json_string("line\nnext\ttab\r\b\f"), R"("line\nnext\ttab\r\b\f")");
    EXPECT_EQ(json_string(std::string("\x01\x1f", 2)), R"("\u0001\u001f")");
    EXPECT_EQ(json_string("caf\xc3\xa9 /"), "\"caf\xc3\xa9 /\"");
}

TEST(ToJson, NestedMapsAndLists) {
    ConfigNode map;
    map.kind = ConfigNode::Kind::map;
    ConfigNode list;
    list.kind = ConfigNode::Kind::sequence;
    list.items.push_back(ConfigNode{ConfigNode::Kind::scalar, "1", false, true, {}, {}, {}});
    list.items.push_back(ConfigNode{ConfigNode::Kind::scalar, "x", false, false, {}, {}, {}});
    list.items.push_back(ConfigNode{});
    map.entries.push_back(MapEntry{"list", {}, list});
    map.entries.push_back(MapEntry{"empty", {}, ConfigNode{ConfigNode::Kind::map, "", false, false, {}, {}, {}}});
    map.entries.push_back(MapEntry{"list", {}, ConfigNode{ConfigNode::Kind::scalar, "2", false, true, {}, {}, {}}});
    EXPECT_EQ(to_json(map), R"({"list":[1,"x",null],"empty":{}})");
}

}  // namespace
}  // namespace vj::config
