// The vj helpers: clocks, file age and bounded reads, JSON, /proc figures, disk usage, durations, log.
//
// Expected failures (a missing file, a gone process) return nil and a message, as io.open does;
// only misuse (a wrong argument type) raises. See lua_protect.hpp for why the helpers that hold
// C++ strings push through push_protected.
#include "scripting/lua_helpers.hpp"

#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <climits>
#include <cmath>
#include <cstdarg>
#include <string>

#include "os/proc_stats.hpp"
#include "scripting/lua_json.hpp"
#include "scripting/lua_protect.hpp"
#include "scripting/lua_sandbox.hpp"
#include "scripting/script_file.hpp"

namespace vj::scripting {
namespace {

constexpr lua_Integer kDefaultReadBytes = 64 * 1024;
constexpr lua_Integer kMaxReadBytes = 1 << 20;

double wall_seconds() {
    return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

/// Pushes nil and a lua_pushfstring-formatted message; returns 2.
int fail(lua_State* L, const char* format, ...) {
    lua_pushnil(L);
    va_list args;
    va_start(args, format);
    lua_pushvfstring(L, format, args);
    va_end(args);
    return 2;
}

void set_number(lua_State* L, const char* key, lua_Number value) {
    lua_pushnumber(L, value);
    lua_setfield(L, -2, key);
}

void set_integer(lua_State* L, const char* key, lua_Integer value) {
    lua_pushinteger(L, value);
    lua_setfield(L, -2, key);
}

lua_Integer to_lua_integer(std::uint64_t n) {
    return static_cast<lua_Integer>(std::min<std::uint64_t>(n, static_cast<std::uint64_t>(LUA_MAXINTEGER)));
}

/// vj.now() -> seconds since the epoch (wall clock, float).
int vj_now(lua_State* L) {
    lua_pushnumber(L, wall_seconds());
    return 1;
}

/// vj.monotonic() -> seconds of a steady clock (float); only differences mean something.
int vj_monotonic(lua_State* L) {
    lua_pushnumber(L, std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count());
    return 1;
}

/// vj.file_age(path) -> seconds since the file's mtime, or nil, "cannot stat PATH: reason".
int vj_file_age(lua_State* L) {
    const char* path = luaL_checkstring(L, 1);
    struct stat st {};
    if (::stat(path, &st) != 0) return fail(L, "cannot stat %s: %s", path, error_text(errno));
    const double mtime = static_cast<double>(st.st_mtim.tv_sec) + static_cast<double>(st.st_mtim.tv_nsec) / 1e9;
    lua_pushnumber(L, wall_seconds() - mtime);
    return 1;
}

/// read_file's body: the data and error strings live here; -1 means an error is on the stack.
int read_into(lua_State* L, const char* path, std::size_t max) {
    std::string data, error;
    if (!read_regular_file(path, max, data, error)) return push_nil_and(L, error);
    auto push = [&](lua_State* L) {
        lua_pushlstring(L, data.data(), data.size());
        return 1;
    };
    return push_protected(L, push);
}

/// vj.read_file(path [, max_bytes]) -> the first max_bytes (default 64 KiB, at most 1 MiB) of a
/// regular file, or nil, "cannot read PATH: reason".
int vj_read_file(lua_State* L) {
    const char* path = luaL_checkstring(L, 1);
    const lua_Integer max = luaL_optinteger(L, 2, kDefaultReadBytes);
    luaL_argcheck(L, max >= 0, 2, "max_bytes must not be negative");
    return raise_if_failed(L, read_into(L, path, static_cast<std::size_t>(std::min(max, kMaxReadBytes))));
}

/// A pid argument, or 0 (after pushing nil, message) when there is none or it cannot be one.
pid_t pid_argument(lua_State* L, const char* what) {
    if (lua_isnoneornil(L, 1)) {
        fail(L, "no %s given", what);
        return 0;
    }
    const lua_Integer n = luaL_checkinteger(L, 1);
    if (n <= 0 || n > INT_MAX) {
        fail(L, "invalid %s %I", what, n);
        return 0;
    }
    return static_cast<pid_t>(n);
}

/// vj.proc(pid) -> {pid, state, ppid, pgrp, session, rss, cpu, threads, start_time}, or nil, "no process PID".
int vj_proc(lua_State* L) {
    const pid_t pid = pid_argument(L, "pid");
    if (pid == 0) return 2;
    const std::optional<os::ProcStat> s = os::read_proc_stat(pid);
    if (!s) return fail(L, "no process %d", static_cast<int>(pid));
    static const long ticks = ::sysconf(_SC_CLK_TCK);
    lua_createtable(L, 0, 9);
    set_integer(L, "pid", s->pid);
    const char state[2] = {s->state, '\0'};
    lua_pushstring(L, state);
    lua_setfield(L, -2, "state");
    set_integer(L, "ppid", s->ppid);
    set_integer(L, "pgrp", s->pgrp);
    set_integer(L, "session", s->session);
    set_integer(L, "rss", to_lua_integer(s->rss_bytes));
    set_number(L, "cpu", s->cpu_seconds);
    set_integer(L, "threads", s->threads);
    set_number(L, "start_time", ticks > 0 ? static_cast<double>(s->start_time) / static_cast<double>(ticks) : 0);
    return 1;
}

/// group_stats for one group; the map dies here, before anything is pushed.
std::optional<os::GroupStat> one_group(pid_t pgid) {
    const auto totals = os::group_stats({pgid});
    const auto it = totals.find(pgid);
    if (it == totals.end()) return std::nullopt;
    return it->second;
}

/// vj.group(pgid) -> {rss, cpu, processes} summed over the group, or nil, "no process in group PGID".
int vj_group(lua_State* L) {
    const pid_t pgid = pid_argument(L, "process group");
    if (pgid == 0) return 2;
    const std::optional<os::GroupStat> g = one_group(pgid);
    if (!g) return fail(L, "no process in group %d", static_cast<int>(pgid));
    lua_createtable(L, 0, 3);
    set_integer(L, "rss", to_lua_integer(g->rss_bytes));
    set_number(L, "cpu", g->cpu_seconds);
    set_integer(L, "processes", g->processes);
    return 1;
}

/// vj.disk(path) -> {total, free, avail, used} of the file system holding path, or nil, "cannot statvfs PATH: reason".
int vj_disk(lua_State* L) {
    const char* path = luaL_checkstring(L, 1);
    struct statvfs sv {};
    if (::statvfs(path, &sv) != 0) return fail(L, "cannot statvfs %s: %s", path, error_text(errno));
    const auto unit = static_cast<std::uint64_t>(sv.f_frsize);
    const std::uint64_t total = sv.f_blocks * unit;
    const std::uint64_t free = sv.f_bfree * unit;
    const std::uint64_t avail = sv.f_bavail * unit;
    // As df(1) counts it: the blocks reserved for root are neither used nor available to others.
    const std::uint64_t used = total - std::min(free, total);
    lua_createtable(L, 0, 4);
    set_integer(L, "total", to_lua_integer(total));
    set_integer(L, "free", to_lua_integer(free));
    set_integer(L, "avail", to_lua_integer(avail));
    set_number(L, "used", used + avail > 0 ? static_cast<double>(used) / static_cast<double>(used + avail) : 0.0);
    return 1;
}

/// vj.duration(value) -> seconds, for "250ms", "5s", "1m30s", "1h", "1d" or a number; or nil, message.
int vj_duration(lua_State* L) {
    if (lua_type(L, 1) == LUA_TNUMBER) {
        const lua_Number n = lua_tonumber(L, 1);
        if (n < 0 || !std::isfinite(n)) return fail(L, "invalid duration %f: must be a number of seconds >= 0", n);
        lua_pushnumber(L, n);
        return 1;
    }
    std::size_t length = 0;
    const char* text = luaL_checklstring(L, 1, &length);
    const std::optional<double> seconds = parse_duration_seconds(std::string_view(text, length));
    if (!seconds) {
        return fail(L, "invalid duration '%s' (use seconds or a value like 250ms, 5s, 10m, 1h, 1d)", text);
    }
    lua_pushnumber(L, *seconds);
    return 1;
}

/// vj.log(...) and print(...): the arguments, tostring'ed and joined by spaces, as one log line.
int vj_log(lua_State* L) {
    const int n = lua_gettop(L);
    luaL_Buffer b;
    luaL_buffinit(L, &b);
    for (int i = 1; i <= n; ++i) {
        if (i > 1) luaL_addchar(&b, ' ');
        luaL_tolstring(L, i, nullptr);
        luaL_addvalue(&b);
    }
    luaL_pushresult(&b);
    std::size_t length = 0;
    const char* line = lua_tolstring(L, -1, &length);
    LuaSandbox::of(L).log(std::string_view(line, length));
    return 0;
}

}  // namespace

std::optional<double> parse_duration_seconds(std::string_view text) {
    while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
    while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
    if (text.empty()) return std::nullopt;
    const char* const end = text.data() + text.size();
    double plain = 0;
    if (const auto [stop, ec] = std::from_chars(text.data(), end, plain); ec == std::errc() && stop == end) {
        if (plain < 0 || !std::isfinite(plain)) return std::nullopt;
        return plain;
    }
    double total = 0;
    const char* p = text.data();
    while (p != end) {
        double value = 0;
        const auto [stop, ec] = std::from_chars(p, end, value, std::chars_format::fixed);
        if (ec != std::errc() || value < 0 || *p == '-') return std::nullopt;
        p = stop;
        const std::string_view rest(p, static_cast<std::size_t>(end - p));
        double factor = 0;
        if (rest.starts_with("ms")) {
            factor = 0.001;
            p += 2;
        } else if (!rest.empty()) {
            switch (rest.front()) {
                case 's': factor = 1; break;
                case 'm': factor = 60; break;
                case 'h': factor = 3600; break;
                case 'd': factor = 86400; break;
                default: return std::nullopt;
            }
            ++p;
        } else {
            return std::nullopt;  // "1m30": a number without its unit
        }
        total += value * factor;
    }
    return total;
}

void open_vj_helpers(lua_State* L) {
    static const luaL_Reg helpers[] = {
        {"now", vj_now},
        {"monotonic", vj_monotonic},
        {"file_age", vj_file_age},
        {"read_file", vj_read_file},
        {"json_decode", json_decode},
        {"proc", vj_proc},
        {"group", vj_group},
        {"disk", vj_disk},
        {"duration", vj_duration},
        {"log", vj_log},
        {nullptr, nullptr},
    };
    luaL_newlib(L, helpers);
    lua_setglobal(L, "vj");
    lua_pushcfunction(L, vj_log);
    lua_setglobal(L, "print");
}

}  // namespace vj::scripting
