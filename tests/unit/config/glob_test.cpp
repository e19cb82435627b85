// Unit tests of include-pattern matching, on names and on a real temporary directory.
#include "config/glob.hpp"

#include <gtest/gtest.h>

#include "unit/config/temp_config_dir.hpp"

namespace vj::config {
namespace {

TEST(WildcardMatch, StarAndQuestionMark) {
    EXPECT_TRUE(wildcard_match("*.yaml", "web.yaml"));
    EXPECT_TRUE(wildcard_match("*.yaml", ".yaml"));
    EXPECT_FALSE(wildcard_match("*.yaml", "web.yml"));
    EXPECT_TRUE(wildcard_match("w?b.yaml", "web.yaml"));
    EXPECT_FALSE(wildcard_match("w?b.yaml", "wb.yaml"));
    EXPECT_TRUE(wildcard_match("*", ""));
    EXPECT_TRUE(wildcard_match("a*b*c", "aXXbYYc"));
    EXPECT_FALSE(wildcard_match("a*b*c", "aXXbYY"));
}

TEST(WildcardMatch, Classes) {
    EXPECT_TRUE(wildcard_match("[0-9]*.yaml", "10-web.yaml"));
    EXPECT_FALSE(wildcard_match("[0-9]*.yaml", "web.yaml"));
    EXPECT_TRUE(wildcard_match("[!0-9]*", "web"));
    EXPECT_TRUE(wildcard_match("[ab]", "b"));
    EXPECT_TRUE(wildcard_match("[]]", "]"));
    EXPECT_TRUE(wildcard_match("[", "["));  // unclosed: an ordinary character
}

TEST(HasWildcards, Detects) {
    EXPECT_TRUE(has_wildcards("services.d/*.yaml"));
    EXPECT_TRUE(has_wildcards("a?.yaml"));
    EXPECT_TRUE(has_wildcards("[ab].yaml"));
    EXPECT_FALSE(has_wildcards("../plugins/audio/service.yaml"));
}

TEST(ExpandGlob, SortedRegularFilesAcrossDirectories) {
    test_support::TempConfigDir dir;
    dir.write("plugins/osc/service.yaml", "");
    dir.write("plugins/audio/service.yaml", "");
    dir.write("plugins/lyrics/README", "");
    dir.write("plugins/.hidden/service.yaml", "");
    std::filesystem::create_directories(dir.path("plugins/service.yaml.d"));
    const auto files = expand_glob(dir.path("plugins/*/service.yaml"));
    ASSERT_EQ(files.size(), 2u);
    EXPECT_EQ(files[0], dir.path("plugins/audio/service.yaml"));
    EXPECT_EQ(files[1], dir.path("plugins/osc/service.yaml"));
}

TEST(ExpandGlob, NoMatchIsEmpty) {
    test_support::TempConfigDir dir;
    EXPECT_TRUE(expand_glob(dir.path("services.d/*.yaml")).empty());
    EXPECT_TRUE(expand_glob(dir.path("*.yaml")).empty());
}

TEST(ExpandGlob, RelativePatternsStayRelative) {
    test_support::TempConfigDir dir;
    dir.write("etc/services.d/b.yaml", "");
    dir.write("etc/services.d/a.yaml", "");
    test_support::ScopedCwd cwd(dir.root());
    const auto files = expand_glob("etc/services.d/*.yaml");
    ASSERT_EQ(files.size(), 2u);
    EXPECT_EQ(files[0], std::filesystem::path("etc/services.d/a.yaml"));
    EXPECT_EQ(files[1], std::filesystem::path("etc/services.d/b.yaml"));
}

}  // namespace
}  // namespace vj::config
