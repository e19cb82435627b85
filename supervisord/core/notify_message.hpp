// sd_notify(3) datagrams as values: what one message from a service's NOTIFY_SOCKET says.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vj::core {

/// The assignments of one datagram that the supervisor acts on. A key given twice: the last wins.
struct NotifyMessage {
    bool ready = false;                          ///< READY=1
    bool reloading = false;                      ///< RELOADING=1
    bool stopping = false;                       ///< STOPPING=1
    bool watchdog = false;                       ///< WATCHDOG=1: a keep-alive ping
    bool watchdog_trigger = false;               ///< WATCHDOG=trigger: the service asks to be treated as failed
    std::optional<std::string> status;           ///< STATUS=…, valid UTF-8 (may be empty: clears the status)
    std::optional<int> main_pid;                 ///< MAINPID=, > 0
    std::optional<std::uint64_t> watchdog_usec;  ///< WATCHDOG_USEC=
    std::optional<int> errno_value;              ///< ERRNO=, >= 0
    /// Keys of assignments we ignore (BARRIER, FDSTORE, EXTEND_TIMEOUT_USEC, READY=0, a STATUS that is
    /// not UTF-8, …), in datagram order, for debug logging.
    std::vector<std::string> unknown;
    bool operator==(const NotifyMessage&) const = default;
};

/// Parses one datagram: newline-separated KEY=VALUE assignments (empty lines are skipped, so a
/// trailing newline is fine). nullopt with `error` set when the datagram is empty or has no
/// assignment, holds a NUL byte, has a line without '=' or with an empty key, or a number that does
/// not parse (MAINPID=abc). `error` is one line, without the datagram's origin (the caller adds it).
std::optional<NotifyMessage> parse_notify(std::string_view datagram, std::string& error);

}  // namespace vj::core
