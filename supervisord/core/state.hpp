// Instance states and goals, named once, with the table of legal transitions beside them.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/spec.hpp"

namespace vj::core {

enum class State { stopped, starting, running, stopping, exited, backoff, failed };
inline constexpr std::array all_states{State::stopped, State::starting, State::running, State::stopping,
                                       State::exited,  State::backoff,  State::failed};

/// What the user wants (runit's "want" apart from "is").
enum class Goal { up, down };

std::string_view to_string(State s);
std::string_view to_string(Goal g);
std::optional<State> state_from_string(std::string_view s);

/// A process is alive (has a pid) exactly in these states.
constexpr bool is_live(State s) {
    return s == State::starting || s == State::running || s == State::stopping;
}

/// Every legal (from, to) pair; `step` never produces another. Mirrored in supervisord(8).
/// A state may also stay as it is (not listed).
inline constexpr std::array<std::pair<State, State>, 20> legal_transitions{{
    {State::stopped, State::starting},   // spawn (start request, dependencies ready)
    {State::starting, State::running},   // ready condition holds
    {State::starting, State::stopping},  // stop or restart request
    {State::starting, State::backoff},   // exited before ready (or could not be executed), will restart
    {State::starting, State::failed},    // exited before ready, limit reached or policy never
    {State::starting, State::exited},    // exited before ready with a success code, no restart
    {State::running, State::stopping},   // stop or restart request
    {State::running, State::backoff},    // exited, will restart
    {State::running, State::exited},     // exited, policy says done
    {State::running, State::failed},     // exited, limit reached or policy never
    {State::stopping, State::stopped},   // exited after the stop request
    {State::stopping, State::starting},  // exited during a restart: spawn again
    {State::stopping, State::backoff},   // exited after an unhealthy or not-ready stop: a failure, will restart
    {State::stopping, State::failed},    // exited after an unhealthy or not-ready stop: limit reached
    {State::backoff, State::starting},   // backoff delay over
    {State::backoff, State::stopped},    // stop request, or waiting for dependencies
    {State::failed, State::starting},    // cooloff over, or start request
    {State::failed, State::stopped},     // stop request, or waiting for dependencies
    {State::exited, State::starting},    // start request
    {State::exited, State::stopped},     // stop request, or waiting for dependencies
}};

bool is_legal_transition(State from, State to);

/// How a process ended, as waitpid(2) reported it.
struct ExitStatus {
    bool signaled = false;
    int code = 0;  ///< exit code, or the signal number when `signaled`
    bool operator==(const ExitStatus&) const = default;
};
std::string describe(const ExitStatus& e);  ///< "exited with code 1", "killed by signal KILL"

/// Everything the core knows about one instance. Values only; the shell owns the pid's process.
struct InstanceState {
    State state = State::stopped;
    Goal goal = Goal::down;
    std::optional<int> pid;       ///< set exactly while is_live(state) (after the spawn result arrived)
    int pgid = 0;                 ///< the spawned process's group (its first pid; MAINPID= may move `pid`)
    Time spawned_at{};            ///< when the current/last process was spawned
    Time since{};                 ///< when `state` was entered
    std::optional<Time> deadline; ///< the one wakeup this instance needs (ready, backoff, kill, cooloff)
    bool killed = false;          ///< SIGKILL already sent in `stopping`
    std::optional<std::string> failing;  ///< in `stopping`: stopped as a failure (unhealthy, not ready in time): why
    int failures = 0;             ///< consecutive failed runs, for the backoff exponent
    std::vector<Time> restarts_in_window;  ///< automatic restarts inside limit.window
    int restarts = 0;             ///< automatic restarts since the supervisor started (for status)
    std::string reason;           ///< why the last transition happened
    std::uint64_t rng = 0x9e3779b97f4a7c15ull;  ///< jitter source; advanced by step (replay is deterministic)
    bool operator==(const InstanceState&) const = default;
};

}  // namespace vj::core
