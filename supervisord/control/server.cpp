// UNIX socket listener and per-connection sessions (line framing, size limit, peer credentials).
#include "control/server.hpp"

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <deque>
#include <fstream>
#include <sstream>

#include <boost/asio/read_until.hpp>
#include <boost/asio/streambuf.hpp>
#include <boost/asio/write.hpp>

#include "os/proc.hpp"

namespace vj::control {
namespace asio = boost::asio;
using stream = asio::local::stream_protocol;

namespace {

std::vector<gid_t> supplementary_groups(pid_t pid) {
    // /proc/PID/status "Groups:" is what the kernel checks for the peer, without NSS look-ups.
    std::vector<gid_t> out;
    std::ifstream in("/proc/" + std::to_string(pid) + "/status");
    std::string line;
    while (std::getline(in, line)) {
        if (!line.starts_with("Groups:")) continue;
        std::istringstream ids(line.substr(7));
        unsigned long g;
        while (ids >> g) out.push_back(static_cast<gid_t>(g));
    }
    return out;
}

class Session : public std::enable_shared_from_this<Session> {
public:
    Session(stream::socket socket, RequestHandler& handler)
        : socket_(std::move(socket)), buffer_(max_request_bytes + 1), handler_(handler) {}

    void start() { read(); }

    void refuse(std::string message) {
        send(encode(Reply{0, Error{std::string(errc::permission_denied), std::move(message)}}));
        closing_ = true;
    }

    /// What the handler gets: the session kept alive until the reply (and, for streams, until the
    /// client closes).
    class Channel final : public Responder {
    public:
        explicit Channel(std::shared_ptr<Session> s) : session_(std::move(s)) {}
        void reply(Reply r) override {
            session_->send(encode(std::move(r)));
            session_->read();  // the next request, or the close of a stream
        }
        void event(StreamEvent e) override { session_->push_event(std::move(e)); }
        void on_close(std::function<void()> f) override { session_->closers_.push_back(std::move(f)); }

    private:
        std::shared_ptr<Session> session_;
    };

private:
    void read() {
        if (reading_ || closed_) return;
        reading_ = true;
        asio::async_read_until(socket_, buffer_, '\n',
                               [self = shared_from_this()](boost::system::error_code ec, std::size_t n) {
                                   self->reading_ = false;
                                   self->on_line(ec, n);
                               });
    }

    void on_line(boost::system::error_code ec, std::size_t n) {
        if (ec == asio::error::not_found) {
            // The line outgrew the buffer: there is no resynchronising inside it; answer and hang up.
            send(encode(Reply{0, Error{std::string(errc::too_large),
                                       "request line longer than " + std::to_string(max_request_bytes) + " bytes"}}));
            closing_ = true;
            return;
        }
        if (ec) {  // peer closed (eof) or reset: tell the streams, nothing to answer
            close();
            return;
        }
        std::string line(asio::buffers_begin(buffer_.data()), asio::buffers_begin(buffer_.data()) + n - 1);
        buffer_.consume(n);
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (line.empty()) return read();
        auto decoded = decode_request(line);
        if (auto* err = std::get_if<Error>(&decoded.value)) {
            send(encode(Reply{decoded.id, *err}));
            return read();
        }
        handler_(std::get<Request>(decoded.value), std::make_shared<Channel>(shared_from_this()));
    }

    void close() {
        if (closed_) return;
        closed_ = true;
        auto closers = std::move(closers_);
        closers_.clear();
        for (auto& f : closers) f();
        boost::system::error_code ignored;
        socket_.close(ignored);
    }

    void push_event(StreamEvent e) {
        if (closed_) return;
        if (queued_ > max_stream_backlog) {
            ++dropped_;
            return;
        }
        if (dropped_ > 0 && e.event.is_object()) {
            e.event["dropped"] = dropped_;  // the client learns that it fell behind
            dropped_ = 0;
        }
        send(encode(e));
    }

    void send(std::string line) {
        if (closed_) return;
        line += '\n';
        queued_ += line.size();
        out_.push_back(std::move(line));
        if (out_.size() == 1) write_next();
    }

    void write_next() {
        asio::async_write(socket_, asio::buffer(out_.front()),
                          [self = shared_from_this()](boost::system::error_code ec, std::size_t) {
                              if (ec) {
                                  self->close();
                                  return;
                              }
                              self->queued_ -= self->out_.front().size();
                              self->out_.pop_front();
                              if (!self->out_.empty())
                                  self->write_next();
                              else if (self->closing_)
                                  self->socket_.shutdown(stream::socket::shutdown_both, ec);
                          });
    }

    stream::socket socket_;
    asio::streambuf buffer_;
    RequestHandler& handler_;
    std::deque<std::string> out_;
    std::size_t queued_ = 0;
    std::uint64_t dropped_ = 0;
    std::vector<std::function<void()>> closers_;
    bool closing_ = false;
    bool reading_ = false;
    bool closed_ = false;
};

}  // namespace

bool peer_allowed(const PeerPolicy& policy, uid_t uid, gid_t gid, const std::vector<gid_t>& peer_groups) {
    if (uid == 0 || uid == policy.owner) return true;
    if (!policy.group) return false;
    return gid == *policy.group || std::find(peer_groups.begin(), peer_groups.end(), *policy.group) != peer_groups.end();
}

Server::Server(asio::io_context& io, std::string path, PeerPolicy policy, RequestHandler handler)
    : acceptor_(io), path_(std::move(path)), policy_(policy), handler_(std::move(handler)) {}

Server::~Server() { close(); }

boost::system::result<std::unique_ptr<Server>, std::string> Server::listen(asio::io_context& io,
                                                                           const std::string& path, unsigned mode,
                                                                           PeerPolicy policy, RequestHandler handler) {
    const auto fail = [&](const std::string& what, int err) {
        return "cannot " + what + " " + path + ": " + std::strerror(err);
    };
    if (path.size() >= sizeof(sockaddr_un::sun_path)) return "socket path too long (max 107 bytes): " + path;
    const auto slash = path.rfind('/');
    if (slash != std::string::npos && slash > 0)
        if (auto r = os::make_directories(path.substr(0, slash), 0755); !r)
            return "cannot create directory " + path.substr(0, slash) + ": " + r.error().message();

    std::unique_ptr<Server> server(new Server(io, path, policy, std::move(handler)));
    boost::system::error_code ec;
    struct stat st{};
    if (::lstat(path.c_str(), &st) == 0) {
        if (!S_ISSOCK(st.st_mode)) return fail("bind", EEXIST) + " (not a socket; refusing to replace it)";
        stream::socket probe(io);
        probe.connect(stream::endpoint(path), ec);
        if (!ec) return "cannot bind " + path + ": another supervisord is listening there";
        ::unlink(path.c_str());  // stale: its daemon is gone
    }
    server->acceptor_.open(stream(), ec);
    if (ec) return fail("open socket for", ec.value());
    // Bind under a temporary name and rename it into place once listening: a client never finds
    // a socket file that refuses connections (the window between bind and listen).
    std::string staging = path + ".new";
    if (staging.size() >= sizeof(sockaddr_un::sun_path)) staging = path;
    ::unlink(staging.c_str());
    // Bind under a tight umask so that the socket is never briefly wider than `mode`.
    const mode_t old = ::umask(0177);
    server->acceptor_.bind(stream::endpoint(staging), ec);
    ::umask(old);
    if (ec) return fail("bind", ec.value());
    if (policy.group && ::chown(staging.c_str(), static_cast<uid_t>(-1), *policy.group) != 0)
        return fail("chown", errno);
    if (::chmod(staging.c_str(), static_cast<mode_t>(mode)) != 0) return fail("chmod", errno);
    server->acceptor_.listen(asio::socket_base::max_listen_connections, ec);
    if (ec) return fail("listen on", ec.value());
    if (staging != path && ::rename(staging.c_str(), path.c_str()) != 0) {
        ::unlink(staging.c_str());
        return fail("rename the socket to", errno);
    }
    server->bound_ = true;
    server->accept();
    return server;
}

void Server::accept() {
    acceptor_.async_accept([this](boost::system::error_code ec, stream::socket socket) {
        if (ec == asio::error::operation_aborted || closed_) return;
        if (!ec) {
            ucred cred{};
            socklen_t len = sizeof cred;
            // socket(7) SO_PEERCRED: the credentials the peer had when it connected.
            const bool known = ::getsockopt(socket.native_handle(), SOL_SOCKET, SO_PEERCRED, &cred, &len) == 0;
            auto session = std::make_shared<Session>(std::move(socket), handler_);
            if (!known) {
                session->refuse("cannot read the peer's credentials; refusing");
            } else if (!peer_allowed(policy_, cred.uid, cred.gid, supplementary_groups(cred.pid))) {
                session->refuse("uid " + std::to_string(cred.uid) + " may not use this socket");
            } else {
                session->start();
            }
        }
        accept();
    });
}

void Server::close() {
    if (closed_) return;
    closed_ = true;
    boost::system::error_code ec;
    acceptor_.close(ec);
    if (bound_) ::unlink(path_.c_str());  // only our own socket file, never one we failed to take over
}

}  // namespace vj::control
