// The lifecycle transition function: one state × event each, decisions returned as data.
#include "core/step.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <csignal>

namespace vj::core {
namespace {

std::string format_duration(Duration d) {
    const auto ms = d.count();
    if (ms % 1000 != 0 || ms == 0) return std::to_string(ms) + "ms";
    const auto s = ms / 1000;
    if (s % 3600 == 0) return std::to_string(s / 3600) + "h";
    if (s % 60 == 0) return std::to_string(s / 60) + "m";
    return std::to_string(s) + "s";
}

bool is_success(const ServiceSpec& spec, const ExitStatus& e) {
    const auto& codes = spec.restart.success_codes;
    return !e.signaled && std::find(codes.begin(), codes.end(), e.code) != codes.end();
}

/// One step's working set; each handler below covers one event for every state.
class Stepper {
public:
    Stepper(const ServiceSpec& spec, const InstanceState& state, const Context& ctx)
        : spec_(spec), ctx_(ctx) {
        r_.next = state;
    }

    StepResult take() { return std::move(r_); }

    void operator()(const StartRequested&) {
        auto& s = r_.next;
        s.goal = Goal::up;
        switch (s.state) {
            case State::starting:
            case State::running:
            case State::stopping:  // stopping -> starting once it has exited (goal is up)
                return;
            case State::stopped:
            case State::exited:
            case State::backoff:
            case State::failed:
                start_afresh("start requested");
                return;
        }
    }

    static std::string why(const StopRequested& e) { return e.reason.empty() ? "stop requested" : e.reason; }

    void operator()(const StopRequested& e) {
        auto& s = r_.next;
        s.goal = Goal::down;
        switch (s.state) {
            case State::starting:
            case State::running:
                begin_stop(why(e));
                return;
            case State::stopping:
                s.failing.reset();  // a stop asked for during an unhealthy restart: no restart, no failure
                return;
            case State::stopped:
                if (!s.reason.starts_with("waiting")) return;
                enter(State::stopped, why(e));
                return;
            case State::exited:
            case State::backoff:
            case State::failed:
                enter(State::stopped, why(e));
                return;
        }
    }

    void operator()(const RestartRequested&) {
        auto& s = r_.next;
        s.goal = Goal::up;
        switch (s.state) {
            case State::starting:
            case State::running:
                begin_stop("restart requested");  // stopping -> starting once it has exited (goal is up)
                return;
            case State::stopping:
                s.failing.reset();  // asked for: restart at once, not after a backoff
                return;
            case State::stopped:
            case State::exited:
            case State::backoff:
            case State::failed:
                start_afresh("restart requested");  // nothing to stop: a restart is a start
                return;
        }
    }

    void operator()(const Spawned& e) {
        auto& s = r_.next;
        assert(s.state == State::starting && !s.pid && "Spawned without a pending Spawn");
        s.pid = e.pid;
        s.pgid = e.pid;
        s.spawned_at = ctx_.now;
        if (spec_.ready.notify || spec_.ready.probe) {
            s.reason = spec_.ready.notify ? "started, waiting for READY=1"
                                          : "started, waiting for probe " + *spec_.ready.probe;
            if (spec_.ready.timeout) s.deadline = ctx_.now + *spec_.ready.timeout;
        } else if (spec_.ready.after.count() == 0) {
            enter(State::running, "started");  // starting -> running: no ready condition
        } else {
            s.reason = "started, ready after " + format_duration(spec_.ready.after);
            s.deadline = ctx_.now + spec_.ready.after;
        }
    }

    void operator()(const SpawnFailed& e) {
        auto& s = r_.next;
        assert(s.state == State::starting && !s.pid && "SpawnFailed without a pending Spawn");
        s.spawned_at = ctx_.now;
        run_ended(e.reason, false);
    }

    void operator()(const Exited& e) {
        auto& s = r_.next;
        if (!is_live(s.state) || !s.pid) return;  // stale: not ours any more
        s.pid.reset();
        if (spec_.stop.group) r_.effects.push_back(KillLeftovers{s.pgid});
        const std::string what = describe(e.status);
        if (s.state == State::stopping) {
            if (s.failing && s.goal == Goal::up) {
                // stopping -> backoff | failed: it was stopped as a failure (unhealthy, not ready in time).
                std::string failing = *s.failing + " (" + what + ")";
                s.failing.reset();
                run_ended(std::move(failing), false);
            } else if (s.goal == Goal::up) {
                try_spawn("restarted (" + what + ")");  // stopping -> starting
            } else {
                enter(State::stopped, (s.killed ? "killed after stop timeout (" : "stopped (") + what + ")");
            }
            return;
        }
        const bool before_ready = s.state == State::starting;
        run_ended(before_ready ? what + " before ready" : what, is_success(spec_, e.status));
    }

    void operator()(const DeadlineReached&) {
        auto& s = r_.next;
        if (!s.deadline || ctx_.now < *s.deadline) return;  // stale or early wakeup
        s.deadline.reset();
        switch (s.state) {
            case State::starting:
                if (spec_.ready.notify || spec_.ready.probe) {
                    // Not ready in time: a failed start, stopped like an unhealthy one.
                    const std::string late = "not ready after " + format_duration(*spec_.ready.timeout);
                    begin_stop(late + ", restarting");
                    s.failing = late;
                    return;
                }
                enter(State::running, "ready after " + format_duration(spec_.ready.after));
                return;
            case State::backoff:
                try_spawn("restarting after backoff");
                return;
            case State::stopping:
                // stopping: the signal was ignored for stop.timeout; escalate, then wait for the reap.
                r_.effects.push_back(SendSignal{SIGKILL, spec_.stop.group});
                s.killed = true;
                s.reason = "stop timeout after " + format_duration(spec_.stop.timeout) + ", sent KILL";
                return;
            case State::failed:
                forget_failures();
                try_spawn("cool-off over, retrying");
                return;
            case State::stopped:
            case State::running:
            case State::exited:
                return;
        }
    }

    void operator()(const ReadyReported& e) {
        auto& s = r_.next;
        if (s.state != State::starting || !s.pid) return;  // late, or already running
        const bool waits = spec_.ready.notify ? e.how == "READY=1" : spec_.ready.probe.has_value();
        if (waits) enter(State::running, "ready (" + e.how + ")");  // starting -> running
    }

    void operator()(const Unhealthy& e) {
        auto& s = r_.next;
        if ((s.state != State::starting && s.state != State::running) || s.goal != Goal::up) return;
        // It ran without interruption for stable_after: earlier failures are forgiven, as for an exit.
        if (s.state == State::running && ctx_.now - s.since >= spec_.restart.stable_after) s.failures = 0;
        begin_stop("unhealthy: " + e.reason + ", restarting");
        s.failing = "unhealthy: " + e.reason;
    }

    void operator()(const MainPidChanged& e) {
        auto& s = r_.next;
        if (is_live(s.state) && s.pid) s.pid = e.pid;
    }

    void operator()(const DependenciesChanged&) {
        auto& s = r_.next;
        if (s.state == State::stopped && s.goal == Goal::up) try_spawn("dependencies ready");
    }

    void operator()(const ShutdownBegun&) {
        auto& s = r_.next;
        const bool was_waiting = s.state == State::stopped && s.goal == Goal::up;
        s.goal = Goal::down;
        if (is_live(s.state) || (s.state == State::stopped && !was_waiting)) return;
        enter(State::stopped, "shutting down");  // backoff/failed/exited: no process, nothing to wait for
    }

private:
    void enter(State to, std::string reason) {
        auto& s = r_.next;
        assert(is_legal_transition(s.state, to) && "illegal transition");
        if (s.state != to) s.since = ctx_.now;
        s.state = to;
        s.reason = std::move(reason);
        s.deadline.reset();
    }

    /// A person asked for it: forget earlier failures (like `systemctl reset-failed`), then spawn.
    void start_afresh(std::string reason) {
        forget_failures();
        try_spawn(std::move(reason));
    }

    void forget_failures() {
        r_.next.failures = 0;
        r_.next.restarts_in_window.clear();
    }

    void try_spawn(std::string reason) {
        auto& s = r_.next;
        if (!ctx_.dependencies_ready) {
            enter(State::stopped, "waiting for " + (ctx_.pending.empty() ? "dependencies" : ctx_.pending));
            return;
        }
        enter(State::starting, std::move(reason));
        s.pid.reset();
        s.killed = false;
        s.failing.reset();
        r_.effects.push_back(Spawn{});
    }

    void begin_stop(std::string reason) {
        auto& s = r_.next;
        // The shell answers Spawn with Spawned/SpawnFailed before any other event, so a starting or
        // running instance always has its pid here.
        assert(s.pid && "stop of a live state without a pid");
        enter(State::stopping, std::move(reason));
        s.killed = false;
        if (spec_.stop.timeout.count() == 0) {
            r_.effects.push_back(SendSignal{SIGKILL, spec_.stop.group});
            s.killed = true;
            return;
        }
        r_.effects.push_back(SendSignal{spec_.stop.signal, spec_.stop.group});
        s.deadline = ctx_.now + spec_.stop.timeout;
    }

    /// A run is over without anyone asking (exit, crash, cannot execute): the policy decides.
    void run_ended(std::string what, bool success) {
        auto& s = r_.next;
        const auto& rs = spec_.restart;
        const bool restart = rs.policy == RestartPolicy::always ||
                             (rs.policy == RestartPolicy::on_failure && !success);
        if (!restart || s.goal == Goal::down) {
            // policy never: a failure needs attention (failed), a clean exit is done (exited).
            enter(success || s.goal == Goal::down ? State::exited : State::failed, std::move(what));
            return;
        }
        // It had been running (ready) without interruption for stable_after: earlier failures are forgiven.
        if (s.state == State::running && ctx_.now - s.since >= rs.stable_after) s.failures = 0;
        auto& window = s.restarts_in_window;
        std::erase_if(window, [&](Time t) { return ctx_.now - t >= rs.limit.window; });
        if (static_cast<int>(window.size()) >= rs.limit.attempts) {
            enter(State::failed, "restart limit reached: " + std::to_string(window.size()) + " restarts within " +
                                     format_duration(rs.limit.window) + " (last: " + what + ")" +
                                     (rs.limit.cooloff ? ", retrying in " + format_duration(*rs.limit.cooloff)
                                                       : ", waiting for vjctl start"));
            if (rs.limit.cooloff) s.deadline = ctx_.now + *rs.limit.cooloff;
            return;
        }
        s.failures += 1;
        const Duration delay = apply_jitter(backoff_base(rs.backoff, s.failures), rs.backoff.jitter, next_unit(s.rng));
        window.push_back(ctx_.now);
        s.restarts += 1;
        enter(State::backoff, what + ", restarting in " + format_duration(delay));
        s.deadline = ctx_.now + delay;
    }

    const ServiceSpec& spec_;
    const Context& ctx_;
    StepResult r_;
};

}  // namespace

Duration backoff_base(const BackoffSpec& b, int n) {
    assert(n >= 1);
    const double initial = static_cast<double>(b.initial.count());
    const double cap = static_cast<double>(b.max.count());
    // Grow in floating point and stop at the cap: factor^(n-1) overflows long before n is large.
    double base = initial;
    for (int i = 1; i < n && base < cap; ++i) base *= b.factor;
    return Duration(static_cast<Duration::rep>(std::llround(std::min(base, cap))));
}

Duration apply_jitter(Duration base, double jitter, double u) {
    const double v = static_cast<double>(base.count()) * (1.0 + jitter * std::clamp(u, -1.0, 1.0));
    return Duration(static_cast<Duration::rep>(std::max(0.0, std::round(v))));
}

double next_unit(std::uint64_t& rng) {
    rng += 0x9e3779b97f4a7c15ull;  // splitmix64
    std::uint64_t z = rng;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    z ^= z >> 31;
    return static_cast<double>(z >> 11) / static_cast<double>(1ull << 53) * 2.0 - 1.0;
}

StepResult step(const ServiceSpec& spec, const InstanceState& state, const Event& event, const Context& ctx) {
    Stepper stepper(spec, state, ctx);
    std::visit(stepper, event);
    return stepper.take();
}

}  // namespace vj::core
