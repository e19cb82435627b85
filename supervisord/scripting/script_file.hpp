// Reading the files the Lua host loads or scripts ask for: bounded, regular files only, identified for reloads.
//
// These are POSIX calls outside os/: they serve only the Lua host, with its own caps and messages.
#pragma once

#include <sys/stat.h>

#include <cstddef>
#include <cstdint>
#include <string>

namespace vj::scripting {

/// What identifies one version of a file: a change in any of these reloads a script.
struct FileId {
    dev_t device = 0;
    ino_t inode = 0;
    off_t size = 0;
    std::int64_t mtime_ns = 0;

    static FileId of(const struct stat& st);
    bool operator==(const FileId&) const = default;
};

/// Reads at most `max` bytes of the regular file `path` into `out`; sets `id` from the open file,
/// so that it describes the bytes read. On failure returns false with `error` like
/// "cannot read PATH: No such file or directory". Never blocks on a FIFO or device: anything but a
/// regular file is refused ("not a regular file"). `error_number` gets errno of a failed call (0 for
/// "not a regular file").
bool read_regular_file(const std::string& path, std::size_t max, std::string& out, std::string& error,
                       FileId* id = nullptr, int* error_number = nullptr);

/// strerror(3) for `err` without its thread-safety caveat (a static text; "unknown error N" never needed).
const char* error_text(int err);

}  // namespace vj::scripting
