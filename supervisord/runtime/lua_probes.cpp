// Lua probe dispatch to the worker pool and back.
#include "runtime/lua_probes.hpp"

#include <chrono>

#include <boost/asio/post.hpp>

#include "runtime/log.hpp"

namespace vj::runtime {

LuaProbes::LuaProbes(boost::asio::io_context& io, ProbeExecutor& others, std::vector<std::string> lua_path)
    : io_(io), others_(others), lua_path_(std::move(lua_path)) {}

LuaProbes::~LuaProbes() {
    *alive_ = false;
    // Runs in progress end within their budget; results posted after this are dropped by `alive`.
    for (auto& lane : lanes_) lane.thread->join();
}

std::size_t LuaProbes::pick_lane() {
    for (std::size_t i = 0; i < lanes_.size(); ++i)
        if (lanes_[i].busy == 0) return i;
    if (lanes_.size() < max_lanes) {
        lanes_.push_back({std::make_unique<boost::asio::thread_pool>(1), 0});
        return lanes_.size() - 1;
    }
    // Every lane is taken: queue behind the one with the fewest runs.
    std::size_t best = 0;
    for (std::size_t i = 1; i < lanes_.size(); ++i)
        if (lanes_[i].busy < lanes_[best].busy) best = i;
    return best;
}

std::uint64_t LuaProbes::run(const ProbeTarget& target, ProbeDone done) {
    if (target.probe->type != core::ProbeType::lua) return others_.run(target, std::move(done));
    const std::uint64_t token = next_token_++;
    auto& slot = scripts_[{target.instance, target.probe->name}];
    std::shared_ptr<scripting::LuaScript> script;
    const bool fresh = !slot.script || slot.script->path() != target.probe->script;
    if (fresh || slot.busy) {
        script = std::make_shared<scripting::LuaScript>(target.probe->script, lua_path_);
        if (fresh) slot.script = script;
    } else {
        script = slot.script;
    }
    const bool owns_slot = script == slot.script;
    if (owns_slot) slot.busy = true;
    pending_.emplace(token, std::move(done));

    scripting::ProbeContext ctx;
    ctx.service = target.service->name;
    ctx.instance = target.instance;
    ctx.pid = target.pid;
    ctx.uptime = std::chrono::duration<double>(target.uptime).count();
    ctx.restarts = target.restarts;
    ctx.args_json = target.probe->args_json;
    const auto budget = target.probe->timeout;
    const auto key = std::make_pair(target.instance, target.probe->name);

    const std::size_t lane = pick_lane();
    ++lanes_[lane].busy;
    boost::asio::post(*lanes_[lane].thread, [this, alive = alive_, script, ctx = std::move(ctx), budget, token, key,
                                             owns_slot, lane] {
        const auto began = std::chrono::steady_clock::now();
        auto result = script->run(ctx, budget);
        const auto took = std::chrono::duration_cast<core::Duration>(std::chrono::steady_clock::now() - began);
        boost::asio::post(io_, [this, alive, token, key, owns_slot, lane, took, result = std::move(result)]() mutable {
            if (!*alive) return;
            --lanes_[lane].busy;
            if (owns_slot) {
                auto it = scripts_.find(key);
                if (it != scripts_.end()) it->second.busy = false;
            }
            for (const auto& line : result.log) log_info("{} ({}): {}", key.first, key.second, line);
            auto it = pending_.find(token);
            if (it == pending_.end()) return;  // cancelled
            auto done = std::move(it->second);
            pending_.erase(it);
            done(ProbeOutcome{result.verdict, std::move(result.message), took});
        });
    });
    return token;
}

void LuaProbes::cancel(std::uint64_t token) {
    if (pending_.erase(token) == 0) others_.cancel(token);
}

}  // namespace vj::runtime
