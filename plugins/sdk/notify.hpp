// The sd_notify client (READY, STATUS, WATCHDOG), through libsystemd's sd_notify(3).
#pragma once

#include <chrono>
#include <optional>
#include <string>

namespace vj::sdk {

class Notifier {
public:
    /// Reads $NOTIFY_SOCKET and $WATCHDOG_USEC (sd_watchdog_enabled(3)); keeps the environment
    /// as it is, so that children the worker starts do not inherit the notification socket only
    /// if the worker clears it itself.
    Notifier();
    /// True when the supervisor asked for notifications ($NOTIFY_SOCKET set).
    bool enabled() const { return enabled_; }
    /// How often to send WATCHDOG=1: half the interval the supervisor set, or nullopt.
    std::optional<std::chrono::microseconds> watchdog_period() const { return watchdog_period_; }

    void ready(const std::string& status = {}) const;
    void status(const std::string& text) const;
    void watchdog() const;
    void stopping() const;

private:
    bool enabled_ = false;
    std::optional<std::chrono::microseconds> watchdog_period_;
};

}  // namespace vj::sdk
