// Tests vjctl's pure rendering: status table and plain lines, colours, uptime, names, exit status.
#include <cmath>
#include <limits>

#include <gtest/gtest.h>

#include "exit_code.hpp"
#include "render.hpp"

namespace vj::vjctl {
namespace {

using nlohmann::json;

const json two_services = json::parse(R"({"services":[
  {"name":"web:0","service":"web","state":"running","goal":"up","health":"healthy","pid":1234,
   "uptime_s":192.7,"since_s":192.7,"restarts":0,"reason":"started","message":""},
  {"name":"worker","service":"worker","state":"backoff","goal":"up","health":"unknown","pid":null,
   "uptime_s":null,"since_s":3,"restarts":12,"reason":"exited with status 1","message":""}
],"jobs":[]})");

TEST(RenderStatus, TableOnATerminal) {
    EXPECT_EQ(render_status(two_services, {.tty = true, .colour = false}),
              "NAME    STATE    HEALTH   PID   UPTIME  RESTARTS  REASON\n"
              "web:0   running  healthy  1234  3m12s   0         started\n"
              "worker  backoff  unknown  -     -       12        exited with status 1\n");
}

TEST(RenderStatus, TableWithColourPadsOnTheVisibleWidth) {
    EXPECT_EQ(render_status(two_services, {.tty = true, .colour = true}),
              "NAME    STATE    HEALTH   PID   UPTIME  RESTARTS  REASON\n"
              "web:0   \x1b[32mrunning\x1b[0m  healthy  1234  3m12s   0         started\n"
              "worker  \x1b[33mbackoff\x1b[0m  unknown  -     -       12        exited with status 1\n");
}

TEST(RenderStatus, StateColours) {
    const auto state_cell = [](const char* state) {
        const json result{{"services", {{{"name", "a"}, {"state", state}}}}};
        const auto text = render_status(result, {.tty = true, .colour = true});
        return text.substr(text.find('\n') + 1);
    };
    EXPECT_NE(state_cell("running").find("\x1b[32mrunning\x1b[0m"), std::string::npos);
    EXPECT_NE(state_cell("starting").find("\x1b[33mstarting\x1b[0m"), std::string::npos);
    EXPECT_NE(state_cell("stopping").find("\x1b[33mstopping\x1b[0m"), std::string::npos);
    EXPECT_NE(state_cell("backoff").find("\x1b[33mbackoff\x1b[0m"), std::string::npos);
    EXPECT_NE(state_cell("failed").find("\x1b[31mfailed\x1b[0m"), std::string::npos);
    EXPECT_EQ(state_cell("stopped").find('\x1b'), std::string::npos);
    EXPECT_EQ(state_cell("exited").find('\x1b'), std::string::npos);
}

TEST(RenderStatus, PlainWhenNotATerminal) {
    EXPECT_EQ(render_status(two_services, {.tty = false, .colour = false}),
              "web:0 running healthy 1234 3m12s 0 started\n"
              "worker backoff unknown - - 12 exited with status 1\n");
}

TEST(RenderStatus, PlainNeverColours) {
    EXPECT_EQ(render_status(two_services, {.tty = false, .colour = true}),
              render_status(two_services, {.tty = false, .colour = false}));
}

TEST(RenderStatus, NoServicesIsJustTheHeaderOrNothing) {
    const json empty{{"services", json::array()}, {"jobs", json::array()}};
    EXPECT_EQ(render_status(empty, {.tty = true, .colour = false}),
              "NAME  STATE  HEALTH  PID  UPTIME  RESTARTS  REASON\n");
    EXPECT_EQ(render_status(empty, {.tty = false, .colour = false}), "");
}

TEST(RenderStatus, MissingAndMistypedFieldsAreDashes) {
    const json odd{{"services",
                    {{{"name", "x"}, {"state", true}, {"pid", {1}}, {"uptime_s", "long"}, {"reason", ""}}, 7}}};
    EXPECT_EQ(render_status(odd, {.tty = false, .colour = false}), "x - - - - - -\n- - - - - - -\n");
    EXPECT_EQ(render_status(json("nonsense"), {.tty = false, .colour = false}), "");
}

TEST(FormatUptime, Units) {
    EXPECT_EQ(format_uptime(0), "0s");
    EXPECT_EQ(format_uptime(0.9), "0s");
    EXPECT_EQ(format_uptime(45), "45s");
    EXPECT_EQ(format_uptime(59.99), "59s");
    EXPECT_EQ(format_uptime(60), "1m00s");
    EXPECT_EQ(format_uptime(192), "3m12s");
    EXPECT_EQ(format_uptime(3599), "59m59s");
    EXPECT_EQ(format_uptime(3600), "1h00m");
    EXPECT_EQ(format_uptime(2 * 3600 + 5 * 60 + 59), "2h05m");
    EXPECT_EQ(format_uptime(86399), "23h59m");
    EXPECT_EQ(format_uptime(86400), "1d00h");
    EXPECT_EQ(format_uptime(3 * 86400 + 4 * 3600 + 1), "3d04h");
    EXPECT_EQ(format_uptime(400 * 86400), "400d00h");
}

TEST(FormatUptime, NonsenseIsADash) {
    EXPECT_EQ(format_uptime(-1), "-");
    EXPECT_EQ(format_uptime(std::nan("")), "-");
    EXPECT_EQ(format_uptime(std::numeric_limits<double>::infinity()), "-");
}

TEST(StatusExitCode, ZeroWhenAllRunningAndNotUnhealthy) {
    const json ok{{"services",
                   {{{"name", "a"}, {"state", "running"}, {"health", "healthy"}},
                    {{"name", "b"}, {"state", "running"}, {"health", "degraded"}},
                    {{"name", "c"}, {"state", "running"}, {"health", "unknown"}}}}};
    EXPECT_EQ(status_exit_code(ok), exit_code::ok);
    EXPECT_EQ(status_exit_code(json{{"services", json::array()}}), exit_code::ok);
}

TEST(StatusExitCode, FourWhenOneIsNotRunning) {
    EXPECT_EQ(status_exit_code(two_services), exit_code::not_running);
    EXPECT_EQ(exit_code::not_running, 4);
}

TEST(StatusExitCode, FourWhenOneIsUnhealthy) {
    const json sick{{"services", {{{"name", "a"}, {"state", "running"}, {"health", "unhealthy"}}}}};
    EXPECT_EQ(status_exit_code(sick), exit_code::not_running);
}

TEST(UseColour, OnlyOnATerminalWithoutNoColor) {
    EXPECT_TRUE(use_colour(true, false, {}));
    EXPECT_TRUE(use_colour(true, false, {{"NO_COLOR", ""}}));
    EXPECT_FALSE(use_colour(true, false, {{"NO_COLOR", "1"}}));
    EXPECT_FALSE(use_colour(true, true, {}));
    EXPECT_FALSE(use_colour(false, false, {}));
}

TEST(RenderNames, ServicesThenInstancesEachOnce) {
    const json result{{"services",
                       {{{"name", "web:0"}, {"service", "web"}},
                        {{"name", "db"}, {"service", "db"}},
                        {{"name", "web:1"}, {"service", "web"}}}}};
    EXPECT_EQ(render_names(result), "web\ndb\nweb:0\nweb:1\n");
}

TEST(RenderJson, OneLine) {
    EXPECT_EQ(render_json(two_services).find('\n'), render_json(two_services).size() - 1);
    EXPECT_EQ(json::parse(render_json(two_services)), two_services);
}

TEST(RenderStates, NameAndState) {
    EXPECT_EQ(render_states(two_services, false), "web:0: running\nworker: backoff\n");
    EXPECT_EQ(render_states(two_services, true), "web:0: running, healthy\nworker: backoff, unknown\n");
}

TEST(RenderAffected, NameAndWhat) {
    EXPECT_EQ(render_affected(json{{"services", {"web:0", "web:1"}}}, "sent HUP"), "web:0: sent HUP\nweb:1: sent HUP\n");
}

}  // namespace
}  // namespace vj::vjctl
