// Expansion of ${VAR} and ${VAR:-default} references inside config scalars.
#include "config/expand.hpp"

#include <fmt/format.h>

namespace vj::config {
namespace {

bool name_start(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_'; }
bool name_char(char c) { return name_start(c) || (c >= '0' && c <= '9'); }

class Expander {
public:
    Expander(std::string_view whole, const Environment& env) : whole_(whole), env_(env) {}

    /// Expands s[i...] until the end, or until an unmatched '}' when `nested` (a default's end).
    /// On success `i` points at that '}' (nested) or at the end.
    bool run(std::string_view s, std::size_t& i, bool nested, std::string& out) {
        while (i < s.size()) {
            const char c = s[i];
            if (nested && c == '}') return true;
            if (c != '$' || i + 1 >= s.size()) {
                out += c;
                ++i;
                continue;
            }
            if (s[i + 1] == '$') {
                out += '$';
                i += 2;
                continue;
            }
            if (s[i + 1] != '{') {
                out += c;
                ++i;
                continue;
            }
            if (!reference(s, i, out)) return false;
        }
        if (nested) return fail(fmt::format("unterminated '${{' in '{}'", whole_));
        return true;
    }

    std::string error;

private:
    /// s[i] is the '$' of "${"; expands one reference and leaves i after its '}'.
    bool reference(std::string_view s, std::size_t& i, std::string& out) {
        std::size_t j = i + 2;
        const std::size_t name_begin = j;
        while (j < s.size() && name_char(s[j])) ++j;
        const std::string_view name = s.substr(name_begin, j - name_begin);
        if (j >= s.size()) return fail(fmt::format("unterminated '${{' in '{}'", whole_));
        if (name.empty() || !name_start(name.front()))
            return fail(fmt::format("invalid variable name in '{}' (use ${{NAME}} or ${{NAME:-default}})", whole_));

        const auto found = env_.find(std::string(name));
        if (s[j] == '}') {
            if (found == env_.end())
                return fail(fmt::format("environment variable '{}' is not set (write ${{{}:-default}} to give a default)",
                                        name, name));
            out += found->second;
            i = j + 1;
            return true;
        }
        if (s.substr(j, 2) != ":-")
            return fail(fmt::format("expected '}}' or ':-' after '${{{}' in '{}'", name, whole_));
        j += 2;
        // The default is expanded even when unused, so a mistake in it shows up before the day it is needed.
        std::string fallback;
        if (!run(s, j, true, fallback)) return false;
        out += (found == env_.end() || found->second.empty()) ? fallback : found->second;
        i = j + 1;
        return true;
    }

    bool fail(std::string why) {
        error = std::move(why);
        return false;
    }

    std::string_view whole_;
    const Environment& env_;
};

}  // namespace

Parsed<std::string> expand_variables(std::string_view text, const Environment& env) {
    // Fast path: most scalars have no '$' at all.
    if (text.find('$') == std::string_view::npos) return Parsed<std::string>::ok(std::string(text));
    Expander expander(text, env);
    std::string out;
    std::size_t i = 0;
    if (!expander.run(text, i, false, out)) return Parsed<std::string>::fail(std::move(expander.error));
    return Parsed<std::string>::ok(std::move(out));
}

}  // namespace vj::config
