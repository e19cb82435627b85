// NotifySocket with a real socket in a temp dir: the real systemd-notify(1) as a sender, and
// hand-made datagrams for passed fds, bad and oversized messages.
#include <gtest/gtest.h>
#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <set>

#include <boost/asio/executor_work_guard.hpp>

#include "os/unique_fd.hpp"
#include "runtime/notify_socket.hpp"

namespace vj::runtime {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

constexpr const char* systemd_notify = "/usr/bin/systemd-notify";

std::set<int> open_fds() {
    std::set<int> fds;
    for (const auto& e : fs::directory_iterator("/proc/self/fd")) fds.insert(std::stoi(e.path().filename()));
    return fds;
}

struct Received {
    core::NotifyMessage message;
    std::optional<pid_t> sender;
};

class NotifySocketTest : public ::testing::Test {
protected:
    NotifySocketTest() : dir_(fs::temp_directory_path() / ("vj-notify-test-" + std::to_string(::getpid()))) {
        fs::create_directories(dir_);
    }
    ~NotifySocketTest() override {
        socket_.reset();
        fs::remove_all(dir_);
    }

    std::unique_ptr<NotifySocket> open_at(const std::string& path, std::optional<uid_t> owner = std::nullopt,
                                          std::optional<gid_t> group = std::nullopt) {
        auto r = NotifySocket::open(
            io_, path, owner, group,
            [this](const core::NotifyMessage& m, std::optional<pid_t> sender) {
                received_.push_back({m, sender});
            },
            [this](std::string what) { bad_.push_back(std::move(what)); });
        EXPECT_TRUE(r.has_value()) << (r ? "" : r.error());
        return r ? std::move(*r) : nullptr;
    }
    std::string path() const { return (dir_ / "web.sock").string(); }

    template <typename Pred>
    bool run_until(Pred done, std::chrono::milliseconds limit = 5s) {
        const auto deadline = std::chrono::steady_clock::now() + limit;
        while (!done()) {
            if (std::chrono::steady_clock::now() >= deadline) return false;
            io_.run_one_for(10ms);
        }
        return true;
    }

    /// Runs systemd-notify ARGS with NOTIFY_SOCKET set, serving the socket until it exits (it waits
    /// for its barrier: the fd it passes must be closed). Returns its pid and wait status.
    std::pair<pid_t, int> notify(std::vector<std::string> args) {
        std::vector<std::string> strings{systemd_notify};
        strings.insert(strings.end(), args.begin(), args.end());
        std::vector<char*> argv;
        for (auto& s : strings) argv.push_back(s.data());
        argv.push_back(nullptr);
        std::string env_socket = "NOTIFY_SOCKET=" + path();
        std::string env_path = "PATH=/usr/bin:/bin";
        char* envp[] = {env_socket.data(), env_path.data(), nullptr};
        pid_t pid = -1;
        EXPECT_EQ(::posix_spawn(&pid, systemd_notify, nullptr, nullptr, argv.data(), envp), 0);
        int status = -1;
        const bool exited = run_until([&] { return ::waitpid(pid, &status, WNOHANG) == pid; }, 10s);
        EXPECT_TRUE(exited) << "systemd-notify did not finish";
        if (!exited) {
            ::kill(pid, SIGKILL);
            ::waitpid(pid, &status, 0);
        }
        return {pid, status};
    }

    /// Sends `data` to the socket, with `fd` attached (SCM_RIGHTS) unless it is -1.
    void send(std::string_view data, int fd = -1) {
        os::UniqueFd s(::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0));
        ASSERT_TRUE(s);
        sockaddr_un addr{};
        addr.sun_family = AF_UNIX;
        std::strcpy(addr.sun_path, path().c_str());
        iovec iov{const_cast<char*>(data.data()), data.size()};
        msghdr msg{};
        msg.msg_name = &addr;
        msg.msg_namelen = sizeof addr;
        msg.msg_iov = &iov;
        msg.msg_iovlen = 1;
        alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int))] = {};
        if (fd >= 0) {
            msg.msg_control = control;
            msg.msg_controllen = sizeof control;
            cmsghdr* c = CMSG_FIRSTHDR(&msg);
            c->cmsg_level = SOL_SOCKET;
            c->cmsg_type = SCM_RIGHTS;
            c->cmsg_len = CMSG_LEN(sizeof(int));
            std::memcpy(CMSG_DATA(c), &fd, sizeof fd);
        }
        ASSERT_EQ(::sendmsg(s.get(), &msg, 0), static_cast<ssize_t>(data.size())) << std::strerror(errno);
    }

    void skip_without_systemd_notify() {
        if (::access(systemd_notify, X_OK) != 0) GTEST_SKIP() << systemd_notify << " is not installed";
    }

    fs::path dir_;
    boost::asio::io_context io_;
    boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_ = boost::asio::make_work_guard(io_);
    std::unique_ptr<NotifySocket> socket_;
    std::vector<Received> received_;
    std::vector<std::string> bad_;
};

/// The first received message with `pred`, or null.
template <typename Pred>
const Received* find(const std::vector<Received>& all, Pred pred) {
    for (const auto& r : all)
        if (pred(r.message)) return &r;
    return nullptr;
}

TEST_F(NotifySocketTest, SystemdNotifyReady) {
    skip_without_systemd_notify();
    socket_ = open_at(path());
    ASSERT_TRUE(socket_);
    const auto t0 = std::chrono::steady_clock::now();
    const auto [pid, status] = notify({"--ready"});
    // It exits 0 only once its barrier (BARRIER=1 with a pipe fd) was answered by closing that fd;
    // a leaked fd would hold it for its 5 s barrier timeout and fail it.
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
    EXPECT_LT(std::chrono::steady_clock::now() - t0, 3s);
    const auto* ready = find(received_, [](const core::NotifyMessage& m) { return m.ready; });
    ASSERT_NE(ready, nullptr);
    // systemd-notify speaks for its parent (sd_pid_notify(getppid())); without the privilege to do
    // so, the kernel stamps its own pid.
    ASSERT_TRUE(ready->sender.has_value());
    EXPECT_TRUE(*ready->sender == ::getpid() || *ready->sender == pid) << *ready->sender;
    EXPECT_TRUE(bad_.empty()) << bad_.front();
}

TEST_F(NotifySocketTest, SystemdNotifyStatus) {
    skip_without_systemd_notify();
    socket_ = open_at(path());
    ASSERT_TRUE(socket_);
    notify({"--status=Loading 50%"});
    const auto* r = find(received_, [](const core::NotifyMessage& m) { return m.status.has_value(); });
    ASSERT_NE(r, nullptr);
    EXPECT_EQ(r->message.status, "Loading 50%");
    EXPECT_FALSE(r->message.ready);
}

TEST_F(NotifySocketTest, SystemdNotifyWatchdog) {
    skip_without_systemd_notify();
    socket_ = open_at(path());
    ASSERT_TRUE(socket_);
    notify({"WATCHDOG=1"});
    EXPECT_NE(find(received_, [](const core::NotifyMessage& m) { return m.watchdog; }), nullptr);
}

TEST_F(NotifySocketTest, SystemdNotifyMainPid) {
    skip_without_systemd_notify();
    socket_ = open_at(path());
    ASSERT_TRUE(socket_);
    notify({"--pid=1234", "--ready"});
    const auto* r = find(received_, [](const core::NotifyMessage& m) { return m.main_pid.has_value(); });
    ASSERT_NE(r, nullptr);
    EXPECT_EQ(r->message.main_pid, 1234);
    EXPECT_TRUE(r->message.ready);
    EXPECT_TRUE(r->sender.has_value());
}

TEST_F(NotifySocketTest, HandMadeDatagramCarriesTheSenderPid) {
    socket_ = open_at(path());
    ASSERT_TRUE(socket_);
    send("READY=1\nSTATUS=up\n");
    ASSERT_TRUE(run_until([&] { return !received_.empty(); }));
    EXPECT_TRUE(received_[0].message.ready);
    EXPECT_EQ(received_[0].message.status, "up");
    EXPECT_EQ(received_[0].sender, ::getpid());
}

TEST_F(NotifySocketTest, PassedFdsAreClosed) {
    socket_ = open_at(path());
    ASSERT_TRUE(socket_);
    io_.poll();  // Asio's own fds exist from here on
    const auto before = open_fds();
    int fds[2];
    ASSERT_EQ(::pipe2(fds, O_CLOEXEC), 0);
    os::UniqueFd read_end(fds[0]);
    {
        os::UniqueFd write_end(fds[1]);
        send("FDSTORE=1\nREADY=1", write_end.get());
    }
    ASSERT_TRUE(run_until([&] { return !received_.empty(); }));
    EXPECT_TRUE(received_[0].message.ready);
    EXPECT_EQ(received_[0].message.unknown, std::vector<std::string>{"FDSTORE"});
    // Our copy of the write end is closed; EOF means the socket closed the one it received.
    pollfd p{read_end.get(), POLLIN, 0};
    EXPECT_EQ(::poll(&p, 1, 1000), 1);
    EXPECT_TRUE(p.revents & POLLHUP);
    read_end.reset();
    EXPECT_EQ(open_fds(), before);
}

TEST_F(NotifySocketTest, BadDatagramIsReportedAndTheSocketKeepsWorking) {
    socket_ = open_at(path());
    ASSERT_TRUE(socket_);
    send("hello");
    send("MAINPID=abc");
    send("");
    send("READY=1");
    ASSERT_TRUE(run_until([&] { return !received_.empty(); }));
    const std::string from = " from pid " + std::to_string(::getpid());
    ASSERT_EQ(bad_.size(), 3u);
    EXPECT_EQ(bad_[0],
              "notify socket " + path() + ": ignored a datagram" + from + ": not a KEY=VALUE assignment: 'hello'");
    EXPECT_EQ(bad_[1], "notify socket " + path() + ": ignored a datagram" + from +
                           ": MAINPID is not a process id: 'MAINPID=abc'");
    EXPECT_EQ(bad_[2], "notify socket " + path() + ": ignored a datagram" + from + ": empty datagram");
    EXPECT_TRUE(received_[0].message.ready);
}

TEST_F(NotifySocketTest, OversizedDatagramIsReportedAndTheSocketKeepsWorking) {
    socket_ = open_at(path());
    ASSERT_TRUE(socket_);
    send("STATUS=" + std::string(5000, 'x'));
    send("READY=1");
    ASSERT_TRUE(run_until([&] { return !received_.empty(); }));
    ASSERT_EQ(bad_.size(), 1u);
    EXPECT_EQ(bad_[0], "notify socket " + path() + ": ignored a datagram of 5007 bytes from pid " +
                           std::to_string(::getpid()) + " (the limit is 4096)");
    EXPECT_TRUE(received_[0].message.ready);
}

TEST_F(NotifySocketTest, HandlerMayDestroyTheSocket) {
    auto r = NotifySocket::open(
        io_, path(), std::nullopt, std::nullopt,
        [this](const core::NotifyMessage& m, std::optional<pid_t> sender) {
            received_.push_back({m, sender});
            socket_.reset();
        },
        [](std::string) {});
    ASSERT_TRUE(r);
    socket_ = std::move(*r);
    send("READY=1");
    send("STATUS=after");
    ASSERT_TRUE(run_until([&] { return !received_.empty(); }));
    io_.poll();
    EXPECT_EQ(received_.size(), 1u);
    EXPECT_FALSE(fs::exists(path()));
}

TEST_F(NotifySocketTest, PathTooLongIsAnError) {
    const std::string long_path = "/tmp/" + std::string(200, 'n') + ".sock";
    auto r = NotifySocket::open(
        io_, long_path, std::nullopt, std::nullopt, [](auto&, auto) {}, [](std::string) {});
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error(), "cannot bind notify socket " + long_path + ": the path must be 1 to 107 bytes long");
}

TEST_F(NotifySocketTest, StaleSocketIsReplacedButAnotherFileIsNot) {
    {
        // A socket file left behind (a crashed supervisor): bound, closed, never unlinked.
        os::UniqueFd s(::socket(AF_UNIX, SOCK_DGRAM, 0));
        sockaddr_un addr{};
        addr.sun_family = AF_UNIX;
        std::strcpy(addr.sun_path, path().c_str());
        ASSERT_EQ(::bind(s.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    }
    ASSERT_TRUE(fs::is_socket(path()));
    socket_ = open_at(path());
    ASSERT_TRUE(socket_);
    send("READY=1");
    EXPECT_TRUE(run_until([&] { return !received_.empty(); }));

    const std::string file = (dir_ / "data").string();
    std::ofstream(file) << "precious";
    auto r = NotifySocket::open(
        io_, file, std::nullopt, std::nullopt, [](auto&, auto) {}, [](std::string) {});
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error(), "cannot bind notify socket " + file + ": a file that is not a socket is in the way");
    EXPECT_TRUE(fs::is_regular_file(file));
}

TEST_F(NotifySocketTest, ModeOwnerAndCloseOnExec) {
    io_.poll();
    const auto before = open_fds();
    const uid_t owner = ::geteuid() == 0 ? 65534 : ::geteuid();
    const gid_t group = ::geteuid() == 0 ? 65534 : ::getegid();
    socket_ = open_at(path(), owner, group);
    ASSERT_TRUE(socket_);
    struct stat st{};
    ASSERT_EQ(::stat(path().c_str(), &st), 0);
    EXPECT_TRUE(S_ISSOCK(st.st_mode));
    EXPECT_EQ(st.st_mode & 07777, 0600u);
    EXPECT_EQ(st.st_uid, owner);
    EXPECT_EQ(st.st_gid, group);
    for (int fd : open_fds()) {
        if (before.count(fd)) continue;
        const int flags = ::fcntl(fd, F_GETFD);
        if (flags < 0) continue;  // the directory_iterator's own fd, closed by now
        EXPECT_TRUE(flags & FD_CLOEXEC) << "fd " << fd;
    }
}

TEST_F(NotifySocketTest, DestructorUnlinksOnlyItsOwnFile) {
    socket_ = open_at(path());
    ASSERT_TRUE(socket_);
    socket_.reset();
    EXPECT_FALSE(fs::exists(path()));

    socket_ = open_at(path());
    ASSERT_TRUE(socket_);
    // Someone else binds the path meanwhile (a new socket for a restarted instance).
    ASSERT_EQ(::unlink(path().c_str()), 0);
    auto other = open_at(path());
    ASSERT_TRUE(other);
    socket_.reset();
    EXPECT_TRUE(fs::is_socket(path()));
    other.reset();
    EXPECT_FALSE(fs::exists(path()));
}

}  // namespace
}  // namespace vj::runtime
