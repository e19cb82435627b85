// stop: signal to the group, SIGKILL after the timeout, nothing of the group left behind.
#include <gtest/gtest.h>
#include <signal.h>

#include "integration/harness.hpp"

namespace vj::test {
namespace {

using namespace std::chrono_literals;

TEST(Stop, TermIgnoringServiceIsKilledAfterTimeoutWithItsGrandchild) {
    TempDir scratch;
    const auto pidfile = (scratch / "grandchild.pid").string();
    Daemon d("  stubborn:\n    command: [" + fixture("term_ignorer.sh") + ", " + pidfile +
             "]\n    stop: { timeout: 500ms }\n");
    ASSERT_TRUE(d.wait_state("stubborn", {"running"}));
    ASSERT_TRUE(eventually([&] { return !read_file(pidfile).empty(); }, 5s));
    const pid_t grandchild = std::stoi(read_file(pidfile));
    const pid_t child = d.status("stubborn")["pid"];
    ASSERT_TRUE(process_exists(grandchild));

    const auto t0 = std::chrono::steady_clock::now();
    auto r = d.vjctl({"stop", "stubborn"});
    const auto took = std::chrono::steady_clock::now() - t0;
    EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
    EXPECT_GE(took, 450ms);  // TERM was ignored: only the timeout ended it
    auto st = d.status("stubborn");
    EXPECT_EQ(st["state"], "stopped");
    EXPECT_EQ(st["reason"], "killed after stop timeout (killed by signal KILL)");
    EXPECT_FALSE(process_exists(child));
    // The grandchild was in the group: killed too, and reaped (supervisord is the subreaper).
    EXPECT_TRUE(eventually([&] { return !process_exists(grandchild); }, 5s));
}

TEST(Stop, LeftoversOfTheGroupAreKilledWhenTheMainProcessExits) {
    TempDir scratch;
    const auto pidfile = (scratch / "bg.pid").string();
    Daemon d("  leaver:\n    command: \"sleep 1000 & echo $! > " + pidfile +
             "; exit 1\"\n    restart: { policy: never }\n");
    ASSERT_TRUE(d.wait_state("leaver", {"failed"}));
    ASSERT_TRUE(eventually([&] { return !read_file(pidfile).empty(); }, 5s));
    const pid_t bg = std::stoi(read_file(pidfile));
    EXPECT_TRUE(eventually([&] { return !process_exists(bg); }, 5s));
}

TEST(Stop, GroupFalseSignalsOnlyTheMainProcess) {
    TempDir scratch;
    const auto pidfile = (scratch / "bg.pid").string();
    Daemon d("  solo:\n    command: \"sleep 1000 & echo $! > " + pidfile +
             "; trap 'exit 0' TERM; while :; do sleep 0.05; done\"\n    stop: { group: false }\n");
    ASSERT_TRUE(d.wait_state("solo", {"running"}));
    ASSERT_TRUE(eventually([&] { return !read_file(pidfile).empty(); }, 5s));
    const pid_t bg = std::stoi(read_file(pidfile));
    auto r = d.vjctl({"stop", "solo"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_TRUE(process_exists(bg));  // group: false leaves it, as asked
    ::kill(bg, SIGKILL);
}

TEST(Stop, CustomSignalIsUsed) {
    TempDir scratch;
    const auto marker = (scratch / "got").string();
    Daemon d("  hup:\n    command: \"trap 'echo HUP > " + marker +
             "; exit 0' HUP; while :; do sleep 0.05; done\"\n    stop: { signal: HUP, timeout: 5s }\n");
    ASSERT_TRUE(d.wait_state("hup", {"running"}));
    auto r = d.vjctl({"stop", "hup"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(read_file(marker), "HUP\n");
    EXPECT_EQ(d.status("hup")["reason"], "stopped (exited with code 0)");
}

}  // namespace
}  // namespace vj::test
