// The control socket: a UNIX stream listener whose sessions read request lines and write replies.
#pragma once

#include <sys/types.h>

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include <boost/asio/io_context.hpp>
#include <boost/asio/local/stream_protocol.hpp>
#include <boost/system/result.hpp>

#include "control/protocol.hpp"

namespace vj::control {

/// Who may connect: the daemon's own uid, root, and members of `group` (SO_PEERCRED).
struct PeerPolicy {
    uid_t owner;
    std::optional<gid_t> group;
};

/// One request's way back to its client. `reply` exactly once; streams (tail -f) then send events
/// until the client goes away, which `on_close` reports.
class Responder {
public:
    virtual ~Responder() = default;
    virtual void reply(Reply r) = 0;
    /// Queued for the client; dropped (and counted in the next delivered event as "dropped") while
    /// more than max_stream_backlog bytes wait, so a slow reader never grows our memory.
    virtual void event(StreamEvent e) = 0;
    virtual void on_close(std::function<void()> f) = 0;
};

/// Bytes a streaming client may have waiting before further events are dropped.
inline constexpr std::size_t max_stream_backlog = 4 << 20;

/// Given a decoded request, eventually calls `responder->reply` exactly once.
using RequestHandler = std::function<void(const Request&, std::shared_ptr<Responder>)>;

class Server {
public:
    /// Binds `path` with `mode` (and group ownership when policy.group is set). A stale socket file left
    /// by a dead daemon is replaced; a live one is an error ("another supervisord is listening").
    static boost::system::result<std::unique_ptr<Server>, std::string> listen(boost::asio::io_context& io,
                                                                              const std::string& path,
                                                                              unsigned mode, PeerPolicy policy,
                                                                              RequestHandler handler);
    ~Server();

    /// Stops accepting and removes the socket file; open sessions finish their current reply.
    void close();

private:
    Server(boost::asio::io_context& io, std::string path, PeerPolicy policy, RequestHandler handler);
    void accept();

    boost::asio::local::stream_protocol::acceptor acceptor_;
    std::string path_;
    PeerPolicy policy_;
    RequestHandler handler_;
    bool closed_ = false;
    bool bound_ = false;
};

/// Whether the peer's credentials pass `policy`. `peer_groups` are its supplementary groups.
bool peer_allowed(const PeerPolicy& policy, uid_t uid, gid_t gid, const std::vector<gid_t>& peer_groups);

}  // namespace vj::control
