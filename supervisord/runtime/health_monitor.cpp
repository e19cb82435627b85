// Probe scheduling, sd_notify handling, memory sampling; the thresholds themselves are core::observe.
#include "runtime/health_monitor.hpp"

#include <algorithm>
#include <cstdio>

#include <boost/asio/post.hpp>
#include <fmt/format.h>

#include "config/value_parsers.hpp"
#include "os/proc_stats.hpp"
#include "os/proc.hpp"
#include "os/spawn.hpp"
#include "os/signal_names.hpp"
#include "runtime/log.hpp"
#include "runtime/notify_socket.hpp"

namespace vj::runtime {
namespace {

using core::Health;
using core::Verdict;
using namespace std::chrono_literals;

/// While `starting`, the ready probe is asked this often (at most): readiness should be seen promptly.
constexpr core::Duration ready_poll = 250ms;
/// Without `grace`, the first run of a probe comes one interval after the spawn but at most this long.
constexpr core::Duration first_run = 1s;

std::string mib(std::uint64_t bytes) { return fmt::format("{:.1f} MiB", static_cast<double>(bytes) / (1 << 20)); }

std::string_view type_name(const ProbeSlot& slot) {
    switch (slot.kind) {
        case ProbeSlot::Kind::pid: return "pid";
        case ProbeSlot::Kind::watchdog: return "watchdog";
        case ProbeSlot::Kind::configured: break;
    }
    switch (slot.spec->type) {
        case core::ProbeType::heartbeat: return "heartbeat";
        case core::ProbeType::command: return "command";
        case core::ProbeType::tcp: return "tcp";
        case core::ProbeType::http: return "http";
        case core::ProbeType::lua: return "lua";
    }
    return "?";
}

/// One probe's verdict as `vjctl health` reports it.
nlohmann::json verdict_json(const ProbeSlot& slot, const ProbeOutcome& o) {
    return {{"name", slot.name},
            {"type", type_name(slot)},
            {"verdict", core::to_string(o.verdict)},
            {"took_ms", std::chrono::duration<double, std::milli>(o.took).count()},
            {"message", o.message}};
}

bool is_ready_probe(const Instance& inst, const ProbeSlot& slot) {
    return slot.kind == ProbeSlot::Kind::configured && inst.spec->ready.probe == slot.name;
}

}  // namespace

HealthMonitor::HealthMonitor(boost::asio::io_context& io, Clock& clock, ProbeExecutor* probes,
                             std::string notify_dir, Hooks hooks)
    : io_(io),
      clock_(clock),
      probes_(probes),
      notify_dir_(std::move(notify_dir)),
      hooks_(std::move(hooks)),
      memory_timer_(io) {}

void HealthMonitor::attach(Instance& inst) {
    auto& h = inst.health;
    h.slots.push_back(std::make_unique<ProbeSlot>(io_, ProbeSlot::Kind::pid, nullptr, "pid"));
    for (const auto& probe : inst.spec->health)
        h.slots.push_back(std::make_unique<ProbeSlot>(io_, ProbeSlot::Kind::configured, &probe, probe.name));
    h.watchdog_period = inst.spec->ready.watchdog;
    if (h.watchdog_period)
        h.slots.push_back(std::make_unique<ProbeSlot>(io_, ProbeSlot::Kind::watchdog, nullptr, "watchdog"));
    if (!inst.spec->ready.notify) return;

    std::string stem = inst.name;
    std::replace(stem.begin(), stem.end(), ':', '-');
    h.notify_path = notify_dir_ + "/" + stem + ".sock";
    if (auto r = os::make_directories(notify_dir_, 0755); !r) {
        log_error("cannot create {}: {}", notify_dir_, r.error().message());
        return;
    }
    std::optional<uid_t> uid;
    std::optional<gid_t> gid;
    if (inst.spec->user) {
        if (auto user = os::lookup_user(*inst.spec->user)) {
            uid = user->uid;
            gid = user->gid;
        }
    }
    auto socket = NotifySocket::open(
        io_, h.notify_path, uid, gid,
        [this, &inst](const core::NotifyMessage& msg, std::optional<pid_t> sender) { on_notify(inst, msg, sender); },
        [&inst](std::string what) { log_error("{}: {}", inst.name, what); });
    if (!socket) {
        log_error("{}: cannot open its notify socket: {}", inst.name, socket.error());
        h.notify_status = "cannot open notify socket: " + socket.error();
        return;
    }
    h.notify = std::move(*socket);
}

std::map<std::string, std::string> HealthMonitor::spawn_env(const Instance& inst) const {
    std::map<std::string, std::string> env;
    if (inst.health.notify) env["NOTIFY_SOCKET"] = inst.health.notify_path;
    if (inst.health.watchdog_period)
        env["WATCHDOG_USEC"] = std::to_string(
            std::chrono::duration_cast<std::chrono::microseconds>(*inst.health.watchdog_period).count());
    return env;
}

void HealthMonitor::started(Instance& inst) {
    auto& h = inst.health;
    ++h.generation;
    h.health = Health::unknown;
    h.notify_status.clear();
    const core::Time now = clock_.now();
    h.watchdog_ping = now;
    for (auto& slot : h.slots) {
        slot->timer.cancel();
        slot->in_flight.reset();
        slot->track = {};
        slot->last_verdict.reset();
        slot->message.clear();
        slot->last_run.reset();
        switch (slot->kind) {
            case ProbeSlot::Kind::pid:
                note(*slot, Verdict::healthy, "running");
                break;
            case ProbeSlot::Kind::configured: {
                const auto& p = *slot->spec;
                schedule(inst, *slot, now + (p.grace.count() > 0 ? p.grace : std::min(p.interval, first_run)));
                break;
            }
            case ProbeSlot::Kind::watchdog:
                break;
        }
    }
    arm_watchdog(inst);
    reassess(inst, "started");
}

void HealthMonitor::ended(Instance& inst) {
    auto& h = inst.health;
    ++h.generation;  // results still on their way belong to the old process
    for (auto& slot : h.slots) {
        slot->timer.cancel();
        if (slot->in_flight && probes_) probes_->cancel(*slot->in_flight);
        slot->in_flight.reset();
        slot->track = {};
    }
    if (h.health != Health::unknown)
        log_info("{}: health {} -> unknown: not running", inst.name, core::to_string(h.health));
    h.health = Health::unknown;
}

void HealthMonitor::schedule(Instance& inst, ProbeSlot& slot, core::Time at) {
    slot.timer.expires_at(at);
    slot.timer.async_wait([this, &inst, &slot, gen = inst.health.generation](const boost::system::error_code& ec) {
        if (ec || gen != inst.health.generation) return;
        launch(inst, slot);
    });
}

ProbeTarget HealthMonitor::target_for(const Instance& inst, const ProbeSlot& slot) const {
    ProbeTarget t;
    t.service = inst.spec;
    t.probe = slot.spec;
    t.instance = inst.name;
    if (inst.state.pid) t.pid = *inst.state.pid;
    t.uptime = std::chrono::duration_cast<core::Duration>(clock_.now() - inst.state.spawned_at);
    t.restarts = inst.state.restarts;
    return t;
}

void HealthMonitor::launch(Instance& inst, ProbeSlot& slot) {
    const core::Time began = clock_.now();
    const auto& p = *slot.spec;
    // Fixed rate from the start of this run; a run longer than the interval is followed at once.
    const bool polling = is_ready_probe(inst, slot) && inst.state.state == core::State::starting;
    const core::Time next = began + (polling ? std::min(p.interval, ready_poll) : p.interval);
    if (!probes_) {
        record(inst, slot, {Verdict::unhealthy, "no probe executor", core::Duration(0)});
        return;
    }
    if (slot.in_flight) return;  // the previous run is still out: it reschedules when it ends
    const auto gen = inst.health.generation;
    slot.in_flight = probes_->run(target_for(inst, slot), [this, &inst, &slot, gen, next](ProbeOutcome outcome) {
        if (gen != inst.health.generation) return;
        slot.in_flight.reset();
        record(inst, slot, outcome);
        if (gen != inst.health.generation) return;  // the verdict ended this process's run
        schedule(inst, slot, std::max(next, clock_.now()));
    });
}

void HealthMonitor::note(ProbeSlot& slot, Verdict verdict, std::string message, bool first_success_counts) {
    slot.last_verdict = verdict;
    slot.message = std::move(message);
    slot.last_run = clock_.now();
    slot.track = core::observe(slot.track, verdict, slot.failures(), first_success_counts ? 1 : slot.successes());
}

void HealthMonitor::record(Instance& inst, ProbeSlot& slot, const ProbeOutcome& outcome) {
    slot.took = outcome.took;
    if (is_ready_probe(inst, slot) && inst.state.state == core::State::starting) {
        // Not ready yet is not unhealthy: only the first success counts while starting.
        if (outcome.verdict != Verdict::healthy) {
            slot.last_verdict = outcome.verdict;
            slot.message = outcome.message;
            slot.last_run = clock_.now();
            return;
        }
        hooks_.enqueue(inst, core::ReadyReported{"probe " + slot.name});
        note(slot, outcome.verdict, outcome.message, true);  // the success that makes it ready makes it healthy
    } else {
        note(slot, outcome.verdict, outcome.message);
    }
    reassess(inst, "probe " + slot.name + ": " + outcome.message);
}

void HealthMonitor::reassess(Instance& inst, const std::string& cause) {
    auto& h = inst.health;
    std::vector<Health> healths;
    const ProbeSlot* worst = nullptr;
    for (const auto& slot : h.slots) {
        healths.push_back(slot->track.health);
        if (slot->track.health == Health::unhealthy && (!worst || worst->track.health != Health::unhealthy))
            worst = slot.get();
        else if (slot->track.health == Health::degraded && !worst)
            worst = slot.get();
    }
    const Health before = h.health;
    const bool probed = inst.state.state == core::State::starting || inst.state.state == core::State::running;
    const Health after = inst.state.pid && probed ? core::combine(healths) : Health::unknown;
    h.health = after;
    if (before == after) {
        hooks_.dispatch();
        return;
    }
    const std::string why = worst ? std::string(worst->kind == ProbeSlot::Kind::configured ? "probe " : "") +
                                        worst->name + (worst->message.empty() ? "" : ": " + worst->message)
                                  : cause;
    log_info("{}: health {} -> {}: {}", inst.name, core::to_string(before), core::to_string(after), why);
    const bool up = inst.state.goal == core::Goal::up &&
                    (inst.state.state == core::State::starting || inst.state.state == core::State::running);
    if (up) {
        switch (core::on_health_change(before, after, inst.spec->on_unhealthy)) {
            case core::HealthAction::none:
                break;
            case core::HealthAction::restart:
                hooks_.enqueue(inst, core::Unhealthy{why});
                break;
            case core::HealthAction::stop:
                hooks_.enqueue(inst, core::StopRequested{"unhealthy: " + why + ", stopped (on_unhealthy: stop)"});
                break;
            case core::HealthAction::alert: {
                static constexpr std::string_view severities[] = {"critical", "warning", "info"};
                log_error("{}: alert ({}): unhealthy: {}", inst.name,
                          severities[static_cast<int>(inst.spec->alert)], why);
                break;
            }
        }
    }
    hooks_.dispatch();
}

void HealthMonitor::stopped_or_continued(Instance& inst, bool stopped, int signo) {
    // While stopping, the SIGCONT that follows the stop signal is expected: not a health change.
    if (!inst.state.pid || inst.health.slots.empty() || inst.state.state == core::State::stopping) return;
    auto& slot = *inst.health.slots.front();  // the pid probe
    note(slot, stopped ? Verdict::unhealthy : Verdict::healthy,
         stopped ? "stopped by signal " + os::signal_name(signo) : "running");
    reassess(inst, "pid: " + slot.message);
}

ProbeOutcome HealthMonitor::pid_verdict(const Instance& inst) const {
    if (!inst.state.pid) return {Verdict::unhealthy, "not running", core::Duration(0)};
    const auto stat = os::read_proc_stat(*inst.state.pid);
    if (!stat) return {Verdict::unhealthy, fmt::format("process {} is gone", *inst.state.pid), core::Duration(0)};
    if (stat->state == 'T' || stat->state == 't')
        return {Verdict::unhealthy, fmt::format("process {} is stopped (state {})", stat->pid, stat->state),
                core::Duration(0)};
    if (stat->state == 'Z') return {Verdict::unhealthy, fmt::format("process {} is a zombie", stat->pid), {}};
    return {Verdict::healthy, fmt::format("process {} state {}", stat->pid, stat->state), core::Duration(0)};
}

void HealthMonitor::arm_watchdog(Instance& inst) {
    auto& h = inst.health;
    if (!h.watchdog_period || !h.watchdog_ping || !inst.state.pid) return;
    ProbeSlot* slot = h.slots.back().get();
    slot->timer.expires_at(*h.watchdog_ping + *h.watchdog_period);
    slot->timer.async_wait([this, &inst, slot, gen = h.generation](const boost::system::error_code& ec) {
        if (ec || gen != inst.health.generation) return;
        const auto& hh = inst.health;
        const auto silent = clock_.now() - *hh.watchdog_ping;
        if (silent < *hh.watchdog_period) {
            arm_watchdog(inst);
            return;
        }
        note(*slot, Verdict::unhealthy, "no WATCHDOG=1 for " + config::format_duration(*hh.watchdog_period));
        reassess(inst, "watchdog: " + slot->message);
    });
}

void HealthMonitor::on_notify(Instance& inst, const core::NotifyMessage& msg, std::optional<pid_t> sender) {
    auto& h = inst.health;
    if (!inst.state.pid) {
        log_info("{}: sd_notify message from pid {} while not running: ignored", inst.name, sender.value_or(0));
        return;
    }
    if (msg.status) h.notify_status = *msg.status;
    if (msg.main_pid && *msg.main_pid != *inst.state.pid) {
        // Only a process of the instance's own group may become its main process.
        const auto stat = os::read_proc_stat(*msg.main_pid);
        if (stat && stat->pgrp == inst.state.pgid)
            hooks_.main_pid(inst, *msg.main_pid);
        else
            log_error("{}: MAINPID={} ignored: not a process of its group {}", inst.name, *msg.main_pid,
                      inst.state.pgid);
    }
    if (msg.watchdog_usec && *msg.watchdog_usec > 0 && h.watchdog_period)
        h.watchdog_period = std::chrono::duration_cast<core::Duration>(std::chrono::microseconds(*msg.watchdog_usec));
    if (h.watchdog_period && (msg.watchdog || msg.ready)) {
        h.watchdog_ping = clock_.now();
        ProbeSlot& slot = *h.slots.back();
        if (msg.watchdog && slot.track.health != Health::healthy) {
            note(slot, Verdict::healthy, "WATCHDOG=1");
            reassess(inst, "watchdog: WATCHDOG=1");
        }
        arm_watchdog(inst);
    }
    if (msg.watchdog_trigger && h.watchdog_period) {
        note(*h.slots.back(), Verdict::unhealthy, "WATCHDOG=trigger");
        reassess(inst, "watchdog: WATCHDOG=trigger");
    }
    if (msg.stopping) {
        if (!msg.status) h.notify_status = "stopping";
        log_info("{}: STOPPING=1", inst.name);
    }
    if (msg.ready) hooks_.enqueue(inst, core::ReadyReported{"READY=1"});
    hooks_.dispatch();
}

void HealthMonitor::run_now(Instance& inst, std::function<void(nlohmann::json)> done) {
    struct Gather {
        nlohmann::json results = nlohmann::json::array();
        std::size_t outstanding = 0;
        std::function<void(nlohmann::json)> done;
    };
    auto g = std::make_shared<Gather>();
    g->done = std::move(done);
    auto add = [g](const ProbeSlot& slot, const ProbeOutcome& o) { g->results.push_back(verdict_json(slot, o)); };
    auto& h = inst.health;
    for (auto& slot_ptr : h.slots) {
        ProbeSlot& slot = *slot_ptr;
        switch (slot.kind) {
            case ProbeSlot::Kind::pid: {
                auto o = pid_verdict(inst);
                add(slot, o);
                if (inst.state.pid) note(slot, o.verdict, o.message);
                break;
            }
            case ProbeSlot::Kind::watchdog: {
                ProbeOutcome o{Verdict::unhealthy, "not running", core::Duration(0)};
                if (inst.state.pid && h.watchdog_ping && h.watchdog_period) {
                    const auto age = std::chrono::duration<double>(clock_.now() - *h.watchdog_ping).count();
                    const bool fresh = clock_.now() - *h.watchdog_ping < *h.watchdog_period;
                    o = {fresh ? Verdict::healthy : Verdict::unhealthy,
                         fmt::format("last WATCHDOG=1 {:.1f}s ago (every {} at most)", age,
                                     config::format_duration(*h.watchdog_period)),
                         core::Duration(0)};
                }
                add(slot, o);
                break;
            }
            case ProbeSlot::Kind::configured: {
                if (!inst.state.pid) {
                    add(slot, {Verdict::unhealthy, "not running", core::Duration(0)});
                    break;
                }
                if (!probes_) {
                    add(slot, {Verdict::unhealthy, "no probe executor", core::Duration(0)});
                    break;
                }
                ++g->outstanding;
                const std::size_t at = g->results.size();
                g->results.push_back(nullptr);  // keeps the probes in their configured order
                const auto gen = h.generation;
                probes_->run(target_for(inst, slot), [this, g, at, &inst, &slot, gen](ProbeOutcome o) {
                    g->results[at] = verdict_json(slot, o);
                    if (gen == inst.health.generation) record(inst, slot, o);
                    if (--g->outstanding == 0) g->done(std::move(g->results));
                });
                break;
            }
        }
    }
    if (inst.state.pid) reassess(inst, "vjctl health");
    if (g->outstanding == 0) {
        auto results = std::move(g->results);
        boost::asio::post(io_, [g, results = std::move(results)]() mutable { g->done(std::move(results)); });
    }
}

std::string HealthMonitor::message_of(const Instance& inst) const {
    const auto& h = inst.health;
    const ProbeSlot* latest = nullptr;
    for (const auto& slot : h.slots) {
        if (!inst.state.pid) break;
        if (slot->track.health == Health::unhealthy || slot->track.health == Health::degraded)
            return slot->name + ": " + slot->message;
        if (slot->kind == ProbeSlot::Kind::configured && slot->last_run &&
            (!latest || *slot->last_run >= *latest->last_run))
            latest = slot.get();
    }
    if (!h.notify_status.empty()) return h.notify_status;
    if (latest) return latest->name + ": " + latest->message;
    return {};
}

void HealthMonitor::write_probes(const Instance& inst, core::Time now, control::JsonWriter& w) const {
    // Keys in nlohmann's (sorted) order: the wire bytes are those of the nlohmann objects this replaced.
    w.begin_array();
    for (const auto& slot : inst.health.slots) {
        w.begin_object();
        w.key("age_s");
        if (slot->last_run)
            w.number(std::chrono::duration<double>(now - *slot->last_run).count());
        else
            w.null();
        w.key("health");
        w.string(core::to_string(slot->track.health));
        w.key("message");
        w.string(slot->message);
        w.key("name");
        w.string(slot->name);
        w.key("type");
        w.string(type_name(*slot));
        w.key("verdict");
        if (slot->last_verdict)
            w.string(core::to_string(*slot->last_verdict));
        else
            w.null();
        w.end_object();
    }
    w.end_array();
}

void HealthMonitor::start_memory_sampling(std::vector<Instance*> instances) {
    memory_watched_.clear();
    for (auto* inst : instances)
        if (inst->spec->memory) {
            memory_watched_.push_back(inst);
            memory_tick_ = std::min(memory_tick_, inst->spec->memory_interval);
        }
    if (memory_watched_.empty()) return;
    memory_timer_.expires_after(memory_tick_);
    memory_timer_.async_wait([this](const boost::system::error_code& ec) {
        if (ec) return;
        sample_memory();
    });
}

void HealthMonitor::sample_memory() {
    const auto now = clock_.now();
    std::set<pid_t> groups;
    std::vector<Instance*> due;
    for (auto* inst : memory_watched_) {
        if (!inst->state.pid || inst->state.state == core::State::stopping) continue;
        auto& last = inst->health.memory_sampled;
        if (last && now - *last < inst->spec->memory_interval) continue;
        last = now;
        groups.insert(inst->state.pgid);
        due.push_back(inst);
    }
    if (!groups.empty()) {
        // One pass over /proc for every group due now.
        const auto stats = os::group_stats(groups);
        for (auto* inst : due) {
            auto it = stats.find(inst->state.pgid);
            if (it == stats.end() || it->second.rss_bytes <= *inst->spec->memory) continue;
            const std::string why = fmt::format("memory {} over the limit of {}", mib(it->second.rss_bytes),
                                                mib(*inst->spec->memory));
            log_error("{}: {}", inst->name, why);
            hooks_.enqueue(*inst, core::Unhealthy{why});
        }
        hooks_.dispatch();
    }
    memory_timer_.expires_after(memory_tick_);
    memory_timer_.async_wait([this](const boost::system::error_code& ec) {
        if (ec) return;
        sample_memory();
    });
}

}  // namespace vj::runtime
