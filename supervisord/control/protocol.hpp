// The control wire format (DESIGN §5): one JSON object per line; pure encode/decode, no I/O.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include <nlohmann/json.hpp>

namespace vj::control {

/// Largest request line the server accepts (bytes, without the newline).
inline constexpr std::size_t max_request_bytes = 64 * 1024;

/// Stable error codes carried in {"error":{"code":…}}. Documented in supervisord(8).
namespace errc {
inline constexpr std::string_view bad_request = "bad_request";        // not JSON, wrong shape or types
inline constexpr std::string_view too_large = "too_large";            // line over max_request_bytes
inline constexpr std::string_view unknown_command = "unknown_command";
inline constexpr std::string_view no_such_service = "no_such_service";  // a name or glob matched nothing
inline constexpr std::string_view timeout = "timeout";                  // `wait` ran out of time
inline constexpr std::string_view shutting_down = "shutting_down";
inline constexpr std::string_view failed = "failed";                    // the action itself failed (e.g. kill(2))
inline constexpr std::string_view permission_denied = "permission_denied";  // the peer may not use the socket
}  // namespace errc

struct Request {
    std::int64_t id = 0;
    std::string cmd;
    nlohmann::json args = nlohmann::json::object();
    bool operator==(const Request&) const = default;
};

struct Error {
    std::string code;
    std::string message;
    bool operator==(const Error&) const = default;
};

/// A result already serialized (by JsonWriter): sent as it is, so a large reply is not built twice.
/// Only the daemon makes these; decode_server_line always yields the parsed json.
struct RawJson {
    std::string text;  ///< exactly one JSON value, no newline
    bool operator==(const RawJson&) const = default;
};

using ReplyBody = std::variant<nlohmann::json, Error, RawJson>;  ///< result, error, or serialized result

struct Reply {
    std::int64_t id = 0;
    ReplyBody body;
    /// Compares the bodies as they are held: a RawJson never equals a json, even with the same meaning.
    bool operator==(const Reply&) const = default;
};

/// The result of a successful reply as a value (RawJson parsed); null for an error reply.
nlohmann::json result_of(const Reply& r);

/// A stream line (tail -f, events -f): {"id":N,"event":…}.
struct StreamEvent {
    std::int64_t id = 0;
    nlohmann::json event;
    bool operator==(const StreamEvent&) const = default;
};

/// Encoders return one line without the trailing newline.
std::string encode(const Request& r);
std::string encode(const Reply& r);
/// The same line; a RawJson result's buffer becomes the line (no copy of a megabyte-sized reply).
std::string encode(Reply&& r);
std::string encode(const StreamEvent& e);

/// Decoding failures are values: the Error says what is wrong (code bad_request).
/// A request's `id` is read first so that even a bad request's reply can carry it.
struct DecodedRequest {
    std::int64_t id = 0;  ///< 0 when the line has no usable id
    std::variant<Request, Error> value;
};
DecodedRequest decode_request(std::string_view line);

/// Client side: a line from the server is a Reply or a StreamEvent.
std::variant<Reply, StreamEvent, Error> decode_server_line(std::string_view line);

}  // namespace vj::control
