// The OSC 1.0 codec: encoder, strict decoder and printer over the value model of osc.hpp.
#include "sdk/osc.hpp"

#include <algorithm>
#include <bit>
#include <charconv>
#include <cstdio>
#include <cstring>

namespace vj::sdk::osc {
namespace {

constexpr std::size_t pad4(std::size_t n) { return (n + 3) & ~std::size_t{3}; }

// Seconds between the NTP epoch (1900) and the Unix epoch (1970).
constexpr std::int64_t ntp_unix_offset = 2'208'988'800;
constexpr std::int64_t era = std::int64_t{1} << 32;

// ---- Encoder

// A string is written up to its first NUL (precondition: there is none), then 1-4 NULs.
std::string_view wire_string(std::string_view s) { return s.substr(0, std::min(s.find('\0'), s.size())); }
std::size_t string_size(std::string_view s) { return pad4(wire_string(s).size() + 1); }

struct ArgsSize {
    std::size_t tags = 0;     // type tags, brackets included, without the ','
    std::size_t payload = 0;  // argument bytes
};

void add_size(ArgsSize& size, const Value& v) {
    ++size.tags;
    std::visit(
        [&](const auto& x) {
            using T = std::decay_t<decltype(x)>;
            if constexpr (std::is_same_v<T, std::string>) size.payload += string_size(x);
            else if constexpr (std::is_same_v<T, Symbol>) size.payload += string_size(x.text);
            else if constexpr (std::is_same_v<T, Blob>) size.payload += 4 + pad4(x.bytes.size());
            else if constexpr (std::is_same_v<T, std::int64_t> || std::is_same_v<T, TimeTag> || std::is_same_v<T, double>)
                size.payload += 8;
            else if constexpr (std::is_same_v<T, bool> || std::is_same_v<T, Nil> || std::is_same_v<T, Impulse>) {
            } else if constexpr (std::is_same_v<T, Array>) {
                ++size.tags;  // the closing ']'
                for (const Value& item : x) add_size(size, item);
            } else {
                size.payload += 4;  // i f c r m
            }
        },
        static_cast<const ValueVariant&>(v));
}

// Writes into storage already sized and zero-filled, so padding needs no writes.
class Writer {
public:
    explicit Writer(std::byte* at) : at_(at) {}
    std::byte* position() const { return at_; }

    void u32(std::uint32_t v) {
        at_[0] = std::byte(v >> 24);
        at_[1] = std::byte(v >> 16);
        at_[2] = std::byte(v >> 8);
        at_[3] = std::byte(v);
        at_ += 4;
    }
    void u64(std::uint64_t v) {
        u32(static_cast<std::uint32_t>(v >> 32));
        u32(static_cast<std::uint32_t>(v));
    }
    void bytes(const void* data, std::size_t n) {
        if (n) std::memcpy(at_, data, n);
        at_ += n;
    }
    void string(std::string_view s) {
        const std::string_view w = wire_string(s);
        bytes(w.data(), w.size());
        at_ += pad4(w.size() + 1) - w.size();
    }
    void skip(std::size_t n) { at_ += n; }
    void u8(std::uint8_t v) { *at_++ = std::byte(v); }

private:
    std::byte* at_;
};

void write_tags(Writer& w, const Value& v) {
    w.u8(static_cast<std::uint8_t>(type_tag(v)));
    if (const auto* a = std::get_if<Array>(&v)) {
        for (const Value& item : *a) write_tags(w, item);
        w.u8(']');
    }
}

void write_payload(Writer& w, const Value& v) {
    std::visit(
        [&](const auto& x) {
            using T = std::decay_t<decltype(x)>;
            if constexpr (std::is_same_v<T, std::int32_t>) w.u32(static_cast<std::uint32_t>(x));
            else if constexpr (std::is_same_v<T, float>) w.u32(std::bit_cast<std::uint32_t>(x));
            else if constexpr (std::is_same_v<T, std::string>) w.string(x);
            else if constexpr (std::is_same_v<T, Blob>) {
                w.u32(static_cast<std::uint32_t>(x.bytes.size()));
                w.bytes(x.bytes.data(), x.bytes.size());
                w.skip(pad4(x.bytes.size()) - x.bytes.size());
            } else if constexpr (std::is_same_v<T, std::int64_t>) w.u64(static_cast<std::uint64_t>(x));
            else if constexpr (std::is_same_v<T, TimeTag>) w.u64(x.bits);
            else if constexpr (std::is_same_v<T, double>) w.u64(std::bit_cast<std::uint64_t>(x));
            else if constexpr (std::is_same_v<T, Symbol>) w.string(x.text);
            else if constexpr (std::is_same_v<T, Char>) w.u32(x.code);
            else if constexpr (std::is_same_v<T, Rgba>) {
                w.u8(x.r), w.u8(x.g), w.u8(x.b), w.u8(x.a);
            } else if constexpr (std::is_same_v<T, Midi>) {
                w.u8(x.port), w.u8(x.status), w.u8(x.data1), w.u8(x.data2);
            } else if constexpr (std::is_same_v<T, Array>) {
                for (const Value& item : x) write_payload(w, item);
            }
            // bool, Nil, Impulse: the tag is all there is.
        },
        static_cast<const ValueVariant&>(v));
}

void write(Writer& w, const Message& m) {
    w.string(m.address);
    if (!m.has_type_tags) return;
    ArgsSize size;
    for (const Value& v : m.args) add_size(size, v);
    w.u8(',');
    for (const Value& v : m.args) write_tags(w, v);
    w.skip(pad4(size.tags + 2) - (size.tags + 1));
    for (const Value& v : m.args) write_payload(w, v);
}

void write(Writer& w, const Packet& p);

void write(Writer& w, const Bundle& b) {
    w.bytes("#bundle", 8);
    w.u64(b.time.bits);
    for (const Packet& e : b.elements) {
        // Write the element, then go back and fill in its size: no second sizing pass.
        std::byte* size_at = w.position();
        w.skip(4);
        write(w, e);
        Writer(size_at).u32(static_cast<std::uint32_t>(w.position() - size_at - 4));
    }
}

void write(Writer& w, const Packet& p) {
    std::visit([&](const auto& x) { write(w, x); }, p);
}

template <typename T>
void append(std::vector<std::byte>& out, const T& x) {
    const std::size_t start = out.size();
    out.resize(start + encoded_size(x));
    Writer w(out.data() + start);
    write(w, x);
}

// ---- Decoder

class Decoder {
public:
    explicit Decoder(std::span<const std::byte> bytes) : data_(bytes.data()) {}

    std::optional<DecodeError> error;

    bool packet(std::size_t pos, std::size_t end, int depth, std::optional<TimeTag> parent, Packet& out) {
        if (data_[pos] == std::byte{'#'}) {
            Bundle b;
            if (!bundle(pos, end, depth + 1, parent, b)) return false;
            out = std::move(b);
            return true;
        }
        Message m;
        if (!message(pos, end, m)) return false;
        out = std::move(m);
        return true;
    }

private:
    bool fail(DecodeErrc reason, std::size_t offset, char tag = 0) {
        error = DecodeError{reason, offset, tag};
        return false;
    }

    std::uint32_t u32(std::size_t at) const {
        return std::uint32_t(data_[at]) << 24 | std::uint32_t(data_[at + 1]) << 16 | std::uint32_t(data_[at + 2]) << 8 |
               std::uint32_t(data_[at + 3]);
    }
    std::uint64_t u64(std::size_t at) const { return std::uint64_t{u32(at)} << 32 | u32(at + 4); }
    std::uint8_t u8(std::size_t at) const { return static_cast<std::uint8_t>(data_[at]); }

    bool need(std::size_t pos, std::size_t end, std::size_t n) {
        return end - pos >= n || fail(DecodeErrc::truncated, pos);
    }

    // Bytes [from, to) must be zero; `to` is within the packet.
    bool zero_padding(std::size_t from, std::size_t to) {
        for (std::size_t i = from; i < to; ++i)
            if (data_[i] != std::byte{0}) return fail(DecodeErrc::nonzero_padding, i);
        return true;
    }

    bool string(std::size_t& pos, std::size_t end, std::string_view& out) {
        if (pos >= end) return fail(DecodeErrc::truncated, pos);
        const void* nul = std::memchr(data_ + pos, 0, end - pos);
        if (!nul) return fail(DecodeErrc::unterminated_string, pos);
        const auto length = static_cast<std::size_t>(static_cast<const std::byte*>(nul) - (data_ + pos));
        // Atoms start 4-aligned within the datagram and `end` is 4-aligned, so the padded end
        // cannot pass `end`; checked anyway, it costs nothing.
        const std::size_t next = pad4(pos + length + 1);
        if (next > end) return fail(DecodeErrc::truncated, pos);
        if (!zero_padding(pos + length + 1, next)) return false;
        out = std::string_view(reinterpret_cast<const char*>(data_ + pos), length);
        pos = next;
        return true;
    }

    // Every tag known and the brackets balanced and not too deep, before any argument is read,
    // so that the error names the tag string rather than a consequence of misreading it.
    bool check_tags(std::string_view tags, std::size_t tags_at) {
        int depth = 0;
        for (std::size_t i = 1; i < tags.size(); ++i) {
            switch (tags[i]) {
            case 'i': case 'f': case 's': case 'b': case 'h': case 't': case 'd': case 'S':
            case 'c': case 'r': case 'm': case 'T': case 'F': case 'N': case 'I':
                break;
            case '[':
                if (++depth > max_depth) return fail(DecodeErrc::too_deep, tags_at + i);
                break;
            case ']':
                if (--depth < 0) return fail(DecodeErrc::unbalanced_array, tags_at + i);
                break;
            default:
                return fail(DecodeErrc::unknown_type_tag, tags_at + i, tags[i]);
            }
        }
        return depth == 0 || fail(DecodeErrc::unbalanced_array, tags_at + tags.size());
    }

    // Reads the arguments of tags[i...] up to the end of the tags or a ']' (which it consumes).
    bool args(std::string_view tags, std::size_t& i, std::size_t& pos, std::size_t end, std::vector<Value>& out) {
        while (i < tags.size()) {
            const char tag = tags[i++];
            switch (tag) {
            case 'i':
                if (!need(pos, end, 4)) return false;
                out.emplace_back(static_cast<std::int32_t>(u32(pos)));
                pos += 4;
                break;
            case 'f':
                if (!need(pos, end, 4)) return false;
                out.emplace_back(std::bit_cast<float>(u32(pos)));
                pos += 4;
                break;
            case 'c':
                if (!need(pos, end, 4)) return false;
                out.emplace_back(Char{u32(pos)});
                pos += 4;
                break;
            case 'r':
                if (!need(pos, end, 4)) return false;
                out.emplace_back(Rgba{u8(pos), u8(pos + 1), u8(pos + 2), u8(pos + 3)});
                pos += 4;
                break;
            case 'm':
                if (!need(pos, end, 4)) return false;
                out.emplace_back(Midi{u8(pos), u8(pos + 1), u8(pos + 2), u8(pos + 3)});
                pos += 4;
                break;
            case 'h':
                if (!need(pos, end, 8)) return false;
                out.emplace_back(static_cast<std::int64_t>(u64(pos)));
                pos += 8;
                break;
            case 't':
                if (!need(pos, end, 8)) return false;
                out.emplace_back(TimeTag{u64(pos)});
                pos += 8;
                break;
            case 'd':
                if (!need(pos, end, 8)) return false;
                out.emplace_back(std::bit_cast<double>(u64(pos)));
                pos += 8;
                break;
            case 's':
            case 'S': {
                std::string_view s;
                if (!string(pos, end, s)) return false;
                if (tag == 's') out.emplace_back(std::string(s));
                else out.emplace_back(Symbol{std::string(s)});
                break;
            }
            case 'b': {
                if (!need(pos, end, 4)) return false;
                const auto n = static_cast<std::int32_t>(u32(pos));
                if (n < 0 || static_cast<std::size_t>(n) > end - pos - 4) return fail(DecodeErrc::blob_size, pos);
                const std::size_t length = static_cast<std::size_t>(n);
                const std::size_t data_at = pos + 4;
                if (pad4(length) > end - data_at) return fail(DecodeErrc::blob_size, pos);
                if (!zero_padding(data_at + length, data_at + pad4(length))) return false;
                out.emplace_back(Blob{std::vector<std::byte>(data_ + data_at, data_ + data_at + length)});
                pos = data_at + pad4(length);
                break;
            }
            case 'T': out.emplace_back(true); break;
            case 'F': out.emplace_back(false); break;
            case 'N': out.emplace_back(Nil{}); break;
            case 'I': out.emplace_back(Impulse{}); break;
            case '[': {
                Array items;
                if (!args(tags, i, pos, end, items)) return false;
                out.emplace_back(std::move(items));
                break;
            }
            case ']': return true;
            default: return fail(DecodeErrc::unknown_type_tag, pos, tag);  // check_tags() ran first
            }
        }
        return true;
    }

    bool message(std::size_t pos, std::size_t end, Message& m) {
        if (data_[pos] != std::byte{'/'}) return fail(DecodeErrc::bad_address, pos);
        std::string_view address;
        if (!string(pos, end, address)) return false;
        m.address = std::string(address);
        if (pos == end || data_[pos] != std::byte{','}) {
            // No type-tag string: a pre-1.0 sender. Nothing after the address can be read.
            m.has_type_tags = false;
            return true;
        }
        const std::size_t tags_at = pos;
        std::string_view tags;
        if (!string(pos, end, tags) || !check_tags(tags, tags_at)) return false;
        std::size_t i = 1;
        if (!args(tags, i, pos, end, m.args)) return false;
        return pos == end || fail(DecodeErrc::trailing_bytes, pos);
    }

    bool bundle(std::size_t pos, std::size_t end, int depth, std::optional<TimeTag> parent, Bundle& b) {
        if (end - pos < 8 || std::memcmp(data_ + pos, "#bundle", 8) != 0) return fail(DecodeErrc::bad_bundle_header, pos);
        if (depth > max_depth) return fail(DecodeErrc::too_deep, pos);
        pos += 8;
        if (!need(pos, end, 8)) return false;
        b.time = TimeTag{u64(pos)};
        if (parent && !parent->is_immediate() && !b.time.is_immediate() && b.time < *parent)
            return fail(DecodeErrc::bundle_time_order, pos);
        pos += 8;
        while (pos < end) {
            if (!need(pos, end, 4)) return false;
            const auto n = static_cast<std::int32_t>(u32(pos));
            if (n <= 0 || n % 4 != 0 || static_cast<std::size_t>(n) > end - pos - 4)
                return fail(DecodeErrc::element_size, pos);
            const std::size_t element_end = pos + 4 + static_cast<std::size_t>(n);
            Packet& e = b.elements.emplace_back();
            if (!packet(pos + 4, element_end, depth, b.time, e)) return false;
            pos = element_end;
        }
        return true;
    }

    const std::byte* data_;
};

// ---- Printer

void append_hex_byte(std::string& out, std::uint8_t b) {
    static constexpr char digits[] = "0123456789abcdef";
    out += digits[b >> 4];
    out += digits[b & 15];
}

// Length of the valid UTF-8 sequence at s[i] (2-4), or 0 if there is none (RFC 3629: no
// overlong forms, no surrogates, nothing above U+10FFFF).
std::size_t utf8_sequence(std::string_view s, std::size_t i, std::uint32_t& code) {
    const auto c = static_cast<std::uint8_t>(s[i]);
    std::size_t n = 0;
    std::uint32_t min = 0;
    if (c >= 0xc2 && c <= 0xdf) n = 2, code = c & 0x1f, min = 0x80;
    else if (c >= 0xe0 && c <= 0xef) n = 3, code = c & 0x0f, min = 0x800;
    else if (c >= 0xf0 && c <= 0xf4) n = 4, code = c & 0x07, min = 0x10000;
    else return 0;
    if (s.size() - i < n) return 0;
    for (std::size_t k = 1; k < n; ++k) {
        const auto cc = static_cast<std::uint8_t>(s[i + k]);
        if ((cc & 0xc0) != 0x80) return 0;
        code = code << 6 | (cc & 0x3f);
    }
    if (code < min || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return 0;
    return n;
}

void append_unicode_escape(std::string& out, std::uint32_t code) {
    char buf[16];
    const int n = std::snprintf(buf, sizeof buf, "\\u{%x}", static_cast<unsigned>(code));
    out.append(buf, static_cast<std::size_t>(n));
}

// Escapes so that the line stays one line of valid UTF-8 that a terminal shows as it is:
// control characters (C0, DEL, C1), the quote, the backslash and invalid UTF-8 bytes.
// `space_too` is for addresses, which are printed without quotes.
void append_escaped(std::string& out, std::string_view s, char quote, bool space_too = false) {
    for (std::size_t i = 0; i < s.size();) {
        const auto c = static_cast<std::uint8_t>(s[i]);
        if (c >= 0x80) {
            std::uint32_t code = 0;
            if (const std::size_t n = utf8_sequence(s, i, code)) {
                if (code < 0xa0) append_unicode_escape(out, code);  // C1 controls (0x9b is CSI)
                else out.append(s.substr(i, n));
                i += n;
            } else {
                out += "\\x";
                append_hex_byte(out, c);
                ++i;
            }
            continue;
        }
        switch (c) {
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        case '\\': out += "\\\\"; break;
        default:
            if (c < 0x20 || c == 0x7f || (space_too && c == ' ')) {
                out += "\\x";
                append_hex_byte(out, c);
            } else if (c == static_cast<std::uint8_t>(quote) && quote != 0) {
                out += '\\';
                out += static_cast<char>(c);
            } else {
                out += static_cast<char>(c);
            }
        }
        ++i;
    }
}

template <typename F>
void append_number(std::string& out, F x) {
    char buf[64];
    const auto r = std::to_chars(buf, buf + sizeof buf, x);
    out.append(buf, r.ptr);
}

void append_value(std::string& out, const Value& v);

void append_char(std::string& out, std::uint32_t code) {
    out += '\'';
    if (code < 0x80) {
        const char c = static_cast<char>(code);
        append_escaped(out, std::string_view(&c, 1), '\'');
    } else if (code <= 0xff) {
        out += "\\x";
        append_hex_byte(out, static_cast<std::uint8_t>(code));
    } else {
        append_unicode_escape(out, code);
    }
    out += '\'';
}

void append_blob(std::string& out, const Blob& b) {
    constexpr std::size_t shown = 16;
    out += '<';
    append_number(out, b.bytes.size());
    out += ':';
    for (std::size_t i = 0; i < b.bytes.size() && i < shown; ++i) append_hex_byte(out, std::to_integer<std::uint8_t>(b.bytes[i]));
    if (b.bytes.size() > shown) out += "...";
    out += '>';
}

void append_time(std::string& out, TimeTag t) {
    if (t.is_immediate()) {
        out += "immediately";
        return;
    }
    // Straight from the NTP fields (not through system_clock) so that every timetag prints.
    std::int64_t unix_seconds = std::int64_t{t.seconds()} - ntp_unix_offset;
    if (!(t.seconds() & 0x8000'0000u)) unix_seconds += era;  // RFC 4330: era 1, 2036 onwards
    const auto micros = static_cast<unsigned>((std::uint64_t{t.fraction()} * 1'000'000) >> 32);
    const std::chrono::sys_seconds when{std::chrono::seconds(unix_seconds)};
    const auto day = std::chrono::floor<std::chrono::days>(when);
    const std::chrono::year_month_day ymd{day};
    const std::chrono::hh_mm_ss hms{when - day};
    char buf[64];
    const int n = std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02lld.%06uZ", static_cast<int>(ymd.year()),
                                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                                static_cast<int>(hms.hours().count()), static_cast<int>(hms.minutes().count()),
                                static_cast<long long>(hms.seconds().count()), micros);
    out.append(buf, static_cast<std::size_t>(n));
}

void append_value(std::string& out, const Value& v) {
    std::visit(
        [&](const auto& x) {
            using T = std::decay_t<decltype(x)>;
            if constexpr (std::is_same_v<T, std::int32_t> || std::is_same_v<T, std::int64_t> ||
                          std::is_same_v<T, float> || std::is_same_v<T, double>)
                append_number(out, x);
            else if constexpr (std::is_same_v<T, std::string>) {
                out += '"';
                append_escaped(out, x, '"');
                out += '"';
            } else if constexpr (std::is_same_v<T, Symbol>) {
                out += '\'';
                append_escaped(out, x.text, '\'');
                out += '\'';
            } else if constexpr (std::is_same_v<T, Blob>) append_blob(out, x);
            else if constexpr (std::is_same_v<T, TimeTag>) append_time(out, x);
            else if constexpr (std::is_same_v<T, Char>) append_char(out, x.code);
            else if constexpr (std::is_same_v<T, Rgba>) {
                out += '#';
                for (std::uint8_t c : {x.r, x.g, x.b, x.a}) append_hex_byte(out, c);
            } else if constexpr (std::is_same_v<T, Midi>) {
                out += "midi(";
                append_hex_byte(out, x.port), out += ',', append_hex_byte(out, x.status), out += ',';
                append_hex_byte(out, x.data1), out += ',', append_hex_byte(out, x.data2);
                out += ')';
            } else if constexpr (std::is_same_v<T, bool>) out += x ? "true" : "false";
            else if constexpr (std::is_same_v<T, Nil>) out += "nil";
            else if constexpr (std::is_same_v<T, Impulse>) out += "impulse";
            else if constexpr (std::is_same_v<T, Array>) {
                out += '[';
                for (std::size_t i = 0; i < x.size(); ++i) {
                    if (i) out += ' ';
                    append_value(out, x[i]);
                }
                out += ']';
            }
        },
        static_cast<const ValueVariant&>(v));
}

void append_tags(std::string& out, const Value& v) {
    out += type_tag(v);
    if (const auto* a = std::get_if<Array>(&v)) {
        for (const Value& item : *a) append_tags(out, item);
        out += ']';
    }
}

}  // namespace

// ---- TimeTag

TimeTag TimeTag::from_time_point(std::chrono::system_clock::time_point t) {
    const auto since_epoch = std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch());
    const auto whole = std::chrono::floor<std::chrono::seconds>(since_epoch);
    const auto nanos = static_cast<std::uint64_t>((since_epoch - whole).count());
    // Modulo 2^32: era 1 (2036 onwards) wraps around, as RFC 4330 prescribes.
    const auto seconds = static_cast<std::uint32_t>(static_cast<std::uint64_t>(whole.count() + ntp_unix_offset));
    const auto fraction = static_cast<std::uint32_t>((nanos << 32) / 1'000'000'000);
    return from_parts(seconds, fraction);
}

std::chrono::system_clock::time_point TimeTag::to_time_point() const {
    std::int64_t unix_seconds = std::int64_t{seconds()} - ntp_unix_offset;
    if (!(seconds() & 0x8000'0000u)) unix_seconds += era;
    const auto nanos = static_cast<std::int64_t>((std::uint64_t{fraction()} * 1'000'000'000) >> 32);
    const auto since_epoch = std::chrono::seconds(unix_seconds) + std::chrono::nanoseconds(nanos);
    return std::chrono::system_clock::time_point(
        std::chrono::duration_cast<std::chrono::system_clock::duration>(since_epoch));
}

// ---- Values

bool operator==(const Value& a, const Value& b) {
    if (a.index() != b.index()) return false;
    return std::visit(
        [&](const auto& x) {
            using T = std::decay_t<decltype(x)>;
            const T& y = std::get<T>(b);
            if constexpr (std::is_same_v<T, float>) return std::bit_cast<std::uint32_t>(x) == std::bit_cast<std::uint32_t>(y);
            else if constexpr (std::is_same_v<T, double>)
                return std::bit_cast<std::uint64_t>(x) == std::bit_cast<std::uint64_t>(y);
            else return x == y;
        },
        static_cast<const ValueVariant&>(a));
}

bool operator==(const Bundle& a, const Bundle& b) { return a.time == b.time && a.elements == b.elements; }

char type_tag(const Value& v) {
    static constexpr char tags[] = "ifsbhtdScrmTNI[";
    static_assert(sizeof tags - 1 == std::variant_size_v<ValueVariant>);
    if (const bool* flag = std::get_if<bool>(&v)) return *flag ? 'T' : 'F';
    return tags[v.index()];
}

// ---- Encoder

std::size_t encoded_size(const Message& m) {
    std::size_t size = string_size(m.address);
    if (!m.has_type_tags) return size;
    ArgsSize args;
    for (const Value& v : m.args) add_size(args, v);
    return size + pad4(args.tags + 2) + args.payload;  // ',' + tags + NUL, padded
}

std::size_t encoded_size(const Bundle& b) {
    std::size_t size = 16;  // "#bundle\0" + timetag
    for (const Packet& e : b.elements) size += 4 + encoded_size(e);
    return size;
}

std::size_t encoded_size(const Packet& p) {
    return std::visit([](const auto& x) { return encoded_size(x); }, p);
}

void encode_to(std::vector<std::byte>& out, const Message& m) { append(out, m); }
void encode_to(std::vector<std::byte>& out, const Bundle& b) { append(out, b); }
void encode_to(std::vector<std::byte>& out, const Packet& p) { append(out, p); }

std::vector<std::byte> encode(const Message& m) {
    std::vector<std::byte> out;
    append(out, m);
    return out;
}
std::vector<std::byte> encode(const Bundle& b) {
    std::vector<std::byte> out;
    append(out, b);
    return out;
}
std::vector<std::byte> encode(const Packet& p) {
    std::vector<std::byte> out;
    append(out, p);
    return out;
}

// ---- Decoder

std::string_view to_string(DecodeErrc e) {
    switch (e) {
    case DecodeErrc::empty: return "empty";
    case DecodeErrc::size_not_multiple_of_4: return "size_not_multiple_of_4";
    case DecodeErrc::truncated: return "truncated";
    case DecodeErrc::bad_bundle_header: return "bad_bundle_header";
    case DecodeErrc::unterminated_string: return "unterminated_string";
    case DecodeErrc::nonzero_padding: return "nonzero_padding";
    case DecodeErrc::bad_address: return "bad_address";
    case DecodeErrc::unknown_type_tag: return "unknown_type_tag";
    case DecodeErrc::unbalanced_array: return "unbalanced_array";
    case DecodeErrc::blob_size: return "blob_size";
    case DecodeErrc::element_size: return "element_size";
    case DecodeErrc::bundle_time_order: return "bundle_time_order";
    case DecodeErrc::too_deep: return "too_deep";
    case DecodeErrc::trailing_bytes: return "trailing_bytes";
    }
    return "unknown";
}

std::string DecodeError::message() const {
    std::string what;
    switch (reason) {
    case DecodeErrc::empty: what = "empty packet"; break;
    case DecodeErrc::size_not_multiple_of_4: what = "size is not a multiple of 4"; break;
    case DecodeErrc::truncated: what = "truncated"; break;
    case DecodeErrc::bad_bundle_header: what = "bad bundle header (expected '#bundle')"; break;
    case DecodeErrc::unterminated_string: what = "unterminated string"; break;
    case DecodeErrc::nonzero_padding: what = "non-zero padding byte"; break;
    case DecodeErrc::bad_address: what = "address does not start with '/'"; break;
    case DecodeErrc::unknown_type_tag:
        what = "unknown type tag '";
        append_escaped(what, std::string_view(&tag, 1), '\'');
        what += '\'';
        break;
    case DecodeErrc::unbalanced_array: what = "unbalanced array brackets"; break;
    case DecodeErrc::blob_size: what = "blob size out of bounds"; break;
    case DecodeErrc::element_size: what = "bundle element size not a positive multiple of 4 within the bundle"; break;
    case DecodeErrc::bundle_time_order: what = "nested bundle timetag earlier than its parent's"; break;
    case DecodeErrc::too_deep: what = "nested too deep"; break;
    case DecodeErrc::trailing_bytes: what = "bytes after the last argument"; break;
    }
    what += " at byte ";
    append_number(what, offset);
    return what;
}

boost::system::result<Packet, DecodeError> decode(std::span<const std::byte> bytes) {
    using Result = boost::system::result<Packet, DecodeError>;
    if (bytes.empty()) return Result(boost::system::in_place_error, DecodeError{DecodeErrc::empty, 0});
    if (bytes.size() % 4 != 0)
        return Result(boost::system::in_place_error,
                      DecodeError{DecodeErrc::size_not_multiple_of_4, bytes.size() - bytes.size() % 4});
    Decoder d(bytes);
    Packet p;
    if (!d.packet(0, bytes.size(), 0, std::nullopt, p)) return Result(boost::system::in_place_error, *d.error);
    return p;
}

void throw_exception_from_error(const DecodeError& e, const boost::source_location&) {
    throw std::runtime_error("OSC decode: " + e.message());
}

// ---- Printer

std::string format_value(const Value& v) {
    std::string out;
    append_value(out, v);
    return out;
}

std::string format_time(TimeTag t) {
    std::string out;
    append_time(out, t);
    return out;
}

std::string format_address(std::string_view address) {
    std::string out;
    append_escaped(out, address, 0, true);
    return out;
}

std::string type_tags(const Message& m) {
    std::string out = ",";
    for (const Value& v : m.args) append_tags(out, v);
    return out;
}

std::string format_message(const Message& m, std::optional<TimeTag> time) {
    std::string out;
    out.reserve(m.address.size() + 32);
    if (!time || time->is_immediate()) out += "now";
    else append_time(out, *time);
    out += ' ';
    append_escaped(out, m.address, 0, true);
    if (!m.has_type_tags) {
        out += " (no type tags)";
        return out;
    }
    out += ' ';
    out += ',';
    for (const Value& v : m.args) append_tags(out, v);
    for (const Value& v : m.args) {
        out += ' ';
        append_value(out, v);
    }
    return out;
}

std::vector<std::string> format_packet(const Packet& p) {
    std::vector<std::string> lines;
    for_each_message(p, [&](const Message& m, std::optional<TimeTag> t) { lines.push_back(format_message(m, t)); });
    return lines;
}

}  // namespace vj::sdk::osc
