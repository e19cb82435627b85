// Tests `vjctl tail`: parsing, the requests sent, rendering, and following a scripted peer socket.
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <condition_variable>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <functional>
#include <mutex>
#include <sstream>
#include <streambuf>
#include <thread>

#include <gtest/gtest.h>

#include "cli.hpp"
#include "client.hpp"
#include "commands.hpp"
#include "exit_code.hpp"
#include "unit/vjctl/parse_helpers.hpp"
#include "interrupt.hpp"
#include "render.hpp"

namespace vj::vjctl {
namespace {

using nlohmann::json;
using std::chrono::milliseconds;

// ---------------------------------------------------------------------------------------------
// Parsing

using test_support::parse_ok;

int parse_status(const std::vector<std::string>& args) {
    auto parsed = parse_command_line(args);
    auto* early = std::get_if<EarlyExit>(&parsed);
    return early == nullptr ? -1 : early->status;
}

TEST(TailCommandLine, Defaults) {
    const auto inv = parse_ok({"tail", "web"});
    EXPECT_EQ(inv.command, Command::tail);
    EXPECT_EQ(inv.names, std::vector<std::string>{"web"});
    EXPECT_FALSE(inv.follow);
    EXPECT_EQ(inv.tail_lines, 10);
    EXPECT_FALSE(inv.stderr_stream);
}

TEST(TailCommandLine, EveryFlag) {
    const auto inv = parse_ok({"tail", "-f", "-n", "100", "--stderr", "api*", "web:0"});
    EXPECT_TRUE(inv.follow);
    EXPECT_EQ(inv.tail_lines, 100);
    EXPECT_TRUE(inv.stderr_stream);
    EXPECT_EQ(inv.names, (std::vector<std::string>{"api*", "web:0"}));
    EXPECT_EQ(parse_ok({"--json", "tail", "--follow", "--lines", "0", "web"}).tail_lines, 0);
    EXPECT_TRUE(parse_ok({"tail", "web", "--follow", "--json"}).global.json);
}

TEST(TailCommandLine, UsageErrorsExitTwo) {
    EXPECT_EQ(parse_status({"tail"}), exit_code::usage);
    EXPECT_EQ(parse_status({"tail", "-f"}), exit_code::usage);
    EXPECT_EQ(parse_status({"tail", "-n", "abc", "web"}), exit_code::usage);
    EXPECT_EQ(parse_status({"tail", "-n", "-1", "web"}), exit_code::usage);
    EXPECT_EQ(parse_status({"tail", "-n", "1.5", "web"}), exit_code::usage);
    EXPECT_EQ(parse_status({"tail", "-n", "1234567890", "web"}), exit_code::usage);
    EXPECT_EQ(parse_status({"tail", "-n"}), exit_code::usage);
    EXPECT_EQ(parse_status({"tail", "--bogus", "web"}), exit_code::usage);
}

TEST(TailCommandLine, IsASubcommand) {
    const auto names = subcommand_names();
    EXPECT_NE(std::find(names.begin(), names.end(), "tail"), names.end());
}

// ---------------------------------------------------------------------------------------------
// Rendering

json line_object(std::string name, std::string text, std::string stream = "stdout") {
    return {{"name", std::move(name)}, {"stream", std::move(stream)}, {"time", "2026-11-24T01:02:03.456Z"},
            {"line", std::move(text)}};
}

TEST(TailRender, OneInstanceIsBare) {
    const auto layout = tail_layout({"web"});
    EXPECT_EQ(layout, TailLayout{});
    EXPECT_EQ(render_tail_line(line_object("web", "hello world"), layout), "hello world\n");
    EXPECT_EQ(render_tail_line(line_object("web", ""), layout), "\n");
}

TEST(TailRender, SeveralArePrefixedAndAligned) {
    const auto layout = tail_layout({"web:0", "web:10", "db"});
    EXPECT_EQ(layout, (TailLayout{true, 6}));
    EXPECT_EQ(render_tail_line(line_object("web:0", "a"), layout), "web:0  | a\n");
    EXPECT_EQ(render_tail_line(line_object("web:10", "b"), layout), "web:10 | b\n");
    EXPECT_EQ(render_tail_line(line_object("db", "c | d"), layout), "db     | c | d\n");
    // A name the status did not list is not cut.
    EXPECT_EQ(render_tail_line(line_object("longer-name", "e"), layout), "longer-name | e\n");
}

TEST(TailRender, MistypedFieldsDoNotThrow) {
    const TailLayout layout{true, 3};
    EXPECT_EQ(render_tail_line(json{{"name", true}, {"line", 7}}, layout), "-   | \n");
    EXPECT_EQ(render_tail_line(json("x"), layout), "-   | \n");
    EXPECT_TRUE(tail_lines_of(json{{"lines", 1}}).empty());
    EXPECT_EQ(tail_lines_of(json{{"lines", {line_object("a", "b"), 3}}}).size(), 1u);
}

// ---------------------------------------------------------------------------------------------
// The command against fake transports

/// Answers plain requests from a script; a followed request gets a reply, then events.
struct FakeDaemon {
    explicit FakeDaemon(std::vector<CallResult> scripted) : replies(std::move(scripted)) {}

    std::vector<CallResult> replies;
    std::vector<control::Request> sent;
    std::optional<CallResult> follow_reply;  ///< the reply to the followed request
    std::vector<json> events;                ///< then these events
    FollowResult follow_end = FollowEnd::closed;
    std::optional<control::Request> followed;
    std::size_t events_taken = 0;  ///< how many events the handlers accepted before stopping

    Transport transport() {
        return [this](const control::Request& request, milliseconds) -> CallResult {
            sent.push_back(request);
            if (sent.size() > replies.size()) {
                ADD_FAILURE() << "unexpected request " << control::encode(request);
                return ClientError{"no more replies"};
            }
            return replies[sent.size() - 1];
        };
    }

    FollowTransport follow_transport() {
        return [this](const control::Request& request, milliseconds read_timeout,
                      const FollowHandlers& handlers) -> FollowResult {
            followed = request;
            EXPECT_EQ(read_timeout, quick_reply_timeout);
            if (!follow_reply) {
                ADD_FAILURE() << "unexpected follow " << control::encode(request);
                return ClientError{"no reply"};
            }
            if (follow_reply->has_error()) {
                return follow_reply->error();
            }
            if (!handlers.on_reply(**follow_reply)) {
                return FollowEnd::stopped;
            }
            for (const auto& event : events) {
                if (!handlers.on_event(event)) {
                    return FollowEnd::stopped;
                }
                ++events_taken;
            }
            return follow_end;
        };
    }
};

CallResult ok(json result) { return control::Reply{1, std::move(result)}; }
CallResult error(std::string code, std::string message) {
    return control::Reply{1, control::Error{std::move(code), std::move(message)}};
}

json status_of(const std::vector<std::string>& names) {
    json services = json::array();
    for (const auto& name : names) {
        services.push_back({{"name", name}, {"state", "running"}});
    }
    return {{"services", services}, {"jobs", json::array()}};
}

json lines_result(std::vector<json> lines) { return {{"lines", std::move(lines)}}; }

struct Run {
    int status;
    std::string out;
    std::string err;
};

Run run(const Invocation& inv, FakeDaemon& daemon, std::ostream* out_stream = nullptr) {
    std::ostringstream out;
    std::ostringstream err;
    auto& out_ref = out_stream != nullptr ? *out_stream : out;
    const int status = run_daemon_command(inv, daemon.transport(), daemon.follow_transport(), {}, out_ref, err);
    return {status, out.str(), err.str()};
}

TEST(TailCommand, RequestsWithoutFollow) {
    FakeDaemon daemon{
        {ok(status_of({"web"})), ok(lines_result({line_object("web", "one"), line_object("web", "two")}))}};
    const auto r = run(parse_ok({"tail", "web"}), daemon);
    EXPECT_EQ(r.status, exit_code::ok);
    EXPECT_EQ(r.out, "one\ntwo\n");
    EXPECT_EQ(r.err, "");
    ASSERT_EQ(daemon.sent.size(), 2u);
    EXPECT_EQ(daemon.sent[0], (control::Request{1, "status", {{"names", {"web"}}}}));
    EXPECT_EQ(control::encode(daemon.sent[1]),
              R"({"id":1,"cmd":"tail","args":{"follow":false,"lines":10,"names":["web"],"stream":"stdout"}})");
    EXPECT_FALSE(daemon.followed);
}

TEST(TailCommand, RequestsWithLinesAndStderr) {
    FakeDaemon daemon{{ok(status_of({"api-1", "api-2"})), ok(lines_result({}))}};
    const auto r = run(parse_ok({"tail", "-n", "100", "--stderr", "api*"}), daemon);
    EXPECT_EQ(r.status, exit_code::ok);
    EXPECT_EQ(r.out, "");
    ASSERT_EQ(daemon.sent.size(), 2u);
    EXPECT_EQ(daemon.sent[1].cmd, "tail");
    EXPECT_EQ(daemon.sent[1].args,
              (json{{"names", {"api*"}}, {"lines", 100}, {"follow", false}, {"stream", "stderr"}}));
}

TEST(TailCommand, RequestsWithFollow) {
    FakeDaemon daemon{{ok(status_of({"web"}))}};
    daemon.follow_reply = ok(lines_result({line_object("web", "old")}));
    daemon.events = {line_object("web", "new 1"), line_object("web", "new 2")};
    const auto r = run(parse_ok({"tail", "-f", "web"}), daemon);
    EXPECT_EQ(r.status, exit_code::ok);
    EXPECT_EQ(r.out, "old\nnew 1\nnew 2\n");
    ASSERT_EQ(daemon.sent.size(), 1u);  // status; the tail itself is followed
    ASSERT_TRUE(daemon.followed);
    EXPECT_EQ(control::encode(*daemon.followed),
              R"({"id":1,"cmd":"tail","args":{"follow":true,"lines":10,"names":["web"],"stream":"stdout"}})");
}

TEST(TailCommand, SeveralInstancesArePrefixedAlsoWhileFollowing) {
    FakeDaemon daemon{{ok(status_of({"web:0", "web:1", "worker"}))}};
    daemon.follow_reply = ok(lines_result({line_object("web:0", "a"), line_object("worker", "b")}));
    daemon.events = {line_object("web:1", "c")};
    const auto r = run(parse_ok({"tail", "-f", "-n", "5", "web", "worker"}), daemon);
    EXPECT_EQ(r.status, exit_code::ok);
    EXPECT_EQ(r.out, "web:0  | a\nworker | b\nweb:1  | c\n");
    EXPECT_EQ(daemon.followed->args["lines"], 5);
}

TEST(TailCommand, JsonPrintsEachLineObject) {
    FakeDaemon daemon{{ok(status_of({"web:0", "web:1"}))}};
    daemon.follow_reply = ok(lines_result({line_object("web:0", "a")}));
    daemon.events = {line_object("web:1", "b", "stderr")};
    const auto r = run(parse_ok({"tail", "--json", "-f", "--stderr", "web"}), daemon);
    EXPECT_EQ(r.status, exit_code::ok);
    EXPECT_EQ(r.out,
              R"({"line":"a","name":"web:0","stream":"stdout","time":"2026-11-24T01:02:03.456Z"})"
              "\n"
              R"({"line":"b","name":"web:1","stream":"stderr","time":"2026-11-24T01:02:03.456Z"})"
              "\n");
}

TEST(TailCommand, NoSuchServiceExitsOne) {
    FakeDaemon daemon{{error("no_such_service", "no service matches 'nope'")}};
    const auto r = run(parse_ok({"tail", "nope"}), daemon);
    EXPECT_EQ(r.status, exit_code::failed);
    EXPECT_EQ(r.err, "vjctl: error: no service matches 'nope'\n");
    EXPECT_EQ(daemon.sent.size(), 1u);
}

TEST(TailCommand, ErrorReplyToTailExitsOne) {
    FakeDaemon daemon{{ok(status_of({"web"})), error("bad_request", "args.stream must be stdout or stderr")}};
    EXPECT_EQ(run(parse_ok({"tail", "web"}), daemon).status, exit_code::failed);

    FakeDaemon following{{ok(status_of({"web"}))}};
    following.follow_reply = error("bad_request", "nope");
    following.events = {line_object("web", "never")};
    const auto r = run(parse_ok({"tail", "-f", "web"}), following);
    EXPECT_EQ(r.status, exit_code::failed);
    EXPECT_EQ(r.out, "");
    EXPECT_EQ(r.err, "vjctl: error: nope\n");
}

TEST(TailCommand, UnreachableExitsThree) {
    FakeDaemon daemon{{ClientError{"cannot connect to /x.sock: Connection refused (is supervisord running?)"}}};
    const auto r = run(parse_ok({"tail", "-f", "web"}), daemon);
    EXPECT_EQ(r.status, exit_code::unreachable);
    EXPECT_EQ(r.err, "vjctl: error: cannot connect to /x.sock: Connection refused (is supervisord running?)\n");

    FakeDaemon lost{{ok(status_of({"web"}))}};
    lost.follow_reply = ok(lines_result({}));
    lost.follow_end = ClientError{"bad stream line from /x.sock: server line is not valid JSON (at byte 1)"};
    EXPECT_EQ(run(parse_ok({"tail", "-f", "web"}), lost).status, exit_code::unreachable);
}

TEST(TailCommand, InterruptedExitsZero) {
    FakeDaemon daemon{{ok(status_of({"web"}))}};
    daemon.follow_reply = ok(lines_result({line_object("web", "a")}));
    daemon.follow_end = FollowEnd::interrupted;
    const auto r = run(parse_ok({"tail", "-f", "web"}), daemon);
    EXPECT_EQ(r.status, exit_code::ok);
    EXPECT_EQ(r.err, "");
}

/// An output that accepts `room` bytes, then fails like a pipe whose reader has gone.
class ClosingBuffer : public std::streambuf {
public:
    explicit ClosingBuffer(std::size_t room) : room_(room) {}
    std::string text;

protected:
    int_type overflow(int_type c) override {
        if (c == traits_type::eof()) return 0;
        const char ch = static_cast<char>(c);
        return xsputn(&ch, 1) == 1 ? c : traits_type::eof();
    }
    std::streamsize xsputn(const char* s, std::streamsize n) override {
        if (text.size() + static_cast<std::size_t>(n) > room_) return 0;
        text.append(s, static_cast<std::size_t>(n));
        return n;
    }

private:
    std::size_t room_;
};

TEST(TailCommand, AClosedStdoutStopsFollowingQuietly) {
    FakeDaemon daemon{{ok(status_of({"web"}))}};
    daemon.follow_reply = ok(lines_result({line_object("web", "a")}));
    daemon.events = {line_object("web", "b"), line_object("web", "c"), line_object("web", "d")};
    ClosingBuffer buffer(4);
    std::ostream out(&buffer);
    const auto r = run(parse_ok({"tail", "-f", "web"}), daemon, &out);
    EXPECT_EQ(r.status, exit_code::ok);
    EXPECT_EQ(r.err, "");
    EXPECT_EQ(buffer.text, "a\nb\n");
    EXPECT_EQ(daemon.events_taken, 1u);  // "c" failed to print: following stopped there

    FakeDaemon plain{{ok(status_of({"web"})), ok(lines_result({line_object("web", "a"), line_object("web", "b")}))}};
    ClosingBuffer small(2);
    std::ostream small_out(&small);
    EXPECT_EQ(run(parse_ok({"tail", "web"}), plain, &small_out).status, exit_code::ok);
    EXPECT_EQ(small.text, "a\n");
}

TEST(TailCommand, FollowWithoutAFollowTransportIsAnError) {
    FakeDaemon daemon{{ok(status_of({"web"}))}};
    std::ostringstream out;
    std::ostringstream err;
    EXPECT_EQ(run_daemon_command(parse_ok({"tail", "-f", "web"}), daemon.transport(), {}, out, err),
              exit_code::unreachable);
}

// ---------------------------------------------------------------------------------------------
// Against a scripted peer on a real socket

void write_all(int fd, std::string_view data) {
    while (!data.empty()) {
        const auto n = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL);
        if (n <= 0) {
            ADD_FAILURE() << "peer write failed: " << std::strerror(errno);
            return;
        }
        data.remove_prefix(static_cast<std::size_t>(n));
    }
}

/// Reads until the client hangs up.
void hold(int conn) {
    char c[256];
    while (::read(conn, c, sizeof(c)) > 0) {
    }
}

/// A listening socket that runs one script per accepted connection, in order, on its own thread.
class ScriptedPeer {
public:
    using Script = std::function<void(int conn)>;

    explicit ScriptedPeer(std::vector<Script> scripts) {
        char dir_template[] = "/tmp/vjctl-tail-test-XXXXXX";
        dir_ = ::mkdtemp(dir_template);
        path_ = dir_ + "/s.sock";
        fd_ = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_un address{};
        address.sun_family = AF_UNIX;
        std::strcpy(address.sun_path, path_.c_str());
        EXPECT_EQ(::bind(fd_, reinterpret_cast<const sockaddr*>(&address), sizeof(address)), 0);
        EXPECT_EQ(::listen(fd_, 4), 0);
        thread_ = std::thread([this, scripts = std::move(scripts)] {
            for (const auto& script : scripts) {
                pollfd pfd{fd_, POLLIN, 0};
                if (::poll(&pfd, 1, 10'000) != 1) {
                    ADD_FAILURE() << "the client did not connect";
                    return;
                }
                const int conn = ::accept(fd_, nullptr, nullptr);
                std::string request;
                char c;
                while (::read(conn, &c, 1) == 1 && c != '\n') {
                    request += c;
                }
                {
                    const std::lock_guard lock(mutex_);
                    requests_.push_back(request);
                }
                script(conn);
                ::close(conn);
            }
        });
    }
    ~ScriptedPeer() {
        join();
        ::close(fd_);
        std::filesystem::remove_all(dir_);
    }
    void join() {
        if (thread_.joinable()) thread_.join();
    }
    const std::string& path() const { return path_; }
    std::vector<std::string> requests() {
        const std::lock_guard lock(mutex_);
        return requests_;
    }

private:
    std::string dir_;
    std::string path_;
    int fd_ = -1;
    std::mutex mutex_;
    std::vector<std::string> requests_;
    std::thread thread_;
};

/// An output that another thread can wait on.
class WatchedOutput : public std::streambuf {
public:
    /// Waits up to 10 s until the output holds `needle`.
    bool wait_for(std::string_view needle) {
        std::unique_lock lock(mutex_);
        return changed_.wait_for(lock, std::chrono::seconds(10),
                                 [&] { return text_.find(needle) != std::string::npos; });
    }
    std::string text() {
        const std::lock_guard lock(mutex_);
        return text_;
    }

protected:
    int_type overflow(int_type c) override {
        if (c != traits_type::eof()) {
            const char ch = static_cast<char>(c);
            xsputn(&ch, 1);
        }
        return 0;
    }
    std::streamsize xsputn(const char* s, std::streamsize n) override {
        {
            const std::lock_guard lock(mutex_);
            text_.append(s, static_cast<std::size_t>(n));
        }
        changed_.notify_all();
        return n;
    }

private:
    std::mutex mutex_;
    std::condition_variable changed_;
    std::string text_;
};

std::string reply_line(const json& result) { return control::encode(control::Reply{1, result}) + "\n"; }
std::string event_line(const json& event) { return control::encode(control::StreamEvent{1, event}) + "\n"; }

/// Runs vjctl's daemon commands over the peer's socket, as app.cpp does.
int run_on_socket(const Invocation& inv, const std::string& path, std::ostream& out, std::ostream& err) {
    const Transport transport = [&](const control::Request& request, milliseconds timeout) {
        return call(path, request, timeout);
    };
    const FollowTransport follow_transport = [&](const control::Request& request, milliseconds timeout,
                                                 const FollowHandlers& handlers) {
        const StopSignals stop;
        return follow(path, request, timeout, handlers, stop.fd());
    };
    return run_daemon_command(inv, transport, follow_transport, {}, out, err);
}

TEST(TailOnSocket, FollowPrintsEventsAsTheyArriveAndExitsZeroWhenThePeerCloses) {
    WatchedOutput watched;
    std::ostream out(&watched);
    std::ostringstream err;
    ScriptedPeer peer({
        [](int conn) { write_all(conn, reply_line(status_of({"web:0", "web:1"}))); },
        [&](int conn) {
            write_all(conn, reply_line(lines_result({line_object("web:0", "old")})));
            EXPECT_TRUE(watched.wait_for("web:0 | old\n"));
            // An event split across writes; then one for another request, which is not printed.
            write_all(conn, event_line(line_object("web:1", "first")).substr(0, 10));
            write_all(conn, event_line(line_object("web:1", "first")).substr(10) +
                                control::encode(control::StreamEvent{2, line_object("web:0", "other")}) + "\n");
            EXPECT_TRUE(watched.wait_for("web:1 | first\n"));
            // Many events in one write.
            std::string many;
            for (int i = 0; i < 1000; ++i) {
                many += event_line(line_object(i % 2 == 0 ? "web:0" : "web:1", "n" + std::to_string(i)));
            }
            write_all(conn, many);
        },
    });
    const int status = run_on_socket(parse_ok({"tail", "-f", "web"}), peer.path(), out, err);
    peer.join();
    EXPECT_EQ(status, exit_code::ok);
    EXPECT_EQ(err.str(), "");
    std::string expected = "web:0 | old\nweb:1 | first\n";
    for (int i = 0; i < 1000; ++i) {
        expected += std::string(i % 2 == 0 ? "web:0" : "web:1") + " | n" + std::to_string(i) + "\n";
    }
    EXPECT_EQ(watched.text(), expected);
    const auto requests = peer.requests();
    ASSERT_EQ(requests.size(), 2u);
    EXPECT_EQ(requests[1],
              R"({"id":1,"cmd":"tail","args":{"follow":true,"lines":10,"names":["web"],"stream":"stdout"}})");
}

TEST(TailOnSocket, AFourMebibyteLinePassesThrough) {
    std::string big(4 * 1024 * 1024, 'x');
    for (std::size_t i = 0; i < big.size(); i += 1000) big[i] = static_cast<char>('a' + i % 26);
    std::ostringstream out;
    std::ostringstream err;
    ScriptedPeer peer({
        [](int conn) { write_all(conn, reply_line(status_of({"web"}))); },
        [&](int conn) {
            write_all(conn, reply_line(lines_result({line_object("web", big), line_object("web", "small")})));
            write_all(conn, event_line(line_object("web", big)));
        },
    });
    const int status = run_on_socket(parse_ok({"tail", "-f", "web"}), peer.path(), out, err);
    peer.join();
    EXPECT_EQ(status, exit_code::ok);
    EXPECT_EQ(err.str(), "");
    EXPECT_TRUE(out.str() == big + "\nsmall\n" + big + "\n") << "output of " << out.str().size() << " bytes";
}

TEST(TailOnSocket, InvalidUtf8ArrivesReplaced) {
    std::ostringstream out;
    std::ostringstream err;
    ScriptedPeer peer({
        [](int conn) { write_all(conn, reply_line(status_of({"web"}))); },
        [](int conn) { write_all(conn, reply_line(lines_result({line_object("web", "bad \xff byte")}))); },
    });
    EXPECT_EQ(run_on_socket(parse_ok({"tail", "web"}), peer.path(), out, err), exit_code::ok);
    EXPECT_EQ(out.str(), "bad \xEF\xBF\xBD byte\n");
}

TEST(TailOnSocket, ClosedBeforeTheReplyExitsThree) {
    std::ostringstream out;
    std::ostringstream err;
    ScriptedPeer peer({
        [](int conn) { write_all(conn, reply_line(status_of({"web"}))); },
        [](int) {},
    });
    EXPECT_EQ(run_on_socket(parse_ok({"tail", "-f", "web"}), peer.path(), out, err), exit_code::unreachable);
    EXPECT_EQ(err.str(), "vjctl: error: connection to " + peer.path() + " closed without a reply\n");
}

TEST(TailOnSocket, SigtermWhileFollowingExitsZeroQuietly) {
    WatchedOutput watched;
    std::ostream out(&watched);
    std::ostringstream err;
    ScriptedPeer peer({
        [](int conn) { write_all(conn, reply_line(status_of({"web"}))); },
        [&](int conn) {
            write_all(conn, reply_line(lines_result({line_object("web", "a")})));
            EXPECT_TRUE(watched.wait_for("a\n"));
            ::kill(::getpid(), SIGTERM);
            hold(conn);  // until vjctl hangs up
        },
    });
    const int status = run_on_socket(parse_ok({"tail", "-f", "web"}), peer.path(), out, err);
    peer.join();
    EXPECT_EQ(status, exit_code::ok);
    EXPECT_EQ(err.str(), "");
    EXPECT_EQ(watched.text(), "a\n");
}

TEST(StopSignals, MakeTheDescriptorReadableAndRestoreTheDisposition) {
    struct sigaction before = {};
    ::sigaction(SIGINT, nullptr, &before);
    {
        const StopSignals stop;
        pollfd pfd{stop.fd(), POLLIN, 0};
        EXPECT_EQ(::poll(&pfd, 1, 0), 0);
        ::raise(SIGINT);
        ::raise(SIGPIPE);
        EXPECT_EQ(::poll(&pfd, 1, 1000), 1);
    }
    struct sigaction after = {};
    ::sigaction(SIGINT, nullptr, &after);
    EXPECT_EQ(after.sa_handler, before.sa_handler);
}

}  // namespace
}  // namespace vj::vjctl
