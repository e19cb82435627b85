// The worker loop: stop signals, watched fds, timers, heartbeat, status file and sd_notify.
#include "sdk/worker.hpp"

#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

namespace vj::sdk {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

struct TempDir {
    fs::path path = fs::temp_directory_path() / ("vj-worker-test-" + std::to_string(::getpid()));
    TempDir() { fs::create_directories(path); }
    ~TempDir() { fs::remove_all(path); }
};

Worker make(CommonOptions options = {}) {
    auto w = Worker::create("test-worker", options);
    EXPECT_TRUE(w);
    return std::move(*w);
}

TEST(Worker, UnknownLogLevelIsRefused) {
    CommonOptions o;
    o.log_level = "loud";
    EXPECT_FALSE(Worker::create("test-worker", o));
}

TEST(Worker, SigtermEndsTheLoopWithinOneTurn) {
    Worker w = make();
    int turns = 0;
    w.every(5ms, [&] {
        if (++turns == 3) ::kill(::getpid(), SIGTERM);   // blocked: it arrives through the signalfd
    });
    const auto start = std::chrono::steady_clock::now();
    EXPECT_EQ(w.run(), 0);
    EXPECT_TRUE(w.stopping());
    EXPECT_EQ(turns, 3);
    EXPECT_LT(std::chrono::steady_clock::now() - start, 1s);
}

TEST(Worker, SigintToo) {
    Worker w = make();
    ::kill(::getpid(), SIGINT);
    EXPECT_FALSE(w.tick(1s));
}

TEST(Worker, WatchedFdCallsBackAndMayUnwatchItself) {
    Worker w = make();
    int p[2];
    ASSERT_EQ(::pipe(p), 0);
    int calls = 0;
    w.watch(p[0], [&] {
        char c;
        ASSERT_EQ(::read(p[0], &c, 1), 1);
        ++calls;
        w.unwatch(p[0]);
    });
    ASSERT_EQ(::write(p[1], "xy", 2), 2);
    EXPECT_TRUE(w.tick(1s));
    EXPECT_TRUE(w.tick(10ms));   // unwatched: the second byte is not read
    EXPECT_EQ(calls, 1);
    ::close(p[0]);
    ::close(p[1]);
}

TEST(Worker, TimersKeepTheirSchedule) {
    Worker w = make();
    int ticks = 0;
    w.every(10ms, [&] { ++ticks; });
    const auto start = std::chrono::steady_clock::now();
    while (std::chrono::steady_clock::now() < start + 200ms) w.tick(50ms);
    // One run per elapsed period at most; a loaded machine may skip some, never run extra ones.
    EXPECT_LE(ticks, (std::chrono::steady_clock::now() - start) / 10ms);
    EXPECT_GE(ticks, 5);
}

TEST(Worker, TouchesTheHeartbeatAndWritesTheStatusFileAlsoOnTheWayOut) {
    TempDir d;
    CommonOptions o;
    o.heartbeat = (d.path / "hb").string();
    o.status = (d.path / "status.json").string();
    Worker w = make(o);
    int n = 0;
    w.on_status([&] { return nlohmann::json{{"n", ++n}}; });
    EXPECT_TRUE(w.tick());
    EXPECT_TRUE(fs::exists(o.heartbeat));
    ASSERT_TRUE(fs::exists(o.status));
    w.stop();
    EXPECT_FALSE(w.tick());
    std::ifstream in(o.status);
    EXPECT_EQ(nlohmann::json::parse(in)["n"], n);
    EXPECT_GE(n, 2);
}

// A notification socket like supervisord's: datagrams on a unix socket named by $NOTIFY_SOCKET.
struct NotifySocket {
    TempDir dir;
    int fd = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    NotifySocket() {
        sockaddr_un a{};
        a.sun_family = AF_UNIX;
        const std::string path = (dir.path / "notify").string();
        std::snprintf(a.sun_path, sizeof a.sun_path, "%s", path.c_str());
        EXPECT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
        ::setenv("NOTIFY_SOCKET", path.c_str(), 1);
        ::setenv("WATCHDOG_USEC", "100000", 1);
    }
    ~NotifySocket() {
        ::unsetenv("NOTIFY_SOCKET");
        ::unsetenv("WATCHDOG_USEC");
        ::close(fd);
    }
    std::string receive() {
        timeval tv{2, 0};
        ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
        char buf[512];
        const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
        return n > 0 ? std::string(buf, static_cast<std::size_t>(n)) : "";
    }
};

TEST(Worker, NotifiesReadyStatusAndWatchdog) {
    NotifySocket s;
    Worker w = make();
    w.ready("listening");
    EXPECT_EQ(s.receive(), "READY=1\nSTATUS=listening");
    w.status("120 BPM");
    EXPECT_EQ(s.receive(), "STATUS=120 BPM");
    EXPECT_TRUE(w.tick());   // the first turn pings the watchdog (half of WATCHDOG_USEC apart)
    EXPECT_EQ(s.receive(), "WATCHDOG=1");
    w.stop();
    w.tick();
    EXPECT_EQ(s.receive(), "STOPPING=1");
}

TEST(Worker, NotificationsAreNoOpsWithoutASocket) {
    ::unsetenv("NOTIFY_SOCKET");
    Worker w = make();
    w.ready();   // nothing to check but that it neither fails nor blocks
    EXPECT_TRUE(w.tick());
}

}  // namespace
}  // namespace vj::sdk
