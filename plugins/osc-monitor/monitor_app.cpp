// Wires the monitor to its sockets, the forward sender, stdout and the SDK worker loop.
#include "monitor_app.hpp"

#include <poll.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <optional>
#include <string_view>

#include "monitor.hpp"
#include "sdk/log.hpp"
#include "sdk/osc_sender.hpp"
#include "udp_listener.hpp"

namespace vj::osc_monitor {
namespace {

// Writes `text` to stdout whole. stdout is the pipe supervisord reads; if it is full (or was
// left non-blocking by whoever started us), wait for it a little rather than lose lines, but
// never hang the loop: after a second the rest is dropped and counted.
std::uint64_t g_dropped_output = 0;

void write_stdout(std::string_view text) {
    int waits = 0;
    while (!text.empty()) {
        const ssize_t n = ::write(STDOUT_FILENO, text.data(), text.size());
        if (n > 0) {
            text.remove_prefix(static_cast<std::size_t>(n));
            continue;
        }
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) && waits++ < 10) {
            pollfd p{STDOUT_FILENO, POLLOUT, 0};
            ::poll(&p, 1, 100);
            continue;
        }
        if (g_dropped_output++ == 0) sdk::log_warn("cannot write to stdout: {}", n < 0 ? std::strerror(errno) : "short write");
        return;
    }
}

void emit(Output& out) {
    if (!out.lines.empty()) write_stdout(out.lines);
    for (const std::string& w : out.warnings) sdk::log_warn("{}", w);
    out.clear();
}

}  // namespace

int run_monitor(MonitorOptions options) {
    auto worker = sdk::Worker::create("vj-osc-monitor", options.common);
    if (!worker) return exit_failure;

    std::vector<UdpListener> listeners;
    listeners.reserve(options.listen.size());
    for (const sdk::Endpoint& e : options.listen) {
        auto l = UdpListener::open(e, options.receive_buffer);
        if (!l) {
            sdk::log_error("{}", l.error());
            return exit_failure;
        }
        listeners.push_back(std::move(*l));
    }
    // OscSender cannot be assigned, only made: initialise the optional from create() itself.
    std::optional<sdk::OscSender> forward =
        options.forward.empty() ? std::nullopt : sdk::OscSender::create(options.forward);
    if (!options.forward.empty() && !forward) return exit_failure;

    MonitorConfig config;
    for (const UdpListener& l : listeners) config.listen.push_back(l.name());
    config.filters = std::move(options.filters);
    config.max_lines_per_second = options.max_lines_per_second;
    config.max_addresses = options.max_addresses;
    Monitor monitor(std::move(config), std::chrono::steady_clock::now());
    Output out;

    for (std::size_t i = 0; i < listeners.size(); ++i) {
        worker->watch(listeners[i].fd(), [&, i] {
            // One clock reading per drain: datagrams of one batch arrived within microseconds.
            const auto now = std::chrono::steady_clock::now();
            const auto wall = std::chrono::system_clock::now();
            listeners[i].drain([&](std::span<const std::byte> datagram, const sockaddr_storage& source) {
                if (forward) forward->send(datagram);
                monitor.datagram(i, datagram, format_socket_address(source), now, wall, out);
            });
            emit(out);
        });
    }
    worker->every(std::chrono::seconds(1), [&] {
        monitor.second(std::chrono::steady_clock::now(), out);
        emit(out);
    });
    worker->on_status([&] {
        nlohmann::json status = monitor.status(std::chrono::steady_clock::now(), std::chrono::system_clock::now());
        status["forwarded"] = forward ? forward->sent() : 0;
        status["forward_failed"] = forward ? forward->failed() : 0;
        nlohmann::json targets = nlohmann::json::array();
        for (const sdk::Endpoint& e : options.forward) targets.push_back(e.text);
        status["forward"] = std::move(targets);
        status["output_dropped"] = g_dropped_output;
        return status;
    });

    std::string names;
    for (const UdpListener& l : listeners) {
        sdk::log_info("listening on {} (receive buffer {} bytes)", l.name(), l.receive_buffer());
        names += (names.empty() ? "" : ", ") + l.name();
    }
    worker->ready("listening on " + names);
    const int status = worker->run();
    monitor.second(std::chrono::steady_clock::now() + std::chrono::seconds(1), out);  // flush a pending summary
    emit(out);
    return status == 0 ? exit_ok : exit_failure;
}

}  // namespace vj::osc_monitor
