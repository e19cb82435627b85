// OSC address patterns: a table of pattern/address/expected cases, malformed patterns, and cost.
#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <chrono>
#include <string>

#include "sdk/osc_pattern.hpp"

namespace vj::sdk::osc {
namespace {

struct Case {
    const char* pattern;
    const char* address;
    bool matches;
};

// clang-format off
const Case cases[] = {
    // literal parts, part for part
    {"/a/b", "/a/b", true},
    {"/a/b", "/a/c", false},
    {"/a/b", "/a/b/c", false},
    {"/a/b/c", "/a/b", false},
    {"/a", "/A", false},
    {"/", "/", true},
    {"/a/", "/a/", true},
    {"/a/", "/a", false},
    {"/vj/audio/level", "/vj/audio/level", true},
    // ?
    {"/a/?", "/a/b", true},
    {"/a/?", "/a/bc", false},
    {"/a/?", "/a/", false},
    {"/??", "/ab", true},
    {"/a?c", "/abc", true},
    {"/a?c", "/a/c", false},
    // *
    {"/a/*", "/a/", true},
    {"/a/*", "/a/xyz", true},
    {"/a/*", "/a/x/y", false},
    {"/a/*", "/a", false},
    {"/*", "/a", true},
    {"/*/*", "/a/b", true},
    {"/*/*", "/a", false},
    {"/a*c", "/abbbc", true},
    {"/a*c", "/ac", true},
    {"/a*c", "/abbbd", false},
    {"/*c", "/cc", true},
    {"/a**b", "/ab", true},
    {"/*a*b*", "/xaxbx", true},
    {"/*a*b*", "/xbxax", false},
    {"/vj/audio/*", "/vj/audio/level", true},
    {"/vj/audio/*", "/vj/audio", false},
    {"/vj/*/level", "/vj/audio/level", true},
    {"/vj/*/level", "/vj/audio/bands/level", false},
    // [set]
    {"/[abc]", "/b", true},
    {"/[abc]", "/d", false},
    {"/[abc]", "/", false},
    {"/[abc]", "/ab", false},
    {"/[a-c]x", "/bx", true},
    {"/[a-c]x", "/dx", false},
    {"/[a-cx-z]", "/y", true},
    {"/[!a-c]", "/d", true},
    {"/[!a-c]", "/b", false},
    {"/[!a-c]", "/", false},
    {"/[a-]", "/-", true},
    {"/[a-]", "/b", false},
    {"/[-a]", "/-", true},
    {"/[a!]", "/!", true},
    {"/[!!]", "/!", false},
    {"/[!!]", "/x", true},
    {"/[]", "/a", false},
    {"/[]", "/", false},
    {"/[!]", "/a", true},
    {"/[z-a]", "/m", false},
    {"/[a-a]", "/a", true},
    {"/band[0-9]", "/band7", true},
    {"/band[0-9]", "/band10", false},
    {"/band[0-9]*", "/band10", true},
    {"/[*]", "/*", true},
    {"/[*]", "/a", false},
    {"/[?]", "/?", true},
    {"/[{]", "/{", true},
    // {alternatives}
    {"/{foo,bar}", "/foo", true},
    {"/{foo,bar}", "/bar", true},
    {"/{foo,bar}", "/baz", false},
    {"/{foo,bar}", "/foobar", false},
    {"/{foo,bar}x", "/barx", true},
    {"/{,x}y", "/y", true},
    {"/{,x}y", "/xy", true},
    {"/{f,fo}o", "/foo", true},
    {"/{f,fo}o", "/fo", true},
    {"/{fo,f}o", "/fo", true},
    {"/{a}", "/a", true},
    {"/{}", "/", true},
    {"/{}", "/a", false},
    {"/{a*,b}", "/a*", true},
    {"/{a*,b}", "/ax", false},
    {"/a/{b,c}/*", "/a/c/x", true},
    {"/vj/{audio,video}/{level,peak}", "/vj/video/peak", true},
    {"/vj/{audio,video}/{level,peak}", "/vj/video/rms", false},
    {"/*{ab,cd}", "/xxcd", true},
    // stray closers are literal
    {"/a]", "/a]", true},
    {"/a}", "/a}", true},
    {"/a,b", "/a,b", true},
    {"/a-b", "/a-b", true},
    {"/!a", "/!a", true},
    // OSC 1.1 //: any number of levels
    {"//level", "/level", true},
    {"//level", "/vj/audio/level", true},
    {"//level", "/vj/audio/levels", false},
    {"/vj//level", "/vj/level", true},
    {"/vj//level", "/vj/a/b/level", true},
    {"/vj//level", "/x/level", false},
    {"/vj//*", "/vj/a/b/c", true},
    {"/vj//*", "/vj", false},
    {"//*", "/anything/at/all", true},
    {"/a//b//c", "/a/x/b/y/z/c", true},
    {"/a//b//c", "/a/c", false},
    {"/a///b", "/a/x/y/b", true},
    {"//[0-9]", "/vj/bands/7", true},
    // malformed patterns match nothing
    {"/[ab", "/a", false},
    {"/[ab", "/[ab", false},
    {"/{a,b", "/a", false},
    {"/{a,b", "/{a,b", false},
    {"/a[/]b", "/a/b", false},
    {"/{a/b}", "/a/b", false},
    {"a/b", "a/b", false},
    {"a", "/a", false},
    {"", "/", false},
    {"", "", false},
    // addresses that are not addresses match nothing
    {"/a", "a", false},
    {"/*", "", false},
    {"//*", "x", false},
};
// clang-format on

TEST(OscPattern, Table) {
    for (const Case& c : cases) {
        EXPECT_EQ(pattern_matches(c.pattern, c.address), c.matches)
            << "pattern '" << c.pattern << "' address '" << c.address << "'";
    }
}

TEST(OscPattern, CompiledPatternsMatchTheSame) {
    for (const Case& c : cases) {
        const auto p = AddressPattern::compile(c.pattern);
        if (!p) continue;
        EXPECT_EQ(p->matches(c.address), c.matches) << c.pattern << " vs " << c.address;
        EXPECT_EQ(p->text(), c.pattern);
    }
}

TEST(OscPattern, MalformedPatternsSayWhatAndWhere) {
    EXPECT_EQ(AddressPattern::compile("/vj/[ab").error(), "'/vj/[ab': unclosed '[' at byte 4");
    EXPECT_EQ(AddressPattern::compile("/x/{a,b").error(), "'/x/{a,b': unclosed '{' at byte 3");
    EXPECT_EQ(AddressPattern::compile("/a//x/b[").error(), "'/a//x/b[': unclosed '[' at byte 7");
    EXPECT_EQ(AddressPattern::compile("vj/*").error(), "'vj/*': an OSC address pattern starts with '/'");
    EXPECT_EQ(AddressPattern::compile("").error(), "'': an OSC address pattern starts with '/'");
}

TEST(OscPattern, StarsDoNotBacktrackExponentially) {
    const std::string address = "/" + std::string(5000, 'a');
    const auto start = std::chrono::steady_clock::now();
    EXPECT_FALSE(pattern_matches("/*a*a*a*a*a*a*a*a*a*a*b", address));
    EXPECT_TRUE(pattern_matches("/*a*a*a*a*a*a*a*a*a*a*", address));
    std::string deep = "";
    for (int i = 0; i < 200; ++i) deep += "/x";
    EXPECT_FALSE(pattern_matches("//x//x//x//x//x//y", deep));
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2));
}

// Any byte string as a pattern, against any address: never a crash, and a literal pattern
// (no special characters) matches exactly itself.
RC_GTEST_PROP(OscPattern, ArbitraryPatternsNeverCrash, (const std::string& pattern, const std::string& address)) {
    (void)pattern_matches(pattern, address);
    (void)pattern_matches("/" + pattern, "/" + address);
}

RC_GTEST_PROP(OscPattern, LiteralPatternsMatchThemselves, ()) {
    const std::string name = *rc::gen::container<std::string>(rc::gen::element('a', 'b', 'z', '0', '.', '_', '-', '/'));
    const std::string address = "/" + name;
    RC_ASSERT(pattern_matches(address, address));
    RC_ASSERT(!pattern_matches(address + "x", address));
}

}  // namespace
}  // namespace vj::sdk::osc
