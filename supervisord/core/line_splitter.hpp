// Frames a byte stream into lines, whatever the chunking; long lines come out in bounded pieces. Pure.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace vj::core {

class LineSplitter {
public:
    /// A line longer than `max_line` bytes is emitted in pieces of `max_line` (each marked partial).
    explicit LineSplitter(std::size_t max_line) : max_line_(max_line) {}

    /// Calls `emit(std::string_view line, bool complete)` for every line (without its '\n') that
    /// `data` completes, in order; `complete` is false for a piece of an over-long line.
    template <typename Emit>
    void feed(std::string_view data, Emit&& emit) {
        while (!data.empty()) {
            const auto nl = data.find('\n');
            const auto take = nl == std::string_view::npos ? data.size() : nl;
            const auto room = max_line_ - pending_.size();
            if (take > room) {
                // Over-long: the line has more than max_line bytes, so a full piece goes out now.
                // (Exactly max_line bytes wait: the next byte may be its newline.)
                pending_.append(data.substr(0, room));
                emit(std::string_view(pending_), false);
                pending_.clear();
                data.remove_prefix(room);
                continue;
            }
            if (nl == std::string_view::npos) {
                pending_.append(data);
                return;
            }
            if (pending_.empty()) {
                emit(data.substr(0, nl), true);  // the common case: no copy
            } else {
                pending_.append(data.substr(0, nl));
                emit(std::string_view(pending_), true);
                pending_.clear();
            }
            data.remove_prefix(nl + 1);
        }
    }

    /// The bytes of an unfinished line held so far.
    std::string_view pending() const { return pending_; }

    /// Forgets an unfinished line (when nobody needs lines for a while, it would be stale).
    void reset() { pending_.clear(); }

private:
    std::size_t max_line_;
    std::string pending_;
};

}  // namespace vj::core
