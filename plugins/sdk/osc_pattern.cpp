// Compiling OSC address patterns into per-part tokens and matching them without backtracking.
#include "sdk/osc_pattern.hpp"

#include <algorithm>

namespace vj::sdk::osc {
namespace {

using Result = boost::system::result<AddressPattern, std::string>;

std::vector<std::string_view> split_parts(std::string_view rest) {
    std::vector<std::string_view> parts;
    for (;;) {
        const auto slash = rest.find('/');
        parts.push_back(rest.substr(0, slash));
        if (slash == std::string_view::npos) return parts;
        rest.remove_prefix(slash + 1);
    }
}

// Built with append(): GCC 12 at -O3 warns (-Wrestrict, a false positive) on "'" + string + "'".
std::string quoted(std::string_view pattern) {
    std::string out;
    out.reserve(pattern.size() + 2);
    out += '\'';
    out.append(pattern);
    out += '\'';
    return out;
}

}  // namespace

Result AddressPattern::compile(std::string_view pattern) {
    if (!pattern.starts_with('/'))
        return Result(boost::system::in_place_error, quoted(pattern) + ": an OSC address pattern starts with '/'");
    AddressPattern compiled;
    compiled.text_ = std::string(pattern);
    const std::vector<std::string_view> names = split_parts(pattern.substr(1));
    std::size_t offset = 1;  // of the current part within the pattern, for messages
    for (std::size_t n = 0; n < names.size(); ++n) {
        const std::string_view name = names[n];
        Part part;
        // An empty part followed by more is "//"; an empty last part is a trailing '/'.
        if (name.empty() && n + 1 < names.size()) {
            part.any_levels = true;
            compiled.parts_.push_back(std::move(part));
            offset += 1;
            continue;
        }
        auto literal = [&](char c) {
            if (part.tokens.empty() || part.tokens.back().kind != Token::Kind::literal) part.tokens.emplace_back();
            part.tokens.back().text += c;
        };
        for (std::size_t i = 0; i < name.size(); ++i) {
            const char c = name[i];
            if (c == '?') {
                part.tokens.push_back(Token{Token::Kind::any_char, {}, {}, {}});
            } else if (c == '*') {
                // "**" is the same as "*": keep one, the matcher's cost grows with tokens.
                if (part.tokens.empty() || part.tokens.back().kind != Token::Kind::any_run)
                    part.tokens.push_back(Token{Token::Kind::any_run, {}, {}, {}});
            } else if (c == '[') {
                const std::size_t close = name.find(']', i + 1);
                if (close == std::string_view::npos)
                    return Result(boost::system::in_place_error,
                                  quoted(pattern) + ": unclosed '[' at byte " + std::to_string(offset + i));
                std::string_view body = name.substr(i + 1, close - i - 1);
                Token set{Token::Kind::set, {}, {}, {}};
                const bool negate = body.starts_with('!');
                if (negate) body.remove_prefix(1);
                for (std::size_t k = 0; k < body.size(); ++k) {
                    const auto lo = static_cast<unsigned char>(body[k]);
                    // "a-z" is a range; a '-' first or last is itself.
                    if (k + 2 < body.size() && body[k + 1] == '-') {
                        const auto hi = static_cast<unsigned char>(body[k + 2]);
                        for (unsigned ch = lo; ch <= hi; ++ch) set.chars.set(ch);
                        k += 2;
                    } else {
                        set.chars.set(lo);
                    }
                }
                if (negate) set.chars.flip();
                part.tokens.push_back(std::move(set));
                i = close;
            } else if (c == '{') {
                const std::size_t close = name.find('}', i + 1);
                if (close == std::string_view::npos)
                    return Result(boost::system::in_place_error,
                                  quoted(pattern) + ": unclosed '{' at byte " + std::to_string(offset + i));
                Token choice{Token::Kind::alternatives, {}, {}, {}};
                for (std::string_view body = name.substr(i + 1, close - i - 1);;) {
                    const auto comma = body.find(',');
                    choice.choices.emplace_back(body.substr(0, comma));
                    if (comma == std::string_view::npos) break;
                    body.remove_prefix(comma + 1);
                }
                part.tokens.push_back(std::move(choice));
                i = close;
            } else {
                literal(c);
            }
        }
        part.plain = part.tokens.empty() || (part.tokens.size() == 1 && part.tokens[0].kind == Token::Kind::literal);
        if (part.plain) {
            if (!part.tokens.empty()) part.literal = std::move(part.tokens[0].text);
            part.tokens.clear();
        }
        compiled.parts_.push_back(std::move(part));
        offset += name.size() + 1;
    }
    return compiled;
}

bool AddressPattern::part_matches(const Part& part, std::string_view name) const {
    if (part.plain) return name == part.literal;
    // The set of positions in `name` reachable after each token: a dynamic programme instead of
    // backtracking, so "*a*a*a*b" against a long name stays O(tokens x length).
    const std::size_t n = name.size();
    std::vector<char> at(n + 1, 0), next(n + 1, 0);
    at[0] = 1;
    for (const Token& t : part.tokens) {
        std::fill(next.begin(), next.end(), 0);
        bool any = false;
        switch (t.kind) {
        case Token::Kind::literal:
        case Token::Kind::alternatives: {
            const auto step = [&](std::string_view s) {
                for (std::size_t p = 0; p + s.size() <= n; ++p)
                    if (at[p] && name.compare(p, s.size(), s) == 0) next[p + s.size()] = 1, any = true;
            };
            if (t.kind == Token::Kind::literal) step(t.text);
            else for (const std::string& s : t.choices) step(s);
            break;
        }
        case Token::Kind::any_char:
        case Token::Kind::set:
            for (std::size_t p = 0; p < n; ++p) {
                if (at[p] && (t.kind == Token::Kind::any_char || t.chars.test(static_cast<unsigned char>(name[p]))))
                    next[p + 1] = 1, any = true;
            }
            break;
        case Token::Kind::any_run: {
            bool reached = false;
            for (std::size_t p = 0; p <= n; ++p) {
                reached = reached || at[p];
                next[p] = reached;
                any = any || reached;
            }
            break;
        }
        }
        if (!any) return false;
        at.swap(next);
    }
    return at[n] != 0;
}

bool AddressPattern::matches(std::string_view address) const {
    if (!address.starts_with('/')) return false;
    const std::vector<std::string_view> names = split_parts(address.substr(1));
    // Same programme one level up: which address parts can follow each pattern part.
    const std::size_t n = names.size();
    std::vector<char> at(n + 1, 0), next(n + 1, 0);
    at[0] = 1;
    for (const Part& part : parts_) {
        std::fill(next.begin(), next.end(), 0);
        bool any = false;
        if (part.any_levels) {
            bool reached = false;
            for (std::size_t k = 0; k <= n; ++k) {
                reached = reached || at[k];
                next[k] = reached;
                any = any || reached;
            }
        } else {
            for (std::size_t k = 0; k < n; ++k)
                if (at[k] && part_matches(part, names[k])) next[k + 1] = 1, any = true;
        }
        if (!any) return false;
        at.swap(next);
    }
    return at[n] != 0;
}

bool pattern_matches(std::string_view pattern, std::string_view address) {
    const auto compiled = AddressPattern::compile(pattern);
    return compiled && compiled->matches(address);
}

}  // namespace vj::sdk::osc
