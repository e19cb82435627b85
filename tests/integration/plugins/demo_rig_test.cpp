// The README's main job, run for real: scripts/run.sh starts supervisord on etc/services.yaml,
// vj-audio analyses the generated 120 BPM click track and sends OSC to vj-osc-monitor, both turn
// healthy, and the monitor's log shows the beat and level messages.
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <map>

#include <gtest/gtest.h>

#include "integration/harness.hpp"

namespace vj::test {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

extern "C" char** environ;

/// A UDP port on loopback that nothing uses right now (bound, read, released).
int free_udp_port() {
    const int fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    if (::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 ||
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) != 0)
        throw std::runtime_error("no free UDP port");
    ::close(fd);
    return ntohs(a.sin_port);
}

/// Starts argv with the environment changed by `set` (replacing, not adding to, what is there);
/// stdout and stderr go to `log`.
pid_t start(const std::vector<std::string>& argv, const std::map<std::string, std::string>& set, const fs::path& log) {
    std::map<std::string, std::string> env;
    for (char** e = environ; *e; ++e) {
        const std::string kv = *e;
        const auto eq = kv.find('=');
        if (eq != std::string::npos) env[kv.substr(0, eq)] = kv.substr(eq + 1);
    }
    for (const auto& [k, v] : set) env[k] = v;
    std::vector<std::string> strings;
    for (const auto& [k, v] : env) strings.push_back(k + "=" + v);
    std::vector<char*> cargv, cenv;
    for (const auto& a : argv) cargv.push_back(const_cast<char*>(a.c_str()));
    cargv.push_back(nullptr);
    for (auto& s : strings) cenv.push_back(s.data());
    cenv.push_back(nullptr);
    const int out = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    const pid_t pid = ::fork();
    if (pid == 0) {
        ::dup2(out, 1);
        ::dup2(out, 2);
        ::execve(cargv[0], cargv.data(), cenv.data());
        ::_exit(127);
    }
    ::close(out);
    return pid;
}

TEST(DemoRig, TheReadmeCommandRunsTheRigAndBothWorkersTurnHealthy) {
    TempDir dir;
    const fs::path runtime = dir / "run";
    fs::create_directories(runtime);
    fs::permissions(runtime, fs::perms::owner_all);
    const std::string port = std::to_string(free_udp_port());
    // The build under test is the one holding the supervisord this test was built against.
    const std::string build = fs::path(VJ_SUPERVISORD_BIN).parent_path().parent_path().string();
    const fs::path log = dir / "run.log";
    const pid_t pid = start({"/bin/bash", std::string(VJ_SOURCE_DIR) + "/scripts/run.sh"},
                            {{"XDG_RUNTIME_DIR", runtime.string()},
                             {"VJ_VAR_DIR", (dir / "var").string()},
                             {"VJ_OSC_PORT", port},
                             {"VJ_BUILD_DIR", build}},
                            log);
    const std::string socket = (runtime / "vj" / "supervisord.sock").string();
    const auto vjctl = [&](std::vector<std::string> args) {
        args.insert(args.begin(), {VJ_VJCTL_BIN, "--socket", socket});
        return run_command(args);
    };
    // setup.sh finds everything installed, the build is up to date: the socket comes up quickly.
    ASSERT_TRUE(eventually([&] { return fs::exists(socket); }, 120s)) << read_file(log);

    const auto healthy = vjctl({"wait", "--health", "healthy", "--timeout", "60s", "osc-monitor", "audio"});
    const auto status = vjctl({"status"});
    EXPECT_EQ(healthy.exit_code, 0) << healthy.out << healthy.err << status.out << read_file(log);
    EXPECT_NE(status.out.find("osc-monitor"), std::string::npos) << status.out;
    EXPECT_NE(status.out.find("audio"), std::string::npos) << status.out;

    // The monitor prints what vj-audio sends: beats (about two a second) and the level bundle.
    std::string tail;
    EXPECT_TRUE(eventually(
        [&] {
            tail = vjctl({"tail", "-n", "500", "osc-monitor"}).out;
            return tail.find("/vj/audio/beat") != std::string::npos && tail.find("/vj/audio/level") != std::string::npos;
        },
        30s))
        << tail;

    // Ctrl-C: every service stops, supervisord exits 0 (run.sh exec'ed it).
    ::kill(pid, SIGINT);
    int wstatus = 0;
    ASSERT_TRUE(eventually([&] { return ::waitpid(pid, &wstatus, WNOHANG) == pid; }, 30s)) << read_file(log);
    EXPECT_TRUE(WIFEXITED(wstatus) && WEXITSTATUS(wstatus) == 0) << wstatus << read_file(log);
}

}  // namespace
}  // namespace vj::test
