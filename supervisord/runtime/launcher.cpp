// Real process launching: exec plan, log file, spawn.
#include "runtime/launcher.hpp"

#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "runtime/log.hpp"

namespace vj::runtime {

boost::system::result<pid_t, os::SpawnError> PosixLauncher::launch(const LaunchRequest& request) {
    std::map<std::string, std::string> extra{{"VJ_SERVICE", request.spec->name},
                                             {"VJ_INSTANCE", std::to_string(request.index)}};
    extra.insert(request.env.begin(), request.env.end());
    auto plan = os::make_exec_plan(*request.spec, base_env_, extra);
    if (!plan) return plan.error();
    plan->stdout_fd = request.stdout_fd;
    plan->stderr_fd = request.stderr_fd;
    return os::spawn(*plan);
}

void PosixLauncher::signal(pid_t pid, int signo, bool group) {
    if (pid <= 0) return;  // never kill(0) or kill(-1)
    if (::kill(group ? -pid : pid, signo) != 0 && errno != ESRCH)
        log_error("cannot send signal {} to {}{}: {}", signo, group ? "group " : "", pid, std::strerror(errno));
}

}  // namespace vj::runtime
