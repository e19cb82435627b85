// The atomic JSON status file and the heartbeat touch.
#include "sdk/status_file.hpp"

#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

namespace vj::sdk {
namespace {

boost::system::result<void, std::string> failure(std::string_view what, const std::string& path) {
    return {boost::system::in_place_error, fmt::format("cannot {} {}: {}", what, path, std::strerror(errno))};
}

}  // namespace

boost::system::result<void, std::string> write_status_file(const std::string& path, const nlohmann::json& status) {
    const std::string next = path + ".new";
    const std::string text = status.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
    const int fd = ::open(next.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) return failure("open", next);
    std::string_view rest = text;
    while (!rest.empty()) {
        const ssize_t n = ::write(fd, rest.data(), rest.size());
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            auto why = failure("write", next);
            ::close(fd);
            ::unlink(next.c_str());
            return why;
        }
        rest.remove_prefix(static_cast<std::size_t>(n));
    }
    // No fsync: the file describes the running worker, a reader after a crash wants the new
    // one or none, and an fsync per second would cost the rig's disk more than it is worth.
    if (::close(fd) != 0) return failure("write", next);
    if (::rename(next.c_str(), path.c_str()) != 0) {
        auto why = failure("rename to", path);
        ::unlink(next.c_str());
        return why;
    }
    return {};
}

boost::system::result<void, std::string> touch_file(const std::string& path) {
    if (::utimensat(AT_FDCWD, path.c_str(), nullptr, 0) == 0) return {};
    if (errno != ENOENT) return failure("touch", path);
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) return failure("create", path);
    ::close(fd);
    return {};
}

}  // namespace vj::sdk
