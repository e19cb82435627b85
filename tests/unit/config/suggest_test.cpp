// Unit tests of edit distance and did-you-mean hints.
#include "config/suggest.hpp"

#include <gtest/gtest.h>

namespace vj::config {
namespace {

TEST(EditDistance, Basics) {
    EXPECT_EQ(edit_distance("", ""), 0u);
    EXPECT_EQ(edit_distance("abc", ""), 3u);
    EXPECT_EQ(edit_distance("restat", "restart"), 1u);
    EXPECT_EQ(edit_distance("kitten", "sitting"), 3u);
    EXPECT_EQ(edit_distance("cmomand", "command"), 1u);  // a swap of neighbours counts once
}

TEST(DidYouMean, ClosestWithinTwo) {
    const std::vector<std::string_view> keys{"command", "cwd", "restart", "ready", "stop"};
    EXPECT_EQ(did_you_mean("restat", keys), "restart");
    EXPECT_EQ(did_you_mean("comand", keys), "command");
    EXPECT_EQ(did_you_mean("stpo", keys), "stop");
}

TEST(DidYouMean, PrefixMatch) {
    const std::vector<std::string_view> keys{"stable_after", "success_codes"};
    EXPECT_EQ(did_you_mean("stable", keys), "stable_after");
    EXPECT_EQ(did_you_mean("success_codes_list", keys), "success_codes");
}

TEST(DidYouMean, NothingClose) {
    const std::vector<std::string_view> keys{"command", "cwd", "restart"};
    EXPECT_EQ(did_you_mean("banana", keys), std::nullopt);
    EXPECT_EQ(did_you_mean("x", {"yz"}), std::nullopt);
}

}  // namespace
}  // namespace vj::config
