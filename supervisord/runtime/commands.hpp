// Control requests -> supervisor operations -> replies (status, start, stop, restart, signal, wait, shutdown).
#pragma once

#include <functional>

#include "control/protocol.hpp"
#include "control/server.hpp"
#include "runtime/supervisor.hpp"

namespace vj::runtime {

using ReplyFn = std::function<void(control::Reply)>;

/// Carries out one request. The responder's reply comes exactly once, maybe later (wait); streams
/// (tail with follow) then send events until the client closes. `on_shutdown` is called after the
/// reply to `shutdown` is handed over.
void handle_request(Supervisor& sup, const control::Request& request,
                    const std::shared_ptr<control::Responder>& responder, const std::function<void()>& on_shutdown);

}  // namespace vj::runtime
