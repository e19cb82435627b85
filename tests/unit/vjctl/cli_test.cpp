// Tests vjctl's command-line parsing: subcommands, global options anywhere, usage errors (exit 2).
#include <gtest/gtest.h>

#include "cli.hpp"
#include "exit_code.hpp"
#include "unit/vjctl/parse_helpers.hpp"

namespace vj::vjctl {
namespace {

using std::chrono::milliseconds;

using test_support::parse_ok;

EarlyExit parse_early(const std::vector<std::string>& args) {
    auto parsed = parse_command_line(args);
    if (!std::holds_alternative<EarlyExit>(parsed)) {
        ADD_FAILURE() << "parsed, but should not have";
        return {};
    }
    return std::get<EarlyExit>(parsed);
}

TEST(ParseCommandLine, StatusWithoutPatternsIsAll) {
    const auto inv = parse_ok({"status"});
    EXPECT_EQ(inv.command, Command::status);
    EXPECT_TRUE(inv.names.empty());
    EXPECT_EQ(inv.global, GlobalOptions{});
    EXPECT_EQ(inv.global.timeout, milliseconds(30'000));
}

TEST(ParseCommandLine, GlobalOptionsBeforeOrAfterTheSubcommand) {
    const auto before = parse_ok({"--json", "--socket", "/s.sock", "--no-color", "status", "web", "db*"});
    const auto after = parse_ok({"status", "web", "--json", "--socket", "/s.sock", "--no-color", "db*"});
    for (const auto& inv : {before, after}) {
        EXPECT_EQ(inv.command, Command::status);
        EXPECT_EQ(inv.names, (std::vector<std::string>{"web", "db*"}));
        EXPECT_TRUE(inv.global.json);
        EXPECT_TRUE(inv.global.no_color);
        EXPECT_EQ(inv.global.socket, "/s.sock");
    }
}

TEST(ParseCommandLine, StatusNames) {
    EXPECT_TRUE(parse_ok({"status", "--names"}).names_only);
}

TEST(ParseCommandLine, ConfigOption) {
    EXPECT_EQ(parse_ok({"-c", "etc/services.yaml", "status"}).global.config, "etc/services.yaml");
    EXPECT_EQ(parse_ok({"--config", "x.yaml", "status"}).global.config, "x.yaml");
}

TEST(ParseCommandLine, Actions) {
    const auto start = parse_ok({"start", "web", "db"});
    EXPECT_EQ(start.command, Command::start);
    EXPECT_EQ(start.names, (std::vector<std::string>{"web", "db"}));
    EXPECT_FALSE(start.no_wait);
    const auto stop = parse_ok({"stop", "--no-wait", "all"});
    EXPECT_EQ(stop.command, Command::stop);
    EXPECT_TRUE(stop.no_wait);
    EXPECT_EQ(stop.names, std::vector<std::string>{"all"});
    EXPECT_EQ(parse_ok({"restart", "web:0"}).command, Command::restart);
}

TEST(ParseCommandLine, GlobalTimeout) {
    EXPECT_EQ(parse_ok({"--timeout", "500ms", "start", "web"}).global.timeout, milliseconds(500));
    EXPECT_EQ(parse_ok({"start", "web", "--timeout", "1m"}).global.timeout, milliseconds(60'000));
}

TEST(ParseCommandLine, Signal) {
    const auto inv = parse_ok({"signal", "HUP", "web", "db"});
    EXPECT_EQ(inv.command, Command::signal);
    EXPECT_EQ(inv.signal, "HUP");
    EXPECT_EQ(inv.names, (std::vector<std::string>{"web", "db"}));
    EXPECT_EQ(parse_ok({"signal", "SIGUSR1", "web"}).signal, "SIGUSR1");
    EXPECT_EQ(parse_ok({"signal", "9", "web"}).signal, "9");
}

TEST(ParseCommandLine, WaitDefaults) {
    const auto inv = parse_ok({"wait", "web"});
    EXPECT_EQ(inv.command, Command::wait);
    EXPECT_EQ(inv.states, std::vector<std::string>{"running"});
    EXPECT_EQ(inv.health, std::nullopt);
    EXPECT_EQ(inv.wait_timeout, std::nullopt);
}

TEST(ParseCommandLine, WaitOptions) {
    const auto inv = parse_ok(
        {"wait", "--state", "stopped", "--state", "exited", "--health", "healthy", "--timeout", "2s", "web", "db"});
    EXPECT_EQ(inv.states, (std::vector<std::string>{"stopped", "exited"}));
    EXPECT_EQ(inv.health, "healthy");
    EXPECT_EQ(inv.wait_timeout, milliseconds(2'000));
    EXPECT_EQ(inv.global.timeout, milliseconds(30'000));
    EXPECT_EQ(inv.names, (std::vector<std::string>{"web", "db"}));
}

TEST(ParseCommandLine, WaitAcceptsEveryHealth) {
    for (const char* health : {"unknown", "healthy", "degraded", "unhealthy"}) {
        EXPECT_EQ(parse_ok({"wait", "--health", health, "web"}).health, health);
    }
}

TEST(ParseCommandLine, WaitRejectsOtherHealthsAsUsage) {
    for (const char* health : {"great", "Healthy", "ok", ""}) {
        const auto early = parse_early({"wait", "--health", health, "web"});
        EXPECT_EQ(early.status, exit_code::usage) << health;
        EXPECT_NE(early.err.find("--health"), std::string::npos) << early.err;
    }
}

TEST(ParseCommandLine, Health) {
    const auto inv = parse_ok({"health", "web", "api:*", "--json"});
    EXPECT_EQ(inv.command, Command::health);
    EXPECT_EQ(inv.names, (std::vector<std::string>{"web", "api:*"}));
    EXPECT_TRUE(inv.global.json);
    EXPECT_EQ(parse_ok({"--socket", "/s.sock", "health", "all"}).names, std::vector<std::string>{"all"});
}

TEST(ParseCommandLine, ShutdownAndCheck) {
    EXPECT_EQ(parse_ok({"shutdown"}).command, Command::shutdown);
    const auto check = parse_ok({"check"});
    EXPECT_EQ(check.command, Command::check);
    EXPECT_EQ(check.check_file, std::nullopt);
    EXPECT_EQ(parse_ok({"check", "x.yaml"}).check_file, "x.yaml");
}

TEST(ParseCommandLine, UsageErrorsExitTwoWithCli11sMessage) {
    const std::vector<std::vector<std::string>> bad{
        {},
        {"frobnicate"},
        {"start"},
        {"stop", "--no-wait"},
        {"signal", "HUP"},
        {"signal", "NOPE", "web"},
        {"wait"},
        {"wait", "--state", "sleeping", "web"},
        {"wait", "--health", "great", "web"},
        {"health"},
        {"health", "--state", "running", "web"},
        {"wait", "--timeout", "soon", "web"},
        {"--timeout", "10", "status"},
        {"status", "--bogus"},
        {"shutdown", "now"},
        {"check", "a.yaml", "b.yaml"},
    };
    for (const auto& args : bad) {
        const auto early = parse_early(args);
        EXPECT_EQ(early.status, exit_code::usage) << ::testing::PrintToString(args);
        EXPECT_EQ(early.err.rfind("vjctl: error: ", 0), 0u) << early.err;
        EXPECT_EQ(early.out, "");
    }
}

TEST(ParseCommandLine, UnknownSubcommandIsNamed) {
    EXPECT_EQ(parse_early({"frobnicate"}).err,
              "vjctl: error: frobnicate: unknown command\nRun with --help for more information.\n");
    EXPECT_EQ(parse_early({"--socket", "/x.sock", "--json", "stats"}).err.rfind("vjctl: error: stats: ", 0), 0u);
    EXPECT_EQ(parse_early({"--", "status"}).status, exit_code::usage);
}

TEST(ParseCommandLine, BadDurationIsExplained) {
    EXPECT_NE(parse_early({"--timeout", "soon", "status"}).err.find("not a duration"), std::string::npos);
}

TEST(ParseCommandLine, VersionAndHelpExitZero) {
    const auto version = parse_early({"--version"});
    EXPECT_EQ(version.status, exit_code::ok);
    EXPECT_EQ(version.out, "vjctl 0.1.0\n");
    const auto help = parse_early({"--help"});
    EXPECT_EQ(help.status, exit_code::ok);
    EXPECT_NE(help.out.find("status"), std::string::npos);
    const auto sub_help = parse_early({"wait", "--help"});
    EXPECT_EQ(sub_help.status, exit_code::ok);
    EXPECT_NE(sub_help.out.find("--state"), std::string::npos);
}

TEST(SubcommandNames, All) {
    EXPECT_EQ(subcommand_names(),
              (std::vector<std::string>{"status", "start", "stop", "restart", "signal", "wait", "health", "tail",
                                        "shutdown", "check"}));
}

}  // namespace
}  // namespace vj::vjctl
