// The health shell through its seams: fake clock, launcher and probes. No processes, no sleeps.
#include <gtest/gtest.h>
#include <unistd.h>

#include <csignal>
#include <filesystem>

#include <boost/asio/io_context.hpp>

#include "fakes/supervisor_fixture.hpp"
#include "runtime/supervisor.hpp"

namespace vj::runtime {
namespace {

using core::Verdict;
using namespace std::chrono_literals;

core::ServiceSpec probed(const std::string& name, int failures = 2) {
    core::ServiceSpec s;
    s.name = name;
    s.argv = {"/bin/true"};
    s.restart.policy = core::RestartPolicy::always;
    s.restart.backoff.jitter = 0;
    s.restart.backoff.initial = 1s;
    core::ProbeSpec p;
    p.type = core::ProbeType::command;
    p.name = "check";
    p.argv = {"/bin/true"};
    p.failures = failures;
    p.successes = 1;
    s.health.push_back(p);
    return s;
}

class HealthMonitorTest : public fakes::SupervisorFixture {
protected:
    Instance& inst(const std::string& name) {
        std::string unmatched;
        return *sup_->match({name}, unmatched).front();
    }
    /// Lets due probe timers fire (the fake clock sits near the epoch, so every armed timer is due).
    void tick() {
        io_.restart();
        io_.poll();
    }
    /// One scheduled run of `probe` answered with `v`.
    void verdict(const std::string& probe, Verdict v, const std::string& msg = "") {
        tick();
        ASSERT_EQ(probes_.answer(probe, v, msg), 1) << "no run of " << probe << " was pending";
    }
    std::string health(const std::string& name) { return sup_->status_of(inst(name))["health"]; }

};

TEST_F(HealthMonitorTest, FailuresInARowRestartTheInstanceAsAFailure) {
    auto& sup = make({probed("web")});
    sup.start();
    EXPECT_EQ(health("web"), "unknown");  // the configured probe has not spoken yet
    verdict("check", Verdict::healthy, "fine");
    EXPECT_EQ(health("web"), "healthy");
    EXPECT_EQ(sup.status_of(inst("web"))["message"], "check: fine");
    verdict("check", Verdict::unhealthy, "HTTP 503");
    EXPECT_EQ(health("web"), "healthy");  // one failure of two
    EXPECT_EQ(inst("web").state.state, core::State::running);
    verdict("check", Verdict::unhealthy, "HTTP 503");
    auto& w = inst("web");
    EXPECT_EQ(w.state.state, core::State::stopping);
    EXPECT_EQ(w.state.reason, "unhealthy: probe check: HTTP 503, restarting");
    ASSERT_FALSE(launcher_.signals.empty());
    EXPECT_EQ(launcher_.signals.front().pid, 1000);
    EXPECT_EQ(launcher_.signals.front().signo, SIGTERM);
    EXPECT_TRUE(launcher_.signals.front().group);
    ASSERT_EQ(launcher_.continued.size(), 1u);  // a stopped process could not act on TERM otherwise
    EXPECT_EQ(launcher_.continued.front().pid, 1000);
    // Stopping: the probes are off and health is unknown again.
    EXPECT_EQ(health("web"), "unknown");
    sup.process_exited(1000, {true, SIGTERM});
    EXPECT_EQ(w.state.state, core::State::backoff);
    EXPECT_EQ(w.state.failures, 1);
    EXPECT_EQ(w.state.restarts, 1);
}

TEST_F(HealthMonitorTest, ResultsOfAnEarlierProcessAreIgnored) {
    auto& sup = make({probed("web")});
    sup.start();
    tick();
    ASSERT_EQ(probes_.pending.size(), 1u);
    auto late = std::move(probes_.pending.front().done);
    probes_.pending.clear();
    sup.restart_instances({&inst("web")});
    sup.process_exited(1000, {true, SIGTERM});
    ASSERT_EQ(inst("web").state.state, core::State::running);
    late({Verdict::unhealthy, "old", core::Duration(1)});
    late = nullptr;
    EXPECT_EQ(health("web"), "unknown");
    EXPECT_EQ(inst("web").state.state, core::State::running);
}

TEST_F(HealthMonitorTest, AlertKeepsItRunningAndStopStopsIt) {
    auto a = probed("a", 1);
    a.on_unhealthy = core::OnUnhealthy::alert;
    auto b = probed("b", 1);
    b.on_unhealthy = core::OnUnhealthy::stop;
    auto& sup = make({a, b});
    sup.start();
    tick();
    probes_.answer("check", Verdict::unhealthy, "bad");
    EXPECT_EQ(inst("a").state.state, core::State::running);
    EXPECT_EQ(health("a"), "unhealthy");
    EXPECT_EQ(sup.status_of(inst("a"))["message"], "check: bad");
    EXPECT_EQ(inst("b").state.state, core::State::stopping);
    EXPECT_EQ(inst("b").state.goal, core::Goal::down);
    EXPECT_EQ(inst("b").state.reason, "unhealthy: probe check: bad, stopped (on_unhealthy: stop)");
}

TEST_F(HealthMonitorTest, ReadyProbeMakesItRunningAndItsEarlyFailuresDoNotCount) {
    auto s = probed("api", 1);
    s.ready.probe = "check";
    auto& sup = make({s});
    sup.start();
    EXPECT_EQ(inst("api").state.state, core::State::starting);
    verdict("check", Verdict::unhealthy, "connection refused");
    EXPECT_EQ(inst("api").state.state, core::State::starting);  // not ready is not unhealthy
    EXPECT_EQ(health("api"), "unknown");
    verdict("check", Verdict::healthy, "ok");
    EXPECT_EQ(inst("api").state.state, core::State::running);
    EXPECT_EQ(inst("api").state.reason, "ready (probe check)");
    EXPECT_EQ(health("api"), "healthy");
}

TEST_F(HealthMonitorTest, AStoppedMainProcessIsUnhealthyAtOnce) {
    auto s = probed("svc");
    s.health.clear();
    s.on_unhealthy = core::OnUnhealthy::alert;
    auto& sup = make({s});
    sup.start();
    EXPECT_EQ(health("svc"), "healthy");  // only the pid probe, which is healthy from the spawn
    sup.process_stopped(1000, true, SIGSTOP);
    EXPECT_EQ(health("svc"), "unhealthy");
    EXPECT_EQ(sup.status_of(inst("svc"))["message"], "pid: stopped by signal STOP");
    sup.process_stopped(1000, false, SIGCONT);
    EXPECT_EQ(health("svc"), "healthy");
}

TEST_F(HealthMonitorTest, WaitForHealthCompletesWhenItHolds) {
    auto& sup = make({probed("web")});
    sup.start();
    std::optional<nlohmann::json> got;
    WaitRequest w;
    w.instances = {"web"};
    w.states = {core::State::running};
    w.health = "healthy";
    w.timeout = 10s;
    w.done = [&](std::optional<nlohmann::json> r, std::string, std::string) { got = r; };
    sup.wait(std::move(w));
    EXPECT_FALSE(got);
    verdict("check", Verdict::healthy);
    ASSERT_TRUE(got);
    EXPECT_EQ((*got)["services"][0]["health"], "healthy");
}

TEST_F(HealthMonitorTest, RunNowReportsEveryProbeInOrder) {
    auto s = probed("web");
    s.on_unhealthy = core::OnUnhealthy::alert;  // the pid verdict depends on whether pid 1000 exists here
    auto& sup = make({s});
    sup.start();
    std::optional<nlohmann::json> got;
    sup.run_health(inst("web"), [&](nlohmann::json r) { got = std::move(r); });
    EXPECT_FALSE(got);  // the command probe is still out
    probes_.answer("check", Verdict::degraded, "slow");
    ASSERT_TRUE(got);
    ASSERT_EQ(got->size(), 2u);
    EXPECT_EQ((*got)[0]["name"], "pid");
    EXPECT_EQ((*got)[1]["name"], "check");
    EXPECT_EQ((*got)[1]["verdict"], "degraded");
    EXPECT_EQ((*got)[1]["message"], "slow");
}

}  // namespace
}  // namespace vj::runtime
