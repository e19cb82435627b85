// The lifecycle decision: (spec, state, event, context) -> next state and effects. Pure.
#pragma once

#include <string>
#include <variant>
#include <vector>

#include "core/spec.hpp"
#include "core/state.hpp"

namespace vj::core {

// ---- Events: inputs to the core --------------------------------------------------------------

struct StartRequested {};    ///< goal up (vjctl start, autostart); resets the failure count
struct StopRequested {
    std::string reason;  ///< empty: "stop requested"
};  ///< goal down
struct RestartRequested {};  ///< goal up; a live process is stopped first, then spawned again
struct Spawned { int pid; };                    ///< the Spawn effect succeeded
struct SpawnFailed { std::string reason; };     ///< the Spawn effect failed: "cannot execute …"
struct Exited { ExitStatus status; };           ///< the instance's process was reaped
struct DeadlineReached {};   ///< the clock passed state.deadline (stale wakeups are ignored)
struct DependenciesChanged {};  ///< some dependency's state changed; re-evaluate a waiting start
/// Shutdown has begun: goal down and nothing new is spawned, but a live process is left alone until
/// StopRequested (its dependents stop first).
struct ShutdownBegun {};
/// The ready condition reported by the instance itself: sd_notify READY=1, or the first success of the
/// `ready.probe` probe. Moves `starting` to `running` when the spec waits for that kind of readiness.
struct ReadyReported {
    std::string how;  ///< "READY=1", "probe http"
};
/// The instance turned unhealthy and `on_unhealthy` (or `limits.memory`) says restart: stop it, and
/// count its exit as a failure for backoff and the restart limit.
struct Unhealthy {
    std::string reason;  ///< "probe http: HTTP 503: …", "memory 612 MiB over the limit of 512 MiB"
};
/// sd_notify MAINPID=: the instance's main process is now `pid` (already checked to be in its group).
struct MainPidChanged {
    int pid;
};

using Event = std::variant<StartRequested, StopRequested, RestartRequested, Spawned, SpawnFailed, Exited,
                           DeadlineReached, DependenciesChanged, ShutdownBegun, ReadyReported, Unhealthy,
                           MainPidChanged>;

// ---- Effects: outputs for the shell to carry out, in order --------------------------------------

struct Spawn {};  ///< start a process; answer with Spawned or SpawnFailed
struct SendSignal {
    int signal;
    bool group;  ///< to the process group (kill(-pid)) rather than the process
    bool operator==(const SendSignal&) const = default;
};
struct KillLeftovers {
    int pgid;  ///< the group the exited process was spawned into
    bool operator==(const KillLeftovers&) const = default;
};  ///< SIGKILL whatever is left in the group of a process that exited

using Effect = std::variant<Spawn, SendSignal, KillLeftovers>;

/// What the shell knows that the instance's own state does not.
struct Context {
    Time now;
    bool dependencies_ready = true;  ///< every instance of every depends_on service is running
    std::string pending;  ///< when not ready: the dependencies waited for, for the reason ("db, cache")
};

struct StepResult {
    InstanceState next;
    std::vector<Effect> effects;
};

/// Decides what happens to one instance on one event. Never reads a clock or does I/O.
/// The `pid` of an `Exited` instance is the last one in `state.pid` (the shell routes by pid).
/// SendSignal with `group` goes to `state.pgid`, without to `state.pid`.
StepResult step(const ServiceSpec& spec, const InstanceState& state, const Event& event, const Context& ctx);

/// Backoff base before jitter for the n-th consecutive failure (n >= 1):
/// min(max, initial * factor^(n-1)).
Duration backoff_base(const BackoffSpec& b, int n);

/// base * (1 + jitter * u) for u in [-1, 1], rounded to milliseconds, never negative.
Duration apply_jitter(Duration base, double jitter, double u);

/// Advances a splitmix64 state and returns a value in [-1, 1].
double next_unit(std::uint64_t& rng);

}  // namespace vj::core
