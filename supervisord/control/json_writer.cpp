// JSON text written directly into a string: structure, string escaping, numbers (nlohmann's bytes).
#include "control/json_writer.hpp"

#include <array>
#include <charconv>
#include <cmath>
#include <utility>

#include <nlohmann/json.hpp>

namespace vj::control {
namespace {

/// Bytes copied as they are without a closer look: printable ASCII except `"` and `\`.
constexpr std::array<bool, 256> plain_bytes = [] {
    std::array<bool, 256> t{};
    for (int b = 0x20; b < 0x80; ++b) t[static_cast<std::size_t>(b)] = b != '"' && b != '\\';
    return t;
}();

constexpr std::string_view replacement = "\xEF\xBF\xBD";  // U+FFFD, written raw as nlohmann does

void append_escaped_ascii(std::string& out, unsigned char c) {
    switch (c) {
        case '"': out += "\\\""; return;
        case '\\': out += "\\\\"; return;
        case '\b': out += "\\b"; return;
        case '\t': out += "\\t"; return;
        case '\n': out += "\\n"; return;
        case '\f': out += "\\f"; return;
        case '\r': out += "\\r"; return;
        default: break;
    }
    // Other control characters: \u00xx with lower-case hex digits (nlohmann's "\\u%04x").
    constexpr std::string_view hex = "0123456789abcdef";
    const char escaped[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 0xF]};
    out.append(escaped, sizeof escaped);
}

/// A lead byte's sequence (RFC 3629 "UTF8-octets", the language nlohmann's decoder accepts): how many
/// continuation bytes follow, and the range the first of them must fall in (which excludes overlong
/// forms, surrogates and code points above U+10FFFF). Zero continuations: the byte never starts one.
struct Lead {
    int continuations;
    unsigned char first_lo;
    unsigned char first_hi;
};

constexpr Lead lead_of(unsigned char b) {
    if (b >= 0xC2 && b <= 0xDF) return {1, 0x80, 0xBF};
    if (b == 0xE0) return {2, 0xA0, 0xBF};
    if (b == 0xED) return {2, 0x80, 0x9F};
    if (b >= 0xE1 && b <= 0xEF) return {2, 0x80, 0xBF};
    if (b == 0xF0) return {3, 0x90, 0xBF};
    if (b >= 0xF1 && b <= 0xF3) return {3, 0x80, 0xBF};
    if (b == 0xF4) return {3, 0x80, 0x8F};
    return {0, 0, 0};  // 0x80..0xC1 (continuations, overlong leads), 0xF5..0xFF
}

}  // namespace

void append_json_string(std::string& out, std::string_view s) {
    const auto* bytes = reinterpret_cast<const unsigned char*>(s.data());
    const std::size_t n = s.size();
    out += '"';
    std::size_t i = 0;
    while (i < n) {
        std::size_t run = i;
        while (run < n && plain_bytes[bytes[run]]) ++run;
        out.append(s.data() + i, run - i);
        i = run;
        if (i == n) break;
        const unsigned char b = bytes[i];
        if (b < 0x80) {
            append_escaped_ascii(out, b);
            ++i;
            continue;
        }
        // Invalid UTF-8 as nlohmann's error_handler_t::replace treats it: the bytes of a broken
        // sequence become one U+FFFD, and the byte that broke it is read again as a new start.
        const Lead lead = lead_of(b);
        if (lead.continuations == 0) {
            out += replacement;
            ++i;
            continue;
        }
        int seen = 1;
        for (; seen <= lead.continuations; ++seen) {
            if (i + static_cast<std::size_t>(seen) == n) break;  // truncated by the end of the string
            const unsigned char c = bytes[i + static_cast<std::size_t>(seen)];
            const bool fits = seen == 1 ? c >= lead.first_lo && c <= lead.first_hi : c >= 0x80 && c <= 0xBF;
            if (!fits) break;
        }
        if (seen > lead.continuations) {
            out.append(s.data() + i, static_cast<std::size_t>(seen));
        } else {
            out += replacement;
        }
        i += static_cast<std::size_t>(seen);
    }
    out += '"';
}

void append_json_number(std::string& out, double x) {
    if (!std::isfinite(x)) {
        out += "null";
        return;
    }
    // nlohmann's own formatter, the one its dump() calls: its Grisu2 is not always the shortest
    // round-trip form, so std::to_chars and fmt print other digits for about 0.1% of durations, and
    // the wire bytes must not change. A test compares this with dump() should nlohmann change.
    std::array<char, 64> buf;
    char* end = nlohmann::detail::to_chars(buf.data(), buf.data() + buf.size(), x);
    out.append(buf.data(), static_cast<std::size_t>(end - buf.data()));
}

void JsonWriter::before_value() {
    if (after_key_)
        after_key_ = false;
    else if (need_comma_)
        out_ += ',';
}

void JsonWriter::begin_object() {
    before_value();
    out_ += '{';
    need_comma_ = false;
}

void JsonWriter::end_object() {
    out_ += '}';
    need_comma_ = true;
}

void JsonWriter::begin_array() {
    before_value();
    out_ += '[';
    need_comma_ = false;
}

void JsonWriter::end_array() {
    out_ += ']';
    need_comma_ = true;
}

void JsonWriter::key(std::string_view name) {
    if (need_comma_) out_ += ',';
    append_json_string(out_, name);
    out_ += ':';
    after_key_ = true;
}

void JsonWriter::string(std::string_view s) {
    before_value();
    append_json_string(out_, s);
    need_comma_ = true;
}

void JsonWriter::integer(std::int64_t n) {
    before_value();
    std::array<char, 24> buf;
    const char* end = std::to_chars(buf.data(), buf.data() + buf.size(), n).ptr;
    out_.append(buf.data(), static_cast<std::size_t>(end - buf.data()));
    need_comma_ = true;
}

void JsonWriter::number(double x) {
    before_value();
    append_json_number(out_, x);
    need_comma_ = true;
}

void JsonWriter::boolean(bool b) {
    before_value();
    out_ += b ? "true" : "false";
    need_comma_ = true;
}

void JsonWriter::null() {
    before_value();
    out_ += "null";
    need_comma_ = true;
}

std::string JsonWriter::take() {
    need_comma_ = false;
    after_key_ = false;
    return std::exchange(out_, std::string());
}

}  // namespace vj::control
