// Lua probes on worker threads: a runaway script costs a worker until its budget, never the event loop.
#pragma once

#include <map>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/thread_pool.hpp>

#include "runtime/probe_exec.hpp"
#include "scripting/lua_script.hpp"

namespace vj::runtime {

/// A ProbeExecutor that runs `lua` probes itself and passes every other type to `others`.
///
/// Each (instance, probe) has its own LuaScript (one Lua state per script, DESIGN §6). A script is run
/// by one worker at a time: the event loop marks it busy while a run is out, and a run asked for while
/// it is busy (a `vjctl health` during a scheduled run) gets a fresh state of its own. Results are posted
/// back to the event loop; a cancelled run's result is dropped there.
///
/// Workers are single-thread lanes. A run goes to an idle lane; when every lane is busy (scripts
/// looping until their budget) a new lane is started, up to `max_lanes`, so that other services'
/// scripts are not queued behind runaway ones. The event loop counts each lane's runs itself (it
/// posts them and receives their results), so no lock is needed.
class LuaProbes final : public ProbeExecutor {
public:
    static constexpr std::size_t max_lanes = 16;

    LuaProbes(boost::asio::io_context& io, ProbeExecutor& others, std::vector<std::string> lua_path);
    ~LuaProbes() override;

    std::uint64_t run(const ProbeTarget& target, ProbeDone done) override;
    void cancel(std::uint64_t token) override;

private:
    struct Script {
        std::shared_ptr<scripting::LuaScript> script;
        bool busy = false;
    };
    boost::asio::io_context& io_;
    ProbeExecutor& others_;
    std::vector<std::string> lua_path_;
    struct Lane {
        std::unique_ptr<boost::asio::thread_pool> thread;  ///< one thread
        int busy = 0;                                      ///< runs posted and not yet returned
    };
    std::size_t pick_lane();

    std::vector<Lane> lanes_;
    std::map<std::pair<std::string, std::string>, Script> scripts_;  ///< (instance, probe name)
    std::map<std::uint64_t, ProbeDone> pending_;                      ///< Lua runs in flight
    std::uint64_t next_token_ = 1ull << 62;                            ///< apart from `others`' tokens
    std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace vj::runtime
