// Turns SIGINT, SIGTERM and SIGPIPE into a readable descriptor while vjctl follows a stream.
#include "interrupt.hpp"

#include <cassert>
#include <cerrno>
#include <iterator>
#include <system_error>

#include <fcntl.h>
#include <unistd.h>

namespace vj::vjctl {
namespace {

constexpr int stop_signals[3] = {SIGINT, SIGTERM, SIGPIPE};

/// The write end of the live StopSignals' pipe, for the handler; -1 when there is none.
volatile std::sig_atomic_t handler_fd = -1;

extern "C" void on_stop_signal(int) {
    const int saved = errno;
    const int fd = handler_fd;
    if (fd >= 0) {
        const char byte = 1;
        // Non-blocking: when the pipe is full, a wake-up is pending anyway.
        [[maybe_unused]] const auto n = ::write(fd, &byte, 1);
    }
    errno = saved;
}

}  // namespace

StopSignals::StopSignals() {
    assert(handler_fd == -1 && "one StopSignals at a time");
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC | O_NONBLOCK) != 0) {
        throw std::system_error(errno, std::generic_category(), "pipe2");
    }
    read_fd_ = fds[0];
    write_fd_ = fds[1];
    handler_fd = write_fd_;
    struct sigaction action = {};
    action.sa_handler = on_stop_signal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = 0;  // no SA_RESTART: a blocked poll(2) returns EINTR at once
    for (std::size_t i = 0; i < std::size(stop_signals); ++i) {
        ::sigaction(stop_signals[i], &action, &previous_[i]);
    }
}

StopSignals::~StopSignals() {
    for (std::size_t i = 0; i < std::size(stop_signals); ++i) {
        ::sigaction(stop_signals[i], &previous_[i], nullptr);
    }
    handler_fd = -1;
    ::close(read_fd_);
    ::close(write_fd_);
}

}  // namespace vj::vjctl
