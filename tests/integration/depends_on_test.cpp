// depends_on: a service starts only once its dependencies run; shutdown goes in reverse order.
#include <gtest/gtest.h>

#include <map>
#include <sstream>

#include "integration/harness.hpp"

namespace vj::test {
namespace {

using namespace std::chrono_literals;

std::map<std::string, double> start_times(const std::string& text) {
    std::map<std::string, double> out;
    std::istringstream in(text);
    std::string name;
    double t;
    while (in >> name >> t) out[name] = t;
    return out;
}

TEST(DependsOn, ServicesStartAfterTheirDependenciesAreReady) {
    TempDir scratch;
    const auto log = (scratch / "starts").string();
    auto svc = [&](const std::string& name, const std::string& deps) {
        return "  " + name + ":\n    command: [" + fixture("record_start.sh") + ", " + name + ", " + log +
               "]\n    ready: { after: 300ms }\n" + (deps.empty() ? "" : "    depends_on: [" + deps + "]\n");
    };
    // web needs api and cache; api needs db. cache and db are independent: they start together.
    Daemon d(svc("web", "api, cache") + svc("api", "db") + svc("cache", "") + svc("db", ""));
    ASSERT_TRUE(d.wait_state("web", {"running"}, 10s)) << d.log();
    const auto t = start_times(read_file(log));
    ASSERT_EQ(t.size(), 4u) << read_file(log);
    // Each time is taken by the script once its shell is up, some milliseconds after the spawn
    // that `after: 300ms` counts from, and more under load: the earlier service's shell may be
    // the slower one. 250 ms still tells "after the 300 ms" from "together" (< 50 ms apart).
    EXPECT_GE(t.at("api") - t.at("db"), 0.25);
    EXPECT_GE(t.at("web") - t.at("api"), 0.25);
    EXPECT_GE(t.at("web") - t.at("cache"), 0.25);
    EXPECT_LT(std::abs(t.at("cache") - t.at("db")), 0.25);  // parallel, not one after the other
}

TEST(DependsOn, WaitingServiceSaysWhatItWaitsFor) {
    Daemon d(R"(  app:
    command: [sleep, "1000"]
    depends_on: [db]
  db:
    command: [sleep, "1000"]
    ready: { after: 1h }
)");
    ASSERT_TRUE(d.wait_state("db", {"starting"}));
    auto st = d.status("app");
    EXPECT_EQ(st["state"], "stopped");
    EXPECT_EQ(st["goal"], "up");
    EXPECT_EQ(st["reason"], "waiting for db");
}

TEST(DependsOn, StartingAServicePullsItsDependenciesUp) {
    Daemon d(R"(  app:
    command: [sleep, "1000"]
    autostart: false
    depends_on: [db]
  db:
    command: [sleep, "1000"]
    autostart: false
)");
    EXPECT_EQ(d.status("db")["state"], "stopped");
    auto r = d.vjctl({"start", "app"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(d.status("db")["state"], "running");
    EXPECT_EQ(d.status("app")["state"], "running");
}

TEST(DependsOn, ShutdownStopsDependentsFirst) {
    TempDir scratch;
    const auto order = (scratch / "order").string();
    auto svc = [&](const std::string& name, const std::string& deps) {
        // The TERM trap must be in place before the test sends TERM: the service says so with a file.
        return "  " + name + ":\n    command: \"trap 'echo " + name + " >> " + order + "; exit 0' TERM; touch " +
               (scratch / name).string() + "; while :; do sleep 0.02; done\"\n" +
               (deps.empty() ? "" : "    depends_on: [" + deps + "]\n");
    };
    Daemon d(svc("front", "mid") + svc("mid", "base") + svc("base", ""));
    ASSERT_TRUE(d.wait_state("front", {"running"}));
    for (const auto* n : {"front", "mid", "base"})
        ASSERT_TRUE(eventually([&] { return std::filesystem::exists(scratch / n); }, 5s)) << n;
    auto status = d.terminate();
    ASSERT_TRUE(status.has_value());
    EXPECT_TRUE(WIFEXITED(*status) && WEXITSTATUS(*status) == 0);
    EXPECT_EQ(read_file(order), "front\nmid\nbase\n");
}

}  // namespace
}  // namespace vj::test
