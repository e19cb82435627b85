// Tests the daemon commands against a fake transport: the requests sent, the output, the exit status.
#include <sstream>

#include <gtest/gtest.h>

#include "commands.hpp"
#include "exit_code.hpp"

namespace vj::vjctl {
namespace {

using nlohmann::json;
using std::chrono::milliseconds;

/// Answers requests from a script and records what was sent.
struct FakeDaemon {
    struct Sent {
        control::Request request;
        milliseconds read_timeout;
    };
    explicit FakeDaemon(std::vector<CallResult> scripted) : replies(std::move(scripted)) {}

    std::vector<CallResult> replies;  ///< given in order
    std::vector<Sent> sent;

    Transport transport() {
        return [this](const control::Request& request, milliseconds read_timeout) -> CallResult {
            sent.push_back({request, read_timeout});
            if (sent.size() > replies.size()) {
                ADD_FAILURE() << "unexpected request " << control::encode(request);
                return ClientError{"no more replies"};
            }
            return replies[sent.size() - 1];
        };
    }
};

CallResult ok(json result) { return control::Reply{1, std::move(result)}; }
CallResult error(std::string code, std::string message) {
    return control::Reply{1, control::Error{std::move(code), std::move(message)}};
}

struct Run {
    int status;
    std::string out;
    std::string err;
};

Run run(const Invocation& inv, FakeDaemon& daemon, RenderOptions render = {}) {
    std::ostringstream out;
    std::ostringstream err;
    const int status = run_daemon_command(inv, daemon.transport(), render, out, err);
    return {status, out.str(), err.str()};
}

Invocation command(Command c, std::vector<std::string> names = {}) {
    Invocation inv;
    inv.command = c;
    inv.names = std::move(names);
    return inv;
}

json status_object(std::string name, std::string state, std::string health = "unknown") {
    return {{"name", name}, {"service", name},       {"state", state},  {"goal", "up"},
            {"health", health}, {"pid", 10},         {"uptime_s", 5},   {"since_s", 5},
            {"restarts", 0},    {"reason", "started"}, {"message", ""}};
}

TEST(StatusCommand, SendsPatternsAndPrintsPlainLines) {
    FakeDaemon daemon{{ok({{"services", {status_object("web", "running")}}, {"jobs", json::array()}})}};
    const auto r = run(command(Command::status, {"web*"}), daemon);
    EXPECT_EQ(r.status, exit_code::ok);
    EXPECT_EQ(r.out, "web running unknown 10 5s 0 started\t-\n");
    EXPECT_EQ(r.err, "");
    ASSERT_EQ(daemon.sent.size(), 1u);
    EXPECT_EQ(daemon.sent[0].request, (control::Request{1, "status", {{"names", {"web*"}}}}));
    EXPECT_EQ(daemon.sent[0].read_timeout, quick_reply_timeout);
}

TEST(StatusCommand, PlainLineEndsWithTheMessageAfterATab) {
    auto web = status_object("web", "running", "degraded");
    web["message"] = "quiet for 40s";
    FakeDaemon daemon{{ok({{"services", {web}}})}};
    const auto r = run(command(Command::status), daemon);
    EXPECT_EQ(r.status, exit_code::ok);  // degraded is not unhealthy
    EXPECT_EQ(r.out, "web running degraded 10 5s 0 started\tquiet for 40s\n");
}

TEST(StatusCommand, TableOnATerminalCutsTheMessageToTheWidth) {
    auto web = status_object("web", "running", "healthy");
    web["message"] = "HTTP 200 in 3ms";
    FakeDaemon daemon{{ok({{"services", {web}}})}};
    const auto r = run(command(Command::status), daemon, {.tty = true, .colour = false, .width = 66});
    EXPECT_EQ(r.out,
              "NAME  STATE    HEALTH   PID  UPTIME  RESTARTS  REASON   MESSAGE\n"
              "web   running  healthy  10   5s      0         started  HTTP 200 \xe2\x80\xa6\n");
}

TEST(StatusCommand, ExitsFourWhenOneIsUnhealthy) {
    FakeDaemon daemon{{ok({{"services", {status_object("web", "running", "unhealthy")}}})}};
    EXPECT_EQ(run(command(Command::status), daemon).status, exit_code::not_running);
}

TEST(StatusCommand, ExitsFourWhenOneIsNotRunning) {
    FakeDaemon daemon{{ok({{"services", {status_object("web", "running"), status_object("db", "exited")}}})}};
    EXPECT_EQ(run(command(Command::status), daemon).status, exit_code::not_running);
}

TEST(StatusCommand, JsonPrintsTheResultAndKeepsTheExitStatus) {
    const json result{{"services", {status_object("db", "failed")}}, {"jobs", json::array()}};
    FakeDaemon daemon{{ok(result)}};
    auto inv = command(Command::status);
    inv.global.json = true;
    const auto r = run(inv, daemon);
    EXPECT_EQ(r.status, exit_code::not_running);
    EXPECT_EQ(json::parse(r.out), result);
    EXPECT_EQ(r.out.back(), '\n');
}

TEST(StatusCommand, NamesOnlyExitsZero) {
    FakeDaemon daemon{{ok({{"services", {status_object("db", "failed")}}})}};
    auto inv = command(Command::status);
    inv.names_only = true;
    const auto r = run(inv, daemon);
    EXPECT_EQ(r.status, exit_code::ok);
    EXPECT_EQ(r.out, "db\n");
}

TEST(StatusCommand, ErrorReplyExitsOne) {
    FakeDaemon daemon{{error("no_such_service", "nope: no such service")}};
    const auto r = run(command(Command::status, {"nope"}), daemon);
    EXPECT_EQ(r.status, exit_code::failed);
    EXPECT_EQ(r.out, "");
    EXPECT_EQ(r.err, "vjctl: error: nope: no such service\n");
}

TEST(StatusCommand, UnreachableExitsThree) {
    FakeDaemon daemon{{ClientError{"cannot connect to /x.sock: No such file or directory (is supervisord running?)"}}};
    const auto r = run(command(Command::status), daemon);
    EXPECT_EQ(r.status, exit_code::unreachable);
    EXPECT_EQ(r.err, "vjctl: error: cannot connect to /x.sock: No such file or directory (is supervisord running?)\n");
}

TEST(StatusCommand, RefusedByPeerCredentialsExitsThree) {
    FakeDaemon daemon{{control::Reply{0, control::Error{"permission_denied", "uid 1000 may not use this socket"}}}};
    const auto r = run(command(Command::status), daemon);
    EXPECT_EQ(r.status, exit_code::unreachable);
    EXPECT_EQ(r.err, "vjctl: error: uid 1000 may not use this socket\n");
}

TEST(StartCommand, WaitsUntilRunning) {
    FakeDaemon daemon{{ok({{"services", {"web:0", "web:1"}}}),
                       ok({{"services", {status_object("web:0", "running"), status_object("web:1", "running")}}})}};
    auto inv = command(Command::start, {"web"});
    inv.global.timeout = milliseconds(2'000);
    const auto r = run(inv, daemon);
    EXPECT_EQ(r.status, exit_code::ok);
    EXPECT_EQ(r.out, "web:0: running\nweb:1: running\n");
    ASSERT_EQ(daemon.sent.size(), 2u);
    EXPECT_EQ(daemon.sent[0].request, (control::Request{1, "start", {{"names", {"web"}}}}));
    EXPECT_EQ(daemon.sent[1].request.cmd, "wait");
    EXPECT_EQ(daemon.sent[1].request.args, json::parse(R"({"names":["web:0","web:1"],"states":["running"],
        "fail_states":["backoff","failed","exited"],"timeout_ms":2000})"));
    EXPECT_EQ(daemon.sent[1].read_timeout, milliseconds(2'000) + reply_slack);
}

TEST(StartCommand, FailedWaitExitsOneNamingTheInstance) {
    FakeDaemon daemon{{ok({{"services", {"web"}}}), error("failed", "web: backoff (exited with status 1)")}};
    const auto r = run(command(Command::start, {"web"}), daemon);
    EXPECT_EQ(r.status, exit_code::failed);
    EXPECT_EQ(r.err, "vjctl: error: web: backoff (exited with status 1)\n");
}

TEST(StartCommand, TimeoutExitsOne) {
    FakeDaemon daemon{{ok({{"services", {"web"}}}), error("timeout", "web: still starting after 30s")}};
    EXPECT_EQ(run(command(Command::start, {"web"}), daemon).status, exit_code::failed);
}

TEST(StartCommand, NoWaitSendsOneRequest) {
    FakeDaemon daemon{{ok({{"services", {"web"}}})}};
    auto inv = command(Command::start, {"web"});
    inv.no_wait = true;
    const auto r = run(inv, daemon);
    EXPECT_EQ(r.status, exit_code::ok);
    EXPECT_EQ(r.out, "web: start requested\n");
    EXPECT_EQ(daemon.sent.size(), 1u);
}

TEST(StartCommand, JsonPrintsTheStartResult) {
    FakeDaemon daemon{{ok({{"services", {"web"}}}), ok({{"services", {status_object("web", "running")}}})}};
    auto inv = command(Command::start, {"web"});
    inv.global.json = true;
    const auto r = run(inv, daemon);
    EXPECT_EQ(r.out, "{\"services\":[\"web\"]}\n");
}

TEST(StopCommand, WaitsUntilDownWithNoFailStates) {
    FakeDaemon daemon{{ok({{"services", {"web"}}}), ok({{"services", {status_object("web", "stopped")}}})}};
    const auto r = run(command(Command::stop, {"all"}), daemon);
    EXPECT_EQ(r.status, exit_code::ok);
    EXPECT_EQ(r.out, "web: stopped\n");
    EXPECT_EQ(daemon.sent[0].request.cmd, "stop");
    EXPECT_EQ(daemon.sent[0].request.args, json::parse(R"({"names":["all"]})"));
    EXPECT_EQ(daemon.sent[1].request.args, json::parse(R"({"names":["web"],"states":["stopped","exited","failed"],
        "fail_states":[],"timeout_ms":30000})"));
}

TEST(RestartCommand, WaitsUntilRunning) {
    FakeDaemon daemon{{ok({{"services", {"web"}}}), ok({{"services", {status_object("web", "running")}}})}};
    const auto r = run(command(Command::restart, {"web"}), daemon);
    EXPECT_EQ(daemon.sent[0].request.cmd, "restart");
    EXPECT_EQ(daemon.sent[1].request.args["states"], json({"running"}));
    EXPECT_EQ(r.status, exit_code::ok);
}

TEST(StartCommand, NothingAffectedMeansNothingToWaitFor) {
    FakeDaemon daemon{{ok({{"services", json::array()}})}};
    const auto r = run(command(Command::start, {"all"}), daemon);
    EXPECT_EQ(r.status, exit_code::ok);
    EXPECT_EQ(daemon.sent.size(), 1u);
}

TEST(WaitCommand, FailStatesExcludeTheAwaitedOnes) {
    auto inv = command(Command::wait, {"job*"});
    inv.states = {"exited", "stopped"};
    inv.health = "healthy";
    inv.wait_timeout = milliseconds(1'500);
    EXPECT_EQ(wait_args_for(inv), json::parse(R"({"names":["job*"],"states":["exited","stopped"],
        "fail_states":["backoff","failed"],"health":"healthy","timeout_ms":1500})"));
}

TEST(WaitCommand, UsesTheGlobalTimeoutAndPrintsStates) {
    FakeDaemon daemon{{ok({{"services", {status_object("web", "running", "healthy")}}})}};
    auto inv = command(Command::wait, {"web"});
    inv.states = {"running"};
    inv.health = "healthy";
    inv.global.timeout = milliseconds(7'000);
    const auto r = run(inv, daemon);
    EXPECT_EQ(r.status, exit_code::ok);
    EXPECT_EQ(r.out, "web: running, healthy\n");
    EXPECT_EQ(daemon.sent[0].request.args["timeout_ms"], 7000);
    EXPECT_EQ(daemon.sent[0].request.args["fail_states"], json({"backoff", "failed", "exited"}));
    EXPECT_EQ(daemon.sent[0].read_timeout, milliseconds(12'000));
}

TEST(WaitCommand, TimeoutExitsOne) {
    FakeDaemon daemon{{error("timeout", "web: state starting, not running")}};
    auto inv = command(Command::wait, {"web"});
    inv.states = {"running"};
    const auto r = run(inv, daemon);
    EXPECT_EQ(r.status, exit_code::failed);
    EXPECT_EQ(r.err, "vjctl: error: web: state starting, not running\n");
}

/// A `health` result: one instance "web" with a probe per verdict, named after it.
json health_result(const std::vector<std::string>& verdicts) {
    json probes = json::array();
    for (const auto& verdict : verdicts) {
        probes.push_back(json{{"name", verdict + "_probe"},
                              {"type", "exec"},
                              {"verdict", verdict},
                              {"took_ms", 1.2},
                              {"message", "said " + verdict}});
    }
    json web{{"name", "web"}, {"state", "running"}, {"health", verdicts.empty() ? "unknown" : verdicts.back()}};
    web["probes"] = std::move(probes);
    json result = json::object();
    result["services"] = json::array({web});
    return result;
}

TEST(HealthCommand, SendsThePatternsAndWaitsLong) {
    FakeDaemon daemon{{ok(health_result({"healthy"}))}};
    const auto r = run(command(Command::health, {"web", "api:*"}), daemon);
    ASSERT_EQ(daemon.sent.size(), 1u);
    EXPECT_EQ(daemon.sent[0].request, (control::Request{1, "health", {{"names", {"web", "api:*"}}}}));
    // Probes are bounded only by their own timeouts: vjctl waits far longer than for a quick reply.
    EXPECT_EQ(daemon.sent[0].read_timeout, health_reply_timeout);
    EXPECT_GE(health_reply_timeout, std::chrono::minutes(10));
    EXPECT_EQ(r.err, "");
}

TEST(HealthCommand, AllHealthyExitsZero) {
    FakeDaemon daemon{{ok(health_result({"healthy", "healthy"}))}};
    const auto r = run(command(Command::health, {"web"}), daemon);
    EXPECT_EQ(r.status, exit_code::ok);
    EXPECT_EQ(r.out,
              "web  running  healthy\n"
              "  healthy  healthy_probe  1.2ms  said healthy\n"
              "  healthy  healthy_probe  1.2ms  said healthy\n");
}

TEST(HealthCommand, DegradedExitsFour) {
    FakeDaemon daemon{{ok(health_result({"healthy", "degraded"}))}};
    const auto r = run(command(Command::health, {"web"}), daemon);
    EXPECT_EQ(r.status, exit_code::not_running);
    EXPECT_EQ(r.out,
              "web  running  degraded\n"
              "  healthy   healthy_probe   1.2ms  said healthy\n"
              "  degraded  degraded_probe  1.2ms  said degraded\n");
}

TEST(HealthCommand, UnhealthyExitsFour) {
    FakeDaemon daemon{{ok(health_result({"unhealthy", "healthy"}))}};
    EXPECT_EQ(run(command(Command::health, {"web"}), daemon).status, exit_code::not_running);
}

TEST(HealthCommand, ColoursOnATerminal) {
    FakeDaemon daemon{{ok(health_result({"unhealthy"}))}};
    const auto r = run(command(Command::health, {"web"}), daemon, {.tty = true, .colour = true});
    EXPECT_EQ(r.out,
              "web  \x1b[32mrunning\x1b[0m  \x1b[31munhealthy\x1b[0m\n"
              "  \x1b[31munhealthy\x1b[0m  unhealthy_probe  1.2ms  said unhealthy\n");
}

TEST(HealthCommand, JsonPrintsTheResultAndKeepsTheExitStatus) {
    const auto result = health_result({"degraded"});
    FakeDaemon daemon{{ok(result)}};
    auto inv = command(Command::health, {"web"});
    inv.global.json = true;
    const auto r = run(inv, daemon);
    EXPECT_EQ(r.status, exit_code::not_running);
    EXPECT_EQ(json::parse(r.out), result);
    EXPECT_EQ(r.out.back(), '\n');
}

TEST(HealthCommand, ErrorReplyExitsOne) {
    FakeDaemon daemon{{error("no_such_service", "nope: no such service")}};
    const auto r = run(command(Command::health, {"nope"}), daemon);
    EXPECT_EQ(r.status, exit_code::failed);
    EXPECT_EQ(r.out, "");
    EXPECT_EQ(r.err, "vjctl: error: nope: no such service\n");
}

TEST(HealthCommand, UnreachableExitsThree) {
    FakeDaemon daemon{{ClientError{"no reply from /x.sock within 10m"}}};
    const auto r = run(command(Command::health, {"web"}), daemon);
    EXPECT_EQ(r.status, exit_code::unreachable);
    EXPECT_EQ(r.err, "vjctl: error: no reply from /x.sock within 10m\n");
}

TEST(SignalCommand, SendsTheSignalAsTyped) {
    FakeDaemon daemon{{ok({{"services", {"web:0"}}})}};
    auto inv = command(Command::signal, {"web"});
    inv.signal = "HUP";
    const auto r = run(inv, daemon);
    EXPECT_EQ(r.status, exit_code::ok);
    EXPECT_EQ(r.out, "web:0: sent HUP\n");
    EXPECT_EQ(daemon.sent[0].request, (control::Request{1, "signal", {{"signal", "HUP"}, {"names", {"web"}}}}));
}

TEST(ShutdownCommand, SendsShutdown) {
    FakeDaemon daemon{{ok(json::object())}};
    const auto r = run(command(Command::shutdown), daemon);
    EXPECT_EQ(r.status, exit_code::ok);
    EXPECT_EQ(r.out, "supervisord: shutting down\n");
    EXPECT_EQ(daemon.sent[0].request, (control::Request{1, "shutdown", json::object()}));
}

TEST(ShutdownCommand, JsonPrintsTheEmptyResult) {
    FakeDaemon daemon{{ok(json::object())}};
    auto inv = command(Command::shutdown);
    inv.global.json = true;
    EXPECT_EQ(run(inv, daemon).out, "{}\n");
}

}  // namespace
}  // namespace vj::vjctl
