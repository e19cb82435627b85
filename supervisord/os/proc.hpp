// Facts about processes read from /proc, and small file helpers.
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>
#include <string_view>

#include <boost/system/result.hpp>

namespace vj::os {

/// Field 22 of /proc/PID/stat (clock ticks since boot): with the pid, identifies one process across
/// pid reuse. nullopt if the process is gone.
std::optional<unsigned long long> process_start_time(pid_t pid);

/// Writes `content` to `path` atomically: `path.new`, then rename(2). Readers see old or new, never half.
/// No fsync: the records it is used for describe processes that a power loss ends anyway.
boost::system::result<void> write_file_atomically(const std::string& path, std::string_view content,
                                                  mode_t mode = 0644);

/// mkdir -p with `mode` for created directories.
boost::system::result<void> make_directories(const std::string& path, mode_t mode = 0755);

}  // namespace vj::os
