// parse_notify: the sd_notify(3) assignments we act on, the ones we ignore, and the datagrams we reject.
#include <gtest/gtest.h>

#include "core/notify_message.hpp"

namespace vj::core {
namespace {

NotifyMessage parse_ok(std::string_view datagram) {
    std::string error;
    auto m = parse_notify(datagram, error);
    EXPECT_TRUE(m.has_value()) << "datagram: " << datagram << "\nerror: " << error;
    return m.value_or(NotifyMessage{});
}

std::string parse_error(std::string_view datagram) {
    std::string error;
    auto m = parse_notify(datagram, error);
    EXPECT_FALSE(m.has_value()) << "datagram: " << datagram;
    return error;
}

TEST(ParseNotify, ReadyAlone) {
    const auto m = parse_ok("READY=1");
    EXPECT_TRUE(m.ready);
    EXPECT_FALSE(m.reloading);
    EXPECT_FALSE(m.stopping);
    EXPECT_FALSE(m.watchdog);
    EXPECT_FALSE(m.status.has_value());
    EXPECT_TRUE(m.unknown.empty());
}

TEST(ParseNotify, SeveralAssignmentsWithTrailingNewline) {
    const auto m = parse_ok("READY=1\nSTATUS=Loading 50%\nMAINPID=4242\nWATCHDOG_USEC=5000000\nERRNO=2\n");
    EXPECT_TRUE(m.ready);
    EXPECT_EQ(m.status, "Loading 50%");
    EXPECT_EQ(m.main_pid, 4242);
    EXPECT_EQ(m.watchdog_usec, 5000000u);
    EXPECT_EQ(m.errno_value, 2);
}

TEST(ParseNotify, FlagsOtherThanOneAreIgnoredNotSet) {
    const auto m = parse_ok("READY=0\nSTOPPING=1\nRELOADING=1");
    EXPECT_FALSE(m.ready);
    EXPECT_TRUE(m.stopping);
    EXPECT_TRUE(m.reloading);
    EXPECT_EQ(m.unknown, std::vector<std::string>{"READY"});
}

TEST(ParseNotify, WatchdogPingAndTrigger) {
    EXPECT_TRUE(parse_ok("WATCHDOG=1").watchdog);
    EXPECT_FALSE(parse_ok("WATCHDOG=1").watchdog_trigger);
    const auto t = parse_ok("WATCHDOG=trigger");
    EXPECT_TRUE(t.watchdog_trigger);
    EXPECT_FALSE(t.watchdog);
    EXPECT_EQ(parse_ok("WATCHDOG=2").unknown, std::vector<std::string>{"WATCHDOG"});
}

TEST(ParseNotify, StatusKeepsEverythingAfterTheFirstEqualsSign) {
    EXPECT_EQ(parse_ok("STATUS=a=b c").status, "a=b c");
    EXPECT_EQ(parse_ok("STATUS=").status, "");  // clears the status
    EXPECT_EQ(parse_ok("STATUS=caf\xc3\xa9 \xe2\x9c\x93").status, "caf\xc3\xa9 \xe2\x9c\x93");
}

TEST(ParseNotify, StatusThatIsNotUtf8IsIgnoredButTheRestCounts) {
    for (std::string_view bad : {"STATUS=\xff", "STATUS=ab\xc3", "STATUS=\xc0\xaf", "STATUS=\xed\xa0\x80"}) {
        const auto m = parse_ok(std::string(bad) + "\nREADY=1");
        EXPECT_FALSE(m.status.has_value()) << bad;
        EXPECT_TRUE(m.ready);
        EXPECT_EQ(m.unknown, std::vector<std::string>{"STATUS"});
    }
}

TEST(ParseNotify, LastAssignmentWins) {
    EXPECT_EQ(parse_ok("STATUS=one\nSTATUS=two").status, "two");
    EXPECT_EQ(parse_ok("MAINPID=1\nMAINPID=7").main_pid, 7);
}

TEST(ParseNotify, UnknownKeysAreListedInOrder) {
    const auto m = parse_ok("BARRIER=1\nFDSTORE=1\nREADY=1\nEXTEND_TIMEOUT_USEC=100");
    EXPECT_TRUE(m.ready);
    EXPECT_EQ(m.unknown, (std::vector<std::string>{"BARRIER", "FDSTORE", "EXTEND_TIMEOUT_USEC"}));
}

TEST(ParseNotify, EmptyLinesAreSkipped) { EXPECT_TRUE(parse_ok("\n\nREADY=1\n\n").ready); }

TEST(ParseNotify, EmptyDatagramIsAnError) {
    EXPECT_EQ(parse_error(""), "empty datagram");
    EXPECT_EQ(parse_error("\n\n"), "datagram has no assignment");
}

TEST(ParseNotify, LineWithoutEqualsSignIsAnError) {
    EXPECT_EQ(parse_error("READY=1\nhello"), "not a KEY=VALUE assignment: 'hello'");
    EXPECT_EQ(parse_error("=1"), "empty key: '=1'");
}

TEST(ParseNotify, BadNumbersAreErrors) {
    EXPECT_EQ(parse_error("MAINPID=abc"), "MAINPID is not a process id: 'MAINPID=abc'");
    parse_error("MAINPID=0");
    parse_error("MAINPID=-5");
    parse_error("MAINPID=12x");
    parse_error("MAINPID=99999999999999999999");
    parse_error("MAINPID=");
    EXPECT_EQ(parse_error("WATCHDOG_USEC=-1"), "WATCHDOG_USEC is not a number of microseconds: 'WATCHDOG_USEC=-1'");
    EXPECT_EQ(parse_error("ERRNO=x"), "ERRNO is not an error number: 'ERRNO=x'");
}

TEST(ParseNotify, NulByteRejectsTheWholeDatagram) {
    EXPECT_EQ(parse_error(std::string_view("READY=1\0x", 9)), "datagram contains a NUL byte");
}

TEST(ParseNotify, ErrorsQuoteAtMost64PrintableBytes) {
    const std::string line = "\x01" + std::string(100, 'x');
    const auto error = parse_error(line);
    EXPECT_EQ(error, "not a KEY=VALUE assignment: '?" + std::string(63, 'x') + "...'");
}

}  // namespace
}  // namespace vj::core
