// Tests of the health keys: probes, ready probe/notify/watchdog, on_unhealthy, alert, limits.memory, lua_path, health.d.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "config/loader.hpp"
#include "unit/config/temp_config_dir.hpp"

namespace vj::config {
namespace {

using namespace std::chrono_literals;
using test_support::rendered;
using test_support::web_with;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

class HealthConfig : public test_support::LoadingTest {
protected:
    /// "ABS/FILE:LINE:COL: error: MESSAGE"
    std::string error_in(std::string_view file, int line, int column, std::string_view message) const {
        return dir_.at(file) + ":" + std::to_string(line) + ":" + std::to_string(column) + ": error: " +
               std::string(message);
    }
    std::string main_error(int line, int column, std::string_view message) const {
        return error_in("etc/services.yaml", line, column, message);
    }
    /// Every diagnostic of loading etc/services.yaml written from `text`.
    std::vector<std::string> errors(std::string_view text) {
        return rendered(load(dir_.write("etc/services.yaml", text), {}));
    }
    /// Creates an (empty) Lua script at `relative`; returns its absolute path.
    std::string script(std::string_view relative) { return dir_.write(relative, "return function() return true end\n").string(); }

    static core::ProbeSpec probe(core::ProbeType type, std::string name) {
        core::ProbeSpec p;
        p.type = type;
        p.name = std::move(name);
        if (type == core::ProbeType::lua) p.args_json = "{}";
        return p;
    }

    static std::vector<std::string> names(const core::ServiceSpec& spec) {
        std::vector<std::string> out;
        for (const auto& p : spec.health) out.push_back(p.name);
        return out;
    }
};

// ---- values and defaults

TEST_F(HealthConfig, EveryKeyParsed) {
    const std::string levels = script("lua/levels.lua");
    const auto config = load_ok(R"(version: 1
supervisor:
  lua_path: [../lua, /nonexistent/vj-lua]
services:
  audio:
    command: [vj-audio]
    limits: { nofile: 64, memory: 512MiB, memory_interval: 250ms }
    ready: { probe: osc }
    health:
      - { type: heartbeat, path: ../run/audio.hb, max_age: 15s, interval: 5s, timeout: 1s, grace: 20s, failures: 2, successes: 4 }
      - { type: command, name: ping, command: [vj-ping, audio], timeout: 2s }
      - { type: tcp, name: osc, port: 9000, host: localhost }
      - { type: http, url: "http://127.0.0.1:8080/health" }
      - { type: lua, script: levels.lua, args: { silent_for: 30s, threshold: 0.5 } }
    on_unhealthy: alert
    alert: critical
)");
    EXPECT_EQ(config.supervisor.lua_path, (std::vector<std::string>{dir_.at("lua"), "/nonexistent/vj-lua"}));
    const auto& audio = service(config, "audio");
    EXPECT_EQ(audio.nofile, 64u);
    EXPECT_EQ(audio.memory, 512u << 20);
    EXPECT_EQ(audio.memory_interval, 250ms);
    EXPECT_EQ(audio.ready, (core::ReadySpec{0ms, "osc", false, std::nullopt}));
    EXPECT_EQ(audio.on_unhealthy, core::OnUnhealthy::alert);
    EXPECT_EQ(audio.alert, core::AlertSeverity::critical);

    auto heartbeat = probe(core::ProbeType::heartbeat, "heartbeat");
    heartbeat.path = dir_.at("run/audio.hb");
    heartbeat.max_age = 15s;
    heartbeat.interval = 5s;
    heartbeat.timeout = 1s;
    heartbeat.grace = 20s;
    heartbeat.failures = 2;
    heartbeat.successes = 4;
    auto ping = probe(core::ProbeType::command, "ping");
    ping.argv = {"vj-ping", "audio"};
    ping.timeout = 2s;
    auto osc = probe(core::ProbeType::tcp, "osc");
    osc.port = 9000;
    osc.host = "localhost";
    auto http = probe(core::ProbeType::http, "http");
    http.url = "http://127.0.0.1:8080/health";
    auto lua = probe(core::ProbeType::lua, "lua:levels");
    lua.script = levels;
    lua.args_json = R"({"silent_for":"30s","threshold":0.5})";
    EXPECT_EQ(audio.health, (std::vector<core::ProbeSpec>{heartbeat, ping, osc, http, lua}));
    ASSERT_EQ(audio.health.size(), 5u);
    EXPECT_EQ(audio.health[0].where, (core::SourceLocation{dir_.at("etc/services.yaml"), 10, 9}));
    EXPECT_EQ(audio.health[4].where, (core::SourceLocation{dir_.at("etc/services.yaml"), 14, 9}));
}

TEST_F(HealthConfig, BuiltInDefaults) {
    const auto config = load_ok("version: 1\nservices:\n  web: { command: x }\n");
    EXPECT_EQ(config.supervisor.lua_path, (std::vector<std::string>{dir_.at("lua")}));
    const auto& web = service(config, "web");
    EXPECT_FALSE(web.memory.has_value());
    EXPECT_EQ(web.memory_interval, 1s);
    EXPECT_EQ(web.ready, core::ReadySpec{});
    EXPECT_THAT(web.health, IsEmpty());
    EXPECT_EQ(web.on_unhealthy, core::OnUnhealthy::restart);
    EXPECT_EQ(web.alert, core::AlertSeverity::warning);
}

TEST_F(HealthConfig, ProbeDefaults) {
    script("lua/levels.lua");
    const auto config = load_ok(web_with(R"(    health:
      - { type: heartbeat, path: /run/web.hb }
      - { type: command, command: "curl -fs localhost" }
      - { type: tcp, port: 80 }
      - { type: http, url: "http://[::1]:8080/" }
      - { type: lua, script: levels.lua, args: }
)"));
    const auto& health = service(config, "web").health;
    ASSERT_EQ(health.size(), 5u);
    for (const auto& p : health) {
        EXPECT_EQ(p.interval, 10s) << p.name;
        EXPECT_EQ(p.timeout, 5s) << p.name;
        EXPECT_EQ(p.grace, 0s) << p.name;
        EXPECT_EQ(p.failures, 3) << p.name;
        EXPECT_EQ(p.successes, 1) << p.name;
    }
    EXPECT_EQ(names(service(config, "web")), (std::vector<std::string>{"heartbeat", "command", "tcp", "http", "lua:levels"}));
    EXPECT_EQ(health[0].max_age, 30s);
    // A string command runs through the shell, as a service's does.
    EXPECT_EQ(health[1].argv, (std::vector<std::string>{"/bin/sh", "-c", "curl -fs localhost"}));
    EXPECT_EQ(health[2].host, "127.0.0.1");
    EXPECT_EQ(health[3].url, "http://[::1]:8080/");
    EXPECT_EQ(health[4].args_json, "{}");
}

TEST_F(HealthConfig, EmptyHealthList) {
    EXPECT_THAT(service(load_ok(web_with("    health: []\n")), "web").health, IsEmpty());
    EXPECT_THAT(service(load_ok(web_with("    health:\n")), "web").health, IsEmpty());
}

TEST_F(HealthConfig, ReadyNotifyAndWatchdog) {
    const auto config = load_ok(R"(version: 1
services:
  a: { command: x, ready: { notify: true } }
  b: { command: x, ready: { notify: true, watchdog: 10s } }
  c: { command: x, ready: { notify: false, after: 2s } }
  d: { command: x, ready: { notify: true, watchdog: 100ms } }
)");
    EXPECT_EQ(service(config, "a").ready, (core::ReadySpec{0ms, std::nullopt, true, std::nullopt}));
    EXPECT_EQ(service(config, "b").ready, (core::ReadySpec{0ms, std::nullopt, true, 10s}));
    EXPECT_EQ(service(config, "c").ready, (core::ReadySpec{2s, std::nullopt, false, std::nullopt}));
    EXPECT_EQ(service(config, "d").ready.watchdog, std::optional<core::Duration>(100ms));
}

TEST_F(HealthConfig, MemoryLimits) {
    const auto config = load_ok(R"(version: 1
services:
  a: { command: x, limits: { memory: 64MiB } }
  b: { command: x, limits: { memory: 1GB, memory_interval: 100ms } }
  c: { command: x, limits: { memory: 0 } }
)");
    EXPECT_EQ(service(config, "a").memory, 64u << 20);
    EXPECT_EQ(service(config, "a").memory_interval, 1s);
    EXPECT_EQ(service(config, "b").memory, 1'000'000'000u);
    EXPECT_EQ(service(config, "b").memory_interval, 100ms);
    EXPECT_FALSE(service(config, "c").memory.has_value());
}

TEST_F(HealthConfig, DefaultsMergedPerKey) {
    const auto config = load_ok(R"(version: 1
defaults:
  limits: { memory: 1GiB, memory_interval: 5s }
  on_unhealthy: stop
  alert: info
services:
  plain: { command: x }
  own:
    command: x
    limits: { nofile: 100, memory: 256MiB }
    on_unhealthy: alert
    alert: critical
  unlimited: { command: x, limits: { memory: 0 } }
)");
    const auto& plain = service(config, "plain");
    EXPECT_EQ(plain.memory, 1u << 30);
    EXPECT_EQ(plain.memory_interval, 5s);
    EXPECT_EQ(plain.on_unhealthy, core::OnUnhealthy::stop);
    EXPECT_EQ(plain.alert, core::AlertSeverity::info);
    const auto& own = service(config, "own");
    EXPECT_EQ(own.nofile, 100u);
    EXPECT_EQ(own.memory, 256u << 20);
    EXPECT_EQ(own.memory_interval, 5s);  // from defaults, beside the service's own memory
    EXPECT_EQ(own.on_unhealthy, core::OnUnhealthy::alert);
    EXPECT_EQ(own.alert, core::AlertSeverity::critical);
    EXPECT_FALSE(service(config, "unlimited").memory.has_value());  // 0 opts out of the default's limit
}

TEST_F(HealthConfig, ReadyOfAServiceReplacesTheDefaultWayOfBecomingReady) {
    const auto config = load_ok(R"(version: 1
defaults:
  ready: { notify: true, watchdog: 30s }
services:
  inherits: { command: x }
  waits: { command: x, ready: { after: 2s } }
  probes:
    command: x
    ready: { probe: tcp }
    health: [{ type: tcp, port: 80 }]
  tunes: { command: x, ready: { watchdog: 5s } }
)");
    EXPECT_EQ(service(config, "inherits").ready, (core::ReadySpec{0ms, std::nullopt, true, 30s}));
    EXPECT_EQ(service(config, "waits").ready, (core::ReadySpec{2s, std::nullopt, false, std::nullopt}));
    EXPECT_EQ(service(config, "probes").ready, (core::ReadySpec{0ms, "tcp", false, std::nullopt}));
    // Only a watchdog: still notify, from defaults.
    EXPECT_EQ(service(config, "tunes").ready, (core::ReadySpec{0ms, std::nullopt, true, 5s}));
}

// ---- paths: lua_path, heartbeat files, scripts

TEST_F(HealthConfig, LuaPathForms) {
    EXPECT_EQ(load_ok("version: 1\nsupervisor: { lua_path: scripts }\n").supervisor.lua_path,
              (std::vector<std::string>{dir_.at("etc/scripts")}));
    EXPECT_EQ(load_ok("version: 1\nsupervisor: { lua_path: [] }\n").supervisor.lua_path, (std::vector<std::string>{}));
    EXPECT_EQ(load_ok("version: 1\nsupervisor: { lua_path: [a/, ./a, /x//y/, b] }\n").supervisor.lua_path,
              (std::vector<std::string>{dir_.at("etc/a"), "/x/y", dir_.at("etc/b")}));
}

TEST_F(HealthConfig, RelativePathsResolveAgainstTheFileOfTheProbe) {
    dir_.write("plugins/osc/service.yaml", R"(services:
  osc:
    command: x
    health: [{ type: heartbeat, path: run/osc.hb }, { type: lua, script: ./checks/osc.lua }]
)");
    script("plugins/osc/checks/osc.lua");
    const auto config = load_ok(R"(version: 1
supervisor: { include: ../plugins/*/service.yaml }
services:
  web: { command: x, health: [{ type: heartbeat, path: ../run/web.hb }] }
)");
    EXPECT_EQ(service(config, "web").health.at(0).path, dir_.at("run/web.hb"));
    EXPECT_EQ(service(config, "osc").health.at(0).path, dir_.at("plugins/osc/run/osc.hb"));
    EXPECT_EQ(service(config, "osc").health.at(1).script, dir_.at("plugins/osc/checks/osc.lua"));
    EXPECT_EQ(service(config, "osc").health.at(1).name, "lua:osc");
}

TEST_F(HealthConfig, ScriptSearchOrderLuaPathThenTheFilesOwnLuaDir) {
    script("first/both.lua");
    script("second/both.lua");
    script("second/only-second.lua");
    script("plugins/osc/lua/own.lua");
    script("plugins/osc/lua/both.lua");
    dir_.write("plugins/osc/service.yaml", R"(services:
  osc:
    command: x
    health:
      - { type: lua, script: both.lua }
      - { type: lua, script: only-second.lua }
      - { type: lua, script: own.lua }
)");
    const auto config = load_ok(R"(version: 1
supervisor:
  lua_path: [../first, ../missing, ../second]
  include: ../plugins/*/service.yaml
)");
    const auto& osc = service(config, "osc");
    ASSERT_EQ(osc.health.size(), 3u);
    EXPECT_EQ(osc.health[0].script, dir_.at("first/both.lua"));  // lua_path wins over the file's own lua/
    EXPECT_EQ(osc.health[1].script, dir_.at("second/only-second.lua"));
    EXPECT_EQ(osc.health[2].script, dir_.at("plugins/osc/lua/own.lua"));
    EXPECT_EQ(names(osc), (std::vector<std::string>{"lua:both", "lua:only-second", "lua:own"}));
}

TEST_F(HealthConfig, ScriptInTheMainFilesOwnLuaDir) {
    script("etc/lua/check.lua");
    const auto config = load_ok(web_with("    health: [{ type: lua, script: check.lua }]\n"));
    EXPECT_EQ(service(config, "web").health.at(0).script, dir_.at("etc/lua/check.lua"));
}

// ---- args

TEST_F(HealthConfig, ArgsTyping) {
    script("lua/check.lua");
    const auto config = load_ok(web_with(R"(    health:
      - type: lua
        script: check.lua
        args:
          count: 3
          negative: -2
          hex: 0x10
          ratio: 0.25
          whole: 5.0
          on: true
          off: False
          duration: 30s
          quoted_number: "30"
          single_quoted: 'true'
          word: yes
          nothing: ~
          empty:
          text: "line\nbreak \"q\""
          list: [1, two, 3.5, false, [x]]
          nested: { a: { b: 1, c: [] }, d: {} }
)"));
    EXPECT_EQ(service(config, "web").health.at(0).args_json,
              R"({"count":3,"negative":-2,"hex":16,"ratio":0.25,"whole":5.0,"on":true,"off":false,)"
              R"("duration":"30s","quoted_number":"30","single_quoted":"true","word":"yes","nothing":null,)"
              R"("empty":null,"text":"line\nbreak \"q\"","list":[1,"two",3.5,false,["x"]],)"
              R"("nested":{"a":{"b":1,"c":[]},"d":{}}})");
}

TEST_F(HealthConfig, ArgsAreExpanded) {
    script("lua/check.lua");
    const auto config = load_ok(web_with(R"(    health:
      - type: lua
        script: check.lua
        args:
          port: "${PORT}"
          n: ${N}
)"),
                                {{"PORT", "9000"}, {"N", "4"}});
    EXPECT_EQ(service(config, "web").health.at(0).args_json, R"({"port":"9000","n":4})");
}

// ---- health.d

TEST_F(HealthConfig, HealthDScriptsAreAttachedSortedAfterYamlProbes) {
    script("lua/health.d/web/b.lua");
    script("lua/health.d/web/a.lua");
    dir_.write("lua/health.d/web/notes.txt", "not a script");
    script("lua/health.d/web/.hidden.lua");
    script("lua/health.d/web/sub/deep.lua");
    script("lua/health.d/other/x.lua");
    script("lua/health.d/nobody/x.lua");  // no such service: ignored
    const auto config = load_ok(R"(version: 1
services:
  web: { command: x, health: [{ type: tcp, port: 80 }] }
  other: { command: x }
  db: { command: x }
)");
    const auto& web = service(config, "web");
    EXPECT_EQ(names(web), (std::vector<std::string>{"tcp", "lua:a", "lua:b"}));
    ASSERT_EQ(web.health.size(), 3u);
    auto a = probe(core::ProbeType::lua, "lua:a");
    a.script = dir_.at("lua/health.d/web/a.lua");
    EXPECT_EQ(web.health[1], a);
    EXPECT_EQ(web.health[1].where, (core::SourceLocation{dir_.at("lua/health.d/web/a.lua"), 0, 0}));
    EXPECT_EQ(names(service(config, "other")), (std::vector<std::string>{"lua:x"}));
    EXPECT_THAT(service(config, "db").health, IsEmpty());
}

TEST_F(HealthConfig, HealthDAcrossLuaPathInOrderYamlProbeWinsAClash) {
    script("one/health.d/web/levels.lua");
    script("one/health.d/web/z.lua");
    script("two/health.d/web/a.lua");
    script("two/health.d/web/z.lua");
    script("one/levels.lua");
    const auto config = load_ok(R"(version: 1
supervisor: { lua_path: [../one, ../two] }
services:
  web:
    command: x
    ready: { probe: "lua:a" }
    health: [{ type: lua, script: levels.lua, interval: 1s }]
)");
    const auto& web = service(config, "web");
    // one/health.d's levels.lua clashes with the YAML probe and is skipped; one's z.lua shadows two's.
    EXPECT_EQ(names(web), (std::vector<std::string>{"lua:levels", "lua:z", "lua:a"}));
    ASSERT_EQ(web.health.size(), 3u);
    EXPECT_EQ(web.health[0].script, dir_.at("one/levels.lua"));
    EXPECT_EQ(web.health[0].interval, 1s);
    EXPECT_EQ(web.health[1].script, dir_.at("one/health.d/web/z.lua"));
    EXPECT_EQ(web.health[2].script, dir_.at("two/health.d/web/a.lua"));
    EXPECT_EQ(web.ready.probe, "lua:a");  // ready may wait for a drop-in probe
}

// ---- errors

TEST_F(HealthConfig, HealthNotAList) {
    expect_one(web_with("    health: { type: tcp, port: 80 }\n"), 5, 13,
               "health: expected a list of probes (maps with a 'type'), got a map");
}

TEST_F(HealthConfig, ProbeNotAMap) {
    expect_one(web_with("    health: [tcp]\n"), 5, 14, "health[0]: expected a probe (a map with a 'type'), got 'tcp'");
}

TEST_F(HealthConfig, MissingType) {
    expect_one(web_with("    health:\n      - { port: 80 }\n"), 6, 9,
               "missing required key 'type' in health[0] of service 'web' (heartbeat, command, tcp, http or lua)");
}

TEST_F(HealthConfig, PidProbeIsImplicit) {
    expect_one(web_with("    health: [{ type: pid }]\n"), 5, 22, "health[0].type: the pid probe is implicit; remove it");
}

TEST_F(HealthConfig, UnknownType) {
    expect_one(web_with("    health: [{ type: ping }]\n"), 5, 22,
               "health[0].type: expected heartbeat, command, tcp, http or lua, got 'ping'");
}

TEST_F(HealthConfig, UnknownProbeKeyWithHint) {
    expect_one(web_with("    health: [{ type: tcp, port: 80, intervl: 5s }]\n"), 5, 37,
               "unknown key 'intervl' in health[0] of service 'web'; did you mean 'interval'?");
}

TEST_F(HealthConfig, KeyOfAnotherProbeType) {
    expect_one(web_with("    health: [{ type: tcp, port: 80, max_age: 5s }]\n"), 5, 37,
               "'max_age' in health[0] of service 'web' is not a key of a tcp probe (only heartbeat probes have it)");
}

TEST_F(HealthConfig, RepeatedProbeKey) {
    expect_one(web_with("    health: [{ type: tcp, port: 80, port: 81 }]\n"), 5, 37,
               "key 'port' is set twice (first at " + dir_.at("etc/services.yaml") + ":5:27)");
}

TEST_F(HealthConfig, MissingRequiredKeyOfEachType) {
    EXPECT_THAT(errors(web_with(R"(    health:
      - type: heartbeat
      - type: command
      - type: tcp
      - type: http
      - type: lua
)")),
                ElementsAre(main_error(6, 9, "missing required key 'path' in health[0] of service 'web' (a heartbeat probe)"),
                            main_error(7, 9, "missing required key 'command' in health[1] of service 'web' (a command probe)"),
                            main_error(8, 9, "missing required key 'port' in health[2] of service 'web' (a tcp probe)"),
                            main_error(9, 9, "missing required key 'url' in health[3] of service 'web' (an http probe)"),
                            main_error(10, 9, "missing required key 'script' in health[4] of service 'web' (a lua probe)")));
}

TEST_F(HealthConfig, CommonValuesOutOfRange) {
    EXPECT_THAT(
        errors(web_with(R"(    health:
      - type: tcp
        port: 0
        interval: 50ms
        timeout: 5ms
        grace: soon
        failures: 0
        successes: -1
        name: ""
      - { type: heartbeat, path: /x, max_age: 0 }
      - { type: command, command: [] }
      - { type: tcp, port: 65536, host: "" }
)")),
        ElementsAre(main_error(7, 15, "health[0].port: expected a port from 1 to 65535, got '0'"),
                    main_error(8, 19, "health[0].interval: expected a duration of at least 100ms, got '50ms'"),
                    main_error(9, 18, "health[0].timeout: expected a duration of at least 10ms, got '5ms'"),
                    main_error(10, 16, "health[0].grace: expected a duration like 10s, got 'soon'"),
                    main_error(11, 19, "health[0].failures: expected an integer of at least 1, got '0'"),
                    main_error(12, 20, "health[0].successes: expected an integer of at least 1, got '-1'"),
                    main_error(13, 15, "health[0].name: expected a probe name, got ''"),
                    main_error(14, 47, "health[1].max_age: expected a duration of at least 1ms, got '0'"),
                    main_error(15, 35,
                               "health[2].command: expected a list of strings (argv) or a string (run by /bin/sh -c), "
                               "got a list"),
                    main_error(16, 28, "health[3].port: expected a port from 1 to 65535, got '65536'"),
                    main_error(16, 41, "health[3].host: expected a host name or address, got ''")));
}

TEST_F(HealthConfig, HttpUrls) {
    EXPECT_THAT(errors(web_with(R"(    health:
      - { type: http, name: a, url: "https://example.com/health" }
      - { type: http, name: b, url: "ftp://example.com/" }
      - { type: http, name: c, url: "localhost:8080/health" }
      - { type: http, name: d, url: "http:///health" }
      - { type: http, name: e, url: "http://h:70000/" }
      - { type: http, name: f, url: "http://h:/" }
      - { type: http, name: g, url: "http://user@h/" }
)")),
                ElementsAre(main_error(6, 37, "health[0].url: https is not supported; use a command probe with curl"),
                            main_error(7, 37, "health[1].url: expected a URL like http://127.0.0.1:8080/health, got "
                                              "'ftp://example.com/'"),
                            main_error(8, 37, "health[2].url: expected a URL like http://127.0.0.1:8080/health, got "
                                              "'localhost:8080/health'"),
                            main_error(9, 37, "health[3].url: expected a URL like http://127.0.0.1:8080/health, got "
                                              "'http:///health' (no host)"),
                            main_error(10, 37, "health[4].url: invalid port '70000' in 'http://h:70000/' (use 1 to 65535)"),
                            main_error(11, 37, "health[5].url: invalid port '' in 'http://h:/' (use 1 to 65535)"),
                            main_error(12, 37, "health[6].url: user names in URLs are not supported, got 'http://user@h/'")));
}

TEST_F(HealthConfig, HttpUrlForms) {
    const auto config = load_ok(web_with(R"(    health:
      - { type: http, name: a, url: "http://localhost" }
      - { type: http, name: b, url: "HTTP://10.0.0.1:80/x?y=1#z" }
      - { type: http, name: c, url: "http://[fe80::1]/" }
)"));
    EXPECT_EQ(service(config, "web").health.at(1).url, "HTTP://10.0.0.1:80/x?y=1#z");
}

TEST_F(HealthConfig, LuaScriptNotFound) {
    script("lua/levels.lua");
    script("etc/lua/other.lua");
    expect_one(web_with("    health: [{ type: lua, script: level.lua }]\n"), 5, 35,
               "health[0].script: lua script 'level.lua' not found in " + dir_.at("lua") + ", " + dir_.at("etc/lua") +
                   "; did you mean 'levels.lua'?");
}

TEST_F(HealthConfig, LuaScriptNotFoundWithoutHint) {
    expect_one(web_with("    health: [{ type: lua, script: check.lua }]\n"), 5, 35,
               "health[0].script: lua script 'check.lua' not found in " + dir_.at("lua") + ", " + dir_.at("etc/lua"));
}

TEST_F(HealthConfig, LuaScriptPathNotFound) {
    std::filesystem::create_directories(dir_.path("etc/checks/dir.lua"));
    EXPECT_THAT(errors(web_with("    health: [{ type: lua, script: checks/x.lua }, { type: lua, script: checks/dir.lua }]\n")),
                ElementsAre(main_error(5, 35, "health[0].script: lua script 'checks/x.lua' not found at " +
                                                  dir_.at("etc/checks/x.lua")),
                            main_error(5, 72, "health[1].script: lua script 'checks/dir.lua' not found at " +
                                                  dir_.at("etc/checks/dir.lua"))));
}

TEST_F(HealthConfig, ArgsNotAMapOrWithARepeatedKey) {
    script("lua/check.lua");
    EXPECT_THAT(errors(web_with(R"(    health:
      - { type: lua, script: check.lua, args: [1] }
      - { type: lua, name: two, script: check.lua, args: { a: { b: 1, b: 2 } } }
)")),
                ElementsAre(main_error(6, 47, "health[0].args: expected a map, got a list"),
                            main_error(7, 71, "key 'b' is set twice (first at " + dir_.at("etc/services.yaml") + ":7:65)")));
}

TEST_F(HealthConfig, TwoProbesWithOneName) {
    EXPECT_THAT(errors(web_with(R"(    health:
      - { type: tcp, port: 80 }
      - { type: tcp, port: 81 }
      - { type: http, name: tcp, url: "http://h/" }
)")),
                ElementsAre(main_error(7, 9, "two probes named 'tcp' in service 'web'; give each a distinct 'name'"),
                            main_error(8, 29, "two probes named 'tcp' in service 'web'; give each a distinct 'name'")));
}

TEST_F(HealthConfig, NamesOfTheImplicitProbesAreTaken) {
    EXPECT_THAT(errors(web_with(R"(    health:
      - { type: tcp, port: 80, name: pid }
      - { type: tcp, port: 81, name: watchdog }
)")),
                ElementsAre(main_error(6, 38, "health[0].name: 'pid' is the name of the implicit pid probe; choose another"),
                            main_error(7, 38, "health[1].name: 'watchdog' is the name of the implicit watchdog probe; "
                                              "choose another")));
}

TEST_F(HealthConfig, ReadyProbeNamesAMissingProbe) {
    expect_one(web_with("    ready: { probe: tcpp }\n"
                        "    health: [{ type: tcp, port: 80 }, { type: http, name: api, url: \"http://h/\" }]\n"),
               5, 21, "ready.probe: service 'web' has no probe named 'tcpp' (its probes: tcp, api); did you mean 'tcp'?");
}

TEST_F(HealthConfig, ReadyProbeWithoutProbes) {
    expect_one(web_with("    ready: { probe: tcp }\n"), 5, 21,
               "ready.probe: service 'web' has no probe named 'tcp' (it has no health probes)");
}

TEST_F(HealthConfig, ReadyProbeFromDefaultsIsCheckedPerService) {
    EXPECT_THAT(errors(R"(version: 1
defaults:
  ready: { probe: tcp }
services:
  a: { command: x, health: [{ type: tcp, port: 80 }] }
  b: { command: x }
)"),
                ElementsAre(main_error(3, 19, "ready.probe: service 'b' has no probe named 'tcp' (it has no health probes)")));
}

TEST_F(HealthConfig, ReadyTimeout) {
    const auto config = load_ok(R"(version: 1
services:
  a: { command: x, ready: { notify: true } }
  b: { command: x, ready: { notify: true, timeout: 20s } }
  c: { command: x, ready: { probe: tcp, timeout: never }, health: [{ type: tcp, port: 80 }] }
)");
    EXPECT_EQ(service(config, "a").ready.timeout, std::optional<core::Duration>(90s));
    EXPECT_EQ(service(config, "b").ready.timeout, std::optional<core::Duration>(20s));
    EXPECT_EQ(service(config, "c").ready.timeout, std::nullopt);
}

TEST_F(HealthConfig, ReadyTimeoutNeedsProbeOrNotify) {
    expect_one(web_with("    ready: { after: 1s, timeout: 10s }\n"), 5, 34,
               "ready.timeout needs probe or notify: true (ready.after is a fixed delay)");
    expect_one(web_with("    ready: { notify: true, timeout: 5ms }\n"), 5, 37,
               "ready.timeout: expected a duration of at least 100ms, got '5ms'");
}

TEST_F(HealthConfig, WatchdogWithoutNotify) {
    expect_one(web_with("    ready: { watchdog: 10s }\n"), 5, 24, "ready.watchdog needs notify: true");
    expect_one(web_with("    ready: { notify: false, watchdog: 10s }\n"), 5, 39, "ready.watchdog needs notify: true");
}

TEST_F(HealthConfig, WatchdogTooShort) {
    expect_one(web_with("    ready: { notify: true, watchdog: 50ms }\n"), 5, 38,
               "ready.watchdog: expected a duration of at least 100ms, got '50ms'");
}

TEST_F(HealthConfig, NotifyNotABool) {
    // Only the bad value is reported, not also the watchdog that depends on it.
    expect_one(web_with("    ready: { notify: 1, watchdog: 10s }\n"), 5, 22, "ready.notify: expected true or false, got '1'");
}

TEST_F(HealthConfig, TwoWaysOfBecomingReady) {
    EXPECT_THAT(errors(R"(version: 1
services:
  a: { command: x, ready: { after: 1s, notify: true } }
  b: { command: x, ready: { probe: tcp, after: 1s }, health: [{ type: tcp, port: 80 }] }
  c: { command: x, ready: { notify: true, probe: tcp, after: 1s }, health: [{ type: tcp, port: 80 }] }
)"),
                ElementsAre(main_error(3, 40, "ready.after and ready.notify cannot both be set: a service becomes ready in one way only"),
                            main_error(4, 41, "ready.probe and ready.after cannot both be set: a service becomes ready in one way only"),
                            main_error(5, 43, "ready.notify and ready.probe cannot both be set: a service becomes ready in one way only")));
}

TEST_F(HealthConfig, HealthInDefaults) {
    expect_one("version: 1\n"
               "defaults:\n"
               "  health: [{ type: tcp, port: 80 }]\n"
               "services:\n"
               "  web: { command: x }\n",
               3, 3,
               "'health' cannot be set in defaults: probes belong to one service (set them in each service, or drop "
               "Lua scripts into health.d/)");
}

TEST_F(HealthConfig, BadChoices) {
    EXPECT_THAT(errors(web_with("    on_unhealthy: reboot\n    alert: loud\n")),
                ElementsAre(main_error(5, 19, "on_unhealthy: expected restart, stop or alert, got 'reboot'"),
                            main_error(6, 12, "alert: expected critical, warning or info, got 'loud'")));
}

TEST_F(HealthConfig, BadMemoryLimits) {
    EXPECT_THAT(errors(web_with("    limits: { memory: 512, memory_interval: 10ms }\n")),
                ElementsAre(main_error(5, 23, "limits.memory: size needs a unit (e.g. 10MiB), got '512'"),
                            main_error(5, 45, "limits.memory_interval: expected a duration of at least 100ms, got '10ms'")));
}

TEST_F(HealthConfig, BadLuaPath) {
    EXPECT_THAT(errors("version: 1\nsupervisor:\n  lua_path: { a: b }\n  include: []\n"),
                ElementsAre(main_error(3, 13, "supervisor.lua_path: expected a directory or a list of them, got a map")));
    EXPECT_THAT(errors("version: 1\nsupervisor:\n  lua_path: [a, [b]]\n"),
                ElementsAre(main_error(3, 17, "supervisor.lua_path: expected a path, got a list")));
}

TEST_F(HealthConfig, ErrorsOfAnIncludedFileNameThatFile) {
    dir_.write("etc/services.d/web.yaml", "services:\n  web:\n    command: x\n    health: [{ type: tcp }]\n");
    EXPECT_THAT(errors("version: 1\nsupervisor: { include: services.d/*.yaml }\n"),
                ElementsAre(error_in("etc/services.d/web.yaml", 4, 14,
                                     "missing required key 'port' in health[0] of service 'web' (a tcp probe)")));
}

TEST_F(HealthConfig, ManyProbeErrorsReportedTogether) {
    EXPECT_THAT(errors(web_with(R"(    ready: { probe: nope, notify: true }
    health:
      - { type: pid }
      - { type: tcp, port: 80, path: /x }
    on_unhealthy: later
)")),
                ElementsAre(main_error(5, 21, "ready.probe: service 'web' has no probe named 'nope' (its probes: tcp)"),
                            main_error(5, 27, "ready.probe and ready.notify cannot both be set: a service becomes ready in one way only"),
                            main_error(7, 17, "health[0].type: the pid probe is implicit; remove it"),
                            main_error(8, 32, "'path' in health[1] of service 'web' is not a key of a tcp probe (only heartbeat probes have it)"),
                            main_error(9, 19, "on_unhealthy: expected restart, stop or alert, got 'later'")));
}

}  // namespace
}  // namespace vj::config
