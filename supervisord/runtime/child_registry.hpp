// Children that are not instances (command probes): who wants to hear of their exit.
#pragma once

#include <map>

#include "runtime/child_watch.hpp"

namespace vj::runtime {

/// The supervisor's reaper hands it every pid that is not an instance's.
class ChildRegistry final : public ChildWatch {
public:
    void watch(pid_t pid, std::function<void(core::ExitStatus)> on_exit) override {
        watched_[pid] = std::move(on_exit);
    }
    /// Calls and forgets the watcher of `pid`; false if nobody watched it (an adopted orphan).
    bool exited(pid_t pid, core::ExitStatus status) {
        auto it = watched_.find(pid);
        if (it == watched_.end()) return false;
        auto cb = std::move(it->second);
        watched_.erase(it);
        cb(status);
        return true;
    }

private:
    std::map<pid_t, std::function<void(core::ExitStatus)>> watched_;
};

}  // namespace vj::runtime
