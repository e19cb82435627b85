// The worker event loop: poll(2) over the watched fds and a signalfd, timers, housekeeping.
#include "sdk/worker.hpp"

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstring>

#include <CLI/CLI.hpp>
#include <poll.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "sdk/status_file.hpp"

namespace vj::sdk {
namespace {

// The loop never sleeps longer than this, so a stop signal is seen promptly even if a watched
// fd misbehaves, and the heartbeat keeps its one-second rhythm.
constexpr auto max_wait = std::chrono::milliseconds(100);
constexpr auto heartbeat_interval = std::chrono::seconds(1);
constexpr auto status_interval = std::chrono::seconds(1);

}  // namespace

void add_common_options(CLI::App& app, CommonOptions& options, std::vector<std::string> default_osc) {
    options.osc = std::move(default_osc);
    app.add_option("--osc", options.osc, "send OSC to HOST:PORT (repeatable)")->type_name("HOST:PORT");
    app.add_option("--heartbeat", options.heartbeat, "touch this file from the main loop every second")
        ->type_name("PATH");
    app.add_option("--status", options.status, "write the JSON status here every second (atomically)")
        ->type_name("PATH");
    app.add_option("--log-level", options.log_level, "error, warn, info or debug")
        ->type_name("LEVEL")
        ->capture_default_str();
}

std::optional<Worker> Worker::create(std::string name, const CommonOptions& options) {
    const auto level = parse_log_level(options.log_level);
    set_log(name, level.value_or(LogLevel::info));
    if (!level) {
        log_error("--log-level: unknown level '{}' (error, warn, info, debug)", options.log_level);
        return std::nullopt;
    }
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    // Blocked first, then read from a signalfd: a signal between two polls is never lost, and no
    // handler runs in the middle of the worker's code.
    if (::sigprocmask(SIG_BLOCK, &set, nullptr) != 0) {
        log_error("cannot block SIGTERM and SIGINT: {}", std::strerror(errno));
        return std::nullopt;
    }
    const int fd = ::signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
    if (fd < 0) {
        log_error("cannot make a signalfd: {}", std::strerror(errno));
        return std::nullopt;
    }
    std::signal(SIGPIPE, SIG_IGN);
    return Worker(std::move(name), fd, options.heartbeat, options.status);
}

Worker::Worker(std::string name, int signal_fd, std::string heartbeat, std::string status_path)
    : name_(std::move(name)), signal_fd_(signal_fd), heartbeat_path_(std::move(heartbeat)),
      status_path_(std::move(status_path)) {}

Worker::Worker(Worker&& other) noexcept
    : name_(std::move(other.name_)), signal_fd_(other.signal_fd_), heartbeat_path_(std::move(other.heartbeat_path_)),
      status_path_(std::move(other.status_path_)), watched_(std::move(other.watched_)), timers_(std::move(other.timers_)),
      make_status_(std::move(other.make_status_)), notifier_(other.notifier_), next_heartbeat_(other.next_heartbeat_),
      next_watchdog_(other.next_watchdog_), next_status_(other.next_status_), stopping_(other.stopping_) {
    other.signal_fd_ = -1;
}

Worker::~Worker() {
    if (signal_fd_ >= 0) ::close(signal_fd_);
}

void Worker::watch(int fd, std::function<void()> on_readable) {
    watched_[fd] = std::make_shared<std::function<void()>>(std::move(on_readable));
    poll_set_stale_ = true;
}

void Worker::unwatch(int fd) {
    if (watched_.erase(fd) != 0) poll_set_stale_ = true;
}

void Worker::every(Clock::duration period, std::function<void()> task) {
    timers_.push_back(Timer{period, Clock::now() + period, std::make_shared<std::function<void()>>(std::move(task))});
}

void Worker::on_status(std::function<nlohmann::json()> make) { make_status_ = std::move(make); }

void Worker::ready(const std::string& status) { notifier_.ready(status); }

void Worker::status(const std::string& text) { notifier_.status(text); }

int Worker::run() {
    while (tick(max_wait)) {
    }
    return 0;
}

bool Worker::tick(Clock::duration wait) {
    auto now = Clock::now();
    for (const Timer& t : timers_) wait = std::min(wait, std::max(Clock::duration::zero(), t.due - now));
    wait = std::min<Clock::duration>(wait, max_wait);

    // The poll set is kept between turns: a worker calling tick() once per audio hop does not
    // allocate in its loop. A callback below may watch or unwatch; that only marks it stale.
    if (poll_set_stale_) {
        poll_set_.clear();
        poll_set_.push_back({signal_fd_, POLLIN, 0});
        for (const auto& [fd, _] : watched_) poll_set_.push_back({fd, POLLIN, 0});
        poll_set_stale_ = false;
    }
    std::vector<pollfd>& fds = poll_set_;
    for (pollfd& p : fds) p.revents = 0;
    const int ms = static_cast<int>(std::chrono::ceil<std::chrono::milliseconds>(wait).count());
    const int n = ::poll(fds.data(), fds.size(), ms);
    if (n < 0 && errno != EINTR) {
        log_error("poll: {}", std::strerror(errno));
        stopping_ = true;
    }
    if (n > 0) {
        if (fds[0].revents) drain_signals();
        for (std::size_t i = 1; i < fds.size() && !stopping_; ++i) {
            if (!fds[i].revents) continue;
            // The callback may unwatch (even its own fd): look it up again, never hold an iterator.
            if (auto it = watched_.find(fds[i].fd); it != watched_.end()) {
                const Callback callback = it->second;
                (*callback)();
            }
        }
    }
    now = Clock::now();
    for (std::size_t i = 0; i < timers_.size() && !stopping_; ++i) {
        if (timers_[i].due > now) continue;
        // Keep the schedule; after a stall, skip the missed turns instead of running them all.
        timers_[i].due += timers_[i].period;
        if (timers_[i].due <= now) timers_[i].due = now + timers_[i].period;
        const Callback task = timers_[i].task;   // the task may add a timer and move timers_
        (*task)();
    }
    housekeeping(Clock::now());
    return !stopping_;
}

void Worker::drain_signals() {
    signalfd_siginfo info;
    while (::read(signal_fd_, &info, sizeof info) == static_cast<ssize_t>(sizeof info)) {
        log_info("{}: stopping", ::strsignal(static_cast<int>(info.ssi_signo)));
        stopping_ = true;
    }
}

void Worker::housekeeping(Clock::time_point now) {
    if (!heartbeat_path_.empty() && now >= next_heartbeat_ && !stopping_) {
        next_heartbeat_ = now + heartbeat_interval;
        if (auto r = touch_file(heartbeat_path_); !r) log_warn("heartbeat: {}", r.error());
    }
    if (const auto period = notifier_.watchdog_period(); period && now >= next_watchdog_ && !stopping_) {
        next_watchdog_ = now + *period;
        notifier_.watchdog();
    }
    // The status file is written once more on the way out, so that it shows the final counts.
    if (!status_path_.empty() && make_status_ && (now >= next_status_ || stopping_)) {
        next_status_ = now + status_interval;
        if (auto r = write_status_file(status_path_, make_status_()); !r) log_warn("status file: {}", r.error());
    }
    if (stopping_) notifier_.stopping();
}

}  // namespace vj::sdk
