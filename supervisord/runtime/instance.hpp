// One running copy of a service as the shell holds it: lifecycle state, timer, output, health.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include "core/health.hpp"
#include "core/spec.hpp"
#include "core/state.hpp"
#include "runtime/output_capture.hpp"

namespace vj::runtime {

class NotifySocket;

/// One probe of one instance: its standing, its last run, and its schedule.
struct ProbeSlot {
    enum class Kind { configured, pid, watchdog };
    ProbeSlot(boost::asio::io_context& io, Kind k, const core::ProbeSpec* s, std::string n)
        : kind(k), spec(s), name(std::move(n)), timer(io) {}
    Kind kind;
    const core::ProbeSpec* spec;  ///< null for the implicit pid and watchdog probes
    std::string name;
    core::ProbeTrack track;
    boost::asio::steady_timer timer;
    std::optional<std::uint64_t> in_flight;  ///< executor token of the scheduled run in progress
    std::optional<core::Verdict> last_verdict;
    std::string message;
    std::optional<core::Time> last_run;
    core::Duration took{0};
    int failures() const { return spec ? spec->failures : 1; }
    int successes() const { return spec ? spec->successes : 1; }
};

/// Health of one instance while it is live; reset when its process ends.
struct InstanceHealth {
    std::vector<std::unique_ptr<ProbeSlot>> slots;  ///< pid first, then configured probes, then watchdog
    core::Health health = core::Health::unknown;
    std::uint64_t generation = 0;       ///< bumped per process; results of an older one are ignored
    std::string notify_status;          ///< the last sd_notify STATUS=
    std::optional<core::Time> watchdog_ping;  ///< last WATCHDOG=1 (or the spawn)
    std::optional<core::Duration> watchdog_period;
    std::optional<core::Time> memory_sampled;
    std::unique_ptr<NotifySocket> notify;  ///< with ready.notify: this instance's NOTIFY_SOCKET
    std::string notify_path;
};

struct Instance {
    Instance(boost::asio::io_context& io, const core::ServiceSpec& s, int i, std::string n);
    ~Instance();
    const core::ServiceSpec* spec;
    int index;
    std::string name;  ///< "web", or "web:0" when the service has several instances
    core::InstanceState state;
    boost::asio::steady_timer timer;
    std::optional<core::Time> armed;  ///< the deadline the timer is armed for
    std::shared_ptr<StreamSink> out;  ///< stdout (and stderr when merged)
    std::shared_ptr<StreamSink> err;  ///< stderr when separate; null otherwise
    std::unique_ptr<PipeReader> out_pipe;
    std::unique_ptr<PipeReader> err_pipe;  ///< null when stderr is merged (shares out_pipe) or discarded
    InstanceHealth health;
};

}  // namespace vj::runtime
