// health: every probe type against real processes, files, sockets and an HTTP server on loopback;
// sd_notify with the real systemd-notify; memory limits; probes that hang never stall the supervisor.
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <fstream>
#include <thread>

#include "integration/harness.hpp"

namespace vj::test {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

/// A TCP server on 127.0.0.1 (a free port) run by the test itself. `respond` answers one connection;
/// it may also hold the connection and never answer.
class LoopbackServer {
public:
    enum class Mode { http_ok, http_503, silent };
    explicit LoopbackServer(Mode mode) : mode_(mode) {
        fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        int one = 1;
        ::setsockopt(fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
        EXPECT_EQ(::bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
        socklen_t len = sizeof a;
        ::getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &len);
        port_ = ntohs(a.sin_port);
        EXPECT_EQ(::listen(fd_, 64), 0);
        thread_ = std::thread([this] { serve(); });
    }
    ~LoopbackServer() { close(); }
    int port() const { return port_; }
    void set_mode(Mode m) { mode_ = m; }
    /// Stops listening: later connections are refused.
    void close() {
        if (fd_ < 0) return;
        stop_ = true;
        ::shutdown(fd_, SHUT_RDWR);
        thread_.join();
        ::close(fd_);
        fd_ = -1;
        for (int c : held_) ::close(c);
        held_.clear();
    }

private:
    void serve() {
        while (!stop_) {
            const int c = ::accept4(fd_, nullptr, nullptr, SOCK_CLOEXEC);
            if (c < 0) return;
            if (mode_ == Mode::silent) {
                held_.push_back(c);  // accepted, never answered
                continue;
            }
            char buf[2048];
            (void)::read(c, buf, sizeof buf);
            const std::string body = mode_ == Mode::http_ok ? "all systems go" : "overloaded";
            const std::string head = mode_ == Mode::http_ok ? "HTTP/1.1 200 OK" : "HTTP/1.1 503 Service Unavailable";
            const std::string reply = head + "\r\nContent-Length: " + std::to_string(body.size()) +
                                      "\r\nConnection: close\r\n\r\n" + body;
            (void)::write(c, reply.data(), reply.size());
            ::close(c);
        }
    }
    std::atomic<Mode> mode_;
    std::atomic<bool> stop_{false};
    int fd_ = -1;
    int port_ = 0;
    std::thread thread_;
    std::vector<int> held_;
};

bool wait_health(Daemon& d, const std::string& name, const std::string& health, std::chrono::seconds timeout = 10s) {
    auto r = d.vjctl({"wait", "--state", "running", "--health", health, "--timeout",
                      std::to_string(timeout.count()) + "s", name});
    return r.exit_code == 0;
}

TEST(Health, ServiceWithoutProbesIsHealthyWhileRunning) {
    Daemon d("  plain:\n    command: [sleep, \"30\"]\n");
    ASSERT_TRUE(wait_health(d, "plain", "healthy")) << d.log();
}

TEST(Health, HeartbeatFreshThenStaleRestartsTheService) {
    // Touches its heartbeat for a while, then stops: stale after max_age, unhealthy after 2 failures.
    Daemon d(R"(  beater:
    command: "for i in 1 2 3 4 5 6; do touch hb; sleep 0.1; done; sleep 30"
    cwd: .
    restart: { backoff: { initial: 5s, jitter: 0 } }
    health:
      - { type: heartbeat, path: hb, max_age: 400ms, interval: 150ms, failures: 2 }
)");
    ASSERT_TRUE(wait_health(d, "beater", "healthy")) << d.log();
    ASSERT_TRUE(d.wait_state("beater", {"backoff"}, 10s)) << d.log();
    const auto st = d.status("beater");
    EXPECT_EQ(st["restarts"], 1);
    const std::string reason = st["reason"];
    EXPECT_NE(reason.find("unhealthy: probe heartbeat: heartbeat "), std::string::npos) << reason;
    EXPECT_NE(reason.find("(max 400ms)"), std::string::npos) << reason;
    EXPECT_NE(reason.find("restarting in 5s"), std::string::npos) << reason;
}

TEST(Health, CommandProbeHonoursFailuresAndSuccesses) {
    Daemon d(R"(  svc:
    command: [sleep, "60"]
    cwd: .
    on_unhealthy: alert
    health:
      - { type: command, command: "test -f ok && echo fine || { echo missing ok; exit 1; }", interval: 100ms, failures: 3, successes: 2 }
)");
    ASSERT_TRUE(wait_health(d, "svc", "unhealthy")) << d.log();
    EXPECT_EQ(d.status("svc")["message"], "command: missing ok");
    EXPECT_EQ(d.status("svc")["state"], "running");  // alert only
    EXPECT_NE(d.log().find("svc: alert (warning): unhealthy: probe command: missing ok"), std::string::npos)
        << d.log();
    { std::ofstream(d.file("ok")) << "1"; }
    ASSERT_TRUE(wait_health(d, "svc", "healthy")) << d.log();
    EXPECT_EQ(d.status("svc")["message"], "command: fine");
    // successes: 2 — the log shows it turned healthy only after the second success.
    EXPECT_NE(d.log().find("svc: health unhealthy -> healthy"), std::string::npos) << d.log();
}

TEST(Health, GraceHoldsVerdictsBack) {
    Daemon d(R"(  slow:
    command: [sleep, "60"]
    on_unhealthy: alert
    health:
      - { type: command, command: "exit 1", interval: 100ms, failures: 1, grace: 1500ms }
)");
    ASSERT_TRUE(d.wait_state("slow", {"running"})) << d.log();
    std::this_thread::sleep_for(800ms);  // inside the grace: no verdict may have been given yet
    const auto st = d.status("slow");
    EXPECT_EQ(st["health"], "unknown") << st.dump();
    EXPECT_EQ(st["probes"][1]["verdict"], nullptr) << st.dump();
    ASSERT_TRUE(wait_health(d, "slow", "unhealthy")) << d.log();
}

TEST(Health, TcpProbeConnectsThenIsRefused) {
    LoopbackServer server(LoopbackServer::Mode::http_ok);
    Daemon d("  web:\n    command: [sleep, \"60\"]\n    on_unhealthy: alert\n    health:\n"
             "      - { type: tcp, port: " + std::to_string(server.port()) + ", interval: 100ms, failures: 2 }\n");
    ASSERT_TRUE(wait_health(d, "web", "healthy")) << d.log();
    EXPECT_NE(d.status("web")["message"].get<std::string>().find("tcp: connected to 127.0.0.1:"), std::string::npos);
    server.close();
    ASSERT_TRUE(wait_health(d, "web", "unhealthy")) << d.log();
    EXPECT_NE(d.status("web")["message"].get<std::string>().find("Connection refused"), std::string::npos)
        << d.status("web").dump();
}

TEST(Health, HttpProbe2xxIsHealthyAnd503Restarts) {
    LoopbackServer server(LoopbackServer::Mode::http_ok);
    const std::string url = "http://127.0.0.1:" + std::to_string(server.port()) + "/health";
    Daemon d("  api:\n    command: [sleep, \"60\"]\n    restart: { backoff: { initial: 10s, jitter: 0 } }\n"
             "    health:\n      - { type: http, url: \"" + url + "\", interval: 100ms, failures: 2 }\n");
    ASSERT_TRUE(wait_health(d, "api", "healthy")) << d.log();
    EXPECT_EQ(d.status("api")["message"], "http: HTTP 200: all systems go");
    server.set_mode(LoopbackServer::Mode::http_503);
    ASSERT_TRUE(d.wait_state("api", {"backoff"}, 10s)) << d.log();
    const std::string reason = d.status("api")["reason"];
    EXPECT_NE(reason.find("unhealthy: probe http: HTTP 503: overloaded"), std::string::npos) << reason;
}

TEST(Health, LuaProbeVerdictsAndMessages) {
    TempDir scripts;
    const auto status = scripts / "status.json";
    { std::ofstream(scripts / "levels.lua") << R"(return function(ctx)
  local f, err = vj.read_file(ctx.args.path)
  if not f then return "unhealthy", err end
  local s = vj.json_decode(f)
  if s.level < ctx.args.min then
    return "degraded", string.format("level %.1f below %.1f", s.level, ctx.args.min)
  end
  return true, "level ok for " .. ctx.service
end
)"; }
    { std::ofstream(status) << R"({"level": 0.5})"; }
    Daemon d("  audio:\n    command: [sleep, \"60\"]\n    on_unhealthy: alert\n    health:\n"
             "      - { type: lua, script: " + (scripts / "levels.lua").string() +
             ", interval: 100ms, failures: 2, args: { path: " + status.string() + ", min: 0.2 } }\n");
    ASSERT_TRUE(wait_health(d, "audio", "healthy")) << d.log();
    EXPECT_EQ(d.status("audio")["message"], "lua:levels: level ok for audio");
    { std::ofstream(status) << R"({"level": 0.1})"; }
    ASSERT_TRUE(wait_health(d, "audio", "degraded")) << d.log();
    EXPECT_EQ(d.status("audio")["message"], "lua:levels: level 0.1 below 0.2");
    std::filesystem::remove(status);
    ASSERT_TRUE(wait_health(d, "audio", "unhealthy")) << d.log();
}

TEST(Health, BadLuaScriptsAreFailedProbesAndTheSupervisorStaysUp) {
    TempDir scripts;
    { std::ofstream(scripts / "exec.lua") << "return function() os.execute('touch /tmp/pwned') return true end\n"; }
    { std::ofstream(scripts / "loop.lua") << "return function() while true do end end\n"; }
    { std::ofstream(scripts / "syntax.lua") << "return function(\n  retrun true\nend\n"; }
    auto probe = [&](const std::string& file) {
        return "      - { type: lua, script: " + (scripts / file).string() +
               ", interval: 200ms, timeout: 300ms, failures: 1 }\n";
    };
    Daemon d("  bad:\n    command: [sleep, \"60\"]\n    on_unhealthy: alert\n    health:\n" + probe("exec.lua") +
             probe("loop.lua") + probe("syntax.lua"));
    ASSERT_TRUE(wait_health(d, "bad", "unhealthy")) << d.log();
    const auto r = d.vjctl({"health", "--json", "bad"});
    EXPECT_EQ(r.exit_code, 4) << r.out << r.err;
    const auto j = json::parse(r.out);
    const auto& probes = j["services"][0]["probes"];
    ASSERT_EQ(probes.size(), 4u) << r.out;
    for (std::size_t i = 1; i < 4; ++i) EXPECT_EQ(probes[i]["verdict"], "unhealthy") << probes[i].dump();
    EXPECT_NE(probes[2]["message"].get<std::string>().find("time budget"), std::string::npos) << probes[2].dump();
    EXPECT_NE(probes[3]["message"].get<std::string>().find("syntax.lua:2"), std::string::npos) << probes[3].dump();
    EXPECT_EQ(d.request("ping")["ok"], true);
}

TEST(Health, SigstopMakesThePidProbeUnhealthyAndTheRestartWorks) {
    Daemon d(R"(  sleeper:
    command: [sleep, "60"]
    stop: { timeout: 2s }
    restart: { backoff: { initial: 100ms, jitter: 0 } }
)");
    ASSERT_TRUE(wait_health(d, "sleeper", "healthy")) << d.log();
    const int pid = d.status("sleeper")["pid"];
    ::kill(pid, SIGSTOP);
    ASSERT_TRUE(eventually([&] { return d.status("sleeper")["restarts"] == 1; }, 10s)) << d.log();
    EXPECT_NE(d.log().find("unhealthy: pid: stopped by signal STOP, restarting"), std::string::npos) << d.log();
    // TERM was followed by CONT, so the stopped process ended at once rather than after the KILL timeout.
    EXPECT_EQ(d.log().find("stop timeout"), std::string::npos) << d.log();
    // Back after its 100ms backoff (vjctl wait would give up on seeing backoff), healthy, a new process.
    ASSERT_TRUE(eventually(
        [&] {
            const auto st = d.status("sleeper");
            return st["health"] == "healthy" && st["pid"].is_number() && st["pid"] != pid;
        },
        10s))
        << d.log();
}

TEST(Health, MemoryLimitRestartsWithTheReason) {
    // bash holds ~40 MB in a variable; the limit is 16 MiB.
    Daemon d(R"(  hog:
    command: "x=$$(head -c 40000000 /dev/zero | tr '\\0' a); sleep 60"
    limits: { memory: 16MiB, memory_interval: 200ms }
    restart: { backoff: { initial: 10s, jitter: 0 } }
)");
    ASSERT_TRUE(d.wait_state("hog", {"backoff"}, 20s)) << d.log();
    const std::string reason = d.status("hog")["reason"];
    EXPECT_NE(reason.find("unhealthy: memory "), std::string::npos) << reason;
    EXPECT_NE(reason.find(" over the limit of 16.0 MiB"), std::string::npos) << reason;
}

bool have_systemd_notify() { return ::access("/usr/bin/systemd-notify", X_OK) == 0; }

TEST(Notify, SystemdNotifyReadyAndStatusEndToEnd) {
    if (!have_systemd_notify()) GTEST_SKIP() << "systemd-notify is not installed";
    Daemon d(R"(  notifier:
    command: "systemd-notify --status='warming up'; sleep 0.5; systemd-notify --ready --status='serving 3 clients'; sleep 60"
    ready: { notify: true }
)");
    ASSERT_TRUE(d.wait_state("notifier", {"starting"})) << d.log();
    ASSERT_TRUE(d.wait_state("notifier", {"running"}, 10s)) << d.log();
    const auto st = d.status("notifier");
    EXPECT_EQ(st["reason"], "ready (READY=1)");
    EXPECT_EQ(st["message"], "serving 3 clients");
    EXPECT_TRUE(std::filesystem::exists(d.file("state/notify/notifier.sock")));
}

TEST(Notify, MissedWatchdogTurnsItUnhealthyAndRestartsIt) {
    if (!have_systemd_notify()) GTEST_SKIP() << "systemd-notify is not installed";
    // Pings every 100ms for a while (WATCHDOG_USEC tells the period), then stops pinging.
    Daemon d(R"(  dog:
    command: "test \"$$WATCHDOG_USEC\" = 500000 || exit 9; systemd-notify --ready; for i in 1 2 3 4 5 6 7 8 9 10; do systemd-notify WATCHDOG=1; sleep 0.1; done; sleep 60"
    ready: { notify: true, watchdog: 500ms }
    restart: { backoff: { initial: 10s, jitter: 0 } }
)");
    ASSERT_TRUE(wait_health(d, "dog", "healthy")) << d.log();
    ASSERT_TRUE(d.wait_state("dog", {"backoff"}, 10s)) << d.log();
    const std::string reason = d.status("dog")["reason"];
    EXPECT_NE(reason.find("unhealthy: watchdog: no WATCHDOG=1 for 500ms"), std::string::npos) << reason;
}

TEST(Notify, MainPidMovesTheInstanceToItsGroupsOtherProcess) {
    if (!have_systemd_notify()) GTEST_SKIP() << "systemd-notify is not installed";
    // A forking daemon: the shell starts the real server, names it, says READY and exits.
    // MAINPID=1 first: not of its group, so it is refused and the instance is unharmed.
    Daemon d(R"(  forker:
    command: "sleep 60 & systemd-notify MAINPID=1; systemd-notify --ready MAINPID=$$!; sleep 0.5"
    ready: { notify: true }
)");
    ASSERT_TRUE(d.wait_state("forker", {"running"}, 10s)) << d.log();
    // The shell exits after 0.5 s; the instance stays running on the sleep it named.
    std::this_thread::sleep_for(1s);
    const auto st = d.status("forker");
    EXPECT_EQ(st["state"], "running") << d.log();
    const int pid = st["pid"];
    EXPECT_NE(read_file("/proc/" + std::to_string(pid) + "/cmdline").find("sleep"), std::string::npos);
    EXPECT_NE(d.log().find("MAINPID=1 ignored: not a process of its group"), std::string::npos) << d.log();
    // The named process is now the one whose exit counts.
    ::kill(pid, SIGKILL);
    ASSERT_TRUE(eventually([&] { return d.status("forker")["restarts"] == 1; }, 10s)) << d.log();
}

TEST(Notify, NotReadyInTimeIsAFailedStart) {
    Daemon d(R"(  mute:
    command: [sleep, "60"]
    ready: { notify: true, timeout: 300ms }
    restart: { backoff: { initial: 10s, jitter: 0 } }
)");
    ASSERT_TRUE(d.wait_state("mute", {"starting"})) << d.log();
    ASSERT_TRUE(eventually([&] { return d.status("mute")["state"] == "backoff"; }, 10s)) << d.log();
    const auto st = d.status("mute");
    EXPECT_EQ(st["reason"], "not ready after 300ms (killed by signal TERM), restarting in 10s");
    EXPECT_EQ(st["restarts"], 1);
}

TEST(NeverStall, HangingProbesDoNotDelayControlRequestsOrOtherServices) {
    LoopbackServer silent(LoopbackServer::Mode::silent);
    TempDir scripts;
    { std::ofstream(scripts / "spin.lua") << "return function() while true do end end\n"; }
    { std::ofstream(scripts / "co.lua") << "return function() local c = coroutine.wrap(function() while true do end end) c() end\n"; }
    const std::string hangs =
        "    on_unhealthy: alert\n    health:\n"
        "      - { type: command, command: [sleep, \"30\"], interval: 100ms, timeout: 2s }\n"
        "      - { type: http, url: \"http://127.0.0.1:" + std::to_string(silent.port()) +
        "/\", interval: 100ms, timeout: 2s }\n"
        "      - { type: lua, script: " + (scripts / "spin.lua").string() + ", interval: 100ms, timeout: 2s }\n"
        "      - { type: lua, script: " + (scripts / "co.lua").string() + ", interval: 100ms, timeout: 2s }\n";
    { std::ofstream(scripts / "calm.lua") << "return function() return true, 'calm' end\n"; }
    Daemon d("  stuck1:\n    command: [sleep, \"60\"]\n" + hangs + "  stuck2:\n    command: [sleep, \"60\"]\n" +
             hangs + "  calm:\n    command: [sleep, \"60\"]\n    health:\n      - { type: lua, script: " +
             (scripts / "calm.lua").string() + ", interval: 100ms }\n" + R"(  crasher:
    command: "sleep 0.2; exit 1"
    restart: { backoff: { initial: 100ms, factor: 1, jitter: 0 }, limit: { attempts: 1000 } }
)");
    ASSERT_TRUE(d.wait_state("stuck1", {"running"})) << d.log();
    // While every probe of stuck1/2 hangs for 2 s at a time, control requests answer promptly...
    std::chrono::nanoseconds worst{0};
    double stalest_calm = 0;  // seconds since calm's Lua probe last ran, worst seen
    const auto until = std::chrono::steady_clock::now() + 3s;
    while (std::chrono::steady_clock::now() < until) {
        const auto t0 = std::chrono::steady_clock::now();
        const auto reply = d.request("status", {{"names", {"calm"}}});
        worst = std::max(worst, std::chrono::steady_clock::now() - t0);
        ASSERT_EQ(reply["ok"], true) << reply.dump();
        const auto& age = reply["result"]["services"][0]["probes"][1]["age_s"];
        if (age.is_number()) stalest_calm = std::max(stalest_calm, age.get<double>());
        std::this_thread::sleep_for(20ms);
    }
    EXPECT_LT(worst, 500ms) << "a status request took " << std::chrono::duration<double>(worst).count() << " s";
    // ...another service's Lua probe kept its 100ms pace although four scripts loop at a time...
    EXPECT_LT(stalest_calm, 1.0) << "calm's Lua probe was held up behind the looping scripts";
    EXPECT_EQ(d.status("calm")["health"], "healthy");
    // ...the crasher kept restarting (about every 300 ms)...
    EXPECT_GE(d.status("crasher")["restarts"].get<int>(), 5) << d.log();
    // ...and the hanging probes failed at their timeout.
    ASSERT_TRUE(wait_health(d, "stuck1", "unhealthy", 15s)) << d.log();
    const auto st = d.status("stuck1");
    bool timed_out = false;
    for (const auto& p : st["probes"])
        if (p["message"].get<std::string>().find("timed out after 2s") != std::string::npos) timed_out = true;
    EXPECT_TRUE(timed_out) << st.dump();
}

TEST(Health, VjctlHealthRunsEveryProbeNow) {
    LoopbackServer server(LoopbackServer::Mode::http_ok);
    Daemon d("  web:\n    command: [sleep, \"60\"]\n    health:\n"
             "      - { type: tcp, port: " + std::to_string(server.port()) + ", interval: 1h }\n"
             "      - { type: command, command: \"echo pong\", interval: 1h }\n");
    ASSERT_TRUE(d.wait_state("web", {"running"})) << d.log();
    const auto r = d.vjctl({"health", "web"});
    EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
    EXPECT_NE(r.out.find("healthy"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("pong"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("connected to 127.0.0.1:"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("pid"), std::string::npos) << r.out;
}

}  // namespace
}  // namespace vj::test
