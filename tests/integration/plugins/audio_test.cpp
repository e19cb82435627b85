// vj-audio run for real: a real-time click track received by liblo's oscdump, a click track
// recorded from a private PulseAudio server (directly, and through alsa-lib's pulse device), a
// WAV file and stdin analysed to their end, bad flags, SIGTERM, and the status file. Waits on output, never sleeps blindly.
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <map>
#include <memory>
#include <numbers>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "integration/harness.hpp"
#include "sdk/osc.hpp"

namespace vj::test {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;

const std::string kAudio = VJ_PLUGIN_BIN_DIR "/vj-audio";

/// A child process with stdout and stderr in files and stdin from `stdin_fd` (or /dev/null);
/// killed and reaped on destruction if it is still running.
class Child {
public:
    Child(const std::vector<std::string>& argv, const std::filesystem::path& out, const std::filesystem::path& err,
          int stdin_fd = -1, const std::vector<std::pair<std::string, std::string>>& env = {}) {
        std::vector<char*> args;
        for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
        args.push_back(nullptr);
        pid_ = ::fork();
        if (pid_ == 0) {
            ::prctl(PR_SET_PDEATHSIG, SIGKILL);
            const int in = stdin_fd >= 0 ? stdin_fd : ::open("/dev/null", O_RDONLY);
            ::dup2(in, 0);
            const int o = ::open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
            const int e = ::open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
            ::dup2(o, 1);
            ::dup2(e, 2);
            for (const auto& [name, value] : env) ::setenv(name.c_str(), value.c_str(), 1);
            ::execv(args[0], args.data());
            ::_exit(127);
        }
    }
    ~Child() {
        if (!status_) {
            ::kill(pid_, SIGKILL);
            int s;
            ::waitpid(pid_, &s, 0);
        }
    }
    void signal(int sig) const { ::kill(pid_, sig); }
    /// The exit code (128 + signal when killed), or nullopt if still running after `timeout`.
    std::optional<int> wait(std::chrono::milliseconds timeout) {
        eventually(
            [&] {
                int s;
                if (::waitpid(pid_, &s, WNOHANG) == pid_) status_ = WIFEXITED(s) ? WEXITSTATUS(s) : 128 + WTERMSIG(s);
                return status_.has_value();
            },
            timeout);
        return status_;
    }

private:
    pid_t pid_ = -1;
    std::optional<int> status_;
};

/// A UDP port on 127.0.0.1 nobody uses right now.
int free_udp_port() {
    const int fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
    socklen_t len = sizeof a;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
    ::close(fd);
    return ntohs(a.sin_port);
}

void send_osc(int port, const std::string& address) {
    const auto bytes = sdk::osc::encode(sdk::osc::Message{address, {}});
    const int fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(static_cast<std::uint16_t>(port));
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::sendto(fd, bytes.data(), bytes.size(), 0, reinterpret_cast<sockaddr*>(&a), sizeof a);
    ::close(fd);
}

/// A mono click loop like the generator's test:click (kick on beats, hat on off-beats, noise
/// floor), written here so that the test does not depend on the code under test to make its input.
std::vector<float> click_loop(double bpm, double seconds, double rate = 44100) {
    const auto n = static_cast<std::size_t>(seconds * rate);
    std::vector<float> out(n);
    const double period = 60.0 / bpm;
    std::uint32_t noise = 12345;
    auto white = [&] {
        noise = noise * 1664525u + 1013904223u;
        return static_cast<float>(noise >> 8) / static_cast<float>(1u << 24) * 2.0f - 1.0f;
    };
    float previous = 0;
    for (std::size_t i = 0; i < n; ++i) {
        const double t = static_cast<double>(i) / rate;
        const double beat_t = std::fmod(t - 0.25 + 100 * period, period);
        double s = 0.01 * white();
        if (beat_t < 0.12) {   // kick: 150 -> 50 Hz, decaying
            const double f = 150.0 - 100.0 * beat_t / 0.12;
            s += 0.5 * std::exp(-beat_t / 0.05) * std::sin(2 * std::numbers::pi * f * beat_t);
        }
        const double hat_t = std::fmod(beat_t + period / 2, period);
        if (hat_t < 0.03) {   // hat: differentiated noise
            const float w = white();
            s += 0.3 * std::exp(-hat_t / 0.01) * (w - previous);
            previous = w;
        }
        out[i] = static_cast<float>(s);
    }
    return out;
}

/// A 16-bit PCM WAV of `mono` copied to `channels` channels.
void write_wav(const std::filesystem::path& path, const std::vector<float>& mono, int channels, int rate = 44100) {
    std::ofstream f(path, std::ios::binary);
    auto u32 = [&](std::uint32_t v) { f.write(reinterpret_cast<const char*>(&v), 4); };
    auto u16 = [&](std::uint16_t v) { f.write(reinterpret_cast<const char*>(&v), 2); };
    const auto data = static_cast<std::uint32_t>(mono.size() * static_cast<std::size_t>(channels) * 2);
    f.write("RIFF", 4);
    u32(36 + data);
    f.write("WAVEfmt ", 8);
    u32(16);
    u16(1);
    u16(static_cast<std::uint16_t>(channels));
    u32(static_cast<std::uint32_t>(rate));
    u32(static_cast<std::uint32_t>(rate * channels * 2));
    u16(static_cast<std::uint16_t>(channels * 2));
    u16(16);
    f.write("data", 4);
    u32(data);
    for (const float s : mono) {
        const auto v = static_cast<std::int16_t>(std::lround(std::clamp(s, -1.0f, 1.0f) * 32767.0f));
        for (int c = 0; c < channels; ++c) u16(static_cast<std::uint16_t>(v));
    }
}

/// Raw interleaved float32 (this machine is little-endian, as vj-audio's stdin wants).
void write_raw(const std::filesystem::path& path, const std::vector<float>& mono, int channels) {
    std::ofstream f(path, std::ios::binary);
    for (const float s : mono)
        for (int c = 0; c < channels; ++c) f.write(reinterpret_cast<const char*>(&s), sizeof s);
}

/// One line of oscdump: "SSSSSSSS.FFFFFFFF /address types v1 v2 ...".
struct Line {
    double time = 0;   // the timetag in seconds (the receive time for a bare message)
    std::string address;
    std::string types;
    std::vector<double> values;
};

std::vector<Line> parse_oscdump(const std::string& text) {
    std::vector<Line> lines;
    std::istringstream in(text);
    std::string raw;
    while (std::getline(in, raw)) {
        std::istringstream words(raw);
        std::string stamp;
        Line l;
        if (!(words >> stamp >> l.address)) continue;
        words >> l.types;
        const auto dot = stamp.find('.');
        if (dot == std::string::npos) continue;
        l.time = static_cast<double>(std::stoul(stamp.substr(0, dot), nullptr, 16)) +
                 static_cast<double>(std::stoul(stamp.substr(dot + 1), nullptr, 16)) / 4294967296.0;
        for (std::string v; words >> v;) l.values.push_back(std::strtod(v.c_str(), nullptr));
        lines.push_back(std::move(l));
    }
    return lines;
}

const char* const kStatusKeys[] = {"input",          "sample_rate", "channels",       "bpm",  "bpm_confidence", "level",
                                   "level_db",       "peak_db",     "bands",          "beats", "onsets",        "hops",
                                   "stream_time_s",  "dropped_frames", "hop_time_us", "osc",   "level_history_db"};

void expect_status_shape(const nlohmann::json& s) {
    for (const char* key : kStatusKeys) EXPECT_TRUE(s.contains(key)) << key << " missing in " << s.dump();
    for (const char* band : {"bass", "mid", "midhigh", "high"}) {
        EXPECT_TRUE(s["bands"][band].contains("level")) << band;
        EXPECT_TRUE(s["bands"][band].contains("db")) << band;
    }
    EXPECT_TRUE(s["hop_time_us"].contains("p50"));
    EXPECT_TRUE(s["hop_time_us"].contains("p99"));
    for (const char* key : {"targets", "sent", "failed"}) EXPECT_TRUE(s["osc"].contains(key)) << key;
    EXPECT_TRUE(s["level_history_db"].is_array());
}

class AudioWorker : public ::testing::Test {
protected:
    void SetUp() override { ASSERT_TRUE(std::filesystem::exists(kAudio)) << kAudio << " is not built (VJ_PLUGIN_BIN_DIR)"; }

    TempDir dir_;
    std::string path(const std::string& name) const { return (dir_ / name).string(); }
    nlohmann::json status(const std::string& name = "audio.json") const {
        return nlohmann::json::parse(read_file(dir_ / name), nullptr, false);
    }
    /// vj-audio recording `input` from the PulseAudio server `server` (PULSE_SERVER set), with its
    /// status in audio.json (a previous run's removed first), once it has analysed 20 hops (an idle
    /// null sink's monitor delivers silence); null, with the reason in `why`, if it does not get there.
    std::unique_ptr<Child> record(const std::string& server, const std::string& input, std::string& why) {
        std::filesystem::remove(dir_ / "audio.json");
        auto audio = std::make_unique<Child>(
            std::vector<std::string>{kAudio, "--input", input, "--status", path("audio.json"), "--osc",
                                     "127.0.0.1:" + std::to_string(free_udp_port())},
            dir_ / "audio.out", dir_ / "audio.err", -1, std::vector<std::pair<std::string, std::string>>{{"PULSE_SERVER", server}});
        if (eventually([&] { return hops_now() > 20; }, 10s)) return audio;
        why = "vj-audio did not record from " + input + ":\n" + read_file(dir_ / "audio.err");
        return nullptr;
    }

    /// Plays 20 s of a 120 BPM click track into the null sink of `server` (PulseServer) with
    /// paplay and waits until vj-audio's status file reads 120 ± 1 BPM and 4 beats; the status
    /// file then, or an empty object with the reason in `why`.
    nlohmann::json play_click_until_tempo(const std::string& server, std::string& why) {
        write_wav(dir_ / "loop.wav", click_loop(120, 20), 2);
        Child play({"/usr/bin/paplay", "--server", server, "--device", "vjtest", path("loop.wav")}, dir_ / "play.out",
                   dir_ / "play.err");
        nlohmann::json s;
        const bool tempo = eventually(
            [&] {
                s = status();
                return s.is_object() && s.contains("bpm") && std::abs(s["bpm"].get<double>() - 120) <= 1 &&
                       s["beats"].get<int>() >= 4;
            },
            20s);
        if (tempo) return s;
        why = s.dump() + "\nvj-audio said:\n" + read_file(dir_ / "audio.err") + "\npaplay said:\n" + read_file(dir_ / "play.err");
        return nlohmann::json::object();
    }

    /// The status file's hops, or -1 while there is no complete status file yet.
    long hops_now() const {
        const auto s = status();
        return s.is_object() && s.contains("hops") ? s["hops"].get<long>() : -1;
    }
};

// The point of the plugin: a real-time run received by a real OSC implementation.
TEST_F(AudioWorker, RealTimeClickTrackReachesOscdump) {
    const int port = free_udp_port();
    Child dump({"/usr/bin/oscdump", "-L", std::to_string(port)}, dir_ / "dump.out", dir_ / "dump.err");
    // oscdump says nothing when it is ready: knock until it prints what we send.
    ASSERT_TRUE(eventually(
        [&] {
            send_osc(port, "/ping");
            return read_file(dir_ / "dump.out").find("/ping") != std::string::npos;
        },
        5s))
        << read_file(dir_ / "dump.err");

    const auto started = std::chrono::steady_clock::now();
    Child audio({kAudio, "--input", "test:click:120", "--osc", "127.0.0.1:" + std::to_string(port), "--status",
                 path("audio.json"), "--heartbeat", path("audio.hb")},
                dir_ / "audio.out", dir_ / "audio.err");
    // Wait for a tempo near 120 (the estimator needs 3 s of audio), then a few more beats.
    std::vector<Line> lines;
    const bool tempo = eventually(
        [&] {
            lines = parse_oscdump(read_file(dir_ / "dump.out"));
            int beats_after_tempo = 0;
            bool seen = false;
            for (const Line& l : lines) {
                if (l.address == "/vj/audio/bpm" && l.values.size() == 2 && std::abs(l.values[0] - 120) <= 2) seen = true;
                if (seen && l.address == "/vj/audio/beat") ++beats_after_tempo;
            }
            return seen && beats_after_tempo >= 4;
        },
        15s);
    ASSERT_TRUE(tempo) << "no /vj/audio/bpm near 120 in:\n"
                       << read_file(dir_ / "dump.out").substr(0, 4000) << "\nvj-audio said:\n"
                       << read_file(dir_ / "audio.err");
    RecordProperty("seconds_to_tempo",
                   std::to_string(std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count()));

    std::map<std::string, std::string> types;
    std::vector<Line> beats;
    for (const Line& l : lines) {
        if (l.address == "/ping") continue;
        types[l.address] = l.types;
        if (l.address == "/vj/audio/beat") beats.push_back(l);
        if (l.types.find('f') == 0 && l.address != "/vj/audio/onset" && l.address != "/vj/audio/bpm") {
            for (const double v : l.values) {
                EXPECT_GE(v, 0.0) << l.address;
                EXPECT_LE(v, 1.0) << l.address;
            }
        }
    }
    EXPECT_EQ(types["/vj/audio/level"], "f");
    EXPECT_EQ(types["/vj/audio/bass"], "f");
    EXPECT_EQ(types["/vj/audio/mid"], "f");
    EXPECT_EQ(types["/vj/audio/midhigh"], "f");
    EXPECT_EQ(types["/vj/audio/high"], "f");
    EXPECT_EQ(types["/vj/audio/bands"], "ffff");
    EXPECT_EQ(types["/vj/audio/onset"], "f");
    EXPECT_EQ(types["/vj/audio/beat"], "i");
    EXPECT_EQ(types["/vj/audio/bpm"], "ff");

    // The beat counter rises by one per beat, about two a second (received times of bare messages).
    ASSERT_GE(beats.size(), 4u);
    for (std::size_t i = 1; i < beats.size(); ++i) EXPECT_EQ(beats[i].values[0], beats[i - 1].values[0] + 1);
    const double span = beats.back().time - beats.front().time;
    const double per_second = static_cast<double>(beats.size() - 1) / span;
    EXPECT_NEAR(per_second, 2.0, 0.25) << beats.size() << " beats in " << span << " s";

    // SIGTERM: exit 0 well within a second, the status file written and complete.
    const auto term = std::chrono::steady_clock::now();
    audio.signal(SIGTERM);
    EXPECT_EQ(audio.wait(1s), 0) << read_file(dir_ / "audio.err");
    EXPECT_LT(std::chrono::steady_clock::now() - term, 1s);
    const auto s = status();
    ASSERT_FALSE(s.is_discarded()) << read_file(dir_ / "audio.json");
    expect_status_shape(s);
    EXPECT_EQ(s["input"], "test:click:120");
    EXPECT_NEAR(s["bpm"].get<double>(), 120.0, 2.0);
    EXPECT_GT(s["osc"]["sent"].get<int>(), 100);
    EXPECT_GE(s["level_history_db"].size(), 3u);
    EXPECT_TRUE(std::filesystem::exists(dir_ / "audio.hb"));
}

/// A private PulseAudio server: its own runtime and state directories under `dir`, a socket
/// there, and one null sink named "vjtest" whose monitor source is what vj-audio records. Killed
/// with the test. Skips the test where pulseaudio is not installed (scripts/setup.sh installs it
/// unless the machine's sound already goes through PipeWire).
class PulseServer {
public:
    explicit PulseServer(const std::filesystem::path& dir) : dir_(dir), socket_(dir / "native") {}

    /// Starts the server and waits until pactl gets an answer from it; false (with the reason in
    /// `why`) if it does not come up within 10 s.
    bool start(std::string& why) {
        std::filesystem::create_directories(dir_ / "run");
        std::filesystem::create_directories(dir_ / "state");
        const std::vector<std::pair<std::string, std::string>> env = {
            {"HOME", dir_.string()},
            {"XDG_RUNTIME_DIR", (dir_ / "run").string()},
            {"PULSE_RUNTIME_PATH", (dir_ / "run").string()},
            {"PULSE_STATE_PATH", (dir_ / "state").string()},
        };
        // -n: no default script, so nothing but these two modules (no hardware, no D-Bus, no X11).
        server_.emplace(std::vector<std::string>{"/usr/bin/pulseaudio", "-n", "--daemonize=no", "--exit-idle-time=-1",
                                                 "--use-pid-file=no", "--log-target=stderr", "--log-level=warn", "-L",
                                                 "module-native-protocol-unix socket=" + socket_.string() + " auth-anonymous=1",
                                                 "-L", "module-null-sink sink_name=vjtest rate=44100 channels=2"},
                        dir_ / "pulse.out", dir_ / "pulse.err", -1, env);
        CommandResult info;
        if (eventually(
                [&] {
                    info = run_command({"/usr/bin/pactl", "--server", server(), "info"});
                    return info.exit_code == 0;
                },
                10s))
            return true;
        why = "the PulseAudio server did not answer pactl: " + info.err + "\nits log:\n" + read_file(dir_ / "pulse.err");
        return false;
    }
    std::string server() const { return "unix:" + socket_.string(); }
    void signal(int sig) const { server_->signal(sig); }
    void kill() { server_.reset(); }

private:
    std::filesystem::path dir_;
    std::filesystem::path socket_;
    std::optional<Child> server_;
};

// The pulse input recording for real: a click track played into a null sink by paplay is read
// from that sink's monitor, the tempo found, and the server's death is an exit 1 naming it.
TEST_F(AudioWorker, PulseRecordsWhatANullSinkPlays) {
    if (!std::filesystem::exists("/usr/bin/pulseaudio") || !std::filesystem::exists("/usr/bin/paplay"))
        GTEST_SKIP() << "pulseaudio and paplay are not installed (scripts/setup.sh installs them unless PipeWire is)";
    PulseServer pulse(dir_ / "pulse");
    std::string why;
    ASSERT_TRUE(pulse.start(why)) << why;

    const auto audio = record(pulse.server(), "pulse:vjtest.monitor", why);
    ASSERT_TRUE(audio) << why;

    const nlohmann::json s = play_click_until_tempo(pulse.server(), why);
    ASSERT_FALSE(s.empty()) << why;
    expect_status_shape(s);
    EXPECT_EQ(s["input"], "pulse:vjtest.monitor");
    EXPECT_EQ(s["channels"], 2);
    EXPECT_EQ(s["sample_rate"], 44100.0);
    EXPECT_GT(s["level_db"].get<double>(), -30.0);
    EXPECT_GT(s["onsets"].get<int>(), 4);

    // The server goes away: vj-audio says so and exits 1, for the supervisor to restart it.
    pulse.kill();
    EXPECT_EQ(audio->wait(5s), 1);
    EXPECT_THAT(read_file(dir_ / "audio.err"), HasSubstr("PulseAudio source vjtest.monitor"));
}

// The alsa input recording for real, with no sound card: alsa-lib's own "pulse" PCM (from
// libasound2-plugins) is a software device that records from the PulseAudio server.
TEST_F(AudioWorker, AlsaRecordsThroughAlsaLibsPulseDevice) {
    if (!std::filesystem::exists("/usr/bin/pulseaudio") || !std::filesystem::exists("/usr/share/alsa/alsa.conf.d/pulse.conf"))
        GTEST_SKIP() << "pulseaudio and libasound2-plugins are not installed (scripts/setup.sh installs them unless PipeWire is)";
    PulseServer pulse(dir_ / "pulse");
    std::string why;
    ASSERT_TRUE(pulse.start(why)) << why;
    // The null sink's monitor is the server's default source, which the ALSA pulse device records.
    const auto audio = record(pulse.server(), "alsa:pulse", why);
    ASSERT_TRUE(audio) << why;

    const nlohmann::json s = play_click_until_tempo(pulse.server(), why);
    ASSERT_FALSE(s.empty()) << why;
    EXPECT_EQ(s["input"], "alsa:pulse");
    EXPECT_EQ(s["channels"], 2);
    EXPECT_GT(s["level_db"].get<double>(), -30.0);

    audio->signal(SIGTERM);
    EXPECT_EQ(audio->wait(2s), 0) << read_file(dir_ / "audio.err");
}

// A server that stops answering (here SIGSTOP) leaves a capture read blocked for good. The read
// is on a thread of its own, so SIGTERM still stops vj-audio at once, with exit 0; left alone, it
// gives up after 5 s without audio with exit 1, for the supervisor to restart it.
TEST_F(AudioWorker, PulseCaptureSurvivesAHungServer) {
    if (!std::filesystem::exists("/usr/bin/pulseaudio"))
        GTEST_SKIP() << "pulseaudio is not installed (scripts/setup.sh installs it unless PipeWire is)";
    PulseServer pulse(dir_ / "pulse");
    std::string why;
    ASSERT_TRUE(pulse.start(why)) << why;
    const auto status_path = dir_ / "audio.json";
    // The status file is rewritten once a second by the main loop: waits for the next rewrite.
    auto next_rewrite = [&] {
        const auto before = std::filesystem::last_write_time(status_path);
        return eventually([&] { return std::filesystem::last_write_time(status_path) != before; }, 3s);
    };

    auto audio = record(pulse.server(), "pulse:vjtest.monitor", why);
    ASSERT_TRUE(audio) << why;
    pulse.signal(SIGSTOP);
    // Stuck, main loop alive: two rewrites in a row with no new hop in between. (What the client
    // had buffered may still trickle in just after the stop, so not necessarily the first pair;
    // three tries stay well inside the 5 s stall limit.)
    long previous = hops_now();
    bool stuck = false;
    for (int i = 0; i < 3 && !stuck; ++i) {
        ASSERT_TRUE(next_rewrite()) << "the main loop is blocked too\n" << read_file(dir_ / "audio.err");
        const long now = hops_now();
        stuck = now == previous;
        previous = now;
    }
    ASSERT_TRUE(stuck) << "vj-audio kept analysing with its server stopped";

    const auto term = std::chrono::steady_clock::now();
    audio->signal(SIGTERM);
    EXPECT_EQ(audio->wait(2s), 0) << read_file(dir_ / "audio.err");
    EXPECT_LT(std::chrono::steady_clock::now() - term, 1s);
    EXPECT_THAT(read_file(dir_ / "audio.err"), HasSubstr("does not answer: leaving without closing the stream"));

    // Again, and this time nobody stops it: 5 s without audio is an error.
    pulse.signal(SIGCONT);
    audio = record(pulse.server(), "pulse:vjtest.monitor", why);
    ASSERT_TRUE(audio) << why;
    const auto stalled = std::chrono::steady_clock::now();
    pulse.signal(SIGSTOP);
    EXPECT_EQ(audio->wait(10s), 1) << read_file(dir_ / "audio.err");
    EXPECT_GE(std::chrono::steady_clock::now() - stalled, 5s);
    EXPECT_THAT(read_file(dir_ / "audio.err"), HasSubstr("pulse:vjtest.monitor: no audio for 5 s: the server does not answer"));
    pulse.signal(SIGCONT);
}

TEST_F(AudioWorker, FastFileRunsToItsEndWithTheLoopTempo) {
    const auto loop = click_loop(128, 20);
    write_wav(dir_ / "loop.wav", loop, 2);
    const CommandResult r = run_command({kAudio, "--input", "file:" + path("loop.wav"), "--fast", "--status", path("audio.json"),
                                         "--osc", "127.0.0.1:" + std::to_string(free_udp_port())});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto s = status();
    ASSERT_FALSE(s.is_discarded()) << read_file(dir_ / "audio.json");
    expect_status_shape(s);
    EXPECT_NEAR(s["bpm"].get<double>(), 128.0, 1.0) << s.dump();
    EXPECT_EQ(s["channels"], 2);
    EXPECT_EQ(s["sample_rate"], 44100.0);
    EXPECT_EQ(s["hops"], loop.size() / 512);
    EXPECT_NEAR(s["stream_time_s"].get<double>(), 20.0, 0.02);
    EXPECT_EQ(s["dropped_frames"], 0);
    EXPECT_GT(s["beats"].get<int>(), 20);
}

TEST_F(AudioWorker, StdinIsReadToItsEnd) {
    const auto loop = click_loop(120, 6, 48000);
    write_raw(dir_ / "in.f32", loop, 2);
    const int in = ::open(path("in.f32").c_str(), O_RDONLY | O_CLOEXEC);
    ASSERT_GE(in, 0);
    Child audio({kAudio, "--input", "stdin", "--channels", "2", "--sample-rate", "48000", "--status", path("audio.json")},
                dir_ / "audio.out", dir_ / "audio.err", in);
    ::close(in);
    ASSERT_EQ(audio.wait(10s), 0) << read_file(dir_ / "audio.err");
    const auto s = status();
    ASSERT_FALSE(s.is_discarded());
    EXPECT_EQ(s["input"], "stdin");
    EXPECT_EQ(s["hops"], loop.size() / 512);
    EXPECT_EQ(s["sample_rate"], 48000.0);
    EXPECT_GT(s["level_db"].get<double>(), -20.0);
}

TEST_F(AudioWorker, SigtermStopsAWaitingStdinWithinASecond) {
    int fds[2];
    ASSERT_EQ(::pipe2(fds, O_CLOEXEC), 0);
    Child audio({kAudio, "--input", "stdin", "--status", path("audio.json")}, dir_ / "audio.out", dir_ / "audio.err", fds[0]);
    ::close(fds[0]);
    // Some audio, then nothing: vj-audio waits on the pipe. (Should it have died, the write fails
    // with EPIPE instead of killing the test with SIGPIPE.)
    struct sigaction ignore {}, previous{};
    ignore.sa_handler = SIG_IGN;
    ::sigaction(SIGPIPE, &ignore, &previous);
    const auto loop = click_loop(120, 1);
    std::vector<float> stereo;
    for (const float v : loop) stereo.insert(stereo.end(), {v, v});
    ASSERT_EQ(::write(fds[1], stereo.data(), stereo.size() * sizeof(float)), static_cast<ssize_t>(stereo.size() * sizeof(float)));
    ASSERT_TRUE(eventually([&] { return hops_now() == static_cast<long>(loop.size() / 512); }, 5s))
        << read_file(dir_ / "audio.err");
    const auto term = std::chrono::steady_clock::now();
    audio.signal(SIGTERM);
    EXPECT_EQ(audio.wait(1s), 0);
    EXPECT_LT(std::chrono::steady_clock::now() - term, 1s);
    ::close(fds[1]);
    ::sigaction(SIGPIPE, &previous, nullptr);
}

TEST_F(AudioWorker, BadUsageExitsTwoNamingTheFlag) {
    const std::pair<std::vector<std::string>, std::string> cases[] = {
        {{"--hop", "10"}, "vj-audio: error: --hop: 10 samples is outside 64"},
        {{"--input", "mic"}, "vj-audio: error: --input: 'mic': expected"},
        {{"--map", "127.0.0.1:9000,loud=/x"}, "vj-audio: error: --map: "},
        {{"--bpm-range", "100:120"}, "vj-audio: error: --bpm-range: "},
        {{"--bogus"}, "--bogus"},
    };
    for (const auto& [args, message] : cases) {
        std::vector<std::string> argv{kAudio};
        argv.insert(argv.end(), args.begin(), args.end());
        const CommandResult r = run_command(argv);
        EXPECT_EQ(r.exit_code, 2) << args[0];
        EXPECT_THAT(r.err, HasSubstr(message));
    }
    // Two problems, both reported.
    const CommandResult both = run_command({kAudio, "--hop", "10", "--rate", "0"});
    EXPECT_EQ(both.exit_code, 2);
    EXPECT_THAT(both.err, HasSubstr("--hop: "));
    EXPECT_THAT(both.err, HasSubstr("--rate: "));
}

TEST_F(AudioWorker, MissingFileExitsOne) {
    const CommandResult r = run_command({kAudio, "--input", "file:" + path("nope.wav")});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_THAT(r.err, HasSubstr("cannot open " + path("nope.wav")));
}

}  // namespace
}  // namespace vj::test
