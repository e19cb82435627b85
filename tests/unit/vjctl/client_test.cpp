// Tests the socket client's framing and failure messages against an in-process peer on a temp socket.
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <sstream>
#include <thread>

#include <gtest/gtest.h>

#include "client.hpp"
#include "commands.hpp"
#include "exit_code.hpp"

namespace vj::vjctl {
namespace {

using nlohmann::json;
using std::chrono::milliseconds;

/// A listening UNIX socket in a fresh temp directory; one scripted connection per `serve`.
class Peer {
public:
    Peer() {
        char dir_template[] = "/tmp/vjctl-client-test-XXXXXX";
        dir_ = ::mkdtemp(dir_template);
        path_ = dir_ + "/s.sock";
        fd_ = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_un address{};
        address.sun_family = AF_UNIX;
        std::strcpy(address.sun_path, path_.c_str());
        EXPECT_EQ(::bind(fd_, reinterpret_cast<const sockaddr*>(&address), sizeof(address)), 0);
    }
    ~Peer() {
        join();
        ::close(fd_);
        std::filesystem::remove_all(dir_);
    }
    const std::string& path() const { return path_; }
    std::string dir() const { return dir_; }

    /// Waits until the scripted connection is over; `request` is complete afterwards.
    void join() {
        if (thread_.joinable()) {
            thread_.join();
        }
    }

    void listen() { ASSERT_EQ(::listen(fd_, 1), 0); }

    /// Accepts one connection, reads the request line into `request`, writes `answer` in pieces
    /// of `chunk` bytes, then waits for the client to hang up when `hold` (or closes at once).
    void serve(std::string answer, std::size_t chunk = 1 << 20, bool hold = false) {
        listen();
        thread_ = std::thread([this, answer = std::move(answer), chunk, hold] {
            const int conn = ::accept(fd_, nullptr, nullptr);
            char c;
            while (::read(conn, &c, 1) == 1 && c != '\n') {
                request += c;
            }
            for (std::size_t at = 0; at < answer.size(); at += chunk) {
                const auto piece = answer.substr(at, chunk);
                EXPECT_EQ(::write(conn, piece.data(), piece.size()), static_cast<ssize_t>(piece.size()));
            }
            if (hold) {
                while (::read(conn, &c, 1) > 0) {
                }
            }
            ::close(conn);
        });
    }

    std::string request;

private:
    std::string dir_;
    std::string path_;
    int fd_ = -1;
    std::thread thread_;
};

const control::Request status_request{1, "status", json::object()};

TEST(Client, SendsOneLineAndReturnsTheReplyWithItsId) {
    Peer peer;
    peer.serve("{\"id\":1,\"ok\":true,\"result\":{\"services\":[]}}\n", 7);
    const auto reply = call(peer.path(), status_request, milliseconds(10'000));
    ASSERT_TRUE(reply.has_value()) << reply.error().message;
    EXPECT_EQ(*reply, (control::Reply{1, json{{"services", json::array()}}}));
}

TEST(Client, TheRequestIsTheEncodedLine) {
    Peer peer;
    peer.serve("{\"id\":1,\"ok\":true,\"result\":{}}\n");
    ASSERT_TRUE(call(peer.path(), status_request, milliseconds(10'000)).has_value());
    peer.join();
    EXPECT_EQ(peer.request, control::encode(status_request));
}

TEST(Client, SkipsEventsAndOtherIds) {
    Peer peer;
    peer.serve("{\"id\":1,\"event\":{\"line\":\"x\"}}\n{\"id\":9,\"ok\":true,\"result\":1}\n"
               "{\"id\":1,\"ok\":true,\"result\":2}\n",
               5);
    const auto reply = call(peer.path(), status_request, milliseconds(10'000));
    ASSERT_TRUE(reply.has_value()) << reply.error().message;
    EXPECT_EQ(*reply, (control::Reply{1, json(2)}));
}

TEST(Client, AcceptsAnErrorWithIdZero) {
    Peer peer;
    peer.serve("{\"id\":0,\"ok\":false,\"error\":{\"code\":\"permission_denied\",\"message\":\"no\"}}\n");
    const auto reply = call(peer.path(), status_request, milliseconds(10'000));
    ASSERT_TRUE(reply.has_value()) << reply.error().message;
    EXPECT_EQ(*reply, (control::Reply{0, control::Error{"permission_denied", "no"}}));
}

TEST(Client, ALastLineWithoutNewlineCounts) {
    Peer peer;
    peer.serve("{\"id\":1,\"ok\":true,\"result\":3}");
    const auto reply = call(peer.path(), status_request, milliseconds(10'000));
    ASSERT_TRUE(reply.has_value()) << reply.error().message;
    EXPECT_EQ(*reply, (control::Reply{1, json(3)}));
}

TEST(Client, ClosedWithoutAReply) {
    Peer peer;
    peer.serve("{\"id\":1,\"event\":{}}\n");
    const auto reply = call(peer.path(), status_request, milliseconds(10'000));
    ASSERT_TRUE(reply.has_error());
    EXPECT_EQ(reply.error().message, "connection to " + peer.path() + " closed without a reply");
}

TEST(Client, GarbageIsABadReply) {
    Peer peer;
    peer.serve("hello\n");
    const auto reply = call(peer.path(), status_request, milliseconds(10'000));
    ASSERT_TRUE(reply.has_error());
    EXPECT_EQ(reply.error().message, "bad reply from " + peer.path() + ": server line is not valid JSON (at byte 1)");
}

TEST(Client, GivesUpAfterTheReadTimeout) {
    Peer peer;
    peer.serve("", 1, true);
    const auto reply = call(peer.path(), status_request, milliseconds(20));
    ASSERT_TRUE(reply.has_error());
    EXPECT_EQ(reply.error().message, "no reply from " + peer.path() + " within 20ms");
}

TEST(Client, NoSocketFile) {
    Peer peer;
    const auto missing = peer.dir() + "/missing.sock";
    const auto reply = call(missing, status_request, milliseconds(10'000));
    ASSERT_TRUE(reply.has_error());
    EXPECT_EQ(reply.error().message,
              "cannot connect to " + missing + ": No such file or directory (is supervisord running?)");
}

TEST(Client, NobodyListening) {
    Peer peer;  // bound, never listening: connect(2) gives ECONNREFUSED
    const auto reply = call(peer.path(), status_request, milliseconds(10'000));
    ASSERT_TRUE(reply.has_error());
    EXPECT_EQ(reply.error().message,
              "cannot connect to " + peer.path() + ": Connection refused (is supervisord running?)");
}

TEST(Client, PathTooLong) {
    const std::string path = "/tmp/" + std::string(200, 'x');
    const auto reply = call(path, status_request, milliseconds(10'000));
    ASSERT_TRUE(reply.has_error());
    EXPECT_EQ(reply.error().message, "cannot connect to " + path + ": File name too long");
}

TEST(Client, AStatusOfTenThousandServicesArrivesWhole) {
    json services = json::array();
    for (int i = 1; i <= 10'000; ++i) {
        char name[16];
        std::snprintf(name, sizeof name, "x%05d", i);
        services.push_back({{"name", name}, {"service", name}, {"state", "running"}, {"pid", 1000 + i},
                            {"uptime_s", 46.22}, {"message", i == 5'000 ? "caf\u00e9 \"x\"" : ""}});
    }
    const json result{{"jobs", json::array()}, {"services", services}};
    Peer peer;
    // In uneven pieces, so that lines and reads do not line up.
    peer.serve(control::encode(control::Reply{1, result}) + "\n", 65'536 * 3 + 7);
    const auto reply = call(peer.path(), status_request, milliseconds(10'000));
    ASSERT_TRUE(reply.has_value()) << reply.error().message;
    ASSERT_TRUE(std::holds_alternative<ReceivedResult>(reply->body));
    const auto& received = std::get<ReceivedResult>(reply->body);
    ASSERT_EQ(received.statuses().size(), 10'000u);
    EXPECT_EQ(received.statuses()[4'999].name, "x05000");
    EXPECT_EQ(received.statuses()[4'999].message, "caf\u00e9 \"x\"");
    EXPECT_EQ(received.statuses().back().pid, 11'000);
    EXPECT_EQ(received.json_text(), result.dump());
}

TEST(Client, AStatusReplyCutShortIsABadReplyAndExitsThree) {
    // The daemon died while writing: the connection closes in the middle of the line.
    const std::string cut = R"({"id":1,"ok":true,"result":{"services":[{"name":"web","state":"runn)";
    Peer peer;
    peer.serve(cut);
    const Transport transport = [&peer](const control::Request& request, milliseconds timeout) {
        return call(peer.path(), request, timeout);
    };
    Invocation inv;
    inv.command = Command::status;
    std::ostringstream out;
    std::ostringstream err;
    EXPECT_EQ(run_daemon_command(inv, transport, {}, out, err), exit_code::unreachable);
    // The wire protocol's own message, as for any line that is not JSON.
    const auto why = std::get<control::Error>(control::decode_server_line(cut)).message;
    EXPECT_EQ(why.rfind("server line is not valid JSON (at byte ", 0), 0u) << why;
    EXPECT_EQ(err.str(), "vjctl: error: bad reply from " + peer.path() + ": " + why + "\n");
    EXPECT_EQ(out.str(), "");
}

}  // namespace
}  // namespace vj::vjctl
