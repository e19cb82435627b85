// Tests of every class of config error: exact file:line:column and message, all reported at once.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "config/loader.hpp"
#include "unit/config/temp_config_dir.hpp"

namespace vj::config {
namespace {

using test_support::rendered;
using test_support::TempConfigDir;
using ::testing::ElementsAre;

class LoaderErrors : public test_support::LoadingTest {
protected:
    /// Writes etc/services.yaml and loads it by absolute path.
    LoadResult load_main(std::string_view text, const Environment& env = {}) {
        main_ = dir_.write("etc/services.yaml", text);
        return load(main_, env);
    }
    /// "ABS/etc/services.yaml:LINE:COL: error: MESSAGE"
    std::string main_error(int line, int column, std::string_view message) const {
        return error_in("etc/services.yaml", line, column, message);
    }
    std::string error_in(std::string_view file, int line, int column, std::string_view message) const {
        return dir_.at(file) + ":" + std::to_string(line) + ":" + std::to_string(column) + ": error: " +
               std::string(message);
    }
    std::filesystem::path main_;
};

using test_support::web_with;

TEST_F(LoaderErrors, YamlSyntaxError) {
    expect_one("version: 1\n"
               "services:\n"
               "  web:\n"
               "    command: [sleep, 60\n"
               "    cwd: /tmp\n",
               5, 8, "invalid YAML: end of sequence flow not found");
}

TEST_F(LoaderErrors, YamlSyntaxErrorStopsOnlyThatFile) {
    dir_.write("etc/services.d/broken.yaml", "services:\n  a: b: c\n");
    const auto result = load_main("version: 1\n"
                                  "supervisor:\n"
                                  "  include: services.d/*.yaml\n"
                                  "services:\n"
                                  "  web:\n"
                                  "    autostart: maybe\n");
    EXPECT_THAT(rendered(result),
                ElementsAre(main_error(5, 3, "missing required key 'command' in service 'web'"),
                            main_error(6, 16, "autostart: expected true or false, got 'maybe'"),
                            error_in("etc/services.d/broken.yaml", 2, 7, "invalid YAML: illegal map value")));
}

TEST_F(LoaderErrors, UnknownKeyWithHint) {
    expect_one(web_with("    restat: always\n"), 5, 5, "unknown key 'restat' in service 'web'; did you mean 'restart'?");
}

TEST_F(LoaderErrors, UnknownNestedKeyWithHint) {
    expect_one(web_with("    restart:\n"
                        "      backoff: { intial: 2s }\n"),
               6, 18, "unknown key 'intial' in restart.backoff of service 'web'; did you mean 'initial'?");
}

TEST_F(LoaderErrors, UnknownKeyWithoutHint) {
    expect_one(web_with("    colour: blue\n"), 5, 5, "unknown key 'colour' in service 'web'");
}

TEST_F(LoaderErrors, UnknownKeysInSections) {
    const auto result = load_main("version: 1\n"
                                  "supervisor:\n"
                                  "  sockt: /tmp/s.sock\n"
                                  "defaults:\n"
                                  "  stop: { timout: 5s }\n"
                                  "servces: {}\n");
    EXPECT_THAT(rendered(result),
                ElementsAre(main_error(3, 3, "unknown key 'sockt' in supervisor; did you mean 'socket'?"),
                            main_error(5, 11, "unknown key 'timout' in defaults.stop; did you mean 'timeout'?"),
                            main_error(6, 1, "unknown key 'servces' at the top level; did you mean 'services'?")));
}

TEST_F(LoaderErrors, NotYetSupportedKeys) {
    const auto result = load_main("version: 1\n"
                                  "supervisor:\n"
                                  "  metrics: { listen: 127.0.0.1:9109 }\n"
                                  "services:\n"
                                  "  web:\n"
                                  "    command: [sleep, \"60\"]\n"
                                  "jobs: {}\n");
    EXPECT_THAT(rendered(result),
                ElementsAre(main_error(3, 3, "'metrics' is not supported yet by this version of supervisord"),
                            main_error(7, 1, "'jobs' is not supported yet by this version of supervisord")));
}

TEST_F(LoaderErrors, WrongTypeDuration) {
    expect_one(web_with("    stop: { timeout: ten }\n"), 5, 22, "stop.timeout: expected a duration like 10s, got 'ten'");
}

TEST_F(LoaderErrors, WrongTypeInteger) {
    expect_one(web_with("    instances: many\n"), 5, 16, "instances: expected an integer from 1 to 1000, got 'many'");
}

TEST_F(LoaderErrors, WrongTypeBool) {
    expect_one(web_with("    autostart: yes\n"), 5, 16, "autostart: expected true or false, got 'yes'");
}

TEST_F(LoaderErrors, WrongTypeList) {
    expect_one(web_with("    restart: { success_codes: 0 }\n"), 5, 31,
               "restart.success_codes: expected a list of exit codes (0 to 255), got '0'");
}

TEST_F(LoaderErrors, WrongTypeMapWhereScalarExpected) {
    expect_one(web_with("    user: { name: vj }\n"), 5, 11, "user: expected a user name or id, got a map");
}

TEST_F(LoaderErrors, CommandOfWrongType) {
    expect_one("version: 1\n"
               "services:\n"
               "  web:\n"
               "    command: { run: x }\n",
               4, 14, "command: expected a list of strings (argv) or a string (run by /bin/sh -c), got a map");
}

TEST_F(LoaderErrors, BadDurationUnit) {
    expect_one(web_with("    ready: { after: 5x }\n"), 5, 21, "ready.after: unknown duration unit 'x' in '5x' (use ms, s, m, h or d)");
}

TEST_F(LoaderErrors, DurationWithoutUnit) {
    expect_one(web_with("    stop:\n      timeout: 10\n"), 6, 16, "stop.timeout: duration needs a unit (e.g. 5s), got '10'");
}

TEST_F(LoaderErrors, UnsetVariable) {
    expect_one(web_with("    cwd: ${APP_DIR}/current\n"), 5, 10,
               "environment variable 'APP_DIR' is not set (write ${APP_DIR:-default} to give a default)");
}

TEST_F(LoaderErrors, UnterminatedVariable) {
    expect_one(web_with("    env: { DB: \"${DB_HOST\" }\n"), 5, 16, "unterminated '${' in '${DB_HOST'");
}

TEST_F(LoaderErrors, BadSignalName) {
    expect_one(web_with("    stop: { signal: TERMINATE }\n"), 5, 21,
               "stop.signal: unknown signal 'TERMINATE' (use a name like TERM, SIGINT or a number)");
}

TEST_F(LoaderErrors, BadPolicy) {
    expect_one(web_with("    restart: { policy: sometimes }\n"), 5, 24,
               "restart.policy: expected always, on-failure or never, got 'sometimes'");
}

TEST_F(LoaderErrors, JitterOutOfRange) {
    expect_one(web_with("    restart:\n"
                        "      backoff:\n"
                        "        jitter: 150%\n"),
               7, 17,
               "restart.backoff.jitter: expected a percentage from 0% to 100% (like 10%) or a fraction from 0 to 1, "
               "got '150%'");
}

TEST_F(LoaderErrors, MaxLessThanInitial) {
    expect_one(web_with("    restart:\n"
                        "      backoff: { initial: 30s, max: 10s }\n"),
               6, 37, "restart.backoff.max: 10s is less than restart.backoff.initial (30s)");
}

TEST_F(LoaderErrors, InitialAboveBuiltInMax) {
    expect_one(web_with("    restart: { backoff: { initial: 10m } }\n"), 5, 36,
               "restart.backoff.initial: 10m is more than restart.backoff.max (5m, the default)");
}

TEST_F(LoaderErrors, MaxFromDefaultsLessThanInitialInIncludedService) {
    // The bad value is the default's: the message points at the main file's defaults line.
    dir_.write("etc/services.d/web.yaml", "services:\n"
                                          "  web:\n"
                                          "    command: [sleep, \"60\"]\n"
                                          "    restart: { backoff: { initial: 20s } }\n");
    const auto result = load_main("version: 1\n"
                                  "supervisor: { include: services.d/*.yaml }\n"
                                  "defaults:\n"
                                  "  restart: { backoff: { max: 10s } }\n");
    EXPECT_THAT(rendered(result),
                ElementsAre(main_error(4, 30, "restart.backoff.max: 10s is less than restart.backoff.initial (20s)")));
}

TEST_F(LoaderErrors, InstancesOutOfRange) {
    const auto result = load_main("version: 1\n"
                                  "services:\n"
                                  "  a: { command: x, instances: 0 }\n"
                                  "  b: { command: x, instances: 1001 }\n");
    EXPECT_THAT(rendered(result), ElementsAre(main_error(3, 31, "instances: expected an integer from 1 to 1000, got '0'"),
                                              main_error(4, 31, "instances: expected an integer from 1 to 1000, got '1001'")));
}

TEST_F(LoaderErrors, BadServiceName) {
    const auto result = load_main("version: 1\n"
                                  "services:\n"
                                  "  \"my web\": { command: x }\n"
                                  "  web:1: { command: x }\n"
                                  "  -web: { command: x }\n");
    const std::string rule = "use letters, digits, '_', '.' and '-', not starting with '.' or '-'";
    EXPECT_THAT(rendered(result), ElementsAre(main_error(3, 3, "invalid service name 'my web': " + rule),
                                              main_error(4, 3, "invalid service name 'web:1': " + rule),
                                              main_error(5, 3, "invalid service name '-web': " + rule)));
}

TEST_F(LoaderErrors, MissingCommand) {
    expect_one("version: 1\n"
               "services:\n"
               "  web:\n"
               "    cwd: /tmp\n",
               3, 3, "missing required key 'command' in service 'web'");
}

TEST_F(LoaderErrors, MissingCommandInEmptyService) {
    expect_one("version: 1\n"
               "services:\n"
               "  idle:\n",
               3, 3, "missing required key 'command' in service 'idle'");
}

TEST_F(LoaderErrors, CommandInDefaults) {
    expect_one("version: 1\n"
               "defaults:\n"
               "  command: [true]\n",
               3, 3, "'command' cannot be set in defaults: every service needs its own");
}

TEST_F(LoaderErrors, DuplicateServiceAcrossTwoFiles) {
    dir_.write("etc/services.d/web.yaml", "version: 1\n"
                                          "services:\n"
                                          "  web:\n"
                                          "    command: [other]\n");
    test_support::ScopedCwd cwd(dir_.root());
    dir_.write("etc/services.yaml", "version: 1\n"
                                    "supervisor:\n"
                                    "  include: [services.d/*.yaml]\n"
                                    "services:\n"
                                    "  web:\n"
                                    "    command: [sleep, \"60\"]\n");
    const auto result = load("etc/services.yaml", {});
    EXPECT_THAT(rendered(result), ElementsAre("etc/services.d/web.yaml:3:3: error: service 'web' is already defined at "
                                              "etc/services.yaml:5:3"));
}

TEST_F(LoaderErrors, DuplicateServiceInOneFile) {
    expect_one("version: 1\n"
               "services:\n"
               "  web: { command: a }\n"
               "  web: { command: b }\n",
               4, 3, "service 'web' is already defined at " + dir_.at("etc/services.yaml") + ":3:3");
}

TEST_F(LoaderErrors, DuplicateKey) {
    expect_one(web_with("    cwd: /a\n"
                        "    cwd: /b\n"),
               6, 5, "key 'cwd' is set twice (first at " + dir_.at("etc/services.yaml") + ":5:5)");
}

TEST_F(LoaderErrors, IncludeOfMissingLiteralPath) {
    expect_one("version: 1\n"
               "supervisor:\n"
               "  include:\n"
               "    - services.d/*.yaml\n"
               "    - extra/web.yaml\n",
               5, 7, "cannot include " + dir_.at("etc/extra/web.yaml") + ": No such file or directory");
}

TEST_F(LoaderErrors, NestedInclude) {
    dir_.write("etc/services.d/web.yaml", "supervisor:\n"
                                          "  include: [more/*.yaml]\n"
                                          "services:\n"
                                          "  web: { command: x }\n");
    const auto result = load_main("version: 1\nsupervisor: { include: services.d/*.yaml }\n");
    EXPECT_THAT(rendered(result),
                ElementsAre(error_in("etc/services.d/web.yaml", 2, 3,
                                     "includes do not nest: 'include' is only allowed in the main file's supervisor map")));
}

TEST_F(LoaderErrors, DefaultsInInclude) {
    dir_.write("etc/services.d/web.yaml", "version: 1\n"
                                          "defaults:\n"
                                          "  autostart: false\n"
                                          "services:\n"
                                          "  web: { command: x }\n");
    const auto result = load_main("version: 1\nsupervisor: { include: services.d/*.yaml }\n");
    EXPECT_THAT(rendered(result),
                ElementsAre(error_in("etc/services.d/web.yaml", 2, 1,
                                     "'defaults' is not allowed in an included file: set defaults in the main file")));
}

TEST_F(LoaderErrors, IncludedFileKeys) {
    dir_.write("etc/services.d/web.yaml", "version: 2\n"
                                          "servics: {}\n"
                                          "supervisor: { socket: /x }\n");
    const auto result = load_main("version: 1\nsupervisor: { include: services.d/*.yaml }\n");
    const std::string file = "etc/services.d/web.yaml";
    EXPECT_THAT(rendered(result),
                ElementsAre(error_in(file, 1, 10, "version: unsupported version '2' (this supervisord reads version 1)"),
                            error_in(file, 2, 1,
                                     "unknown key 'servics' at the top level of an included file; did you mean "
                                     "'services'?"),
                            error_in(file, 3, 1,
                                     "'supervisor' is not allowed in an included file: only 'version' and 'services' "
                                     "are")));
}

TEST_F(LoaderErrors, UnknownDependency) {
    expect_one(web_with("    depends_on: [cache, db]\n"
                        "  cache: { command: x }\n"),
               5, 25, "service 'web' depends on unknown service 'db'");
}

TEST_F(LoaderErrors, CycleOfThree) {
    expect_one("version: 1\n"
               "services:\n"
               "  a: { command: x, depends_on: [b] }\n"
               "  b: { command: x, depends_on: c }\n"
               "  c: { command: x, depends_on: [a] }\n",
               3, 33, "dependency cycle: a -> b -> c -> a");
}

TEST_F(LoaderErrors, CycleFoundFromTheMiddleIsNamedFromItsFirstService) {
    expect_one("version: 1\n"
               "services:\n"
               "  start: { command: x, depends_on: [b] }\n"
               "  a: { command: x, depends_on: [b] }\n"
               "  b: { command: x, depends_on: [a] }\n",
               5, 33, "dependency cycle: b -> a -> b");
}

TEST_F(LoaderErrors, SelfCycle) {
    expect_one("version: 1\n"
               "services:\n"
               "  a: { command: x, depends_on: a }\n",
               3, 32, "dependency cycle: a -> a");
}

TEST_F(LoaderErrors, MissingVersion) {
    expect_one("services: {}\n", 1, 1, "missing required key 'version' (this supervisord reads 'version: 1')");
}

TEST_F(LoaderErrors, WrongVersion) {
    expect_one("version: 2\n", 1, 10, "version: unsupported version '2' (this supervisord reads version 1)");
}

TEST_F(LoaderErrors, EmptyMainFile) {
    expect_one("", 1, 1, "missing required key 'version' (this supervisord reads 'version: 1')");
}

TEST_F(LoaderErrors, MissingMainFile) {
    const auto result = load(dir_.path("etc/nope.yaml"), {});
    EXPECT_FALSE(result.config.has_value());
    EXPECT_THAT(rendered(result), ElementsAre(dir_.at("etc/nope.yaml") + ":0:0: error: cannot read: No such file or directory"));
}

TEST_F(LoaderErrors, MainFileIsADirectory) {
    std::filesystem::create_directories(dir_.path("etc"));
    EXPECT_THAT(rendered(load(dir_.path("etc"), {})), ElementsAre(dir_.at("etc") + ":0:0: error: cannot read: Is a directory"));
}

TEST_F(LoaderErrors, DefaultsMistakeReportedOnceForManyServices) {
    expect_one("version: 1\n"
               "defaults:\n"
               "  stop: { signal: NOPE }\n"
               "services:\n"
               "  a: { command: x }\n"
               "  b: { command: x }\n",
               3, 19, "stop.signal: unknown signal 'NOPE' (use a name like TERM, SIGINT or a number)");
}

TEST_F(LoaderErrors, DefaultsMistakeReportedWithoutServices) {
    expect_one("version: 1\n"
               "defaults:\n"
               "  restart: { limit: { window: 0 } }\n",
               3, 31, "restart.limit.window: expected a duration above 0, got '0'");
}

TEST_F(LoaderErrors, SeveralErrorsInOneFileReportedTogether) {
    const auto result = load_main("version: 1\n"
                                  "supervisor:\n"
                                  "  socket_mode: \"0999\"\n"
                                  "  shutdown_timeout: 30\n"
                                  "services:\n"
                                  "  web:\n"
                                  "    command: []\n"
                                  "    umask: 0778\n"
                                  "    restart:\n"
                                  "      policy: always\n"
                                  "      limit: { attempts: -1, cooloff: soon }\n"
                                  "    stop: { group: 1 }\n"
                                  "    env: { A: [1] }\n");
    EXPECT_THAT(rendered(result),
                ElementsAre(main_error(3, 16, "supervisor.socket_mode: expected an octal mode like 0600, got '0999'"),
                            main_error(4, 21, "supervisor.shutdown_timeout: duration needs a unit (e.g. 5s), got '30'"),
                            main_error(7, 14,
                                       "command: expected a list of strings (argv) or a string (run by /bin/sh -c), "
                                       "got a list"),
                            main_error(8, 12, "umask: expected an octal mode like 0600, got '0778'"),
                            main_error(11, 26, "restart.limit.attempts: expected an integer of at least 0, got '-1'"),
                            main_error(11, 39, "restart.limit.cooloff: expected a duration like 10s, got 'soon'"),
                            main_error(12, 20, "stop.group: expected true or false, got '1'"),
                            main_error(13, 15, "env.A: expected a string, got a list")));
}

}  // namespace
}  // namespace vj::config
