// A Lua state with a memory cap, a time budget and a trimmed standard library (vj-lua(7) SANDBOX).
#pragma once

#include <lua.hpp>

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "scripting/script_file.hpp"

namespace vj::scripting {

/// One lua_State and what its C side needs: the allocation count, the armed deadline, the run's
/// vj.log lines and the library modules it loaded. Lua code reaches it with LuaSandbox::of(L).
///
/// Globals: base (without dofile, loadfile, warn; print writes to vj.log; load takes text only;
/// collectgarbage only "collect", "count", "step", "isrunning"; setmetatable refuses __gc), string
/// (without dump), table, math, utf8, coroutine, os.time/clock/date, `require` (lib/ of each
/// lua_path directory), and `vj`.
///
/// The budget is a count hook on the main thread. Lua copies a thread's hook into every thread it
/// creates (lua_newthread), and every coroutine descends from the main thread, so a loop inside a
/// coroutine is stopped as well. Once the deadline has passed the hook raises in whatever runs, and
/// pcall, xpcall and coroutine.resume raise again on return, so a script cannot catch the stop and
/// carry on. Lua runs two kinds of code with hooks off: finalizers (hence no __gc) and a message
/// handler called for an error raised by the hook itself (hence xpcall's handler is skipped once
/// the budget is exceeded).
class LuaSandbox {
public:
    /// A fresh state whose allocations are capped at `memory` bytes. If even the libraries do not
    /// fit, state() is null.
    LuaSandbox(std::size_t memory, std::vector<std::string> lua_path);
    /// Closes the state with the budget already expired, so a finalizer (__gc) that loops is stopped.
    ~LuaSandbox();
    LuaSandbox(const LuaSandbox&) = delete;
    LuaSandbox& operator=(const LuaSandbox&) = delete;

    lua_State* state() const { return L_; }

    /// Arms the budget for one run: Lua code running at `deadline` or later is stopped with the error
    /// "time budget of BUDGET exceeded". Clears the last run's flags and log.
    void begin_run(std::chrono::steady_clock::time_point deadline, std::string budget);
    /// Disarms the budget; returns the run's vj.log lines.
    std::vector<std::string> end_run();

    bool budget_exceeded() const { return budget_exceeded_; }  ///< the hook stopped code this run
    bool memory_refused() const { return memory_refused_; }    ///< the cap refused an allocation this run
    std::size_t memory_limit() const { return limit_; }
    const std::string& budget() const { return budget_; }  ///< as given to begin_run ("2s")

    /// The library modules `require` read, with the identity of the version read.
    const std::vector<std::pair<std::string, FileId>>& modules() const { return modules_; }

    /// The sandbox that owns `L` (any of its threads).
    static LuaSandbox& of(lua_State* L);

    // For the C functions of the sandbox and of `vj`:

    /// Whether the running code may go on; false once the deadline has passed (and from then on).
    bool within_budget();
    /// Pushes "time budget of BUDGET exceeded" and raises it.
    [[noreturn]] static void raise_budget_exceeded(lua_State* L);
    /// One vj.log line (made single-line and capped); the lines of a run are capped too.
    void log(std::string_view line);
    const std::vector<std::string>& lua_path() const { return lua_path_; }
    void add_module(std::string path, FileId id) { modules_.emplace_back(std::move(path), id); }

private:
    static void* allocate(void* ud, void* ptr, std::size_t old_size, std::size_t new_size);

    lua_State* L_ = nullptr;
    std::size_t limit_;
    std::size_t used_ = 0;
    bool memory_refused_ = false;
    bool armed_ = false;
    bool budget_exceeded_ = false;
    std::chrono::steady_clock::time_point deadline_{};
    std::string budget_;
    std::vector<std::string> log_;
    bool log_overflowed_ = false;
    std::vector<std::string> lua_path_;
    std::vector<std::pair<std::string, FileId>> modules_;
};

/// `text` as one line of at most `max` bytes: control characters (newlines too) become spaces, and a
/// longer text is cut at a UTF-8 character boundary and ends in "...".
std::string single_line(std::string_view text, std::size_t max = 512);

}  // namespace vj::scripting
