// One log file: appends, rotates by rename (never copy-truncate), and never blocks or grows without
// bound when the disk refuses writes: it holds a bounded amount, drops the rest and says so once.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "os/unique_fd.hpp"

namespace vj::runtime {

struct LogFileOptions {
    std::string path;
    std::uint64_t max_size = 0;  ///< 0 = no size rotation
    std::optional<std::chrono::milliseconds> rotate_every;
    int keep = 5;
    unsigned mode = 0640;
    std::optional<uid_t> uid;  ///< owner of created files (the service's user)
    std::optional<gid_t> gid;
    std::size_t hold = 1 << 20;  ///< bytes kept while writing fails; beyond that, dropped and counted
};

class LogFile {
public:
    using SystemTime = std::chrono::system_clock::time_point;

    explicit LogFile(LogFileOptions options);

    /// Appends `data`, rotating first where max_size or rotate_every says so (at a line boundary
    /// when one falls inside the allowed size). Never blocks on a refusing disk.
    void write(std::string_view data, SystemTime now);

    /// Retries held bytes; true when nothing is held any more.
    bool flush(SystemTime now);

    bool holding() const { return !held_.empty() || dropped_ > 0; }
    std::uint64_t dropped_total() const { return dropped_total_; }
    const std::string& path() const { return options_.path; }

private:
    bool ensure_open(SystemTime now);
    void rotate(SystemTime now);
    /// Writes all of `data` to the file; on failure keeps what was not written and returns false.
    bool write_out(std::string_view data);
    void hold(std::string_view data);
    void append(std::string_view data, SystemTime now);

    LogFileOptions options_;
    os::UniqueFd fd_;
    std::uint64_t size_ = 0;
    SystemTime opened_at_{};
    std::string held_;              ///< failed bytes waiting for the disk, at most options_.hold
    std::uint64_t dropped_ = 0;     ///< dropped since the last marker
    std::uint64_t dropped_total_ = 0;
    std::string failure_;           ///< strerror of the failure that caused holding
};

}  // namespace vj::runtime
