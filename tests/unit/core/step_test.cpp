// Named lifecycle cases for core::step, through values only (no clock, no processes).
#include <gtest/gtest.h>

#include <csignal>

#include "core/plan.hpp"
#include "core/step.hpp"

namespace vj::core {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

ServiceSpec spec_with(RestartPolicy policy) {
    ServiceSpec s;
    s.name = "svc";
    s.argv = {"/bin/true"};
    s.restart.policy = policy;
    s.restart.backoff = {milliseconds(100), 2.0, milliseconds(1000), 0.0};
    s.restart.limit = {3, seconds(60), seconds(10)};
    s.restart.stable_after = seconds(5);
    return s;
}

struct Driver {
    explicit Driver(ServiceSpec s) : spec(std::move(s)) {}
    ServiceSpec spec;
    InstanceState st;
    Time now{};
    std::vector<Effect> last;

    void feed(const Event& e, bool deps = true) {
        Context c;
        c.now = now;
        c.dependencies_ready = deps;
        c.pending = deps ? "" : "db";
        auto r = step(spec, st, e, c);
        st = r.next;
        last = r.effects;
    }
    void spawn_ok(int pid = 42) {
        // A spawn may follow other effects (KillLeftovers of the previous run's group), never precede them.
        ASSERT_FALSE(last.empty());
        ASSERT_TRUE(std::holds_alternative<Spawn>(last.back()));
        feed(Spawned{pid});
    }
};

TEST(Step, StartSpawnsAndRunsAtOnceWithoutReadyCondition) {
    Driver d{spec_with(RestartPolicy::on_failure)};
    d.feed(StartRequested{});
    EXPECT_EQ(d.st.state, State::starting);
    d.spawn_ok();
    EXPECT_EQ(d.st.state, State::running);
    EXPECT_EQ(d.st.pid, 42);
    EXPECT_EQ(d.st.reason, "started");
}

TEST(Step, ReadyAfterKeepsStartingUntilTheDeadline) {
    Driver d{spec_with(RestartPolicy::on_failure)};
    d.spec.ready.after = milliseconds(1500);
    d.feed(StartRequested{});
    d.spawn_ok();
    EXPECT_EQ(d.st.state, State::starting);
    ASSERT_TRUE(d.st.deadline);
    d.now += milliseconds(1499);
    d.feed(DeadlineReached{});  // early wakeup: ignored
    EXPECT_EQ(d.st.state, State::starting);
    d.now += milliseconds(1);
    d.feed(DeadlineReached{});
    EXPECT_EQ(d.st.state, State::running);
    EXPECT_EQ(d.st.reason, "ready after 1500ms");
}

TEST(Step, CrashLoopBacksOffDoublingThenFailsThenCoolsOff) {
    Driver d{spec_with(RestartPolicy::on_failure)};
    d.feed(StartRequested{});
    d.spawn_ok();
    const milliseconds expected[] = {milliseconds(100), milliseconds(200), milliseconds(400)};
    for (auto delay : expected) {
        d.feed(Exited{{false, 1}});
        ASSERT_EQ(d.st.state, State::backoff);
        EXPECT_EQ(*d.st.deadline - d.now, delay);
        d.now += delay;
        d.feed(DeadlineReached{});
        d.spawn_ok();
    }
    d.feed(Exited{{false, 1}});  // a fourth restart would exceed attempts: 3
    EXPECT_EQ(d.st.state, State::failed);
    EXPECT_EQ(d.st.reason,
              "restart limit reached: 3 restarts within 1m (last: exited with code 1), retrying in 10s");
    EXPECT_EQ(*d.st.deadline - d.now, seconds(10));
    d.now += seconds(10);
    d.feed(DeadlineReached{});
    EXPECT_EQ(d.st.state, State::starting);
    d.spawn_ok();
    d.feed(Exited{{false, 1}});
    EXPECT_EQ(*d.st.deadline - d.now, milliseconds(100));  // a fresh backoff
}

TEST(Step, BackoffResetsAfterAStableRun) {
    Driver d{spec_with(RestartPolicy::always)};
    d.feed(StartRequested{});
    d.spawn_ok();
    d.feed(Exited{{false, 1}});
    d.now += milliseconds(100);
    d.feed(DeadlineReached{});
    d.spawn_ok();
    d.now += seconds(5);  // stable_after
    d.feed(Exited{{false, 1}});
    EXPECT_EQ(d.st.failures, 1);
    EXPECT_EQ(*d.st.deadline - d.now, milliseconds(100));
}

TEST(Step, BackoffIsCappedAtMax) {
    BackoffSpec b{milliseconds(100), 10.0, milliseconds(2500), 0.0};
    EXPECT_EQ(backoff_base(b, 1), milliseconds(100));
    EXPECT_EQ(backoff_base(b, 2), milliseconds(1000));
    EXPECT_EQ(backoff_base(b, 3), milliseconds(2500));
    EXPECT_EQ(backoff_base(b, 1000), milliseconds(2500));
    EXPECT_EQ(apply_jitter(milliseconds(1000), 0.1, -1.0), milliseconds(900));
    EXPECT_EQ(apply_jitter(milliseconds(1000), 0.1, 1.0), milliseconds(1100));
}

TEST(Step, StopSendsTheSignalThenKillsAfterTheTimeout) {
    Driver d{spec_with(RestartPolicy::always)};
    d.spec.stop = {SIGINT, seconds(2), true};
    d.feed(StartRequested{});
    d.spawn_ok();
    d.feed(StopRequested{});
    EXPECT_EQ(d.st.state, State::stopping);
    ASSERT_EQ(d.last.size(), 1u);
    EXPECT_EQ(std::get<SendSignal>(d.last[0]), (SendSignal{SIGINT, true}));
    d.now += seconds(2);
    d.feed(DeadlineReached{});
    EXPECT_EQ(std::get<SendSignal>(d.last[0]), (SendSignal{SIGKILL, true}));
    d.feed(Exited{{true, SIGKILL}});
    EXPECT_EQ(d.st.state, State::stopped);
    EXPECT_EQ(d.st.reason, "killed after stop timeout (killed by signal KILL)");
    ASSERT_EQ(d.last.size(), 1u);
    EXPECT_EQ(std::get<KillLeftovers>(d.last[0]).pgid, 42);  // nothing of the group survives
}

TEST(Step, RestartStopsThenSpawnsAgain) {
    Driver d{spec_with(RestartPolicy::never)};
    d.feed(StartRequested{});
    d.spawn_ok(1);
    d.feed(RestartRequested{});
    EXPECT_EQ(d.st.state, State::stopping);
    d.feed(Exited{{true, SIGTERM}});
    EXPECT_EQ(d.st.state, State::starting);
    d.spawn_ok(2);
    EXPECT_EQ(d.st.pid, 2);
    EXPECT_EQ(d.st.restarts, 0);  // a requested restart is not a failure
}

TEST(Step, WaitsForDependenciesThenStarts) {
    Driver d{spec_with(RestartPolicy::always)};
    d.feed(StartRequested{}, false);
    EXPECT_EQ(d.st.state, State::stopped);
    EXPECT_EQ(d.st.goal, Goal::up);
    EXPECT_EQ(d.st.reason, "waiting for db");
    EXPECT_TRUE(d.last.empty());
    d.feed(DependenciesChanged{}, true);
    EXPECT_EQ(d.st.state, State::starting);
}

TEST(Step, SpawnFailureIsAFailureWithItsReason) {
    Driver d{spec_with(RestartPolicy::on_failure)};
    d.feed(StartRequested{});
    d.feed(SpawnFailed{"cannot execute /x: No such file or directory"});
    EXPECT_EQ(d.st.state, State::backoff);
    EXPECT_EQ(d.st.reason, "cannot execute /x: No such file or directory, restarting in 100ms");
    EXPECT_FALSE(d.st.pid);
}

TEST(Step, ShutdownHoldsALiveProcessAndClearsTheRest) {
    Driver d{spec_with(RestartPolicy::always)};
    d.feed(StartRequested{});
    d.spawn_ok();
    d.feed(ShutdownBegun{});
    EXPECT_EQ(d.st.state, State::running);  // dependents stop first; it waits for StopRequested
    EXPECT_EQ(d.st.goal, Goal::down);
    d.feed(Exited{{false, 1}});  // crashing now must not restart it
    EXPECT_EQ(d.st.state, State::exited);
    EXPECT_TRUE(d.last.size() == 1 && std::holds_alternative<KillLeftovers>(d.last[0]));
}

TEST(Step, StaleExitIsIgnored) {
    Driver d{spec_with(RestartPolicy::always)};
    d.feed(Exited{{false, 0}});
    EXPECT_EQ(d.st.state, State::stopped);
    EXPECT_TRUE(d.last.empty());
}

TEST(Transitions, TableHasNoDuplicatesAndNamesRoundTrip) {
    for (std::size_t i = 0; i < legal_transitions.size(); ++i)
        for (std::size_t j = i + 1; j < legal_transitions.size(); ++j)
            EXPECT_NE(legal_transitions[i], legal_transitions[j]);
    for (State s : all_states) EXPECT_EQ(state_from_string(to_string(s)), s);
    EXPECT_FALSE(state_from_string("bogus"));
}

TEST(Plan, PendingDependenciesAndShutdownOrder) {
    ServiceSpec db, api, web;
    db.name = "db";
    api.name = "api";
    api.depends_on = {"db"};
    web.name = "web";
    web.depends_on = {"api", "db"};
    const std::vector<ServiceSpec> specs{db, api, web};
    StateIndex idx{{"db", {State::running}}, {"api", {State::running, State::starting}}, {"web", {State::stopped}}};
    EXPECT_EQ(pending_dependencies(web, idx), std::vector<std::string>{"api"});
    EXPECT_TRUE(pending_dependencies(api, idx).empty());
    EXPECT_FALSE(may_stop_in_shutdown("db", specs, idx));  // api is alive
    EXPECT_TRUE(may_stop_in_shutdown("web", specs, idx));
    EXPECT_EQ(with_dependencies({"web"}, specs), (std::set<std::string>{"api", "db", "web"}));
    EXPECT_EQ(join({"a", "b"}), "a, b");
}

TEST(SpecHash, ChangesWithBehaviourNotWithLocation) {
    ServiceSpec a = spec_with(RestartPolicy::always);
    ServiceSpec b = a;
    b.where = {"other.yaml", 3, 4};
    EXPECT_EQ(spec_hash(a), spec_hash(b));
    b.env["X"] = "1";
    EXPECT_NE(spec_hash(a), spec_hash(b));
}

}  // namespace
}  // namespace vj::core
