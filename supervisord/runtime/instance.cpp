// Instance construction and teardown (out of line: the notify socket is an incomplete type elsewhere).
#include "runtime/instance.hpp"

#include "runtime/notify_socket.hpp"

namespace vj::runtime {

Instance::Instance(boost::asio::io_context& io, const core::ServiceSpec& s, int i, std::string n)
    : spec(&s), index(i), name(std::move(n)), timer(io) {}

Instance::~Instance() = default;

}  // namespace vj::runtime
