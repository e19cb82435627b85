// parse_endpoint: the HOST:PORT forms workers accept, and the errors for the others.
#include "sdk/endpoint.hpp"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>

namespace vj::sdk {
namespace {

std::string address_of(const Endpoint& e) {
    char text[INET6_ADDRSTRLEN] = {};
    if (e.family() == AF_INET) {
        const auto* a = reinterpret_cast<const sockaddr_in*>(&e.address);
        ::inet_ntop(AF_INET, &a->sin_addr, text, sizeof text);
        return std::string(text) + ":" + std::to_string(ntohs(a->sin_port));
    }
    const auto* a = reinterpret_cast<const sockaddr_in6*>(&e.address);
    ::inet_ntop(AF_INET6, &a->sin6_addr, text, sizeof text);
    return "[" + std::string(text) + "]:" + std::to_string(ntohs(a->sin6_port));
}

TEST(Endpoint, NumericForms) {
    EXPECT_EQ(address_of(*parse_endpoint("127.0.0.1:9000")), "127.0.0.1:9000");
    EXPECT_EQ(address_of(*parse_endpoint("[::1]:7000")), "[::1]:7000");
    EXPECT_EQ(address_of(*parse_endpoint(":9001")), "0.0.0.0:9001");
    EXPECT_EQ(parse_endpoint("127.0.0.1:9000")->text, "127.0.0.1:9000");
    EXPECT_EQ(parse_endpoint("127.0.0.1:9000")->length, sizeof(sockaddr_in));
}

TEST(Endpoint, NamesResolveToIpv4First) {
    const auto e = parse_endpoint("localhost:9000");
    ASSERT_TRUE(e) << e.error();
    EXPECT_EQ(address_of(*e), "127.0.0.1:9000");
}

TEST(Endpoint, ErrorsNameTheTextAndTheProblem) {
    EXPECT_EQ(parse_endpoint("127.0.0.1").error(), "'127.0.0.1': expected HOST:PORT");
    EXPECT_EQ(parse_endpoint("127.0.0.1:99999").error(), "'127.0.0.1:99999': port must be 0-65535");
    EXPECT_EQ(parse_endpoint("127.0.0.1:").error(), "'127.0.0.1:': port must be 0-65535");
    EXPECT_EQ(parse_endpoint("127.0.0.1:9x").error(), "'127.0.0.1:9x': port must be 0-65535");
    EXPECT_EQ(parse_endpoint("::1:9000").error(), "'::1:9000': write an IPv6 address in brackets: [::1]:9000");
    EXPECT_EQ(parse_endpoint("[::1]9000").error(), "'[::1]9000': expected [IPV6]:PORT");
    EXPECT_TRUE(parse_endpoint("no-such-host.invalid:9000").error().starts_with(
        "'no-such-host.invalid:9000': cannot resolve 'no-such-host.invalid': "));
}

}  // namespace
}  // namespace vj::sdk
