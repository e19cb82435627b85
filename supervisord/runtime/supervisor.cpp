// The shell around core::step: one io_context, one thread; every change goes through the event queue.
#include "runtime/supervisor.hpp"

#include <fnmatch.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstring>
#include <random>

#include <boost/asio/post.hpp>

#include "control/protocol.hpp"
#include "os/proc.hpp"
#include "runtime/log.hpp"

namespace vj::runtime {

using core::State;

struct Supervisor::Waiter {
    explicit Waiter(boost::asio::io_context& io) : timer(io) {}
    WaitRequest request;
    boost::asio::steady_timer timer;
    bool finished = false;
};

Supervisor::Supervisor(boost::asio::io_context& io, core::Config config, Clock& clock, ProcessLauncher& launcher,
                       ProbeExecutor* probes, ChildRegistry* children)
    : io_(io),
      config_(std::move(config)),
      clock_(clock),
      launcher_(launcher),
      sigchld_(io, SIGCHLD),
      shutdown_timer_(io),
      children_(children),
      health_(io, clock, probes, config_.supervisor.state_dir + "/notify",
              HealthMonitor::Hooks{
                  [this](Instance& inst, core::Event e) { enqueue(inst, std::move(e)); },
                  [this] { dispatch(); },
                  [this](Instance& inst, pid_t pid) {
                      // MAINPID=: exits of the new main process are this instance's; the old one's are not.
                      if (inst.state.pid) by_pid_.erase(*inst.state.pid);
                      by_pid_[pid] = &inst;
                      enqueue(inst, core::MainPidChanged{pid});
                  }}) {
    // Each instance gets its own jitter stream: restarts that fail together must not retry together.
    std::random_device entropy;
    for (const auto& spec : config_.services) {
        auto& list = by_service_[spec.name];
        for (int i = 0; i < spec.instances; ++i) {
            std::string name = spec.instances > 1 ? spec.name + ":" + std::to_string(i) : spec.name;
            instances_.push_back(std::make_unique<Instance>(io_, spec, i, std::move(name)));
            instances_.back()->state.rng = (static_cast<std::uint64_t>(entropy()) << 32) | entropy();
            list.push_back(instances_.back().get());
            states_[spec.name].push_back(State::stopped);
        }
        for (const auto& dep : spec.depends_on) dependents_[dep].push_back(spec.name);
    }
    if (auto r = os::make_directories(config_.supervisor.state_dir + "/instances", 0755); !r)
        log_error("cannot create {}/instances: {}", config_.supervisor.state_dir, r.error().message());
    if (auto r = os::make_directories(config_.supervisor.log_dir, 0755); !r)
        log_error("cannot create {}: {}", config_.supervisor.log_dir, r.error().message());
    for (auto& inst : instances_) {
        set_up_output(*inst);
        health_.attach(*inst);
    }
}

void Supervisor::set_up_output(Instance& inst) {
    const auto& spec = *inst.spec;
    const auto& logs = spec.logs;
    LogFileOptions file;
    file.max_size = logs.max_size;
    file.rotate_every = logs.rotate_every;
    file.keep = logs.keep;
    file.mode = logs.file_mode;
    if (spec.user) {
        if (auto user = os::lookup_user(*spec.user)) {
            file.uid = user->uid;
            file.gid = user->gid;
        }
    }
    const auto& dir = config_.supervisor.log_dir;
    file.path = log_path_for(spec, dir, inst.index, false);
    inst.out = std::make_shared<StreamSink>(inst.name, "stdout", logs, file);
    inst.out_pipe = PipeReader::create(io_, inst.out);
    if (logs.stderr_mode == core::StderrMode::separate) {
        file.path = log_path_for(spec, dir, inst.index, true);
        inst.err = std::make_shared<StreamSink>(inst.name, "stderr", logs, file);
        inst.err_pipe = PipeReader::create(io_, inst.err);
    }
}

std::string log_path_for(const core::ServiceSpec& spec, const std::string& log_dir, int index, bool stderr_stream) {
    const auto& configured = stderr_stream ? spec.logs.stderr_file : spec.logs.stdout_file;
    std::string path = configured ? *configured
                                  : log_dir + "/" + spec.name + (stderr_stream ? ".stderr.log" : ".log");
    if (spec.instances <= 1) return path;
    // audio.log -> audio-0.log; NAME.stderr.log -> NAME-0.stderr.log; no extension: append -K.
    const auto slash = path.rfind('/');
    auto dot = path.find('.', slash == std::string::npos ? 0 : slash + 1);
    if (dot == std::string::npos) dot = path.size();
    // fmt rather than "-" + to_string(): GCC 12 at -O3 flags the concatenation (false -Wrestrict).
    return path.insert(dot, fmt::format("-{}", index));
}

Supervisor::~Supervisor() = default;

void Supervisor::start() {
    arm_reaper();
    std::vector<Instance*> all;
    for (auto& inst : instances_) all.push_back(inst.get());
    health_.start_memory_sampling(std::move(all));
    std::set<std::string> wanted;
    for (const auto& spec : config_.services)
        if (spec.autostart) wanted.insert(spec.name);
    wanted = core::with_dependencies(wanted, config_.services);
    // Every wanted instance gets its start request at once; dependency gating in the core holds back
    // those whose dependencies are not running yet, and wake_dependents releases them.
    for (auto& inst : instances_)
        if (wanted.contains(inst->spec->name)) enqueue(*inst, core::StartRequested{});
    dispatch();
}

std::vector<Instance*> Supervisor::match(const std::vector<std::string>& patterns, std::string& unmatched) {
    std::vector<Instance*> out;
    // One pattern visits each instance once: the set against repeats is for several patterns
    // only (it cost 0.75 ms of a 10,000-instance `status`).
    const bool dedupe = patterns.size() > 1;
    std::set<Instance*> seen;
    for (const auto& p : patterns) {
        bool any = false;
        if (p == "all") out.reserve(instances_.size());
        for (auto& inst : instances_) {
            const bool hit = p == "all" || ::fnmatch(p.c_str(), inst->name.c_str(), 0) == 0 ||
                             ::fnmatch(p.c_str(), inst->spec->name.c_str(), 0) == 0;
            if (!hit) continue;
            any = true;
            if (!dedupe || seen.insert(inst.get()).second) out.push_back(inst.get());
        }
        if (!any && unmatched.empty()) unmatched = p;
    }
    return out;
}

void Supervisor::start_instances(const std::vector<Instance*>& targets) {
    std::set<std::string> names;
    for (auto* t : targets) names.insert(t->spec->name);
    // Starting a service pulls its dependencies up (they start first; the core gates on them).
    for (const auto& dep : core::with_dependencies(names, config_.services)) {
        if (names.contains(dep)) continue;
        for (auto* inst : by_service_[dep])
            if (inst->state.goal == core::Goal::down) enqueue(*inst, core::StartRequested{});
    }
    for (auto* t : targets) enqueue(*t, core::StartRequested{});
    dispatch();
}

void Supervisor::stop_instances(const std::vector<Instance*>& targets) {
    for (auto* t : targets) enqueue(*t, core::StopRequested{});
    dispatch();
}

void Supervisor::restart_instances(const std::vector<Instance*>& targets) {
    for (auto* t : targets) enqueue(*t, core::RestartRequested{});
    dispatch();
}

void Supervisor::enqueue(Instance& inst, core::Event event) { queue_.emplace_back(&inst, std::move(event)); }

void Supervisor::dispatch() {
    if (dispatching_) return;  // effects enqueue follow-up events; the outer loop takes them in order
    dispatching_ = true;
    // A bounded turn: a mass start must not keep the control socket and the reaper waiting. A spawn
    // result is never separated from its spawn (an instance is never left starting without a pid).
    std::size_t budget = dispatch_budget;
    while (!queue_.empty() && (budget > 0 || is_spawn_result(queue_.front().second))) {
        auto [inst, event] = std::move(queue_.front());
        queue_.pop_front();
        apply(*inst, event);
        if (budget > 0) --budget;
    }
    dispatching_ = false;
    if (!queue_.empty()) {
        if (!continuation_posted_) {
            continuation_posted_ = true;
            boost::asio::post(io_, [this] {
                continuation_posted_ = false;
                dispatch();
            });
        }
        return;
    }
    if (shutting_down_) advance_shutdown();
    check_waiters();
}

bool Supervisor::is_spawn_result(const core::Event& e) {
    return std::holds_alternative<core::Spawned>(e) || std::holds_alternative<core::SpawnFailed>(e);
}

core::Context Supervisor::context_for(const Instance& inst) const {
    core::Context ctx;
    ctx.now = clock_.now();
    const auto pending = core::pending_dependencies(*inst.spec, states_);
    ctx.dependencies_ready = pending.empty();
    ctx.pending = core::join(pending);
    return ctx;
}

void Supervisor::apply(Instance& inst, const core::Event& event) {
    const State from = inst.state.state;
    const auto old_pid = inst.state.pid;
    auto result = core::step(*inst.spec, inst.state, event, context_for(inst));
    inst.state = std::move(result.next);
    for (const auto& effect : result.effects) carry_out(inst, effect);
    if (inst.state.pid != old_pid) {
        if (inst.state.pid)
            write_record(inst);
        else
            remove_record(inst);
    }
    if (inst.state.state != from) on_transition(inst, from);
    // Probes watch a process: they start with it and stop when it is being stopped or gone.
    if (!old_pid && inst.state.pid) health_.started(inst);
    if (old_pid && (!inst.state.pid || (from != State::stopping && inst.state.state == State::stopping)))
        health_.ended(inst);
    arm_timer(inst);
}

void Supervisor::carry_out(Instance& inst, const core::Effect& effect) {
    std::visit(
        [&](const auto& e) {
            using E = std::decay_t<decltype(e)>;
            if constexpr (std::is_same_v<E, core::Spawn>) {
                // Write ends of the log pipes, for this spawn only: closed here once the child has them.
                os::UniqueFd out_end, err_end;
                for (auto [pipe, end] : {std::pair{inst.out_pipe.get(), &out_end}, std::pair{inst.err_pipe.get(), &err_end}}) {
                    if (!pipe) continue;
                    auto w = pipe->writer();
                    if (!w) {
                        queue_.emplace_front(&inst, core::SpawnFailed{"cannot open the log pipe: " + w.error().message()});
                        return;
                    }
                    *end = std::move(*w);
                }
                const int out = out_end.get();
                int err = -1;  // discard: /dev/null
                if (inst.spec->logs.stderr_mode == core::StderrMode::merge) err = out;
                if (inst.err_pipe) err = err_end.get();
                auto pid = launcher_.launch({inst.spec, inst.name, inst.index, out, err, health_.spawn_env(inst)});
                if (pid) {
                    by_pid_[*pid] = &inst;
                    // The result goes to the front: it belongs to this step, before anything queued later.
                    queue_.emplace_front(&inst, core::Spawned{*pid});
                } else {
                    queue_.emplace_front(&inst, core::SpawnFailed{pid.error().message});
                }
            } else if constexpr (std::is_same_v<E, core::SendSignal>) {
                if (!inst.state.pid) return;
                const int target = e.group ? inst.state.pgid : *inst.state.pid;
                launcher_.signal(target, e.signal, e.group);
                // A stopped process cannot act on TERM until it is continued (systemd does the same).
                if (e.signal != SIGKILL && e.signal != SIGCONT) launcher_.signal(target, SIGCONT, e.group);
            } else if constexpr (std::is_same_v<E, core::KillLeftovers>) {
                launcher_.signal(e.pgid, SIGKILL, true);
            }
        },
        effect);
}

void Supervisor::on_transition(Instance& inst, State from) {
    const State to = inst.state.state;
    states_[inst.spec->name][static_cast<std::size_t>(inst.index)] = to;
    log_info("{}: {} -> {}: {}", inst.name, core::to_string(from), core::to_string(to), inst.state.reason);
    if (to == State::running || from == State::running) wake_dependents(inst);
}

void Supervisor::wake_dependents(const Instance& inst) {
    auto it = dependents_.find(inst.spec->name);
    if (it == dependents_.end()) return;
    for (const auto& dependent : it->second)
        for (auto* d : by_service_[dependent])
            if (d->state.state == State::stopped && d->state.goal == core::Goal::up)
                enqueue(*d, core::DependenciesChanged{});
}

void Supervisor::arm_timer(Instance& inst) {
    const auto& deadline = inst.state.deadline;
    if (deadline == inst.armed) return;
    inst.armed = deadline;
    inst.timer.cancel();
    if (!deadline) return;
    inst.timer.expires_at(*deadline);
    inst.timer.async_wait([this, &inst, at = *deadline](const boost::system::error_code& ec) {
        if (ec == boost::asio::error::operation_aborted) return;  // re-armed or cancelled
        if (inst.armed != at) return;                               // stale wakeup
        wake_due();
    });
}

void Supervisor::wake_due() {
    const auto now = clock_.now();
    for (auto& inst : instances_) {
        if (!inst->armed || *inst->armed > now) continue;
        inst->armed.reset();
        enqueue(*inst, core::DeadlineReached{});
    }
    dispatch();
}

void Supervisor::arm_reaper() {
    sigchld_.async_wait([this](const boost::system::error_code& ec, int) {
        if (ec) return;
        reap();
        arm_reaper();
    });
}

void Supervisor::reap() {
    for (;;) {
        int status = 0;
        // WUNTRACED|WCONTINUED: a stopped main process is unhealthy (the implicit pid probe).
        const pid_t pid = ::waitpid(-1, &status, WNOHANG | WUNTRACED | WCONTINUED);
        if (pid <= 0) break;  // 0: none left to reap now; -1/ECHILD: no children at all
        if (WIFSTOPPED(status) || WIFCONTINUED(status)) {
            process_stopped(pid, WIFSTOPPED(status), WIFSTOPPED(status) ? WSTOPSIG(status) : SIGCONT);
            continue;
        }
        core::ExitStatus es;
        if (WIFSIGNALED(status)) {
            es.signaled = true;
            es.code = WTERMSIG(status);
        } else {
            es.code = WEXITSTATUS(status);
        }
        process_exited(pid, es);
    }
}

void Supervisor::process_exited(pid_t pid, core::ExitStatus status) {
    auto it = by_pid_.find(pid);
    if (it == by_pid_.end()) {
        // A probe's child, or an orphan reparented to us (subreaper): reaped, nothing else.
        if (children_) children_->exited(pid, status);
        return;
    }
    Instance* inst = it->second;
    by_pid_.erase(it);
    enqueue(*inst, core::Exited{status});
    dispatch();
}

void Supervisor::process_stopped(pid_t pid, bool stopped, int signo) {
    auto it = by_pid_.find(pid);
    if (it == by_pid_.end()) return;
    health_.stopped_or_continued(*it->second, stopped, signo);
}

void Supervisor::run_health(Instance& inst, std::function<void(nlohmann::json)> done) {
    health_.run_now(inst, std::move(done));
}

void Supervisor::shutdown(std::function<void()> done) {
    if (done) shutdown_done_.push_back(std::move(done));
    if (shutting_down_) {
        advance_shutdown();
        return;
    }
    shutting_down_ = true;
    log_info("shutting down {} instances (timeout {}ms)", instances_.size(),
             config_.supervisor.shutdown_timeout.count());
    for (auto& inst : instances_) enqueue(*inst, core::ShutdownBegun{});
    shutdown_timer_.expires_after(config_.supervisor.shutdown_timeout);
    shutdown_timer_.async_wait([this](const boost::system::error_code& ec) {
        if (ec) return;
        for (auto& inst : instances_) {
            if (!inst->state.pid) continue;
            log_error("{}: still alive after shutdown_timeout, sending KILL", inst->name);
            const bool group = inst->spec->stop.group;
            launcher_.signal(group ? inst->state.pgid : *inst->state.pid, SIGKILL, group);
        }
    });
    dispatch();
}

void Supervisor::advance_shutdown() {
    bool any_live = false;
    for (auto& inst : instances_) {
        const State s = inst->state.state;
        if (!core::is_live(s)) continue;
        any_live = true;
        if (s == State::stopping) continue;
        if (core::may_stop_in_shutdown(inst->spec->name, config_.services, states_))
            enqueue(*inst, core::StopRequested{});
    }
    if (!queue_.empty()) {
        dispatch();
        return;
    }
    if (any_live) return;
    shutdown_timer_.cancel();
    auto callbacks = std::move(shutdown_done_);
    shutdown_done_.clear();
    for (auto& cb : callbacks) cb();
}

void Supervisor::write_status(const Instance& inst, control::JsonWriter& w) const {
    const auto now = clock_.now();
    const auto& s = inst.state;
    auto seconds = [](core::Time::duration d) { return std::chrono::duration<double>(d).count(); };
    // Written directly, not as an nlohmann object: status of 10,000 instances must take milliseconds.
    // Keys in nlohmann's (sorted) order, so the wire bytes are those the nlohmann object gave.
    w.begin_object();
    w.key("goal");
    w.string(core::to_string(s.goal));
    w.key("health");
    w.string(core::to_string(inst.health.health));
    w.key("message");
    w.string(health_.message_of(inst));
    w.key("name");
    w.string(inst.name);
    w.key("pid");
    if (s.pid)
        w.integer(*s.pid);
    else
        w.null();
    w.key("probes");
    health_.write_probes(inst, now, w);
    w.key("reason");
    w.string(s.reason);
    w.key("restarts");
    w.integer(s.restarts);
    w.key("service");
    w.string(inst.spec->name);
    w.key("since_s");
    w.number(seconds(now - s.since));
    w.key("state");
    w.string(core::to_string(s.state));
    w.key("uptime_s");
    if (s.pid)
        w.number(seconds(now - s.spawned_at));
    else
        w.null();
    w.end_object();
}

nlohmann::json Supervisor::status_of(const Instance& inst) const {
    control::JsonWriter w;
    write_status(inst, w);
    return nlohmann::json::parse(w.text());
}

void Supervisor::wait(WaitRequest request) {
    auto w = std::make_shared<Waiter>(io_);
    w->request = std::move(request);
    waiters_.push_back(w);
    w->timer.expires_after(w->request.timeout);
    w->timer.async_wait([this, weak = std::weak_ptr<Waiter>(w)](const boost::system::error_code& ec) {
        auto w = weak.lock();
        if (ec || !w || w->finished) return;
        w->finished = true;
        std::string pending;
        for (const auto& name : w->request.instances)
            for (auto& inst : instances_)
                if (inst->name == name && !w->request.states.contains(inst->state.state))
                    pending += (pending.empty() ? "" : ", ") + name + " is " +
                               std::string(core::to_string(inst->state.state));
        std::erase(waiters_, w);
        if (w->request.health) pending += (pending.empty() ? "" : "; ") + std::string("health is not ") + *w->request.health;
        w->request.done(std::nullopt, std::string(control::errc::timeout), "timed out waiting: " + pending);
    });
    check_waiters();
}

void Supervisor::check_waiters() {
    if (waiters_.empty()) return;
    std::map<std::string, const Instance*> by_name;
    for (auto& inst : instances_) by_name[inst->name] = inst.get();
    auto pending = waiters_;
    for (auto& w : pending) {
        if (w->finished) continue;
        bool all = true;
        std::string failure;
        for (const auto& name : w->request.instances) {
            auto it = by_name.find(name);
            if (it == by_name.end()) continue;
            const auto& st = it->second->state;
            if (w->request.fail_states.contains(st.state) && failure.empty())
                failure = name + " is " + std::string(core::to_string(st.state)) + ": " + st.reason;
            const bool health_ok =
                !w->request.health || *w->request.health == core::to_string(it->second->health.health);
            if (!w->request.states.contains(st.state) || !health_ok) all = false;
        }
        if (!failure.empty()) {
            w->finished = true;
            w->timer.cancel();
            std::erase(waiters_, w);
            w->request.done(std::nullopt, std::string(control::errc::failed), failure);
        } else if (all) {
            // The statuses only now: this runs after every dispatch while a wait is pending.
            nlohmann::json statuses = nlohmann::json::array();
            for (const auto& name : w->request.instances)
                if (auto it = by_name.find(name); it != by_name.end()) statuses.push_back(status_of(*it->second));
            w->finished = true;
            w->timer.cancel();
            std::erase(waiters_, w);
            w->request.done(nlohmann::json{{"services", std::move(statuses)}}, "", "");
        }
    }
}

std::string Supervisor::file_stem(const Instance& inst) const {
    return inst.spec->instances > 1 ? inst.spec->name + "-" + std::to_string(inst.index) : inst.spec->name;
}

void Supervisor::write_record(const Instance& inst) {
    // The adoption record: enough to recognise this exact process after a supervisor restart.
    const pid_t pid = *inst.state.pid;
    nlohmann::json rec{{"name", inst.name},
                       {"pid", pid},
                       {"start_time", os::process_start_time(pid).value_or(0)},
                       {"spec_hash", core::spec_hash(*inst.spec)}};
    const std::string path = config_.supervisor.state_dir + "/instances/" + file_stem(inst) + ".json";
    if (auto r = os::write_file_atomically(path, rec.dump() + "\n"); !r)
        log_error("cannot write {}: {}", path, r.error().message());
}

void Supervisor::remove_record(const Instance& inst) {
    const std::string path = config_.supervisor.state_dir + "/instances/" + file_stem(inst) + ".json";
    if (::unlink(path.c_str()) != 0 && errno != ENOENT) log_error("cannot remove {}: {}", path, std::strerror(errno));
}

}  // namespace vj::runtime
