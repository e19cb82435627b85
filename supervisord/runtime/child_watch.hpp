// The ChildWatch seam: helpers that start their own children (command probes) learn of their exit from
// the supervisor's reaper, which is the only caller of waitpid(2).
#pragma once

#include <sys/types.h>

#include <functional>

#include "core/state.hpp"

namespace vj::runtime {

class ChildWatch {
public:
    virtual ~ChildWatch() = default;
    /// Calls `on_exit` once, from the event loop, when `pid` (a child of this process) is reaped.
    /// Register right after spawning, before returning to the event loop.
    virtual void watch(pid_t pid, std::function<void(core::ExitStatus)> on_exit) = 0;
};

}  // namespace vj::runtime
