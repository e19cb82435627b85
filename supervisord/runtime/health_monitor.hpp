// The health shell: schedules each instance's probes, feeds verdicts to the core's thresholds, and turns
// an unhealthy instance into the event its `on_unhealthy` asks for.
#pragma once

#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <nlohmann/json.hpp>

#include "control/json_writer.hpp"
#include "core/notify_message.hpp"
#include "core/step.hpp"
#include "runtime/clock.hpp"
#include "runtime/instance.hpp"
#include "runtime/probe_exec.hpp"

namespace vj::runtime {

class HealthMonitor {
public:
    struct Hooks {
        std::function<void(Instance&, core::Event)> enqueue;  ///< queue an event for the instance
        std::function<void()> dispatch;                       ///< run the queue and check waiters
        std::function<void(Instance&, pid_t)> main_pid;       ///< MAINPID= accepted: route exits of `pid`
    };

    /// `probes` may be null: then only the implicit pid and watchdog probes exist (configured probes
    /// report "no probe executor"). `notify_dir` holds the per-instance sd_notify sockets.
    HealthMonitor(boost::asio::io_context& io, Clock& clock, ProbeExecutor* probes, std::string notify_dir,
                  Hooks hooks);

    /// Builds the instance's probe slots and, with ready.notify, its notify socket.
    void attach(Instance& inst);
    /// Environment the instance's process needs from us (NOTIFY_SOCKET, WATCHDOG_USEC).
    std::map<std::string, std::string> spawn_env(const Instance& inst) const;

    /// The instance has a new process (pid just set): probes start on their schedule.
    void started(Instance& inst);
    /// The instance's process is gone (or being stopped for good): stop probing, health unknown.
    void ended(Instance& inst);
    /// waitpid reported the main process stopped (SIGSTOP etc.) or continued.
    void stopped_or_continued(Instance& inst, bool stopped, int signo);

    /// Runs every probe of `inst` now (vjctl health); `done` gets one JSON object per probe.
    void run_now(Instance& inst, std::function<void(nlohmann::json)> done);

    /// The status "message": what makes the instance unwell, else what it says of itself (sd_notify
    /// STATUS=), else its latest configured probe's message; empty when there is nothing to say.
    std::string message_of(const Instance& inst) const;
    /// Writes the status "probes" array: one object per probe in slot order, ages measured at `now`.
    /// (The status "health" is inst.health.health; Supervisor::write_status puts the three together.)
    void write_probes(const Instance& inst, core::Time now, control::JsonWriter& w) const;

    /// Arms the memory sampler when any service has limits.memory.
    void start_memory_sampling(std::vector<Instance*> instances);

private:
    void schedule(Instance& inst, ProbeSlot& slot, core::Time at);
    void launch(Instance& inst, ProbeSlot& slot);
    /// Sets a slot's last verdict, message and run time, and applies the verdict to its thresholds
    /// (`first_success_counts`: a single success turns it healthy, as for the ready probe).
    void note(ProbeSlot& slot, core::Verdict verdict, std::string message, bool first_success_counts = false);
    void record(Instance& inst, ProbeSlot& slot, const ProbeOutcome& outcome);
    void reassess(Instance& inst, const std::string& cause);
    void on_notify(Instance& inst, const core::NotifyMessage& msg, std::optional<pid_t> sender);
    void arm_watchdog(Instance& inst);
    void sample_memory();
    ProbeTarget target_for(const Instance& inst, const ProbeSlot& slot) const;
    ProbeOutcome pid_verdict(const Instance& inst) const;

    boost::asio::io_context& io_;
    Clock& clock_;
    ProbeExecutor* probes_;
    std::string notify_dir_;
    Hooks hooks_;
    std::vector<Instance*> memory_watched_;
    boost::asio::steady_timer memory_timer_;
    core::Duration memory_tick_{std::chrono::seconds(1)};
};

}  // namespace vj::runtime
