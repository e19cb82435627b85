// Hand-written fakes for the shell's seams: a settable clock and a launcher that records calls.
#pragma once

#include <csignal>
#include <map>
#include <string>
#include <vector>

#include "runtime/clock.hpp"
#include "runtime/launcher.hpp"

namespace vj::fakes {

class FakeClock final : public runtime::Clock {
public:
    core::Time now() const override { return now_; }
    void advance(core::Duration d) { now_ += d; }

private:
    core::Time now_{};
};

/// Hands out pids 1000, 1001, … in launch order; instances named in `failing` fail to spawn.
class FakeLauncher final : public runtime::ProcessLauncher {
public:
    struct Signal {
        pid_t pid;
        int signo;
        bool group;
    };

    boost::system::result<pid_t, os::SpawnError> launch(const runtime::LaunchRequest& request) override {
        launched.push_back(request.instance);
        if (failing.contains(request.instance)) return os::SpawnError{failing.at(request.instance)};
        pid_of[request.instance] = next_pid_;
        return next_pid_++;
    }
    void signal(pid_t pid, int signo, bool group) override {
        // The SIGCONT that follows every stop signal is kept apart: tests look at the signals that decide.
        (signo == SIGCONT ? continued : signals).push_back({pid, signo, group});
    }

    std::vector<std::string> launched;      ///< instance names, in launch order
    std::map<std::string, pid_t> pid_of;    ///< latest pid per instance
    std::vector<Signal> signals;    ///< every signal but SIGCONT
    std::vector<Signal> continued;  ///< SIGCONTs
    std::map<std::string, std::string> failing;  ///< instance -> spawn error message

private:
    pid_t next_pid_ = 1000;
};

}  // namespace vj::fakes
