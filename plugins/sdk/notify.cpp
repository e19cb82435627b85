// sd_notify(3) for workers.
#include "sdk/notify.hpp"

#include <cstdlib>

#include <systemd/sd-daemon.h>

namespace vj::sdk {

Notifier::Notifier() {
    const char* socket = std::getenv("NOTIFY_SOCKET");
    enabled_ = socket && *socket;
    std::uint64_t usec = 0;
    if (::sd_watchdog_enabled(0, &usec) > 0 && usec > 0)
        watchdog_period_ = std::chrono::microseconds(usec / 2);
}

void Notifier::ready(const std::string& status) const {
    if (!enabled_) return;
    const std::string text = status.empty() ? "READY=1" : "READY=1\nSTATUS=" + status;
    ::sd_notify(0, text.c_str());
}

void Notifier::status(const std::string& text) const {
    if (enabled_) ::sd_notify(0, ("STATUS=" + text).c_str());
}

void Notifier::watchdog() const {
    if (enabled_) ::sd_notify(0, "WATCHDOG=1");
}

void Notifier::stopping() const {
    if (enabled_) ::sd_notify(0, "STOPPING=1");
}

}  // namespace vj::sdk
