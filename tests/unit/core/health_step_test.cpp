// Named cases for the health-driven events of core::step and for the health thresholds.
#include <gtest/gtest.h>

#include <csignal>

#include "core/health.hpp"
#include "core/step.hpp"

namespace vj::core {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

struct Driver {
    ServiceSpec spec;
    InstanceState st;
    Time now{};
    std::vector<Effect> last;

    Driver() {
        spec.name = "svc";
        spec.argv = {"/bin/true"};
        spec.restart.policy = RestartPolicy::always;
        spec.restart.backoff = {milliseconds(100), 2.0, milliseconds(1000), 0.0};
        spec.restart.limit = {2, seconds(60), seconds(10)};
        spec.restart.stable_after = seconds(5);
    }
    void feed(const Event& e) {
        Context c;
        c.now = now;
        auto r = step(spec, st, e, c);
        ASSERT_TRUE(is_legal_transition(st.state, r.next.state));
        st = r.next;
        last = r.effects;
    }
    void run(int pid = 42) {
        feed(StartRequested{});
        feed(Spawned{pid});
    }
};

TEST(HealthStep, UnhealthyStopsTheGroupAndItsExitIsAFailure) {
    Driver d;
    d.run();
    ASSERT_EQ(d.st.state, State::running);
    d.feed(Unhealthy{"probe http: HTTP 503"});
    EXPECT_EQ(d.st.state, State::stopping);
    ASSERT_EQ(d.last.size(), 1u);
    EXPECT_EQ(std::get<SendSignal>(d.last[0]), (SendSignal{SIGTERM, true}));
    EXPECT_EQ(d.st.reason, "unhealthy: probe http: HTTP 503, restarting");
    d.feed(Exited{{true, SIGTERM}});
    EXPECT_EQ(d.st.state, State::backoff);  // not an immediate respawn: it counts as a failure
    EXPECT_EQ(d.st.failures, 1);
    EXPECT_EQ(d.st.restarts, 1);
    EXPECT_EQ(d.st.reason, "unhealthy: probe http: HTTP 503 (killed by signal TERM), restarting in 100ms");
}

TEST(HealthStep, UnhealthyRestartsCountTowardsTheLimit) {
    Driver d;
    for (int i = 0; i < 2; ++i) {
        d.run(40 + i);
        d.feed(Unhealthy{"watchdog: no WATCHDOG=1 for 1s"});
        d.feed(Exited{{true, SIGTERM}});
        ASSERT_EQ(d.st.state, State::backoff);
        d.now += seconds(1);
        d.feed(DeadlineReached{});
        d.feed(Spawned{50 + i});
        d.feed(StopRequested{});
        d.feed(Exited{{true, SIGTERM}});
        d.st.goal = Goal::down;
    }
    // Two restarts in the window already: the third unhealthy exit hits the limit of 2.
    d.feed(StartRequested{});  // a manual start forgives, so build the window again without it
    d.feed(Spawned{60});
    d.feed(Unhealthy{"a"});
    d.feed(Exited{{false, 1}});
    d.now += seconds(1);
    d.feed(DeadlineReached{});
    d.feed(Spawned{61});
    d.feed(Unhealthy{"b"});
    d.feed(Exited{{false, 1}});
    d.now += seconds(1);
    d.feed(DeadlineReached{});
    d.feed(Spawned{62});
    d.feed(Unhealthy{"c"});
    d.feed(Exited{{false, 1}});
    EXPECT_EQ(d.st.state, State::failed);
    EXPECT_NE(d.st.reason.find("restart limit reached"), std::string::npos) << d.st.reason;
}

TEST(HealthStep, StopDuringAnUnhealthyRestartStopsForGood) {
    Driver d;
    d.run();
    d.feed(Unhealthy{"x"});
    d.feed(StopRequested{});
    d.feed(Exited{{true, SIGTERM}});
    EXPECT_EQ(d.st.state, State::stopped);
    EXPECT_EQ(d.st.failures, 0);
}

TEST(HealthStep, RestartRequestDuringAnUnhealthyStopRespawnsAtOnce) {
    Driver d;
    d.run();
    d.feed(Unhealthy{"x"});
    d.feed(RestartRequested{});
    d.feed(Exited{{true, SIGTERM}});
    EXPECT_EQ(d.st.state, State::starting);
    EXPECT_EQ(d.st.failures, 0);
}

TEST(HealthStep, UnhealthyIsIgnoredUnlessLive) {
    Driver d;
    d.feed(Unhealthy{"x"});
    EXPECT_EQ(d.st.state, State::stopped);
    d.run();
    d.feed(StopRequested{});
    d.feed(Unhealthy{"x"});
    EXPECT_EQ(d.st.state, State::stopping);
    EXPECT_FALSE(d.st.failing.has_value());
}

TEST(HealthStep, AStableRunIsForgivenBeforeAnUnhealthyRestart) {
    Driver d;
    d.run();
    d.st.failures = 4;
    d.now += seconds(10);  // past stable_after
    d.feed(Unhealthy{"x"});
    d.feed(Exited{{true, SIGTERM}});
    EXPECT_EQ(d.st.failures, 1);
}

TEST(HealthStep, NotifyReadinessWaitsForReady) {
    Driver d;
    d.spec.ready.notify = true;
    d.run();
    EXPECT_EQ(d.st.state, State::starting);
    EXPECT_EQ(d.st.reason, "started, waiting for READY=1");
    d.feed(ReadyReported{"probe http"});  // not the kind of readiness it waits for
    EXPECT_EQ(d.st.state, State::starting);
    d.feed(ReadyReported{"READY=1"});
    EXPECT_EQ(d.st.state, State::running);
    EXPECT_EQ(d.st.reason, "ready (READY=1)");
}

TEST(HealthStep, ProbeReadinessWaitsForTheProbe) {
    Driver d;
    d.spec.ready.probe = "http";
    d.run();
    EXPECT_EQ(d.st.reason, "started, waiting for probe http");
    d.feed(ReadyReported{"probe http"});
    EXPECT_EQ(d.st.state, State::running);
}

TEST(HealthStep, NotReadyInTimeIsAFailedStart) {
    Driver d;
    d.spec.ready.notify = true;
    d.spec.ready.timeout = seconds(30);
    d.run();
    ASSERT_EQ(d.st.deadline, d.now + seconds(30));
    d.now += seconds(30);
    d.feed(DeadlineReached{});
    EXPECT_EQ(d.st.state, State::stopping);
    EXPECT_EQ(d.st.reason, "not ready after 30s, restarting");
    d.feed(Exited{{true, SIGTERM}});
    EXPECT_EQ(d.st.state, State::backoff);
    EXPECT_EQ(d.st.failures, 1);
    EXPECT_EQ(d.st.reason, "not ready after 30s (killed by signal TERM), restarting in 100ms");
}

TEST(HealthStep, ReadyTimeoutNeverWaitsForEver) {
    Driver d;
    d.spec.ready.probe = "http";
    d.spec.ready.timeout.reset();
    d.run();
    EXPECT_FALSE(d.st.deadline.has_value());
    EXPECT_EQ(d.st.state, State::starting);
}

TEST(HealthStep, ReadyReportedIsIgnoredWithoutThatReadiness) {
    Driver d;
    d.spec.ready.after = seconds(1);
    d.run();
    d.feed(ReadyReported{"READY=1"});
    EXPECT_EQ(d.st.state, State::starting);
}

TEST(HealthStep, MainPidMovesThePidButNotTheGroup) {
    Driver d;
    d.run(42);
    d.feed(MainPidChanged{77});
    EXPECT_EQ(d.st.pid, 77);
    EXPECT_EQ(d.st.pgid, 42);
    d.feed(Exited{{false, 1}});
    ASSERT_FALSE(d.last.empty());
    EXPECT_EQ(std::get<KillLeftovers>(d.last[0]), (KillLeftovers{42}));
}

TEST(HealthThresholds, FailuresAndSuccessesInARow) {
    ProbeTrack t;
    t = observe(t, Verdict::unhealthy, 3, 2);
    t = observe(t, Verdict::unhealthy, 3, 2);
    EXPECT_EQ(t.health, Health::unknown);
    t = observe(t, Verdict::unhealthy, 3, 2);
    EXPECT_EQ(t.health, Health::unhealthy);
    t = observe(t, Verdict::healthy, 3, 2);
    EXPECT_EQ(t.health, Health::unhealthy);
    t = observe(t, Verdict::healthy, 3, 2);
    EXPECT_EQ(t.health, Health::healthy);
    t = observe(t, Verdict::degraded, 3, 2);
    EXPECT_EQ(t.health, Health::degraded);
}

TEST(HealthThresholds, CombineTakesTheWorst) {
    using H = Health;
    EXPECT_EQ(combine(std::vector<H>{}), H::unknown);
    EXPECT_EQ(combine(std::vector<H>{H::healthy, H::healthy}), H::healthy);
    EXPECT_EQ(combine(std::vector<H>{H::healthy, H::unknown}), H::unknown);
    EXPECT_EQ(combine(std::vector<H>{H::degraded, H::unknown}), H::degraded);
    EXPECT_EQ(combine(std::vector<H>{H::healthy, H::unhealthy, H::degraded}), H::unhealthy);
}

TEST(HealthThresholds, ActionOnlyOnTheTransitionIntoUnhealthy) {
    EXPECT_EQ(on_health_change(Health::healthy, Health::unhealthy, OnUnhealthy::restart), HealthAction::restart);
    EXPECT_EQ(on_health_change(Health::unknown, Health::unhealthy, OnUnhealthy::stop), HealthAction::stop);
    EXPECT_EQ(on_health_change(Health::degraded, Health::unhealthy, OnUnhealthy::alert), HealthAction::alert);
    EXPECT_EQ(on_health_change(Health::unhealthy, Health::unhealthy, OnUnhealthy::restart), HealthAction::none);
    EXPECT_EQ(on_health_change(Health::healthy, Health::degraded, OnUnhealthy::restart), HealthAction::none);
}

}  // namespace
}  // namespace vj::core
