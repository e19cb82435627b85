// Lifecycle properties over random specs and random event sequences, driven through a model shell.
#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <csignal>
#include <optional>

#include "core/step.hpp"

namespace vj::core {
namespace {

using std::chrono::milliseconds;

ServiceSpec gen_spec() {
    ServiceSpec s;
    s.name = "svc";
    s.argv = {"/bin/true"};
    s.restart.policy = *rc::gen::element(RestartPolicy::always, RestartPolicy::on_failure, RestartPolicy::never);
    s.restart.success_codes = {0};
    s.restart.backoff.initial = milliseconds(*rc::gen::inRange(0, 2000));
    s.restart.backoff.factor = *rc::gen::element(1.0, 1.5, 2.0, 3.0);
    s.restart.backoff.max = s.restart.backoff.initial + milliseconds(*rc::gen::inRange(0, 20000));
    s.restart.backoff.jitter = *rc::gen::element(0.0, 0.1, 0.25, 0.5, 1.0);
    s.restart.stable_after = milliseconds(*rc::gen::inRange(1, 5000));
    s.restart.limit.attempts = *rc::gen::inRange(0, 6);
    s.restart.limit.window = milliseconds(*rc::gen::inRange(1, 60000));
    if (*rc::gen::arbitrary<bool>())
        s.restart.limit.cooloff = milliseconds(*rc::gen::inRange(0, 10000));
    else
        s.restart.limit.cooloff.reset();
    s.stop.timeout = milliseconds(*rc::gen::inRange(0, 3000));
    s.stop.group = *rc::gen::arbitrary<bool>();
    s.ready.after = milliseconds(*rc::gen::element(0, 0, 100, 1000));
    return s;
}

enum class Op { start, stop, restart, exit_ok, exit_fail, crash, advance, deps_flip, deps_changed };

/// A minimal shell: carries out effects against a fake process table and checks invariants per step.
struct Model {
    ServiceSpec spec;
    InstanceState st;
    Time now{};
    bool deps_ready = true;
    int next_pid = 100;
    std::optional<int> alive;          ///< the fake process, until its exit is fed back
    bool term_ignored = true;          ///< worst case: only SIGKILL ends it
    std::vector<Time> reference_restarts;  ///< automatic restarts, kept by the model independently

    Context ctx() const {
        Context c;
        c.now = now;
        c.dependencies_ready = deps_ready;
        return c;
    }

    void feed(const Event& ev) {
        const InstanceState before = st;
        auto r = step(spec, st, ev, ctx());
        const InstanceState& next = r.next;

        RC_ASSERT(is_legal_transition(before.state, next.state));
        const auto spawns = std::count_if(r.effects.begin(), r.effects.end(),
                                          [](const Effect& e) { return std::holds_alternative<Spawn>(e); });
        RC_ASSERT(spawns <= 1);
        if (spawns == 1) {
            RC_ASSERT(deps_ready);           // never before its dependencies are ready
            RC_ASSERT(!alive.has_value());   // at most one live process per instance
            RC_ASSERT(next.goal == Goal::up);  // goal down never spawns
            RC_ASSERT(next.state == State::starting);
        }
        if (next.state == State::stopping && !next.killed) RC_ASSERT(next.deadline.has_value());
        if (next.state == State::backoff) {
            RC_ASSERT(next.deadline.has_value());
            if (before.state != State::backoff) {
                // Backoff delay within [base(1-j), base(1+j)] of min(max, initial*factor^(n-1)).
                const auto base = static_cast<double>(backoff_base(spec.restart.backoff, next.failures).count());
                const auto delay = static_cast<double>((*next.deadline - now) / milliseconds(1));
                const double j = spec.restart.backoff.jitter;
                RC_ASSERT(delay >= std::floor(base * (1 - j)) - 1);
                RC_ASSERT(delay <= std::ceil(base * (1 + j)) + 1);
                double expected = static_cast<double>(spec.restart.backoff.initial.count());
                for (int i = 1; i < next.failures; ++i) expected *= spec.restart.backoff.factor;
                expected = std::min(expected, static_cast<double>(spec.restart.backoff.max.count()));
                RC_ASSERT(std::abs(base - expected) <= 1.0);
            }
        }

        // failed exactly when the restart limit is exceeded (for a restart the policy asked for).
        const bool ran = is_live(before.state) && !is_live(next.state) && before.state != State::stopping;
        const bool spawn_failed = std::holds_alternative<SpawnFailed>(ev);
        if ((ran || spawn_failed) && spec.restart.policy != RestartPolicy::never && next.goal == Goal::up &&
            (next.state == State::backoff || next.state == State::failed)) {
            std::erase_if(reference_restarts, [&](Time t) { return now - t >= spec.restart.limit.window; });
            const bool exceeded = static_cast<int>(reference_restarts.size()) >= spec.restart.limit.attempts;
            RC_ASSERT((next.state == State::failed) == exceeded);
            if (!exceeded) reference_restarts.push_back(now);
        }
        const bool manual = std::holds_alternative<StartRequested>(ev) || std::holds_alternative<RestartRequested>(ev);
        if ((manual && !is_live(before.state) && before.state != State::stopping) ||
            (before.state == State::failed && std::holds_alternative<DeadlineReached>(ev)))
            reference_restarts.clear();  // a person's start, or cool-off over: a fresh count

        st = next;
        for (const auto& e : r.effects) {
            if (std::holds_alternative<Spawn>(e)) {
                if (*rc::gen::inRange(0, 10) == 0) {
                    feed(SpawnFailed{"cannot execute /bin/true: No such file or directory"});
                } else {
                    alive = next_pid++;
                    feed(Spawned{*alive});
                }
                return;  // the nested feed carried on from the new state
            }
            if (auto* sig = std::get_if<SendSignal>(&e)) {
                RC_ASSERT(alive.has_value());
                if (sig->signal == SIGKILL || !term_ignored) exit_process(ExitStatus{true, sig->signal});
                return;
            }
        }
        // pid present exactly in the live states once all effects are answered
        RC_ASSERT(st.pid.has_value() == is_live(st.state));
        RC_ASSERT(st.pid == alive);
    }

    void exit_process(ExitStatus status) {
        RC_ASSERT(alive.has_value());
        alive.reset();
        feed(Exited{status});
    }

    void advance(milliseconds d) {
        now += d;
        if (st.deadline && now >= *st.deadline) feed(DeadlineReached{});
    }

    void run(Op op, int amount) {
        switch (op) {
            case Op::start: return feed(StartRequested{});
            case Op::stop: return feed(StopRequested{});
            case Op::restart: return feed(RestartRequested{});
            case Op::exit_ok:
                if (alive) exit_process({false, 0});
                return;
            case Op::exit_fail:
                if (alive) exit_process({false, 1});
                return;
            case Op::crash:
                if (alive) exit_process({true, SIGSEGV});
                return;
            case Op::advance: return advance(milliseconds(amount));
            case Op::deps_flip: deps_ready = !deps_ready; return;
            case Op::deps_changed: return feed(DependenciesChanged{});
        }
    }
};

struct Step {
    Op op;
    int amount;
};

rc::Gen<std::vector<Step>> gen_steps() {
    return rc::gen::container<std::vector<Step>>(rc::gen::map(
        rc::gen::pair(rc::gen::element(Op::start, Op::stop, Op::restart, Op::exit_ok, Op::exit_fail, Op::crash,
                                       Op::advance, Op::advance, Op::advance, Op::deps_flip, Op::deps_changed),
                      rc::gen::inRange(0, 30000)),
        [](std::pair<Op, int> p) { return Step{p.first, p.second}; }));
}

RC_GTEST_PROP(LifecycleModel, InvariantsHoldForRandomEventSequences, ()) {
    Model m;
    m.spec = gen_spec();
    m.term_ignored = *rc::gen::arbitrary<bool>();
    for (const auto& s : *gen_steps()) m.run(s.op, s.amount);
}

RC_GTEST_PROP(LifecycleModel, StopAlwaysEndsStoppedWithinTimeoutPlusKill, ()) {
    Model m;
    m.spec = gen_spec();
    m.term_ignored = true;  // the worst case: only SIGKILL works
    for (const auto& s : *gen_steps()) m.run(s.op, s.amount);
    m.deps_ready = true;
    m.feed(StartRequested{});
    if (!m.alive) return;  // spawn failed, or already failed: nothing to stop
    const Time requested = m.now;
    m.feed(StopRequested{});
    // Time passes in small steps; the stop must be over by timeout (+ the SIGKILL, answered at once).
    while (m.st.state != State::stopped && m.now - requested <= m.spec.stop.timeout)
        m.advance(milliseconds(std::max<long>(1, m.spec.stop.timeout.count() / 7)));
    RC_ASSERT(m.st.state == State::stopped);
    RC_ASSERT(m.st.goal == Goal::down);
    RC_ASSERT(!m.alive.has_value());
}

RC_GTEST_PROP(LifecycleModel, ReplayIsDeterministic, ()) {
    const auto spec = gen_spec();
    const auto steps = *gen_steps();
    // rapidcheck generators inside feed() (spawn failures) would differ between runs: use a fixed script.
    auto replay = [&] {
        InstanceState st;
        Time now{};
        int pid = 1;
        for (const auto& s : steps) {
            now += milliseconds(s.amount % 500);
            Event ev = DeadlineReached{};
            switch (s.op) {
                case Op::start: ev = StartRequested{}; break;
                case Op::stop: ev = StopRequested{}; break;
                case Op::restart: ev = RestartRequested{}; break;
                case Op::exit_ok:
                case Op::exit_fail:
                case Op::crash:
                    if (!st.pid) continue;
                    ev = Exited{{s.op == Op::crash, s.op == Op::exit_ok ? 0 : 1}};
                    break;
                default: break;
            }
            Context c;
            c.now = now;
            auto r = step(spec, st, ev, c);
            st = r.next;
            if (std::any_of(r.effects.begin(), r.effects.end(),
                            [](const Effect& e) { return std::holds_alternative<Spawn>(e); }))
                st = step(spec, st, Spawned{pid++}, c).next;
        }
        return st;
    };
    RC_ASSERT(replay() == replay());
}

RC_GTEST_PROP(Backoff, BaseIsMonotoneUpToItsCap, ()) {
    BackoffSpec b;
    b.initial = milliseconds(*rc::gen::inRange(0, 5000));
    b.factor = *rc::gen::element(1.0, 1.5, 2.0, 10.0);
    b.max = b.initial + milliseconds(*rc::gen::inRange(0, 600000));
    Duration prev{0};
    for (int n = 1; n < 200; ++n) {
        const auto d = backoff_base(b, n);
        RC_ASSERT(d >= prev);
        RC_ASSERT(d <= b.max);
        prev = d;
    }
}

}  // namespace
}  // namespace vj::core
