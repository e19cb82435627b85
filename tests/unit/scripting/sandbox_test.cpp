// The sandbox: what a script cannot reach, the memory cap and time budget, and that the same host
// gives a good answer on the next run after each failure.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <lua5.4/lua.hpp>

#include <chrono>

#include "script_dir.hpp"
#include "scripting/lua_script.hpp"

namespace vj::scripting {
namespace {

using namespace std::chrono_literals;
using test_support::context_with_args;
using test_support::ScriptDir;
using ::testing::AnyOf;
using ::testing::HasSubstr;
using ::testing::MatchesRegex;

// One script, many misbehaviours: ctx.args.mode picks one, "ok" answers normally. Running "ok"
// after a failure on the same LuaScript shows the host is still usable.
constexpr const char* kModes = R"lua(
local modes = {}
function modes.ok() return true, "fine" end
function modes.execute() return os.execute("true") end
function modes.getenv() return os.getenv("HOME") end
function modes.io_open() return io.open("/etc/passwd") end
function modes.dofile() return dofile("/etc/passwd") end
function modes.loadfile() return loadfile("/etc/passwd") end
function modes.debug() return debug.getregistry() end
function modes.dump() return string.dump(modes.ok) end
function modes.bytecode_string()
  local bytes = assert(vj.read_file(ARGS.bytecode))
  local f, err = load(bytes)
  if not f then error(err, 0) end
  return f()
end
function modes.bytecode_reader()
  local bytes, given = assert(vj.read_file(ARGS.bytecode)), false
  local f, err = load(function() if given then return nil end given = true return bytes end)
  if not f then error(err, 0) end
  return f()
end
function modes.bytecode_literal()
  local f, err = load("\27Lua\84\0 garbage")
  if not f then error(err, 0) end
  return f()
end
function modes.text_load()
  local f = assert(load("return 'healthy', 'from load'"))
  return f()
end
function modes.rep_bomb() local s = string.rep("x", 100 * 1024 * 1024) return true, #s end
function modes.table_bomb() local t = {} for i = 1, 1e9 do t[i] = i end return true end
function modes.caught_bomb()
  local ok = pcall(string.rep, "x", 100 * 1024 * 1024)
  return not ok, "caught"
end
function modes.loop() while true do end end
function modes.caught_loop() while true do pcall(function() while true do end end) end end
function modes.recursion() local function f(n) return f(n + 1) + 1 end return f(1) end
function modes.c_recursion()
  local t = setmetatable({}, {__index = function(t, k) return t[k] end})
  return t.x
end
function modes.pcall_recursion() local function f() return pcall(f) end return f() end
function modes.coroutine_loop() coroutine.wrap(function() while true do end end)() end
function modes.coroutine_resume_loop()
  while true do coroutine.resume(coroutine.create(function() while true do end end)) end
end
function modes.early_coroutine() EARLY() end
function modes.xpcall_loop()
  while true do xpcall(function() error("x") end, function() while true do end end) end
end
function modes.close_loop()
  do local x <close> = setmetatable({}, {__close = function() while true do end end}) end
end
function modes.yield_in_pcall()
  local co = coroutine.wrap(function()
    local ok, v = pcall(function() return coroutine.yield(1) + 1 end)
    return ok and v
  end)
  return true, co() .. " " .. co(41)
end
function modes.finalizer() setmetatable({}, {__gc = function() while true do end end}) end
function modes.finalizer_marker() setmetatable({}, {__gc = false}) end
function modes.gc_stop() collectgarbage("stop") end
function modes.error_table() error({}) end
function modes.error_string() error("boom") end
function modes.error_number() error(42) end
function modes.nothing() end
return function(ctx)
  ARGS = ctx.args
  return modes[ctx.args.mode]()
end
)lua";

// A coroutine made while the chunk loads, before any run: it must be stopped too.
constexpr const char* kEarlyCoroutine = R"lua(
EARLY = coroutine.wrap(function() while true do end end)
)lua";

class SandboxTest : public ::testing::Test {
protected:
    SandboxTest() : script_(dir_.write("sandbox.lua", std::string(kEarlyCoroutine) + kModes), {dir_.root()}) {}

    ScriptResult run(const std::string& mode, std::chrono::milliseconds budget = 2s) {
        return script_.run(context_with_args(R"({"mode": ")" + mode + R"(", "bytecode": ")" + bytecode_ + "\"}"),
                           budget);
    }

    /// `mode` fails with a message containing `expected`, then the same host answers "ok".
    void expect_fails_then_recovers(const std::string& mode, const std::string& expected,
                                    std::chrono::milliseconds budget = 2s) {
        SCOPED_TRACE(mode);
        const ScriptResult bad = run(mode, budget);
        EXPECT_EQ(bad.verdict, core::Verdict::unhealthy);
        EXPECT_THAT(bad.message, HasSubstr(expected));
        const ScriptResult good = run("ok");
        EXPECT_EQ(good.verdict, core::Verdict::healthy) << good.message;
        EXPECT_EQ(good.message, "fine");
    }

    /// Real bytecode, from string.dump in a plain Lua state (this test's, not the sandbox's).
    std::string write_bytecode() {
        lua_State* L = luaL_newstate();
        EXPECT_EQ(luaL_loadstring(L, "return true, 'from bytecode'"), LUA_OK);
        std::string bytes;
        lua_dump(
            L,
            [](lua_State*, const void* p, size_t size, void* out) {
                static_cast<std::string*>(out)->append(static_cast<const char*>(p), size);
                return 0;
            },
            &bytes, 0);
        lua_close(L);
        return dir_.write("chunk.luac", bytes);
    }

    ScriptDir dir_;
    std::string bytecode_ = write_bytecode();
    LuaScript script_;
};

TEST_F(SandboxTest, NoOsExecuteNorGetenv) {
    expect_fails_then_recovers("execute", "attempt to call a nil value (field 'execute')");
    expect_fails_then_recovers("getenv", "attempt to call a nil value (field 'getenv')");
}

TEST_F(SandboxTest, NoIoLibrary) { expect_fails_then_recovers("io_open", "attempt to index a nil value (global 'io')"); }

TEST_F(SandboxTest, NoDofileLoadfileDebugOrStringDump) {
    expect_fails_then_recovers("dofile", "(global 'dofile')");
    expect_fails_then_recovers("loadfile", "(global 'loadfile')");
    expect_fails_then_recovers("debug", "(global 'debug')");
    expect_fails_then_recovers("dump", "(field 'dump')");
}

TEST_F(SandboxTest, WhatIsLeftOfTheGlobals) {
    ScriptDir dir;
    LuaScript globals(dir.write("globals.lua", R"lua(
local expected_absent = {"io", "debug", "package", "dofile", "loadfile", "warn"}
return function()
  for _, name in ipairs(expected_absent) do
    if _G[name] ~= nil then return false, name .. " is present" end
  end
  local os_names = {}
  for k in pairs(os) do os_names[#os_names + 1] = k end
  table.sort(os_names)
  if table.concat(os_names, ",") ~= "clock,date,time" then return false, "os has " .. table.concat(os_names, ",") end
  assert(type(string.format) == "function" and type(table.concat) == "function" and type(math.floor) == "function")
  assert(type(utf8.char) == "function" and type(coroutine.wrap) == "function" and type(require) == "function")
  assert(type(os.time()) == "number" and type(os.clock()) == "number" and type(os.date("%Y")) == "string")
  return true
end
)lua"),
                      {dir.root()});
    const ScriptResult r = globals.run(context_with_args("{}"), 2s);
    EXPECT_EQ(r.verdict, core::Verdict::healthy) << r.message;
}

TEST_F(SandboxTest, LoadTakesTextOnly) {
    expect_fails_then_recovers("bytecode_string", "precompiled (bytecode) chunks are not allowed");
    expect_fails_then_recovers("bytecode_literal", "precompiled (bytecode) chunks are not allowed");
    expect_fails_then_recovers("bytecode_reader", "attempt to load a binary chunk (mode is 't')");
    const ScriptResult r = run("text_load");
    EXPECT_EQ(r.verdict, core::Verdict::healthy);
    EXPECT_EQ(r.message, "from load");
}

TEST_F(SandboxTest, StringRepBombHitsTheMemoryCap) {
    expect_fails_then_recovers("rep_bomb", "sandbox.lua: memory limit of 16 MiB exceeded");
}

TEST_F(SandboxTest, TableBombHitsTheMemoryCap) {
    expect_fails_then_recovers("table_bomb", "sandbox.lua: memory limit of 16 MiB exceeded");
}

TEST_F(SandboxTest, AScriptMayCatchARefusedAllocation) {
    const ScriptResult r = run("caught_bomb");
    EXPECT_EQ(r.verdict, core::Verdict::healthy) << r.message;
    EXPECT_EQ(r.message, "caught");
}

TEST_F(SandboxTest, ASmallerCapIsNamedInTheMessage) {
    ScriptDir dir;
    LuaScript small(dir.write("small.lua", "return function() local s = string.rep('x', 2 * 1024 * 1024) return true end"),
                    {}, ScriptLimits{1u << 20});
    EXPECT_THAT(small.run(context_with_args("{}"), 2s).message, HasSubstr("small.lua: memory limit of 1 MiB exceeded"));
    LuaScript tiny(dir.write("tiny.lua", "return function() return true end"), {}, ScriptLimits{4096});
    EXPECT_EQ(tiny.run(context_with_args("{}"), 2s).message,
              "tiny.lua: memory limit of 4 KiB exceeded while setting up the sandbox");
}

TEST_F(SandboxTest, EndlessLoopIsStoppedAtTheBudget) {
    const auto start = std::chrono::steady_clock::now();
    const ScriptResult r = run("loop", 200ms);
    EXPECT_LT(std::chrono::steady_clock::now() - start, 1s);
    EXPECT_EQ(r.verdict, core::Verdict::unhealthy);
    EXPECT_EQ(r.message, "sandbox.lua: time budget of 200ms exceeded");
    expect_fails_then_recovers("loop", "sandbox.lua: time budget of 200ms exceeded", 200ms);
}

TEST_F(SandboxTest, PcallCannotCatchTheBudget) {
    const auto start = std::chrono::steady_clock::now();
    expect_fails_then_recovers("caught_loop", "time budget of 200ms exceeded", 200ms);
    EXPECT_LT(std::chrono::steady_clock::now() - start, 2s);
}

TEST_F(SandboxTest, LoopsInsideCoroutinesAreStopped) {
    const auto start = std::chrono::steady_clock::now();
    expect_fails_then_recovers("coroutine_loop", "time budget of 200ms exceeded", 200ms);
    expect_fails_then_recovers("coroutine_resume_loop", "time budget of 200ms exceeded", 200ms);
    expect_fails_then_recovers("early_coroutine", "time budget of 200ms exceeded", 200ms);
    EXPECT_LT(std::chrono::steady_clock::now() - start, 4s);
}

TEST_F(SandboxTest, MessageHandlersAndCloseMethodsCannotOutlastTheBudget) {
    // The handler runs again, with hooks off, for the error the hook raises inside it.
    expect_fails_then_recovers("xpcall_loop", "time budget of 200ms exceeded", 200ms);
    expect_fails_then_recovers("close_loop", "time budget of 200ms exceeded", 200ms);
}

TEST_F(SandboxTest, YieldingAcrossTheWrappedPcallStillWorks) {
    const ScriptResult r = run("yield_in_pcall");
    EXPECT_EQ(r.verdict, core::Verdict::healthy) << r.message;
    EXPECT_EQ(r.message, "1 42");
}

TEST_F(SandboxTest, NoFinalizers) {
    // Lua runs __gc with hooks off: a looping finalizer could not be stopped.
    expect_fails_then_recovers("finalizer", "setmetatable: __gc metamethods are not allowed in the sandbox");
    expect_fails_then_recovers("finalizer_marker", "setmetatable: __gc metamethods are not allowed in the sandbox");
}

TEST_F(SandboxTest, BudgetMessageNamesSecondsWhenWhole) {
    ScriptDir dir;
    LuaScript loop(dir.write("spin.lua", "while true do end"), {});
    EXPECT_EQ(loop.run(context_with_args("{}"), 1000ms).message, "spin.lua: time budget of 1s exceeded");
}

TEST_F(SandboxTest, DeepRecursionIsAFailedProbeNotACrash) {
    const ScriptResult r = run("recursion");
    EXPECT_EQ(r.verdict, core::Verdict::unhealthy);
    EXPECT_THAT(r.message, AnyOf(HasSubstr("stack overflow"), HasSubstr("memory limit of 16 MiB exceeded")));
    expect_fails_then_recovers("c_recursion", "stack overflow");
    const ScriptResult p = run("pcall_recursion");  // each pcall catches the overflow below it
    EXPECT_EQ(run("ok").verdict, core::Verdict::healthy) << p.message;
}

TEST_F(SandboxTest, CollectgarbageCannotStopTheCollector) {
    expect_fails_then_recovers("gc_stop", "collectgarbage: option 'stop' is not available in the sandbox");
}

TEST_F(SandboxTest, ErrorValues) {
    expect_fails_then_recovers("error_table", "sandbox.lua: script raised a non-string error (table)");
    expect_fails_then_recovers("error_number", "sandbox.lua: 42");
    const ScriptResult r = run("error_string");
    EXPECT_EQ(r.verdict, core::Verdict::unhealthy);
    EXPECT_THAT(r.message, MatchesRegex("sandbox\\.lua:[0-9]+: boom"));
}

TEST_F(SandboxTest, ReturningNothingIsUnhealthy) {
    expect_fails_then_recovers(
        "nothing", "sandbox.lua: returned nothing; expected true/false or \"healthy\"|\"degraded\"|\"unhealthy\"");
}

}  // namespace
}  // namespace vj::scripting
