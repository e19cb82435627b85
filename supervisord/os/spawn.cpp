// clone/exec with everything prepared in the parent; the child reports failures through a CLOEXEC pipe.
#include "os/spawn.hpp"

#include <fcntl.h>
#include <linux/close_range.h>
#include <sched.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <algorithm>
#include <filesystem>

#include "os/unique_fd.hpp"

namespace vj::os {
namespace {

/// Which step of the child's set-up failed; sent with errno.
enum class Stage : int { dup, chdir, rlimit, groups, setgid, setuid, exec };

struct ChildReport {
    int stage;
    int error;
};

std::optional<uid_t> parse_id(const std::string& s) {
    if (s.empty() || s.find_first_not_of("0123456789") != std::string::npos) return std::nullopt;
    return static_cast<uid_t>(std::stoul(s));
}

bool is_executable_file(const std::string& p) {
    struct stat st{};
    return ::stat(p.c_str(), &st) == 0 && S_ISREG(st.st_mode) && ::access(p.c_str(), X_OK) == 0;
}

std::string stage_message(const ExecPlan& plan, Stage stage, int err) {
    const std::string why = std::strerror(err);
    switch (stage) {
        case Stage::dup: return "cannot set up stdio: " + why;
        case Stage::chdir: return "cannot change directory to " + plan.cwd.value_or("?") + ": " + why;
        case Stage::rlimit: return "cannot set limits.nofile: " + why;
        case Stage::groups: return "cannot set supplementary groups of " + plan.user_label + ": " + why;
        case Stage::setgid: return "cannot switch to group " + std::to_string(plan.gid.value_or(0)) + ": " + why;
        case Stage::setuid: return "cannot switch to user " + plan.user_label + ": " + why;
        case Stage::exec: return "cannot execute " + plan.path + ": " + why;
    }
    return why;
}

// Runs in the cloned child, on its own stack (see child_main): not instrumented by AddressSanitizer,
// whose stack bookkeeping knows only the thread's real stack and would report the child's frames.
[[noreturn, gnu::no_sanitize_address]] void child_fail(int report_fd, Stage stage) {
    ChildReport r{static_cast<int>(stage), errno};
    [[maybe_unused]] auto n = ::write(report_fd, &r, sizeof r);
    ::_exit(127);
}

}  // namespace

std::optional<UserInfo> lookup_user(const std::string& name_or_id) {
    std::vector<char> buf(16384);
    struct passwd pw{};
    struct passwd* found = nullptr;
    if (auto id = parse_id(name_or_id))
        ::getpwuid_r(*id, &pw, buf.data(), buf.size(), &found);
    else
        ::getpwnam_r(name_or_id.c_str(), &pw, buf.data(), buf.size(), &found);
    if (!found) return std::nullopt;
    return UserInfo{pw.pw_uid, pw.pw_gid, pw.pw_name, pw.pw_dir};
}

boost::system::result<ExecPlan, SpawnError> make_exec_plan(const core::ServiceSpec& spec,
                                                           const std::map<std::string, std::string>& base_env,
                                                           const std::map<std::string, std::string>& extra_env,
                                                           const std::vector<std::string>* argv) {
    ExecPlan plan;
    plan.argv = argv ? *argv : spec.argv;
    plan.cwd = spec.cwd;
    plan.umask = spec.umask;
    plan.nofile = spec.nofile;

    std::map<std::string, std::string> env = base_env;

    if (spec.user) {
        // Looked up in the parent: the child must not touch NSS (not async-signal-safe).
        auto user = lookup_user(*spec.user);
        if (!user) return SpawnError{"unknown user '" + *spec.user + "'"};
        plan.uid = user->uid;
        plan.gid = user->gid;
        plan.user_label = user->name;
        int n = 64;
        std::vector<gid_t> groups(static_cast<std::size_t>(n));
        if (::getgrouplist(user->name.c_str(), user->gid, groups.data(), &n) < 0) {
            groups.resize(static_cast<std::size_t>(n));
            ::getgrouplist(user->name.c_str(), user->gid, groups.data(), &n);
        }
        groups.resize(static_cast<std::size_t>(n));
        plan.groups = std::move(groups);
        // Like login(1): the service sees its own identity, not supervisord's.
        env["USER"] = user->name;
        env["LOGNAME"] = user->name;
        env["HOME"] = user->home;
    }
    // The service's own `env` wins over everything derived (it may set HOME on purpose).
    for (const auto& [k, v] : extra_env) env[k] = v;
    for (const auto& [k, v] : spec.env) env[k] = v;
    if (spec.group) {
        std::vector<char> buf(16384);
        struct group gr{};
        struct group* found = nullptr;
        if (auto id = parse_id(*spec.group))
            ::getgrgid_r(*id, &gr, buf.data(), buf.size(), &found);
        else
            ::getgrnam_r(spec.group->c_str(), &gr, buf.data(), buf.size(), &found);
        if (!found) return SpawnError{"unknown group '" + *spec.group + "'"};
        plan.gid = gr.gr_gid;
    }

    if (plan.argv.empty()) return SpawnError{"empty command"};
    const std::string& cmd = plan.argv.front();
    if (cmd.find('/') != std::string::npos) {
        plan.path = cmd;
        if (!cmd.starts_with('/') && plan.cwd) plan.path = (std::filesystem::path(*plan.cwd) / cmd).string();
    } else {
        const auto it = env.find("PATH");
        const std::string path_list = it != env.end() ? it->second : "/usr/local/bin:/usr/bin:/bin";
        std::size_t start = 0;
        while (start <= path_list.size()) {
            std::size_t end = path_list.find(':', start);
            if (end == std::string::npos) end = path_list.size();
            std::string dir = path_list.substr(start, end - start);
            if (dir.empty()) dir = ".";
            // A relative PATH entry means relative to where the service runs, not to supervisord.
            if (!dir.starts_with('/') && plan.cwd) dir = *plan.cwd + "/" + dir;
            if (std::string candidate = dir + "/" + cmd; is_executable_file(candidate)) {
                plan.path = std::move(candidate);
                break;
            }
            start = end + 1;
        }
        if (plan.path.empty()) return SpawnError{"cannot execute " + cmd + ": command not found in PATH"};
    }

    for (const auto& [k, v] : env) plan.envp.push_back(k + "=" + v);
    return plan;
}

namespace {

// The four descriptors the child starts from, kept at the bottom of the fd table so that the child
// copies only the table below them (see spawn()): /dev/null (stdin, permanently), stdout, stderr
// and the report pipe's write end. Between spawns the last three hold /dev/null too, so that no
// pipe stays open through them.
struct Slots {
    int null_fd = -1;
    int out = -1;
    int err = -1;
    int report = -1;
};
Slots g_slots;

// The child's half of spawn(): runs on its own stack in our memory (CLONE_VM) with our fd table
// (CLONE_FILES) until its first call makes the table private. Only async-signal-safe calls. Not
// instrumented by AddressSanitizer: it runs on g_child_stack, which ASan would take for a
// global buffer overrun by stack frames.
struct ChildArgs {
    const ExecPlan* plan;
    char* const* argv;
    char* const* envp;
    const sigset_t* empty;
};

[[gnu::no_sanitize_address]] int child_main(void* raw) {
    const ChildArgs& a = *static_cast<const ChildArgs*>(raw);
    const ExecPlan& plan = *a.plan;
    const int rfd = g_slots.report;
    // First of all, a private fd table holding only the descriptors below rfd + 1 (CLOSE_RANGE_UNSHARE
    // copies just those, where a plain fork or vfork copies the whole table, and exec then closes
    // it again: with 10,000 services holding a log pipe each, that copy and close was most of the
    // cost of a spawn, so starting N services took time growing with N²).
    if (::syscall(SYS_close_range, static_cast<unsigned>(rfd + 1), ~0u, CLOSE_RANGE_UNSHARE) != 0)
        child_fail(rfd, Stage::dup);
    ::setsid();  // own session and process group: pgid == pid, no controlling terminal
    struct sigaction dfl{};
    dfl.sa_handler = SIG_DFL;
    for (int sig = 1; sig < NSIG; ++sig) ::sigaction(sig, &dfl, nullptr);
    ::sigprocmask(SIG_SETMASK, a.empty, nullptr);
    if (::dup2(g_slots.null_fd, 0) < 0 || ::dup2(g_slots.out, 1) < 0 || ::dup2(g_slots.err, 2) < 0)
        child_fail(rfd, Stage::dup);
    if (plan.umask) ::umask(*plan.umask);
    if (plan.nofile) {
        struct rlimit rl{static_cast<rlim_t>(*plan.nofile), static_cast<rlim_t>(*plan.nofile)};
        if (::setrlimit(RLIMIT_NOFILE, &rl) != 0) child_fail(rfd, Stage::rlimit);
    }
    if (plan.cwd && ::chdir(plan.cwd->c_str()) != 0) child_fail(rfd, Stage::chdir);
    // Raw syscalls: glibc's set*id wrappers would signal "all threads" of the process whose
    // memory the child borrows; the kernel calls change just this new process.
    if (plan.uid && ::syscall(SYS_setgroups, plan.groups.size(), plan.groups.data()) != 0)
        child_fail(rfd, Stage::groups);
    if (plan.gid && ::syscall(SYS_setgid, *plan.gid) != 0) child_fail(rfd, Stage::setgid);
    if (plan.uid && ::syscall(SYS_setuid, *plan.uid) != 0) child_fail(rfd, Stage::setuid);
    // Close what is left but 0-2 and the report pipe (CLOEXEC: exec closes it).
    if (rfd > 3 && ::syscall(SYS_close_range, 3u, static_cast<unsigned>(rfd - 1), 0u) != 0)
        child_fail(rfd, Stage::dup);
    ::execve(plan.path.c_str(), a.argv, a.envp);
    child_fail(rfd, Stage::exec);
}

// The child's stack. With CLONE_VFORK the parent waits until the child has exec'ed or exited, and
// only one thread spawns (the supervisor's), so one stack serves every spawn.
alignas(64) char g_child_stack[256 * 1024];

}  // namespace

bool reserve_spawn_slots() {
    if (g_slots.null_fd >= 0) return true;
    UniqueFd null_fd(::open("/dev/null", O_RDWR | O_CLOEXEC));
    if (!null_fd) return false;
    // F_DUPFD_CLOEXEC from 3: the lowest free numbers above stdio, which at start-up are 3-6.
    Slots s;
    s.null_fd = ::fcntl(null_fd.get(), F_DUPFD_CLOEXEC, 3);
    s.out = ::fcntl(null_fd.get(), F_DUPFD_CLOEXEC, 3);
    s.err = ::fcntl(null_fd.get(), F_DUPFD_CLOEXEC, 3);
    s.report = ::fcntl(null_fd.get(), F_DUPFD_CLOEXEC, 3);
    if (s.null_fd < 0 || s.out < 0 || s.err < 0 || s.report < 0) {
        for (int fd : {s.null_fd, s.out, s.err, s.report})
            if (fd >= 0) ::close(fd);
        return false;
    }
    // Each call takes the lowest free number, so the report slot, taken last, is the highest: the
    // child keeps everything up to it.
    g_slots = s;
    return true;
}

boost::system::result<pid_t, SpawnError> spawn(const ExecPlan& plan) {
    if (!reserve_spawn_slots()) return SpawnError{std::string("cannot open /dev/null: ") + std::strerror(errno)};
    // C arrays for execve, built before the clone.
    std::vector<char*> argv;
    for (const auto& a : plan.argv) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    std::vector<char*> envp;
    for (const auto& e : plan.envp) envp.push_back(const_cast<char*>(e.c_str()));
    envp.push_back(nullptr);

    int pipe_fds[2];
    if (::pipe2(pipe_fds, O_CLOEXEC) != 0) return SpawnError{std::string("cannot create pipe: ") + std::strerror(errno)};
    UniqueFd report_read(pipe_fds[0]);
    {
        UniqueFd report_write(pipe_fds[1]);
        const int out = plan.stdout_fd >= 0 ? plan.stdout_fd : g_slots.null_fd;
        const int err = plan.stderr_fd >= 0 ? plan.stderr_fd : g_slots.null_fd;
        if (::dup3(out, g_slots.out, O_CLOEXEC) < 0 || ::dup3(err, g_slots.err, O_CLOEXEC) < 0 ||
            ::dup3(report_write.get(), g_slots.report, O_CLOEXEC) < 0)
            return SpawnError{std::string("cannot set up stdio: ") + std::strerror(errno)};
    }

    sigset_t all, previous, empty;
    sigfillset(&all);
    sigemptyset(&empty);
    ChildArgs args{&plan, argv.data(), envp.data(), &empty};
    // clone(2) like vfork(2) (CLONE_VM | CLONE_VFORK: the child borrows our memory until it execs,
    // which spares copying the page tables, about 1 ms per spawn on the reference VM), and with
    // CLONE_FILES so that the fd table is not copied either: the child unshares just its bottom.
    // Every signal stays blocked across it so that none of our handlers can run in the child; the
    // child resets them all before unblocking.
    ::pthread_sigmask(SIG_SETMASK, &all, &previous);
    const pid_t pid = ::clone(child_main, g_child_stack + sizeof g_child_stack,
                              CLONE_VM | CLONE_VFORK | CLONE_FILES | SIGCHLD, &args);
    const int clone_error = errno;
    ::pthread_sigmask(SIG_SETMASK, &previous, nullptr);
    // The slots let go of the child's pipes: only the child holds them now, so that a pipe's reader
    // sees end-of-file when the child (and whatever inherited them) is gone.
    for (int slot : {g_slots.out, g_slots.err, g_slots.report}) ::dup3(g_slots.null_fd, slot, O_CLOEXEC);
    if (pid < 0) return SpawnError{std::string("cannot fork: ") + std::strerror(clone_error)};

    ChildReport report{};
    ssize_t n;
    do {
        n = ::read(report_read.get(), &report, sizeof report);
    } while (n < 0 && errno == EINTR);
    if (n == static_cast<ssize_t>(sizeof report)) {
        // The child is exiting with 127: reap it here so that it never reaches the supervisor's reaper.
        while (::waitpid(pid, nullptr, 0) < 0 && errno == EINTR) {
        }
        return SpawnError{stage_message(plan, static_cast<Stage>(report.stage), report.error)};
    }
    return pid;
}

}  // namespace vj::os
