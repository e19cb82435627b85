// Tests which file `vjctl check` validates and its success line (the loader itself is tested elsewhere).
#include <gtest/gtest.h>

#include "check.hpp"

namespace vj::vjctl {
namespace {

const std::optional<std::string> none;

TEST(ChooseCheckFile, ArgumentFirst) {
    EXPECT_EQ(choose_check_file("a.yaml", "b.yaml", {{"VJ_CONFIG", "c.yaml"}}, true), "a.yaml");
}

TEST(ChooseCheckFile, ThenConfigOption) {
    EXPECT_EQ(choose_check_file(none, "b.yaml", {{"VJ_CONFIG", "c.yaml"}}, true), "b.yaml");
}

TEST(ChooseCheckFile, ThenEnvironment) {
    EXPECT_EQ(choose_check_file(none, none, {{"VJ_CONFIG", "c.yaml"}}, true), "c.yaml");
    EXPECT_EQ(choose_check_file(none, none, {{"VJ_CONFIG", ""}}, true), "etc/services.yaml");
}

TEST(ChooseCheckFile, ThenTheWorkingDirectoryThenEtc) {
    EXPECT_EQ(choose_check_file(none, none, {}, true), "etc/services.yaml");
    EXPECT_EQ(choose_check_file(none, none, {}, false), "/etc/vj/services.yaml");
}

TEST(CheckOkLine, CountsServices) {
    EXPECT_EQ(check_ok_line("etc/services.yaml", 3), "etc/services.yaml: ok (3 services)");
    EXPECT_EQ(check_ok_line("x.yaml", 1), "x.yaml: ok (1 service)");
    EXPECT_EQ(check_ok_line("x.yaml", 0), "x.yaml: ok (0 services)");
}

}  // namespace
}  // namespace vj::vjctl
