// Runs the daemon commands: builds requests, sends them through a Transport, prints results.
#pragma once

#include <chrono>
#include <functional>
#include <iosfwd>

#include "cli.hpp"
#include "client.hpp"
#include "control/protocol.hpp"
#include "render.hpp"

namespace vj::vjctl {

/// Sends one request and returns its reply, or why the daemon could not be reached.
/// `read_timeout` bounds the wait for the reply. The real one is `call` on the socket.
using Transport = std::function<CallResult(const control::Request&, std::chrono::milliseconds read_timeout)>;

/// Sends a request that streams (`tail -f`): its reply, then its events, go to the handlers.
/// `read_timeout` bounds the wait for the reply only. The real one is `follow` on the socket.
using FollowTransport =
    std::function<FollowResult(const control::Request&, std::chrono::milliseconds read_timeout, const FollowHandlers&)>;

/// How long to wait for replies that the daemon sends at once.
inline constexpr std::chrono::milliseconds quick_reply_timeout{std::chrono::seconds(10)};
/// How long to wait for the `health` reply: supervisord answers once every probe has, and
/// probes are bounded only by their own timeouts (which may be minutes).
inline constexpr std::chrono::milliseconds health_reply_timeout{std::chrono::minutes(10)};
/// Added to a `wait` timeout for the reply to travel back.
inline constexpr std::chrono::milliseconds reply_slack{std::chrono::seconds(5)};

/// The `wait` request arguments for `vjctl start|restart` (until running) or `vjctl stop`.
nlohmann::json wait_args_after(Command command, const nlohmann::json& names, std::chrono::milliseconds timeout);

/// The `wait` request arguments for `vjctl wait`: fail states are backoff, failed and exited,
/// except those the user waits for.
nlohmann::json wait_args_for(const Invocation& invocation);

/// The `tail` request arguments: names, lines, follow and stream.
nlohmann::json tail_args_for(const Invocation& invocation);

/// Runs every command but `check`; writes results to `out`, messages to `err`.
/// Returns the exit status (exit_code.hpp). Precondition: invocation.command != Command::check.
/// `tail -f` goes through `follow_transport`, everything else through `transport`.
int run_daemon_command(const Invocation& invocation, const Transport& transport,
                       const FollowTransport& follow_transport, RenderOptions render, std::ostream& out,
                       std::ostream& err);

/// As above, for commands that never follow (a `tail -f` through it reports an error).
int run_daemon_command(const Invocation& invocation, const Transport& transport, RenderOptions render,
                       std::ostream& out, std::ostream& err);

}  // namespace vj::vjctl
