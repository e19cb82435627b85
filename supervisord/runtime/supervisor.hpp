// The imperative shell: feeds events to core::step, carries out its effects, reaps, arms timers.
#pragma once

#include <sys/types.h>

#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <nlohmann/json.hpp>

#include "control/json_writer.hpp"
#include "core/plan.hpp"
#include "core/spec.hpp"
#include "core/step.hpp"
#include "runtime/child_registry.hpp"
#include "runtime/clock.hpp"
#include "runtime/health_monitor.hpp"
#include "runtime/launcher.hpp"
#include "runtime/instance.hpp"
#include "runtime/output_capture.hpp"

namespace vj::runtime {


/// Where an instance's stream is logged: the configured file or log_dir/NAME[.stderr].log, with -K
/// inserted before the extension for instances of a multi-instance service.
std::string log_path_for(const core::ServiceSpec& spec, const std::string& log_dir, int index, bool stderr_stream);

/// A `vjctl wait` in progress: completes when every target is in `states` (and has `health`).
struct WaitRequest {
    std::vector<std::string> instances;
    std::set<core::State> states;
    std::set<core::State> fail_states;
    std::optional<std::string> health;
    core::Duration timeout;
    /// Called once: ok with the status objects, or an error {code, message}.
    std::function<void(std::optional<nlohmann::json> result, std::string code, std::string message)> done;
};

class Supervisor {
public:
    /// `config` must be valid (config::load succeeded). Nothing starts before `start()`.
    /// `probes` runs configured health probes (null: only the implicit pid and watchdog probes work);
    /// `children` hears of reaped pids that are not instances (the probes' own children).
    Supervisor(boost::asio::io_context& io, core::Config config, Clock& clock, ProcessLauncher& launcher,
               ProbeExecutor* probes = nullptr, ChildRegistry* children = nullptr);
    ~Supervisor();

    /// Starts the reaper and every autostart service (with its dependencies), in parallel as far as
    /// dependencies allow.
    void start();

    /// Stops everything in reverse dependency order within shutdown_timeout (SIGKILL after), then calls
    /// `done` once no instance is alive. Further calls only add nothing.
    void shutdown(std::function<void()> done);
    bool shutting_down() const { return shutting_down_; }

    /// Instance names matched by shell globs on service or instance names ("all" = everything).
    /// `unmatched` receives the first pattern that matched nothing.
    std::vector<Instance*> match(const std::vector<std::string>& patterns, std::string& unmatched);

    void start_instances(const std::vector<Instance*>& targets);
    void stop_instances(const std::vector<Instance*>& targets);
    void restart_instances(const std::vector<Instance*>& targets);

    /// Feeds DeadlineReached to every instance whose deadline has passed on the Clock. The timers call
    /// it; tests with a fake clock call it after advancing time.
    void wake_due();

    /// A child was reaped (the reaper calls this; tests with a fake launcher call it directly).
    /// Unknown pids (orphans reaped as subreaper) are ignored.
    void process_exited(pid_t pid, core::ExitStatus status);
    /// waitpid reported an instance's process stopped (SIGSTOP, SIGTSTP…) or continued.
    void process_stopped(pid_t pid, bool stopped, int signo);

    /// Writes the status object of `inst` (DESIGN §5 `vjctl status --json`, one entry of "services")
    /// as the next value of `w`. The one definition of what a status holds; `status_of` parses it.
    void write_status(const Instance& inst, control::JsonWriter& w) const;
    /// The same status object as a value, for the callers that inspect it (wait, health, tests).
    nlohmann::json status_of(const Instance& inst) const;
    /// Runs every probe of `inst` now (vjctl health); `done` gets the verdicts in configured order.
    void run_health(Instance& inst, std::function<void(nlohmann::json)> done);
    void wait(WaitRequest request);

    const core::Config& config() const { return config_; }
    const std::vector<std::unique_ptr<Instance>>& instances() const { return instances_; }

private:
    struct Waiter;

    void set_up_output(Instance& inst);
    void enqueue(Instance& inst, core::Event event);
    void dispatch();
    static bool is_spawn_result(const core::Event& e);
    /// Events applied per turn of the event loop before yielding to sockets and timers.
    static constexpr std::size_t dispatch_budget = 32;
    void apply(Instance& inst, const core::Event& event);
    void carry_out(Instance& inst, const core::Effect& effect);
    void arm_timer(Instance& inst);
    void on_transition(Instance& inst, core::State from);
    void wake_dependents(const Instance& inst);
    void advance_shutdown();
    void check_waiters();
    void reap();
    void arm_reaper();
    core::Context context_for(const Instance& inst) const;
    void write_record(const Instance& inst);
    void remove_record(const Instance& inst);
    std::string file_stem(const Instance& inst) const;

    boost::asio::io_context& io_;
    core::Config config_;
    Clock& clock_;
    ProcessLauncher& launcher_;
    std::vector<std::unique_ptr<Instance>> instances_;
    std::map<std::string, std::vector<Instance*>> by_service_;
    std::map<std::string, std::vector<std::string>> dependents_;  ///< service -> services depending on it
    core::StateIndex states_;                                      ///< kept in step with instances_
    std::map<pid_t, Instance*> by_pid_;
    std::deque<std::pair<Instance*, core::Event>> queue_;
    bool dispatching_ = false;
    bool continuation_posted_ = false;
    boost::asio::signal_set sigchld_;
    bool shutting_down_ = false;
    std::vector<std::function<void()>> shutdown_done_;
    boost::asio::steady_timer shutdown_timer_;
    std::vector<std::shared_ptr<Waiter>> waiters_;
    ChildRegistry* children_;
    HealthMonitor health_;
};

}  // namespace vj::runtime
