// supervisord: wiring only — parse flags, load the config, run the supervisor and its control socket.
#include <grp.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <cstdio>
#include <iostream>

#include <CLI/CLI.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>

#include "config/loader.hpp"
#include "control/server.hpp"
#include "os/proc.hpp"
#include "os/spawn.hpp"
#include "runtime/commands.hpp"
#include "runtime/log.hpp"
#include "runtime/lua_probes.hpp"
#include "runtime/probe_exec.hpp"
#include "runtime/supervisor.hpp"

namespace {

int run(const std::string& config_path, bool check_only) {
    using namespace vj;
    const auto env = config::process_environment();
    auto loaded = config::load(config_path, env);
    for (const auto& d : loaded.diagnostics) std::cerr << d.to_string() << '\n';
    if (!loaded.config) {
        std::cerr << "supervisord: error: " << config_path << ": " << loaded.diagnostics.size()
                  << " error(s), not starting\n";
        return 1;
    }
    if (check_only) {
        std::cout << config_path << ": ok (" << loaded.config->services.size() << " services)\n";
        return 0;
    }

    // Orphaned grandchildren are re-parented to us and reaped instead of lingering as zombies elsewhere.
    if (::prctl(PR_SET_CHILD_SUBREAPER, 1) != 0)
        runtime::log_error("cannot become a child subreaper: {}; orphaned grandchildren will not be reaped here",
                           std::strerror(errno));
    std::signal(SIGPIPE, SIG_IGN);
    // A log file over RLIMIT_FSIZE must fail the write (EFBIG, held and counted), not kill us.
    std::signal(SIGXFSZ, SIG_IGN);

    if (loaded.config->supervisor.log_file) {
        const auto path = loaded.config->supervisor.log_dir + "/supervisord.log";
        if (auto r = os::make_directories(loaded.config->supervisor.log_dir, 0755); !r)
            std::cerr << "supervisord: error: cannot create " << loaded.config->supervisor.log_dir << ": "
                      << r.error().message() << '\n';
        if (auto err = runtime::open_log_file(path); !err.empty())
            std::cerr << "supervisord: error: cannot open " << path << ": " << err << " (logging to stderr only)\n";
    }

    boost::asio::io_context io(1);
    runtime::SteadyClock clock;
    runtime::PosixLauncher launcher(env);
    const auto& sup_spec = loaded.config->supervisor;
    // Probes' own children are reaped by the supervisor and handed back through the registry.
    runtime::ChildRegistry children;
    runtime::PosixProbeExecutor posix_probes(io, children, env);
    runtime::LuaProbes probes(io, posix_probes, sup_spec.lua_path);
    runtime::Supervisor supervisor(io, *loaded.config, clock, launcher, &probes, &children);

    control::PeerPolicy policy{::geteuid(), std::nullopt};
    if (sup_spec.socket_group) {
        struct group* g = ::getgrnam(sup_spec.socket_group->c_str());
        if (!g) {
            std::cerr << "supervisord: error: socket_group '" << *sup_spec.socket_group << "' does not exist\n";
            return 1;
        }
        policy.group = g->gr_gid;
    }

    std::unique_ptr<control::Server> server;
    bool stopping = false;
    auto begin_shutdown = [&] {
        if (stopping) return;
        stopping = true;
        supervisor.shutdown([&] {
            if (server) server->close();
            runtime::log_info("all services stopped; exiting");
            io.stop();
        });
    };

    auto listening = control::Server::listen(
        io, sup_spec.socket, sup_spec.socket_mode, policy,
        [&](const control::Request& request, std::shared_ptr<control::Responder> responder) {
            runtime::handle_request(supervisor, request, responder, [&] { boost::asio::post(io, begin_shutdown); });
        });
    if (!listening) {
        std::cerr << "supervisord: error: " << listening.error() << '\n';
        return 1;
    }
    server = std::move(*listening);

    boost::asio::signal_set termination(io, SIGTERM, SIGINT, SIGHUP);
    std::function<void(const boost::system::error_code&, int)> on_signal =
        [&](const boost::system::error_code& ec, int signo) {
            if (ec) return;
            if (signo == SIGHUP) {
                runtime::log_info("SIGHUP: configuration reload is not supported yet; ignoring");
            } else {
                runtime::log_info("received SIG{}, shutting down", signo == SIGTERM ? "TERM" : "INT");
                begin_shutdown();
            }
            termination.async_wait(on_signal);
        };
    termination.async_wait(on_signal);

    runtime::log_info("listening on {}; {} services", sup_spec.socket, loaded.config->services.size());
    supervisor.start();
    io.run();
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    // Before any other descriptor exists, so that they are 3-6: see os::spawn().
    vj::os::reserve_spawn_slots();
    CLI::App app{"supervisord: runs and watches the services of a services.yaml"};
    std::string config_path = "etc/services.yaml";
    bool check_only = false;
    app.add_option("-c,--config", config_path, "the services.yaml to run")->capture_default_str();
    app.add_flag("--check", check_only, "validate the configuration and exit (0 valid, 1 invalid)");
    app.set_version_flag("--version", "supervisord 0.1.0");
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return app.exit(e) == 0 ? 0 : 2;
    }
    try {
        return run(config_path, check_only);
    } catch (const std::exception& e) {
        std::cerr << "supervisord: internal error: " << e.what() << '\n';
        return 70;
    }
}
