// Integration harness implementation: fork/exec of the real binaries, blocking socket client.
#include "integration/harness.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

extern char** environ;

namespace vj::test {
namespace fs = std::filesystem;

std::string fixture(const std::string& name) { return std::string(VJ_FIXTURES_DIR) + "/programs/" + name; }

std::string read_file(const fs::path& p) {
    std::ifstream in(p);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

bool process_exists(pid_t pid) {
    // A zombie still has /proc/PID; count it as gone only once it is reaped.
    return ::kill(pid, 0) == 0 || errno != ESRCH;
}

bool eventually(const std::function<bool()>& condition, std::chrono::milliseconds timeout) {
    const auto end = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < end) {
        if (condition()) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return condition();
}

static std::string drain(int fd) {
    std::string out;
    char buf[4096];
    ssize_t n;
    while ((n = ::read(fd, buf, sizeof buf)) > 0) out.append(buf, static_cast<std::size_t>(n));
    return out;
}

CommandResult run_command(const std::vector<std::string>& argv, const std::vector<std::string>& env) {
    int out_pipe[2], err_pipe[2];
    if (::pipe2(out_pipe, O_CLOEXEC) != 0 || ::pipe2(err_pipe, O_CLOEXEC) != 0) throw std::runtime_error("pipe");
    std::vector<std::string> env_strings;
    for (char** e = environ; *e; ++e) env_strings.emplace_back(*e);
    for (const auto& e : env) env_strings.push_back(e);
    std::vector<char*> cargv, cenv;
    for (const auto& a : argv) cargv.push_back(const_cast<char*>(a.c_str()));
    cargv.push_back(nullptr);
    for (const auto& e : env_strings) cenv.push_back(const_cast<char*>(e.c_str()));
    cenv.push_back(nullptr);
    const pid_t pid = ::fork();
    if (pid == 0) {
        ::dup2(out_pipe[1], 1);
        ::dup2(err_pipe[1], 2);
        ::execve(cargv[0], cargv.data(), cenv.data());
        ::_exit(127);
    }
    ::close(out_pipe[1]);
    ::close(err_pipe[1]);
    // Read both without deadlock: stderr is small; read stdout fully in a thread.
    std::string err;
    std::thread t([&] { err = drain(err_pipe[0]); });
    CommandResult r;
    r.out = drain(out_pipe[0]);
    t.join();
    ::close(out_pipe[0]);
    ::close(err_pipe[0]);
    int status = 0;
    ::waitpid(pid, &status, 0);
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    r.err = std::move(err);
    return r;
}

TempDir::TempDir() {
    char tmpl[] = "/tmp/vjt.XXXXXX";
    if (!::mkdtemp(tmpl)) throw std::runtime_error("mkdtemp");
    path_ = tmpl;
    fs::permissions(path_, fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                               fs::perms::others_read | fs::perms::others_exec);
}

TempDir::~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
}

Daemon::Daemon(const std::string& services, const std::string& extra_supervisor, const std::string& defaults) {
    socket_ = (dir_ / "s.sock").string();
    std::ofstream cfg(dir_ / "services.yaml");
    cfg << "version: 1\nsupervisor:\n  socket: " << socket_ << "\n  state_dir: state\n  log_dir: log\n"
        << "  shutdown_timeout: 10s\n"
        << extra_supervisor << "\n";
    if (!defaults.empty()) cfg << "defaults:\n" << defaults << "\n";
    cfg << "services:\n" << services << "\n";
    cfg.close();

    const std::string log_path = (dir_ / "supervisord.stderr").string();
    pid_ = ::fork();
    if (pid_ == 0) {
        // A test that crashes must not leave its daemon (and the daemon's services) behind.
        ::prctl(PR_SET_PDEATHSIG, SIGTERM);
        const int fd = ::open(log_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        ::dup2(fd, 1);
        ::dup2(fd, 2);
        const std::string cfg_path = (dir_ / "services.yaml").string();
        ::execl(VJ_SUPERVISORD_BIN, VJ_SUPERVISORD_BIN, "-c", cfg_path.c_str(), static_cast<char*>(nullptr));
        ::_exit(127);
    }
    const bool up = eventually(
        [&] {
            int status;
            if (::waitpid(pid_, &status, WNOHANG) == pid_) {
                exited_ = true;
                return true;
            }
            return fs::exists(socket_);
        },
        std::chrono::seconds(20));
    if (!up || exited_) throw std::runtime_error("supervisord did not come up:\n" + log());
}

Daemon::~Daemon() {
    if (!exited_) {
        if (!terminate()) {
            ::kill(pid_, SIGKILL);
            ::waitpid(pid_, nullptr, 0);
        }
    }
}

std::optional<int> Daemon::terminate(std::chrono::milliseconds timeout) {
    if (exited_) return std::nullopt;
    ::kill(pid_, SIGTERM);
    int status = 0;
    const bool done = eventually([&] { return ::waitpid(pid_, &status, WNOHANG) == pid_; }, timeout);
    if (!done) return std::nullopt;
    exited_ = true;
    return status;
}

std::optional<int> Daemon::wait_exit(std::chrono::milliseconds timeout) {
    if (exited_) return std::nullopt;
    int status = 0;
    if (!eventually([&] { return ::waitpid(pid_, &status, WNOHANG) == pid_; }, timeout)) return std::nullopt;
    exited_ = true;
    return status;
}

std::string Daemon::log() const { return read_file(dir_ / "supervisord.stderr"); }

static int connect_to(const std::string& path) {
    const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::strncpy(addr.sun_path, path.c_str(), sizeof addr.sun_path - 1);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
        ::close(fd);
        throw std::runtime_error("connect " + path + ": " + std::strerror(errno));
    }
    return fd;
}

std::string Daemon::raw(const std::string& bytes) {
    const int fd = connect_to(socket_);
    std::size_t done = 0;
    while (done < bytes.size()) {
        const ssize_t n = ::send(fd, bytes.data() + done, bytes.size() - done, MSG_NOSIGNAL);
        if (n <= 0) break;  // the server may hang up before reading everything (too_large)
        done += static_cast<std::size_t>(n);
    }
    std::string line;
    char c;
    pollfd p{fd, POLLIN, 0};
    while (::poll(&p, 1, 60000) > 0 && ::read(fd, &c, 1) == 1) {
        if (c == '\n') break;
        line += c;
    }
    ::close(fd);
    return line;
}

Follower::Follower(const std::string& socket, const nlohmann::json& args) {
    fd_ = connect_to(socket);
    nlohmann::json a = args;
    a["follow"] = true;
    const std::string req = nlohmann::json{{"id", 3}, {"cmd", "tail"}, {"args", a}}.dump() + "\n";
    if (::send(fd_, req.data(), req.size(), MSG_NOSIGNAL) != static_cast<ssize_t>(req.size()))
        throw std::runtime_error("send tail");
    auto first = line(std::chrono::seconds(10));
    if (!first) throw std::runtime_error("no reply to tail");
    reply = nlohmann::json::parse(*first);
}

Follower::~Follower() { ::close(fd_); }

std::optional<std::string> Follower::line(std::chrono::milliseconds timeout) {
    const auto end = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        if (const auto nl = buffer_.find('\n'); nl != std::string::npos) {
            std::string l = buffer_.substr(0, nl);
            buffer_.erase(0, nl + 1);
            return l;
        }
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(end - std::chrono::steady_clock::now());
        if (left.count() <= 0) return std::nullopt;
        pollfd p{fd_, POLLIN, 0};
        if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) return std::nullopt;
        char buf[65536];
        const ssize_t n = ::read(fd_, buf, sizeof buf);
        if (n <= 0) return std::nullopt;
        buffer_.append(buf, static_cast<std::size_t>(n));
    }
}

std::optional<nlohmann::json> Follower::next(std::chrono::milliseconds timeout) {
    auto l = line(timeout);
    if (!l) return std::nullopt;
    return nlohmann::json::parse(*l);
}

nlohmann::json Daemon::request(const std::string& cmd, const nlohmann::json& args) {
    const nlohmann::json req{{"id", 7}, {"cmd", cmd}, {"args", args}};
    const std::string line = raw(req.dump() + "\n");
    return nlohmann::json::parse(line);
}

CommandResult Daemon::vjctl(const std::vector<std::string>& args) {
    std::vector<std::string> argv{VJ_VJCTL_BIN, "--socket", socket_};
    argv.insert(argv.end(), args.begin(), args.end());
    return run_command(argv, {"NO_COLOR=1"});
}

nlohmann::json Daemon::status(const std::string& name) {
    auto reply = request("status", {{"names", {name}}});
    if (!reply.value("ok", false)) throw std::runtime_error("status failed: " + reply.dump());
    return reply["result"]["services"].at(0);
}

bool Daemon::wait_state(const std::string& name, const std::vector<std::string>& states,
                        std::chrono::milliseconds timeout) {
    nlohmann::json args{{"names", {name}}, {"states", states}, {"timeout_ms", timeout.count()}};
    auto reply = request("wait", args);
    return reply.value("ok", false);
}

}  // namespace vj::test
