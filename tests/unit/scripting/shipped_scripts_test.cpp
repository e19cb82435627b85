// The scripts shipped in lua/ (and lua/lib/vjcheck.lua), run from the source tree as supervisord runs them.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>

#include "script_dir.hpp"
#include "scripting/lua_script.hpp"

namespace vj::scripting {
namespace {

using namespace std::chrono_literals;
using test_support::context_with_args;
using test_support::ScriptDir;
using ::testing::HasSubstr;
using ::testing::MatchesRegex;

const std::string kLuaDir = VJ_SOURCE_DIR "/lua";

class ShippedScriptTest : public ::testing::Test {
protected:
    ScriptResult run(const std::string& script, std::string args_json, std::optional<pid_t> pid = {}) {
        LuaScript s(kLuaDir + "/" + script, {kLuaDir});
        ProbeContext ctx = context_with_args(std::move(args_json));
        ctx.pid = pid;
        return s.run(ctx, 5s);
    }

    ScriptDir dir_;
};

// ---- heartbeat.lua

TEST_F(ShippedScriptTest, HeartbeatFreshFileIsHealthy) {
    const std::string beat = dir_.write("beat", "");
    const ScriptResult r = run("heartbeat.lua", R"({"path": ")" + beat + "\"}");
    EXPECT_EQ(r.verdict, core::Verdict::healthy) << r.message;
    EXPECT_THAT(r.message, MatchesRegex("heartbeat .*/beat is [0-9]\\.[0-9]s old \\(max 30s\\)"));
}

TEST_F(ShippedScriptTest, HeartbeatOldFileIsUnhealthy) {
    const std::string beat = dir_.write("beat", "");
    ScriptDir::set_mtime(beat, 42.02);
    const ScriptResult r = run("heartbeat.lua", R"({"path": ")" + beat + "\"}");
    EXPECT_EQ(r.verdict, core::Verdict::unhealthy);
    EXPECT_THAT(r.message, MatchesRegex("heartbeat .*/beat is 4[23]\\.[0-9]s old \\(max 30s\\)"));
}

TEST_F(ShippedScriptTest, HeartbeatMaxAgeAsDurationOrSeconds) {
    const std::string beat = dir_.write("beat", "");
    ScriptDir::set_mtime(beat, 60);
    const std::string path = R"("path": ")" + beat + "\"";
    EXPECT_EQ(run("heartbeat.lua", "{" + path + R"(, "max_age": "1m30s"})").verdict, core::Verdict::healthy);
    EXPECT_THAT(run("heartbeat.lua", "{" + path + R"(, "max_age": "1m30s"})").message, HasSubstr("(max 1m30s)"));
    EXPECT_EQ(run("heartbeat.lua", "{" + path + R"(, "max_age": 120})").verdict, core::Verdict::healthy);
    EXPECT_EQ(run("heartbeat.lua", "{" + path + R"(, "max_age": 10})").verdict, core::Verdict::unhealthy);
}

TEST_F(ShippedScriptTest, HeartbeatErrors) {
    const std::string missing = dir_.path("missing");
    EXPECT_EQ(run("heartbeat.lua", R"({"path": ")" + missing + "\"}").message,
              "heartbeat: cannot stat " + missing + ": No such file or directory");
    EXPECT_EQ(run("heartbeat.lua", "{}").message, "heartbeat: args.path is required");
    const ScriptResult bad = run("heartbeat.lua", R"({"path": "/tmp", "max_age": "soon"})");
    EXPECT_EQ(bad.verdict, core::Verdict::unhealthy);
    EXPECT_THAT(bad.message, HasSubstr("heartbeat: args.max_age: invalid duration 'soon'"));
}

// ---- memory.lua

TEST_F(ShippedScriptTest, MemoryUnderTheLimitIsHealthy) {
    const ScriptResult r = run("memory.lua", R"({"max": "100GiB"})", ::getpid());
    EXPECT_EQ(r.verdict, core::Verdict::healthy) << r.message;
    EXPECT_THAT(r.message, MatchesRegex("rss [0-9.]+ MiB of 100 GiB"));
}

TEST_F(ShippedScriptTest, MemoryOverTheLimitIsUnhealthyAndOverWarnDegraded) {
    const ScriptResult over = run("memory.lua", R"({"max": 1024})", ::getpid());
    EXPECT_EQ(over.verdict, core::Verdict::unhealthy);
    EXPECT_THAT(over.message, MatchesRegex("rss [0-9.]+ MiB of 1 KiB"));
    const ScriptResult warn = run("memory.lua", R"({"max": "100GiB", "warn": "1KiB"})", ::getpid());
    EXPECT_EQ(warn.verdict, core::Verdict::degraded);
    EXPECT_THAT(warn.message, MatchesRegex("rss [0-9.]+ MiB of 100 GiB \\(warn above 1 KiB\\)"));
}

TEST_F(ShippedScriptTest, MemoryOfTheProcessAloneIsAtMostTheGroup) {
    const ScriptResult r = run("memory.lua", R"({"max": "100GiB", "scope": "process"})", ::getpid());
    EXPECT_EQ(r.verdict, core::Verdict::healthy) << r.message;
}

TEST_F(ShippedScriptTest, MemoryErrors) {
    EXPECT_EQ(run("memory.lua", R"({"max": "1GiB"})").message, "memory: the service has no running process");
    EXPECT_EQ(run("memory.lua", R"({"max": "lots"})", ::getpid()).message,
              "memory: args.max: expected a size like 512MiB or 1.5GB, got 'lots'");
    EXPECT_EQ(run("memory.lua", "{}", ::getpid()).message, "memory: args.max: expected a size like 512MiB, got nothing");
    EXPECT_EQ(run("memory.lua", R"({"max": "1GiB", "scope": "box"})", ::getpid()).message,
              "memory: args.scope: expected \"group\" or \"process\", got \"box\"");
}

// ---- json_status.lua

class JsonStatusTest : public ShippedScriptTest {
protected:
    ScriptResult check(const std::string& status, const std::string& rules) {
        path_ = dir_.write("status.json", status);
        return run("json_status.lua", R"({"path": ")" + path_ + "\", " + rules + "}");
    }
    std::string path_;
};

constexpr const char* kStatus =
    R"({"audio": {"level": -20.5, "state": "running"}, "channels": [{"level": -3}], "dropped": 5, "ok": true})";

TEST_F(JsonStatusTest, AllFieldsWithinTheirRulesIsHealthy) {
    const ScriptResult r = check(kStatus, R"("fields": {"audio.level": {"min": -50, "max": 0},
        "audio.state": {"equals": "running"}, "channels.1.level": {"max": 0}, "ok": true})");
    EXPECT_EQ(r.verdict, core::Verdict::healthy) << r.message;
    EXPECT_EQ(r.message, "status " + path_ + ": 4 fields ok");
}

TEST_F(JsonStatusTest, FirstFailingFieldByNameIsUnhealthy) {
    EXPECT_EQ(check(kStatus, R"("fields": {"audio.level": {"min": -10}, "dropped": {"max": 0}})").message,
              "audio.level = -20.5 (min -10)");
    EXPECT_EQ(check(kStatus, R"("fields": {"audio.state": {"equals": "stopped"}})").message,
              "audio.state = \"running\" (expected \"stopped\")");
    EXPECT_EQ(check(kStatus, R"("fields": {"audio.gain": {"max": 1}})").message, "audio.gain is missing");
    EXPECT_EQ(check(kStatus, R"("fields": {"audio.state": {"max": 1}})").message,
              "audio.state = \"running\" (expected a number)");
    const ScriptResult r = check(kStatus, R"("fields": {"channels.1.level": {"max": -6}})");
    EXPECT_EQ(r.verdict, core::Verdict::unhealthy);
    EXPECT_EQ(r.message, "channels.1.level = -3 (max -6)");
}

TEST_F(JsonStatusTest, DegradedFieldsGiveDegraded) {
    const ScriptResult r =
        check(kStatus, R"("fields": {"audio.level": {"min": -50}}, "degraded_fields": {"dropped": {"max": 0}})");
    EXPECT_EQ(r.verdict, core::Verdict::degraded);
    EXPECT_EQ(r.message, "dropped = 5 (max 0)");
}

TEST_F(JsonStatusTest, StaleOrBrokenStatusFileIsUnhealthy) {
    path_ = dir_.write("status.json", kStatus);
    ScriptDir::set_mtime(path_, 120);
    const ScriptResult old = run("json_status.lua", R"({"path": ")" + path_ + R"(", "max_age": "1m"})");
    EXPECT_EQ(old.verdict, core::Verdict::unhealthy);
    EXPECT_THAT(old.message, MatchesRegex("status .*/status.json is 12[01]\\.[0-9]s old \\(max 1m\\)"));

    const ScriptResult broken = check("{\"audio\": ", R"("fields": {})");
    EXPECT_EQ(broken.verdict, core::Verdict::unhealthy);
    EXPECT_THAT(broken.message, HasSubstr("json_status: " + path_ + ": invalid JSON: "));
    EXPECT_EQ(check("[1]", R"("fields": {})").verdict, core::Verdict::healthy);  // an array is a table too
    EXPECT_EQ(check("3", R"("fields": {})").message, "json_status: " + path_ + ": expected a JSON object");

    const std::string missing = dir_.path("nope.json");
    EXPECT_EQ(run("json_status.lua", R"({"path": ")" + missing + "\"}").message,
              "json_status: cannot read " + missing + ": No such file or directory");
}

// ---- lib/vjcheck.lua

TEST_F(ShippedScriptTest, VjcheckHelpers) {
    LuaScript s(dir_.write("uses_vjcheck.lua", R"lua(
local check = require("vjcheck")
return function()
  assert(check.size("512MiB") == 512 * 1024 * 1024)
  assert(check.size("1.5GB") == 1500000000 and check.size("64 KiB") == 65536 and check.size("4096") == 4096)
  assert(check.size(10) == 10 and check.size("0") == 0)
  for _, bad in ipairs({"lots", "-1", "5 kib", "1.2.3MB"}) do assert(check.size(bad) == nil, bad) end
  assert(check.duration("1m30s") == 90 and check.duration(5) == 5 and check.duration(nil) == nil)
  local doc = { a = { b = { { c = 7 } } }, ["1"] = "key" }
  assert(check.lookup(doc, "a.b.1.c") == 7 and check.lookup(doc, "1") == "key")
  assert(check.lookup(doc, "a.x.y") == nil and check.lookup(doc, "a.b.1.c.d") == nil)
  assert(check.format_bytes(512 * 1024 * 1024) == "512 MiB", check.format_bytes(512 * 1024 * 1024))
  assert(check.format_bytes(123.4 * 1024 * 1024) == "123.4 MiB" and check.format_bytes(900) == "900 B")
  assert(check.format_duration(30) == "30s" and check.format_duration(90) == "1m30s")
  assert(check.format_duration(0.25) == "250ms" and check.format_duration(1.5) == "1.5s")
  assert(check.format_duration(7200) == "2h", check.format_duration(7200))
  assert(check.show("x") == '"x"' and check.show(3) == "3")
  return true
end
)lua"),
                {kLuaDir});
    const ScriptResult r = s.run(context_with_args("{}"), 5s);
    EXPECT_EQ(r.verdict, core::Verdict::healthy) << r.message;
}

}  // namespace
}  // namespace vj::scripting
