// The vjctl program: parses the command line, finds the socket, runs the command.
#include "app.hpp"

#include <csignal>
#include <filesystem>
#include <ostream>

#include "check.hpp"
#include "cli.hpp"
#include "client.hpp"
#include "commands.hpp"
#include "exit_code.hpp"
#include "interrupt.hpp"
#include "socket_path.hpp"

namespace vj::vjctl {
namespace {

/// The socket path named by a config file's supervisor.socket; diagnostics are printed.
std::optional<std::string> socket_from_config(const std::string& file, const config::Environment& env,
                                              std::ostream& err) {
    const auto loaded = config::load(file, env);
    if (!loaded.config) {
        for (const auto& diagnostic : loaded.diagnostics) {
            err << diagnostic.to_string() << '\n';
        }
        return std::nullopt;
    }
    return loaded.config->supervisor.socket;
}

}  // namespace

int run(const Process& process) {
    auto parsed = parse_command_line(process.args);
    if (auto* early = std::get_if<EarlyExit>(&parsed)) {
        process.out << early->out;
        process.err << early->err;
        return early->status;
    }
    const auto& inv = std::get<Invocation>(parsed);

    if (inv.command == Command::check) {
        std::error_code ec;
        const bool cwd_has_default = std::filesystem::exists("etc/services.yaml", ec);
        const auto file = choose_check_file(inv.check_file, inv.global.config, process.env, cwd_has_default);
        return run_check(file, process.env, process.out, process.err);
    }

    const auto choice = choose_socket(inv.global.socket, inv.global.config, process.env);
    std::string socket_path = choice.value;
    if (choice.source == SocketSource::config) {
        auto from_config = socket_from_config(choice.value, process.env, process.err);
        if (!from_config) {
            return exit_code::failed;
        }
        socket_path = std::move(*from_config);
    }

    const Transport transport = [&socket_path](const control::Request& request,
                                               std::chrono::milliseconds read_timeout) {
        return call(socket_path, request, read_timeout);
    };
    const FollowTransport follow_transport = [&socket_path](const control::Request& request,
                                                            std::chrono::milliseconds read_timeout,
                                                            const FollowHandlers& handlers) {
        // Ctrl-C, kill or a closed pipe end the stream quietly instead of killing vjctl.
        const StopSignals stop;
        return follow(socket_path, request, read_timeout, handlers, stop.fd());
    };
    if (inv.command == Command::tail) {
        // `vjctl tail | head`: a closed stdout is a write error that ends tail with status 0.
        std::signal(SIGPIPE, SIG_IGN);
    }
    const RenderOptions render{process.stdout_is_tty,
                               use_colour(process.stdout_is_tty, inv.global.no_color, process.env),
                               process.stdout_is_tty ? process.terminal_width : 0};
    return run_daemon_command(inv, transport, follow_transport, render, process.out, process.err);
}

}  // namespace vj::vjctl
