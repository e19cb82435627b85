// Parsing of sd_notify datagrams (the assignments listed in sd_notify(3)).
#include "core/notify_message.hpp"

#include <charconv>

namespace vj::core {
namespace {

/// A line of the datagram as an error message may quote it: printable, at most 64 bytes.
std::string quote(std::string_view line) {
    constexpr std::size_t limit = 64;
    std::string out = "'";
    for (std::size_t i = 0; i < line.size() && i < limit; ++i) {
        const auto c = static_cast<unsigned char>(line[i]);
        out += c < 0x20 || c == 0x7f ? '?' : static_cast<char>(c);
    }
    if (line.size() > limit) out += "...";
    return out + "'";
}

template <typename T>
std::optional<T> parse_number(std::string_view s) {
    T value{};
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
    if (s.empty() || ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
    return value;
}

/// RFC 3629 UTF-8: no overlong forms, no surrogates, nothing above U+10FFFF. systemd drops a STATUS
/// that is not UTF-8 too; for us it would also break the JSON of `vjctl status`.
bool valid_utf8(std::string_view s) {
    std::size_t i = 0;
    while (i < s.size()) {
        const auto c = static_cast<unsigned char>(s[i]);
        std::size_t n;
        std::uint32_t cp;
        if (c < 0x80) {
            ++i;
            continue;
        } else if ((c & 0xe0) == 0xc0) {
            n = 1;
            cp = c & 0x1f;
        } else if ((c & 0xf0) == 0xe0) {
            n = 2;
            cp = c & 0x0f;
        } else if ((c & 0xf8) == 0xf0) {
            n = 3;
            cp = c & 0x07;
        } else {
            return false;
        }
        if (i + n >= s.size()) return false;  // truncated sequence
        for (std::size_t k = 1; k <= n; ++k) {
            const auto cc = static_cast<unsigned char>(s[i + k]);
            if ((cc & 0xc0) != 0x80) return false;
            cp = (cp << 6) | (cc & 0x3f);
        }
        constexpr std::uint32_t min_for_length[] = {0, 0x80, 0x800, 0x10000};
        if (cp < min_for_length[n] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return false;
        i += n + 1;
    }
    return true;
}

}  // namespace

std::optional<NotifyMessage> parse_notify(std::string_view datagram, std::string& error) {
    // systemd ignores a datagram with a NUL byte as a whole; so do we.
    if (datagram.find('\0') != std::string_view::npos) {
        error = "datagram contains a NUL byte";
        return std::nullopt;
    }
    NotifyMessage m;
    bool any = false;
    std::size_t start = 0;
    while (start < datagram.size()) {
        std::size_t end = datagram.find('\n', start);
        if (end == std::string_view::npos) end = datagram.size();
        const std::string_view line = datagram.substr(start, end - start);
        start = end + 1;
        if (line.empty()) continue;
        const auto eq = line.find('=');
        if (eq == std::string_view::npos) {
            error = "not a KEY=VALUE assignment: " + quote(line);
            return std::nullopt;
        }
        if (eq == 0) {
            error = "empty key: " + quote(line);
            return std::nullopt;
        }
        any = true;
        const std::string_view key = line.substr(0, eq);
        const std::string_view value = line.substr(eq + 1);
        // Flags count only with the value systemd acts on ("READY=1"); any other value is ignored.
        const auto flag = [&](bool& field) {
            if (value == "1")
                field = true;
            else
                m.unknown.emplace_back(key);
        };
        if (key == "READY") {
            flag(m.ready);
        } else if (key == "RELOADING") {
            flag(m.reloading);
        } else if (key == "STOPPING") {
            flag(m.stopping);
        } else if (key == "WATCHDOG") {
            if (value == "1")
                m.watchdog = true;
            else if (value == "trigger")
                m.watchdog_trigger = true;
            else
                m.unknown.emplace_back(key);
        } else if (key == "STATUS") {
            if (valid_utf8(value))
                m.status = std::string(value);
            else
                m.unknown.emplace_back(key);
        } else if (key == "MAINPID") {
            const auto pid = parse_number<int>(value);
            if (!pid || *pid <= 0) {
                error = "MAINPID is not a process id: " + quote(line);
                return std::nullopt;
            }
            m.main_pid = pid;
        } else if (key == "WATCHDOG_USEC") {
            const auto usec = parse_number<std::uint64_t>(value);
            if (!usec) {
                error = "WATCHDOG_USEC is not a number of microseconds: " + quote(line);
                return std::nullopt;
            }
            m.watchdog_usec = usec;
        } else if (key == "ERRNO") {
            const auto e = parse_number<int>(value);
            if (!e || *e < 0) {
                error = "ERRNO is not an error number: " + quote(line);
                return std::nullopt;
            }
            m.errno_value = e;
        } else {
            m.unknown.emplace_back(key);
        }
    }
    if (!any) {
        error = datagram.empty() ? "empty datagram" : "datagram has no assignment";
        return std::nullopt;
    }
    return m;
}

}  // namespace vj::core
