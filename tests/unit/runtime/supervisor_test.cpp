// The shell through its seams: fake clock and launcher, exits fed in by hand. No processes, no sleeps.
#include <gtest/gtest.h>
#include <unistd.h>

#include <csignal>
#include <filesystem>

#include <boost/asio/io_context.hpp>

#include "fakes/supervisor_fixture.hpp"
#include "runtime/commands.hpp"
#include "runtime/supervisor.hpp"

namespace vj::runtime {
namespace {


core::ServiceSpec service(const std::string& name, std::vector<std::string> deps = {}) {
    core::ServiceSpec s;
    s.name = name;
    s.argv = {"/bin/true"};
    s.depends_on = std::move(deps);
    s.restart.backoff.jitter = 0;
    return s;
}

using SupervisorTest = fakes::SupervisorFixture;

TEST_F(SupervisorTest, DependentsStartOnlyWhenTheirDependencyRuns) {
    auto a = service("db");
    a.ready.after = std::chrono::seconds(1);
    auto& sup = make({service("web", {"db"}), a, service("cache")});
    sup.start();
    // db and cache start together; web waits for db.
    EXPECT_EQ(launcher_.launched, (std::vector<std::string>{"db", "cache"}));
    EXPECT_EQ(state("web"), core::State::stopped);
    EXPECT_EQ(find("web")->state.reason, "waiting for db");
    clock_.advance(std::chrono::milliseconds(999));
    sup.wake_due();
    EXPECT_EQ(state("db"), core::State::starting);
    clock_.advance(std::chrono::milliseconds(1));
    sup.wake_due();
    EXPECT_EQ(state("db"), core::State::running);
    EXPECT_EQ(launcher_.launched.back(), "web");
    EXPECT_EQ(state("web"), core::State::running);
}

TEST_F(SupervisorTest, SpawnFailureReachesTheStatusReason) {
    launcher_.failing["broken"] = "cannot execute /x: No such file or directory";
    auto& sup = make({service("broken")});
    sup.start();
    const auto st = sup.status_of(*find("broken"));
    EXPECT_EQ(st["state"], "backoff");
    EXPECT_EQ(st["reason"], "cannot execute /x: No such file or directory, restarting in 1s");
    EXPECT_EQ(st["pid"], nullptr);
}

TEST_F(SupervisorTest, ShutdownStopsInReverseDependencyOrder) {
    auto& sup = make({service("front", {"mid"}), service("mid", {"base"}), service("base")});
    sup.start();
    ASSERT_EQ(state("front"), core::State::running);
    bool done = false;
    sup.shutdown([&] { done = true; });
    // Only front is told to stop; mid and base wait for their dependents.
    ASSERT_EQ(launcher_.signals.size(), 1u);
    EXPECT_EQ(launcher_.signals[0].pid, launcher_.pid_of["front"]);
    EXPECT_EQ(launcher_.signals[0].signo, SIGTERM);
    EXPECT_TRUE(launcher_.signals[0].group);
    exit("front", {true, SIGTERM});
    EXPECT_EQ(state("front"), core::State::stopped);
    EXPECT_EQ(launcher_.signals.back().pid, launcher_.pid_of["mid"]);
    exit("mid", {true, SIGTERM});
    EXPECT_EQ(launcher_.signals.back().pid, launcher_.pid_of["base"]);
    EXPECT_FALSE(done);
    exit("base", {true, SIGTERM});
    EXPECT_TRUE(done);
}

TEST_F(SupervisorTest, CrashDuringShutdownIsNotRestarted) {
    auto& sup = make({service("front", {"base"}), service("base")});
    sup.start();
    sup.shutdown({});
    exit("base", {false, 1});  // crashes while waiting for front to stop
    EXPECT_EQ(state("base"), core::State::exited);
    EXPECT_EQ(launcher_.launched.size(), 2u);  // no respawn
}

TEST_F(SupervisorTest, UnknownPidIsIgnored) {
    auto& sup = make({service("a")});
    sup.start();
    sup.process_exited(424242, {false, 0});
    EXPECT_EQ(state("a"), core::State::running);
}

TEST_F(SupervisorTest, WaitRepliesWhenTheStateHoldsOrFails) {
    launcher_.failing["bad"] = "unknown user 'x'";
    auto& sup = make({service("good"), service("bad")});
    sup.start();
    std::string outcome;
    WaitRequest w;
    w.instances = {"good", "bad"};
    w.states = {core::State::running};
    w.fail_states = {core::State::backoff};
    w.timeout = std::chrono::seconds(5);
    w.done = [&](std::optional<nlohmann::json> result, std::string code, std::string message) {
        outcome = result ? "ok" : code + ": " + message;
    };
    sup.wait(std::move(w));
    EXPECT_EQ(outcome, "failed: bad is backoff: unknown user 'x', restarting in 1s");
}

TEST_F(SupervisorTest, GlobMatchesServicesAndInstances) {
    auto w = service("worker");
    w.instances = 2;
    auto& sup = make({w, service("web")});
    std::string unmatched;
    EXPECT_EQ(sup.match({"w*"}, unmatched).size(), 3u);
    EXPECT_EQ(sup.match({"worker:1"}, unmatched).size(), 1u);
    EXPECT_EQ(sup.match({"all"}, unmatched).size(), 3u);
    EXPECT_TRUE(unmatched.empty());
    EXPECT_TRUE(sup.match({"zzz"}, unmatched).empty());
    EXPECT_EQ(unmatched, "zzz");
}

}  // namespace
}  // namespace vj::runtime
