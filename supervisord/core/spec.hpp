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

/// When a starting instance counts as `running` (DESIGN §3 `ready`). At most one of after/probe/notify
/// is set by the config loader; with none, the instance is running at once.
struct ReadySpec {
    Duration after{0};                 ///< `running` this long after spawn (0 = at once)
    std::optional<std::string> probe;  ///< `running` at the first success of this probe (by name)
    bool notify = false;               ///< `running` at sd_notify READY=1; the child gets NOTIFY_SOCKET
    std::optional<Duration> watchdog;  ///< with notify: WATCHDOG_USEC for the child; a missed ping is unhealthy
    /// With probe or notify: not ready this long after the spawn is a failure (stop, backoff, limit).
    std::optional<Duration> timeout{std::chrono::seconds(90)};
    bool operator==(const ReadySpec&) const = default;
};

enum class ProbeType { heartbeat, command, tcp, http, lua };

/// One health probe (DESIGN §3 `health`). The implicit `pid` probe has no spec.
struct ProbeSpec {
    ProbeType type = ProbeType::heartbeat;
    std::string name;  ///< unique within the service; defaults to the type ("http", "lua:audio_levels")
    Duration interval{std::chrono::seconds(10)};
    Duration timeout{std::chrono::seconds(5)};
    Duration grace{0};   ///< no verdict before this much uptime
    int failures = 3;    ///< consecutive failures to turn unhealthy
    int successes = 1;   ///< consecutive successes to turn healthy again
    // heartbeat
    std::string path;  ///< absolute
    Duration max_age{std::chrono::seconds(30)};
    // command: run in its own process group, killed with it at `timeout`
    std::vector<std::string> argv;
    // tcp
    std::string host = "127.0.0.1";
    int port = 0;
    // http: "http://HOST[:PORT]/PATH"; 2xx is healthy
    std::string url;
    // lua
    std::string script;     ///< absolute path of the script file
    std::string args_json;  ///< `args` as a JSON object text ("{}" when absent)
    SourceLocation where;
    bool operator==(const ProbeSpec& o) const {
        return type == o.type && name == o.name && interval == o.interval && timeout == o.timeout &&
               grace == o.grace && failures == o.failures && successes == o.successes && path == o.path &&
               max_age == o.max_age && argv == o.argv && host == o.host && port == o.port && url == o.url &&
               script == o.script && args_json == o.args_json;
    }
};

/// What turning unhealthy does (DESIGN §4): restart (counted as a failure), stop, or only alert.
enum class OnUnhealthy { restart, stop, alert };
enum class AlertSeverity { critical, warning, info };

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
    std::optional<std::uint64_t> memory;  ///< bytes: RSS of the process group above this restarts it
    Duration memory_interval{std::chrono::seconds(1)};  ///< how often `memory` is sampled
    bool autostart = true;
    int instances = 1;  ///< >= 1; instances > 1 are named NAME:0 ... NAME:N-1
    std::vector<std::string> depends_on;
    ReadySpec ready;
    RestartSpec restart;
    StopSpec stop;
    LogSpec logs;
    std::vector<ProbeSpec> health;  ///< from YAML, then lua/health.d/NAME/*.lua
    OnUnhealthy on_unhealthy = OnUnhealthy::restart;
    AlertSeverity alert = AlertSeverity::warning;
    SourceLocation where;  ///< the service's key in its file
    bool operator==(const ServiceSpec& o) const {
        // `where` is not part of the behaviour: moving a service between files changes nothing.
        return name == o.name && argv == o.argv && cwd == o.cwd && env == o.env && user == o.user &&
               group == o.group && umask == o.umask && nofile == o.nofile && memory == o.memory &&
               memory_interval == o.memory_interval && autostart == o.autostart && instances == o.instances &&
               depends_on == o.depends_on && ready == o.ready && restart == o.restart && stop == o.stop &&
               logs == o.logs && health == o.health && on_unhealthy == o.on_unhealthy && alert == o.alert;
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
    std::vector<std::string> lua_path;  ///< absolute directories searched for Lua scripts (lib/ and health.d/ inside)
    bool operator==(const SupervisorSpec&) const = default;
};

struct Config {
    std::string file;  ///< the main file, absolute
    SupervisorSpec supervisor;
    std::vector<ServiceSpec> services;  ///< in file order (main file first, then includes)
};

/// Stable hash of everything in a spec that affects how its process runs (not `where`, not `logs`:
/// output goes through the supervisor's pipe, and not `health`/`on_unhealthy`/`alert`/`memory`: probes
/// watch from outside, so changing them never needs a restart).
std::uint64_t spec_hash(const ServiceSpec& spec);

}  // namespace vj::core
