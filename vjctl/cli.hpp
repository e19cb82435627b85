// The vjctl command line: subcommands, options and their parsing into an Invocation (CLI11).
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace vj::vjctl {

enum class Command { status, start, stop, restart, signal, wait, health, tail, shutdown, check };

/// `tail -n` when not given.
inline constexpr std::int64_t default_tail_lines = 10;

/// Options that every subcommand accepts, before or after the subcommand name.
struct GlobalOptions {
    std::optional<std::string> socket;  ///< --socket PATH
    std::optional<std::string> config;  ///< -c/--config FILE
    bool json = false;                  ///< --json
    bool no_color = false;              ///< --no-color
    std::chrono::milliseconds timeout{std::chrono::seconds(30)};  ///< --timeout D
    bool operator==(const GlobalOptions&) const = default;
};

/// A parsed, valid command line. Fields a command does not use stay at their defaults.
struct Invocation {
    GlobalOptions global;
    Command command = Command::status;
    std::vector<std::string> names;  ///< service/instance names or globs (`all` where accepted)
    bool no_wait = false;            ///< start/stop/restart --no-wait
    bool names_only = false;         ///< status --names
    std::string signal;              ///< signal SIG, as typed (a known name or number)
    std::vector<std::string> states;                    ///< wait --state (default {"running"})
    std::optional<std::string> health;                  ///< wait --health
    std::optional<std::chrono::milliseconds> wait_timeout;  ///< wait --timeout (else global)
    std::optional<std::string> check_file;              ///< check [FILE]
    bool follow = false;                                ///< tail -f
    std::int64_t tail_lines = default_tail_lines;       ///< tail -n N
    bool stderr_stream = false;                         ///< tail --stderr
    bool operator==(const Invocation&) const = default;
};

/// The command line asked for help or version, or was wrong: print and exit with `status`.
struct EarlyExit {
    int status = 0;   ///< 0 for --help/--version, exit_code::usage for errors
    std::string out;  ///< for stdout (help, version)
    std::string err;  ///< for stderr (CLI11's message)
};

/// Parses `args` (without the program name). Never throws for bad input.
std::variant<Invocation, EarlyExit> parse_command_line(const std::vector<std::string>& args);

/// Every subcommand name, in the order of --help (for the man page and completion tests).
std::vector<std::string> subcommand_names();

/// The version line printed by --version.
std::string version_line();

}  // namespace vj::vjctl
