// restart: crash loops back off exponentially, fail at the attempt limit, and retry after cool-off.
#include <gtest/gtest.h>

#include "integration/harness.hpp"

namespace vj::test {
namespace {

using namespace std::chrono_literals;

TEST(Restart, CrashLoopBacksOffThenFailsThenCoolsOffAndRetries) {
    Daemon d(R"(  crasher:
    command: "exit 3"
    restart:
      policy: on-failure
      backoff: { initial: 100ms, factor: 2, max: 10s, jitter: 0 }
      limit: { attempts: 3, window: 1m, cooloff: 1500ms }
)");
    ASSERT_TRUE(d.wait_state("crasher", {"failed"}, 10s)) << d.log();
    auto st = d.status("crasher");
    EXPECT_EQ(st["restarts"], 3);
    EXPECT_EQ(st["pid"], nullptr);
    EXPECT_EQ(st["reason"],
              "restart limit reached: 3 restarts within 1m (last: exited with code 3), retrying in 1500ms");
    const auto log = d.log();
    // Exponential: 100ms, 200ms, 400ms, with jitter 0 exactly these.
    const auto first = log.find("exited with code 3, restarting in 100ms");
    const auto second = log.find("exited with code 3, restarting in 200ms");
    const auto third = log.find("exited with code 3, restarting in 400ms");
    ASSERT_NE(first, std::string::npos) << log;
    ASSERT_NE(second, std::string::npos) << log;
    ASSERT_NE(third, std::string::npos) << log;
    EXPECT_LT(first, second);
    EXPECT_LT(second, third);

    // Cool-off over: a fresh backoff (100ms again), so it is seen in backoff or starting again.
    ASSERT_TRUE(d.wait_state("crasher", {"backoff", "starting"}, 5s)) << d.log();
    EXPECT_NE(d.log().find("cool-off over, retrying"), std::string::npos) << d.log();
}

TEST(Restart, CoolOffNeverWaitsForAStart) {
    Daemon d(R"(  crasher:
    command: "exit 1"
    restart:
      backoff: { initial: 10ms, jitter: 0 }
      limit: { attempts: 1, window: 1m, cooloff: never }
)");
    ASSERT_TRUE(d.wait_state("crasher", {"failed"}, 5s)) << d.log();
    EXPECT_NE(d.status("crasher")["reason"].get<std::string>().find("waiting for vjctl start"), std::string::npos);
    // A person's start resets the count: one more run, one more restart, failed again.
    auto r = d.vjctl({"start", "--no-wait", "crasher"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    ASSERT_TRUE(d.wait_state("crasher", {"failed"}, 5s)) << d.log();
}

TEST(Restart, PolicyNeverLeavesACleanExitExitedAndAFailureFailed) {
    Daemon d(R"(  clean:
    command: "exit 0"
    restart: { policy: never }
  broken:
    command: "exit 2"
    restart: { policy: never }
)");
    ASSERT_TRUE(d.wait_state("clean", {"exited"}, 5s));
    ASSERT_TRUE(d.wait_state("broken", {"failed"}, 5s));
    EXPECT_EQ(d.status("broken")["reason"], "exited with code 2");
    EXPECT_EQ(d.status("clean")["restarts"], 0);
}

TEST(Restart, OnFailureTreatsSuccessCodesAsDone) {
    Daemon d(R"(  done:
    command: "exit 7"
    restart: { policy: on-failure, success_codes: [0, 7] }
)");
    ASSERT_TRUE(d.wait_state("done", {"exited"}, 5s));
    EXPECT_EQ(d.status("done")["reason"], "exited with code 7");
}

TEST(Restart, KilledBySignalRestartsAtOnceWithZeroBackoff) {
    Daemon d(R"(  victim:
    command: [sleep, "1000"]
    restart: { policy: always, backoff: { initial: 0s, jitter: 0 } }
)");
    ASSERT_TRUE(d.wait_state("victim", {"running"}));
    const int old_pid = d.status("victim")["pid"];
    ASSERT_EQ(::kill(old_pid, SIGKILL), 0);
    ASSERT_TRUE(eventually([&] { auto s = d.status("victim"); return s["pid"].is_number() && s["pid"] != old_pid; },
                           5s));
    EXPECT_EQ(d.status("victim")["restarts"], 1);
    EXPECT_NE(d.log().find("killed by signal KILL, restarting in 0ms"), std::string::npos) << d.log();
}

}  // namespace
}  // namespace vj::test
