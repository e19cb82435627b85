// Validated configuration values: what the config loader produces and the core decides on.
#pragma once

#include <chrono>
#include <csignal>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace vj::core {

/// Lifecycle durations. Steady-clock based; the core never reads a clock itself.
using Duration = std::chrono::milliseconds;
using Time = std::chrono::steady_clock::time_point;

/// Where a value came from, for messages ("etc/services.yaml:12:5").
struct SourceLocation {
    std::string file;
    int line = 0;    ///< 1-based; 0 = unknown
    int column = 0;  ///< 1-based; 0 = unknown
    bool operator==(const SourceLocation&) const = default;
};

enum class RestartPolicy { always, on_failure, never };

struct BackoffSpec {
    Duration initial{std::chrono::seconds(1)};
    double factor = 2.0;  ///< >= 1
    Duration max{std::chrono::minutes(5)};
    double jitter = 0.1;  ///< fraction in [0, 1]: delay is base * (1 +/- jitter)
    bool operator==(const BackoffSpec&) const = default;
};

struct RestartLimitSpec {
    int attempts = 10;  ///< restarts allowed inside `window`; one more means `failed`
    Duration window{std::chrono::hours(1)};
    std::optional<Duration> cooloff{std::chrono::minutes(5)};  ///< nullopt = never (wait for `vjctl start`)
    bool operator==(const RestartLimitSpec&) const = default;
};

struct RestartSpec {
    RestartPolicy policy = RestartPolicy::on_failure;
    std::vector<int> success_codes{0};
    BackoffSpec backoff;
    Duration stable_after{std::chrono::seconds(60)};
    RestartLimitSpec limit;
    bool operator==(const RestartSpec&) const = default;
};

struct StopSpec {
    int signal = SIGTERM;
    Duration timeout{std::chrono::seconds(10)};
    bool group = true;  ///< signal the whole process group, and kill what is left of it on exit
    bool operator==(const StopSpec&) const = default;
};

struct ReadySpec {
    Duration after{0};  ///< `running` this long after spawn (0 = at once)
    bool operator==(const ReadySpec&) const = default;
};

enum class StderrMode { merge, separate, discard };

/// Where a service's output goes (DESIGN §3 `logs`). Sizes in bytes.
struct LogSpec {
    std::optional<std::string> stdout_file;  ///< absolute; default log_dir/NAME.log (instances NAME-K.log)
    StderrMode stderr_mode = StderrMode::merge;
    std::optional<std::string> stderr_file;  ///< absolute, with separate; default log_dir/NAME.stderr.log
    bool timestamps = false;                 ///< prefix each line with RFC 3339 UTC time, milliseconds
    std::uint64_t max_size = 10ull << 20;    ///< rotate when the file would grow past this; 0 = never by size
    std::optional<Duration> rotate_every;    ///< also rotate when the file is this old (by its first write)
    int keep = 5;                            ///< rotated files kept: NAME.log.1 … NAME.log.KEEP
    std::uint64_t ring = 256ull << 10;       ///< in-memory tail per stream, for `vjctl tail`
    bool forward = false;                    ///< copy each line, prefixed "NAME: ", to supervisord's stdout
    unsigned file_mode = 0640;               ///< mode of created log files
    bool operator==(const LogSpec&) const = default;
};

struct ServiceSpec {
    std::string name;
    std::vector<std::string> argv;  ///< a string command becomes {"/bin/sh", "-c", cmd}
    std::optional<std::string> cwd;  ///< absolute after loading
    std::map<std::string, std::string> env;  ///< added to (overriding) supervisord's environment
    std::optional<std::string> user;
    std::optional<std::string> group;
    std::optional<unsigned> umask;
    std::optional<std::uint64_t> nofile;  ///< RLIMIT_NOFILE soft and hard
    bool autostart = true;
    int instances = 1;  ///< >= 1; instances > 1 are named NAME:0 ... NAME:N-1
    std::vector<std::string> depends_on;
    ReadySpec ready;
    RestartSpec restart;
    StopSpec stop;
    LogSpec logs;
    SourceLocation where;  ///< the service's key in its file
    bool operator==(const ServiceSpec& o) const {
        // `where` is not part of the behaviour: moving a service between files changes nothing.
        return name == o.name && argv == o.argv && cwd == o.cwd && env == o.env && user == o.user &&
               group == o.group && umask == o.umask && nofile == o.nofile && autostart == o.autostart &&
               instances == o.instances && depends_on == o.depends_on && ready == o.ready &&
               restart == o.restart && stop == o.stop && logs == o.logs;
    }
};

struct SupervisorSpec {
    std::string socket;  ///< absolute path of the control socket
    unsigned socket_mode = 0600;
    std::optional<std::string> socket_group;
    std::string state_dir;  ///< absolute
    std::string log_dir;    ///< absolute
    Duration shutdown_timeout{std::chrono::seconds(30)};
    bool log_file = false;  ///< also write supervisord's own log to log_dir/supervisord.log
    bool operator==(const SupervisorSpec&) const = default;
};

struct Config {
    std::string file;  ///< the main file, absolute
    SupervisorSpec supervisor;
    std::vector<ServiceSpec> services;  ///< in file order (main file first, then includes)
};

/// Stable hash of everything in a spec that affects how its process runs (not `where`, and not
/// `logs`: output goes through the supervisor's pipe, so log settings never need a restart).
std::uint64_t spec_hash(const ServiceSpec& spec);

}  // namespace vj::core
