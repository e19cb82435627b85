// Loading, reloading and running one health script in its sandbox; every outcome becomes a verdict.
//
// Reload policy: the file (and every lib/ module it required) is stat()ed before each run; a change
// of mtime, size or inode loads it into a fresh sandbox. A script that failed to load (syntax error,
// error at its top level, no function returned) keeps failing with the same message, without being
// run again, until the file changes. After a run stopped by the memory cap or the time budget the
// sandbox is thrown away and the next run starts from a fresh load: Lua's state itself survives
// such errors, but the script's own tables may have been left half-updated, and a script that
// leaks into its globals would otherwise hit the cap on every run.
#include "scripting/lua_script.hpp"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>

#include <fmt/format.h>

#include "scripting/lua_json.hpp"
#include "scripting/lua_sandbox.hpp"
#include "scripting/script_file.hpp"

namespace vj::scripting {
namespace {

constexpr const char* kScriptKey = "vj.script";  // registry: the function the chunk returned
constexpr const char* kExpected = "expected true/false or \"healthy\"|\"degraded\"|\"unhealthy\"";

std::string format_budget(std::chrono::milliseconds budget) {
    const auto ms = budget.count();
    if (ms % 1000 == 0) return fmt::format("{}s", ms / 1000);
    if (ms < 1000) return fmt::format("{}ms", ms);
    return fmt::format("{:g}s", static_cast<double>(ms) / 1000.0);
}

std::string format_size(std::size_t bytes) {
    if (bytes % (1u << 20) == 0) return fmt::format("{} MiB", bytes >> 20);
    if (bytes % 1024 == 0) return fmt::format("{} KiB", bytes >> 10);
    return fmt::format("{} bytes", bytes);
}

ScriptResult unhealthy(std::string message, std::vector<std::string> log = {}) {
    return ScriptResult{core::Verdict::unhealthy, single_line(message), std::move(log)};
}

/// Protected: runs the chunk (the argument) and keeps the function it returns in the registry.
/// Returns nil, or the type name of what the chunk returned instead of a function.
int install_script(lua_State* L) {
    lua_call(L, 0, 1);
    if (lua_type(L, -1) == LUA_TFUNCTION) {
        lua_setfield(L, LUA_REGISTRYINDEX, kScriptKey);
        return 0;
    }
    lua_pushstring(L, luaL_typename(L, -1));
    return 1;
}

void set_string(lua_State* L, const char* key, const std::string& value) {
    lua_pushlstring(L, value.data(), value.size());
    lua_setfield(L, -2, key);
}

/// Pushes `ctx` as the table the script receives.
void push_context(lua_State* L, const ProbeContext& ctx) {
    lua_createtable(L, 0, 6);
    set_string(L, "service", ctx.service);
    set_string(L, "instance", ctx.instance);
    if (ctx.pid) {
        lua_pushinteger(L, *ctx.pid);
        lua_setfield(L, -2, "pid");
    }
    lua_pushnumber(L, ctx.uptime);
    lua_setfield(L, -2, "uptime");
    lua_pushinteger(L, ctx.restarts);
    lua_setfield(L, -2, "restarts");
    lua_pushcfunction(L, json_decode);
    lua_pushlstring(L, ctx.args_json.data(), ctx.args_json.size());
    lua_call(L, 1, 2);
    if (lua_isnil(L, -2) && lua_type(L, -1) == LUA_TSTRING) {
        lua_pushfstring(L, "ctx.args: %s", lua_tostring(L, -1));
        lua_error(L);
    }
    lua_pop(L, 1);
    if (!lua_istable(L, -1)) {  // "null" or a scalar: the script may still index ctx.args
        lua_pop(L, 1);
        lua_newtable(L);
    }
    lua_setfield(L, -2, "args");
}

/// Protected: calls the script's function with ctx (a light userdata) and reduces what it returned
/// to two values: a verdict code (0 healthy, 1 degraded, 2 unhealthy, -1 not a status) and a
/// message (for -1, what was returned instead).
int call_script(lua_State* L) {
    const auto* ctx = static_cast<const ProbeContext*>(lua_touserdata(L, 1));
    lua_settop(L, 0);
    lua_getfield(L, LUA_REGISTRYINDEX, kScriptKey);
    push_context(L, *ctx);
    lua_call(L, 1, LUA_MULTRET);
    const int returned = lua_gettop(L);
    int verdict = -1;
    if (returned >= 1 && lua_type(L, 1) == LUA_TBOOLEAN) {
        verdict = lua_toboolean(L, 1) ? 0 : 2;
    } else if (returned >= 1 && lua_type(L, 1) == LUA_TSTRING) {
        const char* status = lua_tostring(L, 1);
        if (std::strcmp(status, "healthy") == 0) verdict = 0;
        if (std::strcmp(status, "degraded") == 0) verdict = 1;
        if (std::strcmp(status, "unhealthy") == 0) verdict = 2;
    }
    if (verdict < 0) {
        if (returned == 0) {
            lua_pushliteral(L, "returned nothing");
        } else if (lua_isnil(L, 1)) {
            lua_pushliteral(L, "returned nil");
        } else if (lua_type(L, 1) == LUA_TSTRING) {
            lua_pushfstring(L, "returned \"%s\"", lua_tostring(L, 1));
        } else if (lua_type(L, 1) == LUA_TNUMBER) {
            lua_pushfstring(L, "returned %s", luaL_tolstring(L, 1, nullptr));
        } else {
            lua_pushfstring(L, "returned a %s", luaL_typename(L, 1));
        }
    } else if (returned < 2 || lua_isnil(L, 2)) {
        lua_pushliteral(L, "");
    } else {
        luaL_tolstring(L, 2, nullptr);  // strings and numbers as they are; others by __tostring
    }
    lua_pushinteger(L, verdict);
    lua_insert(L, -2);
    return 2;
}

std::string base_name(const std::string& path) {
    const auto slash = path.rfind('/');
    return slash == std::string::npos ? path : path.substr(slash + 1);
}

/// A failed load or run, from the error object on top of the stack (popped).
struct Failure {
    std::string message;
    bool resource_exceeded = false;  ///< stopped by the memory cap or the time budget
};

Failure describe_error(LuaSandbox& sandbox, int status, const std::string& name) {
    lua_State* L = sandbox.state();
    // Only lua_type/lua_tostring/lua_tonumber on the error object: nothing that may allocate (and
    // raise) outside protected mode.
    const int type = lua_type(L, -1);
    const std::string text = type == LUA_TSTRING ? lua_tostring(L, -1) : "";
    Failure f;
    if (sandbox.budget_exceeded()) {
        f = {fmt::format("{}: time budget of {} exceeded", name, sandbox.budget()), true};
    } else if (sandbox.memory_refused() &&
               (status == LUA_ERRMEM || text.find("not enough memory") != std::string::npos)) {
        f = {fmt::format("{}: memory limit of {} exceeded", name, format_size(sandbox.memory_limit())), true};
    } else if (status == LUA_ERRERR) {
        f.message = fmt::format("{}: stack overflow while handling an error ({})", name, text);
    } else if (type == LUA_TSTRING) {
        f.message = text;  // Lua's own "FILE:LINE: message"
    } else if (type == LUA_TNUMBER) {
        f.message = lua_isinteger(L, -1) ? fmt::format("{}: {}", name, lua_tointeger(L, -1))
                                         : fmt::format("{}: {:.14g}", name, lua_tonumber(L, -1));
    } else {
        f.message = fmt::format("{}: script raised a non-string error ({})", name, lua_typename(L, type));
    }
    lua_pop(L, 1);
    return f;
}

bool modules_changed(const LuaSandbox& sandbox) {
    for (const auto& [path, id] : sandbox.modules()) {
        struct stat st {};
        if (::stat(path.c_str(), &st) != 0 || !(FileId::of(st) == id)) return true;
    }
    return false;
}

}  // namespace

struct LuaScript::State {
    std::unique_ptr<LuaSandbox> sandbox;
    bool loaded = false;  ///< `file` was read: the sandbox holds its function, or `error` says why not
    FileId file;
    std::string error;    ///< a load failure, repeated until the file changes
    bool stale = false;   ///< load afresh at the next run even if nothing changed
};

LuaScript::LuaScript(std::string path, std::vector<std::string> lua_path, ScriptLimits limits)
    : path_(std::move(path)), lua_path_(std::move(lua_path)), limits_(limits), state_(std::make_unique<State>()) {}

LuaScript::~LuaScript() = default;

ScriptResult LuaScript::run(const ProbeContext& ctx, std::chrono::milliseconds budget) {
    // The budget needs the real clock: it bounds real time spent in Lua, which the hook measures.
    const auto deadline = std::chrono::steady_clock::now() + budget;
    const std::string budget_text = format_budget(budget);
    const std::string name = base_name(path_);
    State& s = *state_;

    struct stat st {};
    if (::stat(path_.c_str(), &st) != 0) return unhealthy(fmt::format("cannot read {}: {}", path_, error_text(errno)));
    const bool changed =
        !s.loaded || s.stale || !(FileId::of(st) == s.file) || (s.sandbox && modules_changed(*s.sandbox));

    if (changed) {
        s = State{};
        std::string text, error;
        FileId id;
        // The source has to fit in the state anyway, so the cap bounds the read too.
        if (!read_regular_file(path_, limits_.memory, text, error, &id)) return unhealthy(error);
        s.loaded = true;
        s.file = id;
        s.sandbox = std::make_unique<LuaSandbox>(limits_.memory, lua_path_);
        if (!s.sandbox->state()) {
            s.stale = true;
            return unhealthy(fmt::format("{}: memory limit of {} exceeded while setting up the sandbox", name,
                                         format_size(limits_.memory)));
        }
        s.sandbox->begin_run(deadline, budget_text);
        lua_State* L = s.sandbox->state();
        const std::string chunkname = "@" + name;
        // lua_load is protected: a syntax error pushes Lua's "NAME:LINE: message".
        int status = luaL_loadbufferx(L, text.data(), text.size(), chunkname.c_str(), "t");
        if (status == LUA_OK) {
            lua_pushcfunction(L, install_script);
            lua_insert(L, -2);
            status = lua_pcall(L, 1, 1, 0);
            if (status == LUA_OK && lua_type(L, -1) == LUA_TSTRING) {
                s.error = fmt::format("{}: the script returned {} instead of a function(ctx)", name,
                                      lua_tostring(L, -1));
            }
            if (status == LUA_OK) lua_pop(L, 1);
        }
        if (status != LUA_OK) {
            Failure f = describe_error(*s.sandbox, status, name);
            s.error = std::move(f.message);
            s.stale = f.resource_exceeded;
        }
        if (!s.error.empty()) return unhealthy(s.error, s.sandbox->end_run());
    } else if (!s.error.empty()) {
        return unhealthy(s.error);
    } else {
        s.sandbox->begin_run(deadline, budget_text);
    }

    lua_State* L = s.sandbox->state();
    lua_pushcfunction(L, call_script);
    lua_pushlightuserdata(L, const_cast<ProbeContext*>(&ctx));
    const int status = lua_pcall(L, 1, 2, 0);
    ScriptResult result;
    if (status == LUA_OK) {
        const lua_Integer verdict = lua_tointeger(L, -2);
        const std::string text = lua_tostring(L, -1);
        lua_pop(L, 2);
        if (verdict < 0) {
            result.message = fmt::format("{}: {}; {}", name, text, kExpected);
        } else {
            result.verdict = static_cast<core::Verdict>(verdict);
            result.message = text;
        }
    } else {
        Failure f = describe_error(*s.sandbox, status, name);
        result.message = std::move(f.message);
        s.stale = f.resource_exceeded;
    }
    // The hook sees only Lua instructions: a long call into C (a pattern match) can end past the
    // deadline without being stopped. Its answer came too late all the same.
    if (!s.stale && (s.sandbox->budget_exceeded() || std::chrono::steady_clock::now() > deadline)) {
        result.verdict = core::Verdict::unhealthy;
        result.message = fmt::format("{}: time budget of {} exceeded", name, budget_text);
        s.stale = true;
    }
    lua_settop(L, 0);
    result.message = single_line(result.message);
    result.log = s.sandbox->end_run();
    return result;
}

}  // namespace vj::scripting
