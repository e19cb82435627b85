// A reply as vjctl receives it: read in one pass of a streaming JSON parser, the result kept as the
// daemon's JSON text together with the status objects read out of it.
#pragma once

#include <cstdint>
#include <memory>
#include <string_view>
#include <variant>

#include <nlohmann/json.hpp>

#include "control/protocol.hpp"
#include "instance_status.hpp"
#include "line_buffer.hpp"

namespace vj::vjctl {

/// A command's result as received (DESIGN §5 `result`). Immutable; copies share it.
///
/// Why not a nlohmann::json: a `status` result with 10,000 services is ~3 MB, and building its
/// tree took 100-300 ms in a fresh vjctl (most of it page faults for ~25 MB of nodes). Kept as
/// text with only the status fields read out, it costs one pass of Boost.JSON's parser (~4 ms),
/// and `--json` prints the daemon's own text.
class ReceivedResult {
public:
    /// The result `value`, as if the daemon had sent it. Implicit, so that a value can stand for
    /// a received result (tests; lines that only control::decode_server_line reads).
    ReceivedResult(const nlohmann::json& value);

    /// The result as one line of JSON, as the daemon sent it: valid, since the whole line was
    /// parsed (whitespace around it trimmed).
    std::string_view json_text() const;

    /// When the result is an object whose "services" is an array (status, wait): one instance per
    /// element, in order, an element that is not an object giving an instance with every field
    /// missing. Otherwise none. Their text views into this result.
    const InstanceStatuses& statuses() const;

    /// The result as a JSON value, for the commands whose results are small (parses json_text()).
    nlohmann::json value() const;

    /// The text and what views into it; complete only in received_reply.cpp.
    struct Storage;
    /// For decode_server_line, which fills the storage.
    explicit ReceivedResult(std::shared_ptr<const Storage> storage);

private:
    std::shared_ptr<const Storage> storage_;
};

/// A reply to a request: the result as received, or the error the daemon sent.
struct ReceivedReply {
    std::int64_t id = 0;
    std::variant<ReceivedResult, control::Error> body;

    ReceivedReply(std::int64_t reply_id, std::variant<ReceivedResult, control::Error> reply_body);
    /// The reply `reply`, as if the daemon had sent it; implicit, as for ReceivedResult.
    ReceivedReply(const control::Reply& reply);

    /// The same id, and the same error or a result of the same JSON value.
    bool operator==(const ReceivedReply& other) const;
};

/// What one line from the server is: a reply, a stream event, or why it is neither (an Error with
/// code bad_request and control::decode_server_line's message). Always the same verdict as
/// control::decode_server_line. A reply `{"id":N,"ok":true,"result":…}` is read in one pass that
/// validates the whole line and keeps it (no copy); every other line (events, error replies,
/// anything unusual or invalid) is left to control::decode_server_line, so its messages stay those
/// of the wire protocol.
std::variant<ReceivedReply, control::StreamEvent, control::Error> decode_server_line(LineBuffer line);

}  // namespace vj::vjctl
