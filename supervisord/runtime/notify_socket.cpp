// The sd_notify socket: bind, credentials, recvmsg(2) with SCM_CREDENTIALS, and dropping passed fds.
#include "runtime/notify_socket.hpp"

#include <fcntl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>

#include <fmt/format.h>

#include "os/unique_fd.hpp"

namespace vj::runtime {
namespace {

std::string failure(std::string_view action, const std::string& path, int err) {
    return fmt::format("cannot {} notify socket {}: {}", action, path, std::strerror(err));
}

/// Closes every fd passed in the control messages (SCM_RIGHTS). FDSTORE is not supported, and
/// sd_notify_barrier(3) passes a pipe whose closing is the answer it waits for.
void close_passed_fds(msghdr& msg) {
    for (cmsghdr* c = CMSG_FIRSTHDR(&msg); c != nullptr; c = CMSG_NXTHDR(&msg, c)) {
        if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS) continue;
        const std::size_t n = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
        for (std::size_t i = 0; i < n; ++i) {
            int fd;
            std::memcpy(&fd, CMSG_DATA(c) + i * sizeof(int), sizeof fd);  // CMSG_DATA may be unaligned
            ::close(fd);
        }
    }
}

std::optional<pid_t> sender_of(msghdr& msg) {
    for (cmsghdr* c = CMSG_FIRSTHDR(&msg); c != nullptr; c = CMSG_NXTHDR(&msg, c)) {
        if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_CREDENTIALS && c->cmsg_len >= CMSG_LEN(sizeof(ucred))) {
            ucred cred;
            std::memcpy(&cred, CMSG_DATA(c), sizeof cred);
            if (cred.pid > 0) return cred.pid;
        }
    }
    return std::nullopt;
}

std::string describe_sender(std::optional<pid_t> pid) {
    return pid ? fmt::format(" from pid {}", *pid) : std::string();
}

}  // namespace

boost::system::result<std::unique_ptr<NotifySocket>, std::string> NotifySocket::open(
    boost::asio::io_context& io, std::string path, std::optional<uid_t> owner, std::optional<gid_t> group,
    Handler handler, BadDatagram on_bad_datagram) {
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    if (path.empty() || path.size() >= sizeof addr.sun_path)
        return fmt::format("cannot bind notify socket {}: the path must be 1 to {} bytes long", path,
                           sizeof addr.sun_path - 1);
    std::memcpy(addr.sun_path, path.c_str(), path.size() + 1);

    // A socket file left by an earlier supervisor (crash, kill -9) would make bind fail with EADDRINUSE.
    // Only a socket is removed: a regular file at this path is somebody's data.
    struct stat st{};
    if (::lstat(path.c_str(), &st) == 0) {
        if (!S_ISSOCK(st.st_mode))
            return fmt::format("cannot bind notify socket {}: a file that is not a socket is in the way", path);
        if (::unlink(path.c_str()) != 0 && errno != ENOENT) return failure("remove stale", path, errno);
    }

    os::UniqueFd fd(::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0));
    if (!fd) return failure("create", path, errno);
    const int on = 1;
    if (::setsockopt(fd.get(), SOL_SOCKET, SO_PASSCRED, &on, sizeof on) != 0)
        return failure("set SO_PASSCRED on", path, errno);
    if (::bind(fd.get(), reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0)
        return failure("bind", path, errno);
    // From here on the file is ours: remove it again on every failure.
    const auto fail = [&](std::string_view action) {
        const int err = errno;
        ::unlink(path.c_str());
        return failure(action, path, err);
    };
    // bind(2) created the file with 0777 & ~umask; connecting to a datagram socket needs write
    // permission on it, so between bind and chmod anyone the umask allowed could send. The directory
    // (the supervisor's runtime dir) is what keeps strangers out for that instant.
    if (::chmod(path.c_str(), 0600) != 0) return fail("chmod");
    if ((owner || group) &&
        ::chown(path.c_str(), owner.value_or(static_cast<uid_t>(-1)), group.value_or(static_cast<gid_t>(-1))) != 0)
        return fail("chown");
    if (::stat(path.c_str(), &st) != 0) return fail("stat");

    auto socket = std::unique_ptr<NotifySocket>(new NotifySocket(
        io, fd.release(), std::move(path), st.st_dev, st.st_ino, std::move(handler), std::move(on_bad_datagram)));
    socket->wait();
    return socket;
}

NotifySocket::NotifySocket(boost::asio::io_context& io, int fd, std::string path, dev_t dev, ino_t ino, Handler handler,
                           BadDatagram on_bad_datagram)
    : socket_(io, fd),
      path_(std::move(path)),
      dev_(dev),
      ino_(ino),
      handler_(std::move(handler)),
      on_bad_datagram_(std::move(on_bad_datagram)) {}

NotifySocket::~NotifySocket() {
    *alive_ = false;
    boost::system::error_code ec;
    socket_.close(ec);
    // A new socket for the same instance may already have replaced ours at this path: leave it.
    struct stat st{};
    if (::lstat(path_.c_str(), &st) == 0 && st.st_dev == dev_ && st.st_ino == ino_) ::unlink(path_.c_str());
}

void NotifySocket::wait() {
    // A completed wait may already be queued when we are destroyed: the handler checks `alive`
    // before it touches us (closing the descriptor aborts only waits still pending).
    socket_.async_wait(boost::asio::posix::stream_descriptor::wait_read,
                       [this, alive = alive_](boost::system::error_code ec) {
                           if (ec || !*alive) return;  // operation_aborted: closed
                           drain();
                       });
}

void NotifySocket::drain() {
    const std::shared_ptr<bool> alive = alive_;
    std::array<char, max_datagram> buffer;
    // Room for the credentials and for as many fds as one message can carry (SCM_MAX_FD is 253):
    // the kernel closes what does not fit, so nothing can leak past this buffer.
    alignas(cmsghdr) std::array<char, CMSG_SPACE(sizeof(ucred)) + CMSG_SPACE(253 * sizeof(int))> control;
    // A bounded batch per wake-up, so that a flood of datagrams cannot starve the event loop.
    for (int batch = 0; batch < 64; ++batch) {
        iovec iov{buffer.data(), buffer.size()};
        msghdr msg{};
        msg.msg_iov = &iov;
        msg.msg_iovlen = 1;
        msg.msg_control = control.data();
        msg.msg_controllen = control.size();
        // MSG_CMSG_CLOEXEC: a passed fd must not reach a child spawned before we close it.
        const ssize_t n = ::recvmsg(socket_.native_handle(), &msg, MSG_DONTWAIT | MSG_TRUNC | MSG_CMSG_CLOEXEC);
        if (n < 0) {
            if (errno == EINTR) continue;
            if (errno != EAGAIN && errno != EWOULDBLOCK) {
                on_bad_datagram_(fmt::format("notify socket {}: cannot receive: {}", path_, std::strerror(errno)));
                if (!*alive) return;
            }
            break;
        }
        close_passed_fds(msg);
        const auto sender = sender_of(msg);
        // With MSG_TRUNC, recvmsg returns the datagram's real length.
        if ((msg.msg_flags & MSG_TRUNC) || static_cast<std::size_t>(n) > buffer.size()) {
            on_bad_datagram_(fmt::format("notify socket {}: ignored a datagram of {} bytes{} (the limit is {})", path_,
                                         n, describe_sender(sender), buffer.size()));
        } else {
            std::string error;
            if (auto m = core::parse_notify(std::string_view(buffer.data(), static_cast<std::size_t>(n)), error))
                handler_(*m, sender);
            else
                on_bad_datagram_(
                    fmt::format("notify socket {}: ignored a datagram{}: {}", path_, describe_sender(sender), error));
        }
        if (!*alive) return;  // a callback destroyed us
    }
    wait();
}

}  // namespace vj::runtime
