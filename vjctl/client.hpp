// A blocking client for supervisord's control socket: one request per connection, then its reply
// (and, for a followed request, its stream events).
#pragma once

#include <chrono>
#include <functional>
#include <string>

#include <boost/system/result.hpp>

#include "control/protocol.hpp"
#include "received_reply.hpp"

namespace vj::vjctl {

/// Why no reply arrived: the daemon is unreachable, stalled, or spoke garbage (exit status 3).
struct ClientError {
    std::string message;  ///< complete, e.g. "cannot connect to /x.sock: No such file or directory (…)"
};

/// A reply (which may itself carry an error), or why there is none.
using CallResult = boost::system::result<ReceivedReply, ClientError>;

/// Connects to the UNIX stream socket at `socket_path`, sends `request` as one line and reads
/// lines until the reply with the request's id (or an error reply with id 0, which the server
/// sends when it cannot know the id); stream events and other ids are skipped. The reply line is
/// read by decode_server_line (received_reply.hpp) in the buffer it arrived in, without a copy.
/// Gives up `read_timeout` after sending. Blocks the calling thread; never throws for I/O.
CallResult call(const std::string& socket_path, const control::Request& request,
                std::chrono::milliseconds read_timeout);

/// What `follow` does with what arrives.
struct FollowHandlers {
    /// Called once with the reply; return false to stop there. An error reply always ends the call.
    std::function<bool(const ReceivedReply&)> on_reply;
    /// Called with each stream event of the request, in order, as it arrives; return false to stop.
    std::function<bool(const nlohmann::json& event)> on_event;
};

/// How a followed request ended when nothing went wrong.
enum class FollowEnd {
    closed,       ///< the server closed the connection (after the reply)
    stopped,      ///< a handler returned false, or the reply was an error
    interrupted,  ///< `stop_fd` became readable
};

using FollowResult = boost::system::result<FollowEnd, ClientError>;

/// Like `call` for a request that streams (`"follow": true`): the reply goes to on_reply (within
/// `read_timeout`), then every stream event with the request's id goes to on_event, with no
/// timeout, until the server closes the connection, a handler says stop, or `stop_fd` (if not
/// -1) becomes readable. A connection reset after the reply counts as closed.
/// Never throws for I/O; handlers may throw (the connection is closed).
FollowResult follow(const std::string& socket_path, const control::Request& request,
                    std::chrono::milliseconds read_timeout, const FollowHandlers& handlers, int stop_fd = -1);

}  // namespace vj::vjctl
