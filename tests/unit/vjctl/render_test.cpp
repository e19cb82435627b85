// Tests vjctl's pure rendering: status table and plain lines, health verdicts, colours, uptime,
// names, exit statuses.
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
   "uptime_s":192.7,"since_s":192.7,"restarts":0,"reason":"started","message":"HTTP 200 in 3ms"},
  {"name":"worker","service":"worker","state":"backoff","goal":"up","health":"unknown","pid":null,
   "uptime_s":null,"since_s":3,"restarts":12,"reason":"exited with status 1","message":""}
],"jobs":[]})");

TEST(RenderStatus, TableOnATerminal) {
    EXPECT_EQ(render_status(two_services, {.tty = true, .colour = false}),
              "NAME    STATE    HEALTH   PID   UPTIME  RESTARTS  REASON                MESSAGE\n"
              "web:0   running  healthy  1234  3m12s   0         started               HTTP 200 in 3ms\n"
              "worker  backoff  unknown  -     -       12        exited with status 1  -\n");
}

TEST(RenderStatus, TableWithColourPadsOnTheVisibleWidth) {
    EXPECT_EQ(render_status(two_services, {.tty = true, .colour = true}),
              "NAME    STATE    HEALTH   PID   UPTIME  RESTARTS  REASON                MESSAGE\n"
              "web:0   \x1b[32mrunning\x1b[0m  \x1b[32mhealthy\x1b[0m  1234  3m12s   0         started               "
              "HTTP 200 in 3ms\n"
              "worker  \x1b[33mbackoff\x1b[0m  \x1b[2munknown\x1b[0m  -     -       12        exited with status 1  -\n");
}

/// The first row of a one-instance status table with colour.
std::string coloured_row(const json& service) {
    const auto text = render_status(json{{"services", {service}}}, {.tty = true, .colour = true});
    return text.substr(text.find('\n') + 1);
}

TEST(RenderStatus, StateColours) {
    const auto state_cell = [](const char* state) { return coloured_row({{"name", "a"}, {"state", state}}); };
    EXPECT_NE(state_cell("running").find("\x1b[32mrunning\x1b[0m"), std::string::npos);
    EXPECT_NE(state_cell("starting").find("\x1b[33mstarting\x1b[0m"), std::string::npos);
    EXPECT_NE(state_cell("stopping").find("\x1b[33mstopping\x1b[0m"), std::string::npos);
    EXPECT_NE(state_cell("backoff").find("\x1b[33mbackoff\x1b[0m"), std::string::npos);
    EXPECT_NE(state_cell("failed").find("\x1b[31mfailed\x1b[0m"), std::string::npos);
    EXPECT_EQ(state_cell("stopped").find('\x1b'), std::string::npos);
    EXPECT_EQ(state_cell("exited").find('\x1b'), std::string::npos);
}

TEST(RenderStatus, HealthColours) {
    const auto health_cell = [](const char* health) {
        return coloured_row({{"name", "a"}, {"state", "stopped"}, {"health", health}});
    };
    EXPECT_NE(health_cell("healthy").find("\x1b[32mhealthy\x1b[0m"), std::string::npos);
    EXPECT_NE(health_cell("degraded").find("\x1b[33mdegraded\x1b[0m"), std::string::npos);
    EXPECT_NE(health_cell("unhealthy").find("\x1b[31munhealthy\x1b[0m"), std::string::npos);
    EXPECT_NE(health_cell("unknown").find("\x1b[2munknown\x1b[0m"), std::string::npos);
    EXPECT_EQ(health_cell("bogus").find('\x1b'), std::string::npos);
}

TEST(RenderStatus, PlainWhenNotATerminal) {
    EXPECT_EQ(render_status(two_services, {.tty = false, .colour = false}),
              "web:0 running healthy 1234 3m12s 0 started\tHTTP 200 in 3ms\n"
              "worker backoff unknown - - 12 exited with status 1\t-\n");
}

TEST(RenderStatus, PlainNeverColoursNorCuts) {
    EXPECT_EQ(render_status(two_services, {.tty = false, .colour = true, .width = 20}),
              render_status(two_services, {.tty = false, .colour = false}));
}

TEST(RenderStatus, MessageIsCutToTheTerminalWidth) {
    // The columns before MESSAGE take 72 of the 82: ten are left, nine characters and "…".
    const json result = json::parse(R"({"services":[
      {"name":"web:0","state":"running","health":"degraded","pid":1234,"uptime_s":5,"restarts":0,
       "reason":"exited with status 1","message":"quiet for 40s, levels below -60 dB"}]})");
    const auto table = render_status(result, {.tty = true, .colour = false, .width = 82});
    EXPECT_EQ(table,
              "NAME   STATE    HEALTH    PID   UPTIME  RESTARTS  REASON                MESSAGE\n"
              "web:0  running  degraded  1234  5s      0         exited with status 1  quiet for\xe2\x80\xa6\n");
    EXPECT_EQ(render_status(result, {.tty = true, .colour = true, .width = 82}).find("quiet for\xe2\x80\xa6\n"),
              table.find("quiet for") + 2 * std::string("\x1b[32m\x1b[0m").size());
    // Wide enough, or the width unknown: the whole message.
    for (const std::size_t width : {std::size_t{0}, std::size_t{106}, std::size_t{500}}) {
        EXPECT_NE(render_status(result, {.tty = true, .colour = false, .width = width})
                      .find("  quiet for 40s, levels below -60 dB\n"),
                  std::string::npos)
            << width;
    }
    // One column short: the last two characters give way to "…".
    EXPECT_NE(render_status(result, {.tty = true, .colour = false, .width = 105}).find("below -60 \xe2\x80\xa6\n"),
              std::string::npos);
    // No room at all: the lines wrap anyway; as much of the message as its header takes.
    const auto narrow = render_status(result, {.tty = true, .colour = false, .width = 40});
    EXPECT_NE(narrow.find("status 1  quiet \xe2\x80\xa6\n"), std::string::npos) << narrow;
    EXPECT_NE(render_status(two_services, {.tty = true, .colour = false, .width = 40}).find("status 1  -\n"),
              std::string::npos);
}

TEST(RenderStatus, MessageIsCutBetweenCharactersNotBytes) {
    std::string nine_e_acute;
    for (int i = 0; i < 9; ++i) {
        nine_e_acute += "\xc3\xa9";
    }
    const json result{{"services", {{{"name", "a"}, {"message", nine_e_acute}}}}};
    // The header makes the columns before MESSAGE 52 wide; 8 are left: seven characters and "…".
    const auto table = render_status(result, {.tty = true, .colour = false, .width = 60});
    EXPECT_NE(table.find("  " + nine_e_acute.substr(0, 14) + "\xe2\x80\xa6\n"), std::string::npos) << table;
    EXPECT_NE(render_status(result, {.tty = true, .colour = false, .width = 61}).find("  " + nine_e_acute + "\n"),
              std::string::npos);
}

TEST(RenderStatus, ControlCharactersInFieldsAreSpaces) {
    const json result{{"services",
                       {{{"name", "a"},
                         {"state", "running"},
                         {"reason", "bad\tthing"},
                         {"message", "line one\nline two\x1b[2J\tand \xc2\x9b" "31m"}}}}};
    EXPECT_EQ(render_status(result, {.tty = false, .colour = false}),
              "a running - - - - bad thing\tline one line two [2J and  31m\n");
}

TEST(RenderStatus, NoServicesIsJustTheHeaderOrNothing) {
    const json empty{{"services", json::array()}, {"jobs", json::array()}};
    EXPECT_EQ(render_status(empty, {.tty = true, .colour = false}),
              "NAME  STATE  HEALTH  PID  UPTIME  RESTARTS  REASON  MESSAGE\n");
    EXPECT_EQ(render_status(empty, {.tty = false, .colour = false}), "");
}

TEST(RenderStatus, MissingAndMistypedFieldsAreDashes) {
    const json odd{{"services",
                    {{{"name", "x"}, {"state", true}, {"pid", {1}}, {"uptime_s", "long"}, {"reason", ""},
                      {"message", nullptr}},
                     7}}};
    EXPECT_EQ(render_status(odd, {.tty = false, .colour = false}), "x - - - - - -\t-\n- - - - - - -\t-\n");
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

/// The example `health` result of supervisord(8).
const json web_health = json::parse(R"({"services":[{"name":"web","state":"running","health":"healthy",
  "probes":[{"name":"pid","type":"pid","verdict":"healthy","took_ms":0.0,"message":"process 4242 state S"},
            {"name":"http","type":"http","verdict":"unhealthy","took_ms":2.3,"message":"HTTP 503: overloaded"},
            {"name":"lua:audio_levels","type":"lua","verdict":"degraded","took_ms":0.1,"message":"quiet for 40s"}]},
  {"name":"api:10","state":"starting","health":"unknown",
  "probes":[{"name":"tcp","type":"tcp","verdict":"unhealthy","took_ms":5000.0,"message":"connect: timed out"}]}]})");

TEST(RenderHealth, PlainIsAlignedWithoutColour) {
    const auto expected =
        "web     running   healthy\n"
        "  healthy    pid               0.0ms  process 4242 state S\n"
        "  unhealthy  http              2.3ms  HTTP 503: overloaded\n"
        "  degraded   lua:audio_levels  0.1ms  quiet for 40s\n"
        "api:10  starting  unknown\n"
        "  unhealthy  tcp                5.0s  connect: timed out\n";
    EXPECT_EQ(render_health(web_health, {.tty = false, .colour = false}), expected);
    EXPECT_EQ(render_health(web_health, {.tty = false, .colour = true}), expected);
    EXPECT_EQ(render_health(web_health, {.tty = true, .colour = false, .width = 20}), expected);
}

TEST(RenderHealth, TerminalColoursStateHealthAndVerdicts) {
    EXPECT_EQ(render_health(web_health, {.tty = true, .colour = true}),
              "web     \x1b[32mrunning\x1b[0m   \x1b[32mhealthy\x1b[0m\n"
              "  \x1b[32mhealthy\x1b[0m    pid               0.0ms  process 4242 state S\n"
              "  \x1b[31munhealthy\x1b[0m  http              2.3ms  HTTP 503: overloaded\n"
              "  \x1b[33mdegraded\x1b[0m   lua:audio_levels  0.1ms  quiet for 40s\n"
              "api:10  \x1b[33mstarting\x1b[0m  \x1b[2munknown\x1b[0m\n"
              "  \x1b[31munhealthy\x1b[0m  tcp                5.0s  connect: timed out\n");
}

TEST(RenderHealth, InstanceWithoutProbes) {
    const auto result =
        json::parse(R"({"services":[{"name":"db","state":"running","health":"unknown","probes":[]}]})");
    EXPECT_EQ(render_health(result, {}), "db  running  unknown\n  (no probes)\n");
}

TEST(RenderHealth, MissingAndMistypedFieldsAreDashes) {
    const auto odd = json::parse(R"({"services":[
      {"name":"x","probes":[{"name":"p","verdict":null,"took_ms":"fast","message":""},3]},"junk"]})");
    EXPECT_EQ(render_health(odd, {}), "x  -  -\n  -  p  -  -\n  -  -  -  -\n-  -  -\n  (no probes)\n");
    EXPECT_EQ(render_health(json("nonsense"), {}), "");
}

TEST(RenderHealth, MessagesAreNeverCutAndControlCharactersAreSpaces) {
    const std::string long_message(300, 'x');
    auto result = json::parse(R"({"services":[{"name":"a","state":"running","health":"healthy",
                                               "probes":[{"name":"p","verdict":"healthy","took_ms":1}]}]})");
    result["services"][0]["probes"][0]["message"] = long_message + "\n!";
    EXPECT_NE(render_health(result, {.tty = true, .colour = false, .width = 80}).find(long_message + " !\n"),
              std::string::npos);
}

TEST(FormatProbeDuration, Units) {
    EXPECT_EQ(format_probe_duration(0), "0.0ms");
    EXPECT_EQ(format_probe_duration(2.34), "2.3ms");
    EXPECT_EQ(format_probe_duration(999.94), "999.9ms");
    EXPECT_EQ(format_probe_duration(999.96), "1.0s");
    EXPECT_EQ(format_probe_duration(1500), "1.5s");
    EXPECT_EQ(format_probe_duration(59'940), "59.9s");
    EXPECT_EQ(format_probe_duration(59'960), "1m00s");
    EXPECT_EQ(format_probe_duration(60'000), "1m00s");
    EXPECT_EQ(format_probe_duration(125'000), "2m05s");
    EXPECT_EQ(format_probe_duration(-1), "-");
    EXPECT_EQ(format_probe_duration(std::nan("")), "-");
}

TEST(HealthExitCode, ZeroOnlyWhenEveryVerdictIsHealthy) {
    // Instance a has one healthy probe; instance b has probes with these verdicts.
    const auto with_verdicts = [](const std::vector<json>& verdicts) {
        auto result = json::parse(R"({"services":[{"name":"a","probes":[{"name":"q","verdict":"healthy"}]},
                                                  {"name":"b","probes":[]}]})");
        for (const auto& verdict : verdicts) {
            result["services"][1]["probes"].push_back(json{{"name", "p"}, {"verdict", verdict}});
        }
        return result;
    };
    EXPECT_EQ(health_exit_code(with_verdicts({"healthy", "healthy"})), exit_code::ok);
    EXPECT_EQ(health_exit_code(with_verdicts({"healthy", "degraded"})), exit_code::not_running);
    EXPECT_EQ(health_exit_code(with_verdicts({"unhealthy", "healthy"})), exit_code::not_running);
    EXPECT_EQ(health_exit_code(with_verdicts({"unknown"})), exit_code::not_running);
    EXPECT_EQ(health_exit_code(with_verdicts({nullptr})), exit_code::not_running);
    EXPECT_EQ(health_exit_code(web_health), exit_code::not_running);
}

TEST(HealthExitCode, ZeroWithoutProbes) {
    EXPECT_EQ(health_exit_code(json::parse(R"({"services":[{"name":"a","probes":[]}]})")), exit_code::ok);
    EXPECT_EQ(health_exit_code(json{{"services", json::array()}}), exit_code::ok);
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
