// Tests of the `logs` keys of a service (and of defaults) and of supervisor.log_file.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "config/loader.hpp"
#include "unit/config/temp_config_dir.hpp"

namespace vj::config {
namespace {

using namespace std::chrono_literals;
using test_support::rendered;
using test_support::TempConfigDir;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

using Logs = test_support::LoadingTest;
using test_support::web_with;

TEST_F(Logs, EveryKeyParsed) {
    const auto config = load_ok(R"(version: 1
supervisor:
  log_dir: /var/log/vj
services:
  audio:
    command: x
    logs:
      stdout: /srv/vj/log/audio-out.log
      stderr: separate
      stderr_file: /srv/vj/log//audio-err.log
      timestamps: true
      max_size: 1MiB
      rotate_every: 1d
      keep: 7
      ring: 64KiB
      forward: true
      mode: "0600"
)");
    core::LogSpec expected;
    expected.stdout_file = "/srv/vj/log/audio-out.log";
    expected.stderr_mode = core::StderrMode::separate;
    expected.stderr_file = "/srv/vj/log/audio-err.log";
    expected.timestamps = true;
    expected.max_size = 1u << 20;
    expected.rotate_every = 24h;
    expected.keep = 7;
    expected.ring = 64u << 10;
    expected.forward = true;
    expected.file_mode = 0600;
    EXPECT_EQ(service(config, "audio").logs, expected);
}

TEST_F(Logs, BuiltInDefaults) {
    const auto config = load_ok("version: 1\nservices:\n  web: { command: x }\n  empty: { command: x, logs: }\n");
    EXPECT_EQ(service(config, "web").logs, core::LogSpec{});
    EXPECT_EQ(service(config, "empty").logs, core::LogSpec{});
    const core::LogSpec& logs = service(config, "web").logs;
    EXPECT_FALSE(logs.stdout_file.has_value());
    EXPECT_EQ(logs.stderr_mode, core::StderrMode::merge);
    EXPECT_FALSE(logs.stderr_file.has_value());
    EXPECT_FALSE(logs.timestamps);
    EXPECT_EQ(logs.max_size, 10u << 20);
    EXPECT_FALSE(logs.rotate_every.has_value());
    EXPECT_EQ(logs.keep, 5);
    EXPECT_EQ(logs.ring, 256u << 10);
    EXPECT_FALSE(logs.forward);
    EXPECT_EQ(logs.file_mode, 0640u);
}

TEST_F(Logs, OtherValueForms) {
    const auto config = load_ok(R"(version: 1
services:
  a:
    command: x
    logs: { stderr: discard, max_size: 0, keep: 0, ring: 4KiB, mode: 0777, rotate_every: 1h30m }
  b:
    command: x
    logs: { stderr: merge, max_size: 4KiB, keep: 1000, ring: 64MiB, mode: "0o644", timestamps: false }
)");
    const auto& a = service(config, "a").logs;
    EXPECT_EQ(a.stderr_mode, core::StderrMode::discard);
    EXPECT_EQ(a.max_size, 0u);
    EXPECT_EQ(a.keep, 0);
    EXPECT_EQ(a.ring, 4096u);
    EXPECT_EQ(a.file_mode, 0777u);
    EXPECT_EQ(a.rotate_every, std::optional<core::Duration>(90min));
    const auto& b = service(config, "b").logs;
    EXPECT_EQ(b.stderr_mode, core::StderrMode::merge);
    EXPECT_EQ(b.max_size, 4096u);
    EXPECT_EQ(b.keep, 1000);
    EXPECT_EQ(b.ring, 64u << 20);
    EXPECT_EQ(b.file_mode, 0644u);
}

TEST_F(Logs, RelativeFilesAreUnderLogDirNotTheYamlFile) {
    dir_.write("etc/services.d/web.yaml",
               "services:\n  web: { command: x, logs: { stdout: web.log, stderr: separate, stderr_file: err/web.log } }\n");
    const auto config = load_ok(R"(version: 1
supervisor:
  log_dir: ../var/vj-logs
  include: services.d/*.yaml
services:
  audio:
    command: x
    logs: { stdout: audio.log }
  nested:
    command: x
    logs: { stdout: ./sub/../nested.log }
)");
    EXPECT_EQ(service(config, "audio").logs.stdout_file, dir_.at("var/vj-logs/audio.log"));
    EXPECT_EQ(service(config, "nested").logs.stdout_file, dir_.at("var/vj-logs/nested.log"));
    EXPECT_EQ(service(config, "web").logs.stdout_file, dir_.at("var/vj-logs/web.log"));
    EXPECT_EQ(service(config, "web").logs.stderr_file, dir_.at("var/vj-logs/err/web.log"));
}

TEST_F(Logs, RelativeFileWithTheDefaultLogDir) {
    const auto config = load_ok("version: 1\nservices:\n  web: { command: x, logs: { stdout: web-out.log } }\n");
    EXPECT_EQ(service(config, "web").logs.stdout_file, dir_.at("var/log/web-out.log"));
}

TEST_F(Logs, DefaultsMergedPerKey) {
    const auto config = load_ok(R"(version: 1
defaults:
  logs: { max_size: 1MiB, keep: 3, stderr: separate }
services:
  web:
    command: x
    logs: { keep: 9, stderr_file: web.err }
  db:
    command: x
)");
    const auto& web = service(config, "web").logs;
    EXPECT_EQ(web.max_size, 1u << 20);
    EXPECT_EQ(web.keep, 9);
    EXPECT_EQ(web.stderr_mode, core::StderrMode::separate);  // the default's makes stderr_file valid
    EXPECT_EQ(web.stderr_file, dir_.at("var/log/web.err"));
    const auto& db = service(config, "db").logs;
    EXPECT_EQ(db.max_size, 1u << 20);
    EXPECT_EQ(db.keep, 3);
    EXPECT_FALSE(db.stderr_file.has_value());
}

TEST_F(Logs, SupervisorLogFile) {
    EXPECT_FALSE(load_ok("version: 1\n").supervisor.log_file);
    EXPECT_TRUE(load_ok("version: 1\nsupervisor: { log_file: true }\n").supervisor.log_file);
    EXPECT_FALSE(load_ok("version: 1\nsupervisor: { log_file: false }\n").supervisor.log_file);
}

TEST_F(Logs, SupervisorLogFileNotABool) {
    expect_one("version: 1\nsupervisor:\n  log_file: yes\n", 3, 13,
               "supervisor.log_file: expected true or false, got 'yes'");
}

TEST_F(Logs, BadStderrMode) {
    expect_one(web_with("    logs: { stderr: both }\n"), 5, 21,
               "logs.stderr: expected merge, separate or discard, got 'both'");
}

TEST_F(Logs, BadSize) {
    expect_one(web_with("    logs:\n      max_size: 10 MB/s\n"), 6, 17,
               "logs.max_size: expected a size like 10MiB, got '10 MB/s'");
}

TEST_F(Logs, SizeWithoutUnit) {
    expect_one(web_with("    logs: { max_size: 1048576 }\n"), 5, 23,
               "logs.max_size: size needs a unit (e.g. 10MiB), got '1048576'");
}

TEST_F(Logs, MaxSizeTooSmall) {
    expect_one(web_with("    logs: { max_size: 1KiB }\n"), 5, 23,
               "logs.max_size: expected 0 (no rotation by size) or a size of at least 4KiB, got '1KiB'");
}

TEST_F(Logs, KeepOutOfRange) {
    expect_one(web_with("    logs: { keep: 1001 }\n"), 5, 19, "logs.keep: expected an integer from 0 to 1000, got '1001'");
    expect_one(web_with("    logs: { keep: -1 }\n"), 5, 19, "logs.keep: expected an integer from 0 to 1000, got '-1'");
}

TEST_F(Logs, StderrFileWithoutSeparate) {
    expect_one(web_with("    logs: { stderr_file: web.err }\n"), 5, 26, "logs.stderr_file needs stderr: separate");
    expect_one(web_with("    logs: { stderr: discard, stderr_file: web.err }\n"), 5, 43,
               "logs.stderr_file needs stderr: separate");
}

TEST_F(Logs, StderrFileFromDefaultsWithoutSeparateReportedOnce) {
    expect_one("version: 1\n"
               "defaults:\n"
               "  logs: { stderr_file: all.err }\n"
               "services:\n"
               "  a: { command: x }\n"
               "  b: { command: x }\n",
               3, 24, "logs.stderr_file needs stderr: separate");
}

TEST_F(Logs, BadRing) {
    expect_one(web_with("    logs: { ring: 1KiB }\n"), 5, 19, "logs.ring: expected a size from 4KiB to 64MiB, got '1KiB'");
    expect_one(web_with("    logs: { ring: 65MiB }\n"), 5, 19,
               "logs.ring: expected a size from 4KiB to 64MiB, got '65MiB'");
    expect_one(web_with("    logs: { ring: 0 }\n"), 5, 19, "logs.ring: expected a size from 4KiB to 64MiB, got '0'");
}

TEST_F(Logs, RotateEveryMustBeAboveZero) {
    expect_one(web_with("    logs: { rotate_every: 0 }\n"), 5, 27,
               "logs.rotate_every: expected a duration above 0, got '0'");
    expect_one(web_with("    logs: { rotate_every: daily }\n"), 5, 27,
               "logs.rotate_every: expected a duration like 10s, got 'daily'");
}

TEST_F(Logs, BadModeAndBools) {
    expect_one(web_with("    logs: { mode: \"0688\" }\n"), 5, 19, "logs.mode: expected an octal mode like 0600, got '0688'");
    expect_one(web_with("    logs: { forward: 1 }\n"), 5, 22, "logs.forward: expected true or false, got '1'");
    expect_one(web_with("    logs: { timestamps: on }\n"), 5, 25, "logs.timestamps: expected true or false, got 'on'");
}

TEST_F(Logs, BadStdoutPath) {
    expect_one(web_with("    logs: { stdout: [a, b] }\n"), 5, 21, "logs.stdout: expected a file name or path, got a list");
    expect_one(web_with("    logs: { stdout: \"\" }\n"), 5, 21, "logs.stdout: expected a file name or path, got ''");
}

TEST_F(Logs, LogsMustBeAMap) {
    expect_one(web_with("    logs: web.log\n"), 5, 11, "logs: expected a map, got 'web.log'");
}

TEST_F(Logs, UnknownKeyWithHint) {
    expect_one(web_with("    logs: { max_sise: 1MiB }\n"), 5, 13,
               "unknown key 'max_sise' in logs of service 'web'; did you mean 'max_size'?");
}

TEST_F(Logs, UnknownKeyInDefaults) {
    expect_one("version: 1\ndefaults:\n  logs: { kep: 3 }\n", 3, 11,
               "unknown key 'kep' in defaults.logs; did you mean 'keep'?");
}

TEST_F(Logs, BadValueInDefaultsReportedOnce) {
    expect_one("version: 1\n"
               "defaults:\n"
               "  logs: { keep: many }\n"
               "services:\n"
               "  a: { command: x }\n"
               "  b: { command: x }\n",
               3, 17, "logs.keep: expected an integer from 0 to 1000, got 'many'");
}

TEST_F(Logs, SeveralLogErrorsTogether) {
    const auto result = load(dir_.write("etc/services.yaml", web_with("    logs:\n"
                                                                      "      stderr: merged\n"
                                                                      "      max_size: 100B\n"
                                                                      "      keep: 2000\n")),
                             {});
    const auto at = [&](int line, int column, std::string_view message) {
        return dir_.at("etc/services.yaml") + ":" + std::to_string(line) + ":" + std::to_string(column) +
               ": error: " + std::string(message);
    };
    EXPECT_THAT(rendered(result),
                ElementsAre(at(6, 15, "logs.stderr: expected merge, separate or discard, got 'merged'"),
                            at(7, 17, "logs.max_size: expected 0 (no rotation by size) or a size of at least 4KiB, "
                                      "got '100B'"),
                            at(8, 13, "logs.keep: expected an integer from 0 to 1000, got '2000'")));
}

}  // namespace
}  // namespace vj::config
