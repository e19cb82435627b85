// PosixProbeExecutor against real things on loopback: files, processes, a listening socket and a
// tiny HTTP server on the test's own io_context. Waits are bounded polls of the event loop.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/streambuf.hpp>
#include <boost/asio/write.hpp>

#include "runtime/probe_exec.hpp"

extern char** environ;

namespace vj::runtime {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using boost::asio::ip::tcp;
using core::Verdict;

/// The test binary has no supervisor: this reaps exactly the pids it was given, polling every 5 ms.
class PollingChildWatch final : public ChildWatch {
public:
    explicit PollingChildWatch(boost::asio::io_context& io) : timer_(io) {}
    ~PollingChildWatch() override {
        // Whatever is still watched was killed by the executor (or is about to exit): reap it.
        for (auto& [pid, cb] : watched_) {
            ::kill(pid, SIGKILL);
            ::waitpid(pid, nullptr, 0);
        }
    }
    void watch(pid_t pid, std::function<void(core::ExitStatus)> on_exit) override {
        watched_[pid] = std::move(on_exit);
        arm();
    }
    std::size_t watched() const { return watched_.size(); }

private:
    void arm() {
        if (armed_) return;
        armed_ = true;
        timer_.expires_after(5ms);
        timer_.async_wait([this](boost::system::error_code ec) {
            armed_ = false;
            if (!ec) poll();
        });
    }
    void poll() {
        std::vector<std::pair<std::function<void(core::ExitStatus)>, core::ExitStatus>> due;
        for (auto it = watched_.begin(); it != watched_.end();) {
            int status = 0;
            if (::waitpid(it->first, &status, WNOHANG) == it->first) {
                const core::ExitStatus e = WIFSIGNALED(status) ? core::ExitStatus{true, WTERMSIG(status)}
                                                               : core::ExitStatus{false, WEXITSTATUS(status)};
                due.emplace_back(std::move(it->second), e);
                it = watched_.erase(it);
            } else {
                ++it;
            }
        }
        for (auto& [cb, e] : due) cb(e);
        if (!watched_.empty()) arm();
    }

    boost::asio::steady_timer timer_;
    std::map<pid_t, std::function<void(core::ExitStatus)>> watched_;
    bool armed_ = false;
};

std::map<std::string, std::string> process_env() {
    std::map<std::string, std::string> env;
    for (char** e = environ; *e; ++e) {
        const std::string kv = *e;
        if (const auto eq = kv.find('='); eq != std::string::npos) env[kv.substr(0, eq)] = kv.substr(eq + 1);
    }
    return env;
}

std::size_t open_fds() {
    std::size_t n = 0;
    for ([[maybe_unused]] const auto& e : fs::directory_iterator("/proc/self/fd")) ++n;
    return n;
}

/// Whether `pid` still runs (a zombie does not: a reparented one may wait long for its reaper).
bool alive(pid_t pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
    std::string stat;
    if (!std::getline(in, stat)) return false;
    const auto close = stat.rfind(')');
    return close != std::string::npos && close + 2 < stat.size() && stat[close + 2] != 'Z';
}

/// Whether any process of group `pgid` still runs.
bool group_alive(pid_t pgid) {
    for (const auto& e : fs::directory_iterator("/proc")) {
        const std::string name = e.path().filename();
        if (name.find_first_not_of("0123456789") != std::string::npos) continue;
        std::ifstream in(e.path() / "stat");
        std::string stat;
        if (!std::getline(in, stat)) continue;
        const auto close = stat.rfind(')');
        if (close == std::string::npos) continue;
        std::istringstream rest(stat.substr(close + 2));
        char state = 0;
        pid_t ppid = 0;
        pid_t pgrp = 0;
        rest >> state >> ppid >> pgrp;
        if (pgrp == pgid && state != 'Z') return true;
    }
    return false;
}

pid_t read_pid(const fs::path& p) {
    std::ifstream in(p);
    pid_t pid = -1;
    in >> pid;
    return pid;
}

/// A canned HTTP server on 127.0.0.1: reads the request head, writes `response` (unless null), then
/// closes the connection (or, with keep_open, holds it like a keep-alive server would).
class TestHttpServer {
public:
    TestHttpServer(boost::asio::io_context& io, std::optional<std::string> response, bool keep_open = false)
        : acceptor_(io, tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), 0)),
          response_(std::move(response)),
          keep_open_(keep_open) {
        accept();
    }
    int port() const { return acceptor_.local_endpoint().port(); }
    std::string url(const std::string& path) const { return "http://127.0.0.1:" + std::to_string(port()) + path; }
    const std::string& request() const { return request_; }

private:
    struct Connection {
        explicit Connection(tcp::socket s) : socket(std::move(s)) {}
        tcp::socket socket;
        boost::asio::streambuf in;
    };
    void accept() {
        acceptor_.async_accept([this](boost::system::error_code ec, tcp::socket s) {
            if (ec) return;
            auto c = std::make_shared<Connection>(std::move(s));
            connections_.push_back(c);
            boost::asio::async_read_until(
                c->socket, c->in, "\r\n\r\n", [this, c](boost::system::error_code e, std::size_t n) {
                    if (e) return c->socket.close();
                    request_.assign(boost::asio::buffers_begin(c->in.data()),
                                    boost::asio::buffers_begin(c->in.data()) + n);
                    if (!response_) return close_at_eof(c);  // never answers
                    boost::asio::async_write(c->socket, boost::asio::buffer(*response_),
                                             [this, c](boost::system::error_code, std::size_t) {
                                                 if (keep_open_)
                                                     close_at_eof(c);
                                                 else
                                                     c->socket.close();
                                             });
                });
            accept();
        });
    }
    /// Holds the connection until the client closes it, then closes our end (no fd stays behind).
    static void close_at_eof(const std::shared_ptr<Connection>& c) {
        c->socket.async_read_some(c->in.prepare(512), [c](boost::system::error_code e, std::size_t n) {
            c->in.commit(n);
            if (e) return c->socket.close();
            close_at_eof(c);
        });
    }

    tcp::acceptor acceptor_;
    std::optional<std::string> response_;
    bool keep_open_;
    std::string request_;
    std::vector<std::shared_ptr<Connection>> connections_;
};

class ProbeExecTest : public ::testing::Test {
protected:
    ProbeExecTest()
        : dir_(fs::temp_directory_path() / ("vj-probe-test-" + std::to_string(::getpid()))),
          exec_(std::make_unique<PosixProbeExecutor>(io_, children_, process_env())) {
        fs::create_directories(dir_);
        service_.name = "web";
        service_.argv = {"/bin/true"};
    }
    ~ProbeExecTest() override {
        exec_.reset();
        fs::remove_all(dir_);
    }

    template <typename Pred>
    bool run_until(Pred done, std::chrono::milliseconds limit) {
        const auto deadline = std::chrono::steady_clock::now() + limit;
        while (!done()) {
            if (std::chrono::steady_clock::now() >= deadline) return false;
            io_.run_one_for(10ms);
        }
        return true;
    }
    void run_for(std::chrono::milliseconds d) {
        run_until([] { return false; }, d);
    }

    /// Starts a run; the outcome lands in the returned slot, and calls are counted.
    struct Pending {
        std::optional<ProbeOutcome> outcome;
        int calls = 0;
        std::uint64_t token = 0;
    };
    std::shared_ptr<Pending> start(const core::ProbeSpec& probe, std::string instance = "web",
                                   std::optional<pid_t> pid = std::nullopt) {
        auto p = std::make_shared<Pending>();
        p->token = exec_->run({&service_, &probe, std::move(instance), pid}, [p](ProbeOutcome o) {
            p->outcome = std::move(o);
            ++p->calls;
        });
        EXPECT_EQ(p->calls, 0) << "done must never be called inline from run()";
        return p;
    }
    ProbeOutcome run_probe(const core::ProbeSpec& probe, std::string instance = "web",
                           std::optional<pid_t> pid = std::nullopt) {
        auto p = start(probe, std::move(instance), pid);
        EXPECT_TRUE(run_until([&] { return p->outcome.has_value(); }, 10s)) << "no outcome";
        return p->outcome.value_or(ProbeOutcome{Verdict::unhealthy, "<no outcome>", {}});
    }

    core::ProbeSpec command(std::string script, core::Duration timeout = 5s) {
        core::ProbeSpec p;
        p.type = core::ProbeType::command;
        p.name = "command";
        p.argv = {"/bin/sh", "-c", std::move(script)};
        p.timeout = timeout;
        return p;
    }
    core::ProbeSpec heartbeat(const fs::path& path, core::Duration max_age) {
        core::ProbeSpec p;
        p.type = core::ProbeType::heartbeat;
        p.name = "heartbeat";
        p.path = path.string();
        p.max_age = max_age;
        return p;
    }
    core::ProbeSpec tcp_probe(std::string host, int port, core::Duration timeout = 2s) {
        core::ProbeSpec p;
        p.type = core::ProbeType::tcp;
        p.name = "tcp";
        p.host = std::move(host);
        p.port = port;
        p.timeout = timeout;
        return p;
    }
    core::ProbeSpec http(std::string url, core::Duration timeout = 2s) {
        core::ProbeSpec p;
        p.type = core::ProbeType::http;
        p.name = "http";
        p.url = std::move(url);
        p.timeout = timeout;
        return p;
    }
    /// A loopback port that nothing listens on (bound, then closed).
    int closed_port() {
        tcp::acceptor a(io_, tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), 0));
        return a.local_endpoint().port();
    }

    fs::path dir_;
    boost::asio::io_context io_;
    boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_ = boost::asio::make_work_guard(io_);
    PollingChildWatch children_{io_};
    core::ServiceSpec service_;
    std::unique_ptr<PosixProbeExecutor> exec_;
};

// ---- heartbeat ----------------------------------------------------------------------------------

TEST_F(ProbeExecTest, HeartbeatFresh) {
    const auto hb = dir_ / "hb";
    std::ofstream(hb) << "x";
    const auto o = run_probe(heartbeat(hb, 30s));
    EXPECT_EQ(o.verdict, Verdict::healthy);
    EXPECT_TRUE(std::regex_match(o.message, std::regex(R"(heartbeat 0\.[0-9]s old)"))) << o.message;
}

TEST_F(ProbeExecTest, HeartbeatStale) {
    const auto hb = dir_ / "hb";
    std::ofstream(hb) << "x";
    fs::last_write_time(hb, fs::file_time_type::clock::now() - 42s);
    const auto o = run_probe(heartbeat(hb, 30s));
    EXPECT_EQ(o.verdict, Verdict::unhealthy);
    EXPECT_TRUE(
        std::regex_match(o.message, std::regex("heartbeat " + hb.string() + R"( is 42\.[01]s old \(max 30s\))")))
        << o.message;
}

TEST_F(ProbeExecTest, HeartbeatMissing) {
    const auto o = run_probe(heartbeat(dir_ / "missing", 30s));
    EXPECT_EQ(o.verdict, Verdict::unhealthy);
    EXPECT_EQ(o.message, "cannot stat " + (dir_ / "missing").string() + ": No such file or directory");
}

// ---- command ------------------------------------------------------------------------------------

TEST_F(ProbeExecTest, CommandExitZeroReportsItsFirstLine) {
    auto p = start(command("echo 'all good'"));
    ASSERT_TRUE(run_until([&] { return p->outcome.has_value(); }, 5s));
    EXPECT_EQ(p->outcome->verdict, Verdict::healthy);
    EXPECT_EQ(p->outcome->message, "all good");
    run_for(50ms);
    EXPECT_EQ(p->calls, 1);
    EXPECT_EQ(exec_->in_flight(), 0u);
}

TEST_F(ProbeExecTest, CommandExitCodeWithoutOutput) {
    const auto o = run_probe(command("exit 3"));
    EXPECT_EQ(o.verdict, Verdict::unhealthy);
    EXPECT_EQ(o.message, "exited with code 3");
}

TEST_F(ProbeExecTest, CommandExitZeroWithoutOutput) {
    const auto o = run_probe(command("true"));
    EXPECT_EQ(o.verdict, Verdict::healthy);
    EXPECT_EQ(o.message, "exited with code 0");
}

TEST_F(ProbeExecTest, CommandKilledBySignal) {
    const auto o = run_probe(command("kill -KILL $$"));
    EXPECT_EQ(o.verdict, Verdict::unhealthy);
    EXPECT_EQ(o.message, "killed by signal KILL");
}

TEST_F(ProbeExecTest, CommandMessageIsTheFirstNonBlankLineOfStdoutAndStderr) {
    const auto o = run_probe(command("echo; echo '   '; printf 'disk\\tfull  (97%%)\\r\\n' >&2; echo later; exit 1"));
    EXPECT_EQ(o.verdict, Verdict::unhealthy);
    EXPECT_EQ(o.message, "disk full (97%)");
}

TEST_F(ProbeExecTest, CommandMessageIsBounded) {
    const auto o = run_probe(command("head -c 100000 /dev/zero | tr '\\0' x; echo"));
    EXPECT_EQ(o.verdict, Verdict::healthy);
    EXPECT_EQ(o.message.size(), PosixProbeExecutor::max_message);
    EXPECT_TRUE(o.message.ends_with("xx...")) << o.message;
}

TEST_F(ProbeExecTest, CommandRunsAsTheServiceWithProbeEnvironment) {
    service_.cwd = dir_.string();
    service_.env = {{"FROM_SPEC", "yes"}};
    service_.umask = 027;
    const auto o =
        run_probe(command("echo \"$VJ_SERVICE $VJ_INSTANCE $VJ_PID $FROM_SPEC $(pwd) $(umask)\""), "web:1", 4242);
    EXPECT_EQ(o.verdict, Verdict::healthy);
    EXPECT_EQ(o.message, "web 1 4242 yes " + dir_.string() + " 0027");
}

TEST_F(ProbeExecTest, CommandTimeoutKillsTheProcessGroupAndReportsAtTheTimeout) {
    const auto pidfile = dir_ / "pid";
    const auto t0 = std::chrono::steady_clock::now();
    auto p = start(command("echo $$ > " + pidfile.string() + "; sleep 30 & sleep 30", 300ms));
    ASSERT_TRUE(run_until([&] { return p->outcome.has_value(); }, 5s));
    const auto elapsed = std::chrono::steady_clock::now() - t0;
    EXPECT_EQ(p->outcome->verdict, Verdict::unhealthy);
    EXPECT_EQ(p->outcome->message, "timed out after 300ms");
    EXPECT_GE(elapsed, 300ms);
    EXPECT_LT(elapsed, 1s);
    EXPECT_GE(p->outcome->took, 300ms);
    const pid_t pgid = read_pid(pidfile);
    ASSERT_GT(pgid, 0);
    // The exit still comes through the watch, later; the group is gone and the late callback is harmless.
    // (Not kill(-pgid, 0) == ESRCH: the orphaned `sleep` stays a zombie in the group until init reaps it,
    // and not every container's init does.)
    EXPECT_TRUE(run_until([&] { return !group_alive(pgid) && children_.watched() == 0; }, 2s));
    EXPECT_EQ(p->calls, 1);
}

TEST_F(ProbeExecTest, CommandGrandchildHoldingThePipeIsKilledAndDoesNotDelayTheOutcome) {
    const auto gpid = dir_ / "gpid";
    const auto t0 = std::chrono::steady_clock::now();
    auto p = start(command("sleep 30 & echo $! > " + gpid.string() + "; echo started", 10s));
    ASSERT_TRUE(run_until([&] { return p->outcome.has_value(); }, 5s));
    EXPECT_LT(std::chrono::steady_clock::now() - t0, 1s);
    EXPECT_EQ(p->outcome->verdict, Verdict::healthy);
    EXPECT_EQ(p->outcome->message, "started");
    const pid_t grandchild = read_pid(gpid);
    ASSERT_GT(grandchild, 0);
    EXPECT_TRUE(run_until([&] { return !alive(grandchild); }, 2s));
}

TEST_F(ProbeExecTest, CommandDescendantThatLeftTheGroupDelaysTheOutcomeOnlyBriefly) {
    const auto gpid = dir_ / "gpid";
    const auto t0 = std::chrono::steady_clock::now();
    // setsid: a new session, out of reach of the group kill, still holding the pipe.
    auto p = start(command("setsid sleep 30 & echo $! > " + gpid.string() + "; echo escaped; exit 2", 10s));
    ASSERT_TRUE(run_until([&] { return p->outcome.has_value(); }, 5s));
    EXPECT_LT(std::chrono::steady_clock::now() - t0, 1s);
    EXPECT_EQ(p->outcome->verdict, Verdict::unhealthy);
    EXPECT_EQ(p->outcome->message, "escaped");
    const pid_t escaped = read_pid(gpid);
    ASSERT_GT(escaped, 0);
    ::kill(escaped, SIGKILL);
}

TEST_F(ProbeExecTest, CommandSpawnFailures) {
    core::ProbeSpec p = command("");
    p.argv = {"/nonexistent/vj-probe"};
    auto o = run_probe(p);
    EXPECT_EQ(o.verdict, Verdict::unhealthy);
    EXPECT_EQ(o.message, "cannot execute /nonexistent/vj-probe: No such file or directory");

    p.argv = {"no-such-vj-probe-binary"};
    o = run_probe(p);
    EXPECT_EQ(o.verdict, Verdict::unhealthy);
    EXPECT_EQ(o.message, "cannot execute no-such-vj-probe-binary: command not found in PATH");

    service_.user = "no-such-user-vj";
    o = run_probe(command("true"));
    EXPECT_EQ(o.verdict, Verdict::unhealthy);
    EXPECT_EQ(o.message, "unknown user 'no-such-user-vj'");
}

TEST_F(ProbeExecTest, CancelKillsTheCommandAndDoneIsNeverCalled) {
    const auto pidfile = dir_ / "pid";
    auto p = start(command("echo $$ > " + pidfile.string() + "; exec sleep 30"));
    // echo is a builtin and writes "PID\n" at once: no helper process joins the group.
    ASSERT_TRUE(run_until([&] { return read_pid(pidfile) > 0; }, 5s));
    const pid_t pgid = read_pid(pidfile);
    ASSERT_GT(pgid, 0);
    exec_->cancel(p->token);
    EXPECT_EQ(exec_->in_flight(), 0u);
    EXPECT_TRUE(run_until([&] { return !group_alive(pgid) && children_.watched() == 0; }, 2s));
    // The group had only the command (exec sleep), reaped by now: it is gone entirely.
    EXPECT_EQ(::kill(-pgid, 0), -1);
    EXPECT_EQ(errno, ESRCH);
    run_for(100ms);
    EXPECT_EQ(p->calls, 0);
    exec_->cancel(p->token);  // a second cancel, and an unknown token, are no-ops
    exec_->cancel(999999);
}

TEST_F(ProbeExecTest, DestructorCancelsRunsInFlight) {
    const auto pidfile = dir_ / "pid";
    auto p = start(command("echo $$ > " + pidfile.string() + "; exec sleep 30"));
    TestHttpServer silent(io_, std::nullopt);
    const auto h = http(silent.url("/"));
    auto q = start(h);
    // echo is a builtin and writes "PID\n" at once: no helper process joins the group.
    ASSERT_TRUE(run_until([&] { return read_pid(pidfile) > 0; }, 5s));
    const pid_t pgid = read_pid(pidfile);
    exec_.reset();
    // The exit arrives after the executor is gone: nothing may touch it (ASan watches).
    EXPECT_TRUE(run_until([&] { return !group_alive(pgid) && children_.watched() == 0; }, 2s));
    run_for(100ms);
    EXPECT_EQ(p->calls, 0);
    EXPECT_EQ(q->calls, 0);
}

TEST_F(ProbeExecTest, EventLoopIsNotBlockedByAHangingCommand) {
    auto slow = start(command("sleep 30"));
    const auto hb = dir_ / "hb";
    std::ofstream(hb) << "x";
    const auto hp = heartbeat(hb, 30s);
    const auto t0 = std::chrono::steady_clock::now();
    auto fast = start(hp);
    ASSERT_TRUE(run_until([&] { return fast->outcome.has_value(); }, 2s));
    EXPECT_LT(std::chrono::steady_clock::now() - t0, 200ms);
    EXPECT_EQ(fast->outcome->verdict, Verdict::healthy);
    EXPECT_FALSE(slow->outcome.has_value());
    exec_->cancel(slow->token);
}

TEST_F(ProbeExecTest, DoneMayStartAnotherRun) {
    const auto hb = dir_ / "hb";
    std::ofstream(hb) << "x";
    const auto hp = heartbeat(hb, 30s);
    std::optional<ProbeOutcome> second;
    exec_->run({&service_, &hp, "web", std::nullopt}, [&](ProbeOutcome) {
        exec_->run({&service_, &hp, "web", std::nullopt}, [&](ProbeOutcome o) { second = std::move(o); });
    });
    EXPECT_TRUE(run_until([&] { return second.has_value(); }, 2s));
}

// ---- tcp ----------------------------------------------------------------------------------------

TEST_F(ProbeExecTest, TcpConnects) {
    tcp::acceptor listener(io_, tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), 0));
    const int port = listener.local_endpoint().port();
    const auto o = run_probe(tcp_probe("127.0.0.1", port));
    EXPECT_EQ(o.verdict, Verdict::healthy);
    EXPECT_TRUE(std::regex_match(
        o.message, std::regex("connected to 127\\.0\\.0\\.1:" + std::to_string(port) + R"( in [0-9]+\.[0-9](ms|s))")))
        << o.message;
}

TEST_F(ProbeExecTest, TcpConnectsByName) {
    tcp::acceptor listener(io_, tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), 0));
    const int port = listener.local_endpoint().port();
    const auto o = run_probe(tcp_probe("localhost", port));
    EXPECT_EQ(o.verdict, Verdict::healthy) << o.message;
    EXPECT_TRUE(o.message.starts_with("connected to localhost:" + std::to_string(port) + " in ")) << o.message;
}

TEST_F(ProbeExecTest, TcpRefused) {
    const int port = closed_port();
    const auto o = run_probe(tcp_probe("127.0.0.1", port));
    EXPECT_EQ(o.verdict, Verdict::unhealthy);
    EXPECT_EQ(o.message, "cannot connect to 127.0.0.1:" + std::to_string(port) + ": Connection refused");
}

TEST_F(ProbeExecTest, TcpUnresolvableName) {
    const auto o = run_probe(tcp_probe("no-such-host.invalid", 80));
    EXPECT_EQ(o.verdict, Verdict::unhealthy);
    EXPECT_TRUE(o.message.starts_with("cannot resolve no-such-host.invalid: ")) << o.message;
}

// ---- http ---------------------------------------------------------------------------------------

TEST_F(ProbeExecTest, Http200WithContentLengthOnAKeptOpenConnection) {
    TestHttpServer server(io_, "HTTP/1.1 200 OK\r\nContent-Length: 20\r\n\r\nok: all systems go\r\n", true);
    const auto t0 = std::chrono::steady_clock::now();
    const auto o = run_probe(http(server.url("/health?verbose=1#frag")));
    EXPECT_LT(std::chrono::steady_clock::now() - t0, 1s);  // did not wait for the timeout
    EXPECT_EQ(o.verdict, Verdict::healthy);
    EXPECT_EQ(o.message, "HTTP 200: ok: all systems go");
    EXPECT_EQ(server.request(), "GET /health?verbose=1 HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(server.port()) +
                                    "\r\nUser-Agent: vj-supervisord\r\nConnection: close\r\nAccept: */*\r\n\r\n");
}

TEST_F(ProbeExecTest, Http503WithBody) {
    TestHttpServer server(io_,
                          "HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain\r\n\r\ndatabase\n   down\n");
    const auto o = run_probe(http(server.url("/")));
    EXPECT_EQ(o.verdict, Verdict::unhealthy);
    EXPECT_EQ(o.message, "HTTP 503: database down");
}

TEST_F(ProbeExecTest, HttpEmptyBodyShowsTheReason) {
    TestHttpServer server(io_, "HTTP/1.0 503 Service Unavailable\r\n\r\n");
    auto o = run_probe(http(server.url("")));
    EXPECT_EQ(o.message, "HTTP 503: Service Unavailable");
    EXPECT_EQ(server.request().substr(0, 16), "GET / HTTP/1.1\r\n");

    TestHttpServer bare(io_, "HTTP/1.1 204\r\n\r\n", true);
    o = run_probe(http(bare.url("/")));
    EXPECT_EQ(o.verdict, Verdict::healthy);
    EXPECT_EQ(o.message, "HTTP 204");
}

TEST_F(ProbeExecTest, HttpRedirectIsUnhealthy) {
    TestHttpServer server(io_, "HTTP/1.1 302 Found\r\nLocation: /elsewhere\r\nContent-Length: 0\r\n\r\n");
    const auto o = run_probe(http(server.url("/")));
    EXPECT_EQ(o.verdict, Verdict::unhealthy);
    EXPECT_EQ(o.message, "HTTP 302: Found");
}

TEST_F(ProbeExecTest, HttpChunked) {
    TestHttpServer server(
        io_, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n7;ext=1\r\n, world\r\n0\r\n\r\n",
        true);
    const auto t0 = std::chrono::steady_clock::now();
    const auto o = run_probe(http(server.url("/")));
    EXPECT_LT(std::chrono::steady_clock::now() - t0, 1s);  // the last chunk ends it
    EXPECT_EQ(o.verdict, Verdict::healthy);
    EXPECT_EQ(o.message, "HTTP 200: hello, world");
}

TEST_F(ProbeExecTest, HttpLongBodyIsExcerpted) {
    TestHttpServer server(io_, "HTTP/1.1 200 OK\r\n\r\n" + std::string(200 * 1024, 'y'));
    const auto o = run_probe(http(server.url("/")));
    EXPECT_EQ(o.verdict, Verdict::healthy);
    EXPECT_EQ(o.message, "HTTP 200: " + std::string(117, 'y') + "...");
}

TEST_F(ProbeExecTest, HttpMalformedStatusLine) {
    TestHttpServer server(io_, "garbage\r\n\r\n");
    const auto url = server.url("/health");
    auto o = run_probe(http(url));
    EXPECT_EQ(o.verdict, Verdict::unhealthy);
    EXPECT_EQ(o.message, "bad HTTP response from " + url + ": malformed status line 'garbage'");

    TestHttpServer empty(io_, "");
    o = run_probe(http(empty.url("/")));
    EXPECT_EQ(o.message, "bad HTTP response from " + empty.url("/") + ": no response");

    TestHttpServer letters(io_, "HTTP/1.1 2OO OK\r\n\r\n");
    o = run_probe(http(letters.url("/")));
    EXPECT_EQ(o.message, "bad HTTP response from " + letters.url("/") + ": malformed status line 'HTTP/1.1 2OO OK'");
}

TEST_F(ProbeExecTest, HttpServerThatNeverAnswersTimesOut) {
    TestHttpServer server(io_, std::nullopt);
    const auto url = server.url("/health");
    const auto t0 = std::chrono::steady_clock::now();
    const auto o = run_probe(http(url, 300ms));
    const auto elapsed = std::chrono::steady_clock::now() - t0;
    EXPECT_EQ(o.verdict, Verdict::unhealthy);
    EXPECT_EQ(o.message, "timed out after 300ms waiting for " + url);
    EXPECT_GE(elapsed, 300ms);
    EXPECT_LT(elapsed, 1s);
}

TEST_F(ProbeExecTest, HttpRefusedAndBadUrls) {
    const int port = closed_port();
    auto o = run_probe(http("http://127.0.0.1:" + std::to_string(port) + "/"));
    EXPECT_EQ(o.message, "cannot connect to 127.0.0.1:" + std::to_string(port) + ": Connection refused");

    o = run_probe(http("https://example.com/"));
    EXPECT_EQ(o.verdict, Verdict::unhealthy);
    EXPECT_EQ(o.message, "bad URL 'https://example.com/': only http:// URLs are supported");
    o = run_probe(http("http://127.0.0.1:99999/"));
    EXPECT_EQ(o.message, "bad URL 'http://127.0.0.1:99999/': bad port '99999'");
    o = run_probe(http("http:///x"));
    EXPECT_EQ(o.message, "bad URL 'http:///x': no host");
}

TEST_F(ProbeExecTest, HttpOverIpv6Loopback) {
    boost::system::error_code ec;
    tcp::acceptor probe_v6(io_);
    probe_v6.open(tcp::v6(), ec);
    if (!ec) probe_v6.bind(tcp::endpoint(boost::asio::ip::make_address("::1"), 0), ec);
    if (ec) GTEST_SKIP() << "no IPv6 loopback: " << ec.message();
    const int port = probe_v6.local_endpoint().port();
    probe_v6.listen();
    const auto o = run_probe(tcp_probe("::1", port));
    EXPECT_EQ(o.verdict, Verdict::healthy);
    EXPECT_TRUE(o.message.starts_with("connected to [::1]:" + std::to_string(port) + " in ")) << o.message;
}

// ---- lua, fds -----------------------------------------------------------------------------------

TEST_F(ProbeExecTest, LuaIsAnInternalError) {
    core::ProbeSpec p;
    p.type = core::ProbeType::lua;
    p.name = "lua:levels";
    const auto o = run_probe(p);
    EXPECT_EQ(o.verdict, Verdict::unhealthy);
    EXPECT_EQ(o.message, "internal error: lua probes are run by the Lua pool");
}

TEST_F(ProbeExecTest, NoFdLeaks) {
    const auto hb = dir_ / "hb";
    std::ofstream(hb) << "x";
    TestHttpServer ok(io_, "HTTP/1.1 200 OK\r\n\r\nfine");
    TestHttpServer silent(io_, std::nullopt);
    tcp::acceptor listener(io_, tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), 0));
    const int port = listener.local_endpoint().port();
    const int refused = closed_port();
    std::vector<core::ProbeSpec> probes{heartbeat(hb, 30s),
                                        heartbeat(dir_ / "missing", 30s),
                                        command("echo fine"),
                                        command("sleep 30 & echo started"),
                                        command("sleep 30", 200ms),
                                        command(""),
                                        tcp_probe("127.0.0.1", port),
                                        tcp_probe("127.0.0.1", refused),
                                        http(ok.url("/")),
                                        http(silent.url("/"), 200ms)};
    probes[5].argv = {"/nonexistent/vj-probe"};
    const auto batch = [&] {
        std::vector<std::shared_ptr<Pending>> runs;
        for (const auto& p : probes) runs.push_back(start(p));
        auto cancelled = start(command("sleep 30"));
        exec_->cancel(cancelled->token);
        EXPECT_TRUE(run_until(
            [&] { return std::all_of(runs.begin(), runs.end(), [](auto& r) { return r->outcome.has_value(); }); },
            10s));
        EXPECT_TRUE(run_until([&] { return children_.watched() == 0; }, 2s));
        run_for(50ms);
    };
    batch();  // warm-up: Asio's reactor fds, the servers' accepted connections
    const std::size_t before = open_fds();
    batch();
    batch();
    EXPECT_EQ(open_fds(), before);
    EXPECT_EQ(exec_->in_flight(), 0u);
}

}  // namespace
}  // namespace vj::runtime
