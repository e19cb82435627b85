// Decides where vjctl looks for supervisord's control socket (vjctl(1) SOCKET DISCOVERY).
#pragma once

#include <optional>
#include <string>

#include "config/loader.hpp"

namespace vj::vjctl {

/// Where the socket path comes from, in order of precedence.
enum class SocketSource {
    option,       ///< --socket PATH
    environment,  ///< $VJ_SOCKET
    config,       ///< supervisor.socket of the -c FILE config (the caller loads it)
    fallback,     ///< ${XDG_RUNTIME_DIR:-/tmp}/vj/supervisord.sock
};

struct SocketChoice {
    SocketSource source = SocketSource::fallback;
    /// The socket path; for SocketSource::config, the config file that names it.
    std::string value;
    bool operator==(const SocketChoice&) const = default;
};

/// The first of --socket, $VJ_SOCKET, -c FILE and the default that is set and not empty.
/// Pure: the config file is not read here.
SocketChoice choose_socket(const std::optional<std::string>& socket_option,
                           const std::optional<std::string>& config_option,
                           const config::Environment& env);

}  // namespace vj::vjctl
