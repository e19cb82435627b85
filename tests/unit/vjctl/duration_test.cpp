// Tests the --timeout duration syntax and its printing.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "duration.hpp"

namespace vj::vjctl {
namespace {

using std::chrono::milliseconds;

TEST(ParseDuration, Units) {
    EXPECT_EQ(parse_duration("500ms"), milliseconds(500));
    EXPECT_EQ(parse_duration("10s"), milliseconds(10'000));
    EXPECT_EQ(parse_duration("1m"), milliseconds(60'000));
    EXPECT_EQ(parse_duration("2h"), milliseconds(7'200'000));
    EXPECT_EQ(parse_duration("1d"), milliseconds(86'400'000));
    EXPECT_EQ(parse_duration("1m30s"), milliseconds(90'000));
    EXPECT_EQ(parse_duration("1s500ms"), milliseconds(1'500));
    EXPECT_EQ(parse_duration("0"), milliseconds(0));
    EXPECT_EQ(parse_duration("0s"), milliseconds(0));
    EXPECT_EQ(parse_duration("999999999ms"), milliseconds(999'999'999));
}

TEST(ParseDuration, Rejects) {
    for (const char* bad : {"", "10", "s", "1x", "-1s", "+1s", "1.5s", "10 s", " 10s", "10s ", "1234567890s", "1M",
                            "ms", "1m30"}) {
        EXPECT_EQ(parse_duration(bad), std::nullopt) << '"' << bad << '"';
    }
}

TEST(FormatDuration, Shortest) {
    EXPECT_EQ(format_duration(milliseconds(0)), "0s");
    EXPECT_EQ(format_duration(milliseconds(500)), "500ms");
    EXPECT_EQ(format_duration(milliseconds(30'000)), "30s");
    EXPECT_EQ(format_duration(milliseconds(90'000)), "1m30s");
    EXPECT_EQ(format_duration(milliseconds(1'500)), "1s500ms");
    EXPECT_EQ(format_duration(milliseconds(35'000)), "35s");
    EXPECT_EQ(format_duration(milliseconds(90'061'001)), "1d1h1m1s1ms");
}

RC_GTEST_PROP(DurationRoundTrip, ParseReadsWhatFormatWrites, ()) {
    const auto d = milliseconds(*rc::gen::inRange<std::int64_t>(0, 1'000'000'000'000));
    RC_ASSERT(parse_duration(format_duration(d)) == std::optional(d));
}

}  // namespace
}  // namespace vj::vjctl
