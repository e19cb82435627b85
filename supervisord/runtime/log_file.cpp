// Log file appends, rename rotation, and the hold/drop/marker policy for a refusing disk.
#include "runtime/log_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "runtime/log.hpp"

namespace vj::runtime {

LogFile::LogFile(LogFileOptions options) : options_(std::move(options)) {}

bool LogFile::ensure_open(SystemTime now) {
    if (fd_) return true;
    fd_.reset(::open(options_.path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, options_.mode));
    if (!fd_) {
        failure_ = std::string("cannot open ") + options_.path + ": " + std::strerror(errno);
        return false;
    }
    struct stat st{};
    size_ = ::fstat(fd_.get(), &st) == 0 ? static_cast<std::uint64_t>(st.st_size) : 0;
    opened_at_ = now;
    if (options_.uid && st.st_uid != *options_.uid &&
        ::fchown(fd_.get(), *options_.uid, options_.gid.value_or(static_cast<gid_t>(-1))) != 0)
        log_error("cannot give {} to uid {}: {}", options_.path, *options_.uid, std::strerror(errno));
    return true;
}

void LogFile::rotate(SystemTime now) {
    fd_.reset();
    // NAME.log.K-1 -> NAME.log.K, …, NAME.log -> NAME.log.1: renames only, readers keep their file.
    const auto numbered = [&](int i) { return options_.path + "." + std::to_string(i); };
    if (options_.keep == 0) {
        ::unlink(options_.path.c_str());
    } else {
        ::unlink(numbered(options_.keep).c_str());
        for (int i = options_.keep - 1; i >= 1; --i) ::rename(numbered(i).c_str(), numbered(i + 1).c_str());
        if (::rename(options_.path.c_str(), numbered(1).c_str()) != 0 && errno != ENOENT)
            log_error("cannot rotate {}: {}", options_.path, std::strerror(errno));
    }
    ensure_open(now);
}

bool LogFile::write_out(std::string_view data) {
    while (!data.empty()) {
        const ssize_t n = ::write(fd_.get(), data.data(), data.size());
        if (n < 0) {
            if (errno == EINTR) continue;
            failure_ = std::strerror(errno);  // ENOSPC, EFBIG (RLIMIT_FSIZE), EIO, EDQUOT …
            hold(data);
            return false;
        }
        size_ += static_cast<std::uint64_t>(n);
        data.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
}

void LogFile::hold(std::string_view data) {
    const std::size_t room = options_.hold > held_.size() ? options_.hold - held_.size() : 0;
    const std::size_t kept = std::min(room, data.size());
    held_.append(data.substr(0, kept));
    dropped_ += data.size() - kept;
    dropped_total_ += data.size() - kept;
}

bool LogFile::flush(SystemTime now) {
    if (held_.empty() && dropped_ == 0) return true;
    if (!ensure_open(now)) return false;
    std::string held = std::move(held_);
    held_.clear();
    const std::uint64_t dropped = dropped_;
    dropped_ = 0;
    // Held bytes first (they came before the loss), then the marker saying what was lost.
    append(held, now);
    if (!held_.empty()) {  // still failing: put the count back
        dropped_ += dropped;
        return false;
    }
    if (dropped > 0) {
        const std::string marker =
            "[vj-supervisor: " + std::to_string(dropped) + " bytes dropped: " + failure_ + "]\n";
        append(marker, now);
        if (!held_.empty()) return false;
        log_info("{}: writing works again; {} bytes were dropped ({})", options_.path, dropped, failure_);
    }
    return true;
}

void LogFile::write(std::string_view data, SystemTime now) {
    if (!held_.empty() || dropped_ > 0) {
        if (!flush(now)) {
            hold(data);
            return;
        }
    }
    append(data, now);
}

void LogFile::append(std::string_view data, SystemTime now) {
    if (!ensure_open(now)) {
        hold(data);
        return;
    }
    while (!data.empty()) {
        if (options_.rotate_every && size_ > 0 && now - opened_at_ >= *options_.rotate_every) rotate(now);
        if (!fd_) {
            hold(data);
            return;
        }
        std::size_t take = data.size();
        if (options_.max_size > 0 && size_ + take > options_.max_size) {
            const std::size_t room = options_.max_size > size_ ? static_cast<std::size_t>(options_.max_size - size_) : 0;
            // Cut after the last newline that fits, so files start at line starts; a line longer
            // than what is left goes to a fresh file, and one longer than max_size is split.
            const auto nl = room > 0 ? data.substr(0, room).rfind('\n') : std::string_view::npos;
            if (nl != std::string_view::npos) {
                take = nl + 1;
            } else if (size_ > 0) {
                rotate(now);
                continue;
            } else {
                take = room;
            }
        }
        if (!write_out(data.substr(0, take))) {
            hold(data.substr(take));
            return;
        }
        data.remove_prefix(take);
        if (options_.max_size > 0 && size_ >= options_.max_size && !data.empty()) rotate(now);
    }
}

}  // namespace vj::runtime
