// The ProcessLauncher seam: spawning and signalling instances (real processes, or a fake in tests).
#pragma once

#include <sys/types.h>

#include <map>
#include <string>

#include <boost/system/result.hpp>

#include "core/spec.hpp"
#include "os/spawn.hpp"

namespace vj::runtime {

/// What the shell asks to start: one instance of a service.
struct LaunchRequest {
    const core::ServiceSpec* spec;
    std::string instance;  ///< "web" or "web:0"
    int index;             ///< instance number
    int stdout_fd = -1;    ///< write end of the instance's stdout pipe (-1 = /dev/null)
    int stderr_fd = -1;    ///< write end for stderr: the same pipe when merged, -1 when discarded
    std::map<std::string, std::string> env;  ///< added by the supervisor (NOTIFY_SOCKET, WATCHDOG_USEC)
};

class ProcessLauncher {
public:
    virtual ~ProcessLauncher() = default;
    virtual boost::system::result<pid_t, os::SpawnError> launch(const LaunchRequest& request) = 0;
    /// kill(2) to the process or its group; ESRCH is not an error (it is already gone).
    virtual void signal(pid_t pid, int signo, bool group) = 0;
};

/// Real processes through os::spawn, with supervisord's environment as the base.
class PosixLauncher final : public ProcessLauncher {
public:
    explicit PosixLauncher(std::map<std::string, std::string> base_env) : base_env_(std::move(base_env)) {}
    boost::system::result<pid_t, os::SpawnError> launch(const LaunchRequest& request) override;
    void signal(pid_t pid, int signo, bool group) override;

private:
    std::map<std::string, std::string> base_env_;
};

}  // namespace vj::runtime
