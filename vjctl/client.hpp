// A blocking client for supervisord's control socket: one request, one reply, per connection.
#pragma once

#include <chrono>
#include <string>

#include <boost/system/result.hpp>

#include "control/protocol.hpp"

namespace vj::vjctl {

/// Why no reply arrived: the daemon is unreachable, stalled, or spoke garbage (exit status 3).
struct ClientError {
    std::string message;  ///< complete, e.g. "cannot connect to /x.sock: No such file or directory (…)"
};

/// A reply (which may itself carry an error), or why there is none.
using CallResult = boost::system::result<control::Reply, ClientError>;

/// Connects to the UNIX stream socket at `socket_path`, sends `request` as one line and reads
/// lines until the reply with the request's id (or an error reply with id 0, which the server
/// sends when it cannot know the id); stream events and other ids are skipped.
/// Gives up `read_timeout` after sending. Blocks the calling thread; never throws for I/O.
CallResult call(const std::string& socket_path, const control::Request& request,
                std::chrono::milliseconds read_timeout);

}  // namespace vj::vjctl
