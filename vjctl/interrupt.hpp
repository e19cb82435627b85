// Turns SIGINT, SIGTERM and SIGPIPE into a readable descriptor while vjctl follows a stream.
#pragma once

#include <csignal>

namespace vj::vjctl {

/// While alive, SIGINT, SIGTERM and SIGPIPE do not end the process; each makes fd() readable
/// (a self-pipe), so a poll(2) loop can stop and exit quietly. The destructor restores the
/// previous dispositions. At most one may exist at a time. Throws std::system_error if the
/// pipe cannot be made.
class StopSignals {
public:
    StopSignals();
    StopSignals(const StopSignals&) = delete;
    StopSignals& operator=(const StopSignals&) = delete;
    ~StopSignals();

    /// Readable once one of the signals arrived.
    int fd() const { return read_fd_; }

private:
    int read_fd_ = -1;
    int write_fd_ = -1;
    struct sigaction previous_[3] = {};
};

}  // namespace vj::vjctl
