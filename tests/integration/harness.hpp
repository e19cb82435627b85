// Integration harness: a real supervisord in a private temp dir, a raw socket client, and vjctl runs.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace vj::test {

/// What a command printed and how it exited.
struct CommandResult {
    int exit_code = -1;
    std::string out;  ///< stdout
    std::string err;  ///< stderr
};

/// Runs argv, capturing stdout and stderr; `env` entries are added to the environment.
CommandResult run_command(const std::vector<std::string>& argv, const std::vector<std::string>& env = {});

/// Polls `condition` every 10 ms until it holds or `timeout` passes. For facts with no event to wait on
/// (a pid disappearing from /proc); daemon states are waited on with `vjctl wait` instead.
bool eventually(const std::function<bool()>& condition, std::chrono::milliseconds timeout);

bool process_exists(pid_t pid);

class TempDir {
public:
    TempDir();
    ~TempDir();
    const std::filesystem::path& path() const { return path_; }
    std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

private:
    std::filesystem::path path_;
};

/// One supervisord running on a config written into its own temp dir.
class Daemon {
public:
    /// `services` is the YAML text under `services:` (indented by the caller as a mapping body),
    /// `extra_supervisor` extra lines under `supervisor:`. Waits until the socket answers ping.
    explicit Daemon(const std::string& services, const std::string& extra_supervisor = "",
                    const std::string& defaults = "");
    ~Daemon();

    const std::filesystem::path& dir() const { return dir_.path(); }
    std::filesystem::path file(const std::string& name) const { return dir_ / name; }
    const std::string& socket() const { return socket_; }
    pid_t pid() const { return pid_; }

    /// One request over a fresh connection; returns the reply object.
    nlohmann::json request(const std::string& cmd, const nlohmann::json& args = nlohmann::json::object());
    /// Writes raw bytes and reads one reply line (empty if the server closed first).
    std::string raw(const std::string& bytes);

    /// Runs vjctl against this daemon.
    CommandResult vjctl(const std::vector<std::string>& args);

    nlohmann::json status(const std::string& name);
    /// `vjctl wait --state S… NAME` with a timeout; true when it held.
    bool wait_state(const std::string& name, const std::vector<std::string>& states,
                    std::chrono::milliseconds timeout = std::chrono::seconds(10));

    /// SIGTERM and wait for exit; returns the exit status (as waitpid reports it) or nullopt on timeout.
    std::optional<int> terminate(std::chrono::milliseconds timeout = std::chrono::seconds(20));
    /// Waits for supervisord to exit by itself; returns its status, or nullopt on timeout.
    std::optional<int> wait_exit(std::chrono::milliseconds timeout);
    /// supervisord's stderr so far.
    std::string log() const;

private:
    TempDir dir_;
    std::string socket_;
    pid_t pid_ = -1;
    bool exited_ = false;
};

/// A `tail` with follow on its own connection: the reply first, then one event per line.
class Follower {
public:
    Follower(const std::string& socket, const nlohmann::json& args);
    ~Follower();
    nlohmann::json reply;
    /// The next stream event, or nullopt after `timeout`.
    std::optional<nlohmann::json> next(std::chrono::milliseconds timeout);

private:
    std::optional<std::string> line(std::chrono::milliseconds timeout);
    int fd_ = -1;
    std::string buffer_;
};

std::string fixture(const std::string& name);
std::string read_file(const std::filesystem::path& p);

}  // namespace vj::test
