// Encodes and decodes control-protocol lines (requests, replies, stream events); pure, no I/O.
#include "control/protocol.hpp"

#include <limits>
#include <utility>

namespace vj::control {
namespace {

using nlohmann::json;

// Strings from the outside may hold invalid UTF-8; replacing it (U+FFFD) keeps encoders total.
std::string dump(const json& j) {
    return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string line_head(std::int64_t id) {
    return "{\"id\":" + std::to_string(id);
}

/// A successful reply up to its result.
std::string ok_head(std::int64_t id) {
    return line_head(id) + ",\"ok\":true,\"result\":";
}

/// Parses one line into a JSON value; the Error says where parsing stopped.
std::variant<json, Error> parse_line(std::string_view line, std::string_view what) {
    try {
        return json::parse(line.begin(), line.end());
    } catch (const json::parse_error& e) {
        // nlohmann reports failures only through exceptions; they stop here and become values.
        return Error{std::string(errc::bad_request),
                     std::string(what) + " is not valid JSON (at byte " + std::to_string(e.byte) + ")"};
    } catch (const json::out_of_range&) {
        // A number beyond a double (1e999) is out_of_range, not parse_error; uncaught, one such
        // request from any permitted client ended the daemon.
        return Error{std::string(errc::bad_request), std::string(what) + " holds a number out of range"};
    }
}

/// Reads `id` from an object: nullopt when absent, Error when present but not an int64.
std::variant<std::optional<std::int64_t>, Error> read_id(const json& object, std::string_view what) {
    const auto it = object.find("id");
    if (it == object.end()) {
        return std::optional<std::int64_t>{};
    }
    if (it->is_number_unsigned()) {
        const auto value = it->get<std::uint64_t>();
        if (value > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
            return Error{std::string(errc::bad_request), std::string(what) + " id is out of range"};
        }
        return std::optional<std::int64_t>{static_cast<std::int64_t>(value)};
    }
    if (it->is_number_integer()) {
        return std::optional<std::int64_t>{it->get<std::int64_t>()};
    }
    return Error{std::string(errc::bad_request), std::string(what) + " id is not an integer"};
}

Error bad_request(std::string message) {
    return Error{std::string(errc::bad_request), std::move(message)};
}

}  // namespace

std::string encode(const Request& r) {
    // Built by hand so that the keys come in protocol order (nlohmann sorts object keys).
    const json& args = r.args.is_null() ? json::object() : r.args;
    return line_head(r.id) + ",\"cmd\":" + dump(r.cmd) + ",\"args\":" + dump(args) + "}";
}

std::string encode(const Reply& r) {
    if (const auto* result = std::get_if<json>(&r.body)) {
        return ok_head(r.id) + dump(*result) + "}";
    }
    if (const auto* raw = std::get_if<RawJson>(&r.body)) {
        std::string line = ok_head(r.id);
        line.reserve(line.size() + raw->text.size() + 2);  // and the newline the server frames it with
        line += raw->text;
        line += '}';
        return line;
    }
    const auto& error = std::get<Error>(r.body);
    return line_head(r.id) + ",\"ok\":false,\"error\":{\"code\":" + dump(error.code) +
           ",\"message\":" + dump(error.message) + "}}";
}

std::string encode(Reply&& r) {
    auto* raw = std::get_if<RawJson>(&r.body);
    if (!raw) return encode(std::as_const(r));
    // Megabytes for a large status: the head goes in front of the text where it lies (JsonWriter
    // users reserve generously), rather than into a fresh buffer whose pages must all be faulted in.
    // Room, too, for the newline the server frames the line with.
    std::string line = std::move(raw->text);
    const std::string head = ok_head(r.id);
    line.reserve(head.size() + line.size() + 2);
    line.insert(0, head);
    line += '}';
    return line;
}

std::string encode(const StreamEvent& e) {
    return line_head(e.id) + ",\"event\":" + dump(e.event) + "}";
}

json result_of(const Reply& r) {
    if (const auto* result = std::get_if<json>(&r.body)) return *result;
    if (const auto* raw = std::get_if<RawJson>(&r.body)) return json::parse(raw->text);
    return json();
}

DecodedRequest decode_request(std::string_view line) {
    auto parsed = parse_line(line, "request");
    if (auto* error = std::get_if<Error>(&parsed)) {
        return {0, std::move(*error)};
    }
    auto& object = std::get<json>(parsed);
    if (!object.is_object()) {
        return {0, bad_request("request is not a JSON object")};
    }
    auto id_or_error = read_id(object, "request");
    if (auto* error = std::get_if<Error>(&id_or_error)) {
        return {0, std::move(*error)};
    }
    // A request without an id is accepted as id 0 (handy when typing requests by hand).
    const std::int64_t id = std::get<std::optional<std::int64_t>>(id_or_error).value_or(0);

    const auto cmd = object.find("cmd");
    if (cmd == object.end()) {
        return {id, bad_request("request has no cmd")};
    }
    if (!cmd->is_string()) {
        return {id, bad_request("request cmd is not a string")};
    }
    Request request;
    request.id = id;
    request.cmd = cmd->get<std::string>();
    if (const auto args = object.find("args"); args != object.end()) {
        if (!args->is_object()) {
            return {id, bad_request("request args is not an object")};
        }
        request.args = std::move(*args);
    }
    return {id, std::move(request)};
}

std::variant<Reply, StreamEvent, Error> decode_server_line(std::string_view line) {
    auto parsed = parse_line(line, "server line");
    if (auto* error = std::get_if<Error>(&parsed)) {
        return std::move(*error);
    }
    auto& object = std::get<json>(parsed);
    if (!object.is_object()) {
        return bad_request("server line is not a JSON object");
    }
    auto id_or_error = read_id(object, "server line");
    if (auto* error = std::get_if<Error>(&id_or_error)) {
        return std::move(*error);
    }
    const auto id = std::get<std::optional<std::int64_t>>(id_or_error);
    if (!id) {
        return bad_request("server line has no id");
    }

    if (const auto event = object.find("event"); event != object.end()) {
        return StreamEvent{*id, std::move(*event)};
    }
    const auto ok = object.find("ok");
    if (ok == object.end() || !ok->is_boolean()) {
        return bad_request("reply has no boolean ok");
    }
    if (ok->get<bool>()) {
        const auto result = object.find("result");
        return Reply{*id, result == object.end() ? json() : std::move(*result)};
    }
    const auto error = object.find("error");
    if (error == object.end() || !error->is_object()) {
        return bad_request("error reply has no error object");
    }
    const auto code = error->find("code");
    if (code == error->end() || !code->is_string()) {
        return bad_request("error reply has no string code");
    }
    const auto message = error->find("message");
    if (message != error->end() && !message->is_string()) {
        return bad_request("error reply message is not a string");
    }
    return Reply{*id, Error{code->get<std::string>(),
                            message == error->end() ? std::string() : message->get<std::string>()}};
}

}  // namespace vj::control
