// Formats and writes supervisord's own log lines.
#include "runtime/log.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <chrono>
#include <ctime>
#include <string>

namespace vj::runtime {
namespace {
int file_fd = -1;  // supervisor.log_file, when set; never closed (lives as long as the process)
}  // namespace

std::string open_log_file(const std::string& path) {
    const int fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
    if (fd < 0) return std::strerror(errno);
    file_fd = fd;
    return {};
}

void write_log_line(std::string_view level, std::string_view message) {
    using namespace std::chrono;
    const auto now = system_clock::now();
    const std::time_t t = system_clock::to_time_t(now);
    const auto ms = duration_cast<milliseconds>(now.time_since_epoch()).count() % 1000;
    std::tm tm{};
    ::gmtime_r(&t, &tm);
    char stamp[32];
    std::strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%S", &tm);
    std::string line = fmt::format("{}.{:03}Z supervisord: {}: {}\n", stamp, ms, level, message);
    // One write(2) per line so that lines from concurrent writers never interleave.
    [[maybe_unused]] auto n = ::write(2, line.data(), line.size());
    if (file_fd >= 0) [[maybe_unused]] auto m = ::write(file_fd, line.data(), line.size());
}

}  // namespace vj::runtime
