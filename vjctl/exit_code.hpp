// The process exit statuses of vjctl (DESIGN §5, vjctl(1) EXIT STATUS).
#pragma once

namespace vj::vjctl::exit_code {

inline constexpr int ok = 0;
inline constexpr int failed = 1;       ///< the request failed: error reply, wait failed or timed out, bad config
inline constexpr int usage = 2;        ///< the command line is wrong
inline constexpr int unreachable = 3;  ///< no daemon at the socket, or it closed or stalled without a reply
inline constexpr int not_running = 4;  ///< `status`: an instance is not running or is unhealthy

}  // namespace vj::vjctl::exit_code
