// Tests of successful loads: every key's value, defaults merging, includes, paths and expansion.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <csignal>

#include "config/loader.hpp"
#include "unit/config/temp_config_dir.hpp"

namespace vj::config {
namespace {

using namespace std::chrono_literals;
using test_support::rendered;
using test_support::TempConfigDir;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

using Loader = test_support::LoadingTest;

TEST_F(Loader, FullExampleRoundTrip) {
    const auto config = load_ok(R"(version: 1
supervisor:
  socket: run/vj.sock
  socket_mode: "0660"
  socket_group: vj
  state_dir: ../state
  log_dir: /var/log/vj/
  include: []
  shutdown_timeout: 45s
defaults:
  env: { VJ_MODE: live }
services:
  audio:
    command: [vj-audio, --osc, "127.0.0.1:9000"]
    cwd: /srv/vj
    env: { PORT: 9000, DEBUG: true, RATE: "0.5", EMPTY: "" }
    user: vj
    group: "1001"
    umask: "027"
    limits: { nofile: 4096 }
    autostart: false
    instances: 3
    depends_on: [osc-monitor]
    ready: { after: 1.5s }
    restart:
      policy: always
      success_codes: [0, 2]
      backoff: { initial: 500ms, factor: 1.5, max: 1m, jitter: 20% }
      stable_after: 2m
      limit: { attempts: 5, window: 30m, cooloff: never }
    stop: { signal: SIGINT, timeout: 3s, group: false }
  osc-monitor:
    command: vj-osc-monitor --port 9000
)");
    EXPECT_EQ(config.file, dir_.at("etc/services.yaml"));
    core::SupervisorSpec supervisor;
    supervisor.socket = dir_.at("etc/run/vj.sock");
    supervisor.socket_mode = 0660;
    supervisor.socket_group = "vj";
    supervisor.state_dir = dir_.at("state");
    supervisor.log_dir = "/var/log/vj";
    supervisor.shutdown_timeout = 45s;
    supervisor.lua_path = {dir_.at("lua")};
    EXPECT_EQ(config.supervisor, supervisor);

    core::ServiceSpec audio;
    audio.name = "audio";
    audio.argv = {"vj-audio", "--osc", "127.0.0.1:9000"};
    audio.cwd = "/srv/vj";
    audio.env = {{"PORT", "9000"}, {"DEBUG", "true"}, {"RATE", "0.5"}, {"EMPTY", ""}, {"VJ_MODE", "live"}};
    audio.user = "vj";
    audio.group = "1001";
    audio.umask = 027;
    audio.nofile = 4096;
    audio.autostart = false;
    audio.instances = 3;
    audio.depends_on = {"osc-monitor"};
    audio.ready.after = 1500ms;
    audio.restart.policy = core::RestartPolicy::always;
    audio.restart.success_codes = {0, 2};
    audio.restart.backoff = core::BackoffSpec{500ms, 1.5, 1min, 0.2};
    audio.restart.stable_after = 2min;
    audio.restart.limit = core::RestartLimitSpec{5, 30min, std::nullopt};
    audio.stop = core::StopSpec{SIGINT, 3s, false};
    ASSERT_EQ(config.services.size(), 2u);
    EXPECT_EQ(config.services[0], audio);
    EXPECT_EQ(config.services[0].where, (core::SourceLocation{dir_.at("etc/services.yaml"), 13, 3}));

    core::ServiceSpec osc;
    osc.name = "osc-monitor";
    osc.argv = {"/bin/sh", "-c", "vj-osc-monitor --port 9000"};
    osc.env = {{"VJ_MODE", "live"}};
    EXPECT_EQ(config.services[1], osc);
}

TEST_F(Loader, BuiltInDefaults) {
    const auto config = load_ok("version: 1\nservices:\n  web: { command: [sleep, \"60\"] }\n");
    ASSERT_EQ(config.services.size(), 1u);
    const auto& web = config.services[0];
    EXPECT_EQ(web.argv, (std::vector<std::string>{"sleep", "60"}));
    EXPECT_EQ(web.restart, core::RestartSpec{});
    EXPECT_EQ(web.restart.policy, core::RestartPolicy::on_failure);
    EXPECT_EQ(web.restart.backoff.max, 5min);
    EXPECT_EQ(web.restart.limit.cooloff, std::optional<core::Duration>(5min));
    EXPECT_EQ(web.stop, core::StopSpec{});
    EXPECT_TRUE(web.autostart);
    EXPECT_EQ(web.instances, 1);
    EXPECT_EQ(web.ready.after, 0ms);
    EXPECT_FALSE(web.cwd.has_value());
    EXPECT_FALSE(web.umask.has_value());
    EXPECT_FALSE(web.nofile.has_value());

    EXPECT_EQ(config.supervisor.socket, "/tmp/vj/supervisord.sock");
    EXPECT_EQ(config.supervisor.socket_mode, 0600u);
    EXPECT_EQ(config.supervisor.state_dir, dir_.at("var/lib"));
    EXPECT_EQ(config.supervisor.log_dir, dir_.at("var/log"));
    EXPECT_EQ(config.supervisor.shutdown_timeout, 30s);
}

TEST_F(Loader, DefaultsMergedPerKey) {
    const auto config = load_ok(R"(version: 1
defaults:
  env: { A: "1", B: "2" }
  depends_on: [base]
  restart:
    policy: always
    backoff: { initial: 2s, max: 2m }
  stop: { signal: INT }
services:
  base: { command: x, depends_on: [] }
  web:
    command: x
    env: { B: "two", C: "3" }
    restart:
      backoff: { initial: 5s }
    stop: { timeout: 1s }
)");
    const auto& web = service(config, "web");
    EXPECT_EQ(web.env, (std::map<std::string, std::string>{{"A", "1"}, {"B", "two"}, {"C", "3"}}));
    EXPECT_EQ(web.depends_on, (std::vector<std::string>{"base"}));
    EXPECT_EQ(web.restart.policy, core::RestartPolicy::always);
    EXPECT_EQ(web.restart.backoff.initial, 5s);  // the service's
    EXPECT_EQ(web.restart.backoff.max, 2min);    // the default's survives
    EXPECT_EQ(web.restart.backoff.factor, 2.0);  // built in
    EXPECT_EQ(web.stop.signal, SIGINT);
    EXPECT_EQ(web.stop.timeout, 1s);
    // A list from the service replaces the default's list whole.
    EXPECT_THAT(service(config, "base").depends_on, IsEmpty());
}

TEST_F(Loader, EmptyMapKeyInheritsDefaults) {
    const auto config = load_ok("version: 1\n"
                                "defaults:\n"
                                "  restart: { policy: never }\n"
                                "  env: { A: \"1\" }\n"
                                "services:\n"
                                "  web:\n"
                                "    command: x\n"
                                "    restart:\n"
                                "    env:\n");
    EXPECT_EQ(service(config, "web").restart.policy, core::RestartPolicy::never);
    EXPECT_EQ(service(config, "web").env, (std::map<std::string, std::string>{{"A", "1"}}));
}

TEST_F(Loader, IncludesWithGlobsInSortedOrder) {
    dir_.write("etc/services.d/20-b.yaml", "services:\n  b: { command: x }\n");
    dir_.write("etc/services.d/10-a.yaml", "version: 1\nservices:\n  a1: { command: x }\n  a2: { command: x }\n");
    dir_.write("etc/services.d/notes.txt", "not yaml: [");
    dir_.write("plugins/osc/service.yaml", "services:\n  osc: { command: x }\n");
    dir_.write("plugins/audio/service.yaml", "services:\n  audio: { command: x }\n");
    dir_.write("etc/extra.yaml", "services:\n  extra: { command: x }\n");
    const auto config = load_ok(R"(version: 1
supervisor:
  include: [services.d/*.yaml, ../plugins/*/service.yaml, drop-ins/*.yaml, extra.yaml, services.d/10-a.yaml]
services:
  main: { command: x }
)");
    std::vector<std::string> names;
    for (const auto& s : config.services) names.push_back(s.name);
    EXPECT_THAT(names, ElementsAre("main", "a1", "a2", "b", "audio", "osc", "extra"));
    EXPECT_EQ(service(config, "osc").where, (core::SourceLocation{dir_.at("plugins/osc/service.yaml"), 2, 3}));
}

TEST_F(Loader, IncludeAsASingleString) {
    dir_.write("etc/web.yaml", "services:\n  web: { command: x }\n");
    const auto config = load_ok("version: 1\nsupervisor: { include: web.yaml }\n");
    ASSERT_EQ(config.services.size(), 1u);
    EXPECT_EQ(config.services[0].name, "web");
}

TEST_F(Loader, RelativePathsResolveAgainstTheirFile) {
    dir_.write("etc/services.d/web.yaml", "services:\n  web: { command: x, cwd: data/ }\n");
    const auto config = load_ok(R"(version: 1
supervisor:
  socket: ../run/./vj.sock
  state_dir: ../var/state
  log_dir: logs
  include: services.d/*.yaml
defaults:
  cwd: ../srv
services:
  main: { command: x }
  abs: { command: x, cwd: /opt//app/../vj }
)");
    EXPECT_EQ(config.supervisor.socket, dir_.at("run/vj.sock"));
    EXPECT_EQ(config.supervisor.state_dir, dir_.at("var/state"));
    EXPECT_EQ(config.supervisor.log_dir, dir_.at("etc/logs"));
    EXPECT_EQ(service(config, "main").cwd, dir_.at("srv"));  // from defaults: the main file's directory
    EXPECT_EQ(service(config, "abs").cwd, "/opt/vj");
    EXPECT_EQ(service(config, "web").cwd, dir_.at("etc/services.d/data"));
}

TEST_F(Loader, RelativeMainFileKeepsRelativeNamesInMessages) {
    dir_.write("etc/services.d/web.yaml", "services:\n  web: { command: x, stop: { timeout: ten } }\n");
    dir_.write("etc/services.yaml", "version: 1\nsupervisor: { include: services.d/*.yaml }\n");
    test_support::ScopedCwd cwd(dir_.root());
    const auto result = load("./etc/services.yaml", {});
    EXPECT_THAT(rendered(result), ElementsAre("etc/services.d/web.yaml:2:39: error: stop.timeout: expected a duration "
                                              "like 10s, got 'ten'"));
}

TEST_F(Loader, RelativeMainFileGivesAbsoluteSpecs) {
    dir_.write("etc/services.yaml", "version: 1\nservices:\n  web: { command: x, cwd: . }\n");
    test_support::ScopedCwd cwd(dir_.root());
    const auto result = load("etc/services.yaml", {});
    ASSERT_TRUE(result.config.has_value());
    EXPECT_EQ(result.config->file, dir_.at("etc/services.yaml"));
    EXPECT_EQ(result.config->services[0].cwd, dir_.at("etc"));
    EXPECT_EQ(result.config->services[0].where, (core::SourceLocation{"etc/services.yaml", 3, 3}));
}

TEST_F(Loader, VariableExpansion) {
    const Environment env{{"VJ_HOME", "/home/vj"}, {"XDG_RUNTIME_DIR", "/run/user/1000"}, {"EMPTY", ""}};
    const auto config = load_ok(R"(version: 1
services:
  web:
    command: [echo, "${VJ_HOME}", "${MISSING:-fallback}", "$$HOME", "${EMPTY:-x}", "cost $5"]
    env: { "${NOT_EXPANDED}": "${VJ_HOME:-/nope}/bin" }
    instances: ${INSTANCES:-2}
)",
                                env);
    const auto& web = service(config, "web");
    EXPECT_EQ(web.argv, (std::vector<std::string>{"echo", "/home/vj", "fallback", "$HOME", "x", "cost $5"}));
    EXPECT_EQ(web.env, (std::map<std::string, std::string>{{"${NOT_EXPANDED}", "/home/vj/bin"}}));
    EXPECT_EQ(web.instances, 2);
    EXPECT_EQ(config.supervisor.socket, "/run/user/1000/vj/supervisord.sock");
}

TEST_F(Loader, StringCommandRunsThroughTheShell) {
    const auto config = load_ok("version: 1\nservices:\n  web:\n    command: exec vj-web --port \"$PORT\" 2>&1\n");
    EXPECT_EQ(service(config, "web").argv,
              (std::vector<std::string>{"/bin/sh", "-c", "exec vj-web --port \"$PORT\" 2>&1"}));
}

TEST_F(Loader, SocketModeForms) {
    const auto mode = [&](std::string_view written) {
        return load_ok("version: 1\nsupervisor: { socket_mode: " + std::string(written) + " }\n").supervisor.socket_mode;
    };
    EXPECT_EQ(mode("\"0600\""), 0600u);
    EXPECT_EQ(mode("0660"), 0660u);  // YAML reads the digits 660; they are octal here
    EXPECT_EQ(mode("660"), 0660u);
    EXPECT_EQ(mode("\"0o640\""), 0640u);
    EXPECT_EQ(mode("0777"), 0777u);
}

TEST_F(Loader, OtherValueForms) {
    const auto config = load_ok(R"(version: 1
services:
  web:
    command: x
    depends_on: db
    umask: 022
    restart:
      policy: on-failure
      backoff: { jitter: 0.05, factor: 1 }
      limit: { cooloff: 0, attempts: 0 }
    stop: { signal: 9 }
  db:
    command: x
    restart: { policy: never, success_codes: [] }
    stop: { signal: hup }
)");
    const auto& web = service(config, "web");
    EXPECT_EQ(web.depends_on, (std::vector<std::string>{"db"}));
    EXPECT_EQ(web.umask, 022u);
    EXPECT_DOUBLE_EQ(web.restart.backoff.jitter, 0.05);
    EXPECT_EQ(web.restart.backoff.factor, 1.0);
    EXPECT_EQ(web.restart.limit.cooloff, std::optional<core::Duration>(0ms));
    EXPECT_EQ(web.restart.limit.attempts, 0);
    EXPECT_EQ(web.stop.signal, SIGKILL);
    const auto& db = service(config, "db");
    EXPECT_EQ(db.restart.policy, core::RestartPolicy::never);
    EXPECT_THAT(db.restart.success_codes, IsEmpty());
    EXPECT_EQ(db.stop.signal, SIGHUP);
}

TEST_F(Loader, EmptyServicesAndSections) {
    const auto config = load_ok("version: 1\nsupervisor:\ndefaults:\nservices:\n");
    EXPECT_THAT(config.services, IsEmpty());
}

TEST_F(Loader, AFileMatchedTwiceIsReadOnce) {
    dir_.write("etc/services.d/web.yaml", "services:\n  web: { command: x }\n");
    const auto config = load_ok("version: 1\nsupervisor: { include: [services.d/*.yaml, services.d/web.yaml, ./*.yaml] }\n");
    ASSERT_EQ(config.services.size(), 1u);
}

TEST_F(Loader, DiagnosticToString) {
    const Diagnostic d{core::SourceLocation{"etc/services.yaml", 12, 5}, "something is wrong"};
    EXPECT_EQ(d.to_string(), "etc/services.yaml:12:5: error: something is wrong");
}

TEST(DefaultSocketPath, FollowsXdgRuntimeDir) {
    EXPECT_EQ(default_socket_path({}), "/tmp/vj/supervisord.sock");
    EXPECT_EQ(default_socket_path({{"XDG_RUNTIME_DIR", ""}}), "/tmp/vj/supervisord.sock");
    EXPECT_EQ(default_socket_path({{"XDG_RUNTIME_DIR", "/run/user/1000/"}}), "/run/user/1000/vj/supervisord.sock");
}

TEST(ProcessEnvironment, ReadsTheRealEnvironment) {
    ::setenv("VJ_CONFIG_TEST_VARIABLE", "a=b", 1);
    const auto env = process_environment();
    ASSERT_TRUE(env.count("VJ_CONFIG_TEST_VARIABLE"));
    EXPECT_EQ(env.at("VJ_CONFIG_TEST_VARIABLE"), "a=b");
    ::unsetenv("VJ_CONFIG_TEST_VARIABLE");
}

}  // namespace
}  // namespace vj::config
