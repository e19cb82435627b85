// YAML values as JSON text, typed the way YAML 1.2's core schema types plain scalars (for Lua probe `args`).
#include "config/json_text.hpp"

#include <charconv>
#include <optional>
#include <cstdint>
#include <set>

#include <fmt/format.h>

namespace vj::config {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

bool all_of(std::string_view text, bool (*pred)(char)) {
    if (text.empty()) return false;
    for (char c : text)
        if (!pred(c)) return false;
    return true;
}

/// An integer in base 8 or 16 (the digits after 0o / 0x) as decimal text; nullopt beyond 64 bits.
std::optional<std::string> based_integer(std::string_view digits, int base) {
    std::uint64_t value = 0;
    const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value, base);
    if (ec != std::errc() || end != digits.data() + digits.size()) return std::nullopt;
    return std::to_string(value);
}

/// A core-schema decimal integer ([-+]?[0-9]+) as JSON, or nullopt if it is not one.
std::optional<std::string> decimal_integer(std::string_view text) {
    std::string_view digits = text;
    const bool negative = !digits.empty() && digits.front() == '-';
    if (!digits.empty() && (digits.front() == '-' || digits.front() == '+')) digits.remove_prefix(1);
    if (!all_of(digits, is_digit)) return std::nullopt;
    std::int64_t value = 0;
    // Parse with the sign, so that INT64_MIN fits; "-0" is 0.
    const std::string signed_text = (negative ? "-" : "") + std::string(digits);
    const auto [end, ec] = std::from_chars(signed_text.data(), signed_text.data() + signed_text.size(), value);
    if (ec != std::errc() || end != signed_text.data() + signed_text.size()) return std::nullopt;
    return std::to_string(value);
}

/// A core-schema float ([-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?) rewritten as a JSON
/// number with the same digits (so "5.0" stays a float for Lua), or nullopt if it is not one.
std::optional<std::string> decimal_float(std::string_view text) {
    std::size_t i = 0;
    std::string sign;
    if (i < text.size() && (text[i] == '-' || text[i] == '+')) {
        if (text[i] == '-') sign = "-";
        ++i;
    }
    const std::size_t int_start = i;
    while (i < text.size() && is_digit(text[i])) ++i;
    std::string_view int_part = text.substr(int_start, i - int_start);
    std::string_view frac_part;
    bool has_point = false;
    if (i < text.size() && text[i] == '.') {
        has_point = true;
        const std::size_t frac_start = ++i;
        while (i < text.size() && is_digit(text[i])) ++i;
        frac_part = text.substr(frac_start, i - frac_start);
    }
    if (int_part.empty() && frac_part.empty()) return std::nullopt;  // "", ".", "+", "e5"
    std::string exponent;
    if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
        ++i;
        exponent = "e";
        if (i < text.size() && (text[i] == '-' || text[i] == '+')) exponent += text[i++];
        const std::size_t exp_start = i;
        while (i < text.size() && is_digit(text[i])) ++i;
        if (i == exp_start) return std::nullopt;
        exponent += text.substr(exp_start, i - exp_start);
    }
    if (i != text.size()) return std::nullopt;
    // JSON wants no leading zeros, a digit on each side of the point and no '+' in front.
    while (int_part.size() > 1 && int_part.front() == '0') int_part.remove_prefix(1);
    std::string out = sign + (int_part.empty() ? std::string("0") : std::string(int_part));
    if (has_point) out += "." + (frac_part.empty() ? std::string("0") : std::string(frac_part));
    return out + exponent;
}

void write(const ConfigNode& node, std::string& out) {
    switch (node.kind) {
        case ConfigNode::Kind::null: out += "null"; return;
        case ConfigNode::Kind::scalar: out += json_scalar(node.text, node.plain); return;
        case ConfigNode::Kind::sequence: {
            out += '[';
            for (std::size_t i = 0; i < node.items.size(); ++i) {
                if (i > 0) out += ',';
                write(node.items[i], out);
            }
            out += ']';
            return;
        }
        case ConfigNode::Kind::map: {
            out += '{';
            std::set<std::string_view> seen;
            for (const auto& entry : node.entries) {
                if (!seen.insert(entry.key).second) continue;
                if (seen.size() > 1) out += ',';
                out += json_string(entry.key);
                out += ':';
                write(entry.value, out);
            }
            out += '}';
            return;
        }
    }
}

}  // namespace

std::string json_string(std::string_view text) {
    std::string out = "\"";
    for (const char c : text) {
        switch (c) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\b': out += "\\b"; break;
            case '\f': out += "\\f"; break;
            case '\n': out += "\\n"; break;
            case '\r': out += "\\r"; break;
            case '\t': out += "\\t"; break;
            default:
                if (static_cast<unsigned char>(c) < 0x20) out += fmt::format("\\u{:04x}", static_cast<unsigned char>(c));
                else out += c;
        }
    }
    return out + "\"";
}

std::string json_scalar(std::string_view text, bool plain) {
    if (!plain) return json_string(text);
    if (text.empty() || text == "~" || text == "null" || text == "Null" || text == "NULL") return "null";
    if (text == "true" || text == "True" || text == "TRUE") return "true";
    if (text == "false" || text == "False" || text == "FALSE") return "false";
    if (text.size() > 2 && text.starts_with("0o")) {
        if (auto v = based_integer(text.substr(2), 8)) return *v;
        return json_string(text);
    }
    if (text.size() > 2 && text.starts_with("0x")) {
        if (auto v = based_integer(text.substr(2), 16)) return *v;
        return json_string(text);
    }
    if (auto v = decimal_integer(text)) return *v;
    // Digits alone that did not fit 64 bits stay text rather than lose precision as a float.
    std::string_view unsigned_text = text;
    if (text.front() == '-' || text.front() == '+') unsigned_text.remove_prefix(1);
    if (all_of(unsigned_text, is_digit)) return json_string(text);
    if (auto v = decimal_float(text)) return *v;
    return json_string(text);
}

std::string to_json(const ConfigNode& node) {
    std::string out;
    write(node, out);
    return out;
}

}  // namespace vj::config
