// The worker SDK's event loop: signals, fds, timers, heartbeat, watchdog and status file in one place.
//
// A worker is an ordinary supervised program. Worker gives it the behaviour supervisord expects
// from a well-behaved service, driven from the worker's own main loop, so that a stuck loop stops
// the heartbeat and the watchdog pings and the supervisor notices:
//
//   - SIGTERM and SIGINT end run() (or make tick() return false) within one loop turn; the loop
//     waits at most 100 ms at a time, so a worker stops well within a second;
//   - the heartbeat file (--heartbeat) is touched at most once per heartbeat_interval (1 s);
//   - with sd_notify (ready: {notify: true}), ready() sends READY=1, status() STATUS=..., and
//     WATCHDOG=1 goes out at half the WATCHDOG_USEC the supervisor set;
//   - the status file (--status) is rewritten atomically (.new, then rename) once a second from
//     the callback given to on_status().
//
// Event-driven workers call watch()/every() and then run(). Workers with a blocking main loop of
// their own (an audio capture that blocks one hop at a time) call tick() once per turn instead.
// Single-threaded: call everything from the thread that made the Worker.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <poll.h>

#include "sdk/endpoint.hpp"
#include "sdk/log.hpp"
#include "sdk/notify.hpp"

namespace CLI {
class App;
}

namespace vj::sdk {

/// The flags every worker takes (add_common_options adds them to a CLI11 app).
struct CommonOptions {
    std::vector<std::string> osc;      ///< --osc HOST:PORT (repeatable): where OSC output goes
    std::string heartbeat;             ///< --heartbeat PATH: touched from the main loop
    std::string status;                ///< --status PATH: JSON status, rewritten atomically
    std::string log_level = "info";    ///< --log-level error|warn|info|debug
};

/// Adds --osc, --heartbeat, --status and --log-level to `app`, writing into `options`.
/// `default_osc` is what --osc means when not given (empty: no OSC output by default).
void add_common_options(CLI::App& app, CommonOptions& options, std::vector<std::string> default_osc = {});

class Worker {
public:
    using Clock = std::chrono::steady_clock;

    /// Blocks SIGTERM and SIGINT (they arrive through a signalfd), ignores SIGPIPE, applies
    /// --log-level. `name` prefixes log lines. Fails (returns nullopt after logging why) when the
    /// log level is unknown or the signalfd cannot be made.
    static std::optional<Worker> create(std::string name, const CommonOptions& options);

    Worker(Worker&&) noexcept;
    Worker& operator=(Worker&&) = delete;
    ~Worker();

    /// Calls `on_readable` whenever `fd` can be read (level-triggered). The worker owns nothing:
    /// the fd must stay open until unwatch(fd) or the end of the Worker.
    void watch(int fd, std::function<void()> on_readable);
    void unwatch(int fd);
    /// Calls `task` every `period`, the first time one period from now. Periods are kept from
    /// the schedule, not from when the task ran, so a 60 Hz task does not drift.
    void every(Clock::duration period, std::function<void()> task);
    /// What the status file holds; called once a second (and once more on the way out).
    void on_status(std::function<nlohmann::json()> make);

    /// Turns the loop until a stop signal or stop(); returns the exit status to use (0).
    int run();
    /// One turn: waits up to `wait` for fds, signals or the next timer, runs what is due, touches
    /// the heartbeat, pings the watchdog, writes the status file when due. False once stopping.
    bool tick(Clock::duration wait = Clock::duration::zero());
    void stop() { stopping_ = true; }
    bool stopping() const { return stopping_; }

    /// sd_notify: READY=1 (with STATUS= if `status` is given), STATUS=, both no-ops when the
    /// supervisor did not ask for notification ($NOTIFY_SOCKET unset).
    void ready(const std::string& status = {});
    void status(const std::string& text);

    const std::string& name() const { return name_; }

private:
    Worker(std::string name, int signal_fd, std::string heartbeat, std::string status_path);
    void drain_signals();
    void housekeeping(Clock::time_point now);

    // Callbacks are held by shared_ptr so that one can be kept alive across its own call for a
    // pointer copy (it may unwatch itself, or add a timer) without copying the std::function.
    using Callback = std::shared_ptr<std::function<void()>>;
    struct Timer {
        Clock::duration period;
        Clock::time_point due;
        Callback task;
    };
    std::string name_;
    int signal_fd_ = -1;
    std::string heartbeat_path_;
    std::string status_path_;
    std::map<int, Callback> watched_;
    std::vector<pollfd> poll_set_;   // signalfd, then watched_ in order; rebuilt only when watched_ changes
    bool poll_set_stale_ = true;
    std::vector<Timer> timers_;
    std::function<nlohmann::json()> make_status_;
    Notifier notifier_;
    Clock::time_point next_heartbeat_{};
    Clock::time_point next_watchdog_{};
    Clock::time_point next_status_{};
    bool stopping_ = false;
};

}  // namespace vj::sdk
