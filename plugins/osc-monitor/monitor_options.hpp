// The command line of vj-osc-monitor, parsed and validated into what the program needs.
#pragma once

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "sdk/endpoint.hpp"
#include "sdk/osc_pattern.hpp"
#include "sdk/worker.hpp"

namespace vj::osc_monitor {

/// Exit statuses, as vj-osc-monitor(1) documents them.
enum ExitStatus : int {
    exit_ok = 0,        ///< stopped by SIGTERM or SIGINT, or --help
    exit_failure = 1,   ///< cannot listen, cannot make the forward socket or the event loop
    exit_usage = 2,     ///< a bad option or value
};

struct MonitorOptions {
    sdk::CommonOptions common;
    std::vector<sdk::Endpoint> listen;              ///< at least one
    std::vector<sdk::Endpoint> forward;
    std::vector<sdk::osc::AddressPattern> filters;
    std::uint32_t max_lines_per_second = 200;
    std::size_t max_addresses = 1000;
    int receive_buffer = 4 << 20;
};

/// Parses argv. Returns the options, or the exit status to end with right away: exit_ok after
/// --help (printed on stdout), exit_usage after an error (printed on stderr, in the form
/// "vj-osc-monitor: error: --listen: 'x': expected HOST:PORT"). Endpoints are resolved and
/// patterns compiled here, so that every mistake is reported before anything is bound.
std::variant<MonitorOptions, int> parse_options(int argc, char** argv);

}  // namespace vj::osc_monitor
