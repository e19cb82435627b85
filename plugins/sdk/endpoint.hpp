// HOST:PORT as the workers take them on their command lines, resolved to a socket address.
#pragma once

#include <string>
#include <string_view>

#include <boost/system/result.hpp>
#include <sys/socket.h>

namespace vj::sdk {

struct Endpoint {
    std::string text;               ///< as given, for messages: "127.0.0.1:9000"
    sockaddr_storage address{};
    socklen_t length = 0;
    int family() const { return address.ss_family; }
};

/// Parses "HOST:PORT", "[V6ADDR]:PORT" or ":PORT" (all interfaces, IPv4) and resolves HOST
/// numerically first, then by name (getaddrinfo, UDP, first IPv4 result preferred). The error
/// names the text and what is wrong: "'localhost:99999': port must be 1-65535".
boost::system::result<Endpoint, std::string> parse_endpoint(std::string_view text);

}  // namespace vj::sdk
