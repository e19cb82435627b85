// Many services: 100 start in parallel, answer status, stop, and leave no process or zombie behind.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <dirent.h>

#include "integration/harness.hpp"

namespace vj::test {
namespace {

using namespace std::chrono_literals;

/// Children of `pid` (live or zombie), from /proc/*/stat.
int children_of(pid_t pid) {
    int count = 0;
    DIR* d = ::opendir("/proc");
    while (auto* e = ::readdir(d)) {
        if (e->d_name[0] < '0' || e->d_name[0] > '9') continue;
        const auto stat = read_file(std::string("/proc/") + e->d_name + "/stat");
        const auto close = stat.rfind(')');
        if (close == std::string::npos) continue;
        std::istringstream rest(stat.substr(close + 2));
        std::string state;
        int ppid = 0;
        rest >> state >> ppid;
        if (ppid == pid) ++count;
    }
    ::closedir(d);
    return count;
}

TEST(Scale, HundredServicesStartStatusStop) {
    std::string services;
    for (int i = 0; i < 100; ++i) services += "  s" + std::to_string(i) + ":\n    command: [sleep, \"1000\"]\n";
    Daemon d(services);
    auto all_running = d.request("wait", {{"names", {"all"}}, {"states", {"running"}}, {"timeout_ms", 20000}});
    ASSERT_EQ(all_running["ok"], true) << all_running.dump();
    auto st = d.request("status");
    ASSERT_EQ(st["result"]["services"].size(), 100u);
    for (const auto& s : st["result"]["services"]) EXPECT_EQ(s["state"], "running");
    EXPECT_EQ(children_of(d.pid()), 100);

    auto stop = d.vjctl({"stop", "all"});
    ASSERT_EQ(stop.exit_code, 0) << stop.err;
    // Hold the reply: a range-for over a member of a temporary would read freed memory.
    const auto after = d.request("status");
    for (const auto& s : after["result"]["services"]) EXPECT_EQ(s["state"], "stopped");
    EXPECT_TRUE(eventually([&] { return children_of(d.pid()) == 0; }, 5s));  // no zombies either
    auto status = d.terminate();
    ASSERT_TRUE(status.has_value());
    EXPECT_TRUE(WIFEXITED(*status) && WEXITSTATUS(*status) == 0);
}

TEST(Scale, SigtermWithManyRunningLeavesNothing) {
    std::string services;
    for (int i = 0; i < 30; ++i)
        services += "  s" + std::to_string(i) + ":\n    command: \"sleep 1000 & sleep 1000\"\n";
    Daemon d(services);
    ASSERT_EQ(d.request("wait", {{"names", {"all"}}, {"timeout_ms", 20000}})["ok"], true);
    std::vector<int> pids;
    const auto running = d.request("status");
    for (const auto& s : running["result"]["services"]) pids.push_back(s["pid"]);
    auto status = d.terminate();
    ASSERT_TRUE(status.has_value());
    EXPECT_TRUE(WIFEXITED(*status) && WEXITSTATUS(*status) == 0) << d.log();
    for (int pid : pids) {
        EXPECT_FALSE(process_exists(pid));
        // Its group is gone too (a killed member may be a zombie for a moment until init reaps it).
        EXPECT_TRUE(eventually([&] { return ::kill(-pid, 0) != 0 && errno == ESRCH; }, std::chrono::seconds(5)))
            << "group " << pid << " still has members";
    }
    EXPECT_NE(d.log().find("all services stopped; exiting"), std::string::npos);
}

}  // namespace
}  // namespace vj::test
