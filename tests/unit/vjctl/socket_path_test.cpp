// Tests the precedence of socket discovery: --socket, $VJ_SOCKET, -c FILE, the default.
#include <gtest/gtest.h>

#include "socket_path.hpp"

namespace vj::vjctl {
namespace {

const std::optional<std::string> none;

TEST(ChooseSocket, OptionWinsOverEverything) {
    EXPECT_EQ(choose_socket("/opt.sock", "/etc/vj/services.yaml", {{"VJ_SOCKET", "/env.sock"}}),
              (SocketChoice{SocketSource::option, "/opt.sock"}));
}

TEST(ChooseSocket, EnvironmentWinsOverConfig) {
    EXPECT_EQ(choose_socket(none, "/etc/vj/services.yaml", {{"VJ_SOCKET", "/env.sock"}}),
              (SocketChoice{SocketSource::environment, "/env.sock"}));
}

TEST(ChooseSocket, ConfigFileWinsOverTheDefault) {
    EXPECT_EQ(choose_socket(none, "etc/services.yaml", {{"XDG_RUNTIME_DIR", "/run/user/1000"}}),
              (SocketChoice{SocketSource::config, "etc/services.yaml"}));
}

TEST(ChooseSocket, DefaultUsesXdgRuntimeDir) {
    EXPECT_EQ(choose_socket(none, none, {{"XDG_RUNTIME_DIR", "/run/user/1000"}}),
              (SocketChoice{SocketSource::fallback, "/run/user/1000/vj/supervisord.sock"}));
}

TEST(ChooseSocket, DefaultFallsBackToTmp) {
    EXPECT_EQ(choose_socket(none, none, {}), (SocketChoice{SocketSource::fallback, "/tmp/vj/supervisord.sock"}));
}

TEST(ChooseSocket, EmptyValuesCountAsUnset) {
    EXPECT_EQ(choose_socket(std::string(), none, {{"VJ_SOCKET", ""}}),
              (SocketChoice{SocketSource::fallback, "/tmp/vj/supervisord.sock"}));
    EXPECT_EQ(choose_socket(none, std::string(), {{"VJ_SOCKET", "/env.sock"}}),
              (SocketChoice{SocketSource::environment, "/env.sock"}));
}

}  // namespace
}  // namespace vj::vjctl
