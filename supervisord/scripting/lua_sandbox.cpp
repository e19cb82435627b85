// The sandboxed lua_State: capped allocator, budget hook, trimmed globals, `require` from lua/lib.
#include "scripting/lua_sandbox.hpp"

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "scripting/lua_helpers.hpp"
#include "scripting/lua_protect.hpp"

namespace vj::scripting {
namespace {

/// The count hook runs every this many VM instructions: a clock read per ~10 µs of Lua.
constexpr int kHookInstructions = 1000;
constexpr std::size_t kMaxLogLines = 20;
constexpr std::size_t kMaxModuleBytes = 1u << 20;
constexpr const char* kLoadedKey = "vj.loaded";  // registry: module name -> value, like package.loaded
const char kLoadingMark = 0;                     // its address marks a module being loaded

int panic(lua_State* L) {
    // Every call into Lua from C++ is protected; an error escaping one is a bug in the host.
    const char* message = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : "(not a string)";
    std::fprintf(stderr, "supervisord: internal error: unprotected Lua error: %s\n", message);
    std::abort();
}

void budget_hook(lua_State* L, lua_Debug*) {
    if (!LuaSandbox::of(L).within_budget()) LuaSandbox::raise_budget_exceeded(L);
}

/// After pcall, xpcall or coroutine.resume return (or resume after a yield): a stop by the budget
/// they caught is raised again.
int after_catching_call(lua_State* L, int, lua_KContext) {
    if (LuaSandbox::of(L).budget_exceeded()) LuaSandbox::raise_budget_exceeded(L);
    return lua_gettop(L);
}

/// Calls the original function (upvalue 1) with all arguments; see after_catching_call.
int budget_respecting_call(lua_State* L) {
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    // lua_callk: a coroutine may yield inside pcall; on resumption Lua continues in after_catching_call.
    lua_callk(L, lua_gettop(L) - 1, LUA_MULTRET, 0, after_catching_call);
    return after_catching_call(L, LUA_OK, 0);
}

/// xpcall's message handler, wrapped. An error raised by the budget hook calls the handler with
/// hooks off (Lua is still inside the hook), so a handler that loops could not be stopped: once the
/// budget is exceeded the error passes through unhandled.
int budget_respecting_handler(lua_State* L) {
    if (LuaSandbox::of(L).budget_exceeded()) return 1;
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, lua_gettop(L) - 1, 1);
    return 1;
}

/// xpcall(f, msgh, ...) with msgh wrapped in budget_respecting_handler; upvalue 1 is the original.
int sandbox_xpcall(lua_State* L) {
    luaL_checktype(L, 2, LUA_TFUNCTION);
    lua_pushvalue(L, 2);
    lua_pushcclosure(L, budget_respecting_handler, 1);
    lua_replace(L, 2);
    return budget_respecting_call(L);
}

/// setmetatable without __gc: Lua runs finalizers with hooks off, so a looping one could not be
/// stopped by the budget (and lua_close would hang on it). A metatable is checked when it is set,
/// which is also when Lua decides whether to finalize the object.
int sandbox_setmetatable(lua_State* L) {
    if (lua_type(L, 2) == LUA_TTABLE) {
        lua_pushliteral(L, "__gc");
        if (lua_rawget(L, 2) != LUA_TNIL) {
            return luaL_error(L, "setmetatable: __gc metamethods are not allowed in the sandbox");
        }
        lua_pop(L, 1);
    }
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, lua_gettop(L) - 1, LUA_MULTRET);
    return lua_gettop(L);
}

/// Replaces table[name] (table on top) with `wrapper`, the original as its upvalue.
void wrap_field(lua_State* L, const char* name, lua_CFunction wrapper) {
    lua_getfield(L, -1, name);
    lua_pushcclosure(L, wrapper, 1);
    lua_setfield(L, -2, name);
}

/// Replaces table[name] (table on top) with budget_respecting_call around it.
void guard_field(lua_State* L, const char* name) { wrap_field(L, name, budget_respecting_call); }

/// load(chunk [, chunkname [, mode [, env]]]) with mode forced to "t".
int text_only_load(lua_State* L) {
    if (lua_type(L, 1) == LUA_TSTRING) {
        const char* chunk = lua_tostring(L, 1);
        if (chunk[0] == LUA_SIGNATURE[0]) {
            lua_pushnil(L);
            lua_pushliteral(L, "load: precompiled (bytecode) chunks are not allowed in the sandbox; load source text");
            return 2;
        }
    }
    // The original load tells "env absent" from "env nil" by the argument count: keep the count.
    const int args = lua_gettop(L) < 3 ? 3 : lua_gettop(L);
    lua_settop(L, args);
    lua_pushliteral(L, "t");
    lua_replace(L, 3);
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, args, LUA_MULTRET);
    return lua_gettop(L);
}

/// collectgarbage with the options that cannot change how the collector runs.
int restricted_collectgarbage(lua_State* L) {
    const char* option = luaL_optstring(L, 1, "collect");
    for (const char* allowed : {"collect", "count", "step", "isrunning"}) {
        if (std::strcmp(option, allowed) == 0) {
            lua_pushvalue(L, lua_upvalueindex(1));
            lua_insert(L, 1);
            lua_call(L, lua_gettop(L) - 1, LUA_MULTRET);
            return lua_gettop(L);
        }
    }
    return luaL_error(L, "collectgarbage: option '%s' is not available in the sandbox", option);
}

/// Module names are dot-separated words of letters, digits, '_' and '-': no '/', no "..", no
/// empty part, so a name cannot leave lib/.
bool valid_module_name(const char* name, std::size_t length) {
    if (length == 0 || length > 200) return false;
    bool part_empty = true;
    for (std::size_t i = 0; i < length; ++i) {
        const char c = name[i];
        if (c == '.') {
            if (part_empty) return false;
            part_empty = true;
        } else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
                   c == '-') {
            part_empty = false;
        } else {
            return false;
        }
    }
    return !part_empty;
}

/// Looks for lib/NAME.lua in each lua_path directory, in order. Returns 1 with the compiled chunk
/// pushed, 0 if no directory has it, or -1 with an error pushed (unreadable file, syntax error).
int find_module(lua_State* L, const char* name) {
    LuaSandbox& sandbox = LuaSandbox::of(L);
    std::string relative = std::string("lib/") + name + ".lua";
    for (std::size_t i = 4; i < relative.size() - 4; ++i) {
        if (relative[i] == '.') relative[i] = '/';
    }
    for (const std::string& dir : sandbox.lua_path()) {
        const std::string path = dir + "/" + relative;
        std::string text, error;
        FileId id;
        int error_number = 0;
        if (!read_regular_file(path, kMaxModuleBytes, text, error, &id, &error_number)) {
            if (error_number == ENOENT || error_number == ENOTDIR) continue;
            auto push = [&](lua_State* L) {
                lua_pushfstring(L, "require: %s", error.c_str());
                return 1;
            };
            push_protected(L, push);
            return -1;
        }
        sandbox.add_module(path, id);
        const std::string chunkname = "@" + relative;
        // lua_load is protected: on a syntax error or out of memory it pushes the message.
        return luaL_loadbufferx(L, text.data(), text.size(), chunkname.c_str(), "t") == LUA_OK ? 1 : -1;
    }
    return 0;
}

/// require(name): NAME.lua from lib/ of the lua_path directories, run once, its value cached.
int sandbox_require(lua_State* L) {
    std::size_t length = 0;
    const char* name = luaL_checklstring(L, 1, &length);
    if (!valid_module_name(name, length)) {
        return luaL_error(L,
                          "require: invalid module name '%s' (use names like 'vjcheck' or 'util.text'; "
                          "'/', '..' and absolute names are not allowed)",
                          name);
    }
    lua_settop(L, 1);
    lua_getfield(L, LUA_REGISTRYINDEX, kLoadedKey);  // 2
    lua_getfield(L, 2, name);                        // 3
    if (lua_touserdata(L, 3) == &kLoadingMark) return luaL_error(L, "require: module '%s' requires itself", name);
    if (!lua_isnil(L, 3)) return 1;
    lua_pop(L, 1);
    const int found = find_module(L, name);
    if (found < 0) return lua_error(L);
    if (found == 0) {
        luaL_Buffer b;
        luaL_buffinit(L, &b);
        luaL_where(L, 1);
        luaL_addvalue(&b);
        lua_pushfstring(L, "require: module '%s' not found in", name);
        luaL_addvalue(&b);
        const auto& dirs = LuaSandbox::of(L).lua_path();
        for (std::size_t i = 0; i < dirs.size(); ++i) {
            lua_pushfstring(L, "%s %s/lib", i == 0 ? "" : ",", dirs[i].c_str());
            luaL_addvalue(&b);
        }
        if (dirs.empty()) luaL_addstring(&b, " (no lua_path directories)");
        luaL_pushresult(&b);
        return lua_error(L);
    }
    // Stack: name, loaded, chunk.
    lua_pushlightuserdata(L, const_cast<char*>(&kLoadingMark));
    lua_setfield(L, 2, name);
    lua_pushvalue(L, 1);
    if (lua_pcall(L, 1, 1, 0) != LUA_OK) {
        lua_pushnil(L);
        lua_setfield(L, 2, name);  // a later require tries again
        return lua_error(L);
    }
    if (lua_isnil(L, -1)) {
        lua_pop(L, 1);
        lua_pushboolean(L, 1);
    }
    lua_pushvalue(L, -1);
    lua_setfield(L, 2, name);
    return 1;
}

void remove_field(lua_State* L, const char* name) {
    lua_pushnil(L);
    lua_setfield(L, -2, name);
}

/// Opens a library into the global `name` and leaves its table on the stack.
void open_library(lua_State* L, const char* name, lua_CFunction open) {
    luaL_requiref(L, name, open, 1);
}

/// Builds the globals; runs in protected mode (the cap may refuse).
int open_sandbox(lua_State* L) {
    open_library(L, LUA_GNAME, luaopen_base);
    for (const char* name : {"dofile", "loadfile", "warn"}) remove_field(L, name);
    guard_field(L, "pcall");
    wrap_field(L, "xpcall", sandbox_xpcall);
    wrap_field(L, "setmetatable", sandbox_setmetatable);
    wrap_field(L, "load", text_only_load);
    wrap_field(L, "collectgarbage", restricted_collectgarbage);
    lua_pushcfunction(L, sandbox_require);
    lua_setfield(L, -2, "require");
    lua_pop(L, 1);

    open_library(L, LUA_STRLIBNAME, luaopen_string);
    remove_field(L, "dump");
    lua_pop(L, 1);
    open_library(L, LUA_TABLIBNAME, luaopen_table);
    open_library(L, LUA_MATHLIBNAME, luaopen_math);
    open_library(L, LUA_UTF8LIBNAME, luaopen_utf8);
    open_library(L, LUA_COLIBNAME, luaopen_coroutine);
    guard_field(L, "resume");
    lua_pop(L, 4);

    // os: only the clock and calendar functions. luaopen_os is called, not required, so that the
    // full table is not left in the registry's _LOADED.
    lua_pushcfunction(L, luaopen_os);
    lua_call(L, 0, 1);
    lua_createtable(L, 0, 3);
    for (const char* name : {"time", "clock", "date"}) {
        lua_getfield(L, -2, name);
        lua_setfield(L, -2, name);
    }
    lua_setglobal(L, "os");
    lua_pop(L, 1);

    lua_newtable(L);
    lua_setfield(L, LUA_REGISTRYINDEX, kLoadedKey);
    open_vj_helpers(L);
    return 0;
}

std::size_t utf8_boundary(std::string_view text, std::size_t at) {
    while (at > 0 && (static_cast<unsigned char>(text[at]) & 0xC0) == 0x80) --at;
    return at;
}

}  // namespace

std::string single_line(std::string_view text, std::size_t max) {
    std::string line;
    if (text.size() > max) {
        line = text.substr(0, utf8_boundary(text, max - 3));
        line += "...";
    } else {
        line = text;
    }
    for (char& c : line) {
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = ' ';
    }
    return line;
}

LuaSandbox::LuaSandbox(std::size_t memory, std::vector<std::string> lua_path)
    : limit_(memory), lua_path_(std::move(lua_path)) {
    L_ = lua_newstate(&LuaSandbox::allocate, this);
    if (!L_) return;
    lua_atpanic(L_, panic);
    lua_sethook(L_, budget_hook, LUA_MASKCOUNT, kHookInstructions);
    lua_pushcfunction(L_, open_sandbox);
    if (lua_pcall(L_, 0, 0, 0) != LUA_OK) {
        lua_close(L_);
        L_ = nullptr;
    }
}

LuaSandbox::~LuaSandbox() {
    if (!L_) return;
    armed_ = true;
    budget_exceeded_ = true;
    lua_close(L_);
}

LuaSandbox& LuaSandbox::of(lua_State* L) {
    void* ud = nullptr;
    lua_getallocf(L, &ud);
    return *static_cast<LuaSandbox*>(ud);
}

void LuaSandbox::begin_run(std::chrono::steady_clock::time_point deadline, std::string budget) {
    deadline_ = deadline;
    budget_ = std::move(budget);
    armed_ = true;
    budget_exceeded_ = false;
    memory_refused_ = false;
    log_.clear();
    log_overflowed_ = false;
}

std::vector<std::string> LuaSandbox::end_run() {
    armed_ = false;
    return std::exchange(log_, {});
}

bool LuaSandbox::within_budget() {
    if (!armed_) return true;
    if (!budget_exceeded_ && std::chrono::steady_clock::now() >= deadline_) budget_exceeded_ = true;
    return !budget_exceeded_;
}

void LuaSandbox::raise_budget_exceeded(lua_State* L) {
    lua_pushfstring(L, "time budget of %s exceeded", of(L).budget_.c_str());
    lua_error(L);
    std::abort();  // lua_error does not return
}

void LuaSandbox::log(std::string_view line) {
    if (log_.size() < kMaxLogLines) {
        log_.push_back(single_line(line));
    } else if (!log_overflowed_) {
        log_overflowed_ = true;
        log_.push_back("vj.log: more lines in this run were dropped");
    }
}

void* LuaSandbox::allocate(void* ud, void* ptr, std::size_t old_size, std::size_t new_size) {
    auto* self = static_cast<LuaSandbox*>(ud);
    // For a new block Lua passes the object's type in old_size, not a size.
    const std::size_t old = ptr ? old_size : 0;
    if (new_size == 0) {
        std::free(ptr);
        self->used_ -= old;
        return nullptr;
    }
    // Growth past the cap is refused: Lua collects garbage, tries once more, then raises
    // "not enough memory" (LUA_ERRMEM). Shrinking never fails, as Lua requires.
    if (new_size > old && new_size - old > self->limit_ - self->used_) {
        self->memory_refused_ = true;
        return nullptr;
    }
    void* block = std::realloc(ptr, new_size);
    if (!block) return new_size <= old ? ptr : nullptr;
    self->used_ = self->used_ - old + new_size;
    return block;
}

}  // namespace vj::scripting
