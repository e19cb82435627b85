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
    std::optional<json> result;
    int status = exit_code::ok;
};

Sent send(const Transport& transport, std::string cmd, json args, std::chrono::milliseconds read_timeout,
          std::ostream& err) {
    const control::Request request{1, std::move(cmd), std::move(args)};
    auto reply = transport(request, read_timeout);
    if (reply.has_error()) {
        err << "vjctl: error: " << reply.error().message << '\n';
        return {std::nullopt, exit_code::unreachable};
    }
    if (auto* error = std::get_if<control::Error>(&reply->body)) {
        // The server's message names the object ("web:0: …"); its code is for scripts (--json).
        err << "vjctl: error: " << (error->message.empty() ? error->code : error->message) << '\n';
        // Refused by peer credentials: as unreachable as a socket file we may not open (EACCES).
        return {std::nullopt, error->code == control::errc::permission_denied ? exit_code::unreachable
                                                                              : exit_code::failed};
    }
    return {std::get<json>(std::move(reply->body)), exit_code::ok};
}

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
    out << (inv.global.json ? render_json(*sent.result) : render_status(*sent.result, render));
    return status_exit_code(*sent.result);
}

int run_action(const Invocation& inv, const Transport& transport, std::ostream& out, std::ostream& err) {
    const auto cmd = action_name(inv.command);
    auto sent = send(transport, std::string(cmd), {{"names", names_arg(inv.names)}}, quick_reply_timeout, err);
    if (!sent.result) {
        return sent.status;
    }
    const json affected = sent.result->is_object() ? sent.result->value("services", json::array()) : json::array();
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
        out << render_affected(*sent.result, std::string(cmd) + " requested");
    }
    // --json prints the action's own result, whether or not vjctl waited: one stable shape.
    if (inv.global.json) {
        out << render_json(*sent.result);
    }
    return exit_code::ok;
}

int run_wait(const Invocation& inv, const Transport& transport, std::ostream& out, std::ostream& err) {
    const auto timeout = inv.wait_timeout.value_or(inv.global.timeout);
    auto sent = send(transport, "wait", wait_args_for(inv), timeout + reply_slack, err);
    if (!sent.result) {
        return sent.status;
    }
    out << (inv.global.json ? render_json(*sent.result) : render_states(*sent.result, inv.health.has_value()));
    return exit_code::ok;
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
        out << render_json(*sent.result);
    } else if (inv.command == Command::signal) {
        out << render_affected(*sent.result, done);
    } else {
        out << "supervisord: shutting down\n";
    }
    return exit_code::ok;
}

}  // namespace

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
    switch (inv.command) {
        case Command::status: return run_status(inv, transport, render, out, err);
        case Command::start:
        case Command::stop:
        case Command::restart: return run_action(inv, transport, out, err);
        case Command::wait: return run_wait(inv, transport, out, err);
        case Command::signal:
        case Command::shutdown: return run_simple(inv, transport, out, err);
        case Command::check: break;
    }
    assert(false && "check does not talk to the daemon");
    return exit_code::failed;
}

}  // namespace vj::vjctl
