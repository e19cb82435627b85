// Names of states and goals, the legal-transition check, and exit-status wording.
#include "core/state.hpp"

#include <algorithm>

namespace vj::core {

std::string_view to_string(State s) {
    switch (s) {
        case State::stopped: return "stopped";
        case State::starting: return "starting";
        case State::running: return "running";
        case State::stopping: return "stopping";
        case State::exited: return "exited";
        case State::backoff: return "backoff";
        case State::failed: return "failed";
    }
    return "?";
}

std::string_view to_string(Goal g) { return g == Goal::up ? "up" : "down"; }

std::optional<State> state_from_string(std::string_view s) {
    for (State st : all_states)
        if (to_string(st) == s) return st;
    return std::nullopt;
}

bool is_legal_transition(State from, State to) {
    return from == to || std::find(legal_transitions.begin(), legal_transitions.end(), std::pair{from, to}) !=
                             legal_transitions.end();
}

std::string describe(const ExitStatus& e) {
    if (!e.signaled) return "exited with code " + std::to_string(e.code);
    // Signal names live in os/; the core only needs a stable wording for the common ones.
    static constexpr std::pair<int, std::string_view> names[] = {
        {1, "HUP"}, {2, "INT"}, {3, "QUIT"}, {4, "ILL"}, {6, "ABRT"}, {7, "BUS"}, {8, "FPE"},
        {9, "KILL"}, {10, "USR1"}, {11, "SEGV"}, {12, "USR2"}, {13, "PIPE"}, {14, "ALRM"}, {15, "TERM"}};
    for (const auto& [n, name] : names)
        if (n == e.code) return "killed by signal " + std::string(name);
    return "killed by signal " + std::to_string(e.code);
}

}  // namespace vj::core
