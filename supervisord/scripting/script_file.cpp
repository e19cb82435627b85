// Bounded reads of regular files for the Lua host.
#include "scripting/script_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "os/unique_fd.hpp"

namespace vj::scripting {

FileId FileId::of(const struct stat& st) {
    return FileId{st.st_dev, st.st_ino, st.st_size,
                  static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec};
}

const char* error_text(int err) {
    // strerrordesc_np (glibc >= 2.32) returns a static string, unlike strerror's shared buffer.
    const char* text = ::strerrordesc_np(err);
    return text ? text : "unknown error";
}

bool read_regular_file(const std::string& path, std::size_t max, std::string& out, std::string& error,
                       FileId* id, int* error_number) {
    out.clear();
    const auto fail = [&](const char* reason, int err) {
        error = "cannot read " + path + ": " + reason;
        if (error_number) *error_number = err;
        out.clear();
        return false;
    };
    // O_NONBLOCK: opening a FIFO must not wait for a writer; it is refused below anyway.
    os::UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY));
    if (!fd) return fail(error_text(errno), errno);
    struct stat st {};
    if (::fstat(fd.get(), &st) != 0) return fail(error_text(errno), errno);
    if (!S_ISREG(st.st_mode)) return fail("not a regular file", 0);
    if (id) *id = FileId::of(st);
    // /proc files report size 0 yet have content: read until EOF or `max`, whatever st_size says.
    out.resize(std::min<std::size_t>(max, st.st_size > 0 ? static_cast<std::size_t>(st.st_size) : 4096));
    std::size_t used = 0;
    while (used < max) {
        if (used == out.size()) out.resize(std::min(max, out.size() * 2 + 4096));
        const ssize_t n = ::read(fd.get(), out.data() + used, out.size() - used);
        if (n < 0) {
            if (errno == EINTR) continue;
            return fail(error_text(errno), errno);
        }
        if (n == 0) break;
        used += static_cast<std::size_t>(n);
    }
    out.resize(used);
    return true;
}

}  // namespace vj::scripting
