// Real process launching: exec plan, log file, spawn.
#include "runtime/launcher.hpp"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "os/unique_fd.hpp"
#include "runtime/log.hpp"

namespace vj::runtime {

boost::system::result<pid_t, os::SpawnError> PosixLauncher::launch(const LaunchRequest& request) {
    std::map<std::string, std::string> extra{{"VJ_SERVICE", request.spec->name},
                                             {"VJ_INSTANCE", std::to_string(request.index)}};
    auto plan = os::make_exec_plan(*request.spec, base_env_, extra);
    if (!plan) return plan.error();
    os::UniqueFd log(::open(request.log_path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640));
    if (!log) return os::SpawnError{"cannot open log " + request.log_path + ": " + std::strerror(errno)};
    // The service writes its own log file; it must be able to reopen it as itself.
    if (plan->uid && ::fchown(log.get(), *plan->uid, plan->gid.value_or(static_cast<gid_t>(-1))) != 0)
        log_error("cannot chown {} to {}: {}", request.log_path, plan->user_label, std::strerror(errno));
    plan->stdout_fd = log.get();
    plan->stderr_fd = log.get();
    return os::spawn(*plan);
}

void PosixLauncher::signal(pid_t pid, int signo, bool group) {
    if (pid <= 0) return;  // never kill(0) or kill(-1)
    if (::kill(group ? -pid : pid, signo) != 0 && errno != ESRCH)
        log_error("cannot send signal {} to {}{}: {}", signo, group ? "group " : "", pid, std::strerror(errno));
}

}  // namespace vj::runtime
