// command, cwd, env, user, umask, limits: what the service is started with, and clear spawn failures.
#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "integration/harness.hpp"

namespace vj::test {
namespace {

using namespace std::chrono_literals;

TEST(Spawn, MissingBinaryIsAFailureWithTheReason) {
    TempDir scratch;
    const auto plain = (scratch / "plain.txt").string();
    { std::ofstream(plain) << "not a program\n"; }
    std::filesystem::permissions(plain, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
    Daemon d(R"(  missing:
    command: [/nonexistent/bin/tool, --flag]
    restart: { backoff: { initial: 5s, jitter: 0 } }
  notinpath:
    command: [no-such-command-anywhere]
    restart: { backoff: { initial: 5s, jitter: 0 } }
  notexec:
    command: [)" + plain + R"(]
    restart: { backoff: { initial: 5s, jitter: 0 } }
)");
    ASSERT_TRUE(d.wait_state("missing", {"backoff"}));
    EXPECT_EQ(d.status("missing")["reason"],
              "cannot execute /nonexistent/bin/tool: No such file or directory, restarting in 5s");
    ASSERT_TRUE(d.wait_state("notinpath", {"backoff"}));
    EXPECT_EQ(d.status("notinpath")["reason"],
              "cannot execute no-such-command-anywhere: command not found in PATH, restarting in 5s");
    ASSERT_TRUE(d.wait_state("notexec", {"backoff"}));
    EXPECT_EQ(d.status("notexec")["reason"], "cannot execute " + plain + ": Permission denied, restarting in 5s");
    // The daemon is unharmed and answers.
    EXPECT_EQ(d.request("ping")["ok"], true);
}

TEST(Spawn, UnknownUserIsAFailureWithTheReason) {
    Daemon d(R"(  who:
    command: [sleep, "1000"]
    user: no-such-user-here
    restart: { policy: never }
)");
    ASSERT_TRUE(d.wait_state("who", {"failed"}));
    EXPECT_EQ(d.status("who")["reason"], "unknown user 'no-such-user-here'");
}

TEST(Spawn, MissingCwdNamesTheDirectory) {
    Daemon d(R"(  lost:
    command: [sleep, "1000"]
    cwd: /nonexistent/dir
    restart: { policy: never }
)");
    ASSERT_TRUE(d.wait_state("lost", {"failed"}));
    EXPECT_EQ(d.status("lost")["reason"], "cannot change directory to /nonexistent/dir: No such file or directory");
}

TEST(Spawn, StartsWithCwdEnvUmaskLimitsOwnGroupAndNoLeakedFds) {
    TempDir work;
    const auto out = (work / "self.txt").string();
    Daemon d("  me:\n    command: [" + fixture("describe_self.sh") + ", " + out + "]\n    cwd: " +
             work.path().string() + "\n    env: { GREETING: hello }\n    umask: \"027\"\n    limits: { nofile: 321 }\n");
    ASSERT_TRUE(d.wait_state("me", {"running"}));
    ASSERT_TRUE(eventually([&] { return std::filesystem::exists(out); }, 5s));
    const auto text = read_file(out);
    EXPECT_NE(text.find("cwd=" + work.path().string() + "\n"), std::string::npos) << text;
    EXPECT_NE(text.find("greeting=hello\n"), std::string::npos) << text;
    EXPECT_NE(text.find("service=me instance=0\n"), std::string::npos) << text;
    EXPECT_NE(text.find("umask=0027\n"), std::string::npos) << text;
    EXPECT_NE(text.find("nofile=321\n"), std::string::npos) << text;
    const int pid = d.status("me")["pid"];
    EXPECT_NE(text.find("pgid=" + std::to_string(pid) + " pid=" + std::to_string(pid)), std::string::npos) << text;
    // No fd of supervisord's own (socket, signal pipe, epoll, timers, state files) reached the service.
    std::set<std::string> daemon_fds;
    for (const auto& e : std::filesystem::directory_iterator("/proc/" + std::to_string(d.pid()) + "/fd")) {
        // An fd can close between the listing and the readlink (a request connection, an exec-report
        // pipe): it is gone, so it cannot have leaked.
        std::error_code gone;
        const auto target = std::filesystem::read_symlink(e.path(), gone).string();
        if (gone) continue;
        if (target != "/dev/null" && !target.ends_with("supervisord.stderr")) daemon_fds.insert(target);
    }
    ASSERT_FALSE(daemon_fds.empty());
    // Its stdout and stderr are the instance's capture pipe, which supervisord holds too: allowed.
    std::map<std::string, std::string> child_fds;
    std::istringstream lines(text);
    std::string line;
    while (std::getline(lines, line)) {
        if (!line.starts_with("fd ")) continue;
        const auto space = line.find(' ', 3);
        child_fds[line.substr(3, space - 3)] = line.substr(space + 1);
    }
    EXPECT_GE(child_fds.size(), 3u);
    const std::string own_pipe = child_fds["2"];
    for (const auto& [fd, target] : child_fds) {
        if (target == own_pipe) continue;
        EXPECT_FALSE(daemon_fds.contains(target)) << "leaked: fd " << fd << " " << target;
    }
    // The adoption record names the pid and its /proc start time.
    const auto record = nlohmann::json::parse(read_file(d.file("state/instances/me.json")));
    EXPECT_EQ(record["pid"], pid);
    EXPECT_GT(record["start_time"].get<unsigned long long>(), 0u);
    EXPECT_TRUE(record["spec_hash"].is_number_unsigned());
}

TEST(Spawn, RunsAsAnotherUser) {
    if (::geteuid() != 0) GTEST_SKIP() << "needs root to switch users";
    TempDir work;
    std::filesystem::permissions(work.path(), std::filesystem::perms::all);  // writable for nobody
    const auto out = (work / "id.txt").string();
    Daemon d("  low:\n    command: \"id -un > " + out + "; exec sleep 1000\"\n    user: nobody\n");
    ASSERT_TRUE(d.wait_state("low", {"running"}));
    ASSERT_TRUE(eventually([&] { return read_file(out) == "nobody\n"; }, 5s)) << read_file(out);
}

TEST(Spawn, InstancesAreNumberedAndEachHasItsOwnProcess) {
    Daemon d(R"(  worker:
    command: [sleep, "1000"]
    instances: 3
)");
    for (const auto* n : {"worker:0", "worker:1", "worker:2"}) ASSERT_TRUE(d.wait_state(n, {"running"})) << n;
    auto all = d.request("status", {{"names", {"worker"}}})["result"]["services"];
    ASSERT_EQ(all.size(), 3u);
    std::set<int> pids;
    for (const auto& s : all) pids.insert(s["pid"].get<int>());
    EXPECT_EQ(pids.size(), 3u);
    EXPECT_TRUE(std::filesystem::exists(d.file("state/instances/worker-1.json")));
}

}  // namespace
}  // namespace vj::test
