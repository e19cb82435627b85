// OSC monitor benchmark (issue 6): messages decoded per second in-process, and messages per second
// that a running vj-osc-monitor takes over UDP on loopback without losing any.
//
//   osc_bench decode                      in-process: decode, and decode + print, per message
//   osc_bench udp VJ_OSC_MONITOR          loopback: one paced sender at rising rates, single messages
//                                         and frame bundles; loss from the monitor's status file
// Prints Markdown tables and key=value lines; bench/plugins.sh runs it.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "sdk/osc.hpp"

namespace osc = vj::sdk::osc;
using Clock = std::chrono::steady_clock;
namespace fs = std::filesystem;

namespace {

double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

// What vj-audio sends 60 times a second: one bundle of level, four bands and the band vector.
std::vector<std::byte> frame_bundle() {
    osc::Bundle b;
    for (const char* name : {"level", "bass", "mid", "midhigh", "high"})
        b.elements.push_back(osc::Message{std::string("/vj/audio/") + name, {0.5f}});
    b.elements.push_back(osc::Message{"/vj/audio/bands", {0.1f, 0.2f, 0.3f, 0.4f}});
    return osc::encode(b);
}

std::vector<std::byte> beat_message(int n) { return osc::encode(osc::Message{"/vj/audio/beat", {std::int32_t{n}}}); }

int decode_bench() {
    struct Case {
        const char* name;
        std::vector<std::byte> packet;
        int messages;
    };
    const Case cases[] = {{"frame bundle (6 messages, 12 floats)", frame_bundle(), 6},
                          {"single message /vj/audio/beat ,i", beat_message(7), 1}};
    std::printf("| packet | decode: messages/s | decode + print: messages/s |\n|---|--:|--:|\n");
    for (const Case& c : cases) {
        double rate[2] = {};
        for (int print = 0; print < 2; ++print) {
            std::size_t sink = 0;
            long packets = 0;
            const auto start = Clock::now();
            while (seconds_since(start) < 1.0) {
                for (int i = 0; i < 1000; ++i) {
                    auto r = osc::decode(c.packet);
                    if (!r) return std::fprintf(stderr, "osc_bench: decode failed\n"), 1;
                    if (print)
                        for (const auto& line : osc::format_packet(*r)) sink += line.size();
                    else
                        sink += r->index();
                }
                packets += 1000;
            }
            rate[print] = packets * c.messages / seconds_since(start);
            if (sink == 42) std::puts("");   // keeps the work observable
        }
        std::printf("| %s | %.0f | %.0f |\n", c.name, rate[0], rate[1]);
    }
    return 0;
}

int free_udp_port() {
    const int fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
    ::close(fd);
    return ntohs(a.sin_port);
}

struct Counts {
    long packets = -1;
    long messages = -1;
};

Counts status_counts(const fs::path& status) {
    std::ifstream in(status);
    if (!in) return {};
    try {
        const auto j = nlohmann::json::parse(in);
        return {j.at("packets").get<long>(), j.at("messages").get<long>()};
    } catch (const std::exception&) {
        return {};   // mid-rename: read again
    }
}

// Waits until the monitor's counts stop moving (its status file is rewritten once a second).
Counts settled_counts(const fs::path& status) {
    Counts last;
    for (int i = 0; i < 20; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(1200));
        const Counts now = status_counts(status);
        if (now.packets >= 0 && now.packets == last.packets) return now;
        last = now;
    }
    return last;
}

int udp_bench(const char* monitor) {
    const fs::path dir = fs::temp_directory_path() / ("osc_bench." + std::to_string(::getpid()));
    fs::create_directories(dir);
    const fs::path status = dir / "status.json";
    const int port = free_udp_port();
    const std::string listen = "127.0.0.1:" + std::to_string(port);
    const pid_t pid = ::fork();
    if (pid == 0) {
        const std::string status_arg = status.string();
        ::freopen("/dev/null", "w", stdout);   // the printed lines are capped; their cost is the monitor's
        ::execl(monitor, monitor, "--listen", listen.c_str(), "--status", status_arg.c_str(), "--log-level", "error",
                static_cast<char*>(nullptr));
        ::_exit(127);
    }
    const int fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    sockaddr_in to{};
    to.sin_family = AF_INET;
    to.sin_port = htons(static_cast<std::uint16_t>(port));
    to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    for (int i = 0; i < 100 && status_counts(status).packets < 0; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(50));

    struct Series {
        const char* name;
        std::vector<std::byte> packet;
        int messages;
    };
    const Series series[] = {{"/vj/audio/beat ,i", beat_message(1), 1}, {"frame bundle (6 messages)", frame_bundle(), 6}};
    Counts before = settled_counts(status);
    std::printf("| packet | asked packets/s | sent packets/s | messages/s | packets sent | received | lost |\n"
                "|---|--:|--:|--:|--:|--:|--:|\n");
    double best_packets = 0, best_messages = 0;
    for (const Series& s : series) {
        for (long rate : {10'000L, 50'000L, 100'000L, 200'000L, 400'000L, 0L}) {
            // Two seconds at `rate` packets/s (0: as fast as one sender goes), paced in 200 us slices.
            // The sender is one thread; above its own limit the "sent" rate is what went out.
            const double duration = 2.0;
            long sent = 0;
            const auto start = Clock::now();
            while (true) {
                const double t = seconds_since(start);
                if (t >= duration) break;
                const long due = rate ? static_cast<long>(t * static_cast<double>(rate)) : sent + 64;
                while (sent < due) {
                    if (::sendto(fd, s.packet.data(), s.packet.size(), 0, reinterpret_cast<sockaddr*>(&to), sizeof to) > 0)
                        ++sent;
                    else
                        break;
                }
                if (rate) std::this_thread::sleep_for(std::chrono::microseconds(200));
            }
            const double took = seconds_since(start);
            const Counts after = settled_counts(status);
            const long received = after.packets - before.packets;
            const long messages = after.messages - before.messages;
            before = after;
            const long lost = sent - received;
            const double sent_rate = static_cast<double>(sent) / took;
            std::printf("| %s | %s | %.0f | %.0f | %ld | %ld | %ld (%.2f %%) |\n", s.name,
                        rate ? std::to_string(rate).c_str() : "unpaced", sent_rate, static_cast<double>(messages) / took,
                        sent, received, lost, sent ? 100.0 * static_cast<double>(lost) / static_cast<double>(sent) : 0.0);
            if (lost == 0) {
                best_packets = std::max(best_packets, sent_rate);
                best_messages = std::max(best_messages, static_cast<double>(messages) / took);
            }
        }
    }
    std::printf("\nosc_monitor_lossless_packets_per_s=%.0f\nosc_monitor_lossless_messages_per_s=%.0f\n", best_packets,
                best_messages);
    ::kill(pid, SIGTERM);
    ::waitpid(pid, nullptr, 0);
    ::close(fd);
    fs::remove_all(dir);
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    const std::string mode = argc > 1 ? argv[1] : "";
    if (mode == "decode") return decode_bench();
    if (mode == "udp" && argc > 2) return udp_bench(argv[2]);
    std::fprintf(stderr, "usage: osc_bench decode | osc_bench udp PATH-TO-vj-osc-monitor\n");
    return 2;
}
