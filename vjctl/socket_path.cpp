// Decides where vjctl looks for supervisord's control socket.
#include "socket_path.hpp"

namespace vj::vjctl {
namespace {

bool is_set(const std::optional<std::string>& value) { return value.has_value() && !value->empty(); }

}  // namespace

SocketChoice choose_socket(const std::optional<std::string>& socket_option,
                           const std::optional<std::string>& config_option,
                           const config::Environment& env) {
    if (is_set(socket_option)) {
        return {SocketSource::option, *socket_option};
    }
    // An empty VJ_SOCKET counts as unset, as `VJ_SOCKET= vjctl …` is how people unset it inline.
    if (const auto it = env.find("VJ_SOCKET"); it != env.end() && !it->second.empty()) {
        return {SocketSource::environment, it->second};
    }
    if (is_set(config_option)) {
        return {SocketSource::config, *config_option};
    }
    return {SocketSource::fallback, config::default_socket_path(env)};
}

}  // namespace vj::vjctl
