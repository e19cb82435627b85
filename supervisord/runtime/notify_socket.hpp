// One instance's sd_notify socket: an AF_UNIX datagram socket whose messages, with their sender's
// pid, are parsed and handed to the supervisor on the event loop.
#pragma once

#include <sys/types.h>

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/system/result.hpp>

#include "core/notify_message.hpp"

namespace vj::runtime {

class NotifySocket {
public:
    /// A parsed datagram and the pid of its sender (from SCM_CREDENTIALS; nullopt if the kernel
    /// sent none). Runs on the event loop; it may destroy the NotifySocket.
    using Handler = std::function<void(const core::NotifyMessage&, std::optional<pid_t> sender)>;
    /// A datagram that was dropped (truncated, unparsable), as one log line that starts with
    /// "notify socket PATH: ". Runs on the event loop; it may destroy the NotifySocket.
    using BadDatagram = std::function<void(std::string)>;

    /// Binds `path`: a stale socket file there is removed first; any other kind of file is left
    /// alone and is an error, as is a path longer than sun_path allows. The socket is close-on-exec
    /// (services get only the path, in NOTIFY_SOCKET), passes credentials (SO_PASSCRED), and its file
    /// is mode 0600, chowned to `owner`/`group` when given so that a service running as another user
    /// can send. Fails with a message "cannot … notify socket PATH: reason". Receiving starts at once.
    static boost::system::result<std::unique_ptr<NotifySocket>, std::string> open(
        boost::asio::io_context& io, std::string path, std::optional<uid_t> owner, std::optional<gid_t> group,
        Handler handler, BadDatagram on_bad_datagram);

    /// Closes the socket and unlinks its file (unless the path was since bound by someone else).
    ~NotifySocket();
    NotifySocket(const NotifySocket&) = delete;
    NotifySocket& operator=(const NotifySocket&) = delete;

    const std::string& path() const { return path_; }

    /// Largest datagram accepted; a longer one is dropped as truncated.
    static constexpr std::size_t max_datagram = 4096;

private:
    NotifySocket(boost::asio::io_context& io, int fd, std::string path, dev_t dev, ino_t ino, Handler handler,
                 BadDatagram on_bad_datagram);
    void wait();
    void drain();

    boost::asio::posix::stream_descriptor socket_;
    std::string path_;
    dev_t dev_;  ///< identity of the socket file we bound, so that we unlink only our own
    ino_t ino_;
    Handler handler_;
    BadDatagram on_bad_datagram_;
    std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);  ///< false once destroyed (see drain)
};

}  // namespace vj::runtime
