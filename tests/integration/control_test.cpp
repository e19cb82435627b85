// The control socket and vjctl: wire format, bad requests, peer credentials, exit codes.
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>

#include "integration/harness.hpp"

namespace vj::test {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

const char* two_services = R"(  alpha:
    command: [sleep, "1000"]
  beta:
    command: [sleep, "1000"]
    autostart: false
)";

TEST(Control, MalformedRequestsGetAnErrorAndTheDaemonCarriesOn) {
    Daemon d(two_services);
    for (const std::string bad : {"not json\n", "[1,2]\n", "{\"id\":3}\n", "{\"id\":4,\"cmd\":5}\n",
                                  "{\"id\":5,\"cmd\":\"status\",\"args\":[]}\n"}) {
        const auto reply = json::parse(d.raw(bad));
        EXPECT_EQ(reply["ok"], false) << bad;
        EXPECT_EQ(reply["error"]["code"], "bad_request") << bad;
    }
    auto unknown = d.request("frobnicate");
    EXPECT_EQ(unknown["error"]["code"], "unknown_command");
    EXPECT_EQ(unknown["id"], 7);
    auto nomatch = d.request("stop", {{"names", {"nope*"}}});
    EXPECT_EQ(nomatch["error"]["code"], "no_such_service");
    EXPECT_EQ(nomatch["error"]["message"], "no service matches 'nope*'");
    auto badnames = d.request("start", {{"names", "alpha"}});
    EXPECT_EQ(badnames["error"]["code"], "bad_request");
    EXPECT_EQ(d.request("ping")["ok"], true);
    EXPECT_EQ(d.status("alpha")["state"], "running");
}

TEST(Control, OversizedRequestIsRefusedAndTheDaemonCarriesOn) {
    Daemon d(two_services);
    const std::string huge = "{\"id\":1,\"cmd\":\"status\",\"args\":{\"x\":\"" + std::string(200 * 1024, 'a') + "\"}}\n";
    const auto reply = json::parse(d.raw(huge));
    EXPECT_EQ(reply["error"]["code"], "too_large");
    EXPECT_EQ(d.request("ping")["ok"], true);
    EXPECT_EQ(d.status("alpha")["state"], "running");
}

TEST(Control, SeveralRequestsOnOneConnectionAreAnsweredInOrder) {
    Daemon d(two_services);
    const int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::strncpy(addr.sun_path, d.socket().c_str(), sizeof addr.sun_path - 1);
    ASSERT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    const std::string two = "{\"id\":1,\"cmd\":\"ping\"}\n{\"id\":2,\"cmd\":\"status\"}\n";
    ASSERT_EQ(::write(fd, two.data(), two.size()), static_cast<ssize_t>(two.size()));
    std::string got;
    char buf[4096];
    while (std::count(got.begin(), got.end(), '\n') < 2) {
        const ssize_t n = ::read(fd, buf, sizeof buf);
        ASSERT_GT(n, 0);
        got.append(buf, static_cast<std::size_t>(n));
    }
    ::close(fd);
    const auto nl = got.find('\n');
    EXPECT_EQ(json::parse(got.substr(0, nl))["id"], 1);
    EXPECT_EQ(json::parse(got.substr(nl + 1))["id"], 2);
}

TEST(Control, RequestFromAnotherUidIsRefused) {
    if (::geteuid() != 0) GTEST_SKIP() << "needs root to act as another uid";
    Daemon d(two_services, "  socket_mode: \"0666\"\n");
    struct stat st{};
    ASSERT_EQ(::stat(d.socket().c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0666u);
    int pipefd[2];
    ASSERT_EQ(::pipe(pipefd), 0);
    const pid_t child = ::fork();
    if (child == 0) {
        ::close(pipefd[0]);
        if (::setgid(65534) != 0 || ::setuid(65534) != 0) ::_exit(90);
        const int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
        sockaddr_un addr{};
        addr.sun_family = AF_UNIX;
        std::strncpy(addr.sun_path, d.socket().c_str(), sizeof addr.sun_path - 1);
        if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) ::_exit(91);
        const std::string req = "{\"id\":1,\"cmd\":\"stop\",\"args\":{\"names\":[\"all\"]}}\n";
        [[maybe_unused]] auto w = ::send(fd, req.data(), req.size(), MSG_NOSIGNAL);
        char buf[512];
        const ssize_t n = ::read(fd, buf, sizeof buf);
        if (n > 0) [[maybe_unused]] auto x = ::write(pipefd[1], buf, static_cast<std::size_t>(n));
        ::_exit(0);
    }
    ::close(pipefd[1]);
    std::string reply;
    char buf[512];
    ssize_t n;
    while ((n = ::read(pipefd[0], buf, sizeof buf)) > 0) reply.append(buf, static_cast<std::size_t>(n));
    ::close(pipefd[0]);
    int status = 0;
    ::waitpid(child, &status, 0);
    ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << WEXITSTATUS(status);
    const auto j = json::parse(reply.substr(0, reply.find('\n')));
    EXPECT_EQ(j["ok"], false);
    EXPECT_EQ(j["error"]["code"], "permission_denied");
    EXPECT_EQ(j["error"]["message"], "uid 65534 may not use this socket");
    EXPECT_EQ(d.status("alpha")["state"], "running");  // nothing was stopped
}

TEST(Control, SecondDaemonOnTheSameSocketRefusesToStart) {
    Daemon d(two_services);
    const auto cfg = d.file("services.yaml").string();
    auto r = run_command({VJ_SUPERVISORD_BIN, "-c", cfg});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("another supervisord is listening there"), std::string::npos) << r.err;
    EXPECT_EQ(d.request("ping")["ok"], true);
}

TEST(Vjctl, ExitCodes) {
    Daemon d(two_services);
    ASSERT_TRUE(d.wait_state("alpha", {"running"}));
    EXPECT_EQ(d.vjctl({"status", "alpha"}).exit_code, 0);
    EXPECT_EQ(d.vjctl({"status", "beta"}).exit_code, 4);  // not running
    EXPECT_EQ(d.vjctl({"status"}).exit_code, 4);
    auto missing = d.vjctl({"stop", "gamma"});
    EXPECT_EQ(missing.exit_code, 1);
    EXPECT_NE(missing.err.find("gamma"), std::string::npos) << missing.err;
    EXPECT_EQ(d.vjctl({"frobnicate"}).exit_code, 2);
    auto unreachable = run_command({VJ_VJCTL_BIN, "--socket", (d.dir() / "nope.sock").string(), "status"});
    EXPECT_EQ(unreachable.exit_code, 3);
    EXPECT_NE(unreachable.err.find("nope.sock"), std::string::npos) << unreachable.err;
}

TEST(Vjctl, StatusPlainAndJson) {
    Daemon d(two_services);
    ASSERT_TRUE(d.wait_state("alpha", {"running"}));
    auto plain = d.vjctl({"status"});
    // Running with only the implicit pid probe: healthy.
    EXPECT_NE(plain.out.find("alpha running healthy "), std::string::npos) << plain.out;
    EXPECT_NE(plain.out.find("beta stopped unknown - - 0"), std::string::npos) << plain.out;
    auto js = d.vjctl({"status", "--json", "al*"});
    ASSERT_EQ(js.exit_code, 0) << js.err;
    const auto j = json::parse(js.out);
    ASSERT_EQ(j["services"].size(), 1u);
    for (const char* key : {"name", "state", "health", "pid", "uptime_s", "restarts", "reason", "message"})
        EXPECT_TRUE(j["services"][0].contains(key)) << key;
    EXPECT_TRUE(j["jobs"].is_array());
}

TEST(Vjctl, StartStopRestartSignalAndWait) {
    Daemon d(two_services);
    auto start = d.vjctl({"start", "beta"});
    EXPECT_EQ(start.exit_code, 0) << start.err;
    EXPECT_EQ(d.status("beta")["state"], "running");
    const int before = d.status("beta")["pid"];
    auto restart = d.vjctl({"restart", "beta"});
    EXPECT_EQ(restart.exit_code, 0) << restart.err;
    EXPECT_NE(d.status("beta")["pid"], before);
    auto sig = d.vjctl({"signal", "KILL", "beta"});
    EXPECT_EQ(sig.exit_code, 0) << sig.err;
    // on-failure restarts a killed process after its backoff (1s by default)
    auto waited = d.vjctl({"wait", "--state", "backoff", "--timeout", "5s", "beta"});
    EXPECT_EQ(waited.exit_code, 0) << waited.err;
    auto stop = d.vjctl({"stop", "all"});
    EXPECT_EQ(stop.exit_code, 0) << stop.err;
    EXPECT_EQ(d.status("alpha")["state"], "stopped");
    EXPECT_EQ(d.status("beta")["state"], "stopped");
    auto timeout = d.vjctl({"wait", "--timeout", "200ms", "alpha"});
    EXPECT_EQ(timeout.exit_code, 1);
    auto failing = d.vjctl({"signal", "HUP", "alpha"});
    EXPECT_EQ(failing.exit_code, 1);
    EXPECT_NE(failing.err.find("alpha is not running"), std::string::npos) << failing.err;
}

TEST(Vjctl, StartOfABrokenServiceReportsWhy) {
    Daemon d(R"(  broken:
    command: [/nonexistent/x]
    autostart: false
)");
    auto r = d.vjctl({"start", "broken"});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("cannot execute /nonexistent/x: No such file or directory"), std::string::npos) << r.err;
}

TEST(Vjctl, ShutdownStopsEverythingAndExits) {
    Daemon d(two_services);
    ASSERT_TRUE(d.wait_state("alpha", {"running"}));
    const int pid = d.status("alpha")["pid"];
    auto r = d.vjctl({"shutdown"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    auto status = d.wait_exit(10s);
    ASSERT_TRUE(status.has_value()) << d.log();
    EXPECT_TRUE(WIFEXITED(*status) && WEXITSTATUS(*status) == 0);
    EXPECT_FALSE(process_exists(pid));
    EXPECT_FALSE(std::filesystem::exists(d.socket()));
}

}  // namespace
}  // namespace vj::test
