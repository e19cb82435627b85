// The vjctl command line: subcommands, options and their parsing into an Invocation (CLI11).
#include "cli.hpp"

#include <algorithm>
#include <array>
#include <optional>
#include <sstream>
#include <utility>

#include <CLI/CLI.hpp>

#include "duration.hpp"
#include "exit_code.hpp"
#include "os/signal_names.hpp"

#ifndef VJ_VERSION
#error "VJ_VERSION must be defined by the build"
#endif

namespace vj::vjctl {
namespace {

const std::vector<std::string> state_names{"stopped", "starting", "running", "stopping",
                                           "exited",  "backoff",  "failed"};
const std::vector<std::string> health_names{"unknown", "healthy", "degraded", "unhealthy"};

CLI::Validator duration_validator() {
    return CLI::Validator(
        [](std::string& text) -> std::string {
            return parse_duration(text) ? std::string() : "not a duration (like 500ms, 10s, 1m30s): " + text;
        },
        "");
}

CLI::Validator signal_validator() {
    return CLI::Validator(
        [](std::string& text) -> std::string {
            return os::signal_from_name(text) ? std::string() : "not a known signal: " + text;
        },
        "");
}

/// `tail -n`: a count of lines, 0 to 999999999.
CLI::Validator count_validator() {
    return CLI::Validator(
        [](std::string& text) -> std::string {
            const bool digits = !text.empty() && text.size() <= 9 &&
                                std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
            return digits ? std::string() : "not a number of lines (0 or more): " + text;
        },
        "");
}

/// What the parser writes into before the values are checked and copied into an Invocation.
struct Raw {
    std::string socket;
    std::string config;
    std::string timeout;
    std::string wait_timeout;
    std::string health;
    std::string check_file;
    std::string tail_lines;
};

/// The first argument that is neither an option nor the value of a global option, if any.
std::optional<std::string> first_word(const std::vector<std::string>& args) {
    for (std::size_t i = 0; i < args.size(); ++i) {
        const auto& arg = args[i];
        if (arg == "--") {
            return i + 1 < args.size() ? std::optional(args[i + 1]) : std::nullopt;
        }
        if (!arg.starts_with("-")) {
            return arg;
        }
        if (arg == "--socket" || arg == "-c" || arg == "--config" || arg == "--timeout") {
            ++i;  // its value
        }
    }
    return std::nullopt;
}

/// The CLI11 application with every option bound to `inv_` and `raw_`.
class CommandLine {
public:
    CommandLine();
    CommandLine(const CommandLine&) = delete;
    CommandLine& operator=(const CommandLine&) = delete;

    std::variant<Invocation, EarlyExit> parse(const std::vector<std::string>& args);
    std::vector<std::string> subcommand_names();

private:
    Invocation inv_;
    Raw raw_;
    CLI::App app_{"Control a running supervisord, or check a services.yaml without one.", "vjctl"};
    CLI::Option* socket_opt_ = nullptr;
    CLI::Option* config_opt_ = nullptr;
    CLI::Option* timeout_opt_ = nullptr;
    CLI::App* status_ = nullptr;
    std::array<std::pair<CLI::App*, Command>, 3> actions_{};
    CLI::App* signal_ = nullptr;
    CLI::App* wait_ = nullptr;
    CLI::Option* health_opt_ = nullptr;
    CLI::Option* wait_timeout_opt_ = nullptr;
    CLI::App* health_ = nullptr;
    CLI::App* tail_ = nullptr;
    CLI::Option* tail_lines_opt_ = nullptr;
    CLI::App* shutdown_ = nullptr;
    CLI::App* check_ = nullptr;
    CLI::Option* check_file_opt_ = nullptr;
};

CommandLine::CommandLine() {
    // "vjctl: error: <what CLI11 found>": the one message grammar, with CLI11's own text.
    app_.failure_message([](const CLI::App*, const CLI::Error& e) {
        return "vjctl: error: " + std::string(e.what()) + "\nRun with --help for more information.\n";
    });
    app_.set_version_flag("--version", version_line(), "Print the version and exit");
    // Global options are also accepted after the subcommand (`vjctl status --json`).
    app_.fallthrough();

    socket_opt_ = app_.add_option("--socket", raw_.socket, "Control socket of supervisord")->type_name("PATH");
    config_opt_ =
        app_.add_option("-c,--config", raw_.config, "services.yaml whose supervisor.socket to use")->type_name("FILE");
    app_.add_flag("--json", inv_.global.json, "Print the result as one line of JSON");
    app_.add_flag("--no-color", inv_.global.no_color, "No colours (also: NO_COLOR set)");
    timeout_opt_ = app_.add_option("--timeout", raw_.timeout, "How long start/stop/restart/wait wait (default 30s)")
                       ->type_name("DURATION")
                       ->check(duration_validator());

    status_ = app_.add_subcommand("status", "Show the state of services (all by default)");
    status_->add_option("pattern", inv_.names, "Service or instance names or globs")->type_name("PATTERN");
    status_->add_flag("--names", inv_.names_only, "Print only the service and instance names, one per line");

    actions_ = {{
        {app_.add_subcommand("start", "Start services (and what they depend on), wait until running"), Command::start},
        {app_.add_subcommand("stop", "Stop services, wait until stopped"), Command::stop},
        {app_.add_subcommand("restart", "Restart services, wait until running"), Command::restart},
    }};
    for (auto& [sub, command] : actions_) {
        sub->add_option("pattern", inv_.names, "Service or instance names or globs, or `all`")
            ->type_name("PATTERN")
            ->required();
        sub->add_flag("--no-wait", inv_.no_wait, "Return once supervisord accepted the request");
    }

    signal_ = app_.add_subcommand("signal", "Send a signal to running instances");
    signal_->add_option("signal", inv_.signal, "Signal name or number (HUP, SIGHUP, 1)")
        ->type_name("SIGNAL")
        ->required()
        ->check(signal_validator());
    signal_->add_option("pattern", inv_.names, "Service or instance names or globs")->type_name("PATTERN")->required();

    wait_ = app_.add_subcommand("wait", "Block until instances are in a state");
    wait_->add_option("--state", inv_.states, "State to wait for (repeatable; default running)")
        ->type_name("STATE")
        ->check(CLI::IsMember(state_names));
    // Checked here, not only by supervisord: a typo is a usage error (2), not a failed wait (1).
    health_opt_ = wait_->add_option("--health", raw_.health, "Health to wait for too")
                      ->type_name("HEALTH")
                      ->check(CLI::IsMember(health_names));
    wait_timeout_opt_ =
        wait_->add_option("--timeout", raw_.wait_timeout, "Give up after this long (default: the global --timeout)")
            ->type_name("DURATION")
            ->check(duration_validator());
    wait_->add_option("pattern", inv_.names, "Service or instance names or globs")->type_name("PATTERN")->required();

    health_ = app_.add_subcommand("health", "Run the health probes of instances now and print each verdict");
    health_->add_option("pattern", inv_.names, "Service or instance names or globs, or `all`")
        ->type_name("PATTERN")
        ->required();

    tail_ = app_.add_subcommand("tail", "Print the last lines that instances wrote, and follow them with -f");
    tail_->add_flag("-f,--follow", inv_.follow, "Keep printing new lines until interrupted");
    tail_lines_opt_ = tail_->add_option("-n,--lines", raw_.tail_lines, "How many lines to print first (default 10)")
                          ->type_name("N")
                          ->check(count_validator());
    tail_->add_flag("--stderr", inv_.stderr_stream, "Standard error instead (services with logs.stderr: separate)");
    tail_->add_option("pattern", inv_.names, "Service or instance names or globs")->type_name("PATTERN")->required();

    shutdown_ = app_.add_subcommand("shutdown", "Stop every service, then supervisord itself");

    check_ = app_.add_subcommand("check", "Validate a services.yaml without a daemon");
    check_file_opt_ = check_->add_option("file", raw_.check_file, "The config file")->type_name("FILE");

    app_.require_subcommand(1);
}

std::vector<std::string> CommandLine::subcommand_names() {
    std::vector<std::string> names;
    for (const auto* sub : app_.get_subcommands([](CLI::App*) { return true; })) {
        names.push_back(sub->get_name());
    }
    return names;
}

std::variant<Invocation, EarlyExit> CommandLine::parse(const std::vector<std::string>& args) {
    // CLI11 would only say "A subcommand is required"; name the word that is not one.
    if (const auto word = first_word(args)) {
        const auto known = subcommand_names();
        if (std::find(known.begin(), known.end(), *word) == known.end()) {
            return EarlyExit{exit_code::usage, "",
                             "vjctl: error: " + *word + ": unknown command\nRun with --help for more information.\n"};
        }
    }
    std::vector<const char*> argv{"vjctl"};
    for (const auto& arg : args) {
        argv.push_back(arg.c_str());
    }
    try {
        app_.parse(static_cast<int>(argv.size()), argv.data());
    } catch (const CLI::ParseError& e) {
        std::ostringstream out;
        std::ostringstream err;
        const int code = app_.exit(e, out, err);
        return EarlyExit{code == 0 ? exit_code::ok : exit_code::usage, out.str(), err.str()};
    }

    if (socket_opt_->count() > 0) {
        inv_.global.socket = raw_.socket;
    }
    if (config_opt_->count() > 0) {
        inv_.global.config = raw_.config;
    }
    if (timeout_opt_->count() > 0) {
        inv_.global.timeout = *parse_duration(raw_.timeout);
    }
    if (status_->parsed()) {
        inv_.command = Command::status;
    } else if (signal_->parsed()) {
        inv_.command = Command::signal;
    } else if (wait_->parsed()) {
        inv_.command = Command::wait;
        if (inv_.states.empty()) {
            inv_.states = {"running"};
        }
        if (health_opt_->count() > 0) {
            inv_.health = raw_.health;
        }
        if (wait_timeout_opt_->count() > 0) {
            inv_.wait_timeout = *parse_duration(raw_.wait_timeout);
        }
    } else if (health_->parsed()) {
        inv_.command = Command::health;
    } else if (tail_->parsed()) {
        inv_.command = Command::tail;
        if (tail_lines_opt_->count() > 0) {
            inv_.tail_lines = std::stoll(raw_.tail_lines);
        }
    } else if (shutdown_->parsed()) {
        inv_.command = Command::shutdown;
    } else if (check_->parsed()) {
        inv_.command = Command::check;
        if (check_file_opt_->count() > 0) {
            inv_.check_file = raw_.check_file;
        }
    } else {
        for (const auto& [sub, command] : actions_) {
            if (sub->parsed()) {
                inv_.command = command;
            }
        }
    }
    return inv_;
}

}  // namespace

std::string version_line() { return "vjctl " VJ_VERSION; }

std::variant<Invocation, EarlyExit> parse_command_line(const std::vector<std::string>& args) {
    return CommandLine().parse(args);
}

std::vector<std::string> subcommand_names() { return CommandLine().subcommand_names(); }

}  // namespace vj::vjctl
