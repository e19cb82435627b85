// The HealthProbe seam (ProbeExecutor) and its real implementation for heartbeat, command, tcp and
// http probes: one run per call, never blocking the event loop, one outcome per run.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include <boost/asio/io_context.hpp>

#include "core/health.hpp"
#include "core/spec.hpp"
#include "runtime/child_watch.hpp"

namespace vj::runtime {

/// What one probe run found. `message` is one line of at most max_message bytes, for `vjctl status`.
struct ProbeOutcome {
    core::Verdict verdict = core::Verdict::unhealthy;
    std::string message;
    core::Duration took{0};  ///< from run() to the outcome, steady clock
};

using ProbeDone = std::function<void(ProbeOutcome)>;

/// What one probe run is about. PosixProbeExecutor reads it only inside run(): it need not outlive the call.
struct ProbeTarget {
    const core::ServiceSpec* service;  ///< for command probes: user, group, cwd, env, umask of the service
    const core::ProbeSpec* probe;
    std::string instance;  ///< "web" or "web:1"
    std::optional<pid_t> pid;
    core::Duration uptime{0};  ///< since the spawn (Lua's ctx.uptime)
    int restarts = 0;          ///< automatic restarts so far (Lua's ctx.restarts)
};

class ProbeExecutor {
public:
    virtual ~ProbeExecutor() = default;
    /// Starts one run; `done` is called exactly once, from the event loop (never inline from run()),
    /// at the latest shortly after probe->timeout. Returns a token for cancel().
    virtual std::uint64_t run(const ProbeTarget& target, ProbeDone done) = 0;
    /// Abandons a run: its process group is killed / socket closed; `done` is then never called.
    /// An unknown or finished token is ignored.
    virtual void cancel(std::uint64_t token) = 0;
};

namespace detail {
class ProbeRun;
}  // namespace detail

/// Real probes on one io_context:
/// - heartbeat: the age of `path`'s mtime (system clock) against `max_age`;
/// - command: `argv` as the service's user/group/cwd/env/umask in its own process group, healthy on
///   exit 0; the message is the first non-empty line of its stdout+stderr. The process group is
///   killed when the command exits (no orphans) or at `timeout`;
/// - tcp: a connect to host:port; http: a GET of `url`, healthy on 2xx.
/// Lua probes are not run here (the Lua pool runs them): one is an internal error, reported as an
/// unhealthy outcome.
class PosixProbeExecutor final : public ProbeExecutor {
public:
    /// `children` learns of the exit of command probes (the supervisor's reaper); `base_env` is the
    /// environment command probes start from, like the services'.
    PosixProbeExecutor(boost::asio::io_context& io, ChildWatch& children, std::map<std::string, std::string> base_env);
    /// Cancels every run in flight.
    ~PosixProbeExecutor() override;
    PosixProbeExecutor(const PosixProbeExecutor&) = delete;
    PosixProbeExecutor& operator=(const PosixProbeExecutor&) = delete;

    std::uint64_t run(const ProbeTarget& target, ProbeDone done) override;
    void cancel(std::uint64_t token) override;
    /// Runs started and neither finished nor cancelled.
    std::size_t in_flight() const { return runs_.size(); }

    static constexpr std::size_t max_message = 512;          ///< bytes of ProbeOutcome::message
    static constexpr std::size_t max_command_output = 4096;  ///< bytes of a command's output kept
    static constexpr std::size_t max_http_response = 64 * 1024;
    /// How long a command's output is still read after it exited, for a grandchild that keeps the pipe
    /// open (one that left the process group and so survived the group kill).
    static constexpr core::Duration exit_drain{100};

private:
    friend class detail::ProbeRun;
    void forget(std::uint64_t token) { runs_.erase(token); }

    boost::asio::io_context& io_;
    ChildWatch& children_;
    std::map<std::string, std::string> base_env_;
    std::map<std::uint64_t, std::shared_ptr<detail::ProbeRun>> runs_;
    std::uint64_t next_token_ = 1;
};

}  // namespace vj::runtime
