// vj-osc-monitor run for real: oscsend and hand-made datagrams over loopback, exact printed lines,
// the status file, --forward, --filter, the line cap, malformed packets, bind errors, SIGTERM, and
// the service under supervisord with its Lua check.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <optional>
#include <regex>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "integration/harness.hpp"
#include "sdk/osc.hpp"

extern char** environ;

namespace vj::test {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;
using ::testing::MatchesRegex;
namespace osc = sdk::osc;
namespace fs = std::filesystem;

const std::string kMonitor = VJ_PLUGIN_BIN_DIR "/vj-osc-monitor";
const std::string kOscsend = "/usr/bin/oscsend";

// A UDP socket on 127.0.0.1 with a kernel-chosen port: to send from, or to receive forwards on.
class Udp {
public:
    Udp() {
        fd_ = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        ::bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a);
        socklen_t n = sizeof a;
        ::getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &n);
        port_ = ntohs(a.sin_port);
    }
    ~Udp() { ::close(fd_); }
    Udp(const Udp&) = delete;
    Udp& operator=(const Udp&) = delete;

    int port() const { return port_; }

    void send(int port, const std::vector<std::byte>& bytes) const {
        sockaddr_in to{};
        to.sin_family = AF_INET;
        to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        to.sin_port = htons(static_cast<std::uint16_t>(port));
        ASSERT_EQ(::sendto(fd_, bytes.data(), bytes.size(), 0, reinterpret_cast<sockaddr*>(&to), sizeof to),
                  static_cast<ssize_t>(bytes.size()));
    }

    std::optional<std::string> receive(std::chrono::milliseconds timeout) const {
        pollfd p{fd_, POLLIN, 0};
        if (::poll(&p, 1, static_cast<int>(timeout.count())) != 1) return std::nullopt;
        char buf[65536];
        const ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
        if (n < 0) return std::nullopt;
        return std::string(buf, static_cast<std::size_t>(n));
    }

private:
    int fd_ = -1;
    int port_ = 0;
};

std::vector<std::byte> bytes_of(std::string_view text) {
    std::vector<std::byte> out;
    for (char c : text) out.push_back(std::byte(static_cast<unsigned char>(c)));
    return out;
}

// One vj-osc-monitor with stdout and stderr in files of its own temp dir, listening on a port
// the kernel picked (--listen 127.0.0.1:0), read back from its "listening on" log line.
class Monitor {
public:
    explicit Monitor(std::vector<std::string> args) {
        status_ = (dir_ / "status.json").string();
        std::vector<std::string> argv{kMonitor, "--listen", "127.0.0.1:0", "--status", status_,
                                      "--heartbeat", (dir_ / "hb").string()};
        argv.insert(argv.end(), args.begin(), args.end());
        start(argv);
        const std::regex listening("listening on 127\\.0\\.0\\.1:([0-9]+) ");
        std::smatch m;
        std::string log;  // outlives the match, which points into it
        const bool up = eventually(
            [&] {
                log = err();
                return std::regex_search(log, m, listening) || !running();
            },
            5s);
        if (!up || !running()) throw std::runtime_error("vj-osc-monitor did not start:\n" + err());
        port_ = std::stoi(m[1].str());
    }
    ~Monitor() {
        if (pid_ > 0) {
            ::kill(pid_, SIGKILL);
            ::waitpid(pid_, nullptr, 0);
        }
    }

    int port() const { return port_; }
    std::string out() const { return read_file(dir_ / "stdout"); }
    std::string err() const { return read_file(dir_ / "stderr"); }
    const TempDir& dir() const { return dir_; }

    bool running() {
        if (pid_ <= 0) return false;
        int status = 0;
        if (::waitpid(pid_, &status, WNOHANG) == pid_) {
            pid_ = -1;
            exit_status_ = status;
            return false;
        }
        return true;
    }

    /// Waits until stdout holds at least `lines` lines; returns stdout.
    std::string wait_lines(std::size_t lines, std::chrono::milliseconds timeout = 5s) {
        std::string text;
        eventually(
            [&] {
                text = out();
                return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')) >= lines;
            },
            timeout);
        return text;
    }

    /// Waits until the status file satisfies `condition`; returns the last status read.
    nlohmann::json wait_status(const std::function<bool(const nlohmann::json&)>& condition,
                               std::chrono::milliseconds timeout = 5s) {
        nlohmann::json status;
        eventually(
            [&] {
                status = nlohmann::json::parse(read_file(status_), nullptr, false);
                return !status.is_discarded() && condition(status);
            },
            timeout);
        return status;
    }

    /// SIGTERM; the exit status (as waitpid reports it) and how long the stop took.
    std::pair<int, std::chrono::steady_clock::duration> terminate() {
        const auto start = std::chrono::steady_clock::now();
        ::kill(pid_, SIGTERM);
        int status = -1;
        ::waitpid(pid_, &status, 0);
        pid_ = -1;
        return {status, std::chrono::steady_clock::now() - start};
    }

    void expect_clean_stop() {
        const auto [status, took] = terminate();
        EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "status " << status << "\n" << err();
        EXPECT_LT(took, 1s);
    }

private:
    void start(const std::vector<std::string>& argv) {
        const std::string out_path = (dir_ / "stdout").string();
        const std::string err_path = (dir_ / "stderr").string();
        std::vector<char*> cargv;
        for (const std::string& a : argv) cargv.push_back(const_cast<char*>(a.c_str()));
        cargv.push_back(nullptr);
        // Without NOTIFY_SOCKET from our own environment: the monitor must not talk to a
        // supervisor that started this test.
        std::vector<std::string> env;
        for (char** e = environ; *e; ++e)
            if (!std::string_view(*e).starts_with("NOTIFY_SOCKET=")) env.emplace_back(*e);
        std::vector<char*> cenv;
        for (std::string& e : env) cenv.push_back(e.data());
        cenv.push_back(nullptr);
        pid_ = ::fork();
        if (pid_ < 0) throw std::runtime_error("fork failed");
        if (pid_ == 0) {
            // A test that crashes must not leave its monitor behind (as harness.cpp's Daemon).
            ::prctl(PR_SET_PDEATHSIG, SIGKILL);
            const int out = ::open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
            const int err = ::open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
            ::dup2(out, 1);
            ::dup2(err, 2);
            ::execve(cargv[0], cargv.data(), cenv.data());
            ::_exit(127);
        }
    }

    TempDir dir_;
    std::string status_;
    pid_t pid_ = -1;
    int port_ = 0;
    int exit_status_ = -1;
};

CommandResult oscsend(int port, std::vector<std::string> args) {
    args.insert(args.begin(), {kOscsend, "127.0.0.1", std::to_string(port)});
    return run_command(args);
}

TEST(OscMonitor, PrintsEveryTypeOscsendSends) {
    Monitor m({});
    EXPECT_EQ(oscsend(m.port(), {"/all", "ihfdsScmTFNI", "42", "-9000000000", "1.5", "0.25", "hi there", "sym", "x",
                                 "00903c7f"})
                  .exit_code,
              0);
    EXPECT_EQ(oscsend(m.port(), {"/oscillator/4/frequency", "f", "440.0"}).exit_code, 0);
    EXPECT_EQ(oscsend(m.port(), {"/foo", "iisff", "1000", "-1", "hello", "1.234", "5.678"}).exit_code, 0);
    EXPECT_EQ(oscsend(m.port(), {"/text", "ss", "東京", "quote \" back\\slash"}).exit_code, 0);
    EXPECT_EQ(oscsend(m.port(), {"/empty"}).exit_code, 0);
    EXPECT_EQ(m.wait_lines(5),
              "now /all ,ihfdsScmTFNI 42 -9000000000 1.5 0.25 \"hi there\" 'sym' 'x' midi(00,90,3c,7f) true false "
              "nil impulse\n"
              "now /oscillator/4/frequency ,f 440\n"
              "now /foo ,iisff 1000 -1 \"hello\" 1.234 5.678\n"
              "now /text ,ss \"東京\" \"quote \\\" back\\\\slash\"\n"
              "now /empty ,\n");
    const nlohmann::json s = m.wait_status([](const nlohmann::json& j) { return j["messages"] == 5; });
    EXPECT_EQ(s["packets"], 5);
    EXPECT_EQ(s["malformed"], 0);
    EXPECT_EQ(s["addresses"]["/foo"]["last"], ",iisff 1000 -1 \"hello\" 1.234 5.678");
    EXPECT_EQ(s["listen"][0]["address"], "127.0.0.1:" + std::to_string(m.port()));
    EXPECT_TRUE(fs::exists(m.dir() / "hb"));
    m.expect_clean_stop();
}

TEST(OscMonitor, PrintsBundlesAndWhatLibloCannotSend) {
    Monitor m({});
    Udp udp;
    const osc::TimeTag at = osc::TimeTag::from_parts(0xeeafd4c8, 0x40000000);  // 2026-11-24T09:18:00.25Z
    const osc::Bundle bundle{osc::TimeTag::immediately(),
                             {osc::Message{"/beat", {1}},
                              osc::Bundle{at,
                                          {osc::Message{"/bpm", {128.0f}},
                                           osc::Bundle{osc::TimeTag::from_parts(0xeeafd4c9, 0),
                                                       {osc::Message{"/deep", {osc::Nil{}}}}}}},
                              osc::Message{"/after", {}}}};
    udp.send(m.port(), osc::encode(bundle));
    // liblo drops these (VJ-NOTES §2.1, gotcha 6); a monitor must show them.
    udp.send(m.port(), osc::encode(osc::Message{"/colour", {osc::Rgba{0xff, 0, 0, 0x80}}}));
    udp.send(m.port(), osc::encode(osc::Message{"/arr", {osc::Array{1, 2}, std::string("x")}}));
    udp.send(m.port(), bytes_of(std::string("/old\0\0\0\0", 8)));
    udp.send(m.port(), osc::encode(osc::Message{"/blob", {osc::Blob{{std::byte{0xca}, std::byte{0xfe}}},
                                                           osc::TimeTag::from_parts(0xeeafd4c8, 0)}}));
    EXPECT_EQ(m.wait_lines(8),
              "now /beat ,i 1\n"
              "2026-11-24T09:18:00.250000Z /bpm ,f 128\n"
              "2026-11-24T09:18:01.000000Z /deep ,N nil\n"
              "now /after ,\n"
              "now /colour ,r #ff000080\n"
              "now /arr ,[ii]s [1 2] \"x\"\n"
              "now /old (no type tags)\n"
              "now /blob ,bt <2:cafe> 2026-11-24T09:18:00.000000Z\n");
    const nlohmann::json s = m.wait_status([](const nlohmann::json& j) { return j["packets"] == 5; });
    EXPECT_EQ(s["bundles"], 3);
    EXPECT_EQ(s["messages"], 8);
    m.expect_clean_stop();
}

TEST(OscMonitor, MalformedPacketsAreCountedAndLoggedAndTheMonitorCarriesOn) {
    Monitor m({});
    Udp udp;
    udp.send(m.port(), bytes_of("abc"));
    udp.send(m.port(), bytes_of(std::string("/a\0\0,ix\0\0\0\0\1", 12)));
    udp.send(m.port(), bytes_of(std::string("#bundle\0\0\0\0\0\0\0\0\1\0\0\0\x64", 20)));
    udp.send(m.port(), bytes_of(""));
    udp.send(m.port(), osc::encode(osc::Message{"/still/alive", {}}));
    EXPECT_EQ(m.wait_lines(1), "now /still/alive ,\n");
    // The status file is a snapshot once a second: one written before /still/alive arrived can
    // already show the four malformed packets, so wait for all five.
    const nlohmann::json s = m.wait_status([](const nlohmann::json& j) { return j["packets"] == 5; });
    EXPECT_EQ(s["malformed"], 4);
    EXPECT_EQ(s["packets"], 5);
    EXPECT_EQ(s["listen"][0]["malformed"], 4);
    const std::string log = m.err();
    EXPECT_THAT(log, HasSubstr("size is not a multiple of 4 at byte 0: [61] 62 63"));
    EXPECT_THAT(log, MatchesRegex("(.|\n)*vj-osc-monitor: warning: malformed packet \\(12 bytes\\) from "
                                  "127\\.0\\.0\\.1:[0-9]+ on 127\\.0\\.0\\.1:[0-9]+: unknown type tag 'x' at byte 6: "
                                  "2f 61 00 00 2c 69 \\[78\\] 00 00 00 00 01\n(.|\n)*"));
    EXPECT_THAT(log, HasSubstr("bundle element size not a positive multiple of 4 within the bundle at byte 16"));
    EXPECT_THAT(log, HasSubstr("empty packet at byte 0: []"));
    EXPECT_TRUE(m.running());
    m.expect_clean_stop();
}

TEST(OscMonitor, ForwardsEveryDatagramUnchanged) {
    Udp target;
    Monitor m({"--forward", "127.0.0.1:" + std::to_string(target.port())});
    const CommandResult expected = run_command({kOscsend, "-", "/vj/audio/level", "fi", "0.75", "3"});
    ASSERT_EQ(expected.exit_code, 0);
    EXPECT_EQ(oscsend(m.port(), {"/vj/audio/level", "fi", "0.75", "3"}).exit_code, 0);
    EXPECT_EQ(target.receive(3s), expected.out);
    // Malformed datagrams are forwarded too: the monitor tees, it does not judge.
    Udp udp;
    udp.send(m.port(), bytes_of("junk"));
    EXPECT_EQ(target.receive(3s), "junk");
    const nlohmann::json s = m.wait_status([](const nlohmann::json& j) { return j["forwarded"] == 2; });
    EXPECT_EQ(s["forwarded"], 2);
    EXPECT_EQ(s["forward_failed"], 0);
    m.expect_clean_stop();
}

TEST(OscMonitor, FilterAndLineCap) {
    Monitor m({"--filter", "/vj/audio/*", "--filter", "//beat", "--max-lines-per-second", "5"});
    Udp udp;
    for (int i = 0; i < 20; ++i) udp.send(m.port(), osc::encode(osc::Message{"/vj/audio/level", {i}}));
    for (int i = 0; i < 5; ++i) udp.send(m.port(), osc::encode(osc::Message{"/vj/video/fade", {i}}));
    udp.send(m.port(), osc::encode(osc::Message{"/clock/beat", {}}));
    // Five lines, then within about two seconds the summary of the rest of the window.
    const std::string out = m.wait_lines(6);
    EXPECT_THAT(out, MatchesRegex("now /vj/audio/level ,i 0\n"
                                  "now /vj/audio/level ,i 1\n"
                                  "now /vj/audio/level ,i 2\n"
                                  "now /vj/audio/level ,i 3\n"
                                  "now /vj/audio/level ,i 4\n"
                                  "skipped 16 messages in [12]\\.[0-9]s \\(over 5 lines/s\\): "
                                  "15 /vj/audio/level, 1 /clock/beat\n"));
    const nlohmann::json s = m.wait_status([](const nlohmann::json& j) { return j["messages"] == 26; });
    EXPECT_EQ(s["printed"], 5);
    EXPECT_EQ(s["filtered"], 5);
    EXPECT_EQ(s["skipped"], 16);
    EXPECT_EQ(s["addresses"]["/vj/video/fade"]["count"], 5);  // counted though not printed
    m.expect_clean_stop();
}

TEST(OscMonitor, ListensOnSeveralAddresses) {
    // A port that was free a moment ago (bound by the kernel's choice, then closed).
    const int second_port = Udp().port();
    Monitor m({"--listen", "127.0.0.1:" + std::to_string(second_port)});
    Udp udp;
    udp.send(m.port(), osc::encode(osc::Message{"/one", {}}));
    udp.send(second_port, osc::encode(osc::Message{"/two", {}}));
    m.wait_lines(2);
    const nlohmann::json s = m.wait_status([](const nlohmann::json& j) { return j["messages"] == 2; });
    ASSERT_EQ(s["listen"].size(), 2u);
    EXPECT_EQ(s["listen"][0]["messages"], 1);
    EXPECT_EQ(s["listen"][1]["address"], "127.0.0.1:" + std::to_string(second_port));
    EXPECT_EQ(s["listen"][1]["messages"], 1);
    m.expect_clean_stop();
}

TEST(OscMonitor, PortInUseIsAnErrorNamingTheAddress) {
    Udp taken;
    const std::string address = "127.0.0.1:" + std::to_string(taken.port());
    const CommandResult r = run_command({kMonitor, "--listen", address});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_EQ(r.err, "vj-osc-monitor: error: cannot listen on " + address + ": Address already in use\n");
    const CommandResult usage = run_command({kMonitor, "--listen", "localhost"});
    EXPECT_EQ(usage.exit_code, 2);
    EXPECT_EQ(usage.err, "vj-osc-monitor: error: --listen: 'localhost': expected HOST:PORT\n");
}

// The service as plugins/osc-monitor/service.yaml runs it: ready by sd_notify, output in
// `vjctl tail`, and the shipped Lua check healthy while /vj/audio/* traffic flows.
TEST(OscMonitor, UnderSupervisordWithItsLuaCheck) {
    TempDir files;
    const std::string status = (files / "osc.json").string();
    Daemon d("  osc-monitor:\n"
             "    command: [" + kMonitor + ", --listen, \"127.0.0.1:0\", --status, " + status + "]\n"
             "    ready: { notify: true, timeout: 5s }\n"
             "    health:\n"
             "      - type: lua\n"
             "        script: " VJ_SOURCE_DIR "/plugins/osc-monitor/lua/osc_traffic.lua\n"
             "        interval: 1m\n"
             "        args: { status: " + status + ", address: /vj/audio/*, max_silence: 5s }\n",
             "  lua_path: []\n");
    ASSERT_TRUE(d.wait_state("osc-monitor", {"running"}, 5s)) << d.log();
    int port = 0;
    ASSERT_TRUE(eventually(
        [&] {
            const auto j = nlohmann::json::parse(read_file(status), nullptr, false);
            if (j.is_discarded()) return false;
            const std::string a = j["listen"][0]["address"];
            port = std::stoi(a.substr(a.rfind(':') + 1));
            return true;
        },
        5s));
    EXPECT_EQ(oscsend(port, {"/vj/audio/level", "f", "0.5"}).exit_code, 0);
    // stderr is merged (logs.stderr default), so the "listening on" log line is there too.
    ASSERT_TRUE(eventually(
        [&] { return d.vjctl({"tail", "osc-monitor"}).out.find("\nnow /vj/audio/level ,f 0.5\n") != std::string::npos; },
        5s))
        << d.vjctl({"tail", "osc-monitor"}).out;
    // The status file shows the message within a second.
    ASSERT_TRUE(eventually([&] { return read_file(status).find("/vj/audio/level") != std::string::npos; }, 3s));
    const CommandResult health = d.vjctl({"health", "osc-monitor"});
    EXPECT_EQ(health.exit_code, 0) << health.out << health.err;
    EXPECT_THAT(health.out, MatchesRegex("(.|\n)*healthy +lua:osc_traffic +[0-9.]+ms +[0-9.]+ msg/s on /vj/audio/\\*, "
                                         "last [0-9.]+s ago\n(.|\n)*"));
}

}  // namespace
}  // namespace vj::test
