// One sandboxed Lua 5.4 health script: its own state, memory cap and time budget (DESIGN §6, vj-lua(7)).
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/health.hpp"

namespace vj::scripting {

/// What the script sees as `ctx`.
struct ProbeContext {
    std::string service;     ///< ctx.service: the service name ("audio")
    std::string instance;    ///< ctx.instance: "audio" or "audio:1"
    std::optional<pid_t> pid;  ///< ctx.pid (nil when not running)
    double uptime = 0;       ///< ctx.uptime, seconds
    int restarts = 0;        ///< ctx.restarts
    std::string args_json = "{}";  ///< ctx.args, decoded from this JSON object text
};

/// One run's outcome. Every failure of the script itself (syntax error, runtime error, memory cap,
/// time budget, bad return value) is an `unhealthy` verdict whose message says what and where.
struct ScriptResult {
    core::Verdict verdict = core::Verdict::unhealthy;
    std::string message;
    std::vector<std::string> log;  ///< lines from vj.log(), for supervisord's log
};

struct ScriptLimits {
    std::size_t memory = 16u << 20;  ///< bytes the state may allocate
};

/// Not thread-safe: one run at a time (the probe engine runs each script on one worker at a time).
class LuaScript {
public:
    /// `path` absolute; `lua_path` the directories whose lib/ subfolders `require` may load from.
    /// Nothing is read until the first run.
    LuaScript(std::string path, std::vector<std::string> lua_path, ScriptLimits limits = {});
    ~LuaScript();
    LuaScript(const LuaScript&) = delete;
    LuaScript& operator=(const LuaScript&) = delete;

    /// Runs the script's function with `ctx`, reloading the file first if it changed (mtime, size or
    /// inode). The run is abandoned as unhealthy once `budget` has passed.
    /// A script that failed to load gives the same result, without running again, until its file (or
    /// a lib/ module it required) changes. After a run stopped by the memory cap or the budget, the
    /// next run loads the script into a fresh state; after any other outcome the state is kept.
    ScriptResult run(const ProbeContext& ctx, std::chrono::milliseconds budget);

    const std::string& path() const { return path_; }

private:
    struct State;
    std::string path_;
    std::vector<std::string> lua_path_;
    ScriptLimits limits_;
    std::unique_ptr<State> state_;
};

}  // namespace vj::scripting
