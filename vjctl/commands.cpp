// Runs the daemon commands: builds requests, sends them through a Transport, prints results.
#include "commands.hpp"

#include <algorithm>
#include <cassert>
#include <optional>
#include <ostream>
#include <string>
#include <utility>

#include "exit_code.hpp"

namespace vj::vjctl {
namespace {

using nlohmann::json;

/// The outcome of one round trip: the result, or the exit status after the message is printed.
struct Sent {
    std::optional<ReceivedResult> result;
    int status = exit_code::ok;
};

/// Prints an error reply and returns its exit status.
int report(const control::Error& error, std::ostream& err) {
    // The server's message names the object ("web:0: …"); its code is for scripts (--json).
    err << "vjctl: error: " << (error.message.empty() ? error.code : error.message) << '\n';
    // Refused by peer credentials: as unreachable as a socket file we may not open (EACCES).
    return error.code == control::errc::permission_denied ? exit_code::unreachable : exit_code::failed;
}

int report(const ClientError& error, std::ostream& err) {
    err << "vjctl: error: " << error.message << '\n';
    return exit_code::unreachable;
}

Sent send(const Transport& transport, std::string cmd, json args, std::chrono::milliseconds read_timeout,
          std::ostream& err) {
    const control::Request request{1, std::move(cmd), std::move(args)};
    auto reply = transport(request, read_timeout);
    if (reply.has_error()) {
        return {std::nullopt, report(reply.error(), err)};
    }
    if (auto* error = std::get_if<control::Error>(&reply->body)) {
        return {std::nullopt, report(*error, err)};
    }
    return {std::get<ReceivedResult>(std::move(reply->body)), exit_code::ok};
}

/// `--json`: the result as the daemon sent it, one line (vjctl(1) OUTPUT). Not parsed and dumped
/// again: for a 3 MB status that round trip was most of the command's time.
void print_json(std::ostream& out, const ReceivedResult& result) { out << result.json_text() << '\n'; }

json names_arg(const std::vector<std::string>& names) { return json(names); }

std::string_view action_name(Command command) {
    switch (command) {
        case Command::start: return "start";
        case Command::stop: return "stop";
        case Command::restart: return "restart";
        default: break;
    }
    assert(false && "not an action command");
    return {};
}

int run_status(const Invocation& inv, const Transport& transport, RenderOptions render, std::ostream& out,
               std::ostream& err) {
    auto sent = send(transport, "status", {{"names", names_arg(inv.names)}}, quick_reply_timeout, err);
    if (!sent.result) {
        return sent.status;
    }
    if (inv.names_only) {
        out << render_names(*sent.result);
        return exit_code::ok;
    }
    if (inv.global.json) {
        print_json(out, *sent.result);
    } else {
        write_status(out, *sent.result, render);
    }
    return status_exit_code(*sent.result);
}

int run_action(const Invocation& inv, const Transport& transport, std::ostream& out, std::ostream& err) {
    const auto cmd = action_name(inv.command);
    auto sent = send(transport, std::string(cmd), {{"names", names_arg(inv.names)}}, quick_reply_timeout, err);
    if (!sent.result) {
        return sent.status;
    }
    const auto value = sent.result->value();
    const json affected = value.is_object() ? value.value("services", json::array()) : json::array();
    if (!inv.no_wait && affected.is_array() && !affected.empty()) {
        auto waited = send(transport, "wait", wait_args_after(inv.command, affected, inv.global.timeout),
                           inv.global.timeout + reply_slack, err);
        if (!waited.result) {
            return waited.status;
        }
        if (!inv.global.json) {
            out << render_states(*waited.result, false);
        }
    } else if (!inv.global.json) {
        out << render_affected(value, std::string(cmd) + " requested");
    }
    // --json prints the action's own result, whether or not vjctl waited: one stable shape.
    if (inv.global.json) {
        print_json(out, *sent.result);
    }
    return exit_code::ok;
}

int run_wait(const Invocation& inv, const Transport& transport, std::ostream& out, std::ostream& err) {
    const auto timeout = inv.wait_timeout.value_or(inv.global.timeout);
    auto sent = send(transport, "wait", wait_args_for(inv), timeout + reply_slack, err);
    if (!sent.result) {
        return sent.status;
    }
    if (inv.global.json) {
        print_json(out, *sent.result);
    } else {
        out << render_states(*sent.result, inv.health.has_value());
    }
    return exit_code::ok;
}

/// `health`: every probe of the matching instances runs now; exit 4 unless all said healthy.
int run_health(const Invocation& inv, const Transport& transport, RenderOptions render, std::ostream& out,
               std::ostream& err) {
    auto sent = send(transport, "health", {{"names", names_arg(inv.names)}}, health_reply_timeout, err);
    if (!sent.result) {
        return sent.status;
    }
    const auto value = sent.result->value();
    if (inv.global.json) {
        print_json(out, *sent.result);
    } else {
        out << render_health(value, render);
    }
    return health_exit_code(value);
}

/// The commands with one request and a list of affected names as their result.
int run_simple(const Invocation& inv, const Transport& transport, std::ostream& out, std::ostream& err) {
    Sent sent;
    std::string done;
    if (inv.command == Command::signal) {
        sent = send(transport, "signal", {{"signal", inv.signal}, {"names", names_arg(inv.names)}},
                    quick_reply_timeout, err);
        done = "sent " + inv.signal;
    } else {
        sent = send(transport, "shutdown", json::object(), quick_reply_timeout, err);
    }
    if (!sent.result) {
        return sent.status;
    }
    if (inv.global.json) {
        print_json(out, *sent.result);
    } else if (inv.command == Command::signal) {
        out << render_affected(sent.result->value(), done);
    } else {
        out << "supervisord: shutting down\n";
    }
    return exit_code::ok;
}

/// `tail`: the last lines, then (with -f) every new line until the daemon closes the connection
/// or the user interrupts. A stdout that cannot be written (`| head`) ends it quietly, status 0.
int run_tail(const Invocation& inv, const Transport& transport, const FollowTransport& follow_transport,
             std::ostream& out, std::ostream& err) {
    // The instances matched decide the layout, also those that have written nothing yet.
    auto matched = send(transport, "status", {{"names", names_arg(inv.names)}}, quick_reply_timeout, err);
    if (!matched.result) {
        return matched.status;
    }
    const auto layout = tail_layout(instance_names(*matched.result));
    const auto print = [&](const json& line) {
        out << (inv.global.json ? render_json(line) : render_tail_line(line, layout));
        return out.good();
    };
    const auto print_result = [&](const json& result) {
        for (const auto& line : tail_lines_of(result)) {
            if (!print(line)) {
                return false;
            }
        }
        out.flush();
        return out.good();
    };

    if (!inv.follow) {
        auto sent = send(transport, "tail", tail_args_for(inv), quick_reply_timeout, err);
        if (!sent.result) {
            return sent.status;
        }
        print_result(sent.result->value());
        return exit_code::ok;
    }

    if (!follow_transport) {
        return report(ClientError{"following is not available here"}, err);
    }
    int status = exit_code::ok;
    const FollowHandlers handlers{
        [&](const ReceivedReply& reply) {
            if (const auto* error = std::get_if<control::Error>(&reply.body)) {
                status = report(*error, err);
                return false;
            }
            return print_result(std::get<ReceivedResult>(reply.body).value());
        },
        [&](const json& event) {
            // Flushed per line: a reader of the pipe sees each line when it arrives.
            const bool printed = print(event);
            out.flush();
            return printed && out.good();
        },
    };
    const auto ended = follow_transport(control::Request{1, "tail", tail_args_for(inv)}, quick_reply_timeout,
                                        handlers);
    if (ended.has_error()) {
        return report(ended.error(), err);
    }
    // Closed by the daemon (it shut down), interrupted by the user, or stdout gone: all fine.
    return status;
}

}  // namespace

json tail_args_for(const Invocation& inv) {
    return {{"names", names_arg(inv.names)},
            {"lines", inv.tail_lines},
            {"follow", inv.follow},
            {"stream", inv.stderr_stream ? "stderr" : "stdout"}};
}

json wait_args_after(Command command, const json& names, std::chrono::milliseconds timeout) {
    json args{{"names", names}, {"timeout_ms", timeout.count()}};
    if (command == Command::stop) {
        args["states"] = {"stopped", "exited", "failed"};
        // Explicitly none: an instance that exits while stopping has reached its goal.
        args["fail_states"] = json::array();
    } else {
        args["states"] = {"running"};
        args["fail_states"] = {"backoff", "failed", "exited"};
    }
    return args;
}

json wait_args_for(const Invocation& inv) {
    const auto timeout = inv.wait_timeout.value_or(inv.global.timeout);
    json fail_states = json::array();
    for (const auto* state : {"backoff", "failed", "exited"}) {
        if (std::find(inv.states.begin(), inv.states.end(), state) == inv.states.end()) {
            fail_states.push_back(state);
        }
    }
    json args{{"names", names_arg(inv.names)},
              {"states", inv.states},
              {"fail_states", std::move(fail_states)},
              {"timeout_ms", timeout.count()}};
    if (inv.health) {
        args["health"] = *inv.health;
    }
    return args;
}

int run_daemon_command(const Invocation& inv, const Transport& transport, RenderOptions render, std::ostream& out,
                       std::ostream& err) {
    return run_daemon_command(inv, transport, FollowTransport(), render, out, err);
}

int run_daemon_command(const Invocation& inv, const Transport& transport, const FollowTransport& follow_transport,
                       RenderOptions render, std::ostream& out, std::ostream& err) {
    switch (inv.command) {
        case Command::status: return run_status(inv, transport, render, out, err);
        case Command::start:
        case Command::stop:
        case Command::restart: return run_action(inv, transport, out, err);
        case Command::wait: return run_wait(inv, transport, out, err);
        case Command::health: return run_health(inv, transport, render, out, err);
        case Command::tail: return run_tail(inv, transport, follow_transport, out, err);
        case Command::signal:
        case Command::shutdown: return run_simple(inv, transport, out, err);
        case Command::check: break;
    }
    assert(false && "check does not talk to the daemon");
    return exit_code::failed;
}

}  // namespace vj::vjctl
