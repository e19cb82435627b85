// Keeping Lua's longjmp away from C++ destructors: push values in protected mode, raise afterwards.
//
// Lua (built as C) reports errors, out-of-memory included, with longjmp. A longjmp that leaves a
// frame holding a std::string or nlohmann::json skips its destructor. So helpers that hold such
// objects push their results through push_protected, which catches the error at a lua_pcall of
// its own; the helper returns, its objects are destroyed, and only then is the error raised again
// (see raise_if_failed). Code that calls lua_* functions directly holds no such objects.
#pragma once

#include <lua.hpp>

#include <string_view>
#include <type_traits>

namespace vj::scripting {

/// Calls `push(L)`, which pushes values and returns how many, in protected mode. Returns that
/// count, or -1 with the error object on the stack. `push` must itself hold no objects with
/// destructors while it calls Lua (a longjmp leaves it).
template <class F>
int push_protected(lua_State* L, F& push) {
    const int base = lua_gettop(L);
    // Two slots: always free in a C function that has pushed fewer than LUA_MINSTACK - 2 values.
    lua_pushcfunction(L, [](lua_State* L) -> int {
        auto* push = static_cast<F*>(lua_touserdata(L, 1));
        lua_remove(L, 1);
        return (*push)(L);
    });
    lua_pushlightuserdata(L, &push);
    if (lua_pcall(L, 1, LUA_MULTRET, 0) != LUA_OK) return -1;
    return lua_gettop(L) - base;
}

/// The helpers' failure convention, `nil, error`, pushed through push_protected: `error` may be a
/// std::string of the calling helper's.
inline int push_nil_and(lua_State* L, std::string_view error) {
    auto push = [&](lua_State* L) {
        lua_pushnil(L);
        lua_pushlstring(L, error.data(), error.size());
        return 2;
    };
    return push_protected(L, push);
}

/// The tail of a lua_CFunction whose body ran in a helper returning push_protected's count:
/// raises the error left on the stack for -1, else returns the count.
inline int raise_if_failed(lua_State* L, int pushed) { return pushed < 0 ? lua_error(L) : pushed; }

}  // namespace vj::scripting
