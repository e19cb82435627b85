// Unit tests of ${VAR} expansion in config scalars.
#include "config/expand.hpp"

#include <gtest/gtest.h>

namespace vj::config {
namespace {

const Environment env{{"HOME", "/home/vj"}, {"EMPTY", ""}, {"PORT", "9000"}};

std::string ok(std::string_view text) {
    const auto parsed = expand_variables(text, env);
    EXPECT_TRUE(parsed) << text << ": " << parsed.error;
    return parsed.value.value_or("<error>");
}

std::string error(std::string_view text) {
    const auto parsed = expand_variables(text, env);
    EXPECT_FALSE(parsed) << text;
    return parsed.error;
}

TEST(ExpandVariables, PlainTextUnchanged) {
    EXPECT_EQ(ok("no variables"), "no variables");
    EXPECT_EQ(ok(""), "");
}

TEST(ExpandVariables, SetVariable) {
    EXPECT_EQ(ok("${HOME}/vj"), "/home/vj/vj");
    EXPECT_EQ(ok("127.0.0.1:${PORT}"), "127.0.0.1:9000");
}

TEST(ExpandVariables, DefaultsApplyWhenUnsetOrEmpty) {
    EXPECT_EQ(ok("${XDG_RUNTIME_DIR:-/tmp}/vj"), "/tmp/vj");
    EXPECT_EQ(ok("${EMPTY:-fallback}"), "fallback");
    EXPECT_EQ(ok("${HOME:-fallback}"), "/home/vj");
    EXPECT_EQ(ok("${NOPE:-}"), "");
    EXPECT_EQ(ok("${NOPE:-${HOME}/x}"), "/home/vj/x");
}

TEST(ExpandVariables, DollarDollarIsLiteral) {
    EXPECT_EQ(ok("cost: $$5"), "cost: $5");
    EXPECT_EQ(ok("$${HOME}"), "${HOME}");
}

TEST(ExpandVariables, OtherDollarsPassThroughForTheShell) {
    EXPECT_EQ(ok("echo $HOME $1 $"), "echo $HOME $1 $");
}

TEST(ExpandVariables, UnsetWithoutDefault) {
    EXPECT_EQ(error("${DB_URL}"),
              "environment variable 'DB_URL' is not set (write ${DB_URL:-default} to give a default)");
}

TEST(ExpandVariables, Unterminated) {
    EXPECT_EQ(error("${HOME"), "unterminated '${' in '${HOME'");
    EXPECT_EQ(error("x ${"), "unterminated '${' in 'x ${'");
    EXPECT_EQ(error("${NOPE:-abc"), "unterminated '${' in '${NOPE:-abc'");
}

TEST(ExpandVariables, BadSyntax) {
    EXPECT_EQ(error("${}"), "invalid variable name in '${}' (use ${NAME} or ${NAME:-default})");
    EXPECT_EQ(error("${1X}"), "invalid variable name in '${1X}' (use ${NAME} or ${NAME:-default})");
    EXPECT_EQ(error("${HOME-x}"), "expected '}' or ':-' after '${HOME' in '${HOME-x}'");
}

}  // namespace
}  // namespace vj::config
