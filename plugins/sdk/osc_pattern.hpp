// OSC address patterns (OSC 1.0 wildcards plus the OSC 1.1 "//" path traversal), compiled once
// and matched against the addresses of incoming messages.
#pragma once

#include <bitset>
#include <string>
#include <string_view>
#include <vector>

#include <boost/system/result.hpp>

namespace vj::sdk::osc {

/// A compiled OSC address pattern. The pattern and the address are split at '/' and matched
/// part for part (the same number of parts), each part with:
///   ?          any one character
///   *          any run of characters, the empty one included
///   [abc]      one of the characters; [a-z] a range; [!a-z] none of them. '!' is a negation
///              only right after '['; '-' first or last is literal; the first ']' closes the
///              set, so [] matches nothing and [!] any one character; a reversed range such
///              as [z-a] matches nothing
///   {foo,bar}  one of the comma-separated strings, taken literally ({,x}: empty or "x")
///   anything else matches itself (stray ']', '}' and ',' included)
/// and OSC 1.1's "//": an empty part between two slashes matches any number of address parts,
/// none included, so "//level" matches "/level" and "/vj/audio/level". A trailing "/" is an
/// ordinary empty last part. Matching is byte-wise and case-sensitive; '*' and '?' never cross
/// a '/'. Matching costs O(pattern x address) at worst, whatever the pattern.
class AddressPattern {
public:
    /// Compiles `pattern`; the error says what is wrong and where:
    /// "'/vj/[ab': unclosed '[' at byte 4". A pattern must start with '/'.
    static boost::system::result<AddressPattern, std::string> compile(std::string_view pattern);

    /// True when `address` (an OSC address, starting with '/') matches. An address that does not
    /// start with '/' matches nothing.
    bool matches(std::string_view address) const;

    /// The pattern as given.
    const std::string& text() const { return text_; }

private:
    struct Token {
        enum class Kind : unsigned char { literal, any_char, any_run, set, alternatives };
        Kind kind = Kind::literal;
        std::string text;                   // literal
        std::bitset<256> chars;             // set (negation already applied)
        std::vector<std::string> choices;   // alternatives
    };
    struct Part {
        bool any_levels = false;  // "//": zero or more whole address parts
        bool plain = true;        // only literal characters: compared directly
        std::string literal;      // the part's text when plain
        std::vector<Token> tokens;
    };

    bool part_matches(const Part& part, std::string_view name) const;

    std::string text_;
    std::vector<Part> parts_;
};

/// Compiles and matches in one call: false for a malformed pattern. For a pattern used more
/// than once, compile it once with AddressPattern::compile().
bool pattern_matches(std::string_view pattern, std::string_view address);

}  // namespace vj::sdk::osc
