// Control requests -> supervisor operations -> replies (status, start, stop, restart, signal, wait, shutdown).
#pragma once

#include <functional>

#include "control/protocol.hpp"
#include "runtime/supervisor.hpp"

namespace vj::runtime {

using ReplyFn = std::function<void(control::Reply)>;

/// Carries out one request. `reply` is called exactly once, maybe later (wait). `on_shutdown` is
/// called after the reply to `shutdown` is handed over.
void handle_request(Supervisor& sup, const control::Request& request, const ReplyFn& reply,
                    const std::function<void()>& on_shutdown);

}  // namespace vj::runtime
