// LuaScript's contract: verdicts from return values, ctx, load errors, reload on change, require.
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
using ::testing::StartsWith;

class LuaScriptTest : public ::testing::Test {
protected:
    ScriptResult run_source(std::string_view source, const ProbeContext& ctx = context_with_args("{}")) {
        LuaScript script(dir_.write("check.lua", source), {dir_.root()});
        return script.run(ctx, 2s);
    }

    ScriptDir dir_;
};

TEST_F(LuaScriptTest, BooleansAndStatusStrings) {
    struct Case {
        const char* returns;
        core::Verdict verdict;
    };
    for (const Case& c : {Case{"true", core::Verdict::healthy}, Case{"false", core::Verdict::unhealthy},
                          Case{"'healthy'", core::Verdict::healthy}, Case{"'degraded'", core::Verdict::degraded},
                          Case{"'unhealthy'", core::Verdict::unhealthy}}) {
        SCOPED_TRACE(c.returns);
        const ScriptResult r = run_source(std::string("return function() return ") + c.returns + ", 'msg' end");
        EXPECT_EQ(r.verdict, c.verdict);
        EXPECT_EQ(r.message, "msg");
    }
}

TEST_F(LuaScriptTest, MessageIsOptionalAndMayBeANumber) {
    EXPECT_EQ(run_source("return function() return true end").message, "");
    EXPECT_EQ(run_source("return function() return 'degraded', 42 end").message, "42");
}

TEST_F(LuaScriptTest, AnythingElseReturnedIsUnhealthyAndSaysWhat) {
    const std::string expected = "; expected true/false or \"healthy\"|\"degraded\"|\"unhealthy\"";
    struct Case {
        const char* returns;
        std::string message;
    };
    for (const Case& c : {Case{"nil", "check.lua: returned nil" + expected},
                          Case{"'fine'", "check.lua: returned \"fine\"" + expected},
                          Case{"3", "check.lua: returned 3" + expected},
                          Case{"{}", "check.lua: returned a table" + expected}}) {
        SCOPED_TRACE(c.returns);
        const ScriptResult r = run_source(std::string("return function() return ") + c.returns + " end");
        EXPECT_EQ(r.verdict, core::Verdict::unhealthy);
        EXPECT_EQ(r.message, c.message);
    }
}

TEST_F(LuaScriptTest, MessagesAreOneLineOfAtMost512Bytes) {
    const ScriptResult r = run_source("return function() return true, 'a\\nb\\tc' .. string.rep('x', 2000) end");
    EXPECT_THAT(r.message, StartsWith("a b cxxx"));
    EXPECT_EQ(r.message.size(), 512u);
    EXPECT_THAT(r.message, ::testing::EndsWith("..."));
}

TEST_F(LuaScriptTest, ContextFieldsArePassedThrough) {
    ProbeContext ctx;
    ctx.service = "audio";
    ctx.instance = "audio:1";
    ctx.pid = 4242;
    ctx.uptime = 12.5;
    ctx.restarts = 3;
    ctx.args_json = R"({"level": -20, "name": "mix", "nested": {"list": [1, "two", null, {"deep": true}]}, "gone": null})";
    const ScriptResult r = run_source(R"lua(
return function(ctx)
  assert(ctx.service == "audio", ctx.service)
  assert(ctx.instance == "audio:1", ctx.instance)
  assert(ctx.pid == 4242 and math.type(ctx.pid) == "integer")
  assert(ctx.uptime == 12.5 and ctx.restarts == 3)
  assert(ctx.args.level == -20 and math.type(ctx.args.level) == "integer" and ctx.args.name == "mix")
  local list = ctx.args.nested.list
  assert(list[1] == 1 and list[2] == "two" and list[3] == nil and list[4].deep == true)
  assert(ctx.args.gone == nil)
  return true, "ok"
end
)lua",
                                      ctx);
    EXPECT_EQ(r.verdict, core::Verdict::healthy) << r.message;
}

TEST_F(LuaScriptTest, PidIsNilWithoutAProcessAndArgsAlwaysATable) {
    ProbeContext ctx;
    ctx.args_json = "null";
    const ScriptResult r = run_source("return function(ctx) return ctx.pid == nil and type(ctx.args) == 'table' end", ctx);
    EXPECT_EQ(r.verdict, core::Verdict::healthy) << r.message;
}

TEST_F(LuaScriptTest, RuntimeErrorNamesFileAndLine) {
    const ScriptResult r = run_source("return function()\n  local t = nil\n  return t.x\nend\n");
    EXPECT_EQ(r.verdict, core::Verdict::unhealthy);
    EXPECT_EQ(r.message, "check.lua:3: attempt to index a nil value (local 't')");
}

TEST_F(LuaScriptTest, SyntaxErrorNamesFileAndLineAndIsKeptUntilTheFileChanges) {
    const std::string path = dir_.write("broken.lua", "vj.log('loading')\nreturn function()\n  return true +\nend\n");
    LuaScript script(path, {});
    const ScriptResult first = script.run(context_with_args("{}"), 2s);
    EXPECT_EQ(first.verdict, core::Verdict::unhealthy);
    EXPECT_THAT(first.message, MatchesRegex("broken\\.lua:4: unexpected symbol near 'end'"));
    const ScriptResult again = script.run(context_with_args("{}"), 2s);
    EXPECT_EQ(again.message, first.message);

    dir_.write("broken.lua", "return function() return true, 'fixed' end\n");
    ScriptDir::set_mtime(path, -1);
    const ScriptResult fixed = script.run(context_with_args("{}"), 2s);
    EXPECT_EQ(fixed.verdict, core::Verdict::healthy);
    EXPECT_EQ(fixed.message, "fixed");
}

TEST_F(LuaScriptTest, TopLevelErrorRunsOnceUntilTheFileChanges) {
    LuaScript script(dir_.write("top.lua", "vj.log('loading')\nerror('top level')\n"), {});
    const ScriptResult first = script.run(context_with_args("{}"), 2s);
    EXPECT_EQ(first.message, "top.lua:2: top level");
    EXPECT_EQ(first.log, std::vector<std::string>{"loading"});
    const ScriptResult again = script.run(context_with_args("{}"), 2s);
    EXPECT_EQ(again.message, "top.lua:2: top level");
    EXPECT_TRUE(again.log.empty());  // not run again
}

TEST_F(LuaScriptTest, ChunkMustReturnAFunction) {
    EXPECT_EQ(run_source("return 42").message, "check.lua: the script returned number instead of a function(ctx)");
    EXPECT_EQ(run_source("local x = 1").message, "check.lua: the script returned nil instead of a function(ctx)");
}

TEST_F(LuaScriptTest, MissingFile) {
    LuaScript script(dir_.path("absent.lua"), {});
    const ScriptResult r = script.run(context_with_args("{}"), 2s);
    EXPECT_EQ(r.verdict, core::Verdict::unhealthy);
    EXPECT_EQ(r.message, "cannot read " + dir_.path("absent.lua") + ": No such file or directory");
    dir_.write("absent.lua", "return function() return true end");
    EXPECT_EQ(script.run(context_with_args("{}"), 2s).verdict, core::Verdict::healthy);
}

TEST_F(LuaScriptTest, StateLastsAcrossRunsAndIsFreshAfterAChange) {
    const std::string source = "local runs = 0\nreturn function() runs = runs + 1 return true, 'run ' .. runs end\n";
    const std::string path = dir_.write("count.lua", source);
    LuaScript script(path, {});
    EXPECT_EQ(script.run(context_with_args("{}"), 2s).message, "run 1");
    EXPECT_EQ(script.run(context_with_args("{}"), 2s).message, "run 2");

    // Same size, same content length: only the mtime tells.
    dir_.write("count.lua", source);
    ScriptDir::set_mtime(path, -2);
    EXPECT_EQ(script.run(context_with_args("{}"), 2s).message, "run 1");
}

TEST_F(LuaScriptTest, ReloadsNewContent) {
    const std::string path = dir_.write("v.lua", "return function() return 'healthy', 'v1' end\n");
    LuaScript script(path, {});
    EXPECT_EQ(script.run(context_with_args("{}"), 2s).message, "v1");
    dir_.write("v.lua", "return function() return 'degraded', 'v2' end\n");
    ScriptDir::set_mtime(path, -3);
    const ScriptResult r = script.run(context_with_args("{}"), 2s);
    EXPECT_EQ(r.verdict, core::Verdict::degraded);
    EXPECT_EQ(r.message, "v2");
}

TEST_F(LuaScriptTest, RequireLoadsFromLibOnceAndFollowsLuaPathOrder) {
    ScriptDir second;
    dir_.write("lib/greet.lua", "LOADS = (LOADS or 0) + 1\nreturn { hello = function(n) return 'hello ' .. n end }\n");
    dir_.write("lib/util/text.lua", "return { upper = string.upper }\n");
    second.write("lib/greet.lua", "return { hello = function() return 'shadowed' end }\n");
    second.write("lib/only_second.lua", "return 'second'\n");
    const std::string path = dir_.write("req.lua", R"lua(
local greet = require("greet")
return function()
  assert(require("greet") == greet)
  local text = require("util.text")
  return true, text.upper(greet.hello("x")) .. " " .. require("only_second") .. " " .. LOADS
end
)lua");
    LuaScript script(path, {dir_.root(), second.root()});
    const ScriptResult r = script.run(context_with_args("{}"), 2s);
    EXPECT_EQ(r.verdict, core::Verdict::healthy) << r.message;
    EXPECT_EQ(r.message, "HELLO X second 1");
}

TEST_F(LuaScriptTest, RequireRefusesNamesOutsideLib) {
    dir_.write("x.lua", "return 1");
    for (const char* name : {"../x", "/etc/passwd", ".x", "a..b", "x/y", ""}) {
        SCOPED_TRACE(name);
        const ScriptResult r = run_source(std::string("return function() return require('") + name + "') end");
        EXPECT_EQ(r.verdict, core::Verdict::unhealthy);
        EXPECT_THAT(r.message, HasSubstr("require: invalid module name"));
    }
    const ScriptResult os = run_source("return function() return require('os') end");
    EXPECT_EQ(os.message, "check.lua:1: require: module 'os' not found in " + dir_.root() + "/lib");
}

TEST_F(LuaScriptTest, RequireReportsErrorsInModulesWithTheirFileAndLine) {
    dir_.write("lib/bad.lua", "local x = \n");
    EXPECT_EQ(run_source("return function() require('bad') end").message,
              "lib/bad.lua:2: unexpected symbol near <eof>");
    dir_.write("lib/raises.lua", "error('no')\n");
    EXPECT_EQ(run_source("return function() require('raises') end").message, "lib/raises.lua:1: no");
}

TEST_F(LuaScriptTest, AChangedModuleReloadsTheScript) {
    const std::string lib = dir_.write("lib/answer.lua", "return 'one'\n");
    const std::string path = dir_.write("uses.lua", "local a = require('answer')\nreturn function() return true, a end\n");
    LuaScript script(path, {dir_.root()});
    EXPECT_EQ(script.run(context_with_args("{}"), 2s).message, "one");
    dir_.write("lib/answer.lua", "return 'two'\n");
    ScriptDir::set_mtime(lib, -2);
    EXPECT_EQ(script.run(context_with_args("{}"), 2s).message, "two");
}

TEST_F(LuaScriptTest, LogLinesComeBackCappedAndOneLineEach) {
    const ScriptResult r = run_source(R"lua(
return function()
  vj.log("first", 1, true, nil)
  print("two\nlines")
  for i = 1, 30 do vj.log("spam", i) end
  return true
end
)lua");
    ASSERT_EQ(r.log.size(), 21u);
    EXPECT_EQ(r.log[0], "first 1 true nil");
    EXPECT_EQ(r.log[1], "two lines");
    EXPECT_EQ(r.log[19], "spam 18");
    EXPECT_EQ(r.log[20], "vj.log: more lines in this run were dropped");
}

}  // namespace
}  // namespace vj::scripting
