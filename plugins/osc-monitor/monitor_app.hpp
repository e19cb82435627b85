// The shell of vj-osc-monitor: sockets, clocks, stdout and the worker loop around Monitor.
#pragma once

#include "monitor_options.hpp"

namespace vj::osc_monitor {

/// Binds the listeners, runs the worker loop until SIGTERM/SIGINT and returns the exit status
/// (ExitStatus): exit_ok after a stop signal, exit_failure when a socket cannot be made (after
/// logging "cannot listen on ADDRESS: REASON").
int run_monitor(MonitorOptions options);

}  // namespace vj::osc_monitor
