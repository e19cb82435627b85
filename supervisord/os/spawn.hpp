// Exec plans built completely before fork, and the spawn that carries one out.
#pragma once

#include <sys/types.h>

#include <map>
#include <optional>
#include <string>
#include <vector>

#include <boost/system/result.hpp>

#include "core/spec.hpp"

namespace vj::os {

/// Why a process could not be started, worded for `vjctl status` ("cannot execute …: …").
struct SpawnError {
    std::string message;
};

/// Everything the child needs, as ready-made C arrays: the child only makes async-signal-safe calls.
struct ExecPlan {
    std::string path;  ///< resolved executable (PATH looked up in the parent)
    std::vector<std::string> argv;
    std::vector<std::string> envp;  ///< "K=V"
    std::optional<std::string> cwd;
    std::optional<uid_t> uid;
    std::optional<gid_t> gid;
    std::vector<gid_t> groups;  ///< supplementary groups, set when uid is
    std::optional<mode_t> umask;
    std::optional<unsigned long long> nofile;
    int stdout_fd = -1;  ///< dup2'ed onto 1; -1 = /dev/null
    int stderr_fd = -1;  ///< dup2'ed onto 2; -1 = /dev/null
    std::string user_label;  ///< for messages
};

/// A user's ids and home, from the user database (name or numeric id). nullopt if unknown.
struct UserInfo {
    uid_t uid;
    gid_t gid;
    std::string name;
    std::string home;
};
std::optional<UserInfo> lookup_user(const std::string& name_or_id);

/// Resolves user, group and the executable; merges `base_env` with spec.env (spec wins) and `extra`.
/// `argv`, when given, runs instead of spec.argv with the service's identity, cwd, env and limits
/// (a command probe). Fails with a message naming the unknown user/group or the command not found.
boost::system::result<ExecPlan, SpawnError> make_exec_plan(const core::ServiceSpec& spec,
                                                           const std::map<std::string, std::string>& base_env,
                                                           const std::map<std::string, std::string>& extra_env,
                                                           const std::vector<std::string>* argv = nullptr);

/// Keeps four descriptors at the bottom of the fd table for spawn() (it stages the child's stdio
/// and report pipe there, and the child copies only the table below them). Call it first thing in
/// main, while 3-6 are free; spawn() reserves them itself when not done, wherever they fall. False
/// (errno set) when /dev/null cannot be opened.
bool reserve_spawn_slots();

/// Forks and execs `plan` in a new session (so a new process group, pgid = pid), with every other fd
/// closed, signals reset, and the exec result reported back: on failure the child is already
/// reaped and the error says which step failed and why. Needs close_range(2) with
/// CLOSE_RANGE_UNSHARE (Linux 5.9). Call from one thread only (the child's stack is shared).
boost::system::result<pid_t, SpawnError> spawn(const ExecPlan& plan);

}  // namespace vj::os
