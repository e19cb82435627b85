// HOST:PORT parsing and resolution.
#include "sdk/endpoint.hpp"

#include <charconv>
#include <cstring>

#include <arpa/inet.h>
#include <fmt/format.h>
#include <netdb.h>
#include <netinet/in.h>

namespace vj::sdk {

boost::system::result<Endpoint, std::string> parse_endpoint(std::string_view text) {
    using Result = boost::system::result<Endpoint, std::string>;
    const auto fail = [&](std::string_view why) {
        return Result(boost::system::in_place_error, fmt::format("'{}': {}", text, why));
    };
    std::string_view host, port;
    if (text.starts_with('[')) {
        const auto close = text.find(']');
        if (close == std::string_view::npos || close + 1 >= text.size() || text[close + 1] != ':')
            return fail("expected [IPV6]:PORT");
        host = text.substr(1, close - 1);
        port = text.substr(close + 2);
    } else {
        const auto colon = text.rfind(':');
        if (colon == std::string_view::npos) return fail("expected HOST:PORT");
        host = text.substr(0, colon);
        port = text.substr(colon + 1);
        if (host.find(':') != std::string_view::npos) return fail("write an IPv6 address in brackets: [::1]:9000");
    }
    unsigned number = 0;
    const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), number);
    if (port.empty() || ec != std::errc{} || end != port.data() + port.size() || number > 65535)
        return fail("port must be 0-65535");

    Endpoint e;
    e.text = std::string(text);
    const std::string h = host.empty() ? "0.0.0.0" : std::string(host);
    auto* v4 = reinterpret_cast<sockaddr_in*>(&e.address);
    auto* v6 = reinterpret_cast<sockaddr_in6*>(&e.address);
    if (::inet_pton(AF_INET, h.c_str(), &v4->sin_addr) == 1) {
        v4->sin_family = AF_INET;
        v4->sin_port = htons(static_cast<std::uint16_t>(number));
        e.length = sizeof(sockaddr_in);
        return e;
    }
    if (::inet_pton(AF_INET6, h.c_str(), &v6->sin6_addr) == 1) {
        v6->sin6_family = AF_INET6;
        v6->sin6_port = htons(static_cast<std::uint16_t>(number));
        e.length = sizeof(sockaddr_in6);
        return e;
    }
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_DGRAM;
    addrinfo* found = nullptr;
    if (const int rc = ::getaddrinfo(h.c_str(), nullptr, &hints, &found); rc != 0)
        return fail(fmt::format("cannot resolve '{}': {}", h, ::gai_strerror(rc)));
    const addrinfo* pick = found;
    for (const addrinfo* a = found; a; a = a->ai_next) {
        if (a->ai_family == AF_INET) {
            pick = a;
            break;
        }
    }
    std::memcpy(&e.address, pick->ai_addr, pick->ai_addrlen);
    e.length = pick->ai_addrlen;
    if (pick->ai_family == AF_INET) v4->sin_port = htons(static_cast<std::uint16_t>(number));
    else v6->sin6_port = htons(static_cast<std::uint16_t>(number));
    ::freeaddrinfo(found);
    return e;
}

}  // namespace vj::sdk
