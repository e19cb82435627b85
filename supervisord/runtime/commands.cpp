// The command table of the control socket.
#include "runtime/commands.hpp"


#include <unistd.h>

#include <algorithm>
#include <map>

#include "control/json_writer.hpp"
#include "os/signal_names.hpp"

namespace vj::runtime {
namespace {

using nlohmann::json;
using Stream = std::shared_ptr<control::Responder>;
using Handler = void (*)(Supervisor&, const control::Request&, const ReplyFn&, const std::function<void()>&,
                        const Stream&);

control::Reply ok(std::int64_t id, json result) { return {id, std::move(result)}; }
control::Reply fail(std::int64_t id, std::string_view code, std::string message) {
    return {id, control::Error{std::string(code), std::move(message)}};
}

/// Reads args.names as a list of strings; `required` means at least one.
std::optional<std::vector<std::string>> names_arg(const control::Request& r, bool required, const ReplyFn& reply) {
    std::vector<std::string> names;
    if (r.args.contains("names")) {
        const auto& n = r.args["names"];
        if (!n.is_array()) {
            reply(fail(r.id, control::errc::bad_request, "args.names must be a list of strings"));
            return std::nullopt;
        }
        for (const auto& v : n) {
            if (!v.is_string()) {
                reply(fail(r.id, control::errc::bad_request, "args.names must be a list of strings"));
                return std::nullopt;
            }
            names.push_back(v.get<std::string>());
        }
    }
    if (required && names.empty()) {
        reply(fail(r.id, control::errc::bad_request, "'" + r.cmd + "' needs at least one name (or \"all\")"));
        return std::nullopt;
    }
    return names;
}

std::optional<std::vector<Instance*>> targets_arg(Supervisor& sup, const control::Request& r, bool required,
                                                  const ReplyFn& reply) {
    auto names = names_arg(r, required, reply);
    if (!names) return std::nullopt;
    if (names->empty()) names->push_back("all");
    std::string unmatched;
    auto targets = sup.match(*names, unmatched);
    if (!unmatched.empty()) {
        reply(fail(r.id, control::errc::no_such_service, "no service matches '" + unmatched + "'"));
        return std::nullopt;
    }
    return targets;
}

json names_of(const std::vector<Instance*>& targets) {
    json out = json::array();
    for (auto* t : targets) out.push_back(t->name);
    return out;
}

void cmd_ping(Supervisor&, const control::Request& r, const ReplyFn& reply, const std::function<void()>&, const Stream&) {
    reply(ok(r.id, {{"version", "0.1.0"}, {"pid", ::getpid()}}));
}

/// Bytes of status JSON per instance, about (~310 with only the pid probe): one allocation for most.
constexpr std::size_t status_bytes_guess = 384;

void cmd_status(Supervisor& sup, const control::Request& r, const ReplyFn& reply, const std::function<void()>&, const Stream&) {
    auto targets = targets_arg(sup, r, false, reply);
    if (!targets) return;
    // Serialized straight into the reply (RawJson): building nlohmann objects cost 5-12 µs an instance.
    // Keys in nlohmann's sorted order, as the result object had them.
    control::JsonWriter w;
    w.reserve(64 + targets->size() * status_bytes_guess);
    w.begin_object();
    w.key("jobs");
    w.begin_array();
    w.end_array();
    w.key("services");
    w.begin_array();
    for (auto* t : *targets) sup.write_status(*t, w);
    w.end_array();
    w.end_object();
    reply({r.id, control::RawJson{w.take()}});
}

template <void (Supervisor::*Op)(const std::vector<Instance*>&)>
void cmd_lifecycle(Supervisor& sup, const control::Request& r, const ReplyFn& reply, const std::function<void()>&, const Stream&) {
    if (sup.shutting_down()) return reply(fail(r.id, control::errc::shutting_down, "supervisord is shutting down"));
    auto targets = targets_arg(sup, r, true, reply);
    if (!targets) return;
    (sup.*Op)(*targets);
    reply(ok(r.id, {{"services", names_of(*targets)}}));
}

void cmd_signal(Supervisor& sup, const control::Request& r, const ReplyFn& reply, const std::function<void()>&, const Stream&) {
    const auto& sig = r.args.contains("signal") ? r.args["signal"] : json();
    std::optional<int> signo;
    if (sig.is_string()) signo = os::signal_from_name(sig.get<std::string>());
    if (sig.is_number_integer()) signo = os::signal_from_name(std::to_string(sig.get<long long>()));
    if (!signo) return reply(fail(r.id, control::errc::bad_request, "args.signal must be a signal name or number"));
    auto targets = targets_arg(sup, r, true, reply);
    if (!targets) return;
    for (auto* t : *targets)
        if (!t->state.pid) return reply(fail(r.id, control::errc::failed, t->name + " is not running"));
    for (auto* t : *targets) ::kill(*t->state.pid, *signo);
    reply(ok(r.id, {{"services", names_of(*targets)}}));
}

std::optional<std::set<core::State>> states_arg(const control::Request& r, const char* key,
                                                std::set<core::State> fallback, const ReplyFn& reply) {
    if (!r.args.contains(key)) return fallback;
    const auto& v = r.args[key];
    std::set<core::State> out;
    if (v.is_array()) {
        for (const auto& s : v)
            if (auto st = s.is_string() ? core::state_from_string(s.get<std::string>()) : std::nullopt)
                out.insert(*st);
            else
                return reply(fail(r.id, control::errc::bad_request, std::string("args.") + key + ": unknown state " +
                                                                        s.dump())),
                       std::nullopt;
        return out;
    }
    reply(fail(r.id, control::errc::bad_request, std::string("args.") + key + " must be a list of states"));
    return std::nullopt;
}

void cmd_wait(Supervisor& sup, const control::Request& r, const ReplyFn& reply, const std::function<void()>&, const Stream&) {
    auto targets = targets_arg(sup, r, true, reply);
    if (!targets) return;
    auto states = states_arg(r, "states", {core::State::running}, reply);
    if (!states) return;
    auto fail_states = states_arg(r, "fail_states", {}, reply);
    if (!fail_states) return;
    std::optional<std::string> health;
    if (r.args.contains("health")) {
        if (!r.args["health"].is_string())
            return reply(fail(r.id, control::errc::bad_request, "args.health must be a string"));
        health = r.args["health"].get<std::string>();
        if (!core::health_from_string(*health))
            return reply(fail(r.id, control::errc::bad_request,
                              "args.health: unknown health '" + *health +
                                  "' (expected unknown, healthy, degraded or unhealthy)"));
    }
    long long timeout_ms = 30000;
    if (r.args.contains("timeout_ms")) {
        if (!r.args["timeout_ms"].is_number_integer() || r.args["timeout_ms"].get<long long>() < 0)
            return reply(fail(r.id, control::errc::bad_request, "args.timeout_ms must be a non-negative integer"));
        timeout_ms = r.args["timeout_ms"].get<long long>();
    }
    WaitRequest w;
    for (auto* t : *targets) w.instances.push_back(t->name);
    w.states = std::move(*states);
    w.fail_states = std::move(*fail_states);
    w.health = std::move(health);
    w.timeout = core::Duration(timeout_ms);
    w.done = [reply, id = r.id](std::optional<json> result, std::string code, std::string message) {
        if (result)
            reply(ok(id, std::move(*result)));
        else
            reply(fail(id, code, std::move(message)));
    };
    sup.wait(std::move(w));
}

/// Runs every probe of the targets now and replies once all have answered.
void cmd_health(Supervisor& sup, const control::Request& r, const ReplyFn& reply, const std::function<void()>&,
                const Stream&) {
    auto targets = targets_arg(sup, r, true, reply);
    if (!targets) return;
    struct Gather {
        json services = json::array();
        std::size_t outstanding = 0;
    };
    auto g = std::make_shared<Gather>();
    g->outstanding = targets->size();
    for (std::size_t i = 0; i < targets->size(); ++i) g->services.push_back(nullptr);
    for (std::size_t i = 0; i < targets->size(); ++i) {
        Instance* inst = (*targets)[i];
        sup.run_health(*inst, [&sup, g, i, inst, reply, id = r.id](json probes) {
            const json status = sup.status_of(*inst);
            g->services[i] = {{"name", inst->name},
                              {"state", status["state"]},
                              {"health", status["health"]},
                              {"probes", std::move(probes)}};
            if (--g->outstanding == 0) reply(ok(id, {{"services", std::move(g->services)}}));
        });
    }
}

void cmd_shutdown(Supervisor&, const control::Request& r, const ReplyFn& reply,
                  const std::function<void()>& on_shutdown, const Stream&) {
    reply(ok(r.id, json::object()));
    on_shutdown();
}

json line_json(const StreamSink& sink, const TailLine& l) {
    return {{"name", sink.instance()}, {"stream", sink.stream()}, {"time", rfc3339(l.time)}, {"line", l.text}};
}

void cmd_tail(Supervisor& sup, const control::Request& r, const ReplyFn& reply, const std::function<void()>&,
              const Stream& stream) {
    auto targets = targets_arg(sup, r, true, reply);
    if (!targets) return;
    long long lines = 10;
    if (r.args.contains("lines")) {
        if (!r.args["lines"].is_number_integer() || r.args["lines"].get<long long>() < 0)
            return reply(fail(r.id, control::errc::bad_request, "args.lines must be a non-negative integer"));
        lines = r.args["lines"].get<long long>();
    }
    const bool follow = r.args.value("follow", false);
    const std::string which = r.args.value("stream", std::string("stdout"));
    if (which != "stdout" && which != "stderr")
        return reply(fail(r.id, control::errc::bad_request, "args.stream must be \"stdout\" or \"stderr\""));

    std::vector<std::shared_ptr<StreamSink>> sinks;
    for (auto* t : *targets)
        if (auto& sink = which == "stderr" ? t->err : t->out) sinks.push_back(sink);

    // The last lines of each, merged in arrival order.
    std::vector<std::pair<TailLine, const StreamSink*>> merged;
    for (const auto& sink : sinks)
        for (auto& l : sink->last_lines(static_cast<std::size_t>(lines))) merged.emplace_back(std::move(l), sink.get());
    std::stable_sort(merged.begin(), merged.end(), [](const auto& a, const auto& b) { return a.first.seq < b.first.seq; });
    if (merged.size() > static_cast<std::size_t>(lines))
        merged.erase(merged.begin(), merged.end() - static_cast<std::ptrdiff_t>(lines));
    json out = json::array();
    for (const auto& [l, sink] : merged) out.push_back(line_json(*sink, l));
    reply(ok(r.id, {{"lines", std::move(out)}}));
    if (!follow) return;

    // Follow: every new line of these streams until the client goes away. The sinks belong to the
    // instances, so this follows across restarts and rotations alike.
    auto ids = std::make_shared<std::vector<std::pair<std::weak_ptr<StreamSink>, int>>>();
    for (const auto& sink : sinks) {
        const int id = sink->follow([stream, id = r.id, s = sink.get()](const TailLine& l) {
            stream->event(control::StreamEvent{id, line_json(*s, l)});
        });
        ids->emplace_back(sink, id);
    }
    stream->on_close([ids] {
        for (auto& [weak, id] : *ids)
            if (auto sink = weak.lock()) sink->unfollow(id);
    });
}

const std::map<std::string, Handler, std::less<>>& command_table() {
    static const std::map<std::string, Handler, std::less<>> table{
        {"ping", cmd_ping},
        {"status", cmd_status},
        {"start", cmd_lifecycle<&Supervisor::start_instances>},
        {"stop", cmd_lifecycle<&Supervisor::stop_instances>},
        {"restart", cmd_lifecycle<&Supervisor::restart_instances>},
        {"signal", cmd_signal},
        {"wait", cmd_wait},
        {"health", cmd_health},
        {"shutdown", cmd_shutdown},
        {"tail", cmd_tail},
    };
    return table;
}

}  // namespace

void handle_request(Supervisor& sup, const control::Request& request,
                    const std::shared_ptr<control::Responder>& responder, const std::function<void()>& on_shutdown) {
    const ReplyFn reply = [responder](control::Reply r) { responder->reply(std::move(r)); };
    const auto& table = command_table();
    auto it = table.find(request.cmd);
    if (it == table.end())
        return reply(fail(request.id, control::errc::unknown_command, "unknown command '" + request.cmd + "'"));
    it->second(sup, request, reply, on_shutdown, responder);
}

}  // namespace vj::runtime
