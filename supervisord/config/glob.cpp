// Wildcard matching of include patterns against the file system (*, ? and [...] per path component).
// Written on std::filesystem rather than glob(3) so that config/ stays free of POSIX calls.
#include "config/glob.hpp"

#include <algorithm>
#include <string>
#include <system_error>

namespace vj::config {
namespace {

/// Matches the class starting at p[0] == '[' against c; sets `length` to the class's size in p.
/// A '[' without a closing ']' is an ordinary character.
bool class_match(std::string_view p, char c, std::size_t& length) {
    std::size_t i = 1;
    const bool negate = i < p.size() && (p[i] == '!' || p[i] == '^');
    if (negate) ++i;
    bool matched = false;
    bool first = true;
    for (; i < p.size(); ++i) {
        // A ']' right after '[' or '[!' is a member, not the end.
        if (p[i] == ']' && !first) {
            length = i + 1;
            return matched != negate;
        }
        first = false;
        if (i + 2 < p.size() && p[i + 1] == '-' && p[i + 2] != ']') {
            matched = matched || (p[i] <= c && c <= p[i + 2]);
            i += 2;
        } else {
            matched = matched || p[i] == c;
        }
    }
    length = 1;
    return c == '[';
}

}  // namespace

bool has_wildcards(std::string_view pattern) { return pattern.find_first_of("*?[") != std::string_view::npos; }

bool wildcard_match(std::string_view p, std::string_view s) {
    // Iterative matcher with one backtrack point for the last '*': linear in practice.
    std::size_t pi = 0, si = 0;
    std::size_t star_p = std::string_view::npos, star_s = 0;
    while (si < s.size()) {
        if (pi < p.size() && p[pi] == '*') {
            star_p = pi++;
            star_s = si;
            continue;
        }
        if (pi < p.size()) {
            std::size_t length = 1;
            bool ok = false;
            if (p[pi] == '?') ok = true;
            else if (p[pi] == '[') ok = class_match(p.substr(pi), s[si], length);
            else ok = p[pi] == s[si];
            if (ok) {
                pi += length;
                ++si;
                continue;
            }
        }
        if (star_p == std::string_view::npos) return false;
        pi = star_p + 1;
        si = ++star_s;
    }
    while (pi < p.size() && p[pi] == '*') ++pi;
    return pi == p.size();
}

std::vector<std::filesystem::path> expand_glob(const std::filesystem::path& pattern) {
    namespace fs = std::filesystem;
    std::vector<fs::path> current{pattern.root_path()};  // "" for a relative pattern: the current directory
    for (const auto& component : pattern.relative_path()) {
        const std::string part = component.string();
        if (part.empty()) continue;  // a trailing '/'
        std::vector<fs::path> next;
        for (const auto& base : current) {
            if (!has_wildcards(part)) {
                next.push_back(base / component);
                continue;
            }
            std::error_code ec;
            const fs::path dir = base.empty() ? fs::path(".") : base;
            for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
                const std::string name = it->path().filename().string();
                if (name.front() == '.' && part.front() != '.') continue;
                if (wildcard_match(part, name)) next.push_back(base / name);
            }
        }
        current = std::move(next);
        if (current.empty()) break;
    }
    std::vector<fs::path> files;
    for (auto& candidate : current) {
        std::error_code ec;
        if (fs::is_regular_file(candidate, ec)) files.push_back(std::move(candidate));
    }
    std::sort(files.begin(), files.end());
    return files;
}

}  // namespace vj::config
