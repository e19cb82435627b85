// The vj helpers, each called from a script that asserts on what it got back.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <ctime>

#include "script_dir.hpp"
#include "scripting/lua_helpers.hpp"
#include "scripting/lua_script.hpp"

namespace vj::scripting {
namespace {

using namespace std::chrono_literals;
using test_support::context_with_args;
using test_support::ScriptDir;
using ::testing::HasSubstr;

class HelpersTest : public ::testing::Test {
protected:
    /// Runs `body` as the script's function body; it returns true or fails an assert.
    ScriptResult run_body(std::string_view body, std::string args_json = "{}", std::optional<pid_t> pid = {}) {
        LuaScript script(dir_.write("helpers.lua", "return function(ctx)\n" + std::string(body) + "\nend\n"), {});
        ProbeContext ctx = context_with_args(std::move(args_json));
        ctx.pid = pid;
        return script.run(ctx, 5s);
    }

    void expect_passes(std::string_view body, std::string args_json = "{}", std::optional<pid_t> pid = {}) {
        const ScriptResult r = run_body(body, std::move(args_json), pid);
        EXPECT_EQ(r.verdict, core::Verdict::healthy) << r.message;
    }

    std::string json_path(const std::string& path) { return R"({"path": ")" + path + "\"}"; }

    ScriptDir dir_;
};

TEST_F(HelpersTest, Clocks) {
    expect_passes(R"lua(
  local now, mono = vj.now(), vj.monotonic()
  assert(math.abs(now - os.time()) < 5, "now " .. now)
  assert(math.type(now) == "float" and mono > 0)
  local later = vj.monotonic()
  assert(later >= mono)
  return true
)lua");
}

TEST_F(HelpersTest, FileAgeOfAFreshAndAnOldFile) {
    const std::string fresh = dir_.write("fresh", "x");
    expect_passes("local age = assert(vj.file_age(ctx.args.path))\nassert(age >= 0 and age < 5, age)\nreturn true",
                  json_path(fresh));
    ScriptDir::set_mtime(fresh, 90);
    expect_passes("local age = vj.file_age(ctx.args.path)\nassert(age >= 89 and age < 95, age)\nreturn true",
                  json_path(fresh));
}

TEST_F(HelpersTest, FileAgeOfAMissingFile) {
    const std::string missing = dir_.path("missing");
    expect_passes(R"lua(
  local age, err = vj.file_age(ctx.args.path)
  assert(age == nil)
  assert(err == "cannot stat " .. ctx.args.path .. ": No such file or directory", err)
  return true
)lua",
                  json_path(missing));
}

TEST_F(HelpersTest, ReadFileIsBounded) {
    const std::string small = dir_.write("small", std::string(100, 'a'));
    const std::string big = dir_.write("big", std::string(3 << 20, 'b'));
    expect_passes(R"lua(
  assert(#vj.read_file(ctx.args.small) == 100)
  assert(vj.read_file(ctx.args.small, 10) == string.rep("a", 10))
  assert(vj.read_file(ctx.args.small, 0) == "")
  assert(#vj.read_file(ctx.args.big) == 64 * 1024)
  assert(#vj.read_file(ctx.args.big, 10 * 1024 * 1024) == 1024 * 1024)
  return true
)lua",
                  R"({"small": ")" + small + R"(", "big": ")" + big + "\"}");
}

TEST_F(HelpersTest, ReadFileErrors) {
    expect_passes(R"lua(
  local data, err = vj.read_file(ctx.args.dir .. "/missing")
  assert(data == nil and err == "cannot read " .. ctx.args.dir .. "/missing: No such file or directory", err)
  data, err = vj.read_file(ctx.args.dir)
  assert(data == nil and err == "cannot read " .. ctx.args.dir .. ": not a regular file", err)
  assert(not pcall(vj.read_file, ctx.args.dir, -1))
  return true
)lua",
                  R"({"dir": ")" + dir_.root() + "\"}");
}

TEST_F(HelpersTest, ReadFileOfProcWorks) {
    expect_passes("local s = assert(vj.read_file('/proc/self/stat'))\nassert(#s > 10)\nreturn true");
}

TEST_F(HelpersTest, JsonDecode) {
    expect_passes(R"lua(
  local v = assert(vj.json_decode('{"a": {"b": [1, 2, null, 3]}, "s": "x", "f": 1.5, "t": true, "n": null, "big": 18446744073709551615}'))
  assert(v.a.b[1] == 1 and math.type(v.a.b[1]) == "integer")
  assert(v.a.b[3] == nil and v.a.b[4] == 3)
  assert(v.s == "x" and v.f == 1.5 and v.t == true and v.n == nil)
  assert(math.type(v.big) == "float")
  assert(vj.json_decode("[]") ~= nil and vj.json_decode("7") == 7 and vj.json_decode('"s"') == "s")
  return true
)lua");
}

TEST_F(HelpersTest, JsonDecodeErrors) {
    expect_passes(R"lua(
  local v, err = vj.json_decode("{nope")
  assert(v == nil and err:find("^invalid JSON: parse error at line 1, column 3"), err)
  v, err = vj.json_decode("")
  assert(v == nil and err:find("^invalid JSON"), err)
  v, err = vj.json_decode(string.rep("[", 100000))
  assert(v == nil and err == "invalid JSON: nested deeper than 64 levels", err)
  assert(vj.json_decode(string.rep("[", 64) .. string.rep("]", 64)))
  v, err = vj.json_decode(string.rep("[", 65) .. string.rep("]", 65))
  assert(v == nil, "65 levels")
  v, err = vj.json_decode(string.rep(" ", 2 * 1024 * 1024))
  assert(v == nil and err:find("more than the limit of 1 MiB"), err)
  return true
)lua");
}

TEST_F(HelpersTest, ProcOfThisProcess) {
    expect_passes(R"lua(
  local p = assert(vj.proc(ctx.pid))
  assert(p.pid == ctx.pid)
  assert(p.ppid == ctx.args.ppid and p.pgrp == ctx.args.pgrp, p.ppid .. " " .. p.pgrp)
  assert(p.state == "R", p.state)
  assert(p.rss > 0 and p.threads >= 1 and p.cpu >= 0 and p.start_time > 0)
  return true
)lua",
                  R"({"ppid": )" + std::to_string(::getppid()) + R"(, "pgrp": )" + std::to_string(::getpgrp()) + "}",
                  ::getpid());
}

TEST_F(HelpersTest, ProcOfNoProcess) {
    expect_passes(R"lua(
  local p, err = vj.proc(ctx.pid)
  assert(p == nil and err == "no pid given", err)
  p, err = vj.proc(2147483647)
  assert(p == nil and err == "no process 2147483647", err)
  p, err = vj.proc(-1)
  assert(p == nil and err == "invalid pid -1", err)
  return true
)lua");
}

TEST_F(HelpersTest, GroupOfThisProcessGroup) {
    expect_passes(R"lua(
  local g = assert(vj.group(ctx.args.pgrp))
  assert(g.processes >= 1 and g.rss > 0 and g.cpu >= 0)
  local none, err = vj.group(2147483647)
  assert(none == nil and err == "no process in group 2147483647", err)
  return true
)lua",
                  R"({"pgrp": )" + std::to_string(::getpgrp()) + "}");
}

TEST_F(HelpersTest, DiskOfRoot) {
    expect_passes(R"lua(
  local d = assert(vj.disk("/"))
  assert(d.total > 0 and d.free <= d.total and d.avail <= d.free)
  assert(d.used >= 0 and d.used <= 1, d.used)
  local none, err = vj.disk("/no/such/dir")
  assert(none == nil and err == "cannot statvfs /no/such/dir: No such file or directory", err)
  return true
)lua");
}

TEST_F(HelpersTest, Duration) {
    expect_passes(R"lua(
  assert(vj.duration("250ms") == 0.25)
  assert(vj.duration("5s") == 5 and vj.duration("10m") == 600 and vj.duration("1h") == 3600)
  assert(vj.duration("1d") == 86400 and vj.duration("1m30s") == 90 and vj.duration("1.5s") == 1.5)
  assert(vj.duration(30) == 30 and vj.duration("30") == 30 and vj.duration("0.5") == 0.5)
  for _, bad in ipairs({"abc", "5x", "", "-1s", "1m30", "s"}) do
    local v, err = vj.duration(bad)
    assert(v == nil and err:find("invalid duration", 1, true), bad)
  end
  assert(vj.duration(-1) == nil)
  return true
)lua");
}

// Out of memory inside a helper that holds C++ strings or a parsed JSON document: the error must
// reach the script without skipping their destructors (LeakSanitizer checks this under VJ_SANITIZE).
TEST_F(HelpersTest, HelpersHitTheMemoryCapCleanly) {
    const std::string big = dir_.write("big", std::string(1 << 20, 'b'));
    // Small to parse, large in Lua: 60000 empty arrays are 180 KB of text and some 4 MiB of tables.
    std::string doc = "[";
    for (int i = 0; i < 60000; ++i) doc += "[],";
    const std::string json = dir_.write("doc.json", doc + "0]");
    for (const char* call :
         {"vj.read_file(ctx.args.big, 1024 * 1024)", "vj.json_decode(vj.read_file(ctx.args.json, 1024 * 1024))"}) {
        SCOPED_TRACE(call);
        LuaScript script(dir_.write("pressure.lua", std::string("return function(ctx)\nlocal keep = {}\n") +
                                                        "while true do keep[#keep + 1] = " + call + " end\nend\n"),
                         {});
        const ScriptResult r =
            script.run(context_with_args(R"({"big": ")" + big + R"(", "json": ")" + json + "\"}"), 30s);
        EXPECT_EQ(r.verdict, core::Verdict::unhealthy);
        EXPECT_EQ(r.message, "pressure.lua: memory limit of 16 MiB exceeded");
    }
}

TEST(ParseDurationSeconds, Units) {
    EXPECT_EQ(parse_duration_seconds("250ms"), 0.25);
    EXPECT_EQ(parse_duration_seconds(" 2h "), 7200);
    EXPECT_EQ(parse_duration_seconds("1h1m1s"), 3661);
    EXPECT_EQ(parse_duration_seconds("12"), 12);
    EXPECT_EQ(parse_duration_seconds("1e3"), 1000);
    EXPECT_EQ(parse_duration_seconds("nan"), std::nullopt);
    EXPECT_EQ(parse_duration_seconds("inf"), std::nullopt);
    EXPECT_EQ(parse_duration_seconds("5 s"), std::nullopt);
}

}  // namespace
}  // namespace vj::scripting
